/**
 * Accounts and their sync runs. Adding an account (discovery, then the books the user picks);
 * editing and removing it. The scheduler: a sync at start, soon after each local edit (debounced),
 * every few minutes, and when the network returns; one run per account at a time (callers share
 * it); nothing while offline. Soft failures (network, 5xx, 429/503) retry with backoff that honours
 * Retry-After; hard ones (401, 403) stop the account and say what to do; a run that would delete a
 * large share of a book waits for the user. Every change of state is pushed to the window.
 */
import { CardinalError } from '../../shared/errors';
import type { NewCardDavAccount } from '../../shared/ipc/contract';
import type { AccountChanges, AccountInfo, Discovery, GoogleSetup, ServerBook, SyncProgress, SyncStatus } from '../../shared/sync/types';
import { GoogleAuth, SignInCancelled, SignInRefused, SignInRequired, TokenEndpointError, TokenSource, type GoogleTokens, type SignInResult } from '../auth/google';
import { GOOGLE_SCOPES, googleClientFromEnv, googleEndpoints, type GoogleClientConfig, type GoogleEndpoints } from '../auth/google-config';
import { CardDavClient } from '../dav/client';
import { discoveryCandidates, type Resolver } from '../dav/discovery';
import { DavError, Forbidden, InsufficientStorage, NetworkError, ServerError, ServiceUnavailable, Unauthorized } from '../dav/errors';
import { DavHttp, isLoopback, type Auth } from '../dav/http';
import { NS } from '../dav/xml';
import type { StorePort } from '../core/store-port';
import type { Platform } from '../platform/platform';
import { AccountStore } from './accounts';
import { GDataClient, GDataRefused } from '../gdata/client';
import { syncSharedContacts } from '../gdata/sync';
import { MassDeleteNeedsConfirmation, syncAddressBook } from './engine';
import { GOOGLE, STANDARD, type ServerProfile } from './profiles';
import { storeCollection } from './store-collection';

export interface SyncManagerOptions {
  platform: Platform;
  store: StorePort;
  emit: (status: SyncStatus) => void;
  /** Default minutes between automatic syncs for new accounts; 0 turns the timer off. */
  intervalMinutes?: number;
  /** Quiet time after a local edit before its account syncs. */
  debounceMs?: number;
  log?: (line: string) => void;
  /** DNS for RFC 6764 SRV/TXT lookups (tests give their own). */
  resolver?: Resolver;
  /** fetch for every request (tests count or break requests). */
  fetch?: typeof fetch;
  random?: () => number;
  /** Google's endpoints and OAuth client (default: the `CARDINAL_GOOGLE_*` environment, then the
   * client the user saved); the sign-in's time limit. */
  google?: { endpoints?: GoogleEndpoints; client?: GoogleClientConfig | null; signInTimeoutMs?: number };
}

/** Google's well-known redirect is found again after 14 to 28 days (per account), never cached for ever. */
const REDISCOVER_DAYS = 14;

interface PendingDiscovery {
  readonly input: NewCardDavAccount;
  readonly user: string;
  readonly url: string;
  readonly books: readonly ServerBook[];
  readonly at: number;
}

/** Backoff after the nth soft failure in a row: 30 s doubling to an hour, with ±25% jitter. */
export function backoffSeconds(failures: number, retryAfter: number | null, random: () => number = Math.random): number {
  if (retryAfter !== null) return Math.min(Math.max(retryAfter, 1), 6 * 3600);
  const base = Math.min(30 * 2 ** Math.max(0, failures - 1), 3600);
  return Math.round(base * (0.75 + random() * 0.5));
}

