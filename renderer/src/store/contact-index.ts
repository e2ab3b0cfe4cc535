/**
 * The list in memory: every row's list fields, kept sorted with Intl.Collator for the UI language,
 * and searched with a linear scan over pre-folded text (50,000 rows scan in a few milliseconds,
 * far cheaper than keeping IndexedDB indexes for it). Changes are applied only after their
 * transaction commits. React reads it through `subscribe`/`version` (useSyncExternalStore).
 */
import { foldForSearch, phoneDigits } from '../../../shared/search/normalize';
import type { ContactRow } from '../db/schema';

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

  load(rows: readonly ContactRow[]): void {
    this.rows = new Map(rows.map((r) => [r.id, r]));
    this.sorted = [...rows].sort(this.compare);
    this.changed();
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
   * The rows to show, in order: a book's (or all books'), hidden deletions left out, filtered by a
   * query that ignores case, accents, width and Persian/Arabic letter variants; digits in the
   * query also match phone numbers however they are formatted.
   */
  query(q: string, bookId: string | null, favoritesOnly = false): ContactRow[] {
    const folded = foldForSearch(q);
    const digits = phoneDigits(q);
    const words = folded === '' ? [] : folded.split(' ');
    const out: ContactRow[] = [];
    for (const r of this.sorted) {
      if (r.pending === 'deleted') continue;
      if (bookId !== null && r.bookId !== bookId) continue;
      if (favoritesOnly && r.favorite !== 1) continue;
      if (words.length > 0) {
        const textHit = words.every((w) => r.search.includes(w));
        const phoneHit = digits.length >= 3 && r.phones.includes(digits);
        if (!textHit && !phoneHit) continue;
      }
      out.push(r);
    }
    return out;
  }
}

/** The index letter of a name: its first letter without accents, upper-cased; '#' for the rest. */
export function sectionOf(name: string): string {
  const first = [...name.trim()][0];
  if (first === undefined) return '#';
  const folded = foldForSearch(first).toLocaleUpperCase();
  return /\p{L}/u.test(folded) ? folded : '#';
}
