/**
 * Search folding: what a user types and what a contact holds are compared after folding both the
 * same way — case, accents and full/half width ignored (NFKD, marks removed), Persian and Arabic
 * letter variants unified (ي/ی, ك/ک, ة/ه, أ/إ/آ/ا, ى/ی), tatweel and zero-width joiners dropped,
 * every script's digits read as ASCII digits, Traditional Han characters read as Simplified
 * (张 finds 張; the table is OpenCC's, see han-table.ts), and the Latin letters that have no
 * decomposition read as the letters they are written for (ø → o, æ → ae, ß → ss, ł → l: "soren"
 * finds "Søren"; LETTERS).
 */
import { TextBuffer, unitsToString } from '../vcard/text-buffer';
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

/**
 * Latin letters NFKD leaves whole (no base letter and mark), each as the plain letters a user
 * types for it; lower case only, applied after case folding (Ø, Æ, Ł, ẞ… lower-case to these).
 * A fold may make the text longer (ß → ss): nothing maps folded positions back to the text as
 * written (the list names the field that matched, from `details`, and never marks characters).
 */
const LETTERS: Readonly<Record<string, string>> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ŋ: 'n',
};
const HAS_UNDECOMPOSED = /[øæœßłđðþıħŧŋ]/;

/**
 * Whether a folded text still holds a letter LETTERS folds: a row's search text stored before
 * those letters were folded (store/rederive.ts derives such rows again). Never true of what
 * foldForSearch returns now.
 */
export function holdsUnfoldedLetters(folded: string): boolean {
  return HAS_UNDECOMPOSED.test(folded);
}

/** The code units LETTERS folds lie in U+00DF–U+0167: what each becomes, by code unit from the first. */
const FIRST_LETTER = 0xdf;
const LETTER_TO: readonly (string | undefined)[] = Array.from({ length: 0x167 - FIRST_LETTER + 1 }, (_, i) => LETTERS[String.fromCharCode(FIRST_LETTER + i)]);

/** LETTERS applied to lower-cased text, in one scan; the text itself when it holds none (no copy). */
function latinLetters(lower: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < lower.length; i++) {
    const k = lower.charCodeAt(i) - FIRST_LETTER;
    if (k < 0 || k >= LETTER_TO.length) continue;
    const to = LETTER_TO[k];
    if (to === undefined) continue;
    out += lower.slice(from, i) + to;
    from = i + 1;
  }
  return from === 0 ? lower : out + lower.slice(from);
}

// Tatweel, zero-width and direction marks; and control characters, which mark the fields of a
// row's search text (segments.ts) and must never come from what was typed.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is dropped
const DROP = /[\u0000-\u0008\u000E-\u001F\u0640\u200B-\u200F\u2060\uFEFF]/g;
const MARKS = /\p{M}/gu;
const OTHER_DIGITS = /[\u0660-\u0669\u06F0-\u06F9\uFF10-\uFF19]/g;

/**
 * Traditional → Simplified by code point, only for characters of the Han script (what the pattern
 * this replaced, /\p{Script=Han}/gu, would have matched): BMP ones in a table by code unit, the
 * others (Extension B and on) in a map.
 */
const SIMPLE_BMP: (string | undefined)[] = [];
const SIMPLE_ASTRAL = new Map<number, string>();
/** Below this no character is of the Han script (U+2E80, the CJK Radicals Supplement). */
const FIRST_HAN = 0x2e80;
{
  const from = [...TRADITIONAL];
  const to = [...SIMPLIFIED];
  const han = /^\p{Script=Han}$/u;
  from.forEach((ch, i) => {
    if (!han.test(ch)) return;
    const cp = ch.codePointAt(0)!;
    if (cp < 0x10000) SIMPLE_BMP[cp] = to[i]!;
    else SIMPLE_ASTRAL.set(cp, to[i]!);
  });
}

/** Traditional Han characters read as Simplified, in one pass (no call a character). */
function simplified(text: string): string {
  let out: TextBuffer | null = null;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < FIRST_HAN) continue;
    let to: string | undefined;
    let width = 1;
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        width = 2;
        to = SIMPLE_ASTRAL.get((c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000);
      }
    } else to = SIMPLE_BMP[c];
    if (to !== undefined) {
      // Copied into one buffer: a long Traditional text makes no two strings a character.
      out ??= new TextBuffer();
      out.append(text, from, i);
      out.append(to);
      from = i + width;
    }
    i += width - 1;
  }
  if (out === null) return text;
  out.append(text, from);
  return out.toString();
}