export class SyncManager {
  readonly accounts: AccountStore;
  private readonly running = new Map<string, Promise<SyncStatus>>();
  private readonly last = new Map<string, SyncStatus>();
  private readonly discoveries = new Map<string, PendingDiscovery>();
  private readonly failures = new Map<string, number>();
  private readonly retryTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly debounceTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Local edits arrived while a run was under way: run again when it ends. */
  private readonly dirty = new Set<string>();
  private readonly lastAttempt = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Photos fetched for the window, by URI (a data: URI, or null when none could be had). */
  private readonly photos = new Map<string, string | null>();
  /** The Google sign-in waiting for the browser, if any. */
  private signInWait: { cancel: () => void } | null = null;

  constructor(private readonly opts: SyncManagerOptions) {
    this.accounts = new AccountStore(opts.platform);
    if ((opts.intervalMinutes ?? 15) > 0) this.timer = setInterval(() => this.tick(), 60_000);
  }

  dispose(): void {
    if (this.timer !== null) clearInterval(this.timer);
    for (const t of [...this.retryTimers.values(), ...this.debounceTimers.values()]) clearTimeout(t);
  }

  /** Once a minute: accounts whose interval has passed (and that are not waiting on a retry). */
  private tick(): void {
    const now = Date.now();
    for (const a of this.accounts.list()) {
      if (a.intervalMinutes <= 0 || this.retryTimers.has(a.id)) continue;
      const last = this.lastAttempt.get(a.id) ?? 0;
      if (now - last >= a.intervalMinutes * 60_000) void this.sync(a.id);
    }
  }

  private client(account: { user: string; allowInsecure: boolean }, password: string): CardDavClient {
    return new CardDavClient(
      new DavHttp({ auth: { kind: 'basic', user: account.user, password }, allowInsecure: account.allowInsecure, fetch: this.opts.fetch }),
    );
  }

  /** Find the books: each RFC 6764 candidate in turn, the first that answers wins. */
  async discover(input: NewCardDavAccount): Promise<Discovery> {
    const start = await discoveryCandidates(input.url, this.opts.resolver);
    const user = input.user.trim() !== '' ? input.user.trim() : (start.email ?? '');
    const client = this.client({ user, allowInsecure: input.allowInsecure }, input.password);
    let lastError: unknown = null;
    for (const candidate of start.candidates) {
      try {
        const books = await client.discover(candidate);
        if (books.length === 0) continue;
        const discoveryId = globalThis.crypto.randomUUID();
        const found = books.map((b) => ({ url: b.url, name: b.displayName || decodeURIComponent(new URL(b.url).pathname) }));
        this.discoveries.set(discoveryId, { input, user, url: candidate, books: found, at: Date.now() });
        // Forget discoveries the user walked away from (they hold a password).
        for (const [id, d] of this.discoveries) if (Date.now() - d.at > 15 * 60_000) this.discoveries.delete(id);
        return { discoveryId, user, books: found };
      } catch (e) {
        if (e instanceof Unauthorized || e instanceof Forbidden) throw toUserError(e);
        lastError = e;
      }
    }
    // Answers that were not a CardDAV server (404s, no books) say so; an unreachable host says why.
    const host = hostOf(start.candidates[0] ?? input.url);
    if (lastError !== null && (lastError instanceof NetworkError || !(lastError instanceof DavError) || lastError.status >= 500)) throw toUserError(lastError);
    throw new CardinalError('not-found', 'No address book was found at this address.', { cause: 'no-carddav', host });
  }

  async add(discoveryId: string, bookUrls: readonly string[]): Promise<AccountInfo> {
    const d = this.discoveries.get(discoveryId);
    if (d === undefined) throw new CardinalError('not-found', 'This sign-in has expired; connect again.');
    const chosen = d.books.filter((b) => bookUrls.includes(b.url));
    if (chosen.length === 0) throw new CardinalError('invalid-argument', 'Choose at least one address book to sync.');
    this.discoveries.delete(discoveryId);
    const id = globalThis.crypto.randomUUID();
    const info: AccountInfo = {
      id,
      kind: 'carddav',
      serverUrl: d.url,
      user: d.user,
      allowInsecure: d.input.allowInsecure,
      intervalMinutes: this.opts.intervalMinutes ?? 15,
      books: chosen.map((b) => ({ id: bookIdFor(id, b.url), url: b.url, name: b.name })),
      available: d.books,
    };
    await this.accounts.add(info, d.input.password);
    for (const b of info.books) await this.opts.store.request('ensureBook', b.id, b.name);
    void this.sync(id);
    return info;
  }

