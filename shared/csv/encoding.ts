/**
 * Bytes to text for CSV files, and back. Contact CSVs come as UTF-8 (Google, with or without a
 * BOM), as UTF-16 (Excel's "Unicode text", the old Google CSV export; with a BOM, and sometimes
 * without one), or in the Windows "ANSI" code page of the machine that wrote them (Outlook on
 * Windows: windows-1252 in Western Europe, 1250 in Central Europe, 1251 for Cyrillic). A CSV has
 * no charset declaration, so the legacy code page is guessed from the bytes; the preview shows the
 * guess and the user can pick another (`CSV_ENCODINGS`).
 */
import { decodeWindows1252 } from '../text/cp1252';

export const CSV_ENCODINGS = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'windows-1250',
  'windows-1251',
  'windows-1252',
  'windows-1253',
  'windows-1254',
  'windows-1255',
  'windows-1256',
  'windows-1257',
  'windows-1258',
  'macintosh',
  'shift_jis',
  'gbk',
  'big5',
  'euc-kr',
] as const;

export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export interface DecodedCsv {
  readonly text: string;
  readonly encoding: CsvEncoding;
  /** A byte order mark was found (and removed). */
  readonly bom: boolean;
  /** When the detection was unsure: what it found (`encoding` may be another, the user's choice) and why unsure. */
  readonly detected?: CsvEncoding;
  readonly doubt?: EncodingDoubt;
}

/** TextDecoder, except for windows-1252 (shared/text/cp1252.ts). */
function decode(label: CsvEncoding, bytes: Uint8Array): string {
  return label === 'windows-1252' ? decodeWindows1252(bytes) : new TextDecoder(label).decode(bytes);
}

function hasPrefix(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * UTF-16 without a BOM: CSV text is mostly ASCII, so every other byte is zero. Which half is
 * zero tells the byte order.
 */
function bomlessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length - (bytes.length % 2), 4096);
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return null;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The file's bytes as UTF-8: how many well-formed multi-byte sequences (letters beyond ASCII) and
 * how many bytes that are not UTF-8, and the offset of the first of those.
 */
function utf8Tally(bytes: Uint8Array): { multi: number; invalid: number; firstInvalid: number } {
  let multi = 0;
  let invalid = 0;
  let firstInvalid = -1;
  const bad = (at: number) => {
    invalid++;
    if (firstInvalid < 0) firstInvalid = at;
  };
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // The lead byte says how many continuation bytes follow (and which first ones are allowed,
    // ruling out overlong forms, surrogates and code points past U+10FFFF), as the decoder does.
    const [need, lo, hi] = b >= 0xc2 && b <= 0xdf ? [1, 0x80, 0xbf] : b === 0xe0 ? [2, 0xa0, 0xbf] : b === 0xed ? [2, 0x80, 0x9f] : b >= 0xe1 && b <= 0xef ? [2, 0x80, 0xbf] : b === 0xf0 ? [3, 0x90, 0xbf] : b === 0xf4 ? [3, 0x80, 0x8f] : b >= 0xf1 && b <= 0xf3 ? [3, 0x80, 0xbf] : [0, 0, 0];
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k];
      ok = c !== undefined && c >= (k === 1 ? lo : 0x80) && c <= (k === 1 ? hi : 0xbf);
    }
    if (ok) {
      multi++;
      i += need + 1;
    } else {
      bad(i);
      i++;
    }
  }
  return { multi, invalid, firstInvalid };
}

const LETTER = /\p{L}/u;
const ASCII_LETTER = /[A-Za-z]/;
const WORD = /\p{L}+/gu;
/** Characters that a legacy code page maps but that never stand between two letters of a word. */
const NOT_IN_WORDS = /[^\p{L}\p{M}'’\-.]/u;

/**
 * How unlikely the text is as a reading of the bytes (lower is better): C1 controls and
 * replacement characters, symbols inside words (Polish "ł" read as windows-1252 is "³"), and
 * words made only of non-ASCII letters (Cyrillic read as windows-1252 is "Èâàíîâ"; real Western
 * words always have some plain ASCII letters).
 */
function implausibility(text: string): number {
  let score = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x80 && c <= 0x9f) || c === 0xfffd) score += 5;
    else if (c > 0x7f && NOT_IN_WORDS.test(text[i]!)) {
      const touching = Number(LETTER.test(text[i - 1] ?? '')) + Number(LETTER.test(text[i + 1] ?? ''));
      score += touching * 2;
    }
  }
  for (const word of text.match(WORD) ?? []) {
    if (word.length >= 3 && !ASCII_LETTER.test(word)) score += 1;
    // Latin and Cyrillic letters in one word: a Western text read as windows-1251.
    if (ASCII_LETTER.test(word) && /\p{Script=Cyrillic}/u.test(word)) score += 2;
  }
  return score;
}

/** Words written wholly in Cyrillic: only the windows-1251 reading of a Cyrillic text makes them. */
function cyrillicWords(text: string): number {
  let n = 0;
  for (const word of text.match(WORD) ?? []) if (word.length >= 3 && /^\p{Script=Cyrillic}+$/u.test(word)) n++;
  return n;
}

/** The legacy code pages guessed between, most common first (the tie-break order). */
const GUESSED: readonly CsvEncoding[] = ['windows-1252', 'windows-1250', 'windows-1251'];

