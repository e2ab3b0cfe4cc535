/**
 * Bytes to text for vCard files. Most files are UTF-8, but real exports also come as UTF-16 with a
 * BOM, as a legacy code page (Outlook's cp1252, Shift_JIS from old phones, sometimes declared per
 * property with CHARSET=), and some writers fold lines in the middle of a UTF-8 sequence. So when
 * the whole input is not valid UTF-8 we unfold at the byte level first and decode each logical line
 * on its own: UTF-8 when it is valid, else the line's CHARSET, else windows-1252.
 */
import { textDecoder } from '../text/cp1252';
import { headEnd } from './lines';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');
const decoders = new Map<string, { decode(bytes: Uint8Array): string }>();

/** One decoder per charset label, made once: a legacy line must not cost a new TextDecoder.
 * windows-1252 (also "iso-8859-1", "latin1") is decoded by its table, the same in every process. */
function decoderFor(label: string): { decode(bytes: Uint8Array): string } {
  let d = decoders.get(label);
  if (d === undefined) {
    d = textDecoder(label); // throws RangeError for an unknown label (caught by the caller)
    decoders.set(label, d);
  }
  return d;
}

/**
 * True when the bytes are well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF):
 * what a fatal TextDecoder accepts, answered without throwing, so a file of many legacy lines
 * costs one scan a line rather than one exception a line. Of b[start, end) when given.
 */
export function isUtf8(b: Uint8Array, start = 0, end = b.length): boolean {
  const n = end;
  let i = start;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf) {
      if (i + 1 >= n || (b[i + 1]! & 0xc0) !== 0x80) return false;
      i += 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      if (i + 2 >= n) return false;
      const c1 = b[i + 1]!;
      if ((c1 & 0xc0) !== 0x80 || (b[i + 2]! & 0xc0) !== 0x80) return false;
      if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f)) return false;
      i += 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
      if (i + 3 >= n) return false;
      const c1 = b[i + 1]!;
      if ((c1 & 0xc0) !== 0x80 || (b[i + 2]! & 0xc0) !== 0x80 || (b[i + 3]! & 0xc0) !== 0x80) return false;
      if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return false;
      i += 4;
    } else return false;
  }
  return true;
}

/** UTF-8 text of the bytes, or null when they are not UTF-8. */
export function utf8OrNull(bytes: Uint8Array): string | null {
  return isUtf8(bytes) ? utf8Lenient.decode(bytes) : null;
}

/**
 * UTF-16 written without a byte-order mark (some Windows and phone exports): vCard text is mostly
 * ASCII, so one byte of each pair is NUL. Looked for in the first 512 bytes: at least 4 pairs,
 * nearly every even (BE) or odd (LE) byte NUL and nearly none of the others.
 */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 8) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul >= pairs * 0.9 && evenNul <= pairs * 0.1) return 'utf-16le';
  if (evenNul >= pairs * 0.9 && oddNul <= pairs * 0.1) return 'utf-16be';
  return null;
}

export interface DecodedText {
  text: string;
  /** Lines that were not UTF-8 and were read with a guessed or declared legacy charset. */
  legacyLines: number;
}

export function decodeVCardBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), legacyLines: 0 };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), legacyLines: 0 };
  }
  const utf16 = utf16WithoutBom(bytes);
  if (utf16 !== null) return { text: decoderFor(utf16).decode(bytes), legacyLines: 0 };
  let body = bytes;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) body = bytes.subarray(3);
  try {
    return { text: utf8.decode(body), legacyLines: 0 };
  } catch {
    return decodeByLine(body);
  }
}

/**
 * Decode line by line, joining folded lines as bytes so a split UTF-8 sequence heals. Consecutive
 * lines read the same way (UTF-8, or windows-1252 for a legacy line without CHARSET; ASCII lines
 * go with either) are decoded together, so a file of many short legacy lines costs a few decoder
 * calls, not one a line. One pass over the bytes: each logical line is joined straight into the
 * buffer of the run it belongs to (no array of lines, no view or copy a line), so a file of
 * 300,000 folds costs what its bytes cost.
 */
