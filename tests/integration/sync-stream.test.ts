/**
 * A first sync into an empty book applies the listing's cards as the answer is read, a part at a
 * time (`streamBatch`), instead of holding them all until the end. Against real Radicale (whose
 * sync-collection sends the cards with the listing) and the renderer's real Dexie store, the
 * answer rewritten on its way where a scenario needs what Radicale never sends (a 507, the same
 * card twice, an href elsewhere, a card that cannot be read, an answer cut short). What must hold:
 * a write the user makes meanwhile is kept, removals only after the whole listing (and with the
 * cards already applied counted as here), the token only with the run's last batch.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { syncAddressBook } from '../../electron/sync/engine';
import type { RemoteBatch } from '../../shared/sync/types';
import { startRadicale, type TestServer } from '../servers/servers';
import { hookedFetch, type Sent } from './hooked-fetch';
import { dexieBook, type DexieBook } from './local-books';

const card = (uid: string, fn: string, extra = '') => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\n${extra}END:VCARD\r\n`;
const fnOf = (vcard: string | undefined) => /^FN:(.*?)\r?$/m.exec(vcard ?? '')?.[1];

const RESPONSE = /<response>[\s\S]*?<\/response>/g;
/** A sync-collection answer's parts: before the first response, the responses, after the last. */
function split(text: string): { head: string; responses: string[]; tail: string } {
  const responses = text.match(RESPONSE) ?? [];
  const first = text.indexOf('<response>');
  const last = text.lastIndexOf('</response>') + '</response>'.length;
  return { head: text.slice(0, first), responses, tail: text.slice(last) };
}
const answer = (text: string, res: Response) => new Response(text, { status: res.status, headers: { 'content-type': 'application/xml; charset=utf-8' } });

