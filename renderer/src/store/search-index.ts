/**
 * The list's search index: the rows as they were when it was built (by ordinal), a TokenIndex of
 * their folded search texts and one of their phone digits. It is built off the critical path, in
 * slices of a few milliseconds while the page is idle, so it never adds a long task to the start
 * or to typing; a row changed after that is not in it (the list searches those few rows one by
 * one) until the next build.
 */
import type { SearchQuery } from '../../../shared/search/query';
import { emptyBits, unite, type RowSet } from '../../../shared/search/row-set';
import { type TokenIndex, TokenIndexBuilder } from '../../../shared/search/token-index';
import type { ContactRow } from '../db/schema';

export class RowSearch {
  private constructor(
    /** The rows, by ordinal, as they were indexed. */
    readonly rows: readonly ContactRow[],
    readonly ordinalOf: ReadonlyMap<string, number>,
    private readonly text: TokenIndex,
    private readonly phones: TokenIndex,
  ) {}

  /** The indexed rows (by ordinal) matching the query: every word in the text, or the digits in a phone number. */
  match(query: SearchQuery): RowSet {
    let found: RowSet | null = null;
    for (const w of query.words) {
      found = found === null ? this.text.textsWith(w) : this.text.within(found, w);
      if (found.count === 0) break;
    }
    found ??= { bits: emptyBits(this.rows.length), count: 0 };
    for (const digits of query.phones) found = unite(found, this.phones.textsWith(digits));
    return found;
  }

  /** Build one in slices: `step` returns true when `result` is ready. */
  static builder(rows: readonly ContactRow[]): { step: (shouldYield: () => boolean) => boolean; result: () => RowSearch } {
    let textBuilder: TokenIndexBuilder | null = null;
    let phonesBuilder: TokenIndexBuilder | null = null;
    let text: TokenIndex | null = null;
    let phones: TokenIndex | null = null;
    const ordinalOf = new Map<string, number>();
    let built: RowSearch | null = null;
    return {
      step: (shouldYield) => {
        // Everything here, even the first copies of the texts, happens in a slice, never in the change that asked for it.
        textBuilder ??= new TokenIndexBuilder(rows.map((r) => r.search));
        if (!textBuilder.step(shouldYield)) return false;
        text ??= textBuilder.finish();
        phonesBuilder ??= new TokenIndexBuilder(rows.map((r) => r.phones));
        if (!phonesBuilder.step(shouldYield)) return false;
        phones ??= phonesBuilder.finish();
        while (ordinalOf.size < rows.length) {
          ordinalOf.set(rows[ordinalOf.size]!.id, ordinalOf.size);
          if (ordinalOf.size % 1024 === 0 && shouldYield()) return false;
        }
        built ??= new RowSearch(rows, ordinalOf, text, phones);
        return true;
      },
      result: () => built!,
    };
  }
}

/** What a build cost, for the benchmark: CPU time in all, and its longest slice. */
export interface BuildCost {
  readonly rows: number;
  /** When its first slice ran (performance.now()). */
  readonly startedAt: number;
  readonly ms: number;
  readonly slices: number;
  readonly longestSliceMs: number;
}

/** A slice stops after this long: a keystroke during a build waits at most about this. */
const SLICE_MS = 8;

interface TaskScheduler {
  postTask(task: () => void, options: { priority: 'background' }): Promise<void>;
}

/** The platform's background tasks (Chromium's `scheduler.postTask`): they run when input and rendering leave room. */
const scheduler = (globalThis as { scheduler?: TaskScheduler }).scheduler;

/**
 * Run `step` in slices until it returns true, then `done`; returns a cancel function. The first
 * slice waits for the page to be idle (after the start's own work); the next ones follow as
 * background tasks, which input and rendering go before. Without those (Node, in tests) timers
 * stand in for them.
 */
export function inIdleSlices(step: (shouldYield: () => boolean) => boolean, done: (cost: BuildCost) => void, rows: number): () => void {
  let cancelled = false;
  let startedAt = 0;
  let ms = 0;
  let slices = 0;
  let longest = 0;
  const slice = () => {
    if (cancelled) return;
    const start = performance.now();
    if (slices === 0) startedAt = start;
    const finished = step(() => performance.now() - start >= SLICE_MS);
    const took = performance.now() - start;
    ms += took;
    slices++;
    longest = Math.max(longest, took);
    if (finished) done({ rows, startedAt, ms, slices, longestSliceMs: longest });
    else if (scheduler !== undefined) void scheduler.postTask(slice, { priority: 'background' });
    else setTimeout(slice, 0);
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(slice, { timeout: 1000 });
  else setTimeout(slice, 0);
  return () => {
    cancelled = true;
  };
}
