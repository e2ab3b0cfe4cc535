import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { ContactRepo, SNAPSHOT_PAGE } from '../../renderer/src/db/repo';
import { LOCAL_BOOK_ID, type ContactRow } from '../../renderer/src/db/schema';
import { syncStoreHandlers } from '../../renderer/src/db/sync-store';
import { ContactIndex } from '../../renderer/src/store/contact-index';
import { rederiveOldRows } from '../../renderer/src/store/rederive';
import { parseVCard, serializeVCard } from '../../shared/vcard';

const card = (fn: string, extra = '') => parseVCard(`BEGIN:VCARD\r\nVERSION:4.0\r\nUID:${fn}\r\nFN:${fn}\r\n${extra}END:VCARD\r\n`);
let n = 0;
const fresh = () => ContactRepo.open(`test-${++n}-${Date.now()}`);

describe('the contact store', () => {
  it('creates the local book on first open', async () => {
    const repo = await fresh();
    expect((await repo.books()).map((b) => b.id)).toEqual([LOCAL_BOOK_ID]);
  });

  it('writes the vCard and its list fields together, and edits re-derive them', async () => {
    const repo = await fresh();
    const { row } = await repo.create(LOCAL_BOOK_ID, card('Zoë', 'TEL:+1 (555) 010-0100\r\nX-KEEP:me\r\n'));
    expect(row).toMatchObject({ displayName: 'Zoë', search: expect.stringContaining('zoe'), phones: '15550100100', pending: '' });
    await repo.update(row.id, card('Zoë Núñez', 'X-KEEP:me\r\n'));
    const [after] = await repo.allRows();
    expect(after!.displayName).toBe('Zoë Núñez');
    expect((await repo.getCard(row.id))!.vcard).toContain('X-KEEP:me');
  });

  it('deletes and restores exactly (undo)', async () => {
    const repo = await fresh();
    const a = await repo.create(LOCAL_BOOK_ID, card('A'));
    await repo.create(LOCAL_BOOK_ID, card('B'));
    const removed = await repo.remove([a.row.id]);
    expect((await repo.allRows()).map((r) => r.displayName)).toEqual(['B']);
    await repo.restore(removed);
    expect((await repo.allRows()).map((r) => r.displayName).sort()).toEqual(['A', 'B']);
    expect((await repo.getCard(a.row.id))!.vcard).toBe(a.card.vcard);
  });

  it('keeps a synced book’s deletion in the offline queue instead of dropping the row', async () => {
    const repo = await fresh();
    await repo.db.books.put({ id: 'dav', name: 'Work', kind: 'carddav', version: '3.0', createdAt: 0 });
    const s = await repo.create('dav', card('Synced'));
    expect(s.row.pending).toBe('created');
    await repo.db.contacts.put({ ...s.row, pending: '' }); // as if uploaded
    await repo.remove([s.row.id]);
    expect((await repo.allRows())[0]).toMatchObject({ id: s.row.id, pending: 'deleted' });
  });

  it('writes thousands of rows in batches', async () => {
    const repo = await fresh();
    const items = Array.from({ length: 4500 }, (_, i) => ContactRepo.rows(`id-${i}`, LOCAL_BOOK_ID, card(`P${i}`)));
    const progress: number[] = [];
    await repo.putAll(items, (d) => progress.push(d), undefined, 2000);
    expect(progress).toEqual([2000, 4000, 4500]);
    expect(await repo.db.contacts.count()).toBe(4500);
  });
});

describe('the list snapshot', () => {
  it('is used only while no write has happened since it was saved', async () => {
    const repo = await fresh();
    expect(await repo.listSnapshot()).toBeNull();
    const a = await repo.create(LOCAL_BOOK_ID, card('A'));
    await repo.saveListSnapshot([a.row]);
    expect((await repo.listSnapshot())!.map((r) => r.id)).toEqual([a.row.id]);
    await repo.update(a.row.id, card('A2'));
    expect(await repo.listSnapshot()).toBeNull(); // stale: the next start reads the rows
    await repo.setFavorite(a.row.id, true);
    await repo.saveListSnapshot(await repo.allRows());
    expect((await repo.listSnapshot())![0]).toMatchObject({ displayName: 'A2', favorite: 1 });
  });
});

