/**
 * One sync run of one account, as the window sees it: the status pushed at each change (syncing,
 * progress, done, or what went wrong and what the user can do), the run for the account's kind
 * (CardDAV and Google: the engine on each book; Workspace: the shared-contacts run), and the
 * failure classified once (`failures.ts`) into a retry, a question or a stop.
 */
import type { CardinalError } from '../../shared/errors';
import type { AccountInfo, SyncProgress, SyncStatus } from '../../shared/sync/types';
import { WindowGone, type StorePort } from '../core/store-port';
import { syncSharedContacts } from '../gdata/sync';
import { PeopleRefused } from '../people/errors';
import { storeLabelStore, type LabelReads } from '../people/store';
import { syncLabels } from '../people/sync';
import type { Platform } from '../platform/platform';
import type { AccountStore } from './accounts';
import type { Connections } from './connections';
import { syncAddressBook, type SyncOptions } from './engine';
import { classifyRunFailure } from './failures';
import { rediscover } from './google-books';
import { GOOGLE } from './profiles';
import type { RunAttempt } from './scheduler';
import { storeCollection } from './store-collection';

/** Progress is pushed at most this often (the last step of each phase always). */
const PROGRESS_EVERY_MS = 200;

/**
 * A run whose store went away (the window reloaded or crashed mid-run: `WindowGone`) runs again
 * as soon as a page answers, at most this many times, each waiting at most WINDOW_BACK_MS for one.
 * What the gone page was asked may or may not have been written (as after a crash): the engine's
 * next pass finds out, as any run after a crash does, so nothing is lost by running again.
 */
const WINDOW_RERUNS = 3;
const WINDOW_BACK_MS = 30_000;

export interface AccountRunDeps {
  readonly platform: Platform;
  readonly accounts: AccountStore;
  readonly connections: Connections;
  readonly store: StorePort;
  readonly emit: (status: SyncStatus) => void;
  readonly log?: (line: string) => void;
  /** Cards per part of a first sync's listing (tests cut small books into parts too; default 500). */
  readonly streamBatch?: number;
  /** The engine's multigets (default: the engine's own). */
  readonly multigets?: Pick<SyncOptions, 'multigetBatch' | 'parallel' | 'partsAhead'>;
}

/** What the user should know after a run that went through (worded by the window). */
interface RunTally {
  restored: number;
  refused: number;
  outside: number;
  unreadable: number;
  /** Cards the server would not send (nor say were gone): left as they are, asked again next run. */
  unanswered: number;
  /** Contacts whose edit waits because the server's copy cannot be read, by name. */
  waitingUnreadable: string[];
}

interface KindRunOptions {
  readonly onProgress: (p: SyncProgress) => void;
  readonly allowMassDelete: boolean;
  readonly keepRemoved: boolean;
  readonly retryRefused: boolean;
}

/** CardDAV and Google Contacts: the engine on each book (Google's book found again now and then). */
async function runCardDavAccount(deps: AccountRunDeps, store: StorePort, account: AccountInfo, opts: KindRunOptions, labelReads?: LabelReads): Promise<RunTally> {
  const tally: RunTally = { restored: 0, refused: 0, outside: 0, unreadable: 0, unanswered: 0, waitingUnreadable: [] };
  const { client, profile } = await deps.connections.cardDav(account);
  const current = profile === GOOGLE ? await rediscover({ ...deps, store }, account, client) : account;
  for (const book of current.books) {
    const r = await syncAddressBook(client, book.url, storeCollection(store, book.id), { log: deps.log, ...(deps.streamBatch !== undefined ? { streamBatch: deps.streamBatch } : {}), ...deps.multigets, ...opts, profile });
    tally.restored += r.restored;
    tally.refused += r.failed;
    tally.outside += r.outside;
    tally.unreadable += r.unreadable;
    tally.unanswered += r.unanswered;
    tally.waitingUnreadable.push(...r.waitingUnreadable);
    if (profile === GOOGLE) await syncGoogleLabels(deps, store, account, book.id, labelReads);
  }
  return tally;
}

