/**
 * Google accounts end to end against the fake Google (`tests/servers/fake-google.ts`, written from
 * the guide and Google's CardDAV page): sign-in through the loopback redirect with PKCE and state,
 * then sync with Google's quirks, through the real SyncManager, engine and the renderer's Dexie
 * store. Every IPC payload and log line of these flows is scanned for tokens.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { googleClientFromEnv, googleEndpoints } from '../../electron/auth/google-config';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { NodePlatform } from '../../electron/platform/node-platform';
import { syncAddressBook } from '../../electron/sync/engine';
import { GOOGLE } from '../../electron/sync/profiles';
import { MemoryCollection } from './memory-collection';
import { SyncManager } from '../../electron/sync/manager';
import type { AccountInfo, SyncStatus } from '../../shared/sync/types';
import { parseVCard } from '../../shared/vcard';
import { startFakeGoogle, type FakeGoogle, type GoogleQuirks } from '../servers/fake-google';
import { translator } from '../../renderer/src/i18n';
import { statusInWords } from '../../renderer/src/features/accounts/error-words';
import { HandClock } from './hand-clock';
import { openStore } from './renderer-store';

const card = (uid: string, fn: string, extra = '') => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn.split(' ').reverse().join(';')};;;\r\n${extra}END:VCARD\r\n`;

let dbCount = 0;

describe('Google accounts (fake Google)', () => {
  let google: FakeGoogle;
  let dataDir: string;
  const managers: SyncManager[] = [];
  /** Everything that left the main process or was logged: scanned for tokens at the end. */
  let wire: string[];
  /** What the browser would do with the consent URL (the default: the user presses Allow). */
  let browser: (url: string) => Promise<void>;

  async function start(quirks: Partial<GoogleQuirks> = {}) {
    google = await startFakeGoogle({ quirks });
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cardinal-google-'));
    wire = [];
    browser = async (url) => {
      const back = await google.approve(url);
      await fetch(back); // the browser follows the redirect to the loopback listener
    };
  });
  afterEach(async () => {
    for (const m of managers.splice(0)) m.dispose();
    try {
      // No token in anything the window saw or any log line.
      const seen = wire.join('\n');
      for (const t of google.issued) expect(seen).not.toContain(t);
      // Nor in the account file, where they are sealed.
      const file = join(dataDir, 'accounts.json');
      const stored = (() => {
        try {
          return readFileSync(file, 'utf8');
        } catch {
          return '';
        }
      })();
      for (const t of google.issued) expect(stored).not.toContain(t);
    } finally {
      await google.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  async function setup(statuses: SyncStatus[] = [], fetchImpl?: typeof fetch, clock?: HandClock) {
    const store = await openStore(`google-${++dbCount}`, (name, args) => wire.push(`${name} ${JSON.stringify(args)}`));
    const platform = new NodePlatform({ dataDir, version: '0.0.0', onOpenExternal: (url) => void browser(url).catch((e: unknown) => wire.push(`browser: ${String(e)}`)) });
    const m = new SyncManager({
      platform,
      store: store.port,
      emit: (s) => {
        statuses.push(s);
        wire.push(JSON.stringify(s));
      },
      intervalMinutes: 0,
      debounceMs: 50,
      log: (l) => {
        wire.push(l);
        if (process.env.CARDINAL_DEBUG) console.log(l);
      },
      google: { endpoints: googleEndpoints(google.env), client: googleClientFromEnv(google.env), signInTimeoutMs: 10_000 },
      ...(fetchImpl !== undefined ? { fetch: fetchImpl } : {}),
      ...(clock !== undefined ? { clock } : {}),
    });
    managers.push(m);
    return { ...store, m, statuses };
  }

  async function signedIn(statuses: SyncStatus[] = [], fetchImpl?: typeof fetch, clock?: HandClock) {
    const s = await setup(statuses, fetchImpl, clock);
    const account = await s.m.signInGoogle(null);
    wire.push(JSON.stringify(account));
    const first = await s.m.sync(account.id);
    return { ...s, account, bookId: account.books[0]!.id, first };
  }

  const requests = (method: string) => google.log.filter((l) => l.method === method);

  it('signs in through the browser and the loopback redirect; the first sync lists by PROPFIND, then fetches by multiget', async () => {
    await start();
    google.put('c1', card('c1', 'Grace Hopper', 'TEL:+1 555 0100\r\n'));
    google.put('c2', card('c2', 'Alan Turing'));
    const { account, index, bookId, first } = await signedIn();
    expect(account).toMatchObject({ kind: 'google', user: google.email, books: [{ url: `${google.url}${google.bookPath()}`, name: google.email }] });
    expect(first).toMatchObject({ phase: 'idle' });
    expect(index.query('', bookId).map((r) => r.displayName)).toEqual(['Alan Turing', 'Grace Hopper']);
    // Never an empty sync token, never getctag; the listing is a Depth 1 PROPFIND.
    expect(google.log.filter((l) => l.method === 'REPORT' && l.status === 400)).toEqual([]);
    expect((google as unknown as { getctagAsked: () => number }).getctagAsked()).toBe(0);
    expect(requests('PROPFIND').some((l) => l.path === google.bookPath() && l.depth === '1')).toBe(true);
  });

  it('incremental sync: another client creates, edits and deletes; one sync-collection (Depth 1) and one multiget; unknown deletions ignored', async () => {
    await start();
    google.put('k1', card('k1', 'Katherine Johnson'));
    google.put('k2', card('k2', 'Dorothy Vaughan'));
    const { m, account, index, bookId } = await signedIn();
    google.put('k3', card('k3', 'Mary Jackson'));
    google.put('k1', card('k1', 'Katherine G. Johnson'));
    google.remove('k2');
    google.log.length = 0;
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(index.query('', bookId).map((r) => r.displayName)).toEqual(['Katherine G. Johnson', 'Mary Jackson']);
    const reports = requests('REPORT');
    expect(reports).toHaveLength(2);
    expect(reports.every((r) => r.depth === '1')).toBe(true);
  });

  it('a sync with nothing to do whose answer names the deletion of a card never here reads no ETags of the book; a deletion on Google after it still removes the contact, into the Trash', async () => {
    await start();
    google.put('n1', card('n1', 'Hedy Lamarr'));
    google.put('n2', card('n2', 'Joan Clarke'));
    const { m, account, index, repo, bookId } = await signedIn();
    const asked = (name: string) => wire.filter((w) => w.startsWith(`${name} `)).length;
    const reads = asked('knownEtags');
    google.log.length = 0;
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    // Google's answer from the token names a never-seen href removed: only that href is looked up.
    expect(requests('REPORT')).toHaveLength(1);
    expect(asked('knownEtags')).toBe(reads);
    expect(asked('etagsOf')).toBeGreaterThan(0);
    expect(index.query('', bookId).map((r) => r.displayName)).toEqual(['Hedy Lamarr', 'Joan Clarke']);
    expect(await repo.trash()).toEqual([]);

    google.remove('n1');
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(index.query('', bookId).map((r) => r.displayName)).toEqual(['Joan Clarke']);
    expect((await repo.trash()).map((t) => t.card.vcard.includes('FN:Hedy Lamarr'))).toEqual([true]);
    // One card here removed (and one never here): no mass deletion to weigh, so no whole read either.
    expect(asked('knownEtags')).toBe(reads);
  });

  it('a create is POSTed; the server relocates it and replaces its UID; both are adopted, labels stay here', async () => {
    await start();
    const { m, account, repo, index, bookId } = await signedIn();
    await repo.create(bookId, parseVCard(card('local-uid-1', 'Ada Lovelace', 'CATEGORIES:Friends,Math\r\n')));
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(requests('POST').filter((l) => l.path === google.bookPath())).toHaveLength(1);
    const stored = google.cards();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.vcard).not.toContain('local-uid-1');
    expect(stored[0]!.vcard).not.toContain('CATEGORIES');
    const row = index.query('Ada', bookId)[0]!;
    expect(row.pending).toBe('');
    const local = await repo.db.cards.get(row.id);
    expect(local?.href).toBe(`${google.bookPath()}${stored[0]!.id}`);
    expect(local?.vcard).toContain(`UID:g${stored[0]!.id}`);
    expect(local?.vcard).toContain('CATEGORIES:Friends,Math'); // kept on this computer
    // Nothing is sent again and nothing is duplicated.
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(google.cards()).toHaveLength(1);
    expect(index.query('', bookId)).toHaveLength(1);
    expect((await repo.db.cards.get(row.id))?.vcard).toContain('CATEGORIES:Friends,Math');
  });

  it('a create whose answer was lost is recognised by its content (Google replaced its UID), not sent twice', async () => {
    await start();
    let loseNextPost = false;
    const { m, account, repo, index, bookId } = await signedIn([], async (input, init) => {
      const res = await fetch(input, init);
      if (loseNextPost && init?.method === 'POST' && String(input).includes('/carddav/')) {
        loseNextPost = false;
        throw new TypeError('connection reset by peer'); // stored by Google; the answer never came
      }
      return res;
    });
    await repo.create(bookId, parseVCard(card('lost-g', 'Grace Murray', 'EMAIL:grace@example.com\r\n')));
    loseNextPost = true;
    expect(await m.sync(account.id)).toMatchObject({ phase: 'offline' });
    expect(google.cards()).toHaveLength(1);
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(google.cards()).toHaveLength(1);
    expect(index.query('', bookId)).toEqual([expect.objectContaining({ pending: '' })]);
  });

  it('a create whose answer was lost, then another client changes its e-mail before the next run: the one new card of its name is it; not sent twice, the other edit kept', async () => {
    await start();
    let loseNextPost = false;
    const { m, account, repo, index, bookId } = await signedIn([], async (input, init) => {
      const res = await fetch(input, init);
      if (loseNextPost && init?.method === 'POST' && String(input).includes('/carddav/')) {
        loseNextPost = false;
        throw new TypeError('connection reset by peer'); // stored by Google; the answer never came
      }
      return res;
    });
    await repo.create(bookId, parseVCard(card('lost-o', 'Olga Taussky', 'EMAIL:olga@old.example\r\nNOTE:matrices\r\n')));
    loseNextPost = true;
    expect(await m.sync(account.id)).toMatchObject({ phase: 'offline' });
    const [there] = google.cards();
    google.put(there!.id, there!.vcard.replace('olga@old.example', 'olga@new.example'));
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(google.cards()).toHaveLength(1);
    expect(google.cards()[0]!.vcard).toContain('olga@new.example');
    expect(index.query('', bookId)).toEqual([expect.objectContaining({ pending: '' })]);
  });

  it('a PUT create relocated by the server (Location) is adopted under the server href', async () => {
    // The guide's vdirsyncer#1223 case: the engine with the Google profile but creating by PUT.
    await start({ relocatePut: true });
    const token = google.mintAccessToken();
    const client = new CardDavClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token } }));
    const local = new MemoryCollection();
    const bookUrl = `${google.url}${google.bookPath()}`;
    await syncAddressBook(client, bookUrl, local, { profile: { ...GOOGLE, postToCollection: false } });
    const id = local.create(card('put-1', 'Edsger Dijkstra'));
    await syncAddressBook(client, bookUrl, local, { profile: { ...GOOGLE, postToCollection: false } });
    expect(requests('PUT').filter((l) => l.status === 201)).toHaveLength(1);
    const stored = google.cards();
    expect(stored).toHaveLength(1);
    expect(local.cards.get(id)).toMatchObject({ href: `${google.bookPath()}${stored[0]!.id}`, pending: '' });
    expect(local.cards.get(id)!.href).not.toContain(id);
    await syncAddressBook(client, bookUrl, local, { profile: GOOGLE });
    expect(local.cards.size).toBe(1);
  });

  it('an update while If-Match is ignored and the card changed on the server: merged first, nothing lost', async () => {
    await start({ ifMatchIgnored: true });
    google.put('u1', card('u1', 'Barbara Liskov', 'TEL:+1 555 0101\r\n'));
    const { m, account, repo, index, bookId } = await signedIn();
    const row = index.query('Liskov', bookId)[0]!;
    // The server's side changes the phone; ours adds a note.
    google.put('u1', card('u1', 'Barbara Liskov', 'TEL:+1 555 0199\r\n'));
    await repo.update(row.id, parseVCard(card('u1', 'Barbara Liskov', 'TEL:+1 555 0101\r\nNOTE:Turing Award 2008\r\n')));
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    const onServer = google.card('u1')!.vcard;
    expect(onServer).toContain('TEL:+1 555 0199');
    expect(onServer).toContain('NOTE:Turing Award 2008');
    expect((await repo.db.cards.get(row.id))?.vcard).toContain('NOTE:Turing Award 2008');
  });

  it('cards go up as vCard 3.0 with FN and N, whatever they were here', async () => {
    await start();
    const { m, account, repo, bookId } = await signedIn();
    await repo.create(bookId, parseVCard('BEGIN:VCARD\r\nVERSION:4.0\r\nUID:v4\r\nORG:Analytical Engines Ltd\r\nTEL;VALUE=uri;PREF=1:tel:+44-20-7946-0000\r\nEND:VCARD\r\n'));
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    const stored = google.cards()[0]!.vcard;
    expect(stored).toMatch(/^VERSION:3\.0\r?$/m);
    expect(stored).toMatch(/^FN:Analytical Engines Ltd\r?$/m);
    expect(stored).toMatch(/^N:/m);
    expect(stored).toContain('TEL;TYPE=pref:+44-20-7946-0000');
  });

  it('an expired access token is refreshed silently', async () => {
    await start();
    google.put('r1', card('r1', 'Radia Perlman'));
    const { m, account } = await signedIn();
    google.expireAccessTokens();
    google.put('r2', card('r2', 'Frances Allen'));
    const before = google.log.filter((l) => l.path === '/token').length;
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(google.log.filter((l) => l.path === '/token').length).toBe(before + 1);
    expect(google.log.some((l) => l.status === 401)).toBe(true); // the server said so; one refresh answered it
  });

  it('a revoked grant asks to sign in again; pending edits are kept and sent after signing in', async () => {
    await start();
    google.put('s1', card('s1', 'Margaret Hamilton'));
    const { m, account, repo, index, bookId } = await signedIn();
    const row = index.query('Hamilton', bookId)[0]!;
    google.revokeAll();
    google.expireAccessTokens();
    await repo.update(row.id, parseVCard(card('s1', 'Margaret Hamilton', 'NOTE:Apollo\r\n')));
    const stopped = await m.sync(account.id);
    expect(stopped).toMatchObject({ phase: 'error', code: 'unauthorized', action: 'sign-in' });
    expect((await repo.db.contacts.get(row.id))?.pending).toBe('updated');
    // Sign in again (the same account): the edit goes up.
    await m.signInGoogle(account.id);
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(google.card('s1')!.vcard).toContain('NOTE:Apollo');
    expect(index.query('', bookId)).toEqual([expect.objectContaining({ pending: '' })]);
  });

  it('a revoked grant found when the access token is refreshed before a request asks to sign in again, not "could not be reached"', async () => {
    await start();
    google.put('s2', card('s2', 'Mary Somerville'));
    const { m, account } = await signedIn();
    google.revokeAll();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 2 * 3600_000); // the access token has run out: refreshed before the request
      const stopped = await m.sync(account.id);
      expect(stopped).toMatchObject({ phase: 'error', code: 'unauthorized', action: 'sign-in' });
      expect(stopped.retryIn).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('signing in again as another Google account is refused; the account keeps its own', async () => {
    await start();
    const { m, account } = await signedIn();
    browser = async (url) => {
      await fetch(await google.approve(url, { email: 'someone.else@example.com' }));
    };
    await expect(m.signInGoogle(account.id)).rejects.toThrow(/someone\.else@example\.com/);
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
  });

  for (const status of [403, 409, 410, 412, 400] as const) {
    it(`a sync token expired after 29 days (answered ${status}): a full resync, no duplicates`, async () => {
      await start({ expiredTokenStatus: status });
      google.put('t1', card('t1', 'Annie Easley'));
      google.put('t2', card('t2', 'Evelyn Boyd Granville'));
      const { m, account, index, bookId } = await signedIn();
      google.advance(30 * 86_400_000);
      google.put('t3', card('t3', 'Christine Darden'));
      google.remove('t1');
      google.log.length = 0;
      // The refresh happens on the fake's clock too: its access token expired with the jump.
      expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
      expect(google.log.some((l) => l.method === 'REPORT' && l.status === status)).toBe(true);
      expect(index.query('', bookId).map((r) => r.displayName)).toEqual(['Christine Darden', 'Evelyn Boyd Granville']);
    });
  }

  it('deleted here while another client edited it, with If-Match ignored: the edit wins and the contact comes back', async () => {
    await start({ ifMatchIgnored: true });
    google.put('d1', card('d1', 'Delia Derbyshire'));
    const { m, account, repo, index, bookId } = await signedIn();
    const row = index.query('Derbyshire', bookId)[0]!;
    google.put('d1', card('d1', 'Delia Derbyshire', 'NOTE:edited on the phone\r\n')); // another client, after our last sync
    await repo.remove([row.id]);
    index.remove([row.id]);
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle', restored: 1 });
    expect(google.card('d1')?.vcard).toContain('NOTE:edited on the phone');
    expect(index.query('Derbyshire', bookId)).toEqual([expect.objectContaining({ pending: '' })]);
    expect((await repo.db.cards.get(row.id))?.vcard).toContain('NOTE:edited on the phone');
  });

  it('edited here, deleted there, on a server that stores a PUT create elsewhere: one copy on each side', async () => {
    await start({ relocatePut: true });
    google.put('e1', card('e1', 'Emil Post'));
    const { m, account, repo, index, bookId } = await signedIn();
    const row = index.query('Post', bookId)[0]!;
    await repo.update(row.id, parseVCard(card('e1', 'Emil Post', 'NOTE:Post correspondence problem\r\n')));
    google.remove('e1');
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(google.cards()).toHaveLength(1);
    expect(google.cards()[0]!.vcard).toContain('NOTE:Post correspondence problem');
    expect(index.query('', bookId)).toEqual([expect.objectContaining({ pending: '' })]);
  });

  it('edited here, deleted there, and the answer to the PUT that stored it elsewhere lost: still one copy on each side', async () => {
    await start({ relocatePut: true });
    google.put('e2', card('e2', 'Emmy Noether'));
    let lose = false;
    const { m, account, repo, index, bookId } = await signedIn([], async (input, init) => {
      const res = await fetch(input, init);
      if (lose && init?.method === 'PUT') {
        lose = false;
        throw new TypeError('connection reset by peer'); // stored; the answer lost
      }
      return res;
    });
    const row = index.query('Noether', bookId)[0]!;
    await repo.update(row.id, parseVCard(card('e2', 'Emmy Noether', 'NOTE:rings\r\n')));
    google.remove('e2');
    lose = true;
    expect(await m.sync(account.id)).toMatchObject({ phase: 'offline' });
    expect(google.cards()).toHaveLength(1);
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(google.cards()).toHaveLength(1);
    expect(google.cards()[0]!.vcard).toContain('NOTE:rings');
    expect(index.query('', bookId)).toEqual([expect.objectContaining({ pending: '' })]);
  });

  it('edited here, deleted there, the answer to the PUT that stored it elsewhere lost, then deleted here: gone on both sides, not back from where Google put it (seed 21002509)', async () => {
    await start({ relocatePut: true });
    google.put('e3', card('e3', 'Ada Byron'));
    let lose = false;
    const { m, account, repo, index, bookId } = await signedIn([], async (input, init) => {
      const res = await fetch(input, init);
      if (lose && init?.method === 'PUT') {
        lose = false;
        throw new TypeError('connection reset by peer'); // stored elsewhere; the answer lost
      }
      return res;
    });
    const row = index.query('Byron', bookId)[0]!;
    await repo.update(row.id, parseVCard(card('e3', 'Ada Byron', 'NOTE:engines\r\n')));
    google.remove('e3');
    lose = true;
    expect(await m.sync(account.id)).toMatchObject({ phase: 'offline' });
    expect(google.cards()).toHaveLength(1); // the edit, stored under Google's own name for it
    await repo.remove([row.id]);
    index.remove([row.id]);
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(google.cards()).toHaveLength(0);
    expect(index.query('', bookId)).toHaveLength(0);
  });

  it('vCard 4.0 properties Google cannot store (KIND, GENDER, LANG) stay on this computer, through a server edit too', async () => {
    await start();
    const { m, account, repo, index, bookId } = await signedIn();
    await repo.create(bookId, parseVCard('BEGIN:VCARD\r\nVERSION:4.0\r\nUID:v4-kept\r\nFN:Kim Lang\r\nN:Lang;Kim;;;\r\nKIND:individual\r\nGENDER:F\r\nLANG;PREF=1:fr\r\nEND:VCARD\r\n'));
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    const stored = google.cards()[0]!;
    expect(stored.vcard).not.toMatch(/^(KIND|GENDER|LANG)/m);
    const id = index.query('Kim', bookId)[0]!.id;
    for (const name of ['KIND:individual', 'GENDER:F', 'LANG;PREF=1:fr']) expect((await repo.db.cards.get(id))?.vcard).toContain(name);
    google.put(stored.id, stored.vcard.replace('END:VCARD', 'NOTE:from another client\r\nEND:VCARD'));
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    const after = (await repo.db.cards.get(id))!.vcard;
    expect(after).toContain('NOTE:from another client');
    for (const name of ['KIND:individual', 'GENDER:F', 'LANG;PREF=1:fr']) expect(after).toContain(name);
  });

  it('a create whose answer was lost, its e-mail edited before the next run: recognised by what was sent, not sent twice, the edit goes up', async () => {
    await start();
    let loseNextGet = false;
    const { m, account, repo, index, bookId } = await signedIn([], async (input, init) => {
      if (loseNextGet && (init?.method ?? 'GET') === 'GET' && String(input).includes('/lists/')) {
        loseNextGet = false;
        throw new TypeError('connection reset by peer'); // the read-back of the POST
      }
      return fetch(input, init);
    });
    const stored = await repo.create(bookId, parseVCard(card('lost-edit', 'Ida Edited', 'EMAIL:ida@old.example\r\n')));
    loseNextGet = true;
    expect(await m.sync(account.id)).toMatchObject({ phase: 'offline' });
    await repo.update(stored.row.id, parseVCard(card('lost-edit', 'Ida Edited', 'EMAIL:ida@new.example\r\n')));
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(google.cards()).toHaveLength(1);
    expect(google.cards()[0]!.vcard).toContain('ida@new.example');
    expect(index.query('', bookId)).toHaveLength(1);
  });

  it('a create whose answer was lost, then a month offline (the sync token expired): found, not refused, not sent twice', async () => {
    await start();
    let loseNextPost = false;
    const { m, account, repo, index, bookId } = await signedIn([], async (input, init) => {
      const res = await fetch(input, init);
      if (loseNextPost && init?.method === 'POST' && String(input).includes('/carddav/')) {
        loseNextPost = false;
        throw new TypeError('connection reset by peer');
      }
      return res;
    });
    await repo.create(bookId, parseVCard(card('lost-month', 'Grace Month', 'EMAIL:grace.month@example.com\r\n')));
    loseNextPost = true;
    expect(await m.sync(account.id)).toMatchObject({ phase: 'offline' });
    google.advance(30 * 86_400_000);
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(google.cards()).toHaveLength(1);
    const rows = index.query('', bookId);
    expect(rows).toEqual([expect.objectContaining({ pending: '' })]);
    expect(rows[0]!.flag ?? '').toBe(''); // not marked refused
  });

  it('a 500 from Google on sync-collection: backed off and tried again later, no full listing of the book', async () => {
    await start();
    google.put('f1', card('f1', 'Frances Spence'));
    const { m, account, index, bookId } = await signedIn();
    google.put('f2', card('f2', 'Ruth Teitelbaum'));
    google.failNext(1, 0, 500);
    google.log.length = 0;
    expect(await m.sync(account.id)).toMatchObject({ phase: 'error', action: 'retry', code: 'unavailable' });
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(google.log.filter((l) => l.method === 'PROPFIND' && l.depth === '1')).toEqual([]);
    expect(index.query('', bookId)).toHaveLength(2);
  });

  it('statuses are in the words of a Google account: a revoked grant asks to sign in (no password), a busy server says once that it will try again', async () => {
    await start();
    const { m, account } = await signedIn();
    const t = translator('en');
    google.revokeAll();
    google.expireAccessTokens();
    const revoked = await m.sync(account.id);
    expect(revoked).toMatchObject({ action: 'sign-in' });
    const text = t('sync.error', { message: statusInWords(account.kind, revoked, t, 'Google') });
    expect(text).not.toMatch(/password/i);
    expect(text).toMatch(/Sign in again/);
    await m.signInGoogle(account.id);
    google.failNext(1, 30);
    const busy = await m.sync(account.id);
    expect(busy).toMatchObject({ code: 'unavailable', retryIn: 30 });
    const busyText = `${t('sync.error', { message: statusInWords(account.kind, busy, t, 'Google') })} ${t('sync.retryIn', { seconds: busy.retryIn ?? 0 })}`;
    expect(busyText.match(/tr(y|ying) again/gi)).toHaveLength(1);
    expect(busyText).toMatch(/Google/);
    // A CardDAV server keeps its own words.
    expect(statusInWords('carddav', { code: 'unauthorized', message: '' }, t, 'dav.example.org')).toMatch(/user name and password/);
  });

  it('503 with Retry-After: nothing goes before the time asked (not a local edit, not Sync now), then the retry completes', async () => {
    await start();
    google.put('b1', card('b1', 'Jean Sammet'));
    const clock = new HandClock();
    const statuses: SyncStatus[] = [];
    const { m, account, repo, index, bookId } = await signedIn(statuses, undefined, clock);
    google.failNext(1, 120);
    google.put('b2', card('b2', 'Adele Goldberg'));
    expect(await m.sync(account.id)).toMatchObject({ phase: 'error', action: 'retry', retryIn: 120, code: 'unavailable' });
    const sent = google.log.length;
    // A local edit's debounced run and the user's Sync now both wait for the server's time.
    await repo.update(index.query('Sammet', bookId)[0]!.id, parseVCard(card('b1', 'Jean Sammet', 'NOTE:COBOL\r\n')));
    m.localChanged(bookId);
    clock.advance(60_000);
    expect(await m.syncNow(account.id)).toMatchObject({ phase: 'error', retryIn: 60 });
    expect(google.log.length).toBe(sent);
    clock.advance(60_000); // the retry is due
    await expect.poll(() => statuses.at(-1)?.phase, { timeout: 10_000 }).toBe('idle');
    expect(index.query('', bookId)).toHaveLength(2);
    expect(google.card('b1')!.vcard).toContain('NOTE:COBOL');
  });

  it('a redirect with the wrong state is refused and the sign-in goes on waiting for the right one', async () => {
    await start();
    let seen: Response | undefined;
    browser = async (url) => {
      const back = new URL(await google.approve(url));
      const forged = new URL(back);
      forged.searchParams.set('state', 'not-the-state');
      forged.searchParams.set('code', '4/0Aforged');
      seen = await fetch(forged);
      await fetch(back);
    };
    const { m } = await setup();
    const account = await m.signInGoogle(null);
    expect(seen?.status).toBe(400);
    expect(account.user).toBe(google.email);
  });

  it('a code issued for another PKCE challenge is refused by the token endpoint: no account', async () => {
    await start();
    browser = async (url) => {
      await fetch(await google.approve(url, { tamperChallenge: true }));
    };
    const { m } = await setup();
    await expect(m.signInGoogle(null)).rejects.toMatchObject({ code: 'forbidden' });
    expect(m.accounts.list()).toEqual([]);
    expect(google.log.find((l) => l.path === '/token')?.status).toBe(400);
  });

  it('after the one accepted redirect the loopback listener is gone', async () => {
    await start();
    let back = '';
    browser = async (url) => {
      back = await google.approve(url);
      await fetch(back);
    };
    const { m } = await setup();
    await m.signInGoogle(null);
    await expect(fetch(back)).rejects.toThrow();
  });

  it('the user declines in the browser: a clear error, no account', async () => {
    await start();
    browser = async (url) => {
      const page = await (await fetch(url)).text();
      const request = /name="request" value="([^"]+)"/.exec(page)![1]!;
      const r = await fetch(`${google.url}/o/oauth2/approve?request=${request}&decision=deny`, { redirect: 'manual' });
      await fetch(r.headers.get('location')!);
    };
    const { m } = await setup();
    await expect(m.signInGoogle(null)).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/not granted/) });
  });

  it('cancel stops waiting for the browser', async () => {
    await start();
    browser = async () => {}; // the user never comes back
    const { m } = await setup();
    const waiting = m.signInGoogle(null);
    await new Promise((r) => setTimeout(r, 100));
    m.cancelGoogleSignIn();
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('when the principal lookup fails, the well-known redirect target is the address book', async () => {
    await start({ principalFails: true });
    google.put('p1', card('p1', 'Hedy Lamarr'));
    const { account, index, bookId } = await signedIn();
    expect(account.books[0]!.url).toBe(`${google.url}${google.bookPath()}`);
    expect(index.query('', bookId)).toHaveLength(1);
  });

  it('re-discovery weeks later follows a moved address book without duplicates or lost edits', async () => {
    await start();
    google.put('m1', card('m1', 'Sophie Wilson'));
    google.put('m2', card('m2', 'Steve Furber'));
    const { m, account, repo, index, bookId } = await signedIn();
    const row = index.query('Wilson', bookId)[0]!;
    await repo.update(row.id, parseVCard(card('m1', 'Sophie Wilson', 'NOTE:ARM\r\n')));
    google.moveBook('moved');
    const old: AccountInfo = m.accounts.list()[0]!;
    await m.accounts.update({ ...old, discoveredAt: Date.now() - 60 * 86_400_000 });
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(m.accounts.list()[0]!.books[0]!.url).toBe(`${google.url}${google.bookPath()}`);
    expect(google.bookPath()).toContain('/lists/moved/');
    expect(index.query('', bookId)).toHaveLength(2);
    expect(google.card('m1')!.vcard).toContain('NOTE:ARM');
  });

  it('photo URIs load on demand; the token goes only to the address book\'s own origin', async () => {
    await start();
    const elsewhere: (string | undefined)[] = [];
    const other = createServer((req, res) => {
      elsewhere.push(req.headers.authorization);
      // A real PNG: the photo loader checks an image's first bytes, not only its declared type.
      res.writeHead(200, { 'Content-Type': 'image/png' }).end(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherUrl = `http://127.0.0.1:${(other.address() as { port: number }).port}/lh3/photo.png`;
    try {
      const { m, bookId } = await signedIn();
      const own = await m.loadPhoto(bookId, `${google.url}/photos/p1.png`);
      expect(own).toMatch(/^data:image\/png;base64,/);
      expect(google.log.find((l) => l.path === '/photos/p1.png')?.status).toBe(200); // it needs the token
      expect(await m.loadPhoto(bookId, otherUrl)).toMatch(/^data:image\/png;base64,/);
      expect(elsewhere).toEqual([undefined]);
      // Not an image: nothing.
      expect(await m.loadPhoto(bookId, `${google.url}/userinfo`)).toBeNull();
    } finally {
      other.close();
    }
  });

  it('Workspace shared contacts: signs in with the shared-contacts scope and syncs the directory into a book named after the domain', async () => {
    await start();
    google.sharedPut('w1', '<gd:name><gd:fullName>Acme Supplies</gd:fullName></gd:name><gd:email rel="http://schemas.google.com/g/2005#work" address="sales@acme.example"/>');
    let scope = '';
    browser = async (url) => {
      scope = new URL(url).searchParams.get('scope') ?? '';
      await fetch(await google.approve(url));
    };
    const { m, index } = await setup();
    const account = await m.addSharedContacts('Example.com');
    expect(scope.split(' ')).toContain('https://www.google.com/m8/feeds');
    expect(scope.split(' ')).not.toContain('https://www.googleapis.com/auth/carddav');
    expect(account).toMatchObject({ kind: 'gdata', domain: 'example.com', books: [{ name: 'example.com' }] });
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    expect(index.query('acme', account.books[0]!.id).map((r) => r.displayName)).toEqual(['Acme Supplies']);
  });

  it('a Google or Workspace account takes no user name or password: its tokens cannot be overwritten', async () => {
    await start();
    const { m, account } = await signedIn();
    const shared = await m.addSharedContacts('example.com');
    for (const id of [account.id, shared.id]) {
      for (const changes of [{ password: 'hunter2' }, { user: 'someone' }, { allowInsecure: true }]) {
        await expect(m.update(id, changes)).rejects.toMatchObject({ code: 'invalid-argument' });
      }
    }
    expect(await m.update(account.id, { intervalMinutes: 30 })).toMatchObject({ intervalMinutes: 30 });
    expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' }); // the tokens still work
  });

  it('Workspace shared contacts for someone who is not an administrator: refused in words, no account', async () => {
    await start();
    google.admins.clear();
    const { m } = await setup();
    await expect(m.addSharedContacts('example.com')).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/Only administrators of example\.com/) });
    expect(m.accounts.list()).toEqual([]);
    expect(google.log.some((l) => l.path === '/revoke')).toBe(true);
  });

  it('sign-out revokes the grant at Google and removes the local copies', async () => {
    await start();
    google.put('o1', card('o1', 'Lynn Conway'));
    const { m, account, index, bookId } = await signedIn();
    await m.remove(account.id);
    expect(google.log.some((l) => l.path === '/revoke' && l.status === 200)).toBe(true);
    expect(index.query('', bookId)).toHaveLength(0);
  });
});