  async update(accountId: string, changes: AccountChanges): Promise<AccountInfo> {
    const account = this.find(accountId);
    // Google and Workspace accounts sign in through Google: their secret is tokens, never a password.
    if (account.kind !== 'carddav' && (changes.user !== undefined || changes.password !== undefined || changes.allowInsecure === true)) {
      throw new CardinalError('invalid-argument', 'A Google account signs in through Google; sign in again instead.');
    }
    let books = account.books;
    if (changes.bookUrls !== undefined) {
      const urls = changes.bookUrls;
      const chosen = account.available.filter((b) => urls.includes(b.url));
      if (chosen.length === 0) throw new CardinalError('invalid-argument', 'Choose at least one address book to sync.');
      books = chosen.map((b) => account.books.find((x) => x.url === b.url) ?? { id: bookIdFor(accountId, b.url), url: b.url, name: b.name });
    }
    const next: AccountInfo = {
      ...account,
      user: changes.user ?? account.user,
      allowInsecure: changes.allowInsecure ?? account.allowInsecure,
      intervalMinutes: changes.intervalMinutes ?? account.intervalMinutes,
      books,
    };
    await this.accounts.update(next, changes.password);
    // Books no longer synced lose their local copies (the window asked the user first).
    for (const b of account.books) if (!books.some((x) => x.id === b.id)) await this.opts.store.request('removeBook', b.id);
    for (const b of books) if (!account.books.some((x) => x.id === b.id)) await this.opts.store.request('ensureBook', b.id, b.name);
    this.failures.delete(accountId);
    this.clearRetry(accountId);
    void this.sync(accountId);
    return next;
  }

  async remove(accountId: string): Promise<void> {
    this.clearRetry(accountId);
    const account = this.accounts.list().find((a) => a.id === accountId);
    if (account !== undefined && account.kind !== 'carddav') {
      // Sign-out: Google forgets the grant. Failing that (offline), the local copy goes anyway.
      try {
        const auth = await this.googleAuth();
        await auth.revoke(JSON.parse(await this.accounts.password(accountId)) as GoogleTokens);
      } catch (e) {
        this.opts.log?.(`google: revoking the sign-in failed: ${(e as Error).message}`);
      }
    }
    const gone = this.accounts.remove(accountId);
    for (const b of gone?.books ?? []) await this.opts.store.request('removeBook', b.id);
    this.last.delete(accountId);
  }

  statuses(): SyncStatus[] {
    return this.accounts.list().map((a) => this.last.get(a.id) ?? { accountId: a.id, phase: 'idle', message: '', lastSync: null });
  }

  syncAll(): Promise<SyncStatus[]> {
    return Promise.all(this.accounts.list().map((a) => this.sync(a.id)));
  }

  /** A local edit in this book: sync its account once the user pauses. */
  localChanged(bookId: string): void {
    const account = this.accounts.list().find((a) => a.books.some((b) => b.id === bookId));
    if (account === undefined) return;
    if (this.running.has(account.id)) this.dirty.add(account.id);
    this.syncSoon(account.id);
  }

  /** Sync after the debounce; a new call restarts the wait. */
  private syncSoon(accountId: string): void {
    const prev = this.debounceTimers.get(accountId);
    if (prev !== undefined) clearTimeout(prev);
    this.debounceTimers.set(
      accountId,
      setTimeout(() => {
        this.debounceTimers.delete(accountId);
        void this.sync(accountId);
      }, this.opts.debounceMs ?? 2000),
    );
  }

