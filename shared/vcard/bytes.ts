/**
 * Bytes to text for vCard files. Most files are UTF-8, but real exports also come as UTF-16 with a
 * BOM, as a legacy code page (Outlook's cp1252, Shift_JIS from old phones, sometimes declared per
 * property with CHARSET=), and some writers fold lines in the middle of a UTF-8 sequence. So when
 * the whole input is not valid UTF-8 we unfold at the byte level first and decode each logical line
 * on its own: UTF-8 when it is valid, else the line's CHARSET, else windows-1252.
 */
import { headEnd } from './lines';

const utf8 = new TextDecoder('utf-8', { fatal: true });

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
  let body = bytes;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) body = bytes.subarray(3);
  try {
    return { text: utf8.decode(body), legacyLines: 0 };
  } catch {
    return decodeByLine(body);
  }
}

/** Decode line by line, joining folded lines as bytes so a split UTF-8 sequence heals. */
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
  // Keep the physical line count: a folded continuation is joined into the line above and
  // replaced by an empty line would break unfolding, so instead we keep a marker the text unfolder
  // understands: the joined text followed by the right number of "\n " continuation stubs.
  let i = 0;
  while (i < lines.length) {
    const parts: Uint8Array[] = [lines[i]!];
    let j = i + 1;
    while (j < lines.length && (lines[j]![0] === 0x20 || lines[j]![0] === 0x09)) {
      parts.push(lines[j]!.subarray(1));
      j++;
    }
    const joined = concat(parts);
    const decoded = decodeLine(joined);
    if (decoded.legacy) legacyLines++;
    out.push(decoded.text);
    // Continuation lines become empty folds (a single space) so line numbers stay true.
    for (let k = i + 1; k < j; k++) out.push(' ');
    i = j;
  }
  return { text: out.join('\n'), legacyLines };
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

function decodeLine(line: Uint8Array): { text: string; legacy: boolean } {
  try {
    return { text: utf8.decode(line), legacy: false };
  } catch {
    // The head is ASCII in every charset a vCard is written in, so read it as latin1 to find CHARSET.
    const latin = latin1(line);
    const colon = headEnd(latin);
    const head = colon > 0 ? latin.slice(0, colon) : '';
    const declared = /;CHARSET=("?)([A-Za-z0-9_.:-]+)\1/i.exec(head)?.[2];
    return { text: decodeWith(declared, line), legacy: true };
  }
}

export function decodeWith(charset: string | undefined, bytes: Uint8Array): string {
  if (charset !== undefined) {
    try {
      return new TextDecoder(charset.toLowerCase()).decode(bytes);
    } catch {
      // Unknown charset label: fall through to the usual Windows default.
    }
  }
  return new TextDecoder('windows-1252').decode(bytes);
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}
