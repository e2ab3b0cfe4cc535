/**
 * The list in memory: every row's list fields, kept sorted with Intl.Collator for the UI language,
 * and searched with a linear scan over pre-folded text (50,000 rows scan in a few milliseconds,
 * far cheaper than keeping IndexedDB indexes for it). Changes are applied only after their
 * transaction commits. React reads it through `subscribe`/`version` (useSyncExternalStore).
 */
import { foldForSearch, phoneDigits } from '../../../shared/search/normalize';
import type { ContactRow } from '../db/schema';

interface Haystack {
  text: string;
  starts: Int32Array;
}

export class ContactIndex {
  private rows = new Map<string, ContactRow>();
  private sorted: ContactRow[] = [];
  private collator: Intl.Collator;
  private listeners = new Set<() => void>();
  version = 0;

  constructor(locale: string) {
    this.collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  private changed(): void {
    this.version++;
    this.haystack = null;
    for (const l of this.listeners) l();
  }

  private compare = (a: ContactRow, b: ContactRow): number => {
    // Nameless contacts sort last; ties keep a stable order by id.
    if ((a.sortName === '') !== (b.sortName === '')) return a.sortName === '' ? 1 : -1;
    return this.collator.compare(a.sortName, b.sortName) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  };

  setLocale(locale: string): void {
    this.collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
    this.sorted.sort(this.compare);
    this.changed();
  }

  /** Until the whole list is loaded: how many rows there will be (the head is shown meanwhile). */
  expected: number | null = null;

  load(rows: readonly ContactRow[], alreadySorted = false): void {
    this.rows = new Map(rows.map((r) => [r.id, r]));
    this.sorted = alreadySorted ? [...rows] : [...rows].sort(this.compare);
    this.expected = null;
    this.changed();
  }

  /** Show the first rows of a saved list while the rest loads. */
  loadHead(rows: readonly ContactRow[], total: number): void {
    this.load(rows, true);
    this.expected = total;
  }

  /** Build the search text now (when idle), so the first query does not pay for it. */
  warm(): void {
    this.haystack ??= this.buildHaystack();
  }

  get(id: string): ContactRow | undefined {
    return this.rows.get(id);
  }

  get size(): number {
    return this.rows.size;
  }

  /** Insert or replace rows, keeping the order (binary insertion: no full re-sort per edit). */
  upsert(rows: readonly ContactRow[]): void {
    if (rows.length > 500) {
      for (const r of rows) this.rows.set(r.id, r);
      this.sorted = [...this.rows.values()].sort(this.compare);
      this.changed();
      return;
    }
    for (const r of rows) {
      const old = this.rows.get(r.id);
      if (old !== undefined) this.removeSorted(old);
      this.rows.set(r.id, r);
      this.sorted.splice(this.lowerBound(r), 0, r);
    }
    this.changed();
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) {
      const old = this.rows.get(id);
      if (old === undefined) continue;
      this.removeSorted(old);
      this.rows.delete(id);
    }
    this.changed();
  }

  private lowerBound(r: ContactRow): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.sorted[mid]!, r) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private removeSorted(r: ContactRow): void {
    const at = this.lowerBound(r);
    if (this.sorted[at]?.id === r.id) this.sorted.splice(at, 1);
    else this.sorted = this.sorted.filter((x) => x.id !== r.id);
  }

  /**
   * Every row's folded search text in list order as one string (and the phone digits as another),
   * with the start of each row: a query is a few `indexOf` scans (SIMD-fast in V8) instead of
   * 50,000 small string searches. Rebuilt lazily after changes.
   */
  private haystack: { text: Haystack; phones: Haystack } | null = null;

  private buildHaystack(): { text: Haystack; phones: Haystack } {
    const build = (field: 'search' | 'phones'): Haystack => {
      const starts = new Int32Array(this.sorted.length + 1);
      let at = 0;
      const parts = this.sorted.map((r, i) => {
        starts[i] = at;
        at += r[field].length + 1;
        return r[field];
      });
      starts[this.sorted.length] = at;
      return { text: `${parts.join('\u0000')}\u0000`, starts };
    };
    return { text: build('search'), phones: build('phones') };
  }

  /** Mark the rows (by list position) whose search text, or phone digits, contain `needle`. */
  private scan(needle: string, where: 'text' | 'phones'): Uint8Array {
    this.haystack ??= this.buildHaystack();
    const { text, starts } = this.haystack[where];
    const hits = new Uint8Array(this.sorted.length);
    let row = 0;
    let pos = text.indexOf(needle);
    while (pos >= 0) {
      // Hits come in increasing order, so the row cursor only moves forward.
      while (starts[row + 1]! <= pos) row++;
      hits[row] = 1;
      pos = text.indexOf(needle, starts[row + 1]!); // next row: one hit per row is enough
    }
    return hits;
  }

  /**
   * The rows to show, in order: a book's (or all books'), hidden deletions left out, filtered by a
   * query that ignores case, accents, width and Persian/Arabic letter variants: every word must
   * appear; digits in the query also match phone numbers however they are formatted.
   */
  query(q: string, bookId: string | null, favoritesOnly = false): ContactRow[] {
    const folded = foldForSearch(q);
    const digits = phoneDigits(q);
    const words = folded === '' ? [] : folded.split(' ');
    const keep = (r: ContactRow) => r.pending !== 'deleted' && (bookId === null || r.bookId === bookId) && (!favoritesOnly || r.favorite === 1);
    if (words.length === 0) return this.sorted.filter(keep);
    // Longest word first: it usually leaves the fewest rows, and the others only narrow it.
    const ordered = [...words].sort((a, b) => b.length - a.length);
    const hits = this.scan(ordered[0]!, 'text');
    for (const w of ordered.slice(1)) {
      const more = this.scan(w, 'text');
      for (let i = 0; i < hits.length; i++) hits[i]! &= more[i]!;
    }
    if (digits.length >= 3) {
      const phones = this.scan(digits, 'phones');
      for (let i = 0; i < hits.length; i++) hits[i]! |= phones[i]!;
    }
    const out: ContactRow[] = [];
    for (let i = 0; i < hits.length; i++) {
      if (hits[i] === 1 && keep(this.sorted[i]!)) out.push(this.sorted[i]!);
    }
    return out;
  }

  /** Rows of these books with a change not yet on the server (deletions included). */
  pendingIn(bookIds: ReadonlySet<string>): number {
    let n = 0;
    for (const r of this.rows.values()) if (r.pending !== '' && bookIds.has(r.bookId)) n++;
    return n;
  }

  /** Every row in list order (for the snapshot that makes the next start fast). */
  snapshot(): readonly ContactRow[] {
    return this.sorted;
  }
}

const sectionCache = new Map<string, string>();

/** The index letter of a name: its first letter without accents, upper-cased; '#' for the rest. */
export function sectionOf(name: string): string {
  const cp = name.trimStart().codePointAt(0);
  if (cp === undefined) return '#';
  const first = String.fromCodePoint(cp);
  let section = sectionCache.get(first);
  if (section === undefined) {
    const folded = foldForSearch(first).toLocaleUpperCase();
    section = /\p{L}/u.test(folded) ? folded : '#';
    sectionCache.set(first, section);
  }
  return section;
}
