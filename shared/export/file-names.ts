/**
 * File names that every OS takes, for one .vcf per contact: no characters Windows refuses
 * (<>:"/\|?* and controls), no bidirectional controls (a name could otherwise show a false
 * extension), no trailing dots or spaces (Windows drops them), no leading dot (hidden on Unix), not
 * a Windows device name (CON, NUL, COM1, ...), at most 100 UTF-8 bytes before the extension (file
 * systems allow 255 bytes; a path has other parts), and unique without regard to case (macOS and
 * Windows file systems are case-insensitive).
 */

const FORBIDDEN = /[<>:"/\\|?*\p{Cc}]/gu;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
const MAX_BYTES = 100;

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Cut to at most `max` UTF-8 bytes without splitting a character (surrogate pairs included). */
function cutTo(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (utf8Bytes(out + ch) > max) break;
    out += ch;
  }
  return out;
}

/** A safe base name for `name` (without extension); `fallback` when nothing of it is left. */
export function safeBaseName(name: string, fallback = 'contact'): string {
  let base = name.normalize('NFC').replace(FORBIDDEN, ' ').replace(BIDI, '').replace(/\s+/g, ' ').trim();
  base = base.replace(/^[.\s]+/, '');
  base = cutTo(base, MAX_BYTES).replace(/[.\s]+$/, '');
  if (base === '') base = fallback;
  if (DEVICE.test(base.split('.')[0]!)) base = `_${base}`;
  return base;
}

/** Gives each name a file name no earlier one has (case-insensitively): "Ann.vcf", "Ann (2).vcf", ... */
export class FileNamer {
  private readonly taken = new Set<string>();

  constructor(private readonly extension: string) {}

  next(name: string, fallback?: string): string {
    const base = safeBaseName(name, fallback);
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? `${base}${this.extension}` : `${base} (${n})${this.extension}`;
      if (!this.taken.has(candidate.toLowerCase())) {
        this.taken.add(candidate.toLowerCase());
        return candidate;
      }
    }
  }
}
