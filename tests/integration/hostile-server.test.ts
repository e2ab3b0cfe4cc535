/**
 * A hostile CardDAV server (tests/servers/hostile-server.ts) on 127.0.0.1, and "another origin"
 * beside it that records every request: whatever URL the server names, Cardinal works inside the
 * account's book and origin, sends credentials nowhere else, refuses what it cannot read as one
 * card's problem (the others go on), and asks the user before discovery moves to another origin.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CardDavClient } from '../../electron/dav/client';
import type { Resolver } from '../../electron/dav/discovery';
import { DavError } from '../../electron/dav/errors';
import { DavHttp } from '../../electron/dav/http';
import { GDataClient } from '../../electron/gdata/client';
import { syncSharedContacts } from '../../electron/gdata/sync';
import { NodePlatform } from '../../electron/platform/node-platform';
import { AccountStore } from '../../electron/sync/accounts';
import { Connections } from '../../electron/sync/connections';
import { syncAddressBook } from '../../electron/sync/engine';
import { SyncManager } from '../../electron/sync/manager';
import { PhotoLoader } from '../../electron/sync/photos';
import type { AccountInfo } from '../../shared/sync/types';
import { hostileCard, startHostileServer, startRecorder, type HostileServer, type Recorder } from '../servers/hostile-server';
import { MemoryCollection } from './memory-collection';
import { openStore } from './renderer-store';
import { parseVCard } from '../../shared/vcard';
import { unreadableInWords } from '../../renderer/src/features/accounts/error-words';
import { translator } from '../../renderer/src/i18n';

let server: HostileServer;
let elsewhere: Recorder;
let dataDir: string;
const managers: SyncManager[] = [];

beforeEach(async () => {
  server = await startHostileServer();
  elsewhere = await startRecorder();
  dataDir = mkdtempSync(join(tmpdir(), 'cardinal-hostile-'));
});
afterEach(async () => {
  for (const m of managers.splice(0)) m.dispose();
  vi.useRealTimers();
  await server.close();
  await elsewhere.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The account's connection as the app makes it: its own origin only. */
const client = () => new CardDavClient(new DavHttp({ auth: { kind: 'basic', user: server.user, password: server.password }, origins: [server.url] }));
const seed = (...names: string[]) => {
  for (const n of names) server.cards.set(`${n}.vcf`, { etag: `"${n}1"`, vcard: hostileCard(n, `Person ${n}`) });
};
const otherHost = () => new URL(elsewhere.url).host;

describe('a listing that names hrefs outside the book', () => {
  it('only the book’s own cards are synced; hrefs elsewhere, on other origins or unreadable are never fetched or kept, and the next run goes on', async () => {
    seed('a', 'b');
    server.script.extraHrefs = [
      '../outside.vcf',
      `${server.bookPath}%2e%2e/dotdot.vcf`,
      `${server.bookPath}sub/../../x.vcf`,
      '/elsewhere/x.vcf',
      `//${otherHost()}${server.bookPath}x.vcf`,
      `//${otherHost()}:99999/x.vcf`,
      '//other-host/x.vcf',
      `${elsewhere.url}${server.bookPath}x.vcf`,
    ];
    const local = new MemoryCollection();
    const report = await syncAddressBook(client(), server.bookUrl, local);
    expect(report.downloaded).toBe(2);
    // Refused, and not silently: the run counts them, for the account's status to say.
    expect(report.outside).toBe(server.script.extraHrefs!.length);
    expect([...local.cards.values()].map((c) => c.href).sort()).toEqual([`${server.bookPath}a.vcf`, `${server.bookPath}b.vcf`]);
    expect([...local.cards.values()].some((c) => c.vcard.includes('Planted'))).toBe(false);
    await expect(syncAddressBook(client(), server.bookUrl, local)).resolves.toMatchObject({ failed: 0 });
    expect(elsewhere.requests).toEqual([]);
  });
});

