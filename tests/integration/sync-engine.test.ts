/** The sync engine against the four real servers (`SERVERS`): every scenario on each, a fresh book per test. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { syncAddressBook } from '../../electron/sync/engine';
import { SERVERS, type TestServer } from '../servers/servers';
import { startNoSyncProxy } from '../servers/no-sync-proxy';
import { MemoryCollection } from './memory-collection';

/** A client that has already met the server's authentication (SabreDAV's Digest challenge), so the requests counted are the sync's own. */
async function warmClient(auth: ConstructorParameters<typeof DavHttp>[0]['auth'], onRequest: (method: string) => void, book: string, fetchImpl?: typeof fetch): Promise<CardDavClient> {
  const c = new CardDavClient(new DavHttp({ auth, onRequest, ...(fetchImpl !== undefined ? { fetch: fetchImpl } : {}) }));
  await c.ctag(book);
  return c;
}

const card = (uid: string, fn: string, extra = '') => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\n${extra}END:VCARD\r\n`;

for (const [name, start] of SERVERS) {
  describe(`sync with ${name}`, () => {
    let server: TestServer;
    let client: CardDavClient;
    let other: CardDavClient; // another client editing the server meanwhile
    let methods: string[];
    let auth: ConstructorParameters<typeof DavHttp>[0]['auth'];

    let book: string;

    beforeAll(async () => {
      server = await start();
      auth = server.password === '' ? ({ kind: 'none' } as const) : ({ kind: 'basic', user: server.user, password: server.password } as const);
      other = new CardDavClient(new DavHttp({ auth }));
    });
    afterAll(() => server.stop());
    beforeEach(async () => {
      book = await server.newBook();
      methods = [];
      client = await warmClient(auth, (m) => methods.push(m), book);
      methods.length = 0;
    });

    const url = (file: string) => new URL(file, book).href;

    it('initial sync, then another client’s create, edit and delete arrive with one REPORT and one multiget (SabreDAV: the CTag, a listing and a multiget)', async () => {
      await other.put(url('a.vcf'), card('a', 'Ada'), { ifNoneMatch: '*' });
      await other.put(url('b.vcf'), card('b', 'Bob'), { ifNoneMatch: '*' });
      const local = new MemoryCollection();
      // Into an empty book the listing asks for the cards too: it waits for the capabilities'
      // answer (a server that leaves the cards out, slowly, is asked for ETags only).
      let inFlight = 0;
      let most = 0;
      const overlapping: typeof fetch = async (input, init) => {
        most = Math.max(most, ++inFlight);
        try {
          return await fetch(input, init);
        } finally {
          inFlight--;
        }
      };
      const firstClient = await warmClient(auth, (m) => methods.push(m), book, overlapping);
      methods.length = 0;
      const first = await syncAddressBook(firstClient, book, local);
      const syncCollection = name !== 'sabredav';
      // Radicale sends the cards with the listing; Xandikos leaves address-data out, so one query
      // of every card follows; DAViCal (told by its answer) is asked for ETags, with that query
      // beside the listing. SabreDAV has no sync-collection: its CTag, an ETag listing and a multiget.
      expect(methods).toEqual(
        { radicale: ['PROPFIND', 'REPORT'], xandikos: ['PROPFIND', 'REPORT', 'REPORT'], davical: ['PROPFIND', 'REPORT', 'REPORT'], sabredav: ['PROPFIND', 'PROPFIND', 'PROPFIND', 'REPORT'] }[name],
      );
      // Nothing goes before the capabilities' answer; only DAViCal's query goes beside its listing.
      expect(most).toBe(name === 'davical' ? 2 : 1);
      expect(first.downloaded).toBe(2);
      expect(local.find('Ada')).toBeDefined();

      await other.put(url('c.vcf'), card('c', 'Cy'), { ifNoneMatch: '*' });
      const b = await other.get(url('b.vcf'));
      await other.put(url('b.vcf'), card('b', 'Bob Edited'), { ifMatch: b.etag });
      await other.delete(url('a.vcf'), null);
      methods.length = 0;
      const second = await syncAddressBook(client, book, local);
      // capabilities are remembered: one sync-collection and one multiget (or the CTag, the listing and one multiget)
      expect(methods).toEqual(syncCollection ? ['REPORT', 'REPORT'] : ['PROPFIND', 'PROPFIND', 'REPORT']);
      expect(second).toMatchObject({ downloaded: 2, removedLocally: 1 });
      expect(local.find('Ada')).toBeUndefined();
      expect(local.find('Bob Edited')).toBeDefined();
      expect(local.find('Cy')).toBeDefined();

      const nothing = syncCollection ? ['REPORT'] : ['PROPFIND'];
      methods.length = 0;
      await syncAddressBook(client, book, local);
      expect(methods).toEqual(nothing); // nothing changed: one request

      // A day later the capabilities are asked once more, then remembered again; and so another
      // day on, with nothing changed on the server meanwhile.
      for (const hours of [25, 50]) {
        const later = () => Date.now() + hours * 3600_000;
        methods.length = 0;
        await syncAddressBook(client, book, local, { now: later });
        expect(methods).toEqual(['PROPFIND', ...nothing]);
        methods.length = 0;
        await syncAddressBook(client, book, local, { now: later });
        expect(methods).toEqual(nothing);
      }
    });

    it("a sync with nothing to do is one request and never reads the ETags here; a deletion after it still arrives, with only the removed card's ETag read from a token (the book's after a CTag listing)", async () => {
      await other.put(url('a.vcf'), card('a', 'Ada'), { ifNoneMatch: '*' });
      await other.put(url('b.vcf'), card('b', 'Bob'), { ifNoneMatch: '*' });
      const local = new MemoryCollection();
      await syncAddressBook(client, book, local);
      let etagReads = 0;
      const read = local.knownEtags.bind(local);
      local.knownEtags = () => {
        etagReads++;
        return read();
      };
      methods.length = 0;
      const nothing = await syncAddressBook(client, book, local);
      // sync-collection from the token answers nothing changed; SabreDAV's CTag is unchanged.
      expect(methods).toEqual(name === 'sabredav' ? ['PROPFIND'] : ['REPORT']);
      expect(etagReads).toBe(0);
      expect(nothing).toMatchObject({ downloaded: 0, removedLocally: 0 });

      await other.delete(url('a.vcf'), null);
      const removed = await syncAddressBook(client, book, local);
      expect(removed).toMatchObject({ removedLocally: 1 });
      // From a token the answer names the removal alone; SabreDAV's CTag gate lists the whole book.
      expect(etagReads).toBe(name === 'sabredav' ? 1 : 0);
      expect(local.find('Ada')).toBeUndefined();
      expect(local.find('Bob')).toBeDefined();
    });

    it('a first sync of 250 cards where the listing brings none is one addressbook-query of every card (Xandikos; DAViCal and SabreDAV, listed by ETag)', async () => {
      await server.seed(
        Array.from({ length: 250 }, (_, i) => ({ file: `s${i}.vcf`, vcard: card(`s${i}`, `Seeded ${i}`) })),
        book,
      );
      const local = new MemoryCollection();
      const reports: string[] = [];
      const recording: typeof fetch = async (input, init) => {
        const body = typeof init?.body === 'string' ? init.body : '';
        if (init?.method === 'REPORT') reports.push(/<card:(addressbook-query|addressbook-multiget)|<d:(sync-collection)/.exec(body)?.slice(1).find((x) => x !== undefined) ?? '?');
        return fetch(input, init);
      };
      const r = await syncAddressBook(await warmClient(auth, (m) => methods.push(m), book, recording), book, local);
      expect(r.downloaded).toBe(250);
      expect(local.find('Seeded 249')).toBeDefined();
      if (name === 'xandikos') expect(reports).toEqual(['sync-collection', 'addressbook-query']);
      if (name === 'davical') expect([...reports].sort()).toEqual(['addressbook-query', 'sync-collection']);
      // Radicale: the listing with the cards. Xandikos: the listing (no cards came), then one
      // query of every card; DAViCal: the ETag listing with the same query beside it. SabreDAV: its
      // listing is a PROPFIND, then the query.
      if (name === 'sabredav') expect(reports).toEqual(['addressbook-query']);
      expect(reports).toHaveLength({ radicale: 1, xandikos: 2, davical: 2, sabredav: 1 }[name]);
    });

    it.runIf(name === 'davical')('a card edited by another client between the query of every card and the ETag listing comes down as the listing names it, not as the query read it', async () => {
      await other.put(url('a.vcf'), card('a', 'Ada'), { ifNoneMatch: '*' });
      await other.put(url('b.vcf'), card('b', 'Bob'), { ifNoneMatch: '*' });
      const local = new MemoryCollection();
      let queryAnswered!: () => void;
      const answered = new Promise<void>((resolve) => (queryAnswered = resolve));
      const racing: typeof fetch = async (input, init) => {
        const body = typeof init?.body === 'string' ? init.body : '';
        if (body.includes('addressbook-query')) {
          const res = await fetch(input, init);
          const text = await res.text();
          queryAnswered();
          return new Response(text, { status: res.status, headers: res.headers });
        }
        if (body.includes('sync-collection')) {
          // The query has read Bob; another client renames him before the listing is made.
          await answered;
          const b = await other.get(url('b.vcf'));
          await other.put(url('b.vcf'), card('b', 'Bob Renamed'), { ifMatch: b.etag });
        }
        return fetch(input, init);
      };
      await syncAddressBook(await warmClient(auth, () => {}, book, racing), book, local);
      expect(local.find('Bob Renamed')).toBeDefined();
      expect(local.find('Bob')).toBeUndefined();
      // The next sync has nothing to bring: what is here is what the listing's token stands for.
      const again = await syncAddressBook(client, book, local);
      expect(again.downloaded).toBe(0);
      expect(local.find('Bob Renamed')).toBeDefined();
    });

    it('local create, edit and delete reach the server', async () => {
      await other.put(url('e.vcf'), card('e', 'Edith'), { ifNoneMatch: '*' });
      await other.put(url('d.vcf'), card('d', 'Doomed'), { ifNoneMatch: '*' });
      const local = new MemoryCollection();
      await syncAddressBook(client, book, local);
      local.create(card('n', 'Newton'));
      local.edit(local.find('Edith')!.id, card('e', 'Edith Clarke'));
      local.edit(local.find('Doomed')!.id, local.find('Doomed')!.vcard, 'deleted');
      const r = await syncAddressBook(client, book, local);
      expect(r).toMatchObject({ uploaded: 2, deleted: 1, failed: 0 });
      const onServer = await other.multiget(book, (await other.listEtags(book)).map((e) => e.href));
      const names = onServer.cards.map((c) => /FN:(.*)\r?\n/.exec(c.vcard)![1]).sort();
      expect(names).toEqual(['Edith Clarke', 'Newton']);
      expect([...local.cards.values()].every((c) => c.pending === '')).toBe(true);
    });

    it('deleted here but edited on the server meanwhile: the edit wins and the contact comes back', async () => {
      await other.put(url('r.vcf'), card('r', 'Rita'), { ifNoneMatch: '*' });
      const local = new MemoryCollection();
      await syncAddressBook(client, book, local);
      const cur = await other.get(url('r.vcf'));
      await other.put(url('r.vcf'), card('r', 'Rita', 'NOTE:edited elsewhere\r\n'), { ifMatch: cur.etag });
      const rita = local.find('Rita')!;
      local.edit(rita.id, rita.vcard, 'deleted');
      const r = await syncAddressBook(client, book, local);
      expect(r).toMatchObject({ restored: 1, deleted: 0 });
      expect((await other.get(url('r.vcf'))).vcard).toContain('NOTE:edited elsewhere');
      expect(local.find('Rita')).toMatchObject({ pending: '', vcard: expect.stringContaining('NOTE:edited elsewhere') });
    });

    it('both sides edit different properties: merged without a question', async () => {
      await other.put(url('m.vcf'), card('m', 'Mary', 'TEL:111\r\n'), { ifNoneMatch: '*' });
      const local = new MemoryCollection();
      await syncAddressBook(client, book, local);
      const cur = await other.get(url('m.vcf'));
      await other.put(url('m.vcf'), card('m', 'Mary', 'TEL:111\r\nNOTE:from the other client\r\n'), { ifMatch: cur.etag });
      local.edit(local.find('Mary')!.id, card('m', 'Mary', 'TEL:222\r\n'));
      const r = await syncAddressBook(client, book, local);
      expect(r.conflicts).toBe(0);
      const stored = (await other.get(url('m.vcf'))).vcard;
      expect(stored).toContain('TEL:222');
      expect(stored).toContain('NOTE:from the other client');
      expect(stored).not.toContain('TEL:111');
    });

    it('both sides edit the same property: a conflict with both values kept', async () => {
      await other.put(url('s.vcf'), card('s', 'Sam', 'TITLE:Original title\r\n'), { ifNoneMatch: '*' });
      const local = new MemoryCollection();
      await syncAddressBook(client, book, local);
      const cur = await other.get(url('s.vcf'));
      await other.put(url('s.vcf'), card('s', 'Sam', 'TITLE:Remote title\r\n'), { ifMatch: cur.etag });
      const id = local.find('Sam')!.id;
      local.edit(id, card('s', 'Sam', 'TITLE:Local title\r\n'));
      const r = await syncAddressBook(client, book, local);
      expect(r.conflicts).toBe(1);
      const kept = local.cards.get(id)!;
      expect(kept.conflicts).toEqual([
        expect.objectContaining({ property: 'TITLE', base: ['TITLE:Original title'], local: ['TITLE:Local title'], remote: ['TITLE:Remote title'] }),
      ]);
      expect((await other.get(url('s.vcf'))).vcard).toContain('TITLE:Remote title'); // nothing overwritten
    });

    // SabreDAV has no sync token to invalidate.
    if (name !== 'sabredav') it('an invalid sync token: a full resync that reuses what is here, without duplicates', async () => {
      await other.put(url('t.vcf'), card('t', 'Tina'), { ifNoneMatch: '*' });
      const local = new MemoryCollection();
      await syncAddressBook(client, book, local);
      local.syncState = { ...local.syncState, syncToken: name === 'radicale' ? 'http://radicale.org/ns/sync/0000' : name === 'davical' ? 'data:,999999' : 'deadbeef' };
      methods.length = 0;
      const r = await syncAddressBook(client, book, local);
      // The others refuse it; DAViCal answers it with everything, as for an empty one, which the
      // engine sees (a card unchanged since the token listed as a change) and lists in full.
      expect(r.fullResync).toBe(true);
      expect(r.downloaded).toBe(0); // same ETag: nothing fetched again
      expect(local.cards.size).toBe(1);
    });

    it('the server stops mid-sync: nothing is lost, and the next run completes', async () => {
      await other.put(url('p.vcf'), card('p', 'Pat'), { ifNoneMatch: '*' });
      const local = new MemoryCollection();
      await syncAddressBook(client, book, local);
      const id = local.create(card('q', 'Quinn'));
      await server.pause();
      await expect(syncAddressBook(client, book, local)).rejects.toThrow();
      expect(local.cards.get(id)!.pending).toBe('created'); // still queued
      await server.resume();
      await syncAddressBook(client, book, local);
      expect(local.cards.get(id)!.pending).toBe('');
      expect((await other.listEtags(book)).length).toBe(2);
    });

    // SabreDAV has no sync-collection of its own: the first scenario covers it without a front.
    if (name !== 'sabredav') it('a server without sync-collection: the CTag is the gate, an ETag listing finds what changed', async () => {
      const front = await startNoSyncProxy(server.baseUrl);
      try {
        const fronted = new URL(new URL(book).pathname, front.url).href;
        // A connection keeps to one origin: the front is another than the server's.
        const frontClient = await warmClient(auth, (m) => methods.push(m), fronted);
        await other.put(url('a.vcf'), card('a', 'Ada'), { ifNoneMatch: '*' });
        await other.put(url('b.vcf'), card('b', 'Bob'), { ifNoneMatch: '*' });
        const local = new MemoryCollection();
        methods.length = 0;
        const first = await syncAddressBook(frontClient, fronted, local);
        // capabilities (a first sync waits for them), then the CTag, the ETag listing and one multiget
        expect(methods).toEqual(['PROPFIND', 'PROPFIND', 'PROPFIND', 'REPORT']);
        expect(front.refused).toBe(0);
        expect(first.downloaded).toBe(2);
        expect(local.syncState.ctag).not.toBeNull();

        methods.length = 0;
        await syncAddressBook(frontClient, fronted, local);
        expect(methods).toEqual(['PROPFIND']); // nothing changed: the CTag alone

        await other.put(url('c.vcf'), card('c', 'Cy'), { ifNoneMatch: '*' });
        const b = await other.get(url('b.vcf'));
        await other.put(url('b.vcf'), card('b', 'Bob Edited'), { ifMatch: b.etag });
        await other.delete(url('a.vcf'), null);
        methods.length = 0;
        const second = await syncAddressBook(frontClient, fronted, local);
        expect(methods).toEqual(['PROPFIND', 'PROPFIND', 'REPORT']);
        expect(second).toMatchObject({ downloaded: 2, removedLocally: 1 });
        expect(local.find('Ada')).toBeUndefined();
        expect(local.find('Bob Edited')).toBeDefined();
        expect(local.find('Cy')).toBeDefined();

        // A local create goes up and is not fetched again on the next run.
        const id = local.create(card('d', 'Dee'));
        await syncAddressBook(frontClient, fronted, local);
        expect(local.cards.get(id)!.pending).toBe('');
        // Read on the server itself (a connection keeps to its own origin; the front is another).
        expect((await other.get(url(local.cards.get(id)!.href.split('/').pop()!))).vcard).toContain('FN:Dee');
        const third = await syncAddressBook(frontClient, fronted, local);
        expect(third.downloaded).toBe(0);
        expect(local.cards.size).toBe(3);
        expect(front.refused).toBe(0); // never asked for the report it does not offer
      } finally {
        await front.close();
      }
    });

    // DAViCal stores any body it is given, even one that is not a vCard: nothing to refuse.
    if (name !== 'davical') it('a card the server rejects stays local and marked; the others go through', async () => {
      const local = new MemoryCollection();
      await syncAddressBook(client, book, local);
      // A card that is not a vCard at all. (Radicale also refuses one without a UID, but a card
      // without one now gets one before it goes: sync-scenarios.test.ts.)
      const bad = local.create('not a vcard at all\r\n');
      const good = local.create(card('g', 'Good'));
      const r = await syncAddressBook(client, book, local);
      expect(r.failed).toBe(1);
      expect(local.cards.get(bad)).toMatchObject({ pending: 'created', error: expect.any(String) });
      expect(local.cards.get(good)!.pending).toBe('');
    });
  });
}
