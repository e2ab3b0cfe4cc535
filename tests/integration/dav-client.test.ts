/** The CardDAV client against the four real servers: each scenario on each, with what differs said per server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardDavClient, resolveHref } from '../../electron/dav/client';
import { DavError, Forbidden, NetworkError, PreconditionFailed, ServerError, Unauthorized } from '../../electron/dav/errors';
import { DavHttp } from '../../electron/dav/http';
import { readXml } from '../../electron/dav/xml-reader';
import { conformingTree } from '../unit/dav/xml-reader-reference';
import { SERVERS, type TestServer } from '../servers/servers';

const card = (uid: string, fn: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\nEND:VCARD\r\n`;

for (const [name, start] of SERVERS) {
  describe(`CardDAV client against ${name}`, () => {
    let server: TestServer;
    let client: CardDavClient;
    const requests: string[] = [];
    /** Every multistatus the server answered, as sent. */
    const answers: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (res.status === 207) answers.push(await res.clone().text());
      return res;
    };

    beforeAll(async () => {
      server = await start();
      const http = new DavHttp({
        auth: server.password === '' ? { kind: 'none' } : { kind: 'basic', user: server.user, password: server.password },
        onRequest: (method) => requests.push(method),
        fetch: recording,
      });
      client = new CardDavClient(http);
    });
    afterAll(() => server.stop());

    it('discovers the address book from the base URL', async () => {
      const books = await client.discover(server.baseUrl);
      expect(books.map((b) => b.url)).toContain(server.addressBookUrl);
    });

    it('reads the collection’s capabilities', async () => {
      const caps = await client.capabilities(server.addressBookUrl);
      expect(caps.syncCollection).toBe(name !== 'sabredav');
      const ctag = await client.ctag(server.addressBookUrl);
      expect(ctag).not.toBeNull();
      // A change moves it (the card goes again, as the other tests here share this book).
      const changed = new URL('changed.vcf', server.addressBookUrl).href;
      await client.put(changed, card('changed', 'Changed'), { ifNoneMatch: '*' });
      expect(await client.ctag(server.addressBookUrl)).not.toBe(ctag);
      await client.delete(changed, null);
      if (name === 'xandikos' || name === 'davical') expect(caps.addMember).not.toBeNull();
      else expect(caps.addMember).toBeNull();
    });

    it('creates without overwriting, fetches by multiget (a missing href listed as missing, also where SabreDAV fails the whole REPORT; DAViCal leaves it unanswered), and refuses a stale If-Match', async () => {
      const url = new URL('ada.vcf', server.addressBookUrl).href;
      const created = await client.put(url, card('ada', 'Ada'), { ifNoneMatch: '*' });
      await expect(client.put(url, card('ada', 'Ada again'), { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailed);
      const path = new URL(url).pathname;
      const { cards, missing, unanswered } = await client.multiget(server.addressBookUrl, [path, new URL('nobody.vcf', server.addressBookUrl).pathname]);
      expect(cards).toHaveLength(1);
      expect(cards[0]!.vcard).toContain('FN:Ada');
      // DAViCal leaves a card it does not hold out of the answer (no response at all): not known
      // to be gone from that answer alone (the engine asks again, then GETs it); the others say 404.
      if (name === 'davical') expect({ missing, unanswered }).toEqual({ missing: [], unanswered: [expect.stringContaining('nobody.vcf')] });
      else expect({ missing: missing.length, unanswered }).toEqual({ missing: 1, unanswered: [] });
      const etag = cards[0]!.etag;
      if (created.etag !== null) expect(etag).toBe(created.etag);
      await client.put(url, card('ada', 'Ada Lovelace'), { ifMatch: etag });
      await expect(client.put(url, card('ada', 'Ada King'), { ifMatch: etag })).rejects.toBeInstanceOf(PreconditionFailed);
    });

    it('reports changes since a sync token: one REPORT lists edits and deletions', async () => {
      const bob = new URL('bob.vcf', server.addressBookUrl).href;
      if (name === 'sabredav') {
        // No sync-collection: the same changes, for the listing below.
        await client.put(bob, card('bob', 'Bob'), { ifNoneMatch: '*' });
        await client.delete(new URL('ada.vcf', server.addressBookUrl).href, null);
        return;
      }
      const first = await client.syncCollection(server.addressBookUrl, '');
      expect(first.changed.map((c) => c.href)).toContain(new URL('ada.vcf', server.addressBookUrl).pathname);
      await client.put(bob, card('bob', 'Bob'), { ifNoneMatch: '*' });
      await client.delete(new URL('ada.vcf', server.addressBookUrl).href, null);
      requests.length = 0;
      const next = await client.syncCollection(server.addressBookUrl, first.token!);
      expect(requests).toEqual(['REPORT']);
      expect(next.changed.map((c) => c.href)).toEqual([new URL(bob).pathname]);
      expect(next.removed).toEqual([new URL('ada.vcf', server.addressBookUrl).pathname]);
      const none = await client.syncCollection(server.addressBookUrl, next.token!);
      expect(none.changed).toEqual([]);
      expect(none.removed).toEqual([]);
    });

    it('lists members’ ETags with PROPFIND for servers without sync-collection', async () => {
      const etags = await client.listEtags(server.addressBookUrl);
      expect(etags.map((e) => e.href)).toEqual([new URL('bob.vcf', server.addressBookUrl).pathname]);
    });

    it('answers an invalid sync token with the server’s own error (DAViCal: with everything, as for an empty token)', async () => {
      const bad = client.syncCollection(server.addressBookUrl, name === 'radicale' ? 'http://radicale.org/ns/sync/0000' : name === 'davical' ? 'data:,999999' : 'deadbeef');
      if (name === 'radicale') await expect(bad).rejects.toMatchObject({ constructor: Forbidden, precondition: 'valid-sync-token' });
      else if (name === 'xandikos') await expect(bad).rejects.toBeInstanceOf(ServerError);
      else if (name === 'davical') expect((await bad).changed.map((c) => c.href)).toEqual([new URL('bob.vcf', server.addressBookUrl).pathname]);
      else await expect(bad).rejects.toBeInstanceOf(DavError); // SabreDAV does not offer the report
    });

    if (name === 'xandikos' || name === 'davical') {
      it('creates by POST to add-member and resolves its Location on the same host (Xandikos: `//path`; DAViCal: raw UTF-8, named after a non-ASCII UID)', async () => {
        const caps = await client.capabilities(server.addressBookUrl);
        const res = await client.post(caps.addMember!, card('posted-zoë', 'Posted Zoë'));
        expect(res.location).not.toBeNull();
        expect(new URL(res.location!).origin).toBe(new URL(server.baseUrl).origin);
        if (name === 'davical') expect(decodeURIComponent(new URL(res.location!).pathname)).toBe(`${new URL(server.addressBookUrl).pathname}posted-zoë.vcf`);
        const got = await client.get(res.location!);
        expect(got.vcard).toContain('FN:Posted Zoë');
      });
    }

    if (name === 'radicale') {
      it('a wrong password is Unauthorized', async () => {
        const wrong = new CardDavClient(new DavHttp({ auth: { kind: 'basic', user: 'alice', password: 'nope' } }));
        await expect(wrong.capabilities(server.addressBookUrl)).rejects.toBeInstanceOf(Unauthorized);
      });
    }

    it('every multistatus it answered reads the same with the multistatus reader and with a conforming parser (saxes)', async () => {
      // one with the cards in it
      if (name === 'sabredav') await client.multiget(server.addressBookUrl, (await client.listEtags(server.addressBookUrl)).map((e) => e.href));
      else await client.syncCollection(server.addressBookUrl, '', true);
      expect(answers.length).toBeGreaterThan(name === 'sabredav' ? 4 : 8);
      expect(answers.some((a) => a.includes('address-data'))).toBe(true);
      for (const a of answers) expect(readXml(a)).toEqual(conformingTree(a));
    });

    it('a server that goes away is a network error, and its data is there when it is back', async () => {
      const quick = new CardDavClient(new DavHttp({ auth: server.password === '' ? { kind: 'none' } : { kind: 'basic', user: server.user, password: server.password }, timeoutMs: 3000 }));
      await server.pause();
      await expect(quick.listEtags(server.addressBookUrl)).rejects.toBeInstanceOf(NetworkError);
      await server.resume();
      await expect(quick.listEtags(server.addressBookUrl)).resolves.toHaveLength(name === 'xandikos' || name === 'davical' ? 2 : 1);
    });
  });
}

