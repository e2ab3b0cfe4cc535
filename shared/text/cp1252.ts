/**
 * windows-1252, as the WHATWG Encoding standard defines it (which is also what "iso-8859-1",
 * "latin1" and "ascii" mean there). Node 20's TextDecoder reads 0x80–0x9F as C1 controls, as
 * ISO-8859-1 does, turning Outlook's "€", "—" and curly quotes into invisible characters, while
 * Chromium's is right; so this code page is decoded here, the same in every process.
 */
const CP1252_HIGH = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

/** Little-endian platforms (every one Cardinal runs on): code units decoded as UTF-16LE in one call. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const utf16le = new TextDecoder('utf-16le');
const CHUNK = 8192;

/**
 * Every byte mapped to its code unit in one buffer, then decoded as UTF-16 at once: no array or
 * string a chunk, so a megabyte of legacy text costs one pass. The code units are all below
 * U+2200 (no surrogate, no byte-order mark), so UTF-16 reads them exactly.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const n = bytes.length;
  const units = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    units[i] = b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b;
  }
  if (LITTLE_ENDIAN) return utf16le.decode(new Uint8Array(units.buffer));
  let out = '';
  for (let i = 0; i < n; i += CHUNK) out += String.fromCharCode(...units.subarray(i, i + CHUNK));
  return out;
}

/** A decoder for a label, windows-1252 (by any of its labels) through the table above. */
export function textDecoder(label: string): { decode(bytes: Uint8Array): string } {
  const d = new TextDecoder(label); // throws RangeError for an unknown label
  return d.encoding === 'windows-1252' ? { decode: decodeWindows1252 } : { decode: (b) => d.decode(b) };
}