/**
 * Google's labels, after the book's cards (the join needs their hrefs): through the People API.
 * An account signed in before Cardinal asked for the `contacts` scope (or whose user refused it)
 * keeps its labels on this computer until it signs in again; any other failure is the run's.
 */
async function syncGoogleLabels(deps: AccountRunDeps, store: StorePort, account: AccountInfo, bookId: string, reads?: LabelReads): Promise<void> {
  try {
    const r = await syncLabels({ client: await deps.connections.people(account), store: storeLabelStore(store, bookId, reads), log: deps.log });
    deps.log?.(`labels: ${r.created} created, ${r.renamed} renamed, ${r.deleted} deleted, +${r.added} −${r.removed} members sent, ${r.pulled} taken, ${r.conflicts.length} conflicts`);
  } catch (e) {
    if (e instanceof PeopleRefused) {
      deps.log?.(`labels: not synced (${e.message})`);
      return;
    }
    throw e;
  }
}

/** A Workspace domain's shared contacts. */
async function runSharedContactsAccount(deps: AccountRunDeps, store: StorePort, account: AccountInfo, opts: KindRunOptions): Promise<RunTally> {
  const tally: RunTally = { restored: 0, refused: 0, outside: 0, unreadable: 0, unanswered: 0, waitingUnreadable: [] };
  const client = deps.connections.sharedContacts(account.domain ?? '', await deps.connections.accountAuth(account));
  for (const book of account.books) {
    const r = await syncSharedContacts(client, storeCollection(store, book.id), { log: deps.log, ...opts });
    tally.restored += r.restored;
    tally.refused += r.failed;
    tally.outside += r.outside;
    tally.unreadable += r.unreadable;
    tally.unanswered += r.unanswered;
    tally.waitingUnreadable.push(...r.waitingUnreadable);
  }
  return tally;
}

/** What a status says of why a run failed, beside its code: the cause, and the server's HTTP status. */
function why(error: CardinalError): Pick<SyncStatus, 'cause' | 'httpStatus'> {
  return { ...(error.reason !== undefined ? { cause: error.reason } : {}), ...(error.status !== undefined ? { httpStatus: error.status } : {}) };
}

/** The account was removed while its run was under way: the run writes nothing more. */
export class AccountRemoved extends Error {
  override name = 'AccountRemoved';
}

export class AccountRunner {
  /** The last status pushed for each account. */
  private readonly last = new Map<string, SyncStatus>();
  /** Accounts being removed: their runs stop at their next store request. */
  private readonly stopped = new Set<string>();
  /** What each Google book's labels sync last read, kept for the next run (electron/people/store.ts). */
  private readonly labelReads: LabelReads = new Map();

  constructor(private readonly deps: AccountRunDeps) {}

  statuses(accounts: readonly AccountInfo[]): SyncStatus[] {
    return accounts.map((a) => this.last.get(a.id) ?? this.restarted(a.id));
  }

  /** No run starts now (a retry is due in `retryIn` s): the last status, saying so. */
  waiting(accountId: string, retryIn: number): SyncStatus {
    const last = this.last.get(accountId) ?? this.restarted(accountId);
    return { ...last, retryIn };
  }

  /** No run yet in this process: idle, with the last sync as saved with the account. */
  private restarted(accountId: string): SyncStatus {
    return { accountId, phase: 'idle', message: '', lastSync: this.deps.accounts.lastSync(accountId) };
  }

  /** The account is going: a run under way stops writing to its books. */
  stop(accountId: string): void {
    this.stopped.add(accountId);
  }

  forget(accountId: string): void {
    this.last.delete(accountId);
  }

  /** The store, for one account's run: refused once the account is being removed. */
  private storeFor(accountId: string): StorePort {
    return {
      request: (req, ...args) => (this.stopped.has(accountId) ? Promise.reject(new AccountRemoved('the account was removed')) : this.deps.store.request(req, ...args)),
    };
  }

