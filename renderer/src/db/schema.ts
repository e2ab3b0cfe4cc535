/**
 * The renderer's durable store (IndexedDB through Dexie). Two contact tables on purpose:
 * `contacts` holds the small list fields every screen needs (loaded whole at start), `cards` the
 * vCards and sync state (read one at a time). Both are written in one transaction.
 */
import Dexie, { type DBCore, type DBCoreMutateRequest, type DBCoreMutateResponse, type DBCoreRangeType, type DBCoreTable, type DBCoreTransaction, type EntityTable, type Middleware } from 'dexie';
import type { ListFields } from '../../../shared/book/derive';
import type { StoredCapabilities } from '../../../shared/sync/types';
import type { MergeConflict } from '../../../shared/vcard';
import { cardPrint, type StoredKeys } from '../../../shared/duplicates/keys';
import { deriveAll, deriveGroupRows } from './derive-rows';
import { byPage, mayHold, pageEntries, pageRow, type KeysPage } from './keys-pages';

export type BookKind = 'local' | 'carddav' | 'google' | 'gdata';

export interface BookRow {
  id: string;
  name: string;
  kind: BookKind;
  /** The vCard version new cards in this book are written in. */
  version: '3.0' | '4.0';
  createdAt: number;
  /** Sync state of a server book, saved with the last batch of a sync run. */
  syncToken?: string | null;
  ctag?: string | null;
  capabilities?: StoredCapabilities;
  /** Hrefs written since the saved token (see SyncState.written). */
  written?: readonly string[];
}

/** The offline queue: a row's change not yet on the server. Empty when clean. */
export type PendingMark = '' | 'created' | 'updated' | 'deleted';

/** A synced card's trouble, shown in the list: refused by the server, or waiting for a decision. */
export type SyncFlag = '' | 'error' | 'conflict';

export interface ContactRow extends ListFields {
  id: string;
  bookId: string;
  favorite: 0 | 1;
  pending: PendingMark;
  /** Not indexed; absent on rows written before sync existed. */
  flag?: SyncFlag;
  updatedAt: number;
}

export interface CardRow {
  id: string;
  bookId: string;
  /** The raw vCard as known locally. */
  vcard: string;
  /** The raw vCard as last synced, for three-way merge; '' for the local book or a new card. */
  base: string;
  href: string;
  etag: string;
  /** Why the server refused this card's last upload (it stays pending). */
  error?: string;
  /** Both sides changed the same properties: what the user has to decide. */
  conflicts?: readonly MergeConflict[];
  /** The server's version at the time of the conflict, for the side-by-side view. */
  remote?: string;
  /** A create was sent; its answer may have been lost. */
  attempted?: boolean;
  /** The revision that create sent, and what identified it (see LocalCard.sentPrint). */
  sentRevision?: number;
  sentPrint?: string;
  /** The text of the version sent (see LocalCard.sentVcard). */
  sentVcard?: string;
  /** Texts sent by earlier attempts (see LocalCard.sentEarlier). */
  sentEarlier?: string[];
  /** The server's own representation as received (GData: the Atom entry), the base of its edits. */
  source?: string;
  /**
   * Moves on with every local write (edit, delete, undo; absent is 0). The sync engine hands back
   * the revision it sent, and the store never lets a server's answer overwrite a newer local write.
   */
  revision?: number;
  /**
   * The duplicate finder's keys of `vcard` (shared/duplicates/keys.ts) as a writer hands them in
   * (the import worker made them): since schema 8 the store moves them into the `dupkeys` table
   * (keys-pages.ts) and leaves them out of the card (`cardKeys`). Cards written under schema 6 and 7
   * may still carry them, with the print of the text they were made from; nothing needs them
   * there since (the upgrade to 8 copied those still true).
   */
  keys?: StoredKeys;
  /**
   * Schema 9: the contact was made by an import (run `run`, at history stamp `at`) and this card
   * was its text then (`print`: `cardPrint` of it). An import writes no version row for a new
   * contact: while the card's text keeps that print, its first version is this one, read from
   * here (`importedVersion`, history.ts); the card's next change writes it as a version row of
   * its own (`recordVersions`, id `importedVersionId`). Writers that rebuild a card carry it on
   * (`rowsFrom`, the sync's `rowsFor`); a stale one (another print) means nothing.
   */
  imported?: ImportedFact;
}