describe('transport policy', () => {
  it('refuses plain http to a non-loopback host unless the user allowed it', async () => {
    const http = new DavHttp({ auth: { kind: 'none' }, fetch: (() => Promise.reject(new Error('must not be called'))) as typeof fetch });
    await expect(http.request('PROPFIND', 'http://dav.example.com/')).rejects.toBeInstanceOf(NetworkError);
    const allowed = new DavHttp({ auth: { kind: 'none' }, allowInsecure: true, fetch: (async () => new Response('', { status: 200 })) as typeof fetch });
    await expect(allowed.request('PROPFIND', 'http://dav.example.com/')).resolves.toMatchObject({ status: 200 });
  });

  it('asks for no compression from a server on this machine, and leaves it to fetch elsewhere', async () => {
    const seen: (string | null)[] = [];
    const recording = (async (_url: URL, init: RequestInit) => {
      seen.push(new Headers(init.headers).get('accept-encoding'));
      return new Response('', { status: 200 });
    }) as unknown as typeof fetch;
    // One connection per origin: a connection works with its own origin only.
    await new DavHttp({ auth: { kind: 'none' }, fetch: recording }).request('GET', 'http://127.0.0.1:5232/a.vcf');
    await new DavHttp({ auth: { kind: 'none' }, fetch: recording }).request('GET', 'https://dav.example.com/a.vcf');
    expect(seen).toEqual(['identity', null]);
  });

  it('caps the response size', async () => {
    const big = new DavHttp({ auth: { kind: 'none' }, maxResponseBytes: 1000, fetch: (async () => new Response('x'.repeat(5000), { status: 207 })) as typeof fetch });
    await expect(big.request('REPORT', 'https://dav.example.com/')).rejects.toThrow('larger than 1000 bytes');
  });

  it('reads Xandikos’s `//alice/...` Location as a path', () => {
    expect(resolveHref('//alice/contacts/addressbook/x.vcf', 'http://127.0.0.1:5232/alice/contacts/addressbook/')).toBe('http://127.0.0.1:5232/alice/contacts/addressbook/x.vcf');
  });
});