function guessLegacy(bytes: Uint8Array): CsvEncoding {
  const sample = bytes.subarray(0, 64 * 1024);
  let best: CsvEncoding = 'windows-1252';
  let bestScore = Infinity;
  for (const label of GUESSED) {
    const text = decode(label, sample);
    // A Cyrillic reading is only right when it makes Cyrillic words, not just fewer odd ones.
    const score = label === 'windows-1251' ? implausibility(text) - cyrillicWords(text) : implausibility(text);
    if (score < bestScore) {
      best = label;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Why the detected encoding may be wrong, for the import to say so and offer the others:
 * `invalid-utf8`, the file reads as UTF-8 but for some bytes that are not (shown as "\uFFFD");
 * `guessed`, no BOM and not UTF-8, so the code page was guessed from the letters it makes.
 */
export interface EncodingDoubt {
  readonly kind: 'invalid-utf8' | 'guessed';
  /** Bytes that are not UTF-8 (a code page is only guessed when there are some). */
  readonly invalidBytes: number;
  /** The 1-based line of the first byte that is not UTF-8. */
  readonly line: number;
}

export interface DetectedEncoding {
  readonly encoding: CsvEncoding;
  readonly bom: boolean;
  /** Absent when the encoding is certain: a BOM, UTF-16's zero bytes, or bytes that are all UTF-8. */
  readonly doubt?: EncodingDoubt;
}

/** The 1-based line of a byte offset (a CR LF counts once). */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}

/**
 * The encoding of a CSV file's bytes: BOM, then UTF-16 by its zero bytes, then UTF-8, else a
 * guessed code page. A file that is UTF-8 but for a stray byte or two (a cell pasted from another
 * program, a file cut short) is still UTF-8, with its bad bytes counted: read in a code page, its
 * every letter beyond ASCII would turn into two wrong ones. The rule: more well-formed multi-byte
 * sequences than bytes that are not UTF-8 (text in a code page has almost none of the first:
 * a letter there is one byte, followed by ASCII).
 */
export function detectEncoding(bytes: Uint8Array): DetectedEncoding {
  if (hasPrefix(bytes, [0xef, 0xbb, 0xbf])) return withInvalid({ encoding: 'utf-8', bom: true }, bytes);
  if (hasPrefix(bytes, [0xff, 0xfe])) return { encoding: 'utf-16le', bom: true };
  if (hasPrefix(bytes, [0xfe, 0xff])) return { encoding: 'utf-16be', bom: true };
  const utf16 = bomlessUtf16(bytes);
  if (utf16 !== null) return { encoding: utf16, bom: false };
  if (isUtf8(bytes)) return { encoding: 'utf-8', bom: false };
  const tally = utf8Tally(bytes);
  const doubt = { invalidBytes: tally.invalid, line: lineAt(bytes, tally.firstInvalid) };
  if (tally.multi > tally.invalid) return { encoding: 'utf-8', bom: false, doubt: { kind: 'invalid-utf8', ...doubt } };
  return { encoding: guessLegacy(bytes), bom: false, doubt: { kind: 'guessed', ...doubt } };
}

/** A file with a UTF-8 BOM whose bytes are not all UTF-8 says so too. */
function withInvalid(found: DetectedEncoding, bytes: Uint8Array): DetectedEncoding {
  if (isUtf8(bytes)) return found;
  const tally = utf8Tally(bytes);
  return tally.invalid === 0 ? found : { ...found, doubt: { kind: 'invalid-utf8', invalidBytes: tally.invalid, line: lineAt(bytes, tally.firstInvalid) } };
}

/** Decode a CSV file, in the given encoding or the detected one. A BOM is removed either way. */
export function decodeCsvBytes(bytes: Uint8Array, encoding?: CsvEncoding): DecodedCsv {
  const detected = detectEncoding(bytes);
  const chosen = encoding ?? detected.encoding;
  // TextDecoder drops a BOM of its own encoding; a UTF-8 BOM read as a code page would not be.
  const body = chosen !== 'utf-8' && detected.encoding === 'utf-8' && detected.bom ? bytes.subarray(3) : bytes;
  const text = decode(chosen, body);
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding: chosen, bom: detected.bom, ...(detected.doubt === undefined ? {} : { detected: detected.encoding, doubt: detected.doubt }) };
}

export type CsvOutputEncoding = 'utf-8-bom' | 'utf-8' | 'windows-1252';

const reverseTables = new Map<string, Map<number, number>>();

/** Unicode code point → byte for a single-byte code page, built once from its decoder. */
function reverseTable(label: CsvEncoding): Map<number, number> {
  let table = reverseTables.get(label);
  if (table === undefined) {
    table = new Map();
    const all = new Uint8Array(256).map((_, i) => i);
    const text = decode(label, all);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code !== 0xfffd && !table.has(code)) table.set(code, i);
    }
    reverseTables.set(label, table);
  }
  return table;
}

export interface EncodedCsv {
  readonly bytes: Uint8Array;
  /** Characters the encoding cannot hold, written as "?". Empty for UTF-8. */
  readonly unencodable: readonly string[];
}

/** Text to bytes for a CSV file. Outlook's importer reads UTF-8 only with a BOM; older ones want windows-1252. */
export function encodeCsvText(text: string, encoding: CsvOutputEncoding): EncodedCsv {
  if (encoding !== 'windows-1252') {
    const body = new TextEncoder().encode(text);
    if (encoding === 'utf-8') return { bytes: body, unencodable: [] };
    const out = new Uint8Array(body.length + 3);
    out.set([0xef, 0xbb, 0xbf]);
    out.set(body, 3);
    return { bytes: out, unencodable: [] };
  }
  const table = reverseTable(encoding);
  const out: number[] = [];
  const missing = new Set<string>();
  for (const ch of text) {
    const byte = table.get(ch.codePointAt(0)!);
    if (byte === undefined) {
      missing.add(ch);
      out.push(0x3f);
    } else out.push(byte);
  }
  return { bytes: Uint8Array.from(out), unencodable: [...missing] };
}