  /**
   * The run, and again when its store went away mid-run (`WindowGone`: the window reloaded or
   * crashed) once a page answers again; the status stays "syncing" meanwhile. No page within
   * WINDOW_BACK_MS, or gone again too often: the failure is the run's (a soft one, retried later).
   */
  private async untilAnswered<T>(accountId: string, once: () => Promise<T>): Promise<T> {
    for (let reruns = 0; ; reruns++) {
      try {
        return await once();
      } catch (e) {
        if (!(e instanceof WindowGone) || reruns >= WINDOW_RERUNS || this.stopped.has(accountId)) throw e;
        this.deps.log?.(`sync ${accountId}: the window went away mid-run; run again once a page answers`);
        if (!(await (this.deps.store.answering?.(WINDOW_BACK_MS) ?? Promise.resolve(true)))) throw e;
      }
    }
  }

  /** One run: a sync failure does not reject, it becomes the status. */
  async run(account: AccountInfo, request: { allowMassDelete?: boolean; keepRemoved?: boolean; retryRefused?: boolean }, attempt: RunAttempt): Promise<SyncStatus> {
    const accountId = account.id;
    const lastSync = () => this.last.get(accountId)?.lastSync ?? this.deps.accounts.lastSync(accountId);
    const status = (s: Omit<SyncStatus, 'accountId' | 'lastSync'> & { lastSync?: number | null }): SyncStatus => {
      const full: SyncStatus = { accountId, lastSync: lastSync(), ...s };
      if (this.stopped.has(accountId)) return full; // removed: nothing more to say of it
      this.last.set(accountId, full);
      this.deps.emit(full);
      return full;
    };
    if (!this.deps.platform.isOnline()) {
      return status({ phase: 'offline', message: '', code: 'network' });
    }
    attempt.started();
    status({ phase: 'syncing', message: '' });
    let lastEmit = 0;
    const onProgress = (progress: SyncProgress) => {
      const now = Date.now();
      if (now - lastEmit < PROGRESS_EVERY_MS && progress.done !== progress.total) return;
      lastEmit = now;
      status({ phase: 'syncing', message: '', progress });
    };
    try {
      const run = account.kind === 'gdata' ? runSharedContactsAccount : runCardDavAccount;
      const once = () => run(this.deps, this.storeFor(accountId), account, { onProgress, allowMassDelete: request.allowMassDelete === true, keepRemoved: request.keepRemoved === true, retryRefused: request.retryRefused === true }, this.labelReads);
      const { restored, refused, outside, unreadable, unanswered, waitingUnreadable } = await this.untilAnswered(accountId, once);
      attempt.succeeded();
      const at = Date.now();
      if (!this.stopped.has(accountId)) this.deps.accounts.setLastSync(accountId, at);
      return status({ phase: 'idle', message: '', lastSync: at, ...(restored > 0 ? { restored } : {}), ...(refused > 0 ? { refused } : {}), ...(outside > 0 ? { outside } : {}), ...(unreadable > 0 ? { unreadable } : {}), ...(unanswered > 0 ? { unanswered } : {}), ...(waitingUnreadable.length > 0 ? { waitingUnreadable } : {}) });
    } catch (e) {
      this.deps.log?.(`sync ${accountId}: ${(e as Error).message}`);
      if (this.stopped.has(accountId)) return { accountId, phase: 'idle', message: '', lastSync: null };
      const failure = classifyRunFailure(e, account.kind);
      switch (failure.kind) {
        case 'confirm':
          return status({ phase: 'confirm', message: failure.message, action: 'confirm-deletions', deletions: { count: failure.wouldDelete, total: failure.total } });
        case 'soft': {
          const wait = attempt.retryLater(failure.retryAfter);
          return status({ phase: failure.offline ? 'offline' : 'error', message: failure.error.message, code: failure.error.code, ...why(failure.error), action: 'retry', retryIn: wait });
        }
        case 'hard':
          return status({ phase: 'error', message: failure.error.message, code: failure.error.code, ...why(failure.error), ...(failure.action !== undefined ? { action: failure.action } : {}) });
      }
    }
  }
}