  /** One run per account at a time: a second caller gets the run already under way. */
  sync(accountId: string, allowMassDelete = false): Promise<SyncStatus> {
    const existing = this.running.get(accountId);
    if (existing !== undefined) return existing;
    this.clearRetry(accountId);
    const run = this.runOnce(accountId, allowMassDelete).finally(() => {
      this.running.delete(accountId);
      if (this.dirty.delete(accountId)) this.syncSoon(accountId);
    });
    this.running.set(accountId, run);
    return run;
  }

  confirmDeletions(accountId: string): Promise<SyncStatus> {
    return this.sync(accountId, true);
  }

  // ---- Google --------------------------------------------------------------------------------

  private endpoints(): GoogleEndpoints {
    return this.opts.google?.endpoints ?? googleEndpoints();
  }

  private async googleClient(): Promise<GoogleClientConfig | null> {
    const fromEnv = this.opts.google?.client !== undefined ? this.opts.google.client : googleClientFromEnv();
    if (fromEnv !== null) return fromEnv;
    const saved = await this.accounts.googleClient();
    return saved !== null && saved.clientId !== '' ? { ...saved, source: 'settings' } : null;
  }

  async googleSetup(): Promise<GoogleSetup> {
    const c = await this.googleClient();
    return { configured: c !== null, source: c?.source ?? null, clientId: c?.clientId ?? '' };
  }

  /** The user's own OAuth client (used when the environment names none). */
  async setGoogleClient(clientId: string, clientSecret: string): Promise<GoogleSetup> {
    await this.accounts.setGoogleClient(clientId.trim(), clientSecret.trim());
    return this.googleSetup();
  }

  private async googleAuth(): Promise<GoogleAuth> {
    const c = await this.googleClient();
    if (c === null) throw new CardinalError('not-configured', 'No Google OAuth client is set up. Enter your own client ID, or start Cardinal with CARDINAL_GOOGLE_CLIENT_ID.');
    return new GoogleAuth(this.endpoints(), c, this.opts.fetch);
  }

  private bearerClient(source: TokenSource): CardDavClient {
    return new CardDavClient(new DavHttp({ auth: bearer(source), fetch: this.opts.fetch }));
  }

  /** How requests for this account authenticate: its password, or its Google tokens (saved sealed when refreshed). */
  private async accountAuth(account: AccountInfo): Promise<Auth> {
    const secret = await this.accounts.password(account.id);
    if (account.kind === 'carddav') return { kind: 'basic', user: account.user, password: secret };
    return bearer(new TokenSource(await this.googleAuth(), JSON.parse(secret) as GoogleTokens, (t) => this.accounts.setSecret(account.id, JSON.stringify(t))));
  }

  /**
   * Sign in with Google in the system browser. A new account (its address book found from the
   * well-known URL), or, given an account, the same account again (new tokens, everything local
   * kept). Resolves once the browser came back to the loopback listener and the books are known.
   */
  async signInGoogle(accountId: string | null): Promise<AccountInfo> {
    const auth = await this.googleAuth();
    const existing = accountId === null ? undefined : this.find(accountId);
    const result = await this.browserSignIn(auth, existing?.kind === 'gdata' ? GOOGLE_SCOPES.sharedContacts : GOOGLE_SCOPES.carddav, existing?.user);
    const tokens = result.tokens;
    if (existing !== undefined) {
      if (existing.user.toLowerCase() !== result.email.toLowerCase()) {
        await auth.revoke(tokens).catch(() => {});
        throw new CardinalError('invalid-argument', `You signed in as ${result.email}, but this account is ${existing.user}. Sign in again with ${existing.user}.`);
      }
      await this.accounts.setSecret(existing.id, JSON.stringify(tokens));
      this.failures.delete(existing.id);
      this.clearRetry(existing.id);
      void this.sync(existing.id);
      return existing;
    }
    const twin = this.accounts.list().find((a) => a.kind === 'google' && a.user.toLowerCase() === result.email.toLowerCase());
    if (twin !== undefined) {
      await this.accounts.setSecret(twin.id, JSON.stringify(tokens));
      void this.sync(twin.id);
      return twin;
    }
    let current = tokens;
    const source = new TokenSource(auth, tokens, async (t) => {
      current = t;
    });
    const books = await googleBooks(this.bearerClient(source), this.endpoints().carddav).catch((e: unknown) => Promise.reject(toUserError(e)));
    const id = globalThis.crypto.randomUUID();
    const info: AccountInfo = {
      id,
      kind: 'google',
      serverUrl: this.endpoints().carddav,
      user: result.email,
      allowInsecure: false,
      intervalMinutes: this.opts.intervalMinutes ?? 15,
      books: books.map((b) => ({ id: bookIdFor(id, b.url), url: b.url, name: result.email })),
      available: books,
      discoveredAt: Date.now(),
    };
    await this.accounts.add(info, JSON.stringify(current));
    for (const b of info.books) await this.opts.store.request('ensureBook', b.id, b.name);
    void this.sync(id);
    return info;
  }

