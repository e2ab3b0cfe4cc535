/**
 * The system a sequence runs against, all of it real except Google: one account in the real
 * SyncManager (its scheduler on a clock moved by hand), the renderer's real Dexie store behind the
 * store requests, and a server of one kind (a real CardDAV server's fresh book, or a fake Google
 * with a set of quirks, CardDAV or Workspace).
 *
 * Every HTTP request of the app and every store write it asks for is a boundary the sequence can
 * act at, before the request goes or after its answer came: the user saves, another client writes,
 * a fault answers instead of the server (before it acted) or instead of its answer (after), or the
 * app is killed — main (its run never hears again), the page (the store goes away and comes back
 * on the same data) or both — and started again. Requests go one at a time, so a boundary's number
 * names the same request when a sequence replays.
 */
// Before Dexie loads: the page's store runs on fake-indexeddb.
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { googleClientFromEnv, googleEndpoints } from '../../electron/auth/google-config';
import type { StorePort } from '../../electron/core/store-port';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { NodePlatform } from '../../electron/platform/node-platform';
import { SyncManager } from '../../electron/sync/manager';
import { maintainHistory } from '../../renderer/src/db/history';
import { CardinalError } from '../../shared/errors';
import type { StoreRequestName } from '../../shared/ipc/contract';
import type { AccountInfo, SyncStatus } from '../../shared/sync/types';
import { HandClock } from '../integration/hand-clock';
import { dexieBook, type DexieBook } from '../integration/local-books';
import { startFakeGoogle, type FakeGoogle, type GoogleQuirks } from '../servers/fake-google';
import type { ServerName, TestServer } from '../servers/servers';
import { cardDavSide, googleSide, workspaceSide, type RemoteSide } from './remote-sides';

/** Which server a sequence runs against (JSON, so a failure replays). */
export type ServerKind = { readonly kind: 'carddav'; readonly server: ServerName } | { readonly kind: 'google'; readonly quirks: Partial<GoogleQuirks> } | { readonly kind: 'workspace'; readonly quirks: Partial<GoogleQuirks> };

export type Fault =
  /** Instead of the server, before it acted. */
  | { readonly before: 'status'; readonly status: 401 | 413 | 429 | 500 | 502 | 503; readonly retryAfter?: number }
  | { readonly before: 'reset' | 'timeout' }
  /** The server acted; its answer is lost or spoilt. */
  | { readonly after: 'reset' | 'truncate' }
  | { readonly after: 'status'; readonly status: 500 | 503 };

export type Kill = 'main' | 'page' | 'both';

/** What runs at a boundary: given the request about to go (or answered), may answer it instead. */
export interface BoundaryHook {
  (at: Boundary): Promise<void>;
}

export interface Boundary {
  readonly index: number;
  readonly when: 'before' | 'after';
  /** `HTTP <method> <path>` or `store <request>`. */
  readonly what: string;
  /** Set by the hook: a fault for this request (HTTP only). */
  fault?: Fault;
  /** Set by the hook: the app dies here. */
  kill?: Kill;
}

/** A live instance of main: its manager, and whether it has been killed. */
interface Main {
  readonly manager: SyncManager;
  dead: boolean;
}

/** A promise that never settles: what a killed process's requests wait on. */
const never = <T>() => new Promise<T>(() => {});

/** The app's clock, moved by a 30-day jump (`Date.now` is what the engine and the runs read). */
let dateOffset = 0;
const realNow = Date.now.bind(Date);
Date.now = () => realNow() + dateOffset;

const STORE_WRITES: ReadonlySet<StoreRequestName> = new Set(['applyRemote', 'attemptingUpload', 'uploaded', 'deletedRemote', 'restoredRemote', 'failedUpload', 'conflicted']);

export class World {
  readonly clock = new HandClock();
  readonly statuses: SyncStatus[] = [];
  /** Every boundary passed in the current run (HTTP requests with their paths): for the model's exposed writes. */
  readonly requests: string[] = [];
  account!: AccountInfo;
  local!: DexieBook;
  remote!: RemoteSide;
  private main!: Main;
  private readonly dir = mkdtempSync(join(tmpdir(), 'cardinal-model-'));
  private google: FakeGoogle | null = null;
  private book: string | null = null;
  private pageDown = false;
  /** Counts the page's lives: what the page held (an undo) does not survive its reload. */
  pageLife = 0;
  private boundaries = 0;
  /** Acts at each boundary of a Sync command's run; null between them. */
  hook: BoundaryHook | null = null;
  /** Resolves when main is killed during the current run. */
  private killed: (() => void) | null = null;
  /** One request at a time (see the file comment). */
  private lane: Promise<void> = Promise.resolve();

  private constructor(
    readonly kind: ServerKind,
    private readonly server: TestServer | null,
  ) {}

