/**
 * A substring index over many short texts (each contact's folded search text, or its phone
 * digits), exact: `textsWith(word)` is the texts that contain `word`, as `includes` would say.
 *
 * A text is cut into terms: runs of letters and digits (every code unit beyond ASCII counts as a
 * letter), cut at spaces, control characters and ASCII punctuation. A query word of letters and
 * digits only occurs in a text exactly when it occurs in one of the text's terms. The index keeps
 * each distinct term once, joined into one string that a word is found in with `indexOf`, and
 * for each term the texts that hold it: a word's texts are the union of its terms' postings.
 * Names, streets, cities, groups, e-mail domains and the words of notes repeat across a book, so
 * the terms are a fraction of the text, and a word every contact holds ("friends") is one term
 * whose postings are read instead of 50,000 texts searched.
 *
 * A single character (the first keystroke of every search) is answered from a bit set per
 * character common enough to need one. A word with punctuation ("ada@example.org") is looked for
 * only in the texts that hold each of its terms and each of its common characters.
 *
 * Built in steps (`TokenIndexBuilder.step`) so no step is a long task; immutable once built.
 */
import { add, counted, emptyBits, intersect, members, type RowSet } from './row-set';

/** Between terms in the joined dictionary: a code unit no term holds. */
const JOIN = '\u0000';
/** A character held by at least this share of the texts gets its own bit set. */
const COMMON_CHARACTER = 1 / 64;
/** The words whose results are kept (typing on reuses them; so does a word typed again). */
const REMEMBERED = 48;

