/**
 * A first sync's batches into a book that held no server cards look no href up (the window knows
 * every href the run's batches wrote, `fresh` in sync-store.ts), and still find a card at an href
 * when one is there: one an earlier batch brought, or one another writer put there meanwhile
 * (any write of rows since makes the next batch read the book's hrefs again). The renderer's
 * Dexie store in fake-indexeddb, through the store requests.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeCollection } from '../../electron/sync/store-collection';
import type { LocalCollection } from '../../electron/sync/local';
import { parseVCard } from '../../shared/vcard';
import { openStore } from './renderer-store';

const BOOK = 'dav-book';
const card = (uid: string, fn: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\nEND:VCARD\r\n`;
const remotes = (from: number, n: number, v = 1) => Array.from({ length: n }, (_, k) => ({ href: `/b/${from + k}.vcf`, etag: `"${from + k}-${v}"`, vcard: card(`u${from + k}`, `Person ${from + k} v${v}`) }));
let opened = 0;

describe("a first sync's href look-ups", () => {
  let store: Awaited<ReturnType<typeof openStore>>;
  let sync: LocalCollection;
  /** Hrefs looked up one by one in the etags table's [bookId+href] index. */
  let lookups = 0;
  beforeEach(async () => {
    store = await openStore(`sync-hrefs-${++opened}-${Date.now()}`);
    await store.port.request('ensureBook', BOOK, 'Contacts');
    sync = storeCollection(store.port, BOOK);
    lookups = 0;
    const etags = store.repo.db.etags;
    const where = etags.where.bind(etags);
    etags.where = ((index: string) => {
      const clause = where(index);
      const equals = clause.equals.bind(clause);
      clause.equals = (key) => {
        lookups++;
        return equals(key);
      };
      return clause;
    }) as typeof etags.where;
  });
  afterEach(() => store.repo.db.close());

  const rows = async () => (await store.repo.db.contacts.where('[bookId+pending]').between([BOOK, ''], [BOOK, '\uffff']).toArray()).sort((a, b) => a.sortName.localeCompare(b.sortName, 'en', { numeric: true }));

  it('into an empty book: no href looked up, every card once, in list order', async () => {
    await sync.applyRemote({ upserts: remotes(0, 40), deletes: [] });
    await sync.applyRemote({ upserts: remotes(40, 40), deletes: [] });
    await sync.applyRemote({ upserts: remotes(80, 40), deletes: [], state: { syncToken: 't1', ctag: null } });
    expect(lookups).toBe(0);
    expect((await rows()).length).toBe(120);
    expect(store.index.query('', BOOK).map((r) => r.sortName)).toEqual(Array.from({ length: 120 }, (_, i) => `Person ${i} v1`).sort(new Intl.Collator('en', { sensitivity: 'base', numeric: true }).compare));
    // The run's history: 120 created, in one run.
    const runs = await store.repo.db.runs.toArray();
    expect(runs.filter((r) => r.partOf === undefined).length).toBe(1);
    expect(runs.flatMap((r) => r.entries).filter((e) => e.change === 'created').length).toBe(120);
  });

  it('an href a batch before brought is found again: the card is updated, not a second copy', async () => {
    await sync.applyRemote({ upserts: remotes(0, 5), deletes: [] });
    const [first] = await rows();
    await sync.applyRemote({ upserts: [...remotes(5, 5), ...remotes(0, 1, 2)], deletes: [], state: { syncToken: 't1', ctag: null } });
    const after = await rows();
    expect(after.length).toBe(10);
    expect(after.find((r) => r.id === first!.id)?.sortName).toBe('Person 0 v2');
    // Only the href the run had written was looked up.
    expect(lookups).toBe(1);
  });

  it('a card another writer put at an href meanwhile is found: the batch after it reads the hrefs again', async () => {
    await sync.applyRemote({ upserts: remotes(0, 5), deletes: [] });
    const [first] = await rows();
    // Another writer between two batches: the card of Person 0 now at /b/99.vcf (as an upload's answer would put it).
    await store.repo.db.cards.update(first!.id, { href: '/b/99.vcf' });
    await sync.applyRemote({ upserts: [{ href: '/b/99.vcf', etag: '"99-2"', vcard: card('u0', 'Person 0 there') }, ...remotes(5, 5)], deletes: [], state: { syncToken: 't1', ctag: null } });
    const after = await rows();
    expect(after.length).toBe(10);
    expect(after.find((r) => r.id === first!.id)?.sortName).toBe('Person 0 there');
    const stored = await store.repo.db.cards.get(first!.id);
    expect(parseVCard(stored!.vcard).properties.find((p) => p.name === 'FN')?.value).toBe('Person 0 there');
  });

  it('a removal of a card a batch before brought is applied', async () => {
    await sync.applyRemote({ upserts: remotes(0, 3), deletes: [] });
    await sync.applyRemote({ upserts: remotes(3, 3), deletes: ['/b/1.vcf'], state: { syncToken: 't1', ctag: null } });
    expect((await rows()).map((r) => r.sortName)).toEqual(['Person 0 v1', 'Person 2 v1', 'Person 3 v1', 'Person 4 v1', 'Person 5 v1']);
  });

  it('a book with server cards already: its hrefs are looked up as before', async () => {
    await sync.applyRemote({ upserts: remotes(0, 3), deletes: [], state: { syncToken: 't1', ctag: null } });
    lookups = 0;
    await sync.applyRemote({ upserts: remotes(0, 2, 2), deletes: [], state: { syncToken: 't2', ctag: null } });
    expect(lookups).toBe(2);
    expect((await rows()).map((r) => r.sortName)).toEqual(['Person 0 v2', 'Person 1 v2', 'Person 2 v1']);
  });
});
