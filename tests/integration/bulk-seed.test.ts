/**
 * The servers' bulk seeding (`seed` of BULK_SEED cards or more: Xandikos's git store in one commit,
 * DAViCal's tables by its own PUT code in one transaction, SabreDAV's PDO backend, Radicale's
 * folder), which the benchmarks use where PUTs are slow, read back through the server itself: a
 * book seeded so is what a book of the same cards sent by PUT is (the same cards, the same kind of
 * ETags, every one of them its card's GET ETag too), its CTag or sync token moved, and a PUT after
 * it is seen by the next sync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { syncAddressBook } from '../../electron/sync/engine';
import { generateCard } from '../bench/corpus';
import { BULK_SEED } from '../servers/process';
import { SERVERS, type TestServer } from '../servers/servers';
import { MemoryCollection } from './memory-collection';

const N = BULK_SEED + 20;
const cards = Array.from({ length: N }, (_, i) => ({ file: `seed-${i}.vcf`, vcard: generateCard(i) }));
const file = (href: string) => href.split('/').pop()!;
/** DAViCal adds REV (the time of the write) to every card it stores, by PUT as by the seed. */
const withoutRev = (vcard: string) => vcard.replace(/^REV:.*\r?\n/m, '');

for (const [name, start] of SERVERS) {
  describe(`bulk seed on ${name}`, () => {
    let server: TestServer;
    let client: CardDavClient;

    beforeAll(async () => {
      server = await start();
      client = new CardDavClient(new DavHttp({ auth: server.password === '' ? { kind: 'none' } : { kind: 'basic', user: server.user, password: server.password } }));
    });
    afterAll(() => server.stop());

    it('a bulk-seeded book serves the cards a book filled by PUTs serves, each listed with the ETag its GET gives, and moves the CTag', async () => {
      const bulk = await server.newBook();
      const ctagBefore = await client.ctag(bulk);
      await server.seed(cards, bulk);
      const byPut = await server.newBook();
      for (const c of cards) await client.put(new URL(c.file, byPut).href, c.vcard, { ifNoneMatch: '*' });

      expect(await client.ctag(bulk)).not.toBe(ctagBefore);
      const seeded = new MemoryCollection();
      const put = new MemoryCollection();
      await syncAddressBook(client, bulk, seeded);
      await syncAddressBook(client, byPut, put);
      const rows = (m: MemoryCollection) => new Map([...m.cards.values()].map((r) => [file(r.href), r]));
      const a = rows(seeded);
      const b = rows(put);
      expect([...a.keys()].sort()).toEqual(cards.map((c) => c.file).sort());
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [f, row] of a) {
        expect(row.etag, f).toMatch(/^(W\/)?"[^"]+"$/);
        expect(withoutRev(row.vcard), f).toBe(withoutRev(b.get(f)!.vcard));
        // Radicale's ETag is the hash of what it serves, SabreDAV's and DAViCal's the md5 of
        // what they store, Xandikos's the blob's id: the same card, the same ETag (DAViCal's
        // REV, the time of the write, differs between the two books).
        if (name !== 'davical') expect(row.etag, f).toBe(b.get(f)!.etag);
      }
      // Each ETag is the card's own, as a GET of it answers.
      for (const f of ['seed-0.vcf', `seed-${N - 1}.vcf`]) {
        const got = await client.get(new URL(f, bulk).href);
        expect(got.etag, f).toBe(a.get(f)!.etag);
        expect(got.vcard.replace(/\r\n/g, "\n"), f).toBe(a.get(f)!.vcard.replace(/\r\n/g, "\n")); // XML reads CRLF as LF
      }
    });

    it('a card changed and one added by PUT after a bulk seed come with the next sync', async () => {
      const bulk = await server.newBook();
      await server.seed(cards, bulk);
      const local = new MemoryCollection();
      await syncAddressBook(client, bulk, local);
      expect(local.cards.size).toBe(N);
      const url = new URL('seed-7.vcf', bulk).href;
      const cur = await client.get(url);
      await client.put(url, cur.vcard.replace(/^NOTE:.*$/m, 'NOTE:changed after the seed'), { ifMatch: cur.etag });
      await client.put(new URL('late.vcf', bulk).href, generateCard(N + 1), { ifNoneMatch: '*' });
      await syncAddressBook(client, bulk, local);
      expect(local.cards.size).toBe(N + 1);
      const changed = [...local.cards.values()].find((r) => file(r.href) === 'seed-7.vcf')!;
      expect(changed.vcard).toContain('NOTE:changed after the seed');
      expect(changed.etag).toBe((await client.get(url)).etag);
      expect([...local.cards.values()].some((r) => file(r.href) === 'late.vcf')).toBe(true);
    });
  });
}