  static async open(kind: ServerKind, servers: (name: ServerName) => Promise<TestServer>, dbName: string): Promise<World> {
    const server = kind.kind === 'carddav' ? await servers(kind.server) : null;
    const w = new World(kind, server);
    dateOffset = 0;
    w.local = await dexieBook(dbName, 'not-yet');
    if (kind.kind === 'carddav') {
      w.book = await server!.newBook();
      w.remote = cardDavSide(server!, w.book);
    } else {
      w.google = await startFakeGoogle({ quirks: { ...kind.quirks } });
      w.remote = kind.kind === 'google' ? googleSide(w.google) : workspaceSide(w.google);
    }
    w.main = w.startMain();
    // The page's bridge to main (preload), on the global object as in a window: what the page's
    // own actions call after a write (syncSoon).
    Object.assign(globalThis, { window: globalThis, cardinal: { localChanged: async (bookId: string) => w.manager.localChanged(bookId) } });
    w.account = await w.addAccount();
    w.local.useBook(w.account.books[0]!.id);
    await w.manager.settled(w.account.id); // the first sync, which adding the account started
    return w;
  }

  get manager(): SyncManager {
    return this.main.manager;
  }

  get bookId(): string {
    return this.account.books[0]!.id;
  }

  get ifMatchEnforced(): boolean {
    return this.kind.kind !== 'google' || this.google?.quirks.ifMatchIgnored !== true;
  }

  private async addAccount(): Promise<AccountInfo> {
    const m = this.manager;
    if (this.kind.kind === 'carddav') {
      const s = this.server!;
      const found = await m.discover({ url: s.baseUrl, user: s.user, password: s.password, allowInsecure: false });
      return m.add(found.discoveryId, [this.book!]);
    }
    return this.kind.kind === 'google' ? m.signInGoogle(null) : m.addSharedContacts(this.google!.domain);
  }

  /** A new main process on the same data folder and store. */
  private startMain(): Main {
    const instance: { main?: Main } = {};
    const dead = () => instance.main?.dead === true;
    const google = this.google;
    const platform = new NodePlatform({
      dataDir: this.dir,
      version: '0.0.0',
      // The user allows access in the browser, which follows the redirect back to the app.
      onOpenExternal: (url) => void (async () => fetch(await google!.approve(url)))().catch(() => {}),
    });
    const store: StorePort = {
      request: async (name, ...args) => {
        if (dead()) return never();
        const write = STORE_WRITES.has(name);
        const index = write ? this.boundaries++ : -1;
        if (write) await this.at(index, 'before', `store ${name}`);
        if (dead()) return never();
        if (this.pageDown) throw new CardinalError('unavailable', 'the window went away');
        const result = await this.local.port!.request(name, ...args);
        if (write) await this.at(index, 'after', `store ${name}`);
        if (dead()) return never();
        // Handled, but the page went before its answer came back.
        if (this.pageDown) throw new CardinalError('unavailable', 'the window went away');
        return result;
      },
    };
    const hooked: typeof fetch = async (input, init) => {
      if (dead()) return never();
      const turn = this.lane;
      let release = () => {};
      this.lane = new Promise<void>((r) => (release = r));
      await turn;
      try {
        if (dead()) return never();
        const what = `HTTP ${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`;
        this.requests.push(what);
        if (process.env.CARDINAL_MODEL_DEBUG === 'bodies' && typeof init?.body === 'string') console.log(`  [body] ${init.body.replace(/\r\n/g, ' | ').slice(0, 400)}`);
        const index = this.boundaries++;
        const before = await this.at(index, 'before', what);
        if (dead()) return never();
        if (before !== undefined && 'before' in before) return faultAnswer(before);
        const res = await fetch(input, init);
        const after = await this.at(index, 'after', what);
        if (dead()) return never();
        if (after !== undefined && 'after' in after) return spoilt(after, res);
        return res;
      } finally {
        release();
      }
    };
    const manager = new SyncManager({
      platform,
      store,
      emit: (s) => {
        if (!dead()) this.statuses.push(s);
      },
      intervalMinutes: 0,
      debounceMs: 2000,
      clock: this.clock,
      random: () => 0.5,
      fetch: hooked,
      // A first sync's listing applied in parts of two cards: the user's steps fall between them.
      streamBatch: 2,
      // Google's cards by multigets of one: a first sync's (or an empty book's) come by several, each
      // one's applied in parts before the next is asked (one at a time: the boundaries' order is
      // the same on replay; the overlap itself is `tests/integration/sync-multiget-parts.test.ts`'s).
      ...(google !== null ? { multigets: { multigetBatch: 1, parallel: 1, partsAhead: 0 } } : {}),
      ...(process.env.CARDINAL_MODEL_DEBUG ? { log: (l: string) => console.log(`  [main] ${l}`) } : {}),
      ...(google !== null ? { google: { endpoints: googleEndpoints(google.env), client: googleClientFromEnv(google.env), signInTimeoutMs: 10_000 } } : {}),
    });
    instance.main = { manager, dead: false };
    return instance.main;
  }

