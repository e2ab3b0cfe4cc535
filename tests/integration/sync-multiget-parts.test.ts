/**
 * A first sync whose cards come by multigets after an ETag listing (Google; Xandikos where its
 * cards are asked by multiget) applies each multiget's cards as its answer is read, a part at a
 * time (`streamBatch`), while the later multigets are still out, instead of after the last of them.
 * Against the fake Google and real Xandikos, with the renderer's real Dexie store. What must hold
 * as for a first sync's listing read in parts: the token only with the run's last batch; a failure
 * midway leaves the parts applied, saves no token and removes nothing, and the next sync brings the
 * rest once; a card in two multigets is one contact; a card gone by its multiget (404) is not
 * applied; a contact edited here meanwhile keeps the edit.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { syncAddressBook, type SyncOptions } from '../../electron/sync/engine';
import { GOOGLE } from '../../electron/sync/profiles';
import type { RemoteBatch } from '../../shared/sync/types';
import { startFakeGoogle, type FakeGoogle } from '../servers/fake-google';
import { startXandikos, type TestServer } from '../servers/servers';
import { hookedFetch, type Sent } from './hooked-fetch';
import { dexieBook, type DexieBook } from './local-books';

const card = (uid: string, fn: string, extra = '') => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\n${extra}END:VCARD\r\n`;
const fnOf = (vcard: string | undefined) => /^FN:(.*?)\r?$/m.exec(vcard ?? '')?.[1];
const isMultiget = (r: Sent) => r.method === 'REPORT' && r.body.includes('addressbook-multiget');
const isListing = (r: Sent) => r.method === 'PROPFIND' && r.body.includes('getetag');

const until = async (done: () => boolean, ms = 1_500) => {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return done();
};

/** What every scenario shares: the Dexie book, the hooks on the engine's requests, the batches the store was handed. */
function harness() {
  const h = {
    local: null as unknown as DexieBook,
    before: (async () => {}) as (r: Sent) => Promise<Response | void>,
    after: (async () => {}) as (r: Sent, res: Response) => Promise<Response | void>,
    /** Every batch the engine handed the store, in order, and how many multigets had been answered then. */
    batches: [] as { upserts: number; deletes: number; state: boolean; multigetsAnswered: number }[],
    multigetsAnswered: 0,
    afterBatch: (async () => {}) as (b: RemoteBatch, n: number) => Promise<void>,
    fetch: null as unknown as typeof fetch,
  };
  h.fetch = hookedFetch({
    before: (r) => h.before(r),
    after: async (r, res) => {
      const out = await h.after(r, res);
      if (isMultiget(r)) h.multigetsAnswered++;
      return out;
    },
    seen: () => {},
  });
  const open = async () => {
    h.local = await dexieBook();
    h.before = async () => {};
    h.after = async () => {};
    h.afterBatch = async () => {};
    h.batches = [];
    h.multigetsAnswered = 0;
    const collection = h.local.collection;
    const apply = collection.applyRemote.bind(collection);
    collection.applyRemote = async (b) => {
      h.batches.push({ upserts: b.upserts.length, deletes: b.deletes.length, state: b.state !== undefined, multigetsAnswered: h.multigetsAnswered });
      const out = await apply(b);
      await h.afterBatch(b, h.batches.length);
      return out;
    };
  };
  const names = async () => (await h.local.rows()).filter((r) => r.visible).map((r) => fnOf(r.vcard)).sort();
  const token = async () => (await h.local.collection.state()).syncToken;
  return { h, open, names, token };
}

