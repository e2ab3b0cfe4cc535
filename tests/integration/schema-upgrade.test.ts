/**
 * Upgrading a user's store from the previous schema (5) to the current one: a store made by the
 * app's own writes under schema 5 (an import with its run, edits with their versions, a deletion
 * into the trash, a synced book's cards, the list snapshot) is opened by the current code, and
 * every row of every table is still there, unchanged; what read the dropped indexes (versions by
 * contact, rows by UID) still finds the same rows; and the duplicate finder's keys, which schema 5
 * cards do not have, are made by the worker once and stored beside the cards. And from schema 6
 * to 7: the sync's first requests (every synced card's href and ETag, the offline queue) answer
 * as before from the new small rows and index, which then follow every write of the cards. And
 * from schema 7 to 8: the duplicate keys cards carry move into a table of their own, only those
 * still of their card's text; the finder reads that table and parses only the other cards.
 */
import 'fake-indexeddb/auto';
import Dexie, { type EntityTable } from 'dexie';
import { describe, expect, it } from 'vitest';
import { storeCollection } from '../../electron/sync/store-collection';
import { ContactRepo } from '../../renderer/src/db/repo';
import { syncStoreHandlers } from '../../renderer/src/db/sync-store';
import { LOCAL_BOOK_ID, ROWS_WRITTEN_KEY, type BookRow, type CardinalDB, type CardRow, type ContactRow, type MetaRow, type RunRow, type TrashRow, type VersionRow } from '../../renderer/src/db/schema';
import { DuplicatesStoreFront, SCAN_FROM } from '../../renderer/src/workers/duplicates-store';
import { readStoredCards, readStoredKeys, saveStoredKeys, scanStoredKeys } from '../../renderer/src/workers/stored-cards';
import { importCards } from '../../renderer/src/workers/import-cards';
import { pageEntries } from '../../renderer/src/db/keys-pages';
import { importedCard } from '../../renderer/src/workers/imported-cards';
import { ContactIndex } from '../../renderer/src/store/contact-index';
import { cardPrint, duplicateKeys } from '../../shared/duplicates/keys';
import type { DuplicatesResponse } from '../../shared/duplicates/protocol';
import type { StorePort } from '../../electron/core/store-port';
import type { StoreHandlers } from '../../shared/ipc/contract';
import { deriveListFields } from '../../shared/book/derive';
import { cardUid, parseVCard } from '../../shared/vcard';

