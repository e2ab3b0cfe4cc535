/** Digest authentication end to end: Xandikos behind a Digest-only front, synced by the engine. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CardDavClient } from '../../electron/dav/client';
import { Unauthorized } from '../../electron/dav/errors';
import { DavHttp } from '../../electron/dav/http';
import { syncAddressBook } from '../../electron/sync/engine';
import { startDigestProxy, type DigestProxy } from '../servers/digest-proxy';
import { startXandikos, type TestServer } from '../servers/servers';
import { MemoryCollection } from './memory-collection';

const card = (uid: string, fn: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\nEND:VCARD\r\n`;

describe('a server that takes only Digest', () => {
  let server: TestServer;
  let proxy: DigestProxy;
  beforeEach(async () => {
    server = await startXandikos();
    await server.seed(Array.from({ length: 5 }, (_, i) => ({ file: `d${i}.vcf`, vcard: card(`d${i}`, `Digest ${i}`) })));
    proxy = await startDigestProxy(server.baseUrl, 'alice', 'pa55 wörd');
  });
  afterEach(async () => {
    await proxy.close();
    await server.stop();
  });

  it('discovery, a full sync and an upload go through, surviving stale nonces; once asked for Digest, no Basic is sent', async () => {
    const client = new CardDavClient(new DavHttp({ auth: { kind: 'basic', user: 'alice', password: 'pa55 wörd' } }));
    const [book] = await client.discover(proxy.url);
    expect(book).toBeDefined();
    const local = new MemoryCollection();
    await syncAddressBook(client, book!.url, local);
    expect(local.cards.size).toBe(5);
    local.create(card('new', 'Through Digest'));
    const r = await syncAddressBook(client, book!.url, local);
    expect(r.uploaded).toBe(1);
    expect(proxy.forwarded).toBeGreaterThan(7); // more than one nonce was used
    // Loopback gets Basic at first (as https would); after the challenge, only Digest answers.
    expect(proxy.authorizations.filter((a) => a.startsWith('Basic '))).toHaveLength(1);
    expect(proxy.authorizations.slice(1).every((a) => a.startsWith('Digest '))).toBe(true);
    expect(proxy.authorizations.join('\n')).not.toContain('pa55');
  });

  it('a wrong password is Unauthorized after one challenge, not a loop', async () => {
    const client = new CardDavClient(new DavHttp({ auth: { kind: 'basic', user: 'alice', password: 'wrong' } }));
    const before = proxy.authorizations.length;
    await expect(client.discover(proxy.url)).rejects.toBeInstanceOf(Unauthorized);
    expect(proxy.authorizations.length - before).toBeLessThanOrEqual(6);
  });
});