/** ASCII letters and digits continue a term; every other ASCII code unit ends one. */
const TERM_ASCII = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TERM_ASCII[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TERM_ASCII[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TERM_ASCII[c] = 1;

const inTerm = (c: number): boolean => c > 0x7f || TERM_ASCII[c] === 1;
/** Code units up to the space never come from a query word (folding drops or collapses them). */
const inWord = (c: number): boolean => c > 0x20;

/** The terms of a word, in order. */
function termsOf(word: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let at = 0; at <= word.length; at++) {
    if (at < word.length && inTerm(word.charCodeAt(at))) {
      if (start < 0) start = at;
    } else if (start >= 0) {
      out.push(word.slice(start, at));
      start = -1;
    }
  }
  return out;
}

/** Terms joined in one string, with where each starts and which term it is. */
interface Dictionary {
  readonly text: string;
  /** starts[k] is where the k-th term starts; one more entry for the end. */
  readonly starts: Int32Array;
  readonly ids: Int32Array;
}

interface WordResult {
  readonly rows: RowSet;
  /** The terms holding the word, kept only when few enough to narrow a longer word to. */
  readonly terms: Int32Array | null;
}

export class TokenIndex {
  private readonly remembered = new Map<string, WordResult>();

  constructor(
    /** The texts, by ordinal, as they were indexed. */
    readonly texts: readonly string[],
    private readonly terms: readonly string[],
    private readonly postingStarts: Int32Array,
    private readonly postings: Int32Array,
    /** Terms of code units up to U+00FF only: a one-byte string, searched fastest. */
    private readonly narrow: Dictionary,
    private readonly wide: Dictionary,
    private readonly characters: ReadonlyMap<number, RowSet>,
  ) {}

  get size(): number {
    return this.texts.length;
  }

  /** The texts holding `word` (a non-empty word without spaces or control characters). */
  textsWith(word: string): RowSet {
    const known = this.remembered.get(word);
    if (known !== undefined) {
      // Refreshed: the oldest entries are the ones forgotten.
      this.remembered.delete(word);
      this.remembered.set(word, known);
      return known.rows;
    }
    const single = word.length === 1 ? this.characters.get(word.charCodeAt(0)) : undefined;
    const terms = single === undefined ? termsOf(word) : [];
    const result: WordResult =
      single !== undefined ? { rows: single, terms: null } : terms.length === 1 && terms[0] === word ? this.ofTerm(word) : { rows: this.verified(word, terms), terms: null };
    if (this.remembered.size >= REMEMBERED) this.remembered.delete(this.remembered.keys().next().value!);
    this.remembered.set(word, result);
    return result.rows;
  }

  /** Of `candidates`, the texts holding `word`: a few are searched one by one, more are asked of the index. */
  within(candidates: RowSet, word: string): RowSet {
    if (candidates.count * 8 >= this.size || this.remembered.has(word)) return intersect(candidates, this.textsWith(word));
    return this.searched(candidates, word);
  }

  /** A word with punctuation: the texts holding all its terms and common characters, searched. */
  private verified(word: string, terms: readonly string[]): RowSet {
    let candidates: RowSet | null = null;
    for (const t of terms) candidates = candidates === null ? this.textsWith(t) : intersect(candidates, this.textsWith(t));
    for (let i = 0; i < word.length; i++) {
      const c = this.characters.get(word.charCodeAt(i));
      if (c !== undefined && !inTerm(word.charCodeAt(i))) candidates = candidates === null ? c : intersect(candidates, c);
    }
    return this.searched(candidates, word);
  }

  /** The texts among `candidates` (all when null) that hold `word`, by searching each. */
  private searched(candidates: RowSet | null, word: string): RowSet {
    const bits = emptyBits(this.size);
    if (candidates === null) {
      for (let i = 0; i < this.size; i++) if (this.texts[i]!.includes(word)) add(bits, i);
    } else for (const i of members(candidates)) if (this.texts[i]!.includes(word)) add(bits, i);
    return counted(bits);
  }

  private ofTerm(word: string): WordResult {
    const terms = this.termsWith(word);
    const bits = emptyBits(this.size);
    for (let k = 0; k < terms.length; k++) {
      const t = terms[k]!;
      for (let p = this.postingStarts[t]!, end = this.postingStarts[t + 1]!; p < end; p++) add(bits, this.postings[p]!);
    }
    return { rows: counted(bits), terms: terms.length * 2 <= this.terms.length ? terms : null };
  }

  /** The terms holding `word`: among a shorter remembered word's terms when it has few, else from the dictionaries. */
  private termsWith(word: string): Int32Array {
    let base: Int32Array | null = null;
    for (const [w, r] of this.remembered) if (r.terms !== null && (base === null || r.terms.length < base.length) && word.includes(w)) base = r.terms;
    if (base !== null) return base.filter((t) => this.terms[t]!.includes(word));
    const found: number[] = [];
    let wide = false;
    for (let i = 0; i < word.length && !wide; i++) wide = word.charCodeAt(i) > 0xff;
    // A word with a character beyond U+00FF cannot be in a term without one.
    if (!wide) scan(this.narrow, word, found);
    scan(this.wide, word, found);
    return Int32Array.from(found);
  }
}

/** Each term of the dictionary that holds `word`, once. */
function scan(d: Dictionary, word: string, out: number[]): void {
  let k = 0;
  let at = d.text.indexOf(word);
  while (at >= 0) {
    // Hits come in order, so the term cursor only moves forward.
    while (d.starts[k + 1]! <= at) k++;
    out.push(d.ids[k]!);
    at = d.text.indexOf(word, d.starts[k + 1]!); // the next term: one hit per term is enough
  }
}

/** Room for more in a growing Int32Array. */
function grown(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

type Phase = 'terms' | 'postings' | 'dictionaries' | 'characters' | 'done';

/** Each phase checks whether to yield after this many texts (or terms, or characters). */
const CHECK_EVERY = 16;

/**
 * Builds a TokenIndex in steps: `step(shouldYield)` works until `shouldYield()` says so (asked
 * every few dozen texts) and returns true when the index is ready for `finish()`.
 */
export class TokenIndexBuilder {
  private phase: Phase = 'terms';
  private next = 0;
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  /** Per term: how many texts hold it, and the last text seen holding it (to count each once). */
  private counts = new Int32Array(1024);
  private lastText = new Int32Array(1024);
  /** Every text's distinct terms, one text after another; text i's end at textEnds[i]. */
  private flat = new Int32Array(1 << 16);
  private flatLength = 0;
  private readonly textEnds: Int32Array;
  /** Per character: the last text seen holding it (to list each once), and the texts holding it. */
  private readonly charLast = new Int32Array(0x10000).fill(-1);
  private readonly charTexts = new Map<number, number[]>();
  private readonly characters = new Map<number, RowSet>();
  private commonCharacters: number[] = [];
  private postingStarts = new Int32Array(0);
  private postings = new Int32Array(0);
  private fill = new Int32Array(0);
  private readonly narrow = new DictionaryWriter();
  private readonly wide = new DictionaryWriter();

  constructor(private readonly texts: readonly string[]) {
    this.textEnds = new Int32Array(texts.length);
  }

  step(shouldYield: () => boolean): boolean {
    for (;;) {
      const phase: Phase = this.phase;
      if (phase === 'done') return true;
      if (phase === 'terms') this.cut(shouldYield);
      else if (phase === 'postings') this.post(shouldYield);
      else if (phase === 'dictionaries') this.sortTerms(shouldYield);
      else this.markCharacters(shouldYield);
      if (this.isBuilding() && shouldYield()) return false;
    }
  }

  private isBuilding(): boolean {
    return this.phase !== 'done';
  }

  finish(): TokenIndex {
    if (this.isBuilding()) throw new Error('the index is not built yet');
    return new TokenIndex(this.texts, this.terms, this.postingStarts, this.postings, this.narrow.seal(), this.wide.seal(), this.characters);
  }

  private cut(shouldYield: () => boolean): void {
    while (this.next < this.texts.length) {
      const i = this.next++;
      const text = this.texts[i]!;
      this.flat = grown(this.flat, this.flatLength + text.length);
      let start = -1;
      for (let at = 0; at < text.length; at++) {
        const c = text.charCodeAt(at);
        if (inWord(c) && this.charLast[c] !== i) {
          this.charLast[c] = i;
          const list = this.charTexts.get(c);
          if (list === undefined) this.charTexts.set(c, [i]);
          else list.push(i);
        }
        if (inTerm(c)) {
          if (start < 0) start = at;
        } else if (start >= 0) {
          this.addTerm(text.slice(start, at), i);
          start = -1;
        }
      }
      if (start >= 0) this.addTerm(text.slice(start), i);
      this.textEnds[i] = this.flatLength;
      if (i % CHECK_EVERY === 0 && shouldYield()) return;
    }
    this.phase = 'postings';
    this.next = 0;
    const n = this.terms.length;
    this.postingStarts = new Int32Array(n + 1);
    for (let t = 0; t < n; t++) this.postingStarts[t + 1] = this.postingStarts[t]! + this.counts[t]!;
    this.postings = new Int32Array(this.postingStarts[n]!);
    this.fill = this.postingStarts.slice(0, n);
  }

  private addTerm(term: string, text: number): void {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
      this.counts = grown(this.counts, id + 1);
      this.lastText = grown(this.lastText, id + 1);
      this.lastText[id] = -1;
    }
    if (this.lastText[id] === text) return;
    this.lastText[id] = text;
    this.counts[id]!++;
    this.flat[this.flatLength++] = id;
  }

  /** Each term's texts, ascending: the texts are visited in order. */
  private post(shouldYield: () => boolean): void {
    while (this.next < this.texts.length) {
      const i = this.next++;
      for (let k = i === 0 ? 0 : this.textEnds[i - 1]!, end = this.textEnds[i]!; k < end; k++) this.postings[this.fill[this.flat[k]!]!++] = i;
      if (i % (CHECK_EVERY * 4) === 0 && shouldYield()) return;
    }
    this.phase = 'dictionaries';
    this.next = 0;
    this.flat = new Int32Array(0);
    this.fill = new Int32Array(0);
    this.counts = new Int32Array(0);
    this.lastText = new Int32Array(0);
    this.ids.clear();
  }

  private sortTerms(shouldYield: () => boolean): void {
    while (this.next < this.terms.length) {
      const t = this.next++;
      const term = this.terms[t]!;
      (isNarrow(term) ? this.narrow : this.wide).add(term, t);
      if (t % (CHECK_EVERY * 16) === 0 && shouldYield()) return;
    }
    this.phase = 'characters';
    // Rare characters are found through the terms; only the common ones keep their texts.
    const common = Math.max(1, Math.ceil(this.texts.length * COMMON_CHARACTER));
    this.commonCharacters = [...this.charTexts].filter(([, texts]) => texts.length >= common).map(([c]) => c);
  }

  private markCharacters(shouldYield: () => boolean): void {
    while (this.commonCharacters.length > 0) {
      const c = this.commonCharacters.pop()!;
      const bits = emptyBits(this.texts.length);
      for (const t of this.charTexts.get(c)!) add(bits, t);
      this.characters.set(c, counted(bits));
      if (shouldYield()) return;
    }
    this.charTexts.clear();
    this.phase = 'done';
  }
}

function isNarrow(term: string): boolean {
  for (let i = 0; i < term.length; i++) if (term.charCodeAt(i) > 0xff) return false;
  return true;
}

/** Writes a Dictionary a part at a time (joining 150,000 terms at once would be a long task). */
class DictionaryWriter {
  private readonly chunks: string[] = [];
  private pending: string[] = [];
  private readonly starts: number[] = [];
  private readonly ids: number[] = [];
  private length = 0;

  add(term: string, id: number): void {
    this.starts.push(this.length);
    this.ids.push(id);
    this.pending.push(term);
    this.length += term.length + 1;
    if (this.pending.length === 4096) this.flush();
  }

  private flush(): void {
    if (this.pending.length > 0) this.chunks.push(this.pending.join(JOIN) + JOIN);
    this.pending = [];
  }

  seal(): Dictionary {
    this.flush();
    this.starts.push(this.length);
    return { text: this.chunks.join(''), starts: Int32Array.from(this.starts), ids: Int32Array.from(this.ids) };
  }
}