const card = (uid: string, fn: string, extra = '') => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\n${extra}END:VCARD\r\n`;
const BOOK = 'dav-book';
const TABLES = ['books', 'contacts', 'cards', 'meta', 'trash', 'versions', 'runs'] as const;
/** Every card's keys in the keys table (its pages), by card id. */
const keysIn = async (db: CardinalDB) => new Map((await db.dupkeys.toArray()).flatMap((p) => Object.entries(pageEntries(p))));
/** The worker's reads of the keys table (schema 8), as duplicates.worker.ts gives them to its front. */
const keysTable = { read: readStoredKeys, scan: scanStoredKeys };

/** The store as schema 5 declared it (renderer/src/db/schema.ts before version 6). */
class SchemaFive extends Dexie {
  books!: EntityTable<BookRow, 'id'>;
  contacts!: EntityTable<ContactRow, 'id'>;
  cards!: EntityTable<CardRow, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;
  trash!: EntityTable<TrashRow, 'id'>;
  versions!: EntityTable<VersionRow, 'id'>;
  runs!: EntityTable<RunRow, 'id'>;
  constructor(name: string) {
    super(name);
    this.version(5).stores({
      books: 'id',
      contacts: 'id, bookId, uid, *categories',
      cards: 'id, bookId, href',
      meta: 'key',
      trash: 'id, deletedAt',
      versions: 'id, contactId, at, [contactId+at]',
      runs: 'id, at, [bookId+at]',
    });
  }
}

/** The store as schema 6 declared it (renderer/src/db/schema.ts before version 7). */
class SchemaSix extends SchemaFive {
  constructor(name: string) {
    super(name);
    this.version(6).stores({ contacts: 'id, bookId', versions: 'id, at, [contactId+at]' });
  }
}

/** The store as schema 7 declared it (renderer/src/db/schema.ts before version 8). */
class SchemaSeven extends SchemaSix {
  etags!: EntityTable<{ id: string; bookId: string; href: string; etag: string }, 'id'>;
  constructor(name: string) {
    super(name);
    this.version(7).stores({ contacts: 'id, [bookId+pending]', cards: 'id', etags: 'id, [bookId+href]' });
  }
}

/** The store as schema 8 declared it (renderer/src/db/schema.ts before version 9). */
class SchemaEight extends SchemaSeven {
  constructor(name: string) {
    super(name);
    this.version(8).stores({ dupkeys: 'id' });
  }
}

/**
 * An import's new contacts as the app wrote them before schema 9: each with a version row of
 * source `import` (the card's text itself under schema 5; its print, VersionRow.card, from 6 to 8),
 * no CardRow.imported. Today's putAll writes the fact in the card instead: turned back here.
 */
async function asImportedBeforeNine(db: Dexie, withText: boolean): Promise<void> {
  const cards = (await db.table('cards').toArray()) as CardRow[];
  for (const c of cards) {
    if (c.imported === undefined) continue;
    const { imported, ...rest } = c;
    await db.table('cards').put(rest);
    await db.table('versions').add({ id: crypto.randomUUID(), contactId: c.id, bookId: c.bookId, at: imported.at, ...(withText ? { vcard: c.vcard } : { vcard: '', card: imported.print }), source: 'import', by: 'local' } satisfies VersionRow);
  }
}

/** The sync's store requests over a repo, crossing a copy as in the app (tests/integration/renderer-store.ts). */
function port(repo: ContactRepo): StorePort {
  const handlers = syncStoreHandlers(repo, new ContactIndex('en')) as unknown as Partial<StoreHandlers>;
  return {
    request: async (req, ...args) => {
      const fn = handlers[req] as (...a: unknown[]) => Promise<unknown>;
      const result = await fn(...(JSON.parse(JSON.stringify(args)) as unknown[]));
      return (result === undefined ? undefined : JSON.parse(JSON.stringify(result))) as never;
    },
  };
}

/**
 * A synced book's rows as the sync writes them (its requests need the current schema's tables),
 * written in a scratch store and copied into an older one: the same rows, which an older store
 * holds the same way (its indexes are the store's, not the rows').
 */
async function copySynced(db: Dexie, write: (sync: StorePort) => Promise<void>): Promise<void> {
  const scratch = await ContactRepo.open(`${db.name}-scratch`);
  await write(port(scratch));
  for (const t of ['books', 'contacts', 'cards', 'versions', 'runs', 'trash']) {
    const rows = (await scratch.db.table(t).toArray()) as { id: string }[];
    await db.table(t).bulkPut(t === 'books' ? rows.filter((r) => r.id !== LOCAL_BOOK_ID) : rows);
  }
  scratch.db.close();
}

async function everything(db: Dexie): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) out[t] = await db.table(t).toArray();
  return out;
}

/** A schema 5 store, written by the app's own code: what a user of the previous version has. */
async function schemaFiveStore(name: string): Promise<{ ids: Record<string, string>; runId: string }> {
  const db = new SchemaFive(name);
  await db.open();
  const repo = new ContactRepo(db as unknown as CardinalDB);
  await db.books.put({ id: LOCAL_BOOK_ID, name: '', kind: 'local', version: '4.0', createdAt: 1 });
  // An import of three cards (one run), then edits and a deletion here.
  const items = [card('ada', 'Ada Lovelace', 'EMAIL:ada@example.org\r\nCATEGORIES:Family\r\n'), card('alan', 'Alan Turing', 'TEL:+44 20 7946 0000\r\n'), card('grace', 'Grace Hopper', 'X-KEEP:me\r\n')].map((v) =>
    ContactRepo.rowsFrom(crypto.randomUUID(), LOCAL_BOOK_ID, v, deriveListFields(parseVCard(v))),
  );
  const runId = (await repo.putAll(items, undefined, { source: 'import', run: { kind: 'import', name: 'people.vcf' } }))!;
  await asImportedBeforeNine(db, true);
  const [ada, alan, grace] = items.map((i) => i.row.id) as [string, string, string];
  await repo.update(ada, parseVCard(card('ada', 'Ada King', 'EMAIL:ada@example.org\r\nCATEGORIES:Family\r\n')));
  await repo.update(ada, parseVCard(card('ada', 'Ada King, Countess of Lovelace', 'EMAIL:ada@example.org\r\nCATEGORIES:Family\r\n')));
  await repo.setFavorite(alan, true);
  await repo.remove([grace]);
  // A synced book: two cards from the server, one changed there in a second run.
  await copySynced(db, async (sync) => {
    await sync.request('ensureBook', BOOK, 'Work');
    const collection = storeCollection(sync, BOOK);
    await collection.applyRemote({ upserts: [{ href: '/w/1.vcf', etag: '"1"', vcard: card('w1', 'Wes Work') }, { href: '/w/2.vcf', etag: '"1"', vcard: card('w2', 'Wanda Work') }], deletes: [], state: { syncToken: 't1', ctag: null } });
    await collection.applyRemote({ upserts: [{ href: '/w/1.vcf', etag: '"2"', vcard: card('w1', 'Wes Work', 'NOTE:changed there\r\n') }], deletes: [], state: { syncToken: 't2', ctag: null } });
  });
  await repo.saveListSnapshot(await repo.allRows());
  const wes = (await db.cards.where('href').equals('/w/1.vcf').first())!.id;
  db.close();
  return { ids: { ada, alan, grace, wes }, runId };
}

describe('the store upgrade from schema 5 to the current one', () => {
  it('keeps every row of every table as it was, and the list snapshot stays exact', async () => {
    const name = `upgrade5-${process.pid}-${Date.now()}`;
    await schemaFiveStore(name);
    const before = new SchemaFive(name);
    const rows = await everything(before);
    before.close();
    expect(rows.versions!.length).toBeGreaterThanOrEqual(6);
    expect(rows.trash).toHaveLength(1);
    expect(rows.runs!.length).toBeGreaterThanOrEqual(2);

    const repo = await ContactRepo.open(name);
    expect(repo.db.verno).toBe(9);
    // The upgrade's writes are counted for the labels sync (schema.ts `rowsWritten`): that record is new.
    const after = await everything(repo.db);
    expect({ ...after, meta: (after.meta as MetaRow[]).filter((r) => r.key !== ROWS_WRITTEN_KEY) }).toEqual(rows);
    // The list needs no read of 50,000 rows after the upgrade: the snapshot is still the store's.
    expect((await repo.listSnapshot())?.map((r) => r.id).sort()).toEqual((rows.contacts as ContactRow[]).map((r) => r.id).sort());
    repo.db.close();
  });

  it('still finds versions by contact (history, the trash emptied, a book removed) and rows by UID without the dropped indexes', async () => {
    const name = `upgrade5b-${process.pid}-${Date.now()}`;
    const { ids, runId } = await schemaFiveStore(name);
    const repo = await ContactRepo.open(name);
    expect((await repo.versionsOf(ids.ada!)).map((v) => v.source)).toEqual(['edit', 'edit', 'import']);
    expect((await repo.byUid(LOCAL_BOOK_ID, 'alan')).map((r) => r.id)).toEqual([ids.alan]);
    // The deleted contact's versions go with it, out of the trash for good; the others' stay.
    expect(await repo.versionsOf(ids.grace!)).toHaveLength(1);
    await repo.deleteForever([ids.grace!]);
    expect(await repo.versionsOf(ids.grace!)).toEqual([]);
    expect(await repo.versionsOf(ids.alan!)).toHaveLength(1);
    // Removing the synced book takes its contacts' versions.
    expect(await repo.versionsOf(ids.wes!)).toHaveLength(2);
    await port(repo).request('removeBook', BOOK);
    expect(await repo.versionsOf(ids.wes!)).toEqual([]);
    expect(await repo.db.versions.count()).toBe(4); // Ada's three and Alan's import
    // The import made under schema 5 is undone as one: its contacts go to the trash, as they are.
    const undone = await repo.undoRun(runId, LOCAL_BOOK_ID);
    expect(undone.removed.sort()).toEqual([ids.ada!, ids.alan!].sort());
    repo.db.close();
  });

  it('schema 5 cards have no duplicate keys: the first search makes them from the cards and stores them, the next reads them', async () => {
    const name = `upgrade5c-${process.pid}-${Date.now()}`;
    const { ids } = await schemaFiveStore(name);
    const repo = await ContactRepo.open(name);
    const rows = (await repo.allRows()).filter((r) => r.pending !== 'deleted');
    expect((await repo.db.cards.toArray()).some((c) => c.keys !== undefined)).toBe(false);
    const parsed: string[] = [];
    const front = new DuplicatesStoreFront(
      async (store, wanted) => {
        const cards = await readStoredCards(store, wanted);
        cards.forEach((c, i) => {
          if (c !== undefined && c.keys === undefined) parsed.push(wanted[i]!);
        });
        return cards;
      },
      undefined,
      saveStoredKeys,
      undefined,
      keysTable,
    );
    const find = async (stamp: number) => {
      const answers: DuplicatesResponse[] = [];
      await front.serve({ type: 'find', requestId: stamp, region: 'GB', scope: 'book', store: name, contacts: rows.map((r) => ({ id: r.id, bookId: r.bookId, stamp })) }, (a) => answers.push(a));
      return answers.at(-1);
    };
    expect(await find(1)).toMatchObject({ type: 'found', unreadable: [] });
    expect(parsed.sort()).toEqual(rows.map((r) => r.id).sort());
    const ada = (await repo.db.cards.get(ids.ada!))!;
    expect((await keysIn(repo.db)).get(ids.ada!)).toEqual({ of: cardPrint(ada.vcard), keys: duplicateKeys(parseVCard(ada.vcard), 'GB') });
    // The card itself is as it was.
    expect(ada.keys).toBeUndefined();
    expect(ada.vcard).toContain('FN:Ada King, Countess of Lovelace');
    parsed.length = 0;
    expect(await find(2)).toMatchObject({ type: 'found', unreadable: [] });
    expect(parsed).toEqual([]);
    repo.db.close();
  });

  it('a book imported since schema 8 is searched by its keys table: a large one read in one scan of that table, no card read or parsed, nothing stored again', async () => {
    const name = `keys6-${process.pid}-${Date.now()}`;
    const repo = await ContactRepo.open(name);
    const count = SCAN_FROM + 100;
    // Pairs: the same person twice, the second with the address in capitals.
    const file = Array.from({ length: count }, (_, i) => card(`u${i}`, `Person ${i >> 1}`, `EMAIL:${i % 2 === 0 ? 'p' : 'P'}${i >> 1}@example.org\r\n`)).join('');
    const { cards } = importCards(new TextEncoder().encode(file), (c, line) => importedCard(c, line, false, 'GB'));
    await repo.putAll(cards.map((c) => ContactRepo.rowsFrom(crypto.randomUUID(), LOCAL_BOOK_ID, c.vcard, c.fields, undefined, c.keys)), undefined, { source: 'import', run: { kind: 'import' }, fresh: cards.length });
    const rows = await repo.allRows();
    let saved = 0;
    const front = new DuplicatesStoreFront(
      // Only the contact without a keys row has its card read (it is gone).
      async (_store, ids) => {
        if (ids.some((id) => id !== 'gone')) throw new Error('a card with keys read by id');
        return ids.map(() => undefined);
      },
      async () => {
        throw new Error('keys made by helpers');
      },
      async (_store, made) => {
        saved += made.length;
      },
      async () => {
        throw new Error('cards scanned');
      },
      keysTable,
    );
    const answers: DuplicatesResponse[] = [];
    await front.serve({ type: 'find', requestId: 1, region: 'GB', scope: 'book', store: name, contacts: [...rows.map((r) => ({ id: r.id, bookId: r.bookId, stamp: 1 })), { id: 'gone', bookId: LOCAL_BOOK_ID, stamp: 1 }] }, (a) => answers.push(a));
    const found = answers.at(-1)!;
    if (found.type !== 'found') throw new Error(JSON.stringify(found));
    expect(found.report.clusters).toHaveLength(count / 2);
    expect(found.unreadable).toEqual(['gone']);
    expect(saved).toBe(0);
    expect(front.keptCount).toBe(count);
    repo.db.close();
  });
});

describe('the store upgrade from schema 6 to 7', () => {
  /**
   * A schema 6 store with two synced books written by the app's own code: clean cards, one edited
   * here, one deleted here, one created here (no href yet), one the server refused; and the local
   * book. Returns what the sync's first two requests answered under schema 6.
   */
  async function schemaSixStore(name: string) {
    const db = new SchemaSix(name);
    await db.open();
    const repo = new ContactRepo(db as unknown as CardinalDB);
    await db.books.put({ id: LOCAL_BOOK_ID, name: '', kind: 'local', version: '4.0', createdAt: 1 });
    const sync = port(repo);
    // What the sync's first requests were answered under schema 6 (every card and row read whole).
    const answers = async () => {
      const out: Record<string, unknown> = {};
      for (const book of [BOOK, 'other-book']) {
        const cards = await db.cards.where('bookId').equals(book).toArray();
        out[`etags:${book}`] = cards.filter((c) => c.href !== '').map((c) => [c.href, c.etag]).sort((a, b) => a[0]!.localeCompare(b[0]!));
        out[`queued:${book}`] = (await db.contacts.where('bookId').equals(book).toArray()).filter((r) => r.pending !== '').map((r) => r.id).sort();
      }
      return out;
    };
    await copySynced(db, async (scratch) => {
      for (const book of [BOOK, 'other-book']) {
        await scratch.request('ensureBook', book, book);
        await storeCollection(scratch, book).applyRemote({ upserts: Array.from({ length: 6 }, (_, i) => ({ href: `/${book}/${i}.vcf`, etag: `"${i}"`, vcard: card(`${book}-${i}`, `Person ${i}`) })), deletes: [], state: { syncToken: 't1', ctag: null } });
      }
    });
    const idOf = async (href: string) => (await db.cards.where('href').equals(href).first())!.id;
    await repo.update(await idOf(`/${BOOK}/1.vcf`), parseVCard(card(`${BOOK}-1`, 'Person One, edited here')));
    await repo.remove([await idOf(`/${BOOK}/2.vcf`)]);
    await repo.create(BOOK, parseVCard(card('new-here', 'New Here')));
    const refused = await idOf(`/${BOOK}/3.vcf`);
    await repo.update(refused, parseVCard(card(`${BOOK}-3`, 'Refused')));
    await sync.request('failedUpload', BOOK, refused, 'too large', (await db.cards.get(refused))!.revision!);
    await repo.create(LOCAL_BOOK_ID, parseVCard(card('local', 'Local One')));
    const before = await answers();
    db.close();
    return { before, answers };
  }

  it('answers the sync with the same hrefs, ETags and offline queue as before, from the small rows', async () => {
    const name = `upgrade6-${process.pid}-${Date.now()}`;
    const { before } = await schemaSixStore(name);
    expect((before[`etags:${BOOK}`] as unknown[]).length).toBe(6);
    expect((before[`queued:${BOOK}`] as unknown[]).length).toBe(4); // edited, deleted, created, refused
    const repo = await ContactRepo.open(name);
    expect(repo.db.verno).toBe(9);
    const sync = port(repo);
    const after: Record<string, unknown> = {};
    for (const book of [BOOK, 'other-book']) {
      after[`etags:${book}`] = ((await sync.request('knownEtags', book)) as [string, string][]).sort((a, b) => a[0].localeCompare(b[0]));
      after[`queued:${book}`] = ((await sync.request('pendingCards', book, true)) as { id: string }[]).map((c) => c.id).sort();
    }
    expect(after).toEqual(before);
    // The one the server refused waits until it changes, as before.
    expect((await sync.request('pendingCards', BOOK)).length).toBe(3);
    // One small row per synced card, none for a card without an href (the local book's, a create not yet sent).
    expect(await repo.db.etags.count()).toBe(12);
    repo.db.close();
  });

  it('keeps the small rows in step with every later write of the cards: a new ETag, an upload, a deletion, a book removed', async () => {
    const name = `upgrade6b-${process.pid}-${Date.now()}`;
    await schemaSixStore(name);
    const repo = await ContactRepo.open(name);
    const sync = port(repo);
    const collection = storeCollection(sync, BOOK);
    const etags = async () => new Map((await sync.request('knownEtags', BOOK)) as [string, string][]);
    // Changed on the server, and one deleted there.
    await collection.applyRemote({ upserts: [{ href: `/${BOOK}/0.vcf`, etag: '"0b"', vcard: card(`${BOOK}-0`, 'Person 0', 'NOTE:there\r\n') }], deletes: [`/${BOOK}/5.vcf`], state: { syncToken: 't2', ctag: null } });
    expect((await etags()).get(`/${BOOK}/0.vcf`)).toBe('"0b"');
    expect((await etags()).has(`/${BOOK}/5.vcf`)).toBe(false);
    // The create made here goes up and gets its href and ETag.
    const created = ((await sync.request('pendingCards', BOOK)) as { id: string; href: string; revision: number }[]).find((c) => c.href === '')!;
    await sync.request('uploaded', BOOK, created.id, { href: `/${BOOK}/new.vcf`, etag: '"n1"', vcard: card('new-here', 'New Here') }, created.revision);
    expect((await etags()).get(`/${BOOK}/new.vcf`)).toBe('"n1"');
    expect((await sync.request('pendingCards', BOOK)).map((c) => c.id)).not.toContain(created.id);
    // The book moved on the server: every href follows.
    await sync.request('rebaseBook', BOOK, `/${BOOK}/`, '/moved/');
    expect([...(await etags()).keys()].every((h) => h.startsWith('/moved/'))).toBe(true);
    expect((await etags()).size).toBe(6);
    // Removed: no row of it is left; the other book keeps its own.
    await sync.request('removeBook', BOOK);
    expect((await etags()).size).toBe(0);
    expect(await repo.db.etags.where('bookId').equals(BOOK).count()).toBe(0);
    expect((await sync.request('knownEtags', 'other-book')).length).toBe(6);
    repo.db.close();
  });
});

describe('the store upgrade from schema 7 to 8', () => {
  const file = [card('ada', 'Ada Lovelace', 'EMAIL:ada@example.org\r\n'), card('twin', 'Ada Lovelace', 'EMAIL:ADA@example.org\r\n'), card('alan', 'Alan Turing', 'TEL:+44 20 7946 0000\r\n'), card('grace', 'Grace Hopper', 'TEL:+1 202 555 0147\r\n')].join('');

  /**
   * A schema 7 store written by the app's code: four cards imported with their keys (in the
   * cards, as schema 6 and 7 kept them), one edited since (no keys: an edit makes none), and one
   * whose text a writer changed while its keys stayed (stale: of the text before). Both edits give
   * the card Ada's name and address, so a finder that took their old keys would not see them.
   */
  async function schemaSevenStore(name: string): Promise<Record<string, string>> {
    const db = new SchemaSeven(name);
    await db.open();
    const repo = new ContactRepo(db as unknown as CardinalDB);
    await db.books.put({ id: LOCAL_BOOK_ID, name: '', kind: 'local', version: '4.0', createdAt: 1 });
    const { cards } = importCards(new TextEncoder().encode(file), (c, line) => importedCard(c, line, false, 'GB'));
    const items = cards.map((c) => ContactRepo.rowsFrom(crypto.randomUUID(), LOCAL_BOOK_ID, c.vcard, c.fields, undefined, c.keys));
    await repo.putAll(items, undefined, { source: 'import', run: { kind: 'import' }, fresh: items.length });
    await asImportedBeforeNine(db, false);
    const ids = Object.fromEntries(items.map((i) => [cardUid(i.card.vcard)!, i.row.id]));
    expect((await db.cards.toArray()).every((c) => c.keys !== undefined)).toBe(true);
    await repo.update(ids.alan!, parseVCard(card('alan', 'Ada Lovelace', 'TEL:+44 20 7946 0000\r\nEMAIL:ada@example.org\r\n')));
    const grace = (await db.cards.get(ids.grace!))!;
    await db.cards.put({ ...grace, vcard: grace.vcard.replace('TEL:', 'EMAIL:ada@example.org\r\nTEL:').replace(/FN:[^\r]*/, 'FN:Ada Lovelace') });
    db.close();
    return ids;
  }

  /** A finder's front as the worker makes it (a new session), recording which cards it parsed. */
  function front(withTable: boolean) {
    const parsed: string[] = [];
    const f = new DuplicatesStoreFront(
      async (store, wanted) => {
        const cards = await readStoredCards(store, wanted);
        parsed.push(...wanted.filter((_id, i) => cards[i] !== undefined && (!withTable || cards[i]!.keys === undefined || cardPrint(cards[i]!.vcard) !== (cards[i]!.keys as { of: string }).of)));
        // Without the table: every card parsed, as if none had keys.
        return withTable ? cards : cards.map((c) => (c === undefined ? undefined : c.vcard));
      },
      undefined,
      withTable ? saveStoredKeys : undefined,
      undefined,
      withTable ? keysTable : undefined,
    );
    const find = async (store: string, rows: readonly ContactRow[]) => {
      const answers: DuplicatesResponse[] = [];
      await f.serve({ type: 'find', requestId: 1, region: 'GB', scope: 'book', store, contacts: rows.map((r) => ({ id: r.id, bookId: r.bookId, stamp: 1 })) }, (a) => answers.push(a));
      const found = answers.at(-1)!;
      if (found.type !== 'found') throw new Error(JSON.stringify(found));
      return found.report.clusters.map((c) => [...c.members].sort());
    };
    return { find, parsed };
  }

  it('moves the keys still of their card’s text into the keys table; the finder parses only the edited cards and finds what parsing every card finds', async () => {
    const name = `upgrade7-${process.pid}-${Date.now()}`;
    const ids = await schemaSevenStore(name);
    const old = new SchemaSeven(name);
    const cardsBefore = await old.cards.toArray();
    old.close();
    const repo = await ContactRepo.open(name);
    expect(repo.db.verno).toBe(9);
    // The cards stay as they were; the keys of Ada and her twin are copied, not Alan's (none) nor Grace's (stale).
    expect(await repo.db.cards.toArray()).toEqual(cardsBefore);
    const stored = await keysIn(repo.db);
    expect([...stored.keys()].sort()).toEqual([ids.ada!, ids.twin!].sort());
    const ada = cardsBefore.find((c) => c.id === ids.ada)!;
    expect(stored.get(ids.ada!)).toEqual({ of: cardPrint(ada.vcard), keys: duplicateKeys(parseVCard(ada.vcard), 'GB') });

    const contacts = await repo.allRows();
    const everyCard = front(false);
    const expected = await everyCard.find(name, contacts);
    expect(expected).toEqual([[ids.ada!, ids.alan!, ids.grace!, ids.twin!].sort()]);
    const first = front(true);
    expect(await first.find(name, contacts)).toEqual(expected);
    expect(first.parsed.sort()).toEqual([ids.alan!, ids.grace!].sort());
    // Their keys are stored: the next session reads the table alone.
    expect((await keysIn(repo.db)).size).toBe(4);
    const next = front(true);
    expect(await next.find(name, contacts)).toEqual(expected);
    expect(next.parsed).toEqual([]);
    repo.db.close();
  });
});

describe('the store upgrade from schema 8 to 9', () => {
  /** A schema 8 store written by the app's code: an import of two cards (their versions rows of their cards' print), one edited since. */
  async function schemaEightStore(name: string): Promise<{ ids: Record<string, string>; runId: string }> {
    const db = new SchemaEight(name);
    await db.open();
    const repo = new ContactRepo(db as unknown as CardinalDB);
    await db.books.put({ id: LOCAL_BOOK_ID, name: '', kind: 'local', version: '4.0', createdAt: 1 });
    const items = [card('ada', 'Ada Lovelace', 'NOTE:from the file\r\n'), card('alan', 'Alan Turing')].map((v) => ContactRepo.rowsFrom(crypto.randomUUID(), LOCAL_BOOK_ID, v, deriveListFields(parseVCard(v))));
    const runId = (await repo.putAll(items, undefined, { source: 'import', run: { kind: 'import', name: 'people.vcf' }, fresh: items.length }))!;
    await asImportedBeforeNine(db, false);
    const [ada, alan] = items.map((i) => i.row.id) as [string, string];
    await repo.update(ada, parseVCard(card('ada', 'Ada King')));
    db.close();
    return { ids: { ada, alan }, runId };
  }

  it('keeps every row as it was: the imports before it read their first version from its row, edited or not, and undo asks first for the edited one', async () => {
    const name = `upgrade8-${process.pid}-${Date.now()}`;
    const { ids, runId } = await schemaEightStore(name);
    const old = new SchemaEight(name);
    const rows = await everything(old);
    old.close();
    const repo = await ContactRepo.open(name);
    expect(repo.db.verno).toBe(9);
    expect(await everything(repo.db)).toEqual(rows);
    expect((await repo.versionsOf(ids.ada!)).map((v) => [v.source, v.vcard.includes('NOTE:from the file')])).toEqual([
      ['edit', false],
      ['import', true],
    ]);
    expect((await repo.versionsOf(ids.alan!)).map((v) => [v.source, v.vcard])).toEqual([['import', card('alan', 'Alan Turing')]]);
    expect(await repo.changedAfterRun(runId)).toBe(1);
    const undone = await repo.undoRun(runId, LOCAL_BOOK_ID);
    expect(undone.removed.sort()).toEqual([ids.ada!, ids.alan!].sort());
    repo.db.close();
  });
});
