/**
 * Upgrading a user's store from the previous schema (5) to the current one: a store made by the
 * app's own writes under schema 5 (an import with its run, edits with their versions, a deletion
 * into the trash, a synced book's cards, the list snapshot) is opened by the current code, and
 * every row of every table is still there, unchanged; what read the dropped indexes (versions by
 * contact, rows by UID) still finds the same rows; and the duplicate finder's keys, which schema 5
 * cards do not have, are made by the worker once and stored beside the cards.
 */
import 'fake-indexeddb/auto';
import Dexie, { type EntityTable } from 'dexie';
import { describe, expect, it } from 'vitest';
import { storeCollection } from '../../electron/sync/store-collection';
import { ContactRepo } from '../../renderer/src/db/repo';
import { syncStoreHandlers } from '../../renderer/src/db/sync-store';
import { LOCAL_BOOK_ID, type BookRow, type CardinalDB, type CardRow, type ContactRow, type MetaRow, type RunRow, type TrashRow, type VersionRow } from '../../renderer/src/db/schema';
import { DuplicatesStoreFront, SCAN_FROM } from '../../renderer/src/workers/duplicates-store';
import { readStoredCards, saveStoredKeys, scanStoredCards } from '../../renderer/src/workers/stored-cards';
import { importCards } from '../../renderer/src/workers/import-cards';
import { importedCard } from '../../renderer/src/workers/imported-cards';
import { ContactIndex } from '../../renderer/src/store/contact-index';
import { cardPrint, duplicateKeys } from '../../shared/duplicates/keys';
import type { DuplicatesResponse } from '../../shared/duplicates/protocol';
import type { StorePort } from '../../electron/core/store-port';
import type { StoreHandlers } from '../../shared/ipc/contract';
import { deriveListFields } from '../../shared/book/derive';
import { parseVCard } from '../../shared/vcard';

const card = (uid: string, fn: string, extra = '') => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\n${extra}END:VCARD\r\n`;
const BOOK = 'dav-book';
const TABLES = ['books', 'contacts', 'cards', 'meta', 'trash', 'versions', 'runs'] as const;

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
  const [ada, alan, grace] = items.map((i) => i.row.id) as [string, string, string];
  await repo.update(ada, parseVCard(card('ada', 'Ada King', 'EMAIL:ada@example.org\r\nCATEGORIES:Family\r\n')));
  await repo.update(ada, parseVCard(card('ada', 'Ada King, Countess of Lovelace', 'EMAIL:ada@example.org\r\nCATEGORIES:Family\r\n')));
  await repo.setFavorite(alan, true);
  await repo.remove([grace]);
  // A synced book: two cards from the server, one changed there in a second run.
  const sync = port(repo);
  await sync.request('ensureBook', BOOK, 'Work');
  const collection = storeCollection(sync, BOOK);
  await collection.applyRemote({ upserts: [{ href: '/w/1.vcf', etag: '"1"', vcard: card('w1', 'Wes Work') }, { href: '/w/2.vcf', etag: '"1"', vcard: card('w2', 'Wanda Work') }], deletes: [], state: { syncToken: 't1', ctag: null } });
  await collection.applyRemote({ upserts: [{ href: '/w/1.vcf', etag: '"2"', vcard: card('w1', 'Wes Work', 'NOTE:changed there\r\n') }], deletes: [], state: { syncToken: 't2', ctag: null } });
  await repo.saveListSnapshot(await repo.allRows());
  const wes = (await db.cards.where('href').equals('/w/1.vcf').first())!.id;
  db.close();
  return { ids: { ada, alan, grace, wes }, runId };
}

describe('the store upgrade from schema 5 to 6', () => {
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
    expect(repo.db.verno).toBe(6);
    expect(await everything(repo.db)).toEqual(rows);
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
    const front = new DuplicatesStoreFront(async (store, wanted) => {
      const cards = await readStoredCards(store, wanted);
      cards.forEach((c, i) => {
        if (c !== undefined && c.keys === undefined) parsed.push(wanted[i]!);
      });
      return cards;
    }, undefined, saveStoredKeys);
    const find = async (stamp: number) => {
      const answers: DuplicatesResponse[] = [];
      await front.serve({ type: 'find', requestId: stamp, region: 'GB', scope: 'book', store: name, contacts: rows.map((r) => ({ id: r.id, bookId: r.bookId, stamp })) }, (a) => answers.push(a));
      return answers.at(-1);
    };
    expect(await find(1)).toMatchObject({ type: 'found', unreadable: [] });
    expect(parsed.sort()).toEqual(rows.map((r) => r.id).sort());
    const ada = (await repo.db.cards.get(ids.ada!))!;
    expect(ada.keys).toEqual({ of: cardPrint(ada.vcard), keys: duplicateKeys(parseVCard(ada.vcard), 'GB') });
    // Every other row of the card is as it was.
    const { keys: _k, ...rest } = ada;
    expect(rest.vcard).toContain('FN:Ada King, Countess of Lovelace');
    parsed.length = 0;
    expect(await find(2)).toMatchObject({ type: 'found', unreadable: [] });
    expect(parsed).toEqual([]);
    repo.db.close();
  });

  it('a book imported since schema 6 is searched by its stored keys: a large one read in one scan of the cards, no card parsed, nothing stored again', async () => {
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
      async () => {
        throw new Error('read by id');
      },
      async () => {
        throw new Error('keys made by helpers');
      },
      async (_store, made) => {
        saved += made.length;
      },
      scanStoredCards,
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