describe('a first sync by multigets, each applied as it is read (fake Google)', () => {
  let google: FakeGoogle;
  let book: string;
  let client: CardDavClient;
  const { h, open, names, token } = harness();

  beforeEach(async () => {
    google = await startFakeGoogle();
    book = `${google.url}${google.bookPath()}`;
    const access = google.mintAccessToken();
    client = new CardDavClient(new DavHttp({ auth: { kind: 'bearer', token: async () => access }, fetch: h.fetch }));
    await open();
  });
  afterEach(async () => {
    await h.local.close();
    await google.close();
  });

  // Multigets of two cards, one at a time (so their order is known), parts of two.
  const sync = (opts: SyncOptions = {}) => syncAddressBook(client, book, h.local.collection, { profile: GOOGLE, multigetBatch: 2, parallel: 1, streamBatch: 2, ...opts });
  const seed = (n: number) => {
    for (let i = 1; i <= n; i++) google.put(`c${i}`, card(`c${i}`, `Card ${i}`));
  };
  const all = (n: number) => Array.from({ length: n }, (_, i) => `Card ${i + 1}`).sort();
  /** Card 1 once more at the end of the book's listing: in the first multiget and in the last. */
  const listCard1Twice = async (r: Sent, res: Response): Promise<Response | void> => {
    if (!isListing(r) || !r.url.startsWith(book)) return;
    const text = await res.text();
    const responses = text.match(/<d:response>[\s\S]*?<\/d:response>/g) ?? [];
    const c1 = responses.find((x) => x.includes(`${google.bookPath()}c1<`))!;
    return new Response(text.replace('</d:multistatus>', `${c1}</d:multistatus>`), { status: res.status, headers: { 'content-type': 'application/xml; charset=utf-8' } });
  };

  it('hands the first multiget\'s cards to the store before the last multiget is answered; the token only with the last batch', async () => {
    seed(6);
    let multigets = 0;
    let appliedBeforeLast: boolean | null = null;
    h.before = async (r) => {
      // The last multiget waits (up to 1.5 s) for a part of an earlier one to reach the store.
      if (isMultiget(r) && ++multigets === 3) appliedBeforeLast = await until(() => h.batches.some((b) => b.upserts > 0));
    };
    const tokens: (string | null)[] = [];
    h.afterBatch = async () => void tokens.push(await token());
    const report = await sync();
    expect(multigets).toBe(3);
    expect(appliedBeforeLast).toBe(true);
    expect(report.downloaded).toBe(6);
    expect(await names()).toEqual(all(6));
    // A part per multiget, the first before the last multiget was answered, then the state alone.
    expect(h.batches.filter((b) => b.upserts > 0)).toHaveLength(3);
    expect(h.batches[0]!.multigetsAnswered).toBeLessThan(3);
    expect(h.batches.at(-1)).toMatchObject({ upserts: 0, state: true });
    expect(tokens.slice(0, -1).every((t) => t === null)).toBe(true);
    expect(tokens.at(-1)).not.toBeNull();
    expect(await sync()).toMatchObject({ downloaded: 0, removedLocally: 0 });
    expect(await names()).toEqual(all(6));
  });

  it('a multiget that fails midway leaves the parts applied, saves no token, removes nothing; the next sync brings the rest once', async () => {
    seed(6);
    let multigets = 0;
    h.before = async (r) => {
      if (isMultiget(r) && ++multigets === 3) return new Response('busy', { status: 500 });
    };
    await expect(sync()).rejects.toThrow();
    expect(await token()).toBeNull();
    expect(h.batches.every((b) => !b.state && b.deletes === 0)).toBe(true);
    const landed = await names();
    expect(landed.length).toBeGreaterThan(0);
    expect(landed.length).toBeLessThan(6);
    h.before = async () => {};
    const report = await sync();
    expect(report).toMatchObject({ removedLocally: 0 });
    expect(await names()).toEqual(all(6));
    expect(await h.local.rows()).toHaveLength(6);
    expect(await token()).not.toBeNull();
  });

  it('a part the store fails stops the run: no later part, no token; the next sync lands every card once', async () => {
    seed(6);
    const collection = h.local.collection;
    const apply = collection.applyRemote;
    let n = 0;
    collection.applyRemote = async (b) => {
      if (++n === 2) throw new Error('the store failed');
      return apply(b);
    };
    await expect(sync()).rejects.toThrow('the store failed');
    expect(await token()).toBeNull();
    expect(n).toBe(2);
    collection.applyRemote = apply;
    await sync();
    expect(await names()).toEqual(all(6));
    expect(await h.local.rows()).toHaveLength(6);
    expect(await token()).not.toBeNull();
  });

  it('a card listed twice (in two multigets) is one contact; one gone by its multiget (404) is not applied, and nothing is left over', async () => {
    seed(5);
    h.after = listCard1Twice;
    let multigets = 0;
    h.before = async (r) => {
      // Card 4 deleted by another client after the listing, before its multiget.
      if (isMultiget(r) && ++multigets === 2) google.remove('c4');
    };
    const report = await sync();
    expect(multigets).toBe(3);
    expect(await names()).toEqual(['Card 1', 'Card 2', 'Card 3', 'Card 5']);
    expect(await h.local.rows()).toHaveLength(4);
    expect(report.removedLocally).toBe(0);
    h.after = async () => {};
    h.before = async () => {};
    expect(await sync()).toMatchObject({ downloaded: 0, removedLocally: 0 });
    expect(await names()).toEqual(['Card 1', 'Card 2', 'Card 3', 'Card 5']);
  });

  it('a contact edited here while the later multigets come keeps the edit, also when a later multiget brings its card again', async () => {
    seed(4);
    h.after = listCard1Twice;
    let edited: string | null = null;
    h.afterBatch = async (b, n) => {
      if (n !== 1) return;
      const row = (await h.local.rows()).find((x) => fnOf(x.vcard) === 'Card 1')!;
      edited = row.id;
      await h.local.edit(row.id, card('c1', 'Card 1 (edited)', 'NOTE:mine\r\n'));
    };
    await sync();
    const mine = (await h.local.row(edited!))!;
    expect(mine).toMatchObject({ pending: 'updated' });
    expect(mine.vcard).toContain('NOTE:mine');
    expect(await h.local.rows()).toHaveLength(4);
    h.after = async () => {};
    h.afterBatch = async () => {};
    expect(await sync()).toMatchObject({ uploaded: 1, conflicts: 0 });
    expect(google.card('c1')!.vcard).toContain('NOTE:mine');
  });
});

