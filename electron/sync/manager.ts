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
import type { AccountChanges, AccountInfo, Discovery, ServerBook, SyncProgress, SyncStatus } from '../../shared/sync/types';
import { CardDavClient } from '../dav/client';
import { discoveryCandidates, type Resolver } from '../dav/discovery';
import { DavError, Forbidden, InsufficientStorage, NetworkError, ServerError, ServiceUnavailable, Unauthorized } from '../dav/errors';
import { DavHttp } from '../dav/http';
import type { StorePort } from '../core/store-port';
import type { Platform } from '../platform/platform';
import { AccountStore } from './accounts';
import { MassDeleteNeedsConfirmation, syncAddressBook } from './engine';
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
}

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
    if (lastError !== null) throw toUserError(lastError);
    throw new CardinalError('not-found', 'No address book was found at this address.');
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
      const client = this.client(account, await this.accounts.password(accountId));
      let restored = 0;
      let refused = 0;
      for (const book of account.books) {
        const r = await syncAddressBook(client, book.url, storeCollection(this.opts.store, book.id), { log: this.opts.log, onProgress, allowMassDelete });
        restored += r.restored;
        refused += r.failed;
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
        return status({ phase: e instanceof NetworkError ? 'offline' : 'error', message: err.message, code: err.code, action: 'retry', retryIn: wait });
      }
      return status({ phase: 'error', message: err.message, code: err.code, ...(e instanceof Unauthorized || e instanceof Forbidden ? { action: 'edit-account' as const } : {}) });
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
  return e instanceof NetworkError || e instanceof ServiceUnavailable || e instanceof ServerError || e instanceof InsufficientStorage || (e instanceof CardinalError && e.code === 'unavailable');
}

/** A failure in words the user can act on, as a transferable error. */
export function toUserError(e: unknown): CardinalError {
  if (e instanceof CardinalError) return e;
  if (e instanceof Unauthorized) return new CardinalError('unauthorized', 'The server did not accept this user name and password. Edit the account to sign in again.');
  if (e instanceof Forbidden) return new CardinalError('forbidden', 'The server refused access to this address book. Check the account’s permissions on the server.');
  if (e instanceof NetworkError) return new CardinalError('network', `The server could not be reached: ${e.message}`);
  if (e instanceof ServiceUnavailable) return new CardinalError('unavailable', `The server is busy (${e.status}); Cardinal will try again.`);
  if (e instanceof MassDeleteNeedsConfirmation) return new CardinalError('conflict', e.message);
  if (e instanceof DavError) return new CardinalError('unavailable', `The server answered ${e.status}.`);
  return new CardinalError('internal', (e as Error)?.message ?? 'sync failed');
}