  /** One sign-in in the system browser (a newer one replaces one still waiting), errors worded. */
  private async browserSignIn(auth: GoogleAuth, scope: string, loginHint: string | undefined): Promise<SignInResult> {
    this.signInWait?.cancel();
    let mine: { cancel: () => void } | null = null;
    try {
      return await auth.signIn({
        scopes: [scope],
        ...(loginHint !== undefined ? { loginHint } : {}),
        timeoutMs: this.opts.google?.signInTimeoutMs,
        open: (url) => this.opts.platform.openExternal(url),
        onCancel: (cancel) => (this.signInWait = mine = { cancel }),
      });
    } catch (e) {
      throw toUserError(e);
    } finally {
      // Only our own: a newer sign-in that replaced this one keeps its Cancel.
      if (this.signInWait === mine) this.signInWait = null;
    }
  }

  /** The dialog's Cancel: stop waiting for the browser. */
  cancelGoogleSignIn(): void {
    this.signInWait?.cancel();
  }

  /**
   * Add a Workspace domain's shared contacts: a Google sign-in asking for the shared-contacts scope
   * (an existing Google account is offered, and keeps what it granted: incremental consent), then a
   * first look at the directory, so a user who is not an administrator hears it now, not later.
   */
  async addSharedContacts(domain: string): Promise<AccountInfo> {
    const name = domain.trim().toLowerCase();
    const auth = await this.googleAuth();
    const hint = this.accounts.list().find((a) => a.kind === 'google' && a.user.endsWith(`@${name}`))?.user;
    const result = await this.browserSignIn(auth, GOOGLE_SCOPES.sharedContacts, hint);
    let current = result.tokens;
    const source = new TokenSource(auth, current, async (t) => {
      current = t;
    });
    const client = this.sharedClient(name, bearer(source));
    try {
      await client.page(client.firstPage(null).replace(/max-results=\d+/, 'max-results=1'));
    } catch (e) {
      await auth.revoke(current).catch(() => {});
      throw toUserError(e);
    }
    const twin = this.accounts.list().find((a) => a.kind === 'gdata' && a.domain === name && a.user.toLowerCase() === result.email.toLowerCase());
    if (twin !== undefined) {
      await this.accounts.setSecret(twin.id, JSON.stringify(current));
      void this.sync(twin.id);
      return twin;
    }
    const id = globalThis.crypto.randomUUID();
    const info: AccountInfo = {
      id,
      kind: 'gdata',
      domain: name,
      serverUrl: this.endpoints().sharedContacts,
      user: result.email,
      allowInsecure: false,
      intervalMinutes: this.opts.intervalMinutes ?? 15,
      books: [{ id: bookIdFor(id, client.feedUrl), url: client.feedUrl, name }],
      available: [{ url: client.feedUrl, name }],
    };
    await this.accounts.add(info, JSON.stringify(current));
    for (const b of info.books) await this.opts.store.request('ensureBook', b.id, b.name);
    void this.sync(id);
    return info;
  }