describe('a first sync applied as the listing is read (Radicale)', () => {
  let server: TestServer;
  let book: string;
  let bookPath: string;
  let auth: ConstructorParameters<typeof DavHttp>[0]['auth'];
  let other: CardDavClient;
  let local: DexieBook;
  let before: (r: Sent) => Promise<Response | void>;
  let after: (r: Sent, res: Response) => Promise<Response | void>;
  let sent: Sent[];
  /** Listing requests the engine made (answered by the server or by a hook). */
  let listings: number;
  let client: CardDavClient;
  /** Every batch the engine handed the store, in order, and what the store had then. */
  let batches: { upserts: number; deletes: number; state: boolean; listingsSoFar: number }[];
  /** Runs after each batch the store applied. */
  let afterBatch: (b: RemoteBatch, n: number) => Promise<void>;

  beforeAll(async () => {
    server = await startRadicale();
    auth = server.password === '' ? { kind: 'none' } : { kind: 'basic', user: server.user, password: server.password };
    other = new CardDavClient(new DavHttp({ auth }));
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    book = await server.newBook();
    bookPath = new URL(book).pathname;
    local = await dexieBook();
    before = async () => {};
    after = async () => {};
    afterBatch = async () => {};
    sent = [];
    listings = 0;
    batches = [];
    const hooked = hookedFetch({
      before: (r) => {
        if (isListing(r)) listings++;
        return before(r);
      },
      after: (r, res) => after(r, res),
      seen: (r) => sent.push(r),
    });
    client = new CardDavClient(new DavHttp({ auth, fetch: hooked }));
    const collection = local.collection;
    const apply = collection.applyRemote.bind(collection);
    collection.applyRemote = async (b) => {
      batches.push({ upserts: b.upserts.length, deletes: b.deletes.length, state: b.state !== undefined, listingsSoFar: listings });
      const out = await apply(b);
      await afterBatch(b, batches.length);
      return out;
    };
  });
  afterEach(() => local.close());

  const url = (file: string) => new URL(file, book).href;
  const sync = (opts: Parameters<typeof syncAddressBook>[3] = {}) => syncAddressBook(client, book, local.collection, { streamBatch: 2, ...opts });
  const isListing = (r: Sent) => r.method === 'REPORT' && r.body.includes('sync-collection');
  const names = async () => (await local.rows()).filter((r) => r.visible).map((r) => fnOf(r.vcard)).sort();
  const token = async () => (await local.collection.state()).syncToken;
  /** Some cards were applied before the run's last batch (the listing was read in parts). */
  const expectStreamed = () => expect(batches.filter((b) => !b.state && b.upserts > 0).length).toBeGreaterThan(0);
  const seed = async (n: number) => {
    for (let i = 1; i <= n; i++) await other.put(url(`c${i}.vcf`), card(`c${i}`, `Card ${i}`), { ifNoneMatch: '*' });
  };

  it('applies the cards a part at a time as the answer is read, the token with the last batch only', async () => {
    await seed(7);
    const tokens: (string | null)[] = [];
    afterBatch = async () => {
      tokens.push(await token());
    };
    const report = await sync();
    expect(report.downloaded).toBe(7);
    expect(await names()).toEqual(['Card 1', 'Card 2', 'Card 3', 'Card 4', 'Card 5', 'Card 6', 'Card 7']);
    // Four parts of two cards (the token is a child of the root too), then the state alone.
    expect(batches.filter((b) => b.upserts > 0 && !b.state).length).toBeGreaterThanOrEqual(3);
    expect(batches.at(-1)).toMatchObject({ state: true });
    expect(tokens.slice(0, -1).every((t) => t === null)).toBe(true);
    expect(tokens.at(-1)).not.toBeNull();
    expect(await sync()).toMatchObject({ downloaded: 0, removedLocally: 0 });
  });

  it('a contact edited here while the rest of the first sync comes keeps the edit, also when the server lists its card again', async () => {
    await seed(5);
    let edited: string | null = null;
    afterBatch = async (b, n) => {
      if (n !== 1) return;
      // The user edits the first contact that landed, while the listing's other parts are still being read.
      const row = (await local.rows()).find((r) => r.href === b.upserts[0]!.href)!;
      edited = row.href;
      await local.edit(row.id, card(/([^/]*)\.vcf$/.exec(row.href)![1]!, `${fnOf(row.vcard)} (edited)`, 'NOTE:mine\r\n'));
    };
    after = async (r, res) => {
      if (!isListing(r)) return;
      // Its card listed once more at the end of the answer (another part).
      const { head, responses, tail } = split(await res.text());
      return answer(head + responses.join('') + responses[0]! + tail, res);
    };
    await sync();
    const rows = await local.rows();
    expect(rows).toHaveLength(5);
    const mine = rows.find((r) => r.href === edited)!;
    expect(mine).toMatchObject({ pending: 'updated' });
    expect(mine.vcard).toContain('NOTE:mine');
    expect(await token()).not.toBeNull();
    after = async () => {};
    const next = await sync();
    expect(next).toMatchObject({ uploaded: 1, conflicts: 0 });
    const onServer = (await other.multiget(book, [edited!])).cards[0]!;
    expect(onServer.vcard).toContain('NOTE:mine');
  });

  it('a card an earlier part brought that a later page reports removed goes, with the last batch after the whole listing', async () => {
    await seed(4);
    let pages = 0;
    before = async (r) => {
      if (!isListing(r) || ++pages !== 2) return;
      // The 507's continuation: card 2 was deleted since the first page.
      await other.delete(url('c2.vcf'), null);
      const t = /<d:sync-token>([^<]*)</.exec(r.body)![1];
      return new Response(`<?xml version="1.0" encoding="utf-8"?><multistatus xmlns="DAV:"><sync-token>${t}x</sync-token><response><href>${bookPath}c2.vcf</href><status>HTTP/1.1 404 Not Found</status></response></multistatus>`, { status: 207, headers: { 'content-type': 'application/xml' } });
    };
    after = async (r, res) => {
      if (!isListing(r) || pages !== 1) return;
      const { head, responses, tail } = split(await res.text());
      return answer(head + responses.join('') + `<response><href>${bookPath}</href><status>HTTP/1.1 507 Insufficient Storage</status></response>` + tail, res);
    };
    const report = await sync();
    expect(pages).toBe(2);
    expectStreamed();
    expect(await names()).toEqual(['Card 1', 'Card 3', 'Card 4']);
    expect(report.removedLocally).toBe(1);
    // The removal went with the state, in the one batch after both pages.
    const withDeletes = batches.filter((b) => b.deletes > 0);
    expect(withDeletes).toEqual([{ upserts: 0, deletes: 1, state: true, listingsSoFar: 2 }]);
  });

  it('a full listing cut by a 507 takes its later pages as part of it: the cards there are not taken for removed', async () => {
    await seed(6);
    await sync();
    expect(await names()).toHaveLength(6);
    let pages = 0;
    let second = '';
    before = async (r) => {
      if (!isListing(r)) return;
      pages++;
      // The token is refused: a full listing from the start, cut by a 507 after half the cards.
      if (pages === 1) return new Response(`<?xml version="1.0" encoding="utf-8"?><error xmlns="DAV:"><valid-sync-token/></error>`, { status: 403, headers: { 'content-type': 'application/xml' } });
      if (pages === 3) return answer(second, new Response(null, { status: 207 }));
    };
    after = async (r, res) => {
      if (!isListing(r) || pages !== 2) return;
      const { head, responses, tail } = split(await res.text());
      second = head + responses.slice(3).join('') + tail;
      return answer(head + responses.slice(0, 3).join('') + `<response><href>${bookPath}</href><status>HTTP/1.1 507 Insufficient Storage</status></response>` + tail, res);
    };
    const report = await sync();
    expect(pages).toBe(3);
    expect(report).toMatchObject({ fullResync: true, removedLocally: 0 });
    expect(await names()).toHaveLength(6);
  });

  it('a restart of the listing (the token refused) removes what the first pass brought that the server no longer has', async () => {
    await seed(5);
    let pages = 0;
    before = async (r) => {
      if (!isListing(r)) return;
      pages++;
      if (pages === 2) {
        // Meanwhile another client deletes card 3; the continuation's token is refused.
        await other.delete(url('c3.vcf'), null);
        return new Response(`<?xml version="1.0" encoding="utf-8"?><error xmlns="DAV:"><valid-sync-token/></error>`, { status: 403, headers: { 'content-type': 'application/xml' } });
      }
    };
    after = async (r, res) => {
      if (!isListing(r) || pages !== 1) return;
      const { head, responses, tail } = split(await res.text());
      return answer(head + responses.join('') + `<response><href>${bookPath}</href><status>HTTP/1.1 507 Insufficient Storage</status></response>` + tail, res);
    };
    const report = await sync();
    expect(pages).toBe(3);
    expect(report.fullResync).toBe(true);
    expectStreamed();
    expect(await names()).toEqual(['Card 1', 'Card 2', 'Card 4', 'Card 5']);
    expect(batches.filter((b) => b.deletes > 0).every((b) => b.state && b.listingsSoFar === 3)).toBe(true);
  });

  it('a book still empty, synced from its token: a 500 on the listing tried again brings every card (the second answer, read whole, is applied)', async () => {
    // The first sync of an empty book saved a token; the book is still empty here, so the next
    // listing is read in parts. Its first answer is a 500 (the model tester's seed 40000942).
    await sync();
    expect(await token()).not.toBeNull();
    await seed(5);
    let listed = 0;
    after = async (r) => {
      if (isListing(r) && ++listed === 1) return new Response('injected', { status: 500 });
    };
    await sync();
    expect(listed).toBeGreaterThanOrEqual(2);
    expect(await names()).toEqual(['Card 1', 'Card 2', 'Card 3', 'Card 4', 'Card 5']);
    after = async () => {};
    expect(await sync()).toMatchObject({ downloaded: 0, removedLocally: 0 });
    expect(await names()).toEqual(['Card 1', 'Card 2', 'Card 3', 'Card 4', 'Card 5']);
  });

  it('an answer cut short applies what was read, never saves the token, and the next sync brings the rest once', async () => {
    await seed(6);
    after = async (r, res) => {
      if (!isListing(r)) return;
      const text = await res.text();
      return answer(text.slice(0, Math.floor(text.length * 0.7)), res);
    };
    await expect(sync()).rejects.toThrow();
    expect(await token()).toBeNull();
    expect(batches.every((b) => !b.state && b.deletes === 0)).toBe(true);
    expect((await names()).length).toBeLessThan(6);
    expectStreamed();
    after = async () => {};
    await sync();
    expect(await names()).toEqual(['Card 1', 'Card 2', 'Card 3', 'Card 4', 'Card 5', 'Card 6']);
    expect(await token()).not.toBeNull();
  });

  it('an answer over the size cap applies nothing and saves no token', async () => {
    await seed(4);
    const capped = new CardDavClient(new DavHttp({ auth, maxResponseBytes: 600 }));
    await expect(syncAddressBook(capped, book, local.collection, { streamBatch: 2 })).rejects.toThrow(/larger than/);
    expect(await local.rows()).toHaveLength(0);
    expect(await token()).toBeNull();
  });

  it('a batch the store fails stops the run: no token, no removal, and the next sync lands every card once', async () => {
    await seed(6);
    const collection = local.collection;
    const apply = collection.applyRemote;
    let n = 0;
    collection.applyRemote = async (b) => {
      if (++n === 2) throw new Error('the store failed');
      return apply(b);
    };
    await expect(sync()).rejects.toThrow('the store failed');
    expect(await token()).toBeNull();
    collection.applyRemote = apply;
    // One of the cards the first batch brought is deleted there before the next sync.
    const landed = await local.rows();
    expect(landed.length).toBeGreaterThan(0);
    await other.delete(url(landed[0]!.href.split('/').at(-1)!), null);
    const report = await sync();
    expect(await names()).toEqual(['Card 1', 'Card 2', 'Card 3', 'Card 4', 'Card 5', 'Card 6'].filter((n) => n !== fnOf(landed[0]!.vcard)));
    expect(report.removedLocally).toBe(1);
    expect(await token()).not.toBeNull();
  });

  it('the same card twice in one listing, in one part and in two, is one contact', async () => {
    await seed(3);
    after = async (r, res) => {
      if (!isListing(r)) return;
      const { head, responses, tail } = split(await res.text());
      // Twice in a row (one part), and once more at the end (another part).
      return answer(head + responses[0]! + responses[0]! + responses.slice(1).join('') + responses[0]! + tail, res);
    };
    await sync({ streamBatch: 3 });
    expectStreamed();
    expect(await names()).toEqual(['Card 1', 'Card 2', 'Card 3']);
    expect(await local.rows()).toHaveLength(3);
  });

  it('cards listed outside the book are refused and counted, the others land', async () => {
    await seed(3);
    after = async (r, res) => {
      if (!isListing(r)) return;
      const { head, responses, tail } = split(await res.text());
      const elsewhere = [`http://elsewhere.example${bookPath}x.vcf`, '/someone-else/book/y.vcf'].map(
        (href) => responses[0]!.replace(/<href>[^<]*<\/href>/, `<href>${href}</href>`).replace(/FN:[^\n]*/, 'FN:Intruder'),
      );
      return answer(head + responses[0]! + elsewhere.join('') + responses.slice(1).join('') + tail, res);
    };
    const report = await sync();
    expect(report.outside).toBe(2);
    expectStreamed();
    expect(await names()).toEqual(['Card 1', 'Card 2', 'Card 3']);
  });

  it('a card that cannot be read is reported and left out, the others land', async () => {
    await seed(5);
    after = async (r, res) => {
      if (!isListing(r)) return;
      const text = await res.text();
      return answer(text.replace(/BEGIN:VCARD\r?\nVERSION:3.0\r?\nUID:c3[\s\S]*?END:VCARD/, 'this is not a vCard'), res);
    };
    const report = await sync();
    expect(report).toMatchObject({ unreadable: 1, downloaded: 4 });
    expectStreamed();
    expect(await names()).toEqual(['Card 1', 'Card 2', 'Card 4', 'Card 5']);
  });
});