/** Where and when a contact's import made it (CardRow.imported). */
export interface ImportedFact {
  run: string;
  at: number;
  print: string;
}

/**
 * A synced card's href and ETag (schema 7), what a sync asks for first (`knownEtags`): a small
 * row per card, read for a book in one request instead of every card whole, and how a card is
 * found by its href (the cards have no index). Written by the store itself in every transaction
 * that writes cards (`cardEtags`), never by hand.
 */
export interface EtagRow {
  id: string;
  bookId: string;
  href: string;
  etag: string;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

/** What made a version: an edit here, a server's change seen by a sync, an import, a restore. */
export type VersionSource = 'earlier' | 'create' | 'edit' | 'conflict' | 'sync' | 'import' | 'restore' | 'undo' | 'merge';

/**
 * One state of a contact's vCard (history). `by` is who made it: this computer, or the server of
 * the book it was in (the window names the account from the book). An `earlier` version is the
 * card as it was when history started for it (its first change after history existed).
 */
export interface VersionRow {
  id: string;
  contactId: string;
  bookId: string;
  /** When it was recorded (ms); unique and increasing within a contact's versions. */
  at: number;
  /** The card's text at that state; '' in a stored row that has `card` instead. */
  vcard: string;
  /**
   * Set instead of the text when the version is what its card holds (an import's new contact:
   * the text is written once, in the card): the print of that text (`cardPrint`). The text is
   * written into the version by the next change of the card (`recordVersions`, which is given
   * the text before the change); until then readers take it from the card, or from the trash row
   * (`withText`). Never set on what `versionsOf` returns.
   */
  card?: string;
  source: VersionSource;
  by: 'local' | 'server';
  /** The sync run or import that made it, if one did. */
  runId?: string;
}

/**
 * A deleted contact, kept 30 days: its rows as they were at the deletion (the last vCard, its
 * book, its favourite), so a restore can bring it back exactly (see ContactRepo.restore).
 */
export interface TrashRow {
  id: string;
  bookId: string;
  deletedAt: number;
  by: 'local' | 'server';
  row: ContactRow;
  card: CardRow;
  /** Merged away into another contact (a reviewed merge): which one, and its name then. */
  mergedInto?: { id: string; name: string };
}

export type RunKind = 'sync' | 'import';

/** One contact a run touched, and the version it had before (null: the run created it). */
export interface RunEntry {
  contactId: string;
  change: 'created' | 'updated' | 'deleted';
  before: string | null;
}

/** A sync run's applied changes (its batches joined) or one import, undoable as a whole. */
export interface RunRow {
  id: string;
  bookId: string;
  at: number;
  kind: RunKind;
  /** An import's file name. */
  name?: string;
  entries: RunEntry[];
  /**
   * A sync run's later batches' entries are rows of their own (history.ts `appendRun`): on those
   * rows, the run they belong to (same book and `at`, id `<run>~000001`, …; their entries join the
   * run's, read by `wholeRun`/`runsFromRows`); on the run, how many there are.
   */
  partOf?: string;
  parts?: number;
  /** A sync run still taking batches (its state not saved yet). */
  open?: boolean;
  /** When its last batch was written (absent on runs recorded before it was kept). */
  lastAt?: number;
  undoneAt?: number;
  /**
   * How many of its entries an undo has put back so far (repo.ts `undoRun`, written with each of
   * its batches): an undo cut short goes on from there.
   */
  undoneTo?: number;
}

export const LOCAL_BOOK_ID = 'local';

export class CardinalDB extends Dexie {
  books!: EntityTable<BookRow, 'id'>;
  contacts!: EntityTable<ContactRow, 'id'>;
  cards!: EntityTable<CardRow, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;
  trash!: EntityTable<TrashRow, 'id'>;
  versions!: EntityTable<VersionRow, 'id'>;
  runs!: EntityTable<RunRow, 'id'>;
  etags!: EntityTable<EtagRow, 'id'>;
  /** The cards' duplicate keys in pages (schema 8, keys-pages.ts), kept by `cardKeys`. */
  dupkeys!: EntityTable<KeysPage, 'id'>;