  private sharedClient(domain: string, auth: Auth): GDataClient {
    const http = new DavHttp({ auth, fetch: this.opts.fetch, maxResponseBytes: 10 * 1024 * 1024 + 65_536 });
    return new GDataClient(http, this.endpoints().sharedContacts, domain);
  }

  /**
   * A photo given as a URI (Google gives `lh3.googleusercontent.com` links), loaded when the window
   * shows it. Credentials go only to the address book's own origin; any other host gets a plain
   * request. Images only, at most 5 MB, https (or loopback http).
   */
  async loadPhoto(bookId: string, uri: string): Promise<string | null> {
    const cached = this.photos.get(uri);
    if (cached !== undefined) return cached;
    let result: string | null = null;
    try {
      const url = new URL(uri);
      if (url.protocol !== 'https:' && !isLoopback(url)) throw new Error('plain http photo');
      const account = this.accounts.list().find((a) => a.books.some((b) => b.id === bookId));
      const book = account?.books.find((b) => b.id === bookId);
      // The account's credentials on its own origin only; anywhere else a plain request.
      const own = account !== undefined && book !== undefined && new URL(book.url).origin === url.origin;
      const http = new DavHttp({ auth: own ? await this.accountAuth(account) : { kind: 'none' }, allowInsecure: own && account.allowInsecure, timeoutMs: 15_000, maxResponseBytes: 5 * 1024 * 1024, fetch: this.opts.fetch });
      const res = await http.requestBytes('GET', url.href, { headers: { Accept: 'image/*' } });
      const type = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (/^image\/(jpeg|png|gif|webp)$/.test(type)) result = `data:${type};base64,${Buffer.from(res.bytes).toString('base64')}`;
    } catch (e) {
      this.opts.log?.(`photo ${uri.slice(0, 80)}: ${(e as Error).message}`);
    }
    if (this.photos.size > 500) this.photos.delete(this.photos.keys().next().value!);
    this.photos.set(uri, result);
    return result;
  }

  /** How this account's requests are made, and how its server departs from the RFCs. */
  private async connection(account: AccountInfo): Promise<{ client: CardDavClient; profile: ServerProfile }> {
    const client = new CardDavClient(new DavHttp({ auth: await this.accountAuth(account), allowInsecure: account.allowInsecure, fetch: this.opts.fetch }));
    return { client, profile: account.kind === 'carddav' ? STANDARD : GOOGLE };
  }

  /**
   * Google's well-known URL is asked again every few weeks: when the address book moved, the
   * local copies follow it (hrefs re-based, a full resync by ETag), so nothing is fetched twice
   * and no pending edit is lost.
   */
  private async rediscover(account: AccountInfo, client: CardDavClient): Promise<AccountInfo> {
    const jitter = Number.parseInt(account.id.replace(/[^0-9a-f]/gi, '').slice(0, 4) || '0', 16) % REDISCOVER_DAYS;
    if (Date.now() - (account.discoveredAt ?? 0) < (REDISCOVER_DAYS + jitter) * 86_400_000) return account;
    const found = await googleBooks(client, account.serverUrl);
    const target = found[0];
    let books = account.books;
    if (target !== undefined && books.length === 1 && books[0]!.url !== target.url) {
      const old = books[0]!;
      this.opts.log?.(`google: the address book moved to ${new URL(target.url).pathname}`);
      await this.opts.store.request('rebaseBook', old.id, decodeURIComponent(new URL(old.url).pathname), decodeURIComponent(new URL(target.url).pathname));
      books = [{ ...old, url: target.url }];
    }
    const next: AccountInfo = { ...account, books, available: found.length > 0 ? found : account.available, discoveredAt: Date.now() };
    await this.accounts.update(next);
    return next;
  }

