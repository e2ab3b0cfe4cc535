/**
 * Accounts and the scheduler against the four real servers (a fresh book per test), with the renderer's real Dexie
 * store (in fake-indexeddb) answering the engine through the store requests, as in the app.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PendingStoreRequests, type StorePort } from '../../electron/core/store-port';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { NodePlatform } from '../../electron/platform/node-platform';
import { SyncManager } from '../../electron/sync/manager';
import { openStore } from './renderer-store';
import type { SyncStatus } from '../../shared/sync/types';
import { parseVCard } from '../../shared/vcard';
import { SERVERS, type TestServer } from '../servers/servers';

const card = (uid: string, fn: string, extra = '') => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\n${extra}END:VCARD\r\n`;

let dbCount = 0;

for (const [name, start] of SERVERS) {
  describe(`accounts and scheduling with ${name}`, () => {
    let server: TestServer;
    let dataDir: string;
    let other: CardDavClient;
    const managers: SyncManager[] = [];
    let online = true;
    let requests: string[];

    let book: string;

    beforeAll(async () => {
      server = await start();
      other = new CardDavClient(new DavHttp({ auth: server.password === '' ? { kind: 'none' } : { kind: 'basic', user: server.user, password: server.password } }));
    });
    afterAll(() => server.stop());
    beforeEach(async () => {
      book = await server.newBook();
      dataDir = mkdtempSync(join(tmpdir(), 'cardinal-manager-'));
      online = true;
      requests = [];
    });
    afterEach(async () => {
      for (const m of managers.splice(0)) m.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const url = (file: string) => new URL(file, book).href;

    function manager(store: StorePort, statuses: SyncStatus[] = [], fetchImpl: typeof fetch = fetch) {
      const platform = new NodePlatform({ dataDir, version: '0.0.0', online: () => online });
      const m = new SyncManager({
        log: process.env.CARDINAL_DEBUG ? (l) => console.log(l) : undefined,
        platform,
        store,
        emit: (s) => statuses.push(s),
        intervalMinutes: 0,
        debounceMs: 50,
        fetch: (input, init) => {
          requests.push(init?.method ?? 'GET');
          return fetchImpl(input, init);
        },
      });
      managers.push(m);
      return m;
    }

    async function addAccount(m: SyncManager) {
      const found = await m.discover({ url: server.baseUrl, user: server.user, password: server.password, allowInsecure: false });
      expect(found.books.map((b) => b.url)).toContain(book);
      const account = await m.add(found.discoveryId, [book]);
      return { account, status: await m.sync(account.id) };
    }

    it('discovery from the base URL; the picked book syncs into the store', async () => {
      await server.seed([
        { file: 'a.vcf', vcard: card('a', 'Ada') },
        { file: 'b.vcf', vcard: card('b', 'Bob') },
      ], book);
      const { repo, index, port } = await openStore(`mgr-${++dbCount}`);
      const m = manager(port);
      const { account, status } = await addAccount(m);
      expect(status).toMatchObject({ phase: 'idle', lastSync: expect.any(Number) });
      expect(JSON.stringify(m.accounts.list())).not.toContain(server.password || 'secret-never-there');
      expect(index.query('', account.books[0]!.id).map((r) => r.displayName)).toEqual(['Ada', 'Bob']);
      expect((await repo.books()).map((b) => b.name)).toContain(account.books[0]!.name);
    });

    it('pending edits survive a restart of the host and reach the server afterwards', async () => {
      await server.seed([{ file: 'e.vcf', vcard: card('e', 'Edith') }], book);
      const dbName = `mgr-${++dbCount}`;
      let store = await openStore(dbName);
      const first = manager(store.port);
      const { account } = await addAccount(first);
      const bookId = account.books[0]!.id;
      const edith = store.index.query('Edith', bookId)[0]!;

      // Offline edits: the server is gone; they are queued in the store.
      await server.pause();
      await store.repo.update(edith.id, parseVCard(card('e', 'Edith Clarke')));
      await store.repo.create(bookId, parseVCard(card('n', 'Newton')));
      const failed = await first.sync(account.id);
      expect(failed).toMatchObject({ phase: 'offline', action: 'retry', retryIn: expect.any(Number) });
      first.dispose();
      store.repo.db.close();

      // A new process: the same data folder and database.
      await server.resume();
      store = await openStore(dbName);
      expect(store.index.query('', bookId).filter((r) => r.pending !== '')).toHaveLength(2);
      const second = manager(store.port);
      expect(await second.sync(account.id)).toMatchObject({ phase: 'idle' });
      const names = (await other.multiget(book, (await other.listEtags(book)).map((e) => e.href))).cards
        .map((c) => /FN:(.*)\r?\n/.exec(c.vcard)![1])
        .sort();
      expect(names).toEqual(['Edith Clarke', 'Newton']);
      expect(store.index.query('', bookId).filter((r) => r.pending !== '')).toHaveLength(0);
    });

    it('the window reloaded during a sync: what the gone page was asked fails at once, and the run goes on once the new page answers (synced, every card here, no error shown)', async () => {
      await server.seed([
        { file: 'a.vcf', vcard: card('a', 'Ada') },
        { file: 'b.vcf', vcard: card('b', 'Bob') },
      ], book);
      const store = await openStore(`mgr-${++dbCount}`);
      // The window as the transport sees it: a page answers through the renderer store, or none is there.
      let page: 'up' | 'reloading' = 'up';
      let reloads = 0;
      const port: PendingStoreRequests = new PendingStoreRequests((m) => {
        if (page === 'reloading') return false; // no page to take it
        if (m.name === 'applyRemote' && reloads++ === 0) {
          // The page reloads as the download's first write reaches it: it never answers; the
          // transport sees it go, and the new page comes a moment later.
          setTimeout(() => {
            page = 'reloading';
            port.closeAll();
            setTimeout(() => {
              page = 'up';
              port.setAnswering(true);
            }, 100);
          }, 0);
          return true;
        }
        (store.port.request as (name: typeof m.name, ...args: readonly unknown[]) => Promise<unknown>)(m.name, ...m.args).then(
          (value) => port.receive({ id: m.id, reply: { ok: true, value } }),
          (e: Error) => port.receive({ id: m.id, reply: { ok: false, error: { code: 'internal', message: e.message } } }),
        );
        return true;
      });
      const statuses: SyncStatus[] = [];
      const m = manager(port, statuses);
      const { account, status } = await addAccount(m);
      expect(reloads).toBeGreaterThan(1);
      expect(status).toMatchObject({ phase: 'idle', lastSync: expect.any(Number) });
      expect(statuses.filter((s) => s.phase !== 'syncing' && s.phase !== 'idle')).toEqual([]);
      expect(store.index.query('', account.books[0]!.id).map((r) => r.displayName)).toEqual(['Ada', 'Bob']);
    });

    it('the last sync time survives a restart of the host (and an edit of the account): not "not synced yet"', async () => {
      await server.seed([{ file: 'l.vcf', vcard: card('l', 'Lena') }], book);
      const { port } = await openStore(`mgr-${++dbCount}`);
      const first = manager(port);
      const { account, status } = await addAccount(first);
      const at = status.lastSync!;
      expect(at).toEqual(expect.any(Number));
      first.dispose();
      // A new process: the same data folder; no run yet.
      const second = manager(port);
      expect(second.statuses()).toEqual([expect.objectContaining({ accountId: account.id, phase: 'idle', lastSync: at })]);
      await second.update(account.id, { intervalMinutes: 30 });
      const third = manager(port);
      expect(third.statuses()[0]).toMatchObject({ lastSync: at });
      // A failed run says when the last good one was.
      online = false;
      expect(await third.sync(account.id)).toMatchObject({ phase: 'offline', lastSync: at });
    });

    it('a sync that would remove most of a book waits for the user, then goes on when confirmed', async () => {
      await server.seed(Array.from({ length: 12 }, (_, i) => ({ file: `m${i}.vcf`, vcard: card(`m${i}`, `Member ${i}`) })), book);
      const { index, port } = await openStore(`mgr-${++dbCount}`);
      const m = manager(port);
      const { account } = await addAccount(m);
      for (let i = 0; i < 9; i++) await other.delete(url(`m${i}.vcf`), null);
      const waiting = await m.sync(account.id);
      expect(waiting).toMatchObject({ phase: 'confirm', action: 'confirm-deletions', deletions: { count: 9, total: 12 } });
      expect(index.query('', account.books[0]!.id)).toHaveLength(12); // nothing removed yet
      expect(await m.confirmDeletions(account.id)).toMatchObject({ phase: 'idle' });
      expect(index.query('', account.books[0]!.id)).toHaveLength(3);
    });

    it('a sync that would remove most of a book, answered "Keep them": they stay here and are back on the server', async () => {
      await server.seed(Array.from({ length: 6 }, (_, i) => ({ file: `k${i}.vcf`, vcard: card(`k${i}`, `Kept ${i}`) })), book);
      const { repo, index, port } = await openStore(`mgr-${++dbCount}`);
      const m = manager(port);
      const { account } = await addAccount(m);
      const bookId = account.books[0]!.id;
      // One of them edited here meanwhile: kept with the edit.
      const k1 = index.query('Kept 1', bookId)[0]!;
      await repo.update(k1.id, parseVCard(card('k1', 'Kept 1', 'NOTE:edited here\r\n')));
      for (let i = 0; i < 4; i++) await other.delete(url(`k${i}.vcf`), null);
      expect(await m.sync(account.id)).toMatchObject({ phase: 'confirm', action: 'confirm-deletions', deletions: { count: 3, total: 6 } }); // the edited one went back up as an edit of a card deleted there
      expect(await m.keepRemoved(account.id)).toMatchObject({ phase: 'idle' });
      const here = index.query('', bookId);
      expect(here.map((r) => r.displayName).sort()).toEqual(['Kept 0', 'Kept 1', 'Kept 2', 'Kept 3', 'Kept 4', 'Kept 5']);
      expect(here.filter((r) => r.pending !== '')).toHaveLength(0);
      const there = (await other.multiget(book, (await other.listEtags(book)).map((e) => e.href))).cards;
      expect(there.map((c) => /FN:(.*)\r?\n/.exec(c.vcard)![1]).sort()).toEqual(['Kept 0', 'Kept 1', 'Kept 2', 'Kept 3', 'Kept 4', 'Kept 5']);
      expect(there.find((c) => c.vcard.includes('FN:Kept 1'))!.vcard).toContain('edited here');
      // Nothing left to ask: the next run is a plain one, and the trash holds none of them.
      expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
      expect(index.query('', bookId)).toHaveLength(6);
      expect(await repo.trash()).toHaveLength(0);
    });

    it('"Keep them" after another client put the same cards back under other names: one contact each, here and on the server', async () => {
      await server.seed(Array.from({ length: 5 }, (_, i) => ({ file: `r${i}.vcf`, vcard: card(`r${i}`, `Readded ${i}`) })), book);
      const { index, port } = await openStore(`mgr-${++dbCount}`);
      const m = manager(port);
      const { account } = await addAccount(m);
      const bookId = account.books[0]!.id;
      for (let i = 0; i < 4; i++) await other.delete(url(`r${i}.vcf`), null);
      expect(await m.sync(account.id)).toMatchObject({ phase: 'confirm', deletions: { count: 4, total: 5 } });
      // Before the user answers, another client puts them back: the same UIDs, other file names,
      // one of them with a newer note.
      for (let i = 0; i < 4; i++) await other.put(url(`again-r${i}.vcf`), card(`r${i}`, `Readded ${i}`, i === 2 ? 'NOTE:newer there\r\n' : ''), { ifNoneMatch: '*' });
      expect(await m.keepRemoved(account.id)).toMatchObject({ phase: 'idle' });
      expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
      const here = index.query('', bookId);
      expect(here.map((r) => r.displayName).sort()).toEqual(['Readded 0', 'Readded 1', 'Readded 2', 'Readded 3', 'Readded 4']);
      expect(here.filter((r) => r.pending !== '' || (r.flag ?? '') !== '')).toHaveLength(0);
      const there = (await other.multiget(book, (await other.listEtags(book)).map((e) => e.href))).cards;
      expect(there.map((c) => /FN:(.*)\r?\n/.exec(c.vcard)![1]).sort()).toEqual(['Readded 0', 'Readded 1', 'Readded 2', 'Readded 3', 'Readded 4']);
      expect(there.find((c) => c.vcard.includes('FN:Readded 2'))!.vcard).toContain('newer there');
    });

    it('a small book: 2 of its 3 contacts removed on the server asks first; 1 of 3 does not', async () => {
      await server.seed(['a', 'b', 'c'].map((n) => ({ file: `${n}.vcf`, vcard: card(n, `Small ${n}`) })), book);
      const { index, port } = await openStore(`mgr-${++dbCount}`);
      const m = manager(port);
      const { account } = await addAccount(m);
      await other.delete(url('a.vcf'), null);
      await other.delete(url('b.vcf'), null);
      expect(await m.sync(account.id)).toMatchObject({ phase: 'confirm', action: 'confirm-deletions', deletions: { count: 2, total: 3 } });
      expect(index.query('', account.books[0]!.id)).toHaveLength(3); // nothing removed yet
      expect(await m.confirmDeletions(account.id)).toMatchObject({ phase: 'idle' });
      expect(index.query('', account.books[0]!.id)).toHaveLength(1);
      await server.seed(['d', 'e'].map((n) => ({ file: `${n}.vcf`, vcard: card(n, `Small ${n}`) })), book);
      expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
      await other.delete(url('d.vcf'), null);
      expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' }); // 1 of 3: no question
      expect(index.query('', account.books[0]!.id)).toHaveLength(2);
    });

    it('offline: no request is sent, and the status says so', async () => {
      const { port } = await openStore(`mgr-${++dbCount}`);
      const m = manager(port);
      const { account } = await addAccount(m);
      online = false;
      requests.length = 0;
      expect(await m.sync(account.id)).toMatchObject({ phase: 'offline' });
      expect(requests).toEqual([]);
    });

    it('an edit in a synced book is sent after a pause, without anyone pressing sync', async () => {
      await server.seed([{ file: 'd.vcf', vcard: card('d', 'Dora') }], book);
      const { repo, index, port } = await openStore(`mgr-${++dbCount}`);
      const statuses: SyncStatus[] = [];
      const m = manager(port, statuses);
      const { account } = await addAccount(m);
      const dora = index.query('Dora', account.books[0]!.id)[0]!;
      await repo.update(dora.id, parseVCard(card('d', 'Dora', 'NOTE:debounced\r\n')));
      m.localChanged(account.books[0]!.id);
      m.localChanged(account.books[0]!.id); // a burst is one run
      // The first sync, then one more for the burst.
      await expect.poll(() => statuses.filter((s) => s.phase === 'idle').length, { timeout: 10_000 }).toBe(2);
      expect((await other.get(url('d.vcf'))).vcard).toContain('NOTE:debounced');
      await new Promise((r) => setTimeout(r, 300));
      expect(statuses.filter((s) => s.phase === 'idle')).toHaveLength(2);
    });

    it('a create whose answer was lost is found on the server, not sent twice', async () => {
      const { repo, index, port } = await openStore(`mgr-${++dbCount}`);
      let loseNextUpload = false;
      const m = manager(port, [], async (input, init) => {
        const res = await fetch(input, init);
        if (loseNextUpload && (init?.method === 'PUT' || init?.method === 'POST')) {
          loseNextUpload = false;
          throw new TypeError('connection reset by peer'); // the server stored it; we never heard
        }
        return res;
      });
      const { account } = await addAccount(m);
      const bookId = account.books[0]!.id;
      await repo.create(bookId, parseVCard(card('lost-1', 'Lost Answer')));
      loseNextUpload = true;
      expect(await m.sync(account.id)).toMatchObject({ phase: 'offline' });
      expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
      const onServer = await other.multiget(book, (await other.listEtags(book)).map((e) => e.href));
      expect(onServer.cards.filter((c) => c.vcard.includes('UID:lost-1'))).toHaveLength(1);
      expect(index.query('Lost', bookId)).toEqual([expect.objectContaining({ pending: '' })]);
    });

    it('removing an account while its sync is under way: the run writes nothing more, and nothing of it runs again', async () => {
      await server.seed([{ file: 'k.vcf', vcard: card('k', 'Kept Until Removed') }], book);
      const { repo, port } = await openStore(`mgr-${++dbCount}`);
      const statuses: SyncStatus[] = [];
      let gate: Promise<void> | null = null;
      let open = () => {};
      let entered = () => {};
      const inside = new Promise<void>((r) => (entered = r));
      const m = manager(port, statuses, async (input, init) => {
        if (gate !== null) {
          entered();
          await gate;
        }
        return fetch(input, init);
      });
      const { account } = await addAccount(m);
      const bookId = account.books[0]!.id;
      await other.put(url('late.vcf'), card('late', 'Arrives Late'), { ifNoneMatch: '*' });
      gate = new Promise<void>((r) => (open = r));
      const running = m.sync(account.id);
      await inside; // the run is at the server
      const removing = m.remove(account.id);
      gate = null;
      open();
      await removing;
      await running;
      expect(await repo.db.contacts.where('bookId').equals(bookId).count()).toBe(0);
      expect(await repo.db.cards.filter((c) => c.bookId === bookId).count()).toBe(0);
      expect(await repo.db.etags.where('bookId').equals(bookId).count()).toBe(0);
      expect(await repo.db.books.get(bookId)).toBeUndefined();
      const said = statuses.length;
      m.localChanged(bookId);
      await new Promise((r) => setTimeout(r, 200)); // longer than the debounce
      expect(statuses.length).toBe(said);
    });

    if (name === 'radicale') {
      it('a discovery the user walked away from is forgotten after 15 minutes, with its password', async () => {
        const { port } = await openStore(`mgr-${++dbCount}`);
        const m = manager(port);
        const found = await m.discover({ url: server.baseUrl, user: server.user, password: server.password, allowInsecure: false });
        vi.useFakeTimers({ toFake: ['Date'] });
        try {
          vi.setSystemTime(Date.now() + 16 * 60_000);
          await expect(m.add(found.discoveryId, [book])).rejects.toMatchObject({ code: 'not-found' });
        } finally {
          vi.useRealTimers();
        }
      });

      it('a wrong password stops the account and asks to edit it; a new password resumes it', async () => {
        const { port } = await openStore(`mgr-${++dbCount}`);
        const m = manager(port);
        const { account } = await addAccount(m);
        await m.update(account.id, { password: 'wrong' });
        const stopped = await m.sync(account.id);
        expect(stopped).toMatchObject({ phase: 'error', action: 'edit-account', code: 'unauthorized' });
        expect(stopped.message).toMatch(/user name and password/);
        await m.update(account.id, { password: server.password });
        expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
      });
    }
  });
}
