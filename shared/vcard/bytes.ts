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
 * costs one scan a line rather than one exception a line.
 */
export function isUtf8(b: Uint8Array): boolean {
  const n = b.length;
  let i = 0;
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
 * calls, not one a line.
 */
function decodeByLine(body: Uint8Array): DecodedText {
  const out: string[] = [];
  let legacyLines = 0;
  let start = 0;
  const lines: Uint8Array[] = [];
  for (let i = 0; i <= body.length; i++) {
    if (i === body.length || body[i] === 0x0a || body[i] === 0x0d) {
      lines.push(body.subarray(start, i));
      if (body[i] === 0x0d && body[i + 1] === 0x0a) i++;
      start = i + 1;
    }
  }
  let run: Uint8Array[] = [];
  let runKind: 'utf-8' | 'windows-1252' = 'utf-8';
  const flush = (): void => {
    if (run.length > 0) out.push(decoderFor(runKind).decode(concat(run)));
    run = [];
  };
  // Keep the physical line count: a folded continuation is joined into the line above and
  // replaced by an empty line would break unfolding, so instead we keep a marker the text unfolder
  // understands: the joined text followed by the right number of "\n " continuation stubs.
  let i = 0;
  while (i < lines.length) {
    let j = i + 1;
    while (j < lines.length && (lines[j]![0] === 0x20 || lines[j]![0] === 0x09)) j++;
    const joined = j === i + 1 ? lines[i]! : concat([lines[i]!, ...lines.slice(i + 1, j).map((l) => l.subarray(1))]);
    // Continuation lines become empty folds (a single space) so line numbers stay true.
    const stubs = j - i - 1;
    const kind = utf8Kind(joined);
    if (kind === 'invalid') {
      legacyLines++;
      const declared = declaredCharset(joined);
      if (declared !== undefined) {
        flush();
        out.push(decodeWith(declared, joined) + '\n' + ' \n'.repeat(stubs));
        i = j;
        continue;
      }
      if (runKind !== 'windows-1252') flush();
      runKind = 'windows-1252';
    } else if (kind === 'utf-8' && runKind !== 'utf-8') {
      flush();
      runKind = 'utf-8';
    }
    run.push(joined, stubs === 0 ? NEWLINE : stubBytes(stubs));
    i = j;
  }
  flush();
  const text = out.join('');
  return { text: text.endsWith('\n') ? text.slice(0, -1) : text, legacyLines };
}

const NEWLINE = Uint8Array.of(0x0a);

function stubBytes(n: number): Uint8Array {
  const b = new Uint8Array(1 + 2 * n).fill(0x20);
  for (let k = 0; k <= n; k++) b[k * 2] = 0x0a;
  return b;
}

/** 'ascii', 'utf-8' (valid, not all ASCII) or 'invalid'. */
function utf8Kind(b: Uint8Array): 'ascii' | 'utf-8' | 'invalid' {
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return isUtf8(b.subarray(i)) ? 'utf-8' : 'invalid';
  return 'ascii';
}

/** The CHARSET a legacy line declares in its head (ASCII in every charset a vCard is written in). */
function declaredCharset(line: Uint8Array): string | undefined {
  // Cheap rejection: no `;` before the first `:` means no parameters at all.
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === 0x3b) break;
    if (c === 0x3a || i === line.length - 1) return undefined;
  }
  const latin = latin1(line.subarray(0, Math.min(line.length, 4096)));
  const colon = headEnd(latin);
  const head = colon > 0 ? latin.slice(0, colon) : '';
  return /;CHARSET=("?)([A-Za-z0-9_.:-]+)\1/i.exec(head)?.[2];
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
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
