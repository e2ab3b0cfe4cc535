/**
 * Text made of many small pieces (200,000 lines joined to one value, a list of 300,000 escaped
 * commas): its code units copied into one growing buffer and made a string once. Appending with
 * `+=` keeps every piece alive as its own string until the end, and the garbage collector copies
 * each of them on every pass; an array of pieces joined at the end does the same.
 */
const CHUNK = 8192;

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

  appendCode(code: number): void {
    this.room(1);
    this.units[this.length++] = code;
  }

  /** The text, every code unit as it was (a lone surrogate too). */
  toString(): string {
    let out = '';
    for (let i = 0; i < this.length; i += CHUNK) {
      out += String.fromCharCode.apply(null, this.units.subarray(i, Math.min(this.length, i + CHUNK)) as unknown as number[]);
    }
    return out;
  }
}
