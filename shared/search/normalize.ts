/**
 * Search folding: what a user types and what a contact holds are compared after folding both the
 * same way — case, accents and full/half width ignored (NFKD, marks removed), Persian and Arabic
 * letter variants unified (ي/ی, ك/ک, ة/ه, أ/إ/آ/ا, ى/ی), tatweel and zero-width joiners dropped,
 * every script's digits read as ASCII digits, and Traditional Han characters read as Simplified
 * (张 finds 張; the table is OpenCC's, see han-table.ts).
 */
import { SIMPLIFIED, TRADITIONAL } from './han-table';

const VARIANTS: Readonly<Record<string, string>> = {
  '\u064A': '\u06CC', // Arabic yeh → Persian yeh
  '\u0649': '\u06CC', // alef maksura → Persian yeh
  '\u0643': '\u06A9', // Arabic kaf → keheh
  '\u0629': '\u0647', // teh marbuta → heh
  '\u0623': '\u0627', // alef with hamza above → alef
  '\u0625': '\u0627', // alef with hamza below → alef
  '\u0622': '\u0627', // alef with madda → alef
  '\u0671': '\u0627', // alef wasla → alef
  '\u06C0': '\u0647', // heh with yeh above → heh
  '\u0624': '\u0648', // waw with hamza → waw
};

// Tatweel, zero-width and direction marks; and control characters, which mark the fields of a
// row's search text (segments.ts) and must never come from what was typed.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is dropped
const DROP = /[\u0000-\u0008\u000E-\u001F\u0640\u200B-\u200F\u2060\uFEFF]/g;
const MARKS = /\p{M}/gu;
const OTHER_DIGITS = /[\u0660-\u0669\u06F0-\u06F9\uFF10-\uFF19]/g;
const HAN = /\p{Script=Han}/gu;

const SIMPLE = new Map<string, string>();
{
  const from = [...TRADITIONAL];
  const to = [...SIMPLIFIED];
  from.forEach((ch, i) => SIMPLE.set(ch, to[i]!));
}

function asciiDigit(d: string): string {
  const c = d.charCodeAt(0);
  if (c >= 0x0660 && c <= 0x0669) return String(c - 0x0660);
  if (c >= 0x06f0 && c <= 0x06f9) return String(c - 0x06f0);
  return String(c - 0xff10);
}

/**
 * 0 when the text holds a character the full folding below could change other than by case and
 * blanks (anything past ASCII, a control character it drops); else 1, or 2 when it also holds a
 * blank other than a single space between words (a tab, a line break, two spaces).
 */
function asciiKind(text: string): 0 | 1 | 2 {
  let kind: 1 | 2 = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || c < 0x09 || (c > 0x0d && c < 0x20)) return 0;
    if (c <= 0x0d || (c === 0x20 && text.charCodeAt(i + 1) === 0x20)) kind = 2;
  }
  return kind;
}

/** Fold text for matching. The same function serves the index and the query. */
export function foldForSearch(text: string): string {
  // Most values (e-mail addresses, Latin names, a list of 100,000 categories) are ASCII: NFKD
  // leaves it as it is and no pattern below but case and blanks finds anything in it.
  const ascii = asciiKind(text);
  if (ascii === 1) return text.toLowerCase().trim();
  if (ascii === 2) return text.toLowerCase().replace(/\s+/g, ' ').trim();
  return text
    .normalize('NFKD')
    .replace(MARKS, '')
    .replace(DROP, '')
    .replace(OTHER_DIGITS, asciiDigit)
    .replace(/[\u0622-\u06D3]/g, (ch) => VARIANTS[ch] ?? ch)
    .replace(HAN, (ch) => SIMPLE.get(ch) ?? ch)
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Only the digits of a phone number, any script, so `+1 (555) 010-0` finds `15550100`. */
export function phoneDigits(text: string): string {
  return text.replace(OTHER_DIGITS, asciiDigit).replace(/\D/g, '');
}

/** Any script's digits as ASCII digits (what a date or number field reads). */
export function asciiDigits(text: string): string {
  return text.replace(OTHER_DIGITS, asciiDigit);
}
