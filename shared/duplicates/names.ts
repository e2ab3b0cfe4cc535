/**
 * Names as duplicate keys. A name is folded as search folds it (case, accents, width, Persian and
 * Arabic letter variants, the Latin letters that have no decomposition: ł, ø, ß, æ…;
 * `shared/search/normalize.ts`), plus Traditional → Simplified Chinese. Titles are dropped ("Dr.",
 * "Frau", "آقای", 王先生 → 王). It is then cut into tokens and sorted, so word order never
 * matters: "Smith, John" = "John Smith". Han and Hangul are written without spaces, family name
 * first or last (张伟, 伟 张, N:张;伟): they become one token, the smallest rotation of their
 * characters, so 张伟 = 伟张 while 张兰鹏 and 张鹏兰 (two people) stay apart.
 */
import { foldForSearch } from '../search/normalize';
import { toSimplified } from './chinese';
import { CJK_SUFFIXES, HONORIFIC_WORDS } from './honorifics';

/** The folding every name key goes through. NFC at the end puts Hangul syllables back together. */
export function foldName(text: string): string {
  return foldForSearch(toSimplified(text)).normalize('NFC');
}

const WORD_BREAK = /[\s,;:()[\]{}"“”„«»/\\|_+&]+/u;
const PART_BREAK = /[.\-‐–'’·・]+/u;
const HAN_HANGUL = /[\p{Script=Han}\p{Script=Hangul}]/u;
const HAS_CJK = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;

function isHonorific(word: string): boolean {
  return HONORIFIC_WORDS.has(word.replace(/\./g, '')) || CJK_SUFFIXES.includes(word);
}

function withoutCjkSuffix(word: string): string {
  if (!HAS_CJK.test(word)) return word;
  for (const suffix of CJK_SUFFIXES) if (word.length > suffix.length && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  return word;
}

/** The smallest rotation: the same for 张伟 and 伟张, whichever part was written first. */
function smallestRotation(chars: readonly string[]): string {
  let best = chars.join('');
  for (let i = 1; i < chars.length; i++) {
    const r = [...chars.slice(i), ...chars.slice(0, i)].join('');
    if (r < best) best = r;
  }
  return best;
}

/** The sorted tokens of a name, titles removed (unless the name is nothing but a title). */
export function nameTokens(text: string): string[] {
  const words = foldName(text).split(WORD_BREAK).filter((w) => w !== '');
  const named = words.filter((w) => !isHonorific(w));
  const tokens: string[] = [];
  const cjk: string[] = [];
  for (const word of named.length > 0 ? named : words) {
    for (const part of withoutCjkSuffix(word).split(PART_BREAK)) {
      if (part === '') continue;
      if (HAN_HANGUL.test(part)) cjk.push(...part);
      else tokens.push(part);
    }
  }
  if (cjk.length > 0) tokens.push(smallestRotation(cjk));
  return tokens.sort();
}

/** A name of two parts or more (a CJK token of two characters is family and given name). */
export function isFullName(tokens: readonly string[]): boolean {
  return tokens.length > 1 || (tokens.length === 1 && HAN_HANGUL.test(tokens[0]!) && [...tokens[0]!].length > 1);
}

/**
 * How two names relate. `unknown` when either is missing or they share no script ("Zhang Wei"
 * and 张伟 may be one person: nothing for, nothing against). `similar` when one name's tokens
 * are all found in the other, a single Latin letter standing for a word it begins ("J. Smith",
 * "Smith", "John A. Smith" against "John Smith"), an umlaut written out standing for the letter
 * ("Mueller", "Müller"), a common English short form for its given name ("Bob", "Robert").
 * `different` otherwise ("John Smith" and "Jane Smith"): a strong sign of two people, whatever
 * else they share.
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

/**
 * A German umlaut written out: Müller folds to "muller" and Mueller stays "mueller" (ae, oe, ue
 * for ä, ö, ü). Only ever a sign of likeness, never of sameness: "Michael" and "Michal" read so
 * are two names, and a name alone never proposes a merge on a `similar`.
 */
const withoutUmlautE = (t: string): string => t.replace(/([aou])e/g, '$1');

/**
 * English given names and their common short forms, folded (lower case): Bob Smith and Robert
 * Smith, one number between them, are one person more often than a family. Each group is one
 * name; a short form in two groups (Al: Albert, Alan, Alexander) joins neither.
 */
const NICKNAME_GROUPS: readonly (readonly string[])[] = [
  ['robert', 'bob', 'bobby', 'rob', 'robbie', 'bert'],
  ['william', 'bill', 'billy', 'will', 'willy', 'liam'],
  ['richard', 'rick', 'ricky', 'dick', 'rich', 'richie'],
  ['james', 'jim', 'jimmy', 'jamie'],
  ['john', 'jack', 'johnny', 'jon'],
  ['michael', 'mike', 'mikey', 'mick', 'mickey'],
  ['thomas', 'tom', 'tommy'],
  ['joseph', 'joe', 'joey'],
  ['charles', 'charlie', 'chuck', 'chas'],
  ['edward', 'ed', 'eddie', 'ted', 'teddy', 'ned'],
  ['anthony', 'tony'],
  ['daniel', 'dan', 'danny'],
  ['david', 'dave', 'davy'],
  ['christopher', 'chris', 'kit'],
  ['matthew', 'matt'],
  ['nicholas', 'nick', 'nicky'],
  ['benjamin', 'ben', 'benny'],
  ['samuel', 'sam', 'sammy'],
  ['steven', 'stephen', 'steve'],
  ['andrew', 'andy', 'drew'],
  ['peter', 'pete'],
  ['patrick', 'pat', 'paddy'],
  ['timothy', 'tim', 'timmy'],
  ['kenneth', 'ken', 'kenny'],
  ['gregory', 'greg'],
  ['jonathan', 'jon', 'jonny'],
  ['elizabeth', 'liz', 'lizzie', 'beth', 'betty', 'eliza', 'betsy', 'libby'],
  ['margaret', 'maggie', 'meg', 'peggy', 'marge', 'margie'],
  ['katherine', 'catherine', 'kathryn', 'kate', 'katie', 'kathy', 'cathy', 'kat'],
  ['jennifer', 'jen', 'jenny'],
  ['susan', 'sue', 'susie', 'suzy'],
  ['deborah', 'debra', 'deb', 'debbie'],
  ['rebecca', 'becky', 'becca'],
  ['patricia', 'patty', 'trish', 'tricia'],
  ['victoria', 'vicky', 'tori'],
  ['alexandra', 'alex', 'sandra', 'sandy'],
  ['jessica', 'jess', 'jessie'],
  ['barbara', 'barb', 'babs'],
  ['dorothy', 'dot', 'dottie'],
  ['abigail', 'abby', 'gail'],
];
const NICKNAMES: ReadonlyMap<string, number> = (() => {
  const seen = new Map<string, number>();
  const twice = new Set<string>();
  NICKNAME_GROUPS.forEach((group, i) => {
    for (const name of group) {
      if (seen.has(name) && seen.get(name) !== i) twice.add(name);
      seen.set(name, i);
    }
  });
  for (const name of twice) seen.delete(name);
  return seen;
})();

/**
 * One token stands for another: equal, an initial of it, (CJK) part of the name read round, the
 * same name with an umlaut written out, or a short form of the same given name.
 */
function standsFor(t: string, f: string): boolean {
  if (t === f) return true;
  if (isInitial(t)) return f.startsWith(t);
  if (isInitial(f)) return t.startsWith(f);
  if (HAN_HANGUL.test(t) || HAN_HANGUL.test(f)) return HAN_HANGUL.test(t) && HAN_HANGUL.test(f) && t.length < f.length && (f + f).includes(t);
  if (withoutUmlautE(t) === withoutUmlautE(f)) return true;
  const group = NICKNAMES.get(t);
  return group !== undefined && NICKNAMES.get(f) === group;
}

/** Every token of `short` stands for a distinct token of `long`: equal ones matched first. */
function covers(long: readonly string[], short: readonly string[]): boolean {
  const free = [...long];
  const rest: string[] = [];
  for (const t of short) {
    const at = free.indexOf(t);
    if (at >= 0) free.splice(at, 1);
    else rest.push(t);
  }
  for (const t of rest) {
    const at = free.findIndex((f) => standsFor(t, f));
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
  return covers(a, b) || covers(b, a) ? 'similar' : 'different';
}