  constructor(name = 'cardinal') {
    super(name);
    this.use(cardEtags);
    this.use(cardKeys);
    this.use(rowsWritten);
    // Version 1: the first schema. Indexes only for what is queried: rows by book, cards by book.
    this.version(1).stores({
      books: 'id',
      contacts: 'id, bookId',
      cards: 'id, bookId',
    });
    // Version 2: UID lookups (import de-duplication, sync re-keying) and a meta table for the
    // derivation version; the upgrade derives the new list fields of existing rows from their vCards.
    this.version(2)
      .stores({ contacts: 'id, bookId, uid', meta: 'key' })
      // Only Dexie promises may be awaited inside an upgrade, or the transaction commits early.
      .upgrade((tx) => deriveAll(tx.table('contacts'), tx.table('cards')));
    // Version 3: cards by server href (sync applies server changes by href).
    this.version(3).stores({ cards: 'id, bookId, href' });
    // Version 4: groups. Each row keeps what its card says about groups (derived fields), and
    // rows by CATEGORIES value are indexed; the upgrade derives them for existing rows. A book's
    // group setting (its storage, empty groups) is a meta record, `groups:<bookId>`.
    this.version(4)
      .stores({ contacts: 'id, bookId, uid, *categories' })
      .upgrade((tx) => deriveGroupRows(tx.table('contacts'), tx.table('cards'), tx.table('meta')));
    // Version 5: the trash (deleted contacts by deletion time), every contact's versions (by
    // contact in time order, and by age for pruning) and the runs a book's recent changes list
    // (by book in time order). New tables only: nothing to upgrade.
    this.version(5).stores({ trash: 'id, deletedAt', versions: 'id, contactId, at, [contactId+at]', runs: 'id, at, [bookId+at]' });
    // Version 6: fewer indexes, so a write of many contacts costs less (every index is another
    // entry written per row). Nothing read rows by UID or by CATEGORIES value, nor versions by
    // contact alone ([contactId+at] ranges do that). Cards may carry their duplicate keys
    // (CardRow.keys), which need no index and no upgrade: a card without them has them made by
    // the duplicates worker once, which stores them. Index drops only: every row stays as it is.
    // Since version 6 an import's versions may leave their text in the card (VersionRow.card).
    this.version(6).stores({ contacts: 'id, bookId', versions: 'id, at, [contactId+at]' });
    // Version 7: a sync with nothing to do reads keys, not every row, and a card is one write.
    // Rows by book and pending mark (the offline queue is a range of it; rows by book are its
    // first part, as the book index was: no more index entries than before). Every synced card's
    // href and ETag in a small table of its own (EtagRow, by book and href), filled here from the
    // cards and kept by `cardEtags` since; the cards lose both their indexes (by book, by href),
    // which that table answers, so this computer's cards (an import) are written with none.
    this.version(7)
      .stores({ contacts: 'id, [bookId+pending]', cards: 'id', etags: 'id, [bookId+href]' })
      .upgrade(async (tx) => {
        // Every row is in the new index only if it has a mark (all written by this code have).
        await tx
          .table('contacts')
          .filter((r: ContactRow) => typeof r.pending !== 'string')
          .modify({ pending: '' });
        const rows: EtagRow[] = [];
        await tx.table('cards').each((c: CardRow) => {
          if (c.href !== '') rows.push({ id: c.id, bookId: c.bookId, href: c.href, etag: c.etag });
        });
        await tx.table('etags').bulkPut(rows);
      });
    // Version 8: each card's duplicate keys in a table of their own, in pages (KeysPage: the
    // cards whose ids begin alike, keys-pages.ts), so a first search for duplicates reads 4,096
    // rows instead of 50,000 cards; kept by `cardKeys` since. Filled here from the keys cards
    // carry that are still of their text (a card changed by a writer that did not make its keys
    // again has none here: the worker makes them once). The cards keep theirs (rewriting every
    // card would cost more than the copy); nothing reads them.
    this.version(8)
      .stores({ dupkeys: 'id' })
      .upgrade(async (tx) => {
        const found: { id: string; keys: StoredKeys }[] = [];
        await tx.table('cards').each((c: CardRow) => {
          const keys = keysOf(c);
          if (keys !== null) found.push({ id: c.id, keys });
        });
        const pages = [...byPage(found)].flatMap(([page, items]) => pageRow(page, Object.fromEntries(items.map((i) => [i.id, i.keys]))) ?? []);
        await tx.table('dupkeys').bulkPut(pages);
      });
    // Version 9: an import's new contact has no version row; its card says which import made it
    // (CardRow.imported). No index changes and no upgrade: version rows written before (an
    // import's with the card's print, VersionRow.card) are read as they were.
    this.version(9).stores({});
  }
}

/** The print of a card's text ('' for a row without one, which no keys row is of). */
const printOf = (card: CardRow): string => (typeof card.vcard === 'string' ? cardPrint(card.vcard) : '');

/** The keys a card written with keys leaves in the table: its keys, if they are of its text (else none); `print`: its text's, if the caller made it already. */
export function keysOf(card: CardRow, print?: string): StoredKeys | null {
  const k = card.keys as Partial<StoredKeys> | undefined;
  if (typeof k !== 'object' || k === null || typeof k.of !== 'string' || typeof k.keys !== 'object' || k.keys === null) return null;
  return k.of !== '' && k.of === (print ?? printOf(card)) ? { of: k.of, keys: k.keys } : null;
}

/** The etags row a card's write leaves: its href and ETag, or none (a card not on a server). */
function etagOf(card: CardRow): EtagRow | null {
  return typeof card.href === 'string' && card.href !== '' ? { id: card.id, bookId: card.bookId, href: card.href, etag: card.etag } : null;
}

/**
 * What a write of cards does to the etags table, in the same transaction: a card put leaves its
 * href and ETag (or no row, if it has no href), a card deleted takes its row. Cards of this
 * computer's book never have an href, and nothing reads that book's rows, so their writes (an
 * import's 50,000) cost no second write. Writers that leave the href and ETag as they are (the
 * duplicates worker's keys, saved without this middleware) need nothing here.
 */
function mirrorOf(req: DBCoreMutateRequest, failed: DBCoreMutateResponse['failures']): DBCoreMutateRequest[] {
  switch (req.type) {
    case 'add':
    case 'put': {
      const puts: EtagRow[] = [];
      const drops: string[] = [];
      for (const [i, v] of (req.values as CardRow[]).entries()) {
        if (failed[i] !== undefined) continue;
        const row = etagOf(v);
        if (row !== null) puts.push(row);
        else if (v.bookId !== LOCAL_BOOK_ID) drops.push(v.id);
      }
      return [...(puts.length > 0 ? [{ type: 'put' as const, trans: req.trans, values: puts }] : []), ...(drops.length > 0 ? [{ type: 'delete' as const, trans: req.trans, keys: drops }] : [])];
    }
    case 'delete':
      return req.keys.length > 0 ? [{ type: 'delete', trans: req.trans, keys: req.keys }] : [];
    case 'deleteRange':
      // Cards' keys are their ids, as are their etags rows'.
      return [{ type: 'deleteRange', trans: req.trans, range: req.range }];
  }
}

/** Keeps the etags table (EtagRow) in step with the cards, in the transaction that writes them. */
const cardEtags: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'card-etags',
  create(down) {
    return {
      ...down,
      // Every transaction that may write cards takes the etags table too.
      transaction: (stores, mode, options) => down.transaction(mode === 'readwrite' && stores.includes('cards') && !stores.includes('etags') ? [...stores, 'etags'] : stores, mode, options),
      table(name) {
        const table = down.table(name);
        if (name !== 'cards') return table;
        let etags: DBCoreTable | undefined;
        return {
          ...table,
          mutate: (req) =>
            table.mutate(req).then((res) => {
              // An upgrade from before schema 7 runs without the table (its own step fills it).
              if (!(req.trans as unknown as IDBTransaction).objectStoreNames.contains('etags')) return res;
              etags ??= down.table('etags');
              const [first, ...rest] = mirrorOf(req, res.failures);
              if (first === undefined) return res;
              return rest.reduce((p, op) => p.then(() => etags!.mutate(op)), etags.mutate(first)).then(() => res);
            }),
        };
      },
    };
  },
};

