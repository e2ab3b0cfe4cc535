/** The URL policy on its own: what a server may name for a card, an add-member URL, a GData link; and the connection's origins. */
import { describe, expect, it } from 'vitest';
import { DavHttp } from '../../../electron/dav/http';
import { addMemberUrl, isMember, memberLocation, memberUrl, OriginChangeNeeded, parseServerUrl, RefusedUrl, underPrefix } from '../../../electron/dav/url-policy';
import { isInternalAddress } from '../../../electron/sync/photo-fetch';

const BOOK = 'https://dav.example.org/dav/ada@example.org/book/';

describe('card hrefs stay inside the book’s collection', () => {
  it.each([
    ['/dav/ada@example.org/book/a.vcf', 'https://dav.example.org/dav/ada@example.org/book/a.vcf'],
    ['/dav/ada@example.org/book/with space.vcf', 'https://dav.example.org/dav/ada@example.org/book/with%20space.vcf'],
    ['/dav/ada@example.org/book/sub/c.vcf', 'https://dav.example.org/dav/ada@example.org/book/sub/c.vcf'],
    ['https://dav.example.org/dav/ada@example.org/book/d.vcf', 'https://dav.example.org/dav/ada@example.org/book/d.vcf'],
  ])('%s', (href, url) => {
    expect(memberUrl(BOOK, href)).toBe(url);
    expect(isMember(BOOK, href)).toBe(true);
  });

  it.each([
    ['../x.vcf', 'dot-segment'],
    ['/dav/ada@example.org/book/../other/x.vcf', 'dot-segment'],
    ['/dav/ada@example.org/book/%2e%2e/x.vcf', 'dot-segment'],
    ['/dav/ada@example.org/book/%2E/x.vcf', 'dot-segment'],
    ['/elsewhere/x.vcf', 'outside-collection'],
    // Stored hrefs are decoded: a literal "%40" is a percent sign, so this is another collection.
    ['/dav/ada%40example.org/book/b.vcf', 'outside-collection'],
    ['/dav/ada@example.org/bookkeeping/x.vcf', 'outside-collection'],
    ['/dav/ada@example.org/book/', 'outside-collection'],
    // Network-path references (RFC 3986): another host, another port; one that cannot be read.
    ['//other-host/x.vcf', 'other-origin'],
    ['//dav.example.org:8443/dav/ada@example.org/book/x.vcf', 'other-origin'],
    ['//host:99999/x', 'unparseable'],
    ['https://other.example/dav/ada@example.org/book/x.vcf', 'other-origin'],
    ['http://dav.example.org/dav/ada@example.org/book/x.vcf', 'other-origin'],
    ['javascript:alert(1)', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['/dav/ada@example.org/book/a\\..\\x', 'unparseable'],
    ['/dav/ada@example.org/book/a\nb', 'unparseable'],
    ['', 'unparseable'],
    ['https://[::1/x', 'unparseable'],
  ])('%s is refused (%s)', (href, reason) => {
    const e = (() => {
      try {
        memberUrl(BOOK, href);
        return null;
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(RefusedUrl);
    expect((e as RefusedUrl).reason).toBe(reason);
    expect(isMember(BOOK, href)).toBe(false);
  });

  it('a Location is read as written (encoded); Xandikos’s //path is a path', () => {
    expect(memberLocation(BOOK, '/dav/ada%40example.org/book/n.vcf')).toBe('https://dav.example.org/dav/ada%40example.org/book/n.vcf');
    expect(memberLocation(BOOK, '//dav/ada@example.org/book/n.vcf')).toBe('https://dav.example.org/dav/ada@example.org/book/n.vcf');
    expect(() => memberLocation(BOOK, 'https://evil.example/dav/ada@example.org/book/n.vcf')).toThrow(/another origin/);
  });

  it('a network-path reference //host/x names host, not the path /host/x: another origin is refused, the same origin resolves normally', () => {
    expect(memberUrl(BOOK, '//dav.example.org/dav/ada@example.org/book/n.vcf')).toBe('https://dav.example.org/dav/ada@example.org/book/n.vcf');
    expect(memberLocation(BOOK, '//dav.example.org/dav/ada%40example.org/book/n.vcf')).toBe('https://dav.example.org/dav/ada%40example.org/book/n.vcf');
    expect(() => memberLocation(BOOK, '//evil.example/x.vcf')).toThrow(/another origin \(https:\/\/evil\.example\)/);
    expect(() => memberUrl(BOOK, '//evil.example/dav/ada@example.org/book/x.vcf')).toThrow(/another origin/);
    // Discovery resolves it to that host (the connection then puts another origin to the user), never to a path here.
    expect(parseServerUrl('//evil.example/principals/ada/', 'https://dav.example.org/.well-known/carddav').href).toBe('https://evil.example/principals/ada/');
    expect(parseServerUrl('//dav.example.org/principals/ada/', 'https://dav.example.org/').href).toBe('https://dav.example.org/principals/ada/');
  });

  it('a redirect to //host/x goes to that host: credentials are not sent there, and nothing is asked of /host/x here', async () => {
    const seen: string[] = [];
    const fetcher = (async (url: URL) => {
      seen.push(String(url));
      return String(url).endsWith('/start') ? new Response('', { status: 302, headers: { Location: '//evil.example/x' } }) : new Response('ok');
    }) as unknown as typeof fetch;
    const http = new DavHttp({ auth: { kind: 'basic', user: 'u', password: 'p' }, origins: ['https://dav.example.org'], fetch: fetcher });
    await expect(http.request('GET', 'https://dav.example.org/start')).rejects.toBeInstanceOf(RefusedUrl);
    expect(seen).toEqual(['https://dav.example.org/start']);
  });

  it('an add-member URL is used only when it is the collection or inside it', () => {
    expect(addMemberUrl(BOOK, `${BOOK}?add-member`)).toBe(`${BOOK}?add-member`);
    expect(addMemberUrl(BOOK, '/dav/ada@example.org/book')).toBe('https://dav.example.org/dav/ada@example.org/book');
    expect(addMemberUrl(BOOK, '/dav/ada@example.org/book/;add-member')).toBe(`${BOOK};add-member`);
    for (const bad of ['https://evil.example/add', '/dav/other/', '../add', '//evil.example/add']) expect(addMemberUrl(BOOK, bad), bad).toBeNull();
    expect(addMemberUrl(BOOK, null)).toBeNull();
  });

  it('GData links stay under the directory’s own prefix', () => {
    const entries = 'https://www.google.com/m8/feeds/contacts/example.com/';
    expect(underPrefix(entries, 'https://www.google.com/m8/feeds/contacts/example.com/full/a/1', 'contact')).toBe('https://www.google.com/m8/feeds/contacts/example.com/full/a/1');
    expect(() => underPrefix(entries, 'https://evil.example/m8/feeds/contacts/example.com/full/a', 'contact')).toThrow(/another origin/);
    expect(() => underPrefix(entries, 'https://www.google.com/m8/feeds/contacts/other.com/full/a', 'contact')).toThrow(/outside/);
    expect(() => underPrefix(entries, 'https://www.google.com/m8/feeds/contacts/example.com/../other.com/full/a', 'contact')).toThrow(/\. or \.\./);
  });
});

describe('a connection keeps to its origins', () => {
  const recording = () => {
    const seen: { url: string; method: string; auth: string | null }[] = [];
    const fetcher = (async (url: URL, init: RequestInit) => {
      seen.push({ url: String(url), method: init.method ?? 'GET', auth: new Headers(init.headers).get('authorization') });
      if (String(url).endsWith('/redirect')) return new Response('', { status: 302, headers: { Location: 'https://evil.example/x' } });
      if (String(url).endsWith('/put-redirect')) return new Response('', { status: 307, headers: { Location: '/elsewhere' } });
      return new Response('ok');
    }) as unknown as typeof fetch;
    return { seen, fetch: fetcher };
  };
  const basic = { kind: 'basic' as const, user: 'u', password: 'p' };

  it('a request or redirect to another origin is refused before anything is sent; bearer tokens likewise', async () => {
    const r = recording();
    const http = new DavHttp({ auth: basic, origins: ['https://dav.example.org'], fetch: r.fetch });
    await expect(http.request('GET', 'https://evil.example/x')).rejects.toBeInstanceOf(RefusedUrl);
    await expect(http.request('GET', 'https://dav.example.org/redirect')).rejects.toBeInstanceOf(RefusedUrl);
    expect(r.seen.map((s) => s.url)).toEqual(['https://dav.example.org/redirect']);
    const b = recording();
    const bearer = new DavHttp({ auth: { kind: 'bearer', token: async () => 'tok' }, fetch: b.fetch });
    await bearer.request('GET', 'https://www.google.com/m8/feeds/x');
    await expect(bearer.request('GET', 'https://evil.example/')).rejects.toBeInstanceOf(RefusedUrl);
    expect(b.seen.map((s) => s.url)).toEqual(['https://www.google.com/m8/feeds/x']);
  });

  it('plain http is allowed to this computer (127.0.0.1, localhost, [::1]) without "allow unencrypted", and refused elsewhere unless allowed (as README and the dialog say)', async () => {
    const r = recording();
    await expect(new DavHttp({ auth: basic, fetch: r.fetch }).request('GET', 'http://127.0.0.1:5232/x')).resolves.toBeDefined();
    expect(r.seen.map((x) => x.url)).toEqual(['http://127.0.0.1:5232/x']);
    const http = new DavHttp({ auth: basic });
    for (const url of ['http://127.0.0.1:5232/x', 'http://127.1.2.3/x', 'http://localhost:5232/x', 'http://[::1]:5232/x']) expect(() => http.assertAllowed(new URL(url)), url).not.toThrow();
    for (const url of ['http://192.168.1.10/x', 'http://dav.example.org/x', 'http://127.0.0.1.example.org/x']) {
      expect(() => http.assertAllowed(new URL(url)), url).toThrow(/refusing http:/);
      expect(() => new DavHttp({ auth: basic, allowInsecure: true }).assertAllowed(new URL(url)), url).not.toThrow();
    }
  });

  it('a write is never redirected', async () => {
    const r = recording();
    const http = new DavHttp({ auth: basic, fetch: r.fetch });
    await expect(http.request('PUT', 'https://dav.example.org/book/put-redirect', { body: 'x' })).rejects.toMatchObject({ reason: 'redirected-write' });
    expect(r.seen).toHaveLength(1);
  });

  it('in discovery another origin is put to the user; once confirmed, credentials go there only after its challenge', async () => {
    const seen: (string | null)[] = [];
    const fetcher = (async (_url: URL, init: RequestInit) => {
      const auth = new Headers(init.headers).get('authorization');
      seen.push(auth);
      return auth === null ? new Response('', { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="x"' } }) : new Response('ok');
    }) as unknown as typeof fetch;
    const confirmed = new Set<string>();
    const http = new DavHttp({ auth: basic, origins: ['https://example.com'], discovery: { confirmed, declined: new Set() }, fetch: fetcher });
    await expect(http.request('PROPFIND', 'https://dav.example.net/')).rejects.toBeInstanceOf(OriginChangeNeeded);
    expect(seen).toEqual([]);
    confirmed.add('https://dav.example.net');
    await http.request('PROPFIND', 'https://dav.example.net/');
    expect(seen[0]).toBeNull();
    expect(seen[1]).toMatch(/^Basic /);
  });
});

describe('internal addresses (photos)', () => {
  it.each(['127.0.0.1', '127.9.9.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::a9fe:a9fe', 'ff02::1', '[::1]', 'not-an-address'])('%s is internal', (a) => {
    expect(isInternalAddress(a)).toBe(true);
  });
  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (a) => {
    expect(isInternalAddress(a)).toBe(false);
  });
});
