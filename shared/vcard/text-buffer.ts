/**
 * Text made of many small pieces (200,000 lines joined to one value, a list of 300,000 escaped
 * commas): its code units copied into one growing buffer and made a string once. Appending with
 * `+=` keeps every piece alive as its own string until the end, and the garbage collector copies
 * each of them on every pass; an array of pieces joined at the end does the same.
 */
const CHUNK = 8192;
/** Up to this many code units a text is made by String.fromCharCode, not decoded (unitsToString). */
const SHORT_UNITS = 256;

export class TextBuffer {
  private units = new Uint16Array(256);
  length = 0;

  private room(extra: number): void {
    const need = this.length + extra;
    if (need <= this.units.length) return;
    const bigger = new Uint16Array(Math.max(need, this.units.length * 2));
    bigger.set(this.units.subarray(0, this.length));
    this.units = bigger;
  }

  /** Appends text[start, end) (all of it by default). */
  append(text: string, start = 0, end = text.length): void {
    this.room(end - start);
    const u = this.units;
    let n = this.length;
    for (let i = start; i < end; i++) u[n++] = text.charCodeAt(i);
    this.length = n;
  }

  /**
   * Appends text[start, end) with each line ending in it (CRLF, LF or CR) written as `sep`;
   * `length` is what that comes to (the caller knows it: see StrayRun).
   */
  appendLines(text: string, start: number, end: number, sep: string, length: number): void {
    this.room(length);
    const u = this.units;
    let n = this.length;
    const s0 = sep.charCodeAt(0);
    const s1 = sep.charCodeAt(1);
    const s2 = sep.charCodeAt(2);
    const w = sep.length;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) u[n++] = c;
      else {
        if (c === 0x0d && i + 1 < end && text.charCodeAt(i + 1) === 0x0a) i++;
        if (w > 0) u[n++] = s0;
        if (w > 1) u[n++] = s1;
        if (w > 2) u[n++] = s2;
        for (let k = 3; k < w; k++) u[n++] = sep.charCodeAt(k);
      }
    }
    // Writes past the end of a typed array are dropped without a word: a wrong length must not pass.
    if (n > u.length) throw new Error(`appendLines: ${n - this.length} units, not ${length}`);
    this.length = n;
  }

  appendCode(code: number): void {
    this.room(1);
    this.units[this.length++] = code;
  }

  /** The text, every code unit as it was (a lone surrogate too). */
  toString(): string {
    return unitsToString(this.units, this.length);
  }
}

/** units[0, length) as a string, every code unit as it was (a lone surrogate too). */
export function unitsToString(all: Uint16Array, length: number): string {
  if (length === 0) return '';
  const units = all.subarray(0, length);
  // A short text (a phone's digits, a name, most values of a card) straight from its code units:
  // a TextDecoder call costs more than the text in Chromium (12 units: 0.42 µs against 0.17 µs; 256
  // units: 1.8 µs against 0.9 µs), and String.fromCharCode keeps every code unit as it is.
  if (length <= SHORT_UNITS) return String.fromCharCode.apply(null, units as unknown as number[]);
  // Decoded natively, in one call, when that keeps every code unit: UTF-16 decoding would make a
  // lone surrogate U+FFFD. Spreading the units into String.fromCharCode goes through an
  // argument list a code unit (about 40 ms a million on the machine this was measured on).
  if (UTF16 !== null && !hasLoneSurrogate(units)) return UTF16.decode(new Uint8Array(units.buffer, units.byteOffset, units.byteLength));
  let out = '';
  for (let i = 0; i < length; i += CHUNK) {
    out += String.fromCharCode.apply(null, units.subarray(i, Math.min(length, i + CHUNK)) as unknown as number[]);
  }
  return out;
}

/** A UTF-16 decoder for the buffer's own byte order (little-endian, as on every platform Cardinal runs on), keeping a leading U+FEFF. */
const UTF16: TextDecoder | null = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? new TextDecoder('utf-16le', { ignoreBOM: true }) : null;

function hasLoneSurrogate(u: Uint16Array): boolean {
  for (let i = 0; i < u.length; i++) {
    const c = u[i]!;
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00 || i + 1 >= u.length) return true;
    const d = u[i + 1]!;
    if (d < 0xdc00 || d > 0xdfff) return true;
    i++;
  }
  return false;
}