/**
 * Cards about to be put whose ids were never stored (a sync's new contacts, made with new random
 * ids): no keys page can hold them, so `cardKeys` reads no page to check them. The writer marks
 * the very objects it puts; a card not marked (or copied on the way) is checked as any other.
 */
export const NEW_CARDS = new WeakSet<CardRow>();

/** What a write of a card does to its keys: set (keys of its text), check (kept only while of this print), drop (deleted). */
type KeysChange = { id: string; set: StoredKeys } | { id: string; check: string } | { id: string; drop: true };

/** Apply changes to the keys pages, in the transaction of the cards' write: each page touched read once and written once. */
async function changePages(pages: DBCoreTable, trans: DBCoreTransaction, changes: readonly KeysChange[]): Promise<void> {
  if (changes.length === 0) return;
  const grouped = [...byPage(changes)];
  const rows = await pages.getMany({ trans, keys: grouped.map(([p]) => p) });
  const puts: KeysPage[] = [];
  const drops: string[] = [];
  grouped.forEach(([page, list], i) => {
    // Only checks and drops of cards the page does not hold (a sync's cards, never keyed): nothing to read.
    if (list.every((c) => !('set' in c) && !mayHold(rows[i], c.id))) return;
    const entries = pageEntries(rows[i]);
    let changed = false;
    for (const c of list) {
      if ('set' in c) {
        entries[c.id] = c.set;
        changed = true;
      } else if (entries[c.id] !== undefined && ('drop' in c || entries[c.id]!.of !== c.check)) {
        delete entries[c.id];
        changed = true;
      }
    }
    if (!changed) return;
    const row = pageRow(page, entries);
    if (row !== null) puts.push(row);
    else if (rows[i] !== undefined) drops.push(page);
  });
  if (puts.length > 0) await pages.mutate({ type: 'put', trans, values: puts });
  if (drops.length > 0) await pages.mutate({ type: 'delete', trans, keys: drops });
}

