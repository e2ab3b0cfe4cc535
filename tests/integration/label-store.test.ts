/**
 * A Google book's labels in the renderer's Dexie store (fake-indexeddb), through the store
 * requests the labels sync in main makes: the cards it joins people to (with the hrefs of those on
 * the server, none for one not sent yet), and the favourites a write stars and unstars, and no
 * other row.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeCollection } from '../../electron/sync/store-collection';
import type { LabelCardRef } from '../../shared/groups/labels';
import { EMPTY_PEOPLE_STATE } from '../../shared/groups/labels';
import { parseVCard } from '../../shared/vcard';
import { openStore } from './renderer-store';

const BOOK = 'google-book';
const card = (uid: string, fn: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\nEND:VCARD\r\n`;
let opened = 0;

describe('the labels store of a Google book', () => {
  let store: Awaited<ReturnType<typeof openStore>>;
  beforeEach(async () => {
    store = await openStore(`label-store-${++opened}-${Date.now()}`);
  });
  afterEach(() => store.repo.db.close());

  /** Cards on the server, as a sync's download writes them. */
  const onServer = async (n: number) => {
    const sync = storeCollection(store.port, BOOK);
    await sync.applyRemote({ upserts: Array.from({ length: n }, (_, i) => ({ href: `/dav/people/c${i}`, etag: `"e${i}"`, vcard: card(`c${i}`, `Person ${i}`) })), deletes: [], state: { syncToken: 't1', ctag: null } });
    const rows = await store.repo.db.contacts.where('bookId').equals(BOOK).toArray();
    return new Map(rows.map((r) => [r.uid, r.id]));
  };

  it('the cards to join people to carry their hrefs on the server, and none for a card not sent yet', async () => {
    const ids = await onServer(3);
    const fresh = await store.repo.create(BOOK, parseVCard(card('new-one', 'Not Sent')));
    const refs: readonly LabelCardRef[] = await store.port.request('labelCards', BOOK);
    const byId = new Map(refs.map((r) => [r.id, r]));
    expect(refs).toHaveLength(4);
    for (let i = 0; i < 3; i++) expect(byId.get(ids.get(`c${i}`)!)).toMatchObject({ href: `/dav/people/c${i}`, uid: `c${i}` });
    expect(byId.get(fresh.row.id)).toMatchObject({ href: '', uid: 'new-one' });
  });

  it('a write stars and unstars the rows it names, and leaves every other row as it was', async () => {
    const ids = await onServer(4);
    const [a, b, c] = [ids.get('c0')!, ids.get('c1')!, ids.get('c2')!];
    await store.repo.db.contacts.update(b, { favorite: 1 });
    await store.repo.db.contacts.update(c, { favorite: 1 });
    const before = await store.repo.db.contacts.get(ids.get('c3')!);
    await store.port.request('labelsApply', BOOK, { labels: [], favourites: { add: [a], remove: [b] }, people: { put: [], remove: [] }, state: EMPTY_PEOPLE_STATE });
    const fav = async (id: string) => (await store.repo.db.contacts.get(id))?.favorite;
    expect([await fav(a), await fav(b), await fav(c)]).toEqual([1, 0, 1]);
    expect(await store.repo.db.contacts.get(ids.get('c3')!)).toEqual(before);
    expect(store.index.get(a)?.favorite).toBe(1);
    expect(store.index.get(b)?.favorite).toBe(0);
    const read = await store.port.request('labelsRead', BOOK);
    expect([...read.favourites].sort()).toEqual([a, c].sort());
  });
});