  private find(accountId: string): AccountInfo {
    const account = this.accounts.list().find((a) => a.id === accountId);
    if (account === undefined) throw new CardinalError('not-found', 'That account no longer exists.');
    return account;
  }

  private clearRetry(accountId: string): void {
    const t = this.retryTimers.get(accountId);
    if (t !== undefined) clearTimeout(t);
    this.retryTimers.delete(accountId);
  }

  private async runOnce(accountId: string, allowMassDelete: boolean): Promise<SyncStatus> {
    const account = this.find(accountId);
    const lastSync = () => this.last.get(accountId)?.lastSync ?? null;
    const status = (s: Omit<SyncStatus, 'accountId' | 'lastSync'> & { lastSync?: number | null }): SyncStatus => {
      const full: SyncStatus = { accountId, lastSync: lastSync(), ...s };
      this.last.set(accountId, full);
      this.opts.emit(full);
      return full;
    };
    if (!this.opts.platform.isOnline()) {
      return status({ phase: 'offline', message: '', code: 'network' });
    }
    this.lastAttempt.set(accountId, Date.now());
    status({ phase: 'syncing', message: '' });
    let lastEmit = 0;
    const onProgress = (progress: SyncProgress) => {
      const now = Date.now();
      if (now - lastEmit < 200 && progress.done !== progress.total) return;
      lastEmit = now;
      status({ phase: 'syncing', message: '', progress });
    };
    try {
      let restored = 0;
      let refused = 0;
      if (account.kind === 'gdata') {
        const client = this.sharedClient(account.domain ?? '', await this.accountAuth(account));
        for (const book of account.books) {
          const r = await syncSharedContacts(client, storeCollection(this.opts.store, book.id), { log: this.opts.log, onProgress, allowMassDelete });
          restored += r.restored;
          refused += r.failed;
        }
      } else {
        const { client, profile } = await this.connection(account);
        const current = profile === GOOGLE ? await this.rediscover(account, client) : account;
        for (const book of current.books) {
          const r = await syncAddressBook(client, book.url, storeCollection(this.opts.store, book.id), { log: this.opts.log, onProgress, allowMassDelete, profile });
          restored += r.restored;
          refused += r.failed;
        }
      }
      this.failures.delete(accountId);
      // What the user should know even though the run succeeded (worded by the window).
      return status({ phase: 'idle', message: '', lastSync: Date.now(), ...(restored > 0 ? { restored } : {}), ...(refused > 0 ? { refused } : {}) });
    } catch (e) {
      this.opts.log?.(`sync ${accountId}: ${(e as Error).message}`);
      if (e instanceof MassDeleteNeedsConfirmation) {
        return status({ phase: 'confirm', message: e.message, action: 'confirm-deletions', deletions: { count: e.wouldDelete, total: e.total } });
      }
      const err = toUserError(e);
      if (isSoft(e)) {
        const n = (this.failures.get(accountId) ?? 0) + 1;
        this.failures.set(accountId, n);
        const wait = backoffSeconds(n, e instanceof ServiceUnavailable ? e.retryAfter : null, this.opts.random);
        this.retryTimers.set(
          accountId,
          setTimeout(() => {
            this.retryTimers.delete(accountId);
            void this.sync(accountId);
          }, wait * 1000),
        );
        return status({ phase: e instanceof NetworkError ? 'offline' : 'error', message: err.message, code: err.code, ...(err.reason !== undefined ? { cause: err.reason } : {}), action: 'retry', retryIn: wait });
      }
      const google = account.kind !== 'carddav';
      const action = e instanceof SignInRequired || (google && e instanceof Unauthorized) || (e instanceof GDataRefused && e.code === 'not-admin') ? ('sign-in' as const) : e instanceof Unauthorized || e instanceof Forbidden ? ('edit-account' as const) : undefined;
      return status({ phase: 'error', message: err.message, code: err.code, ...(err.reason !== undefined ? { cause: err.reason } : {}), ...(action !== undefined ? { action } : {}) });
    }
  }
}