/**
 * Keeps the dupkeys table (keys-pages.ts) true for the cards, in the transaction that writes them:
 * a card put with keys of its text leaves them there (and not in the card); a card put without
 * (an edit, a merge, a restore, a sync's card, an ETag or mark changed) keeps its keys only while
 * they are of its text (its page is read, not the card), else they go; a card deleted takes its
 * keys, a range of cards deleted every page. So the keys there are never of another text than the
 * card's. The duplicates worker, which opens the store without this middleware, writes keys
 * itself, only for cards still holding the text it made them from (stored-cards.ts).
 */
const cardKeys: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'card-keys',
  create(down) {
    return {
      ...down,
      transaction: (stores, mode, options) => down.transaction(mode === 'readwrite' && stores.includes('cards') && !stores.includes('dupkeys') ? [...stores, 'dupkeys'] : stores, mode, options),
      table(name) {
        const table = down.table(name);
        if (name !== 'cards') return table;
        let dupkeys: DBCoreTable | undefined;
        return {
          ...table,
          mutate: async (req) => {
            // An upgrade from before schema 8 runs without the table (its own step fills it).
            if (!(req.trans as unknown as IDBTransaction).objectStoreNames.contains('dupkeys')) return table.mutate(req);
            dupkeys ??= down.table('dupkeys');
            if (req.type === 'delete') {
              const res = await table.mutate(req);
              await changePages(dupkeys, req.trans, req.keys.map((id: string) => ({ id, drop: true as const })));
              return res;
            }
            if (req.type === 'deleteRange') {
              // Not done by the app's code but `clear()`: every page goes (the worker makes what it misses).
              const res = await table.mutate(req);
              await dupkeys.mutate({ type: 'deleteRange', trans: req.trans, range: { type: 3 as DBCoreRangeType.Any, lower: -Infinity, lowerOpen: false, upper: [[]], upperOpen: false } });
              return res;
            }
            const cards = req.values as CardRow[];
            const given = cards.map((v) => ('keys' in v ? keysOf(v) : null));
            const values = cards.map((v) => {
              if (!('keys' in v)) return v;
              const { keys: _k, ...card } = v;
              return card;
            });
            const res = await table.mutate({ ...req, values });
            const changes: KeysChange[] = [];
            values.forEach((v, i) => {
              if (res.failures[i] !== undefined) return;
              const set = given[i];
              if (set !== null && set !== undefined) changes.push({ id: v.id, set });
              // A card of an id never stored (`NEW_CARDS`): no page holds it, none is read for it.
              else if (!NEW_CARDS.has(cards[i]!)) changes.push({ id: v.id, check: printOf(v) });
            });
            await changePages(dupkeys, req.trans, changes);
            return res;
          },
        };
      },
    };
  },
};

