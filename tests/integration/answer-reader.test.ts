/**
 * Large answers are read in the answer reader's worker thread (electron/dav/reader-pool.ts): the
 * same result as read inline for a real Radicale multistatus (sync-collection with the cards,
 * multiget, listing), and the same typed refusal for a truncated or malformed one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardDavClient } from '../../electron/dav/client';
import { DavError, UnreadableAnswer } from '../../electron/dav/errors';
import { DavHttp } from '../../electron/dav/http';
import { fromWire, toWire } from '../../electron/dav/reader-jobs';
import { closeReader, INLINE_BELOW, READER_LIMITS, readerLimits, readerStatus, readInline, readInWorker } from '../../electron/dav/reader-pool';
import { XmlError } from '../../electron/dav/xml-reader';
import { parseFeed } from '../../electron/gdata/atom';
import { startRadicale, type TestServer } from '../servers/servers';

const CARDS = 400;
const card = (i: number) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u${i}\r\nFN:Person ${i} Ünïcødé ✓\r\nN:${i};Person;;;\r\nNOTE:line one\\nline two & <three>\r\nEND:VCARD\r\n`;

const SYNC_BODY = `<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:sync-token></d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/><card:address-data/></d:prop></d:sync-collection>`;

describe('the answer reader thread', () => {
  let server: TestServer;
  let http: DavHttp;
  /** The sync-collection answer with every card, as Radicale sent it. */
  let answer: Uint8Array;
  let hrefs: string[];

  beforeAll(async () => {
    server = await startRadicale();
    await server.seed(Array.from({ length: CARDS }, (_, i) => ({ file: `c${i}.vcf`, vcard: card(i) })));
    http = new DavHttp({ auth: { kind: 'basic', user: server.user, password: server.password } });
    const res = await http.requestBytes('REPORT', server.addressBookUrl, { headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' }, body: SYNC_BODY });
    answer = new Uint8Array(res.bytes);
    hrefs = Array.from({ length: CARDS }, (_, i) => new URL(`c${i}.vcf`, server.addressBookUrl).pathname);
  });
  afterAll(async () => {
    await closeReader();
    await server.stop();
  });

  it('reads a real sync-collection answer with the cards in the worker as inline, the bytes handed over, not copied', async () => {
    expect(answer.byteLength).toBeGreaterThan(INLINE_BELOW); // what the client sends to the worker
    const inline = readInline('sync-collection', answer.slice(), server.addressBookUrl, { bookUrl: server.addressBookUrl, withData: true });
    const sent = answer.slice();
    const inWorker = await readInWorker('sync-collection', sent, server.addressBookUrl, { bookUrl: server.addressBookUrl, withData: true });
    expect(await readerStatus()).toBe('worker');
    expect(sent.buffer.byteLength).toBe(0); // transferred: detached here
    expect(inline.changed).toHaveLength(CARDS);
    expect(inline.changed.every((c) => c.vcard !== undefined && c.vcard.includes('Ünïcødé ✓') && c.etag !== '')).toBe(true);
    expect(inWorker).toEqual(inline);
  });

  it('runs the worker with a bounded young generation (its heap stays small between parts), and reads as inline under it', async () => {
    const inline = readInline('sync-collection', answer.slice(), server.addressBookUrl, { bookUrl: server.addressBookUrl, withData: true, derive: true });
    const inWorker = await readInWorker('sync-collection', answer.slice(), server.addressBookUrl, { bookUrl: server.addressBookUrl, withData: true, derive: true });
    expect(inWorker).toEqual(inline);
    const limits = readerLimits();
    expect(limits).not.toBeNull();
    expect(limits!.maxYoungGenerationSizeMb).toBeGreaterThan(0);
    expect(limits!.maxYoungGenerationSizeMb).toBeLessThanOrEqual(READER_LIMITS.maxYoungGenerationSizeMb);
    expect(READER_LIMITS.maxYoungGenerationSizeMb).toBeLessThanOrEqual(8);
  });

  it('answers the client’s sync-collection, multiget and listing through the worker with what they read inline', async () => {
    const client = new CardDavClient(http);
    const changes = await client.syncCollection(server.addressBookUrl, '', true);
    const inline = readInline('sync-collection', answer.slice(), server.addressBookUrl, { bookUrl: server.addressBookUrl, withData: true });
    expect({ ...changes, token: null }).toEqual({ ...inline, token: null }); // Radicale's token is per request
    const asked = [...hrefs, new URL('nobody.vcf', server.addressBookUrl).pathname];
    const got = await client.multiget(server.addressBookUrl, asked);
    expect(got.cards).toHaveLength(CARDS);
    expect(got.missing.length + got.unanswered.length).toBe(1);
    expect(new Map(got.cards.map((c) => [c.href, c.vcard]))).toEqual(new Map(inline.changed.map((c) => [c.href, c.vcard])));
    const listing = await client.listing(server.addressBookUrl);
    expect(new Map(listing.members.map((m) => [m.href, m.etag]))).toEqual(new Map(inline.changed.map((c) => [c.href, c.etag])));
  });

  it('refuses a truncated answer in the worker with the same UnreadableAnswer as inline', async () => {
    // Cut after a tag, as a connection that drops between two packets leaves it.
    const cut = answer.slice(0, answer.lastIndexOf(0x3e, Math.floor(answer.byteLength * 0.6)) + 1);
    let inlineError: unknown;
    try {
      readInline('sync-collection', cut.slice(), 'http://x/book/', { bookUrl: server.addressBookUrl, withData: true });
    } catch (e) {
      inlineError = e;
    }
    const workerError = await readInWorker('sync-collection', cut.slice(), 'http://x/book/', { bookUrl: server.addressBookUrl, withData: true }).catch((e: unknown) => e);
    expect(inlineError).toBeInstanceOf(UnreadableAnswer);
    expect(workerError).toBeInstanceOf(UnreadableAnswer);
    expect(workerError).toBeInstanceOf(DavError);
    expect((workerError as UnreadableAnswer).message).toBe((inlineError as UnreadableAnswer).message);
    expect((workerError as UnreadableAnswer).message).toMatch(/never closed/);
    expect((workerError as UnreadableAnswer).status).toBe(207);
    expect((workerError as UnreadableAnswer).url).toBe('http://x/book/');
  });

  it('refuses a malformed answer (a control character, an undefined entity) in the worker as inline', async () => {
    const text = new TextDecoder().decode(answer);
    for (const bad of [text.replace('Person 7 ', 'Person\u0001 7 '), text.replace('Person 9 ', 'Person &nbsp; 9 ')]) {
      const bytes = new TextEncoder().encode(bad);
      let inlineError: unknown;
      try {
        readInline('multiget', bytes.slice(), 'http://x/book/', { bookUrl: server.addressBookUrl, hrefs });
      } catch (e) {
        inlineError = e;
      }
      const workerError = await readInWorker('multiget', bytes.slice(), 'http://x/book/', { bookUrl: server.addressBookUrl, hrefs }).catch((e: unknown) => e);
      expect(workerError).toBeInstanceOf(UnreadableAnswer);
      expect((workerError as Error).message).toBe((inlineError as Error).message);
    }
  });

  it('reads a Workspace Atom page of 300 entries in the worker as inline, and refuses a cut one with the same XmlError', async () => {
    const entry = (i: number) =>
      `<entry gd:etag='"e${i}"'><id>https://www.google.com/m8/feeds/contacts/example.com/base/${i}</id><updated>2008-02-28T18:47:02.303Z</updated><title type='text'>Person ${i} Ünïcødé</title><gd:name><gd:fullName>Person ${i}</gd:fullName></gd:name><content type='text'>Notes &amp; more</content><link rel='self' type='application/atom+xml' href='https://www.google.com/m8/feeds/contacts/example.com/full/${i}'/><gd:phoneNumber rel='http://schemas.google.com/g/2005#other' primary='true'>456-123-${i}</gd:phoneNumber><gd:extendedProperty name="pet" value="hamster"/></entry>`;
    const feed = `<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearch/1.1/' xmlns:gd='http://schemas.google.com/g/2005'><id>example.com</id><updated>2008-03-05T12:36:38.835Z</updated><openSearch:totalResults>300</openSearch:totalResults>${Array.from({ length: 300 }, (_, i) => entry(i)).join('')}</feed>`;
    const bytes = new TextEncoder().encode(feed);
    expect(bytes.byteLength).toBeGreaterThan(INLINE_BELOW);
    const inWorker = await readInWorker('atom-feed', bytes.slice(), 'https://www.google.com/m8/feeds/contacts/example.com/full', {});
    expect(inWorker.entries).toHaveLength(300);
    expect(inWorker).toEqual(parseFeed(feed));
    const cut = new TextEncoder().encode(feed.slice(0, feed.lastIndexOf('</entry>')));
    const workerError = await readInWorker('atom-feed', cut, 'u', {}).catch((e: unknown) => e);
    expect(workerError).toBeInstanceOf(XmlError);
    expect(() => parseFeed(feed.slice(0, feed.lastIndexOf('</entry>')))).toThrow((workerError as Error).message);
  });

  it('keeps an XmlError an XmlError across the boundary', () => {
    const back = fromWire(structuredClone(toWire(new XmlError('malformed XML: a bare `&` (line 3)'))));
    expect(back).toBeInstanceOf(XmlError);
    expect(back.name).toBe('XmlError');
    expect(back.message).toBe('malformed XML: a bare `&` (line 3)');
  });
});