describe('the list snapshot of a large book', () => {
  const rowsOf = (n: number, tag: string): ContactRow[] => Array.from({ length: n }, (_, i) => ({ id: `${tag}${i}`, displayName: `${tag} ${i} Zoë 王`, search: `\u0001${tag} ${i}` }) as unknown as ContactRow);
  /** The longest list of rows any one stored value holds, as its JSON. */
  const largestValue = async (repo: ContactRepo) => Math.max(...(await repo.db.meta.toArray()).map((m) => (typeof (m.value as { rows?: unknown })?.rows === 'string' ? (JSON.parse((m.value as { rows: string }).rows) as unknown[]).length : 0)));

  it('is stored a page at a time, no value holding more than a page of rows, and read back whole in its order', async () => {
    const repo = await fresh();
    const rows = rowsOf(SNAPSHOT_PAGE * 2 + 7, 'r');
    await repo.saveListSnapshot(rows);
    expect(await largestValue(repo)).toBeLessThanOrEqual(SNAPSHOT_PAGE);
    expect(await repo.listSnapshot()).toEqual(rows);
    expect((await repo.listHead())?.total).toBe(rows.length);
    // A shorter one after it: the longer one's last pages go, and only the new rows are read.
    const fewer = rowsOf(5, 's');
    await repo.saveListSnapshot(fewer);
    expect(await repo.listSnapshot()).toEqual(fewer);
    expect((await repo.db.meta.toArray()).map((m) => m.key).filter((k) => k.startsWith('list:'))).toEqual(['list:0']);
    // Stale after a write, as before.
    await repo.create(LOCAL_BOOK_ID, card('A'));
    expect(await repo.listSnapshot()).toBeNull();
  });

  it('reads a snapshot written before the pages (one value), and none with a page missing', async () => {
    const repo = await fresh();
    const rows = rowsOf(3, 'o');
    await repo.db.meta.put({ key: 'list', value: { generation: repo.generation, rows: JSON.stringify(rows) } });
    expect(await repo.listSnapshot()).toEqual(rows);
    await repo.saveListSnapshot(rowsOf(SNAPSHOT_PAGE + 1, 'p'));
    await repo.db.meta.delete('list:1');
    expect(await repo.listSnapshot()).toBeNull();
  });
});

describe('a sync with nothing to do, in the store', () => {
  it('saves its state and leaves the list snapshot exact and the list untold; a batch with a card makes it stale', async () => {
    const repo = await fresh();
    const index = new ContactIndex('en');
    const store = syncStoreHandlers(repo, index);
    await store.ensureBook('dav', 'Work');
    await store.applyRemote('dav', { upserts: [{ href: '/b/a.vcf', etag: '"1"', vcard: serializeVCard(card('A')) }], deletes: [], state: { syncToken: 't1', ctag: null } });
    await repo.saveListSnapshot(await repo.allRows());
    let told = 0;
    index.subscribe(() => told++);
    expect(await store.applyRemote('dav', { upserts: [], deletes: [], state: { syncToken: 't2', ctag: null } })).toEqual([]);
    expect((await store.syncState('dav')).syncToken).toBe('t2');
    expect((await repo.listSnapshot())?.map((r) => r.displayName)).toEqual(['A']);
    expect(told).toBe(0);
    await store.applyRemote('dav', { upserts: [{ href: '/b/b.vcf', etag: '"1"', vcard: serializeVCard(card('B')) }], deletes: [], state: { syncToken: 't3', ctag: null } });
    expect(await repo.listSnapshot()).toBeNull();
    expect(told).toBe(1);
  });
});