/** Local book ids for server books: stable per account and URL. */
function bookIdFor(accountId: string, url: string): string {
  let h = 0;
  for (let i = 0; i < url.length; i++) h = (Math.imul(h, 31) + url.charCodeAt(i)) >>> 0;
  return `${accountId}:${h.toString(36)}`;
}

/** Worth trying again by itself later: the network, the server's own trouble, or a busy server. */
function isSoft(e: unknown): e is DavError {
  return (
    e instanceof NetworkError ||
    e instanceof ServiceUnavailable ||
    e instanceof ServerError ||
    e instanceof InsufficientStorage ||
    (e instanceof TokenEndpointError && (e.status === 0 || e.status >= 500 || e.status === 429)) ||
    (e instanceof CardinalError && e.code === 'unavailable')
  );
}

/** Bearer authentication from a token source: a refresh and one more try after a 401. */
function bearer(source: TokenSource): Auth {
  return { kind: 'bearer', token: () => source.accessToken(), refresh: () => source.forceRefresh() };
}

/**
 * Google's address book: discovery from the well-known URL (its 301 followed); where the principal
 * or home set lookups fail, the redirect target itself is the address book.
 */
async function googleBooks(client: CardDavClient, wellKnown: string): Promise<ServerBook[]> {
  try {
    const books = await client.discover(wellKnown);
    if (books.length > 0) return books.map((b) => ({ url: b.url, name: b.displayName || 'Google Contacts' }));
  } catch (e) {
    if (e instanceof Unauthorized || e instanceof Forbidden || e instanceof NetworkError || e instanceof SignInRequired) throw e;
  }
  const r = await client.propfind(wellKnown, 0, [[NS.DAV, 'resourcetype']], true);
  return [{ url: r.url.endsWith('/') ? r.url : `${r.url}/`, name: 'Google Contacts' }];
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** A failure in words the user can act on, as a transferable error. */
export function toUserError(e: unknown): CardinalError {
  if (e instanceof CardinalError) return e;
  if (e instanceof GDataRefused) return new CardinalError(e.code === 'unknown-domain' ? 'not-found' : 'forbidden', e.message);
  if (e instanceof SignInRequired) return new CardinalError('unauthorized', 'Google no longer accepts this sign-in. Sign in again; your contacts and unsent changes are kept.');
  if (e instanceof SignInCancelled) return new CardinalError('cancelled', `Google sign-in stopped: ${e.message}.`);
  if (e instanceof SignInRefused) return new CardinalError('forbidden', `Google sign-in failed: ${e.message}.`);
  if (e instanceof TokenEndpointError) {
    return e.status === 0 || e.status >= 500 ? new CardinalError('network', `Google could not be reached: ${e.message}`) : new CardinalError('unauthorized', `Google refused: ${e.message}`);
  }
  if (e instanceof Unauthorized) return new CardinalError('unauthorized', 'The server did not accept this user name and password. Edit the account to sign in again.');
  if (e instanceof Forbidden) return new CardinalError('forbidden', 'The server refused access to this address book. Check the account’s permissions on the server.');
  if (e instanceof NetworkError) return new CardinalError('network', `The server could not be reached: ${e.message}`, { cause: e.reason, host: hostOf(e.url) });
  if (e instanceof ServiceUnavailable) return new CardinalError('unavailable', `The server is busy (${e.status}); Cardinal will try again.`);
  if (e instanceof MassDeleteNeedsConfirmation) return new CardinalError('conflict', e.message);
  if (e instanceof DavError) return new CardinalError('unavailable', `The server answered ${e.status}.`);
  return new CardinalError('internal', (e as Error)?.message ?? 'sync failed');
}