describe('a first sync by multigets, each applied as it is read (Xandikos)', () => {
  let server: TestServer;
  let other: CardDavClient;
  let auth: ConstructorParameters<typeof DavHttp>[0]['auth'];
  const { h, open, names, token } = harness();

  beforeAll(async () => {
    server = await startXandikos();
    auth = server.password === '' ? { kind: 'none' } : { kind: 'basic', user: server.user, password: server.password };
    other = new CardDavClient(new DavHttp({ auth }));
  });
  afterAll(() => server.stop());
  beforeEach(open);
  afterEach(() => h.local.close());

  it('Xandikos lists no cards: asked by multigets, the first one\'s are in the store before the last is answered', async () => {
    const book = await server.newBook();
    for (let i = 1; i <= 6; i++) await other.put(new URL(`c${i}.vcf`, book).href, card(`c${i}`, `Card ${i}`), { ifNoneMatch: '*' });
    const client = new CardDavClient(new DavHttp({ auth, fetch: h.fetch }));
    let multigets = 0;
    let appliedBeforeLast: boolean | null = null;
    h.before = async (r) => {
      if (isMultiget(r) && ++multigets === 3) appliedBeforeLast = await until(() => h.batches.some((b) => b.upserts > 0));
    };
    const report = await syncAddressBook(client, book, h.local.collection, { multigetBatch: 2, parallel: 1, streamBatch: 2 });
    expect(multigets).toBe(3);
    expect(appliedBeforeLast).toBe(true);
    expect(report.downloaded).toBe(6);
    expect(await names()).toEqual(Array.from({ length: 6 }, (_, i) => `Card ${i + 1}`));
    expect(h.batches.filter((b) => b.state)).toHaveLength(1);
    expect(h.batches.at(-1)).toMatchObject({ state: true });
    expect(await token()).not.toBeNull();
    expect(await syncAddressBook(client, book, h.local.collection, { multigetBatch: 2 })).toMatchObject({ downloaded: 0, removedLocally: 0 });
  });
});
