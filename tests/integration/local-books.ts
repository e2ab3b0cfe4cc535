/**
 * One address book on this computer as a test drives it: the collection the sync engine talks to,
 * and the user's writes (create, edit, delete, undo) as the app makes them. Two of them: the
 * renderer's real Dexie store (ContactRepo + sync-store over fake-indexeddb, behind the store
 * requests as in the app) and the in-memory collection of the engine's tests. The contract suite
 * and the model-based tester run the same steps on both.
 */
import 'fake-indexeddb/auto';
import type { StorePort } from '../../electron/core/store-port';
import type { LocalCollection } from '../../electron/sync/local';
import { storeCollection } from '../../electron/sync/store-collection';
import type { StoredContact } from '../../renderer/src/db/repo';
import type { PendingMark } from '../../shared/sync/types';
import { parseVCard, resolveConflicts, serializeVCard, type ConflictChoice, type MergeConflict } from '../../shared/vcard';
import { MemoryCollection, type Row } from './memory-collection';
import { openStore } from './renderer-store';

/** What a test looks at in a row. */
export interface RowView {
  readonly id: string;
  readonly vcard: string;
  readonly base: string;
  readonly href: string;
  readonly etag: string;
  readonly pending: PendingMark;
  /** Shown in the list (a row waiting to be deleted on the server is not). */
  readonly visible: boolean;
  readonly error?: string;
  readonly conflicts?: readonly MergeConflict[];
  readonly attempted: boolean;
  readonly source?: string;
  readonly revision: number;
}

export interface LocalBook {
  readonly kind: 'memory' | 'dexie';
  readonly bookId: string;
  /** From now on, the book of this id (its id is known once the account is made). */
  useBook(bookId: string): void;
  /** What the engine is given. */
  collection: LocalCollection;
  /** The store requests, where the book sits behind them (Dexie), for a manager. */
  readonly port: StorePort | null;
  create(vcard: string): Promise<string>;
  edit(id: string, vcard: string): Promise<void>;
  /** Delete, returning the undo. */
  remove(id: string): Promise<() => Promise<void>>;
  /** Settle every open conflict of a card with one side's values, as the conflict view does. */
  resolve(id: string, choice: ConflictChoice): Promise<void>;
  row(id: string): Promise<RowView | undefined>;
  rows(): Promise<RowView[]>;
  /** The page goes away and comes back on the same data (Dexie: the database closed and opened). */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export type LocalBookKind = LocalBook['kind'];

/** The Dexie book, with the page's own objects for what the page itself does (merges, restores). */
export interface DexieBook extends LocalBook {
  readonly kind: 'dexie';
  /** The page's store as it is now: its repo, in-memory list and groups (new ones after a reopen). */
  page(): Awaited<ReturnType<typeof openStore>>;
}

function viewOfMemory(r: Row): RowView {
  return {
    id: r.id,
    vcard: r.vcard,
    base: r.base,
    href: r.href,
    etag: r.etag,
    pending: r.pending,
    visible: r.pending !== 'deleted',
    attempted: r.attempted === true,
    revision: r.revision,
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.conflicts !== undefined ? { conflicts: r.conflicts } : {}),
    ...(r.source !== undefined ? { source: r.source } : {}),
  };
}

export function memoryBook(): LocalBook {
  const m = new MemoryCollection();
  return {
    kind: 'memory',
    bookId: 'memory',
    useBook: () => {},
    collection: m,
    port: null,
    create: async (vcard) => m.create(vcard),
    edit: async (id, vcard) => {
      m.edit(id, vcard);
    },
    remove: async (id) => {
      const before = m.remove(id);
      return async () => {
        if (before !== undefined) m.restore(before);
      };
    },
    resolve: async (id, choice) => {
      const r = m.cards.get(id);
      if (r?.conflicts === undefined) return;
      const settled = serializeVCard(resolveConflicts(parseVCard(r.vcard), r.conflicts, r.conflicts.map(() => choice)));
      const { conflicts: _c, remote: _r, ...rest } = r;
      m.cards.set(id, { ...rest, vcard: settled, pending: 'updated', revision: r.revision + 1 });
    },
    row: async (id) => {
      const r = m.cards.get(id);
      return r === undefined ? undefined : viewOfMemory(r);
    },
    rows: async () => [...m.cards.values()].map(viewOfMemory),
    reopen: async () => {},
    close: async () => {},
  };
}

let opened = 0;

/** The renderer's store as the app builds it, in fake-indexeddb, with one synced book. */
export async function dexieBook(name = `book-${process.pid}-${++opened}`, firstBookId = 'server-book'): Promise<DexieBook> {
  let store = await openStore(name);
  let bookId = firstBookId;
  await store.port.request('ensureBook', bookId, 'Server book');
  // The port outlives a reopen: the engine keeps talking to the same collection.
  const port: StorePort = { request: (req, ...args) => store.port.request(req, ...args) };
  const view = async (id: string): Promise<RowView | undefined> => {
    const row = await store.repo.db.contacts.get(id);
    const card = await store.repo.db.cards.get(id);
    if (row === undefined || card === undefined) return undefined;
    return {
      id,
      vcard: card.vcard,
      base: card.base,
      href: card.href,
      etag: card.etag,
      pending: row.pending,
      visible: store.index.get(id) !== undefined && store.index.get(id)!.pending !== 'deleted',
      attempted: card.attempted === true,
      revision: card.revision ?? 0,
      ...(card.error !== undefined ? { error: card.error } : {}),
      ...(card.conflicts !== undefined ? { conflicts: card.conflicts } : {}),
      ...(card.source !== undefined ? { source: card.source } : {}),
    };
  };
  const book: DexieBook = {
    kind: 'dexie',
    page: () => store,
    get bookId() {
      return bookId;
    },
    useBook: (id) => {
      bookId = id;
      book.collection = storeCollection(port, id);
    },
    collection: storeCollection(port, bookId),
    port,
    create: async (vcard) => {
      const stored = await store.repo.create(bookId, parseVCard(vcard));
      store.index.upsert([stored.row]);
      return stored.row.id;
    },
    edit: async (id, vcard) => {
      const stored = await store.repo.update(id, parseVCard(vcard));
      store.index.upsert([stored.row]);
    },
    remove: async (id) => {
      // As actions.ts: the rows go from the list; those waiting for the server stay, hidden.
      const removed: StoredContact[] = await store.repo.remove([id]);
      store.index.remove([id]);
      return async () => {
        const back = await store.repo.restore(removed);
        store.index.upsert(back.map((r) => r.row));
      };
    },
    resolve: async (id, choice) => {
      const card = await store.repo.db.cards.get(id);
      if (card?.conflicts === undefined) return;
      const stored = await store.repo.resolveConflict(id, resolveConflicts(parseVCard(card.vcard), card.conflicts, card.conflicts.map(() => choice)));
      store.index.upsert([stored.row]);
    },
    row: view,
    rows: async () => {
      const ids = (await store.repo.db.contacts.where('bookId').equals(bookId).primaryKeys()) as string[];
      return (await Promise.all(ids.map(view))).filter((r): r is RowView => r !== undefined);
    },
    reopen: async () => {
      store.repo.db.close();
      store = await openStore(name);
    },
    close: async () => {
      store.repo.db.close();
    },
  };
  return book;
}

export const LOCAL_BOOKS: readonly [LocalBookKind, () => Promise<LocalBook>][] = [
  ['memory', async () => memoryBook()],
  ['dexie', () => dexieBook()],
];
