/**
 * Names as duplicate keys. A name is folded as search folds it (case, accents, width, Persian and
 * Arabic letter variants; `shared/search/normalize.ts`), plus Traditional → Simplified Chinese
 * and the Latin letters that have no decomposition (ł, ø, ß, æ…). Titles are dropped ("Dr.",
 * "Frau", "آقای", 王先生 → 王). It is then cut into tokens: words, and each Han or Hangul
 * character on its own, because CJK names are written without spaces in either order (张伟,
 * 伟 张, or N:张;伟). Tokens are sorted, so order never matters: "Smith, John" = "John Smith".
 */
import { foldForSearch } from '../search/normalize';
import { toSimplified } from './chinese';
import { CJK_SUFFIXES, HONORIFIC_WORDS } from './honorifics';

const LETTERS: Readonly<Record<string, string>> = { ł: 'l', ø: 'o', đ: 'd', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i', ħ: 'h', þ: 'th', ð: 'd' };
const UNDECOMPOSED = /[łøđßæœıħþð]/g;

/** The folding every name key goes through. NFC at the end puts Hangul syllables back together. */
export function foldName(text: string): string {
  return foldForSearch(toSimplified(text))
    .replace(UNDECOMPOSED, (ch) => LETTERS[ch]!)
    .normalize('NFC');
}

const WORD_BREAK = /[\s,;:()[\]{}"“”„«»/\\|_+&]+/u;
const PART_BREAK = /[.\-‐–'’·・]+/u;
/** Characters that are each a token: a Han character or a Hangul syllable is a whole name part. */
const CJK_RUNS = /[\p{Script=Han}\p{Script=Hangul}]|[^\p{Script=Han}\p{Script=Hangul}]+/gu;
const HAS_CJK = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;

function isHonorific(word: string): boolean {
  return HONORIFIC_WORDS.has(word.replace(/\./g, '')) || CJK_SUFFIXES.includes(word);
}

function withoutCjkSuffix(word: string): string {
  if (!HAS_CJK.test(word)) return word;
  for (const suffix of CJK_SUFFIXES) if (word.length > suffix.length && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  return word;
}

/** The sorted tokens of a name, titles removed (unless the name is nothing but a title). */
export function nameTokens(text: string): string[] {
  const words = foldName(text).split(WORD_BREAK).filter((w) => w !== '');
  const named = words.filter((w) => !isHonorific(w));
  const tokens: string[] = [];
  for (const word of named.length > 0 ? named : words) {
    for (const part of withoutCjkSuffix(word).split(PART_BREAK)) {
      if (part === '') continue;
      if (HAS_CJK.test(part)) tokens.push(...(part.match(CJK_RUNS) ?? []));
      else tokens.push(part);
    }
  }
  return tokens.sort();
}

/**
 * How two names relate. `unknown` when either is missing or they share no script ("Zhang Wei"
 * and 张伟 may be one person: nothing for, nothing against). `similar` when one name's tokens
 * are all found in the other, a single Latin letter standing for a word it begins ("J. Smith",
 * "Smith", "John A. Smith" against "John Smith"). `different` otherwise ("John Smith" and "Jane
 * Smith"): a strong sign of two people, whatever else they share.
 */
export type NameRelation = 'same' | 'similar' | 'unknown' | 'different';

type Script = 'latin' | 'arabic' | 'cjk' | 'cyrillic' | 'greek' | 'hebrew' | 'other';

function scriptOf(token: string): Script {
  if (HAS_CJK.test(token)) return 'cjk';
  if (/\p{Script=Arabic}/u.test(token)) return 'arabic';
  if (/\p{Script=Cyrillic}/u.test(token)) return 'cyrillic';
  if (/\p{Script=Greek}/u.test(token)) return 'greek';
  if (/\p{Script=Hebrew}/u.test(token)) return 'hebrew';
  if (/[\p{Script=Latin}\d]/u.test(token)) return 'latin';
  return 'other';
}

const isInitial = (t: string): boolean => t.length === 1 && /\p{Script=Latin}/u.test(t);

/** Every token of `short` matched to a distinct token of `long`: equal first, then as an initial. */
function covers(long: readonly string[], short: readonly string[]): boolean {
  const free = [...long];
  const rest: string[] = [];
  for (const t of short) {
    const at = free.indexOf(t);
    if (at >= 0) free.splice(at, 1);
    else rest.push(t);
  }
  for (const t of rest) {
    const at = free.findIndex((f) => (isInitial(t) && f.startsWith(t)) || (isInitial(f) && t.startsWith(f)));
    if (at < 0) return false;
    free.splice(at, 1);
  }
  return true;
}

export function nameRelation(a: readonly string[], b: readonly string[]): NameRelation {
  if (a.length === 0 || b.length === 0) return 'unknown';
  if (a.length === b.length && a.every((t, i) => t === b[i])) return 'same';
  const scriptsA = new Set(a.map(scriptOf));
  if (!b.some((t) => scriptsA.has(scriptOf(t)))) return 'unknown';
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  return covers(long, short) ? 'similar' : 'different';
}
