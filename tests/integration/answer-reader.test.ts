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
import { closeReader, INLINE_BELOW, readerStatus, readInline, readInWorker } from '../../electron/dav/reader-pool';
import { XmlError } from '../../electron/dav/xml-reader';
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

  it('keeps an XmlError an XmlError across the boundary', () => {
    const back = fromWire(structuredClone(toWire(new XmlError('malformed XML: a bare `&` (line 3)'))));
    expect(back).toBeInstanceOf(XmlError);
    expect(back.name).toBe('XmlError');
    expect(back.message).toBe('malformed XML: a bare `&` (line 3)');
  });
});