describe('schema upgrade', () => {
  it('opens a version 1 database, upgrades it through every version, keeps every row and derives the new fields', async () => {
    const name = `upgrade-${Date.now()}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({ books: 'id', contacts: 'id, bookId', cards: 'id, bookId' });
    await v1.open();
    const text = serializeVCard(card('Ada Lovelace', 'EMAIL:ada@example.org\r\nX-OLD:kept\r\n'));
    await v1.table('books').put({ id: LOCAL_BOOK_ID, name: '', kind: 'local', version: '4.0', createdAt: 1 });
    await v1.table('contacts').put({ id: 'c1', bookId: LOCAL_BOOK_ID, displayName: 'Ada Lovelace', favorite: 1, pending: '', updatedAt: 1 });
    await v1.table('cards').put({ id: 'c1', bookId: LOCAL_BOOK_ID, vcard: text, base: '', href: '', etag: '' });
    v1.close();

    const repo = await ContactRepo.open(name);
    expect(repo.db.verno).toBe(9);
    const [row] = await repo.allRows();
    expect(row).toMatchObject({ id: 'c1', favorite: 1, uid: 'Ada Lovelace', email: 'ada@example.org', search: expect.stringContaining('ada@example.org') });
    expect((await repo.getCard('c1'))!.vcard).toBe(text);
    expect(await repo.byUid(LOCAL_BOOK_ID, 'Ada Lovelace')).toHaveLength(1);
  });

  it('upgrades a version 3 store to 4: every row gets its groups (CATEGORIES, group cards); the stale list snapshot goes', async () => {
    const name = `upgrade3-${Date.now()}`;
    const v3 = new Dexie(name);
    v3.version(3).stores({ books: 'id', contacts: 'id, bookId, uid', cards: 'id, bookId, href', meta: 'key' });
    await v3.open();
    const ada = serializeVCard(card('Ada', 'CATEGORIES:Family,Work\r\n'));
    const group = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:g1\r\nFN:Chess club\r\nN:Chess club;;;;\r\nX-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ADA\r\nEND:VCARD\r\n';
    await v3.table('contacts').bulkPut([
      { id: 'c1', bookId: LOCAL_BOOK_ID, uid: 'Ada', displayName: 'Ada', details: '', favorite: 0, pending: '', updatedAt: 1 },
      { id: 'g1', bookId: LOCAL_BOOK_ID, uid: 'g1', displayName: 'Chess club', details: '', favorite: 0, pending: '', updatedAt: 1 },
    ]);
    await v3.table('cards').bulkPut([
      { id: 'c1', bookId: LOCAL_BOOK_ID, vcard: ada, base: '', href: '', etag: '' },
      { id: 'g1', bookId: LOCAL_BOOK_ID, vcard: group, base: '', href: '', etag: '' },
    ]);
    await v3.table('meta').bulkPut([{ key: 'generation', value: 3 }, { key: 'list', value: { generation: 3, rows: '[]' } }]);
    v3.close();

    const repo = await ContactRepo.open(name);
    expect(repo.db.verno).toBe(9);
    expect(await repo.db.contacts.get('c1')).toMatchObject({ categories: ['Family', 'Work'], groupCard: '', groupName: '', members: [] });
    expect(await repo.db.contacts.get('g1')).toMatchObject({ categories: [], groupCard: 'apple', groupName: 'Chess club', members: ['ada'] });
    expect(await repo.listSnapshot()).toBeNull();
  });

  it('a book whose search texts were folded before ø, æ, ß were finds “soren” once its rows are derived again; current rows are left alone', async () => {
    const repo = await fresh();
    await repo.create(LOCAL_BOOK_ID, card('Søren Kierkegaard', 'ADR:;;Hauptstraße 1;Berlin;;;\r\n'));
    const { row: plain } = await repo.create(LOCAL_BOOK_ID, card('Ada Lovelace'));
    // As an older Cardinal stored it: its search text folded by case and accents only.
    const [old] = (await repo.allRows()).filter((r) => r.id !== plain.id);
    await repo.db.contacts.put({ ...old!, search: old!.search.replace('soren', 'søren').replace('strasse', 'straße') });
    const index = new ContactIndex('en');
    index.load(await repo.allRows());
    expect(index.query('soren', null)).toEqual([]);
    const before = repo.generation;
    expect(await rederiveOldRows(repo, index)).toBe(1);
    expect(repo.generation).toBeGreaterThan(before);
    expect(index.query('soren', null).map((r) => r.displayName)).toEqual(['Søren Kierkegaard']);
    expect(index.query('hauptstrasse', null).map((r) => r.displayName)).toEqual(['Søren Kierkegaard']);
    expect((await repo.db.contacts.get(old!.id))!.search).toContain('soren');
    // Nothing left to derive: a second start touches no row.
    expect(await rederiveOldRows(repo, index)).toBe(0);
  });
});
