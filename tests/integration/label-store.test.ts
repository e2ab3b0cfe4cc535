/**
 * A Google book's labels in the renderer's Dexie store (fake-indexeddb), through the store
 * requests the labels sync in main makes: the cards it joins people to (with the hrefs of those on
 * the server, none for one not sent yet), and the favourites a write stars and unstars, and no
 * other row. The labels sync asks with the count of writes it last read at: nothing written since,
 * nothing is read; any write to the rows or the labels record since, and it reads again.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StorePort } from '../../electron/core/store-port';
import { storeLabelStore, type LabelReads } from '../../electron/people/store';
import { storeCollection } from '../../electron/sync/store-collection';
import { writeNewContacts } from '../../renderer/src/db/import-write';
import { ContactRepo } from '../../renderer/src/db/repo';
import type { LabelCardRef, StoredLabel } from '../../shared/groups/labels';
import { EMPTY_PEOPLE_STATE, newLabel } from '../../shared/groups/labels';
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

  /** Asked with the count it last read at: whether the store read the rows again (and the count now). */
  const readsAgain = async (known: string): Promise<{ read: boolean; written: string }> => {
    const r = await store.port.request('labelsReadWithCards', BOOK, known);
    return { read: !('unchanged' in r), written: r.written };
  };

  it('a labels pass with nothing written since its last reads no rows; each kind of write since makes it read again', async () => {
    const ids = await onServer(3);
    const first = await store.port.request('labelsReadWithCards', BOOK);
    let known = first.written;
    expect(known).not.toBe('');
    expect(await readsAgain(known)).toEqual({ read: false, written: known });
    const [a, b] = [ids.get('c0')!, ids.get('c1')!];
    const merged: Awaited<ReturnType<typeof store.repo.remove>> = [];
    const writes: [string, () => Promise<unknown>][] = [
      ['an edit here', () => store.repo.update(a, parseVCard(card('c0', 'Ada Edited')))],
      ['a favourite ticked', () => store.repo.setFavorite(b, true)],
      ['a label made here', () => store.repo.applyGroupChanges(BOOK, [{ kind: 'label', label: newLabel('l1', 'Family', [a]) }])],
      ['a label renamed here', () => store.repo.applyGroupChanges(BOOK, [{ kind: 'label', label: { ...newLabel('l1', 'Kin', [a]) } }])],
      ['a deletion', () => store.repo.remove([b])],
      ['a restore from the trash', () => store.repo.restoreFromTrash([b], BOOK)],
      ['an import (the window)', () => store.repo.putAll([ContactRepo.rows(crypto.randomUUID(), BOOK, parseVCard(card('i1', 'Imported One')))], undefined, { source: 'import', run: { kind: 'import' } })],
      ['an import (the worker)', () => writeNewContacts(store.repo.db, [ContactRepo.rows(crypto.randomUUID(), BOOK, parseVCard(card('i2', 'Imported Two')))], { id: 'run-2', bookId: BOOK }, 10, () => {})],
      // As a merge writes (features/duplicates/merge.ts): the survivor edited, the other removed, in one transaction; its undo puts the other back.
      ['a merge', () => store.repo.db.transaction('rw', store.repo.tables, async () => {
        await store.repo.update(a, parseVCard(card('c0', 'Ada Merged')));
        merged.push(...(await store.repo.remove([ids.get('c2')!])));
      })],
      ['the merge undone', () => store.repo.restore(merged)],
      ['a sync\'s download', () => storeCollection(store.port, BOOK).applyRemote({ upserts: [{ href: '/dav/people/c9', etag: '"e9"', vcard: card('c9', 'Person 9') }], deletes: [], state: { syncToken: 't2', ctag: null } })],
    ];
    for (const [what, write] of writes) {
      await write();
      const again = await readsAgain(known);
      expect(again.read, what).toBe(true);
      expect(again.written, what).not.toBe(known);
      known = again.written;
      expect(await readsAgain(known), `after ${what}, nothing more`).toEqual({ read: false, written: known });
    }
    const runs = await store.repo.runsOf(BOOK);
    await store.repo.undoRun(runs[0]!.id, BOOK);
    expect((await readsAgain(known)).read, 'an undo').toBe(true);
  });

  it('a label edited here is seen by the next labels pass, after a pass that read nothing', async () => {
    const ids = await onServer(2);
    const reads: LabelReads = new Map();
    // Whether each read of the labels sync read the rows.
    const rowsRead: boolean[] = [];
    const port: StorePort = {
      request: async (name, ...args) => {
        const r = await store.port.request(name, ...args);
        if (name === 'labelsReadWithCards') rowsRead.push(!('unchanged' in (r as object)));
        return r;
      },
    };
    await storeLabelStore(port, BOOK, reads).read();
    expect((await storeLabelStore(port, BOOK, reads).read()).labels).toEqual([]);
    await store.repo.applyGroupChanges(BOOK, [{ kind: 'label', label: newLabel('l1', 'Family', [ids.get('c0')!]) }]);
    const seen = await storeLabelStore(port, BOOK, reads).read();
    expect(rowsRead).toEqual([true, false, true]);
    expect(seen.labels.map((l: StoredLabel) => [l.name, l.members])).toEqual([['Family', [ids.get('c0')!]]]);
  });

  it('a labels sync\'s own write is what its next pass starts from without reading: the same as a fresh read of the store', async () => {
    const ids = await onServer(3);
    const [a, b, c] = [ids.get('c0')!, ids.get('c1')!, ids.get('c2')!];
    await store.repo.setFavorite(c, true);
    await store.repo.applyGroupChanges(BOOK, [{ kind: 'label', label: newLabel('l1', 'Family', [a]) }]);
    const reads: LabelReads = new Map();
    const labels = storeLabelStore(store.port, BOOK, reads);
    const before = await labels.read();
    const remote = { resourceName: 'contactGroups/x1', etag: 'e1', name: 'Friends', memberCount: 1, members: ['people/c1'] };
    await labels.apply({
      labels: [{ kind: 'new', label: { ...newLabel('l2', 'Friends', [b]), remote: { ...remote, seen: [b], unsettled: {} } } }],
      favourites: { add: [a], remove: [c] },
      people: { put: [{ resourceName: 'people/c1', sourceId: 'c1', contactId: b, print: 'p' }], remove: [] },
      state: { ...before.state, peopleToken: 'next' },
    });
    const cached = reads.get(BOOK);
    expect(cached).toBeDefined();
    expect((await readsAgain(cached!.written)).read).toBe(false);
    const fresh = await store.port.request('labelsRead', BOOK);
    const next = await storeLabelStore(store.port, BOOK, reads).read();
    expect({ ...next, favourites: [...next.favourites].sort() }).toEqual({ ...fresh, favourites: [...fresh.favourites].sort() });
    expect([...next.favourites].sort()).toEqual([a]);
  });
});
