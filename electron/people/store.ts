/**
 * What the labels sync needs from the store for one Google account: its labels, favourites,
 * the people joined to cards, and its state (sync tokens, "starred" as last synced). The renderer's
 * store will implement it over its tables (writes in one transaction, through `applyLabelSync`);
 * the tests use a memory one.
 */
import type { LabelSnapshot, LabelSyncWrite } from '../../shared/groups';
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

/** A Google book's labels, answered by the renderer's store over the store requests. */
export function storeLabelStore(store: StorePort, bookId: string): LabelStore {
  // A labels sync reads the snapshot, then the cards: both come from one read of the book's rows.
  let cards: readonly CardRef[] | null = null;
  return {
    read: async () => {
      const r = await store.request('labelsReadWithCards', bookId);
      cards = r.cards;
      return r.snapshot;
    },
    cards: async () => {
      const read = cards;
      cards = null;
      return read ?? (await store.request('labelCards', bookId));
    },
    vcards: async (ids) => new Map(await store.request('labelVcards', bookId, ids)),
    apply: (write) => store.request('labelsApply', bookId, write),
  };
}