/** What /\s/ and trim() take for a blank. */
function isBlank(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const BLANKS = /\s+/g;
const FEW_BLANKS = 64;

/**
 * `text.replace(/\s+/g, ' ').trim()` in one pass: every run of blanks one space, none at either
 * end. The text itself when nothing changes; else its code units copied into one buffer (a value
 * of 300,000 line breaks makes no 300,000 matches).
 */
export function collapseBlanks(text: string): string {
  const n = text.length;
  let i = 0;
  // The common case first: nothing to change (single spaces between words only).
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (!isBlank(c)) continue;
    if (c !== 0x20 || i === 0 || i === n - 1 || isBlank(text.charCodeAt(i + 1))) break;
  }
  if (i === n) return text;
  // A long text with a few runs of blanks (a name of two lines of 300,000 characters): the words
  // between them copied whole, natively. Past FEW_BLANKS runs, the copy a code unit at a time below.
  if (n > FEW_BLANKS * 16) {
    const words: string[] = [];
    BLANKS.lastIndex = 0;
    let from = 0;
    let m: RegExpExecArray | null;
    while (words.length <= FEW_BLANKS && (m = BLANKS.exec(text)) !== null) {
      if (m.index > from) words.push(text.slice(from, m.index));
      from = m.index + m[0].length;
    }
    if (words.length <= FEW_BLANKS) {
      if (from < n) words.push(text.slice(from));
      return words.join(' ');
    }
  }
  const out = new Uint16Array(n);
  let k = 0;
  for (let j = 0; j < i; j++) out[k++] = text.charCodeAt(j);
  let pending = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) pending = k > 0;
    else {
      if (pending) {
        out[k++] = 0x20;
        pending = false;
      }
      out[k++] = c;
    }
  }
  return unitsToString(out, k);
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
  if (ascii === 2) return collapseBlanks(text.toLowerCase());
  return collapseBlanks(
    latinLetters(
      simplified(
        text
          .normalize('NFKD')
          .replace(MARKS, '')
          .replace(DROP, '')
          .replace(OTHER_DIGITS, asciiDigit)
          .replace(/[\u0622-\u06D3]/g, (ch) => VARIANTS[ch] ?? ch),
      ).toLowerCase(),
    ),
  );
}

/**
 * `mark + values.map(foldForSearch).join(mark)` (a row's segments of one kind, segments.ts; the
 * marks are control characters, which folding never changes). When every value is ASCII that
 * folding would only lower-case (a list of 500,000 nicknames), the values are joined first and
 * lower-cased once: no folded string a value.
 */
export function foldJoined(values: readonly string[], mark: string): string {
  let plain = true;
  for (let i = 0; i < values.length && plain; i++) {
    const v = values[i]!;
    plain = asciiKind(v) === 1 && v.charCodeAt(0) !== 0x20 && v.charCodeAt(v.length - 1) !== 0x20;
  }
  if (plain) return (mark + values.join(mark)).toLowerCase();
  const folded = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) folded[i] = foldForSearch(values[i]!);
  return mark + folded.join(mark);
}

/** Up to this length a phone number's digits are joined as a string (phoneDigits). */
const SHORT_PHONE = 256;

/** A digit of any script phoneDigits reads, as its ASCII code unit; -1 for anything else. */
function asciiDigitOf(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c;
  if (c >= 0x0660 && c <= 0x0669) return c - 0x0660 + 0x30;
  if (c >= 0x06f0 && c <= 0x06f9) return c - 0x06f0 + 0x30;
  if (c >= 0xff10 && c <= 0xff19) return c - 0xff10 + 0x30;
  return -1;
}

/** Only the digits of a phone number, any script, so `+1 (555) 010-0` finds `15550100`. */
export function phoneDigits(text: string): string {
  // One pass, the digits copied into one buffer (what the two replacements above gave: a number
  // of 600,000 stray characters made 600,000 matches).
  const n = text.length;
  // A number as people write one: the digits joined one by one. A typed array made for each (and
  // decoded) cost 13 times as much in Chromium (500,000 numbers: 1.1 s against 0.08 s), the import
  // worker's hottest function.
  if (n <= SHORT_PHONE) {
    let digits = '';
    for (let i = 0; i < n; i++) {
      const d = asciiDigitOf(text.charCodeAt(i));
      if (d >= 0) digits += String.fromCharCode(d);
    }
    return digits;
  }
  let out: Uint16Array | null = null;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const d = asciiDigitOf(text.charCodeAt(i));
    if (d < 0) continue;
    out ??= new Uint16Array(n - i);
    out[k++] = d;
  }
  return out === null ? '' : unitsToString(out, k);
}

/** Any script's digits as ASCII digits (what a date or number field reads). */
export function asciiDigits(text: string): string {
  return text.replace(OTHER_DIGITS, asciiDigit);
}
