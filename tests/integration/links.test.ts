/**
 * Linked contacts against the renderer's Dexie store (fake-indexeddb), with the sync engine's
 * writes going through the same port as in the app (storeCollection): a link is kept on this
 * computer across a restart, changes no card (nothing for the sync to send), holds while a sync
 * changes its cards, loses a card a sync deletes (the other is a contact of its own when it is
 * the last), and goes with an account's books.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeCollection } from '../../electron/sync/store-collection';
import type { LocalCollection } from '../../electron/sync/local';
import { LOCAL_BOOK_ID } from '../../renderer/src/db/schema';
import { isFavorite, LinkStore } from '../../renderer/src/store/links';
import { toggleFavorite } from '../../renderer/src/actions';
import type { Services } from '../../renderer/src/services';
import { parseVCard } from '../../shared/vcard';
import { openStore } from './renderer-store';

const card = (uid: string, fn: string, extra = '') => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\n${extra}END:VCARD\r\n`;
const DAV = 'dav-book';
const OTHER = 'other-book';
let opened = 0;

describe('linked contacts in the store', () => {
  let name: string;
  let store: Awaited<ReturnType<typeof openStore>>;
  let links: LinkStore;
  let dav: LocalCollection;
  let other: LocalCollection;

  const open = async () => {
    store = await openStore(name);
    links = await LinkStore.open(store.repo, store.index);
    const open = links;
    store.hooks.linksMoved = () => open.reload();
    dav = storeCollection(store.port, DAV);
    other = storeCollection(store.port, OTHER);
  };
  /** Close and open again, as a restart does. */
  const restart = async () => {
    store.repo.db.close();
    await open();
  };
  beforeEach(async () => {
    name = `links-${process.pid}-${++opened}`;
    await open();
    await store.port.request('ensureBook', DAV, 'Work server');
    await store.port.request('ensureBook', OTHER, 'Other server');
  });
  afterEach(() => store.repo.db.close());

  async function synced(sync: LocalCollection, uid: string, fn: string, extra = ''): Promise<string> {
    await sync.applyRemote({ upserts: [{ href: `/${uid}.vcf`, etag: `"${uid}-1"`, vcard: card(uid, fn, extra) }], deletes: [], state: { syncToken: `t-${uid}`, ctag: null } });
    const id = (await store.repo.db.etags.filter((e) => e.href === `/${uid}.vcf`).first())!.id;
    store.index.upsert([(await store.repo.db.contacts.get(id))!]);
    return id;
  }
  const local = async (uid: string, fn: string, extra = '') => {
    const stored = await store.repo.create(LOCAL_BOOK_ID, parseVCard(card(uid, fn, extra)));
    store.index.upsert([stored.row]);
    return stored.row.id;
  };
  /** What the window lists (all books), each link once. */
  const listed = () => links.collapse(store.index.list('', null), store.index.list('', null)).rows.map((r) => r.displayName);
  /** Everything of the cards the sync reads (text, queue mark, revision), to see that a link touched none. */
  const cardsState = async () => (await store.repo.db.cards.toArray()).map((c) => [c.id, c.vcard, c.revision ?? 0, c.href, c.etag]).sort();
  const rowsState = async () => (await store.repo.db.contacts.toArray()).map((r) => [r.id, r.pending, r.updatedAt]).sort();

  it('links a card of this computer and a server’s card as one contact, changing no card, and keeps the link after a restart', async () => {
    const a = await local('a', 'Ann Lee', 'EMAIL:ann@home.example\r\n');
    const b = await synced(dav, 'b', 'Annie Lee', 'EMAIL:ann@work.example\r\n');
    const cards = await cardsState();
    const rows = await rowsState();
    const versions = await store.repo.db.versions.count();
    await links.link([a, b], b);
    expect(listed()).toEqual(['Annie Lee']);
    expect(await cardsState()).toEqual(cards);
    expect(await rowsState()).toEqual(rows);
    expect(await store.repo.db.versions.count()).toBe(versions);
    // Nothing waits for the server: the sync has nothing to send.
    expect(store.index.pendingIn(new Set([DAV]))).toEqual({ all: 0, toSend: 0, conflicts: 0 });
    await restart();
    expect(links.linkOf(a)).toMatchObject({ members: [a, b], primary: b });
    expect(listed()).toEqual(['Annie Lee']);
  });

  it('unlinks into two contacts again, after a restart too, and no card changed', async () => {
    const a = await local('a', 'Ann Lee');
    const b = await synced(dav, 'b', 'Ann Lee');
    const cards = await cardsState();
    const { record } = await links.link([a, b], a);
    await links.unlink(record.id);
    expect(listed()).toEqual(['Ann Lee', 'Ann Lee']);
    await restart();
    expect(links.linkOf(a)).toBeNull();
    expect(listed()).toHaveLength(2);
    expect(await cardsState()).toEqual(cards);
  });

  it('holds while a sync changes the server’s card: the list shows the new name once', async () => {
    const a = await local('a', 'Ann Lee');
    const b = await synced(dav, 'b', 'Ann Lee');
    await links.link([a, b], b);
    await dav.applyRemote({ upserts: [{ href: '/b.vcf', etag: '"b-2"', vcard: card('b', 'Ann Lee-Smith') }], deletes: [], state: { syncToken: 't2', ctag: null } });
    store.index.upsert([(await store.repo.db.contacts.get(b))!]);
    expect(listed()).toEqual(['Ann Lee-Smith']);
    await restart();
    expect(listed()).toEqual(['Ann Lee-Smith']);
    expect(links.linkOf(b)?.members).toEqual([a, b]);
  });

  it('a card its server deleted leaves the link; the last card left is a contact of its own, and once the card is out of the trash for good the link is gone after a restart', async () => {
    const a = await local('a', 'Ann Lee');
    const b = await synced(dav, 'b', 'Ann Lee');
    await links.link([a, b], b);
    await dav.applyRemote({ upserts: [], deletes: ['/b.vcf'], state: { syncToken: 't2', ctag: null } });
    store.index.remove([b]);
    expect(links.linkOf(a)).toBeNull();
    expect(listed()).toEqual(['Ann Lee']);
    await restart();
    // The server's deletion is in the trash: no link shown, the record kept for a restore.
    expect(links.linkOf(a)).toBeNull();
    expect(listed()).toEqual(['Ann Lee']);
    await store.repo.deleteForever([b]);
    await restart();
    expect(links.all()).toEqual([]);
    expect(await store.repo.db.meta.where('key').startsWith('link:').count()).toBe(0);
  });

  /** Restore from the trash as the Trash screen does (features/history/actions.ts): store, links, list. */
  const restoreFromTrash = async (ids: string[]) => {
    const result = await store.repo.restoreFromTrash(ids, LOCAL_BOOK_ID);
    if (result.moved.length > 0) await links.leave(result.moved);
    store.index.upsert(result.changed);
    return result;
  };

  it('a card deleted here and restored from the trash after a restart is linked again, and still after another restart', async () => {
    const a = await local('a', 'Ann Lee');
    const b = await synced(dav, 'b', 'Annie Lee');
    await links.link([a, b], b);
    await store.repo.remove([a]);
    store.index.remove([a]);
    await restart();
    expect(listed()).toEqual(['Annie Lee']);
    expect(links.linkOf(b)).toBeNull();
    await restoreFromTrash([a]);
    expect(links.linkOf(b)).toMatchObject({ members: [a, b], primary: b });
    expect(listed()).toEqual(['Annie Lee']);
    await restart();
    expect(links.linkOf(a)).toMatchObject({ members: [a, b], primary: b });
    expect(listed()).toEqual(['Annie Lee']);
  });

  it('a card its server deleted, restored from the trash after a restart, is linked again (and goes to its server again)', async () => {
    const a = await local('a', 'Ann Lee');
    const b = await synced(dav, 'b', 'Annie Lee');
    await links.link([a, b], b);
    await dav.applyRemote({ upserts: [], deletes: ['/b.vcf'], state: { syncToken: 't2', ctag: null } });
    store.index.remove([b]);
    await restart();
    await restoreFromTrash([b]);
    expect(links.linkOf(a)).toMatchObject({ members: [a, b], primary: b });
    expect(listed()).toEqual(['Annie Lee']);
    expect(store.index.pendingIn(new Set([DAV])).toSend).toBe(1);
  });

  it('a linked card restored from the trash after its account was removed is a new contact of another book, not linked, before and after a restart', async () => {
    const a = await local('a', 'Ann Lee');
    const b = await synced(dav, 'b', 'Annie Lee');
    const c = await synced(other, 'c', 'A. Lee');
    await links.link([a, b, c], b);
    await store.repo.remove([b]);
    store.index.remove([b]);
    await store.port.request('removeBook', DAV);
    // In this session: the record still names the card, and the restore takes it out.
    expect((await restoreFromTrash([b])).moved).toEqual([b]);
    expect(links.linkOf(b)).toBeNull();
    expect(links.linkOf(a)).toMatchObject({ members: [a, c] });
    await restart();
    expect(links.linkOf(b)).toBeNull();
    expect(links.all()).toEqual([expect.objectContaining({ members: [a, c] })]);
  });

  it('a linked card in the trash of a removed account leaves its link at the next start', async () => {
    const a = await local('a', 'Ann Lee');
    const b = await synced(dav, 'b', 'Annie Lee');
    await links.link([a, b], b);
    await store.repo.remove([b]);
    store.index.remove([b]);
    await store.port.request('removeBook', DAV);
    await restart();
    expect(links.all()).toEqual([]);
    await restoreFromTrash([b]);
    expect(links.linkOf(b)).toBeNull();
    expect(listed()).toEqual(['Ann Lee', 'Annie Lee']);
  });

  it('of three linked cards, one deleted by its server leaves the other two linked, after a restart too', async () => {
    const a = await local('a', 'Ann Lee');
    const b = await synced(dav, 'b', 'Ann Lee');
    const c = await synced(other, 'c', 'A. Lee');
    await links.link([a, b, c], c);
    expect(listed()).toEqual(['A. Lee']);
    await other.applyRemote({ upserts: [], deletes: ['/c.vcf'], state: { syncToken: 't2', ctag: null } });
    store.index.remove([c]);
    expect(listed()).toEqual(['Ann Lee']);
    await restart();
    expect(links.linkOf(a)).toMatchObject({ members: [a, b], primary: a });
    expect(listed()).toEqual(['Ann Lee']);
    // Out of the trash for good: the record is tidied at the next start.
    await store.repo.deleteForever([c]);
    await restart();
    expect(links.all()).toEqual([expect.objectContaining({ members: [a, b], primary: a })]);
  });

  it('removing an account’s book takes its cards out of their links', async () => {
    const a = await local('a', 'Ann Lee');
    const b = await synced(dav, 'b', 'Ann Lee');
    await links.link([a, b], b);
    await store.port.request('removeBook', DAV);
    expect(links.linkOf(a)).toBeNull();
    await restart();
    expect(links.all()).toEqual([]);
    expect(listed()).toEqual(['Ann Lee']);
  });

  /** The star of the list and the linked view, and what a click on it does (actions.ts). */
  const starred = (id: string) => isFavorite(id, links.linkOf, (x) => store.index.get(x));
  const star = (id: string) => toggleFavorite({ repo: store.repo, index: store.index, links } as unknown as Services, id);
  const favourites = (bookId: string | null) => links.collapse(store.index.list('', bookId, true), store.index.list('', bookId, true)).rows.map((r) => r.displayName);

  it('starring a linked contact stars it as one person: every card, so each book’s view and the favourites list it once; unstarring unstars every card, after a restart too', async () => {
    const a = await local('a', 'Ann Lee');
    const b = await synced(dav, 'b', 'Annie Lee');
    await links.link([a, b], b);
    await star(b);
    expect([starred(a), starred(b)]).toEqual([true, true]);
    expect((await store.repo.db.contacts.bulkGet([a, b])).map((r) => r!.favorite)).toEqual([1, 1]);
    expect(favourites(null)).toEqual(['Annie Lee']);
    expect(favourites(LOCAL_BOOK_ID)).toEqual(['Ann Lee']);
    expect(favourites(DAV)).toEqual(['Annie Lee']);
    await restart();
    expect(starred(b)).toBe(true);
    await star(b);
    expect((await store.repo.db.contacts.bulkGet([a, b])).map((r) => r!.favorite)).toEqual([0, 0]);
    expect(favourites(null)).toEqual([]);
  });

  it('a linked contact one of whose cards was starred before the link (or on its server) is shown starred, listed once among the favourites, and its star unstars that card', async () => {
    const a = await local('a', 'Ann Lee');
    const b = await synced(dav, 'b', 'Annie Lee');
    store.index.upsert([(await store.repo.setFavorite(a, true))!]);
    await links.link([a, b], b);
    expect(starred(b)).toBe(true);
    expect(favourites(null)).toEqual(['Ann Lee']);
    await star(b);
    expect([starred(a), starred(b)]).toEqual([false, false]);
    expect(favourites(null)).toEqual([]);
    // A card on its own keeps its own star.
    await links.unlink(links.linkOf(a)!.id);
    await star(a);
    expect([starred(a), starred(b)]).toEqual([true, false]);
  });

  it('an edit of one card goes to that card only: the other card and its server’s state stay as they were', async () => {
    const a = await local('a', 'Ann Lee');
    const b = await synced(dav, 'b', 'Ann Lee');
    await links.link([a, b], a);
    const before = (await store.repo.db.cards.get(b))!;
    const stored = await store.repo.update(a, parseVCard(card('a', 'Ann Lee', 'TEL:+1 555 0100\r\n')));
    store.index.upsert([stored.row]);
    expect(await store.repo.db.cards.get(b)).toEqual(before);
    expect(store.index.pendingIn(new Set([DAV]))).toEqual({ all: 0, toSend: 0, conflicts: 0 });
    expect(links.linkOf(b)?.members).toEqual([a, b]);
  });

  it('refuses to link cards of one book (those are merged) and keeps no record', async () => {
    const b = await synced(dav, 'b', 'Ann Lee');
    const c = await synced(dav, 'c', 'Ann Lee');
    await expect(links.link([b, c], b)).rejects.toThrow(/merged, not linked/);
    expect(await store.repo.db.meta.where('key').startsWith('link:').count()).toBe(0);
  });

  it('a card deleted here and brought back by the undo is linked again', async () => {
    const a = await local('a', 'Ann Lee');
    const b = await synced(dav, 'b', 'Ann Lee');
    await links.link([a, b], b);
    const removed = await store.repo.remove([a]);
    store.index.remove([a]);
    expect(links.linkOf(b)).toBeNull();
    const back = await store.repo.restore(removed);
    store.index.upsert(back.map((r) => r.row));
    expect(links.linkOf(b)?.members).toEqual([a, b]);
  });

  it('a merge within a book keeps the link: the card that stayed takes the merged-away card’s place', async () => {
    const a = await local('a', 'Ann Lee');
    const b = await synced(dav, 'b', 'Ann Lee');
    const b2 = await synced(dav, 'b2', 'Ann Lee', 'TEL:+1 555 0100\r\n');
    await links.link([a, b], b);
    const before = [links.linkOf(b)!];
    // The merge as writeMerge writes it: the survivor updated, the other removed (a deletion for the server).
    const stored = await store.repo.update(b2, parseVCard(card('b2', 'Ann Lee', 'TEL:+1 555 0100\r\nEMAIL:ann@example.org\r\n')));
    await store.repo.remove([b]);
    store.index.upsert([stored.row, { ...(await store.repo.db.contacts.get(b))!, pending: 'deleted' }]);
    await links.carryOver(before, [b], b2);
    expect(links.linkOf(a)).toMatchObject({ members: [b2, a], primary: b2 });
    expect(listed()).toEqual(['Ann Lee']);
    await restart();
    expect(links.linkOf(a)?.members).toEqual([b2, a]);
  });

  it('a create whose answer was lost, its copy come down and linked meanwhile: when the answer comes, the card that stays takes the copy’s place in the link, after a restart too', async () => {
    const l = await local('l', 'Nora New', 'EMAIL:nora@home.example\r\n');
    const created = await store.repo.create(DAV, parseVCard(card('n', 'Nora New', 'EMAIL:nora@work.example\r\n')));
    store.index.upsert([created.row]);
    const sent = ((await store.port.request('pendingCards', DAV)) as { id: string; vcard: string; revision: number }[]).find((c) => c.id === created.row.id)!;
    await store.port.request('attemptingUpload', DAV, [{ id: sent.id, revision: sent.revision, vcard: sent.vcard }]);
    // The create reached the server but its answer was lost; the next listing brings the card down as a new row.
    const copy = await synced(dav, 'n', 'Nora New', 'EMAIL:nora@work.example\r\n');
    expect(copy).not.toBe(created.row.id);
    await links.link([l, copy], copy);
    expect(listed().filter((n) => n === 'Nora New')).toHaveLength(2); // the link, and the create still waiting
    // The create's answer after all: one row for that href, the create's; the clean copy goes.
    await store.port.request('uploaded', DAV, created.row.id, { href: '/n.vcf', etag: '"n-2"', vcard: sent.vcard }, sent.revision);
    expect(await store.repo.db.contacts.get(copy)).toBeUndefined();
    expect([...(links.linkOf(l)?.members ?? [])].sort()).toEqual([l, created.row.id].sort());
    expect(listed().filter((n) => n === 'Nora New')).toHaveLength(1);
    await restart();
    expect([...(links.linkOf(l)?.members ?? [])].sort()).toEqual([l, created.row.id].sort());
  });

  it('a lost create’s copy starred meanwhile: when the answer comes and the copy goes, the card that stays keeps the star and the copy’s history', async () => {
    const created = await store.repo.create(DAV, parseVCard(card('s', 'Stella Star', 'EMAIL:stella@work.example\r\n')));
    store.index.upsert([created.row]);
    const sent = ((await store.port.request('pendingCards', DAV)) as { id: string; vcard: string; revision: number }[]).find((c) => c.id === created.row.id)!;
    await store.port.request('attemptingUpload', DAV, [{ id: sent.id, revision: sent.revision, vcard: sent.vcard }]);
    const copy = await synced(dav, 's', 'Stella Star', 'EMAIL:stella@work.example\r\n');
    await toggleFavorite({ repo: store.repo, index: store.index, links } as unknown as Services, copy);
    const db = store.repo.db;
    const copyVersions = await db.versions.where('[contactId+at]').between([copy, -Infinity], [copy, Infinity]).toArray();
    expect(copyVersions.length).toBeGreaterThan(0);
    await store.port.request('uploaded', DAV, created.row.id, { href: '/s.vcf', etag: '"s-2"', vcard: sent.vcard }, sent.revision);
    expect(await db.contacts.get(copy)).toBeUndefined();
    expect((await db.contacts.get(created.row.id))?.favorite).toBe(1);
    expect(store.index.get(created.row.id)?.favorite).toBe(1);
    const kept = await db.versions.where('[contactId+at]').between([created.row.id, -Infinity], [created.row.id, Infinity]).toArray();
    for (const v of copyVersions) expect(kept.map((k) => k.id)).toContain(v.id);
    expect(new Set(kept.map((k) => k.at)).size).toBe(kept.length);
    expect(await db.versions.where('[contactId+at]').between([copy, -Infinity], [copy, Infinity]).count()).toBe(0);
  });
});
