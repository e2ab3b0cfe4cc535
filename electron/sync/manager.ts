/**
 * The sync side of main as the request handlers see it: one facade over the parts that each do
 * one job. `AccountsService` sets accounts up and takes them down, `GoogleSignIn` signs in with
 * Google (Contacts and Workspace), `PhotoLoader` fetches photos given as URIs, `SyncScheduler`
 * decides when each account runs (never twice at once), and `AccountRunner` runs one account and
 * pushes its status to the window.
 */
import type { NewCardDavAccount } from '../../shared/ipc/contract';
import type { AccountChanges, AccountInfo, Discovery, GoogleSetup, SyncStatus } from '../../shared/sync/types';
import type { GoogleClientConfig, GoogleEndpoints } from '../auth/google-config';
import type { StorePort } from '../core/store-port';
import type { Resolver } from '../dav/discovery';
import type { Platform } from '../platform/platform';
import { AccountRunner } from './account-run';
import type { SyncOptions } from './engine';
import { AccountStore } from './accounts';
import { AccountsService, type AccountHooks } from './accounts-service';
import { Connections } from './connections';
import { GoogleSignIn } from './google-signin';
import { PhotoLoader } from './photos';
import { SyncScheduler, type Clock } from './scheduler';

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
  /** Cards per part of a first sync's listing (the model-based tester cuts its small books so). */
  streamBatch?: number;
  /** The engine's multigets: cards per multiget, in flight at once, parts read ahead of the store
   * (the model-based tester asks Google for a few cards at a time, one multiget after another). */
  multigets?: Pick<SyncOptions, 'multigetBatch' | 'parallel' | 'partsAhead'>;
  random?: () => number;
  /** The scheduler's time (tests move it by hand). */
  clock?: Clock;
  /** Google's endpoints and OAuth client (default: the `CARDINAL_GOOGLE_*` environment, then the
   * client the user saved); the sign-in's time limit. */
  google?: { endpoints?: GoogleEndpoints; client?: GoogleClientConfig | null; signInTimeoutMs?: number };
}

export class SyncManager {
  readonly accounts: AccountStore;
  private readonly service: AccountsService;
  private readonly google: GoogleSignIn;
  private readonly photos: PhotoLoader;
  private readonly runner: AccountRunner;
  private readonly scheduler: SyncScheduler<SyncStatus>;

  constructor(opts: SyncManagerOptions) {
    const { platform, store, log, fetch } = opts;
    const intervalMinutes = opts.intervalMinutes ?? 15;
    const accounts = (this.accounts = new AccountStore(platform));
    const connections = new Connections(accounts, { fetch, google: opts.google });
    this.runner = new AccountRunner({ platform, accounts, connections, store, emit: opts.emit, log, ...(opts.streamBatch !== undefined ? { streamBatch: opts.streamBatch } : {}), ...(opts.multigets !== undefined ? { multigets: opts.multigets } : {}) });
    this.scheduler = new SyncScheduler({
      run: async (accountId, request, attempt) => this.runner.run(this.service.find(accountId), request, attempt),
      waiting: (accountId, retryIn) => this.runner.waiting(accountId, retryIn),
      onError: (accountId, e) => log?.(`sync ${accountId}: ${(e as Error).message}`),
      accounts: () => accounts.list(),
      intervals: intervalMinutes > 0,
      debounceMs: opts.debounceMs,
      clock: opts.clock,
      random: opts.random,
    });
    const hooks: AccountHooks = {
      syncNow: (id) => void this.scheduler.sync(id).catch((e: unknown) => log?.(`sync ${id}: ${(e as Error).message}`)),
      resetBackoff: (id) => this.scheduler.resetBackoff(id),
      stop: async (id) => {
        this.runner.stop(id);
        await this.scheduler.forget(id);
      },
      forget: (id) => this.runner.forget(id),
    };
    this.service = new AccountsService({ accounts, connections, store, hooks, intervalMinutes, resolver: opts.resolver, log });
    this.google = new GoogleSignIn({ platform, accounts, service: this.service, connections, hooks, timeoutMs: opts.google?.signInTimeoutMs });
    this.photos = new PhotoLoader({ accounts, connections, fetch, log });
  }

  dispose(): void {
    this.scheduler.dispose();
  }

  // ---- accounts ------------------------------------------------------------------------------

  discover(input: NewCardDavAccount): Promise<Discovery> {
    return this.service.discover(input);
  }

  continueDiscovery(discoveryId: string, allow: boolean): Promise<Discovery> {
    return this.service.continueDiscovery(discoveryId, allow);
  }

  forgetDiscovery(discoveryId: string): void {
    this.service.forgetDiscovery(discoveryId);
  }

  add(discoveryId: string, bookUrls: readonly string[]): Promise<AccountInfo> {
    return this.service.add(discoveryId, bookUrls);
  }

  update(accountId: string, changes: AccountChanges): Promise<AccountInfo> {
    return this.service.update(accountId, changes);
  }

  remove(accountId: string): Promise<void> {
    return this.service.remove(accountId);
  }

  // ---- sync ----------------------------------------------------------------------------------

  statuses(): SyncStatus[] {
    return this.runner.statuses(this.accounts.list());
  }

  /** Every account (the window came online). */
  syncAll(): Promise<SyncStatus[]> {
    return Promise.all(this.accounts.list().map((a) => this.sync(a.id)));
  }

  /** One run per account at a time: a second caller gets the run already under way. */
  sync(accountId: string, allowMassDelete = false): Promise<SyncStatus> {
    return this.scheduler.sync(accountId, { trigger: 'asked', allowMassDelete });
  }

  /** The user pressed Sync: as `sync`, and cards the server refused are sent once more. */
  syncNow(accountId: string): Promise<SyncStatus> {
    return this.scheduler.sync(accountId, { trigger: 'asked', retryRefused: true });
  }

  /** Once no run of the account is under way. */
  settled(accountId: string): Promise<void> {
    return this.scheduler.settled(accountId);
  }

  /** A local edit in this book: sync its account once the user pauses. */
  localChanged(bookId: string): void {
    const account = this.accounts.list().find((a) => a.books.some((b) => b.id === bookId));
    if (account !== undefined) this.scheduler.changed(account.id);
  }

  confirmDeletions(accountId: string): Promise<SyncStatus> {
    return this.sync(accountId, true);
  }

  /** The user answered a mass deletion with "Keep them": those contacts stay here and go back to the server. */
  keepRemoved(accountId: string): Promise<SyncStatus> {
    return this.scheduler.sync(accountId, { trigger: 'asked', keepRemoved: true });
  }

  // ---- Google --------------------------------------------------------------------------------

  googleSetup(): Promise<GoogleSetup> {
    return this.google.setup();
  }

  setGoogleClient(clientId: string, clientSecret: string): Promise<GoogleSetup> {
    return this.google.setClient(clientId, clientSecret);
  }

  signInGoogle(accountId: string | null): Promise<AccountInfo> {
    return this.google.signIn(accountId);
  }

  cancelGoogleSignIn(): void {
    this.google.cancel();
  }

  addSharedContacts(domain: string): Promise<AccountInfo> {
    return this.google.addSharedContacts(domain);
  }

  // ---- photos --------------------------------------------------------------------------------

  loadPhoto(bookId: string, uri: string): Promise<string | null> {
    return this.photos.load(bookId, uri);
  }
}