  /** A boundary: the hook acts; a kill takes effect here. Returns the fault to answer with, if any. */
  private async at(index: number, when: 'before' | 'after', what: string): Promise<Fault | undefined> {
    if (process.env.CARDINAL_MODEL_DEBUG) console.log(`  [${index} ${when}] ${what}${this.hook === null ? '' : ' (hooked)'}`);
    if (this.hook === null) return undefined;
    const b: Boundary = { index, when, what };
    await this.hook(b);
    if (b.kill !== undefined) await this.kill(b.kill);
    return b.fault;
  }

  /** Kill main, the page or both; main comes back as a new process at once, the page when the run is over. */
  async kill(what: Kill): Promise<void> {
    if (what !== 'page') {
      this.main.dead = true;
      this.main.manager.dispose();
      this.main = this.startMain();
      this.killed?.();
    }
    if (what !== 'main') this.pageDown = true;
  }

  /** Between runs: the app (or a part of it) is killed and started again on the same data. */
  async restart(what: Kill): Promise<void> {
    await this.kill(what);
    await this.pageBack();
  }

  /** The page is back on the same data (after a kill of it). */
  private async pageBack(): Promise<void> {
    if (!this.pageDown) return;
    await this.local.reopen();
    // As the page does at start: the trash past its 30 days and versions past their 90 go.
    await maintainHistory(this.local.page().repo.db);
    this.pageDown = false;
    this.pageLife++;
  }

  /**
   * One run, with `hook` acting at each of its boundaries; returns its status, or null when main
   * was killed under it (that run never ends). Waits for no more than `limitMs` of real time.
   */
  async run(hook: BoundaryHook | null, run: (m: SyncManager) => Promise<SyncStatus>, limitMs = 120_000): Promise<SyncStatus | null> {
    this.hook = hook;
    this.boundaries = 0;
    this.requests.length = 0;
    const killed = new Promise<null>((r) => (this.killed = () => r(null)));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stuck = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`a run did not end in ${limitMs / 1000} s`)), limitMs)));
    try {
      return await Promise.race([run(this.manager), killed, stuck]);
    } finally {
      clearTimeout(timer);
      this.hook = null;
      this.killed = null;
      await this.pageBack();
    }
  }

  /** The scheduler's own runs (debounced edits, retries) that `ms` of its clock sets off, awaited. */
  async wait(ms: number): Promise<void> {
    this.clock.advance(ms);
    await new Promise((r) => setTimeout(r, 0));
    await this.run(null, async (m) => {
      await m.settled(this.account.id);
      return m.statuses()[0]!;
    });
  }

  /** 30 days pass for every clock: Google's (tokens, placeholders), the app's and the scheduler's. */
  jump(days: number): void {
    // The fake Google reads Date.now too: one offset moves both.
    dateOffset += days * 86_400_000;
  }

  expireTokens(): void {
    this.google?.expireAccessTokens();
  }

  revokeGrant(): void {
    this.google?.revokeAll();
    this.google?.expireAccessTokens();
  }

  /** The server forgets the book's sync token (its history was reset): the local one is refused from now on. */
  async invalidateToken(): Promise<void> {
    if (this.kind.kind === 'carddav') {
      const state = await this.local.collection.state();
      if (state.syncToken === null) return;
      const bad = this.kind.server === 'radicale' ? 'http://radicale.org/ns/sync/0000' : this.kind.server === 'davical' ? 'data:,999999' : 'deadbeef';
      await this.local.port!.request('applyRemote', this.bookId, { upserts: [], deletes: [], state: { ...state, syncToken: bad } });
    } else this.jump(30);
  }

  /** Sign in again where the status asks for it (a revoked grant). */
  async signInAgain(): Promise<void> {
    if (this.kind.kind === 'carddav') return;
    await this.manager.signInGoogle(this.account.id);
  }

  async close(): Promise<void> {
    this.main.dead = true;
    this.main.manager.dispose();
    await this.local.close();
    if (this.book !== null && this.server !== null) {
      const s = this.server;
      const auth = s.password === '' ? ({ kind: 'none' } as const) : ({ kind: 'basic', user: s.user, password: s.password } as const);
      await new CardDavClient(new DavHttp({ auth })).delete(this.book, null).catch(() => {});
    }
    await this.google?.close();
    dateOffset = 0;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What a fault answers instead of the server. */
function faultAnswer(f: Extract<Fault, { before: unknown }>): Response {
  if (f.before === 'reset') throw new TypeError('fetch failed: connection reset by peer');
  if (f.before === 'timeout') throw new TypeError('The operation was aborted due to timeout');
  if (f.before !== 'status') throw new Error('unknown fault');
  return new Response('injected by the model-based tester', { status: f.status, headers: f.retryAfter !== undefined ? { 'Retry-After': String(f.retryAfter) } : {} });
}

/** The server's answer, lost or spoilt after it acted. */
async function spoilt(f: Extract<Fault, { after: unknown }>, res: Response): Promise<Response> {
  if (f.after === 'reset') throw new TypeError('fetch failed: connection reset by peer');
  if (f.after === 'status') return new Response('injected by the model-based tester', { status: f.status });
  const body = await res.text();
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  return new Response(body.slice(0, Math.floor(body.length / 2)), { status: res.status, headers });
}