/**
 * The meta record counting the transactions that wrote a book's rows (contacts, cards, etags) or
 * a labels record (`labels:<bookId>`): `{ epoch, n }`, the epoch made with the record (a store made
 * again never answers an old count). The labels sync asks it first (label-store.ts): a count it
 * has seen means the rows and labels it read then are still what is stored.
 */
export const ROWS_WRITTEN_KEY = 'rows-written';

export interface RowsWritten {
  epoch: string;
  n: number;
}

/** The count as one string ('' before the first counted write), for the labels sync to compare. */
export const rowsWrittenToken = (value: unknown): string => {
  const v = value as RowsWritten | undefined;
  return v === undefined ? '' : `${v.epoch}:${v.n}`;
};

const COUNTED = new Set(['contacts', 'cards', 'etags']);

/** Whether a write to the meta table is of a labels record (or may be: a range). */
function writesLabels(req: DBCoreMutateRequest): boolean {
  switch (req.type) {
    case 'add':
    case 'put':
      return (req.values as MetaRow[]).some((v) => typeof v.key === 'string' && v.key.startsWith('labels:'));
    case 'delete':
      return req.keys.some((k) => typeof k === 'string' && k.startsWith('labels:'));
    case 'deleteRange':
      return true;
  }
}

/**
 * Counts, in the same transaction, every transaction that writes rows (contacts, cards, etags) or a
 * labels record: once per transaction, with its first such write. The import's worker, which
 * writes new rows without Dexie (import-write.ts), counts its batches itself.
 */
const rowsWritten: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'rows-written',
  create(down) {
    const counted = new WeakSet<DBCoreTransaction>();
    // On the transaction's own meta store (its requests issued while the caller's are, so the
    // transaction is active), not through Dexie's tables: nothing reads this record in a live query.
    const count = (trans: DBCoreTransaction): Promise<void> => {
      const idb = trans as unknown as IDBTransaction;
      // An upgrade from before the meta table (schema 2) runs without it.
      if (counted.has(trans) || !idb.objectStoreNames.contains('meta')) return Promise.resolve();
      counted.add(trans);
      return new Promise((resolve, reject) => {
        const meta = idb.objectStore('meta');
        const get = meta.get(ROWS_WRITTEN_KEY) as IDBRequest<MetaRow | undefined>;
        get.onsuccess = () => {
          const value = get.result?.value as RowsWritten | undefined;
          const next: RowsWritten = value === undefined ? { epoch: crypto.randomUUID(), n: 1 } : { epoch: value.epoch, n: value.n + 1 };
          const put = meta.put({ key: ROWS_WRITTEN_KEY, value: next });
          put.onsuccess = () => resolve();
          put.onerror = () => reject(put.error);
        };
        get.onerror = () => reject(get.error);
      });
    };
    return {
      ...down,
      // Every transaction that may write rows takes the meta table too.
      transaction: (stores, mode, options) => down.transaction(mode === 'readwrite' && stores.some((s) => COUNTED.has(s)) && !stores.includes('meta') ? [...stores, 'meta'] : stores, mode, options),
      table(name) {
        const table = down.table(name);
        if (!COUNTED.has(name) && name !== 'meta') return table;
        return {
          ...table,
          mutate: async (req) => {
            const counting = COUNTED.has(name) || writesLabels(req) ? count(req.trans) : Promise.resolve();
            const res = await table.mutate(req);
            await counting;
            return res;
          },
        };
      },
    };
  },
};