describe('a card the server holds that is not a readable vCard', () => {
  it('is left out and counted, the book’s other cards sync and the next run goes on; once fixed on the server it arrives', async () => {
    seed('a', 'b');
    server.cards.set('text.vcf', { etag: '"t1"', vcard: 'not a vcard at all' });
    server.cards.set('cut.vcf', { etag: '"c1"', vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:cut\r\nFN:Cut Short\r\nthis line has no colon\r\n' });
    const local = new MemoryCollection();
    const report = await syncAddressBook(client(), server.bookUrl, local);
    expect(report).toMatchObject({ downloaded: 2, unreadable: 2, failed: 0 });
    expect([...local.cards.values()].map((c) => c.href).sort()).toEqual([`${server.bookPath}a.vcf`, `${server.bookPath}b.vcf`]);
    await expect(syncAddressBook(client(), server.bookUrl, local)).resolves.toMatchObject({ failed: 0 });
    server.cards.set('cut.vcf', { etag: '"c2"', vcard: hostileCard('cut', 'Cut Mended') });
    await syncAddressBook(client(), server.bookUrl, local);
    expect([...local.cards.values()].some((c) => c.vcard.includes('Cut Mended'))).toBe(true);
  });
});

describe('a card edited here whose copy on the server became unreadable', () => {
  it('waits, counted once as unreadable; the other cards still sync both ways, and once mended on the server the edit merges and goes up', async () => {
    seed('a', 'b', 'c');
    const local = new MemoryCollection();
    await syncAddressBook(client(), server.bookUrl, local);
    const b = local.byHref(`${server.bookPath}b.vcf`)!;
    local.edit(b.id, hostileCard('b', 'Person b').replace('END:VCARD', 'ORG:Edited here\r\nEND:VCARD'));
    server.cards.set('b.vcf', { etag: '"b2"', vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b\r\nFN:Cut Sh' }); // cut short
    server.cards.set('c.vcf', { etag: '"c2"', vcard: hostileCard('c', 'Person c changed there') });
    const report = await syncAddressBook(client(), server.bookUrl, local);
    expect(report).toMatchObject({ unreadable: 1, failed: 0, uploaded: 0 });
    expect([...local.cards.values()].some((x) => x.vcard.includes('Person c changed there'))).toBe(true);
    expect(local.cards.get(b.id)).toMatchObject({ pending: 'updated' });
    expect(local.cards.get(b.id)!.vcard).toContain('ORG:Edited here');
    // Still broken on the next run: still waiting, the run does not fail.
    await expect(syncAddressBook(client(), server.bookUrl, local)).resolves.toMatchObject({ unreadable: 1, failed: 0 });
    server.cards.set('b.vcf', { etag: '"b3"', vcard: hostileCard('b', 'Person b').replace('END:VCARD', 'NOTE:mended there\r\nEND:VCARD') });
    await expect(syncAddressBook(client(), server.bookUrl, local)).resolves.toMatchObject({ unreadable: 0, failed: 0 });
    expect(server.cards.get('b.vcf')!.vcard).toContain('ORG:Edited here');
    expect(server.cards.get('b.vcf')!.vcard).toContain('NOTE:mended there');
    expect(local.cards.get(b.id)).toMatchObject({ pending: '' });
  });
});

describe('an edit that waits because the server’s copy cannot be read, in the account’s status', () => {
  it('names the contact (its name here), in English and Persian; the count of other unreadable cards stays beside it', async () => {
    seed('a', 'b');
    server.cards.set('text.vcf', { etag: '"t1"', vcard: 'not a vcard at all' });
    const { repo, index, port } = await openStore(`hostile-${Date.now()}`);
    const platform = new NodePlatform({ dataDir, version: '0.0.0' });
    const m = new SyncManager({ platform, store: port, emit: () => {}, intervalMinutes: 0 });
    managers.push(m);
    const found = await m.discover({ url: server.url, user: server.user, password: server.password, allowInsecure: false });
    const account = await m.add(found.discoveryId, [server.bookUrl]);
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle', unreadable: 1 });
    const b = index.query('Person b', account.books[0]!.id)[0]!;
    await repo.update(b.id, parseVCard(hostileCard('b', 'Bea Edited')));
    server.cards.set('b.vcf', { etag: '"b2"', vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b\r\nFN:Cut Sh' }); // cut short
    const status = await m.sync(account.id);
    expect(status).toMatchObject({ phase: 'idle', unreadable: 2, waitingUnreadable: ['Bea Edited'] });
    const words = unreadableInWords(status, translator('en'), 'en');
    expect(words).toEqual([
      'The server’s copy of \u2068Bea Edited\u2069 cannot be read; your edit waits here and goes up once it can be read again.',
      expect.stringMatching(/^1 card on the server cannot be read/),
    ]);
    expect(unreadableInWords(status, translator('fa'), 'fa')[0]).toContain('Bea Edited');
  });
});

describe('a multiget that answers for fewer cards than it was asked for', () => {
  const changeThere = (...names: string[]) => {
    for (const n of names) server.cards.set(`${n}.vcf`, { etag: `"${n}2"`, vcard: hostileCard(n, `Person ${n} changed there`) });
  };

  it('a card left out once is asked for again and arrives; none is taken for removed', async () => {
    seed('a', 'b', 'c');
    const local = new MemoryCollection();
    await syncAddressBook(client(), server.bookUrl, local);
    changeThere('a', 'b', 'c');
    server.script.multigetOmit = { 'b.vcf': 1, 'c.vcf': 1 };
    const report = await syncAddressBook(client(), server.bookUrl, local);
    expect(report).toMatchObject({ removedLocally: 0, unanswered: 0 });
    expect([...local.cards.values()].map((c) => c.vcard.match(/FN:([^\r\n]*)/)![1]).sort()).toEqual(['Person a changed there', 'Person b changed there', 'Person c changed there']);
  });

  it('one the server never answers for in a multiget is fetched by GET; a 404 there, or in the multiget, is gone', async () => {
    seed('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    const local = new MemoryCollection();
    await syncAddressBook(client(), server.bookUrl, local);
    changeThere('a', 'b', 'c', 'd');
    server.script.multigetOmit = { 'b.vcf': Infinity, 'c.vcf': Infinity };
    server.script.getStatus = { 'c.vcf': 404 };
    server.script.multigetNotFound = ['d.vcf'];
    const report = await syncAddressBook(client(), server.bookUrl, local);
    expect(report).toMatchObject({ removedLocally: 2, unanswered: 0 });
    expect([...local.cards.values()].map((c) => c.vcard.match(/FN:([^\r\n]*)/)![1]).sort()).toEqual(['Person a changed there', 'Person b changed there', 'Person e', 'Person f', 'Person g', 'Person h']);
  });

  it('one still unanswered is left as it is here, counted, and asked for again on the next run', async () => {
    seed('a', 'b', 'c');
    const local = new MemoryCollection();
    await syncAddressBook(client(), server.bookUrl, local);
    const b = local.byHref(`${server.bookPath}b.vcf`)!;
    changeThere('a', 'b', 'c');
    server.script.multigetOmit = { 'b.vcf': Infinity };
    server.script.getStatus = { 'b.vcf': 500 };
    const report = await syncAddressBook(client(), server.bookUrl, local);
    expect(report).toMatchObject({ removedLocally: 0, unanswered: 1, failed: 0 });
    expect(local.cards.get(b.id)).toMatchObject({ href: `${server.bookPath}b.vcf`, vcard: b.vcard, pending: '' });
    expect([...local.cards.values()].filter((c) => c.vcard.includes('changed there'))).toHaveLength(2);
    // The server answers again: the next run brings it.
    server.script.multigetOmit = {};
    server.script.getStatus = {};
    await expect(syncAddressBook(client(), server.bookUrl, local)).resolves.toMatchObject({ unanswered: 0, removedLocally: 0 });
    expect(local.cards.get(b.id)!.vcard).toContain('Person b changed there');
  });
});

describe('a card whose href leads outside the book', () => {
  const planted = () => [
    `//${otherHost()}${'/dav/alice/book/'}x.vcf`, // another origin, written as a network-path reference
    `${'http://'}${otherHost()}/dav/alice/book/y.vcf`, // another origin, absolute
    '/dav/alice/elsewhere/z.vcf', // same origin, another collection
    '/dav/alice/book/../w.vcf', // dot segments
    '//host:99999/v.vcf', // cannot be read as a URL at all ("Invalid URL" stopped every sync before)
  ];

  it('is marked with the reason and sent nowhere; the other cards’ edits go through', async () => {
    seed('a');
    const local = new MemoryCollection();
    await syncAddressBook(client(), server.bookUrl, local);
    const a = local.byHref(`${server.bookPath}a.vcf`)!;
    local.edit(a.id, hostileCard('a', 'Person a edited'));
    for (const [i, href] of planted().entries()) {
      const vcard = hostileCard(`p${i}`, `Planted ${i}`);
      local.cards.set(`planted-${i}`, { id: `planted-${i}`, href, etag: '"1"', vcard: vcard.replace('Planted', 'Edited'), base: vcard, pending: 'updated', revision: 1 });
    }
    const report = await syncAddressBook(client(), server.bookUrl, local);
    expect(report).toMatchObject({ uploaded: 1, failed: planted().length });
    expect(server.cards.get('a.vcf')!.vcard).toContain('Person a edited');
    for (let i = 0; i < planted().length; i++) expect(local.cards.get(`planted-${i}`), `card ${i}`).toMatchObject({ pending: 'updated', error: expect.stringMatching(/another origin|outside this address book|\. or \.\.|cannot be read/) });
    expect(elsewhere.requests).toEqual([]);
    expect(server.requests.filter((r) => r.path.includes('elsewhere') || r.path.endsWith('w.vcf'))).toEqual([]);
  });

  it('a deletion of such a card is not sent either', async () => {
    const local = new MemoryCollection();
    local.cards.set('gone', { id: 'gone', href: `//${otherHost()}/dav/alice/book/x.vcf`, etag: '"1"', vcard: hostileCard('g', 'G'), base: '', pending: 'deleted', revision: 1 });
    const report = await syncAddressBook(client(), server.bookUrl, local);
    expect(report.failed).toBe(1);
    expect(elsewhere.requests).toEqual([]);
  });
});

describe('where a new card went', () => {
  it('a POST Location on another origin: each card is marked, nothing is fetched there, the run goes on', async () => {
    server.script.addMember = server.bookPath;
    server.script.postLocation = `${elsewhere.url}${server.bookPath}new.vcf`;
    const local = new MemoryCollection();
    const ids = [local.create(hostileCard('n', 'New one')), local.create(hostileCard('m', 'Second one'))];
    await expect(syncAddressBook(client(), server.bookUrl, local)).resolves.toMatchObject({ uploaded: 0, failed: 2 });
    for (const id of ids) expect(local.cards.get(id)!).toMatchObject({ error: expect.stringMatching(/another origin/) });
    expect(elsewhere.requests).toEqual([]);
  });

  it('a Location outside the book on the same server: marked, never read', async () => {
    server.script.addMember = server.bookPath;
    server.script.postLocation = '/dav/alice/other-book/new.vcf';
    const local = new MemoryCollection();
    const id = local.create(hostileCard('n', 'New one'));
    await syncAddressBook(client(), server.bookUrl, local);
    expect(local.cards.get(id)!).toMatchObject({ error: expect.stringMatching(/outside this address book/) });
    expect(server.requests.filter((r) => r.path.includes('other-book'))).toEqual([]);
  });

  it('a PUT answered with a Location like //host:port/x names that other host (not the path /host:port/x here): marked as another origin', async () => {
    server.script.putLocation = `//${otherHost()}/x.vcf`;
    const local = new MemoryCollection();
    const id = local.create(hostileCard('n', 'New one'));
    await syncAddressBook(client(), server.bookUrl, local);
    expect(local.cards.get(id)!).toMatchObject({ error: expect.stringMatching(/another origin/) });
    expect(elsewhere.requests).toEqual([]);
  });

  it('an add-member URL on another origin is not used: the card is PUT into the book', async () => {
    server.script.addMember = `${elsewhere.url}/add-member`;
    const local = new MemoryCollection();
    const id = local.create(hostileCard('n', 'New one'));
    await expect(syncAddressBook(client(), server.bookUrl, local)).resolves.toMatchObject({ uploaded: 1, failed: 0 });
    expect(local.cards.get(id)!.href.startsWith(server.bookPath)).toBe(true);
    expect(elsewhere.requests).toEqual([]);
  });
});

describe('redirects', () => {
  it('a write is never sent on where a redirect points; a read redirected to another origin is refused; each marks its card only', async () => {
    seed('a', 'b', 'c');
    const local = new MemoryCollection();
    await syncAddressBook(client(), server.bookUrl, local);
    server.script.redirectPut = { 'a.vcf': '/dav/alice/elsewhere/a.vcf' };
    server.script.redirectGet = { 'b.vcf': `${elsewhere.url}${server.bookPath}b.vcf` };
    for (const n of ['a', 'b', 'c']) local.edit(local.byHref(`${server.bookPath}${n}.vcf`)!.id, hostileCard(n, `Person ${n} edited`));
    const report = await syncAddressBook(client(), server.bookUrl, local);
    expect(report).toMatchObject({ uploaded: 1, failed: 2 });
    expect(server.cards.get('c.vcf')!.vcard).toContain('Person c edited');
    expect(server.requests.filter((r) => r.path.includes('elsewhere'))).toEqual([]);
    expect(elsewhere.requests).toEqual([]);
  });
});

describe('a listing that is not well formed', () => {
  it('one whose responses use an undeclared prefix is refused: the run fails and no card is deleted here', async () => {
    seed(...'abcdefghij'.split(''));
    const local = new MemoryCollection();
    await syncAddressBook(client(), server.bookUrl, local);
    expect(local.cards.size).toBe(10);
    const row = (n: string, p: string) => `<${p}:response><${p}:href>${server.bookPath}${n}.vcf</${p}:href><${p}:propstat><${p}:prop><${p}:getetag>"${n}1"</${p}:getetag></${p}:prop><${p}:status>HTTP/1.1 200 OK</${p}:status></${p}:propstat></${p}:response>`;
    server.script.syncBody = `<d:multistatus xmlns:d="DAV:">${'abcdefgh'.split('').map((n) => row(n, 'd')).join('')}${row('i', 'D')}${row('j', 'D')}<d:sync-token>t2</d:sync-token></d:multistatus>`;
    // The token was lost (a server reset): the next run is a full listing, whose absent cards would go.
    local.syncState = { ...local.syncState, syncToken: null };
    await expect(syncAddressBook(client(), server.bookUrl, local)).rejects.toThrow(/bound to no namespace/);
    expect(local.cards.size).toBe(10);
  });
});

describe('discovery', () => {
  function manager(resolver?: Resolver) {
    const platform = new NodePlatform({ dataDir, version: '0.0.0' });
    const m = new SyncManager({ platform, store: { request: async () => undefined as never }, emit: () => {}, intervalMinutes: 0, resolver });
    managers.push(m);
    return m;
  }
  const input = (url: string) => ({ url, user: server.user, password: server.password, allowInsecure: false });

  it('a principal on another origin: nothing goes there until the user says so; then the password only after that server’s challenge', async () => {
    server.script.principalHref = `${elsewhere.url}/principal/`;
    const m = manager();
    const first = await m.discover(input(server.url));
    expect(first).toMatchObject({ books: [], move: { from: server.url, to: elsewhere.url } });
    expect(elsewhere.requests).toEqual([]);
    await expect(m.continueDiscovery(first.discoveryId, true)).rejects.toThrow();
    expect(elsewhere.requests.length).toBeGreaterThanOrEqual(2);
    expect(elsewhere.requests[0]!.authorization).toBeNull();
    expect(elsewhere.requests[1]!.authorization).toMatch(/^Basic /);
  });

  it('a principal written //host/principal/ (a network-path reference) is that other host, put to the user; never PROPFIND /host/principal/ here', async () => {
    server.script.principalHref = `//${otherHost()}/principal/`;
    const m = manager();
    const first = await m.discover(input(server.url));
    expect(first).toMatchObject({ books: [], move: { from: server.url, to: elsewhere.url } });
    expect(elsewhere.requests).toEqual([]);
    expect(server.requests.filter((r) => r.path.startsWith(`/${otherHost()}`))).toEqual([]);
  });

  it('declined, nothing goes there and discovery says what it could not find', async () => {
    server.script.principalHref = `${elsewhere.url}/principal/`;
    const m = manager();
    const first = await m.discover(input(server.url));
    await expect(m.continueDiscovery(first.discoveryId, false)).rejects.toThrow();
    expect(elsewhere.requests).toEqual([]);
    // The discovery, and the password it held, are gone.
    await expect(m.add(first.discoveryId, [server.bookUrl])).rejects.toThrow(/expired/);
  });

  it('a well-known redirect to another origin asks first', async () => {
    server.script.wellKnown = `${elsewhere.url}/dav/`;
    const first = await manager().discover(input(server.url));
    expect(first.move).toEqual({ from: server.url, to: elsewhere.url });
    expect(elsewhere.requests).toEqual([]);
  });

  it('a book on another origin asks first, and is left out when declined', async () => {
    server.script.bookHref = `${elsewhere.url}${server.bookPath}`;
    const m = manager();
    const first = await m.discover(input(server.url));
    expect(first.move).toEqual({ from: server.url, to: elsewhere.url });
    await expect(m.continueDiscovery(first.discoveryId, false)).rejects.toThrow(/No address book/);
    expect(elsewhere.requests).toEqual([]);
  });

  it('an SRV target on another origin asks first (RFC 6764 §8); nothing, the password least of all, goes there before', async () => {
    const port = new URL(elsewhere.url).port;
    const resolver: Resolver = { resolveSrv: async () => [{ name: '127.0.0.1', port: Number(port), priority: 0, weight: 0 }], resolveTxt: async () => [] };
    const first = await manager(resolver).discover({ url: 'alice@example.test', user: server.user, password: server.password, allowInsecure: false });
    expect(first.move).toEqual({ from: 'https://example.test', to: `https://127.0.0.1:${port}` });
    expect(elsewhere.requests).toEqual([]);
  });

  it('a discovery is forgotten after 15 minutes (adding from it fails), or as soon as the dialog closes', async () => {
    const m = manager();
    const kept = await m.discover(input(server.url));
    expect(kept.books.map((b) => b.url)).toEqual([server.bookUrl]);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 16 * 60_000);
    await expect(m.add(kept.discoveryId, [server.bookUrl])).rejects.toThrow(/expired/);
    vi.useRealTimers();
    const closed = await m.discover(input(server.url));
    m.forgetDiscovery(closed.discoveryId);
    await expect(m.add(closed.discoveryId, [server.bookUrl])).rejects.toThrow(/expired/);
  });
});

describe('photos by URI', () => {
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const BOOK_ID = 'acc:book';

  async function loader() {
    const platform = new NodePlatform({ dataDir, version: '0.0.0' });
    const accounts = new AccountStore(platform);
    const account: AccountInfo = { id: 'acc', kind: 'carddav', serverUrl: server.url, user: server.user, allowInsecure: false, intervalMinutes: 0, books: [{ id: BOOK_ID, url: server.bookUrl, name: 'Hostile book' }], available: [] };
    await accounts.add(account, server.password);
    let now = Date.now();
    const photos = new PhotoLoader({ accounts, connections: new Connections(accounts, {}), now: () => now });
    return { photos, later: (ms: number) => (now += ms) };
  }

  it('on the book’s own origin, with the account’s credentials; elsewhere on the same host, without them', async () => {
    server.script.photos = { 'p.png': { type: 'image/png', body: PNG } };
    server.script.privatePhotos = ['p.png'];
    elsewhere.answer = (_req, res) => res.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG);
    const { photos } = await loader();
    expect(await photos.load(BOOK_ID, `${server.url}/photos/p.png`)).toMatch(/^data:image\/png;base64,/);
    expect(server.requests.filter((r) => r.path === '/photos/p.png').at(-1)!.authorization).toMatch(/^Basic /);
    expect(await photos.load(BOOK_ID, `${elsewhere.url}/q.png`)).toMatch(/^data:image\/png;base64,/);
    expect(elsewhere.requests.map((r) => r.authorization)).toEqual([null]);
  });

  it('a loopback host the book does not live on is never asked', async () => {
    const loop2 = await startRecorder('127.0.0.2');
    try {
      loop2.answer = (_req, res) => res.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG);
      const { photos } = await loader();
      expect(await photos.load(BOOK_ID, `${loop2.url}/p.png`)).toBeNull();
      expect(await photos.load('local', `${elsewhere.url}/p.png`)).toBeNull(); // a local card's photo on this machine
      expect(loop2.requests).toEqual([]);
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await loop2.close();
    }
  });

  it('images only: an SVG, a page, a "PNG" that is not one, and more than 5 MB give no photo', async () => {
    server.script.photos = {
      's.svg': { type: 'image/svg+xml', body: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') },
      'h.png': { type: 'text/html', body: Buffer.from('<script>alert(1)</script>') },
      'fake.png': { type: 'image/png', body: Buffer.from('<svg onload="alert(1)"/>') },
      'huge.png': { type: 'image/png', body: Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024)]) },
    };
    const { photos } = await loader();
    for (const f of ['s.svg', 'h.png', 'fake.png', 'huge.png']) expect(await photos.load(BOOK_ID, `${server.url}/photos/${f}`), f).toBeNull();
  });

  it('kept per book: a photo fetched with one account’s credentials is not handed to another book; a failure is asked again later', async () => {
    server.script.photos = { 'p.png': { type: 'image/png', body: PNG } };
    server.script.privatePhotos = ['p.png'];
    const { photos, later } = await loader();
    const uri = `${server.url}/photos/p.png`;
    expect(await photos.load(BOOK_ID, uri)).not.toBeNull();
    expect(await photos.load('local', uri)).toBeNull(); // no credentials there: the server says 401
    server.script.photos = {};
    const missing = `${server.url}/photos/late.png`;
    expect(await photos.load(BOOK_ID, missing)).toBeNull();
    server.script.photos = { 'late.png': { type: 'image/png', body: PNG } };
    expect(await photos.load(BOOK_ID, missing)).toBeNull(); // not asked again at once
    later(6 * 60_000);
    expect(await photos.load(BOOK_ID, missing)).not.toBeNull();
  });
});

describe('Workspace links (GData)', () => {
  const entry = (id: string, links: { self?: string; edit?: string; photo?: string }, base: string) =>
    `<entry gd:etag='"e-${id}"'><id>${base}/contacts/example.test/base/${id}</id><updated>2024-01-01T00:00:00.000Z</updated><category scheme="http://schemas.google.com/g/2005#kind" term="http://schemas.google.com/contact/2008#contact"/><gd:name><gd:fullName>Person ${id}</gd:fullName></gd:name>${links.photo !== undefined ? `<link rel="http://schemas.google.com/contacts/2008/rel#photo" type="image/*" href="${links.photo}" gd:etag='"p"'/>` : ''}<link rel="self" type="application/atom+xml" href="${links.self ?? `${base}/contacts/example.test/full/${id}`}"/><link rel="edit" type="application/atom+xml" href="${links.edit ?? `${base}/contacts/example.test/full/${id}/1`}"/></entry>`;
  const feed = (entries: string, next = '') =>
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:gd="http://schemas.google.com/g/2005" xmlns:openSearch="http://a9.com/-/spec/opensearch/1.1/"><updated>2024-01-02T00:00:00.000Z</updated>${next}${entries}</feed>`;
  const gdata = () => new GDataClient(new DavHttp({ auth: { kind: 'bearer', token: async () => 'the-bearer-token' }, origins: [server.url] }), `${server.url}/m8/feeds`, 'example.test');

  it('an edit link on another origin: that contact’s edit is marked and the token goes nowhere; the others are read', async () => {
    const base = `${server.url}/m8/feeds`;
    server.script.feed = feed(entry('a', { edit: `${elsewhere.url}/m8/feeds/contacts/example.test/full/a/1` }, base) + entry('b', {}, base));
    const local = new MemoryCollection();
    await syncSharedContacts(gdata(), local);
    expect(local.cards.size).toBe(2);
    const a = [...local.cards.values()].find((c) => c.vcard.includes('Person a'))!;
    local.edit(a.id, a.vcard.replace('Person a', 'Person a edited'));
    const report = await syncSharedContacts(gdata(), local);
    expect(report.failed).toBe(1);
    expect(local.cards.get(a.id)!).toMatchObject({ error: expect.stringMatching(/another origin/) });
    expect(elsewhere.requests).toEqual([]);
  });

  it('an entry whose self link is not one of the directory’s is no contact of it; a next page elsewhere fails the run before anything is asked there', async () => {
    const base = `${server.url}/m8/feeds`;
    server.script.feed = feed(entry('a', { self: `${elsewhere.url}/x` }, base) + entry('b', {}, base));
    const local = new MemoryCollection();
    await syncSharedContacts(gdata(), local);
    expect([...local.cards.values()].map((c) => c.vcard.includes('Person b'))).toEqual([true]);
    server.script.feed = feed(entry('b', {}, base), `<link rel="next" type="application/atom+xml" href="${elsewhere.url}/m8/feeds/contacts/example.test/full?start-index=2"/>`);
    await expect(syncSharedContacts(gdata(), local)).rejects.toBeInstanceOf(DavError);
    expect(elsewhere.requests).toEqual([]);
  });

  it('a photo link elsewhere is not fetched with the token', async () => {
    const base = `${server.url}/m8/feeds`;
    server.script.feed = feed(entry('a', { photo: `${elsewhere.url}/photo` }, base));
    const page = await gdata().page(`${base}/contacts/example.test/full`);
    await expect(gdata().photo(page.entries[0]!)).rejects.toThrow(/another origin/);
    expect(elsewhere.requests).toEqual([]);
  });
});
