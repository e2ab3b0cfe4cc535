/**
 * What the labels sync needs from the store for one Google account: its labels, favourites,
 * the people joined to cards, and its state (sync tokens, "starred" as last synced). The renderer's
 * store will implement it over its tables (writes in one transaction, through `applyLabelSync`);
 * the tests use a memory one.
 */
import { applyLabelSync, type LabelCardRef, type LabelsApplied, type LabelSnapshot, type LabelSyncWrite } from '../../shared/groups';
import type { StorePort } from '../core/store-port';
import type { CardRef } from './identity';

export type { LabelSnapshot };

export interface LabelStore {
  read(): Promise<LabelSnapshot>;
  /** The Google book's cards: id, server href ('' before the first upload), UID. */
  cards(): Promise<readonly CardRef[]>;
  /** The vCards of these cards (asked only for cards no person is joined to). */
  vcards(ids: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /**
   * One transaction: labels and favourites through `applyLabelSync` (so edits made meanwhile
   * stay), the people links put and removed, and the state when it is given.
   */
  apply(write: LabelSyncWrite): Promise<void>;
}

/** What the last labels sync of a book read, at the store's count of row and labels writes then. */
interface Known {
  readonly written: string;
  readonly snapshot: LabelSnapshot;
  readonly cards: readonly LabelCardRef[];
}

/** Kept by the host between runs (one per account runner): what each Google book's labels sync last read. */
export type LabelReads = Map<string, Known>;

/**
 * A Google book's labels, answered by the renderer's store over the store requests. With `reads`,
 * a sync after one that read the book asks the store whether anything was written since (its
 * count of row and labels writes): if not, it reads nothing and what it read last is used, with
 * its own writes applied as the store applied them.
 */
export function storeLabelStore(store: StorePort, bookId: string, reads?: LabelReads): LabelStore {
  // A labels sync reads the snapshot, then the cards: both come from one read of the book's rows.
  let cards: readonly CardRef[] | null = null;
  return {
    read: async () => {
      const last = reads?.get(bookId);
      const r = await store.request('labelsReadWithCards', bookId, ...(last !== undefined ? [last.written] : []));
      let now: Known;
      if ('unchanged' in r) {
        if (last === undefined || last.written !== r.written) throw new Error('the store answered "unchanged" to a count it was not given');
        now = last;
      } else {
        now = { written: r.written, snapshot: r.snapshot, cards: r.cards };
        if (r.written !== '') reads?.set(bookId, now);
        else reads?.delete(bookId);
      }
      cards = now.cards;
      return now.snapshot;
    },
    cards: async () => {
      const read = cards;
      cards = null;
      return read ?? (await store.request('labelCards', bookId));
    },
    vcards: async (ids) => new Map(await store.request('labelVcards', bookId, ids)),
    apply: async (write) => {
      const last = reads?.get(bookId);
      // Forgotten first: a write that fails, or whose answer is lost, leaves nothing to trust.
      reads?.delete(bookId);
      const r = await store.request('labelsApply', bookId, write, ...(last !== undefined ? [last.written] : []));
      if (last !== undefined && r.followed && r.written !== '') reads?.set(bookId, { written: r.written, snapshot: applied(last.snapshot, write, r), cards: last.cards });
    },
  };
}

/** What the store holds after a write it applied to this snapshot, nothing written between (label-store.ts `labelsApply`). */
function applied(s: LabelSnapshot, write: LabelSyncWrite, r: LabelsApplied): LabelSnapshot {
  const people = new Map(s.people.map((p) => [p.resourceName, p]));
  for (const p of write.people.put) people.set(p.resourceName, p);
  for (const n of write.people.remove) people.delete(n);
  const unstarred = new Set(r.unstarred);
  const favourites = [...new Set([...s.favourites.filter((id) => !unstarred.has(id)), ...r.starred])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { state: write.state ?? s.state, labels: applyLabelSync(s.labels, new Set(), write).labels, favourites, people: [...people.values()] };
}