function decodeByLine(body: Uint8Array): DecodedText {
  const out: string[] = [];
  let legacyLines = 0;
  const n = body.length;
  // The run being gathered: its bytes are buf[0, len). At most every input byte plus the line
  // ends and stubs a logical line adds (one byte a physical line at most: "\n", " \n" for "\r\n ").
  let buf = new Uint8Array(n + 16);
  let len = 0;
  let runKind: 'utf-8' | 'windows-1252' = 'utf-8';
  const grow = (need: number): void => {
    if (need <= buf.length) return;
    const bigger = new Uint8Array(Math.max(need, buf.length * 2));
    bigger.set(buf.subarray(0, len));
    buf = bigger;
  };
  const flush = (upTo: number): void => {
    if (upTo > 0) out.push(decoderFor(runKind).decode(buf.subarray(0, upTo)));
  };
  /** End of the physical line starting at `at` (index of its \r or \n, or n). */
  const lineEnd = (at: number): number => {
    let i = at;
    while (i < n && body[i] !== 0x0a && body[i] !== 0x0d) i++;
    return i;
  };
  /** Start of the next physical line after one ending at `end` (n + 1 past the last). */
  const nextStart = (end: number): number => (end < n && body[end] === 0x0d && body[end + 1] === 0x0a ? end + 2 : end + 1);
  // Keep the physical line count: a folded continuation is joined into the line above, and each
  // becomes an empty fold (" \n" after the joined line's "\n") so line numbers stay true.
  let start = 0;
  while (start <= n) {
    const lineStart = len;
    let end = lineEnd(start);
    grow(len + (end - start) + 1);
    for (let i = start; i < end; i++) buf[len++] = body[i]!;
    let next = nextStart(end);
    let stubs = 0;
    // Continuations: lines that start with a space or tab (a line ending the input counts too).
    while (next < n && (body[next] === 0x20 || body[next] === 0x09)) {
      end = lineEnd(next);
      grow(len + (end - next - 1) + 1);
      for (let i = next + 1; i < end; i++) buf[len++] = body[i]!;
      stubs++;
      next = nextStart(end);
    }
    const lineLen = len - lineStart;
    const kind = utf8Kind(buf, lineStart, len);
    if (kind === 'invalid') {
      legacyLines++;
      const declared = declaredCharset(buf, lineStart, len);
      if (declared !== undefined) {
        flush(lineStart);
        out.push(decodeWith(declared, buf.subarray(lineStart, len)) + '\n' + ' \n'.repeat(stubs));
        len = 0;
        start = next;
        continue;
      }
      if (runKind !== 'windows-1252') {
        flush(lineStart);
        buf.copyWithin(0, lineStart, len);
        len = lineLen;
      }
      runKind = 'windows-1252';
    } else if (kind === 'utf-8' && runKind !== 'utf-8') {
      flush(lineStart);
      buf.copyWithin(0, lineStart, len);
      len = lineLen;
      runKind = 'utf-8';
    }
    grow(len + 1 + 2 * stubs);
    buf[len++] = 0x0a;
    for (let k = 0; k < stubs; k++) {
      buf[len++] = 0x20;
      buf[len++] = 0x0a;
    }
    start = next;
  }
  flush(len);
  const text = out.join('');
  return { text: text.endsWith('\n') ? text.slice(0, -1) : text, legacyLines };
}

/** 'ascii', 'utf-8' (valid, not all ASCII) or 'invalid'. */
function utf8Kind(b: Uint8Array, start: number, end: number): 'ascii' | 'utf-8' | 'invalid' {
  for (let i = start; i < end; i++) if (b[i]! >= 0x80) return isUtf8(b, i, end) ? 'utf-8' : 'invalid';
  return 'ascii';
}

/** The CHARSET a legacy line declares in its head (ASCII in every charset a vCard is written in). */
function declaredCharset(b: Uint8Array, start: number, end: number): string | undefined {
  // Cheap rejection: no `;` before the first `:` means no parameters at all.
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c === 0x3b) break;
    if (c === 0x3a || i === end - 1) return undefined;
  }
  const latin = latin1(b.subarray(start, Math.min(end, start + 4096)));
  const colon = headEnd(latin);
  const head = colon > 0 ? latin.slice(0, colon) : '';
  return /;CHARSET=("?)([A-Za-z0-9_.:-]+)\1/i.exec(head)?.[2];
}

export function decodeWith(charset: string | undefined, bytes: Uint8Array): string {
  if (charset !== undefined) {
    try {
      return decoderFor(charset.toLowerCase()).decode(bytes);
    } catch {
      // Unknown charset label: fall through to the usual Windows default.
    }
  }
  return decoderFor('windows-1252').decode(bytes);
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}
