/**
 * Accounts and their sync runs: adding an account (discovery), one run per account at a time
 * (callers share it), a sync every few minutes, and the status pushed to the window.
 */
import { CardinalError } from '../../shared/errors';
import type { NewCardDavAccount } from '../../shared/ipc/contract';
import type { AccountInfo, SyncStatus } from '../../shared/sync/types';
import { CardDavClient } from '../dav/client';
import { DavError, NetworkError, Unauthorized } from '../dav/errors';
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
  /** Minutes between automatic syncs; 0 turns them off. */
  intervalMinutes?: number;
  log?: (line: string) => void;
}

export class SyncManager {
  readonly accounts: AccountStore;
  private readonly running = new Map<string, Promise<SyncStatus>>();
  private readonly last = new Map<string, SyncStatus>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly opts: SyncManagerOptions) {
    this.accounts = new AccountStore(opts.platform);
    const minutes = opts.intervalMinutes ?? 15;
    if (minutes > 0) this.timer = setInterval(() => void this.syncAll(), minutes * 60_000);
  }

  dispose(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }

  private client(account: Pick<AccountInfo, 'user' | 'allowInsecure'>, password: string): CardDavClient {
    return new CardDavClient(new DavHttp({ auth: { kind: 'basic', user: account.user, password }, allowInsecure: account.allowInsecure }));
  }

  async add(input: NewCardDavAccount): Promise<AccountInfo> {
    const client = this.client(input, input.password);
    let books;
    try {
      books = await client.discover(input.url);
    } catch (e) {
      throw toUserError(e);
    }
    if (books.length === 0) throw new CardinalError('not-found', 'No address book was found at this address.');
    const id = globalThis.crypto.randomUUID();
    const info: AccountInfo = {
      id,
      kind: 'carddav',
      serverUrl: input.url,
      user: input.user,
      allowInsecure: input.allowInsecure,
      books: books.map((b, i) => ({ id: `${id}:${i}`, url: b.url, name: b.displayName || new URL(b.url).pathname })),
    };
    await this.accounts.add(info, input.password);
    for (const b of info.books) await this.opts.store.request('ensureBook', b.id, b.name);
    void this.sync(id);
    return info;
  }

  async remove(accountId: string): Promise<void> {
    const gone = this.accounts.remove(accountId);
    for (const b of gone?.books ?? []) await this.opts.store.request('removeBook', b.id);
  }

  syncAll(): Promise<SyncStatus[]> {
    return Promise.all(this.accounts.list().map((a) => this.sync(a.id)));
  }

  /** One run per account at a time: a second caller gets the run already under way. */
  sync(accountId: string): Promise<SyncStatus> {
    const existing = this.running.get(accountId);
    if (existing !== undefined) return existing;
    const run = this.runOnce(accountId).finally(() => this.running.delete(accountId));
    this.running.set(accountId, run);
    return run;
  }

  private async runOnce(accountId: string): Promise<SyncStatus> {
    const account = this.accounts.list().find((a) => a.id === accountId);
    if (account === undefined) throw new CardinalError('not-found', 'That account no longer exists.');
    const status = (phase: SyncStatus['phase'], message: string, lastSync: number | null): SyncStatus => {
      const s = { accountId, phase, message, lastSync };
      this.last.set(accountId, s);
      this.opts.emit(s);
      return s;
    };
    status('syncing', '', this.last.get(accountId)?.lastSync ?? null);
    try {
      const client = this.client(account, await this.accounts.password(accountId));
      for (const book of account.books) {
        await syncAddressBook(client, book.url, storeCollection(this.opts.store, book.id), { log: this.opts.log });
      }
      return status('idle', '', Date.now());
    } catch (e) {
      const err = toUserError(e);
      return status(err.code === 'network' ? 'offline' : 'error', err.message, this.last.get(accountId)?.lastSync ?? null);
    }
  }
}

/** A failure in words the user can act on, as a transferable error. */
export function toUserError(e: unknown): CardinalError {
  if (e instanceof CardinalError) return e;
  if (e instanceof Unauthorized) return new CardinalError('unauthorized', 'The server did not accept this user name and password.');
  if (e instanceof NetworkError) return new CardinalError('network', `The server could not be reached: ${e.message}`);
  if (e instanceof MassDeleteNeedsConfirmation) return new CardinalError('conflict', e.message);
  if (e instanceof DavError) return new CardinalError('unavailable', `The server answered ${e.status}.`);
  return new CardinalError('internal', (e as Error)?.message ?? 'sync failed');
}
