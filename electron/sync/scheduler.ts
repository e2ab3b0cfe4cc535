/**
 * When accounts sync, and never twice at once. A run soon after each local edit (debounced; edits
 * during a run ask for one more when it ends), every account's interval (checked each minute), and
 * again by itself after a soft failure (backoff, or the server's Retry-After). One run per account
 * at a time: a second caller shares the run under way (the `once` shape, not an `isSyncing` flag).
 *
 * It knows nothing of servers or statuses: the run is given, and so is the clock, so a test can
 * drive the timing on its own with a clock it moves by hand.
 */

/** Undoes what `after` or `every` set up. */
export type Cancel = () => void;

export interface Clock {
  now(): number;
  /** Call `fn` once, `ms` from now. */
  after(ms: number, fn: () => void): Cancel;
  /** Call `fn` every `ms`. */
  every(ms: number, fn: () => void): Cancel;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
  every: (ms, fn) => {
    const t = setInterval(fn, ms);
    return () => clearInterval(t);
  },
};

/** What a run tells the scheduler about itself while it runs. */
export interface RunAttempt {
  /** The run goes out to the server: the account's interval counts from now. */
  started(): void;
  /** It went through: the next soft failure starts the backoff afresh. */
  succeeded(): void;
  /** A soft failure: run again by itself after the backoff (or the server's Retry-After). Returns the wait, in seconds. */
  retryLater(retryAfter: number | null): number;
}

/**
 * What a caller asks of a run. `timer`: a debounced edit or the interval (waits for a retry that
 * is already due). `asked`: the user, the window coming online, a new account or new credentials
 * (goes now, unless the server said when to come back: its Retry-After holds for everyone).
 */
export interface RunRequest {
  readonly trigger?: 'timer' | 'asked';
  /** The user confirmed a mass deletion. */
  readonly allowMassDelete?: boolean;
  /** The user answered the mass deletion with "Keep them" (wins over `allowMassDelete`). */
  readonly keepRemoved?: boolean;
  /** The user asked: cards the server refused are sent again too. */
  readonly retryRefused?: boolean;
}

export interface ScheduledAccount {
  readonly id: string;
  /** 0: no automatic runs. */
  readonly intervalMinutes: number;
}

export interface SchedulerOptions<T> {
  /** One run of one account. */
  run: (accountId: string, request: RunRequest, attempt: RunAttempt) => Promise<T>;
  /** What a caller gets when no run starts (a retry is waiting): `retryIn` seconds from now. */
  waiting: (accountId: string, retryIn: number) => T;
  accounts: () => readonly ScheduledAccount[];
  /** Check the accounts' intervals each minute (off in tests that want no runs of their own). */
  intervals: boolean;
  /** Quiet time after a local edit before its account syncs. */
  debounceMs?: number;
  clock?: Clock;
  random?: () => number;
  /** A run the scheduler started by itself failed by rejecting (nobody else would hear of it). */
  onError?: (accountId: string, e: unknown) => void;
}

/** How often the accounts' intervals are looked at. */
const TICK_MS = 60_000;

/** Backoff after the nth soft failure in a row: 30 s doubling to an hour, with ±25% jitter. */
export function backoffSeconds(failures: number, retryAfter: number | null, random: () => number = Math.random): number {
  if (retryAfter !== null) return Math.min(Math.max(retryAfter, 1), 6 * 3600);
  const base = Math.min(30 * 2 ** Math.max(0, failures - 1), 3600);
  return Math.round(base * (0.75 + random() * 0.5));
}

interface Run<T> {
  readonly promise: Promise<T>;
  readonly request: RunRequest;
}

interface Retry {
  readonly cancel: Cancel;
  /** When it is due (clock time). */
  readonly at: number;
  /** The server said when (Retry-After): nothing goes before then. */
  readonly serverSaid: boolean;
}

export class SyncScheduler<T> {
  private readonly clock: Clock;
  private readonly running = new Map<string, Run<T>>();
  /** A run asked for while one was under way, with more than it had: it follows that one. */
  private readonly queued = new Map<string, Run<T>>();
  /** Local edits arrived while a run was under way: run again when it ends. */
  private readonly dirty = new Set<string>();
  private readonly debounces = new Map<string, Cancel>();
  private readonly retries = new Map<string, Retry>();
  /** Soft failures in a row, per account. */
  private readonly failures = new Map<string, number>();
  private readonly lastAttempt = new Map<string, number>();
  /** Accounts removed: nothing of theirs is started again. */
  private readonly gone = new Set<string>();
  private readonly stopTicking: Cancel | null;

  constructor(private readonly opts: SchedulerOptions<T>) {
    this.clock = opts.clock ?? systemClock;
    this.stopTicking = opts.intervals ? this.clock.every(TICK_MS, () => this.tick()) : null;
  }

  dispose(): void {
    this.stopTicking?.();
    for (const r of this.retries.values()) r.cancel();
    for (const cancel of this.debounces.values()) cancel();
    this.retries.clear();
    this.debounces.clear();
  }

  /**
   * One run per account at a time: a second caller gets the run already under way, or, when it
   * asks for more (a confirmed mass deletion, refused cards sent again), the run that follows it.
   */
  sync(accountId: string, request: RunRequest = {}): Promise<T> {
    const current = this.running.get(accountId);
    if (current !== undefined) {
      const queued = this.queued.get(accountId);
      const last = queued ?? current;
      if (!asksMore(request, last.request)) return last.promise;
      const merged: RunRequest = {
        trigger: 'asked',
        allowMassDelete: request.allowMassDelete === true || queued?.request.allowMassDelete === true,
        keepRemoved: request.keepRemoved === true || queued?.request.keepRemoved === true,
        retryRefused: request.retryRefused === true || queued?.request.retryRefused === true,
      };
      const after = () => {
        this.queued.delete(accountId);
        return this.sync(accountId, merged);
      };
      const promise = current.promise.then(after, after);
      this.queued.set(accountId, { promise, request: merged });
      return promise;
    }
    const retry = this.retries.get(accountId);
    if (retry !== undefined && (request.trigger === 'timer' || retry.serverSaid)) {
      return Promise.resolve(this.opts.waiting(accountId, Math.max(0, Math.ceil((retry.at - this.clock.now()) / 1000))));
    }
    this.cancelRetry(accountId);
    const promise = Promise.resolve()
      .then(() => this.opts.run(accountId, request, this.attempt(accountId)))
      .finally(() => {
        this.running.delete(accountId);
        if (this.dirty.delete(accountId) && !this.queued.has(accountId)) this.soon(accountId);
      });
    this.running.set(accountId, { promise, request });
    return promise;
  }

  /** Once no run of the account is under way or queued (shutting down, tests). */
  async settled(accountId: string): Promise<void> {
    for (;;) {
      const waits = [this.running.get(accountId)?.promise, this.queued.get(accountId)?.promise].filter((p) => p !== undefined);
      if (waits.length === 0) return;
      await Promise.allSettled(waits);
    }
  }

  /** A local edit in this account: sync once the user pauses (and once more if a run is under way). */
  changed(accountId: string): void {
    if (this.running.has(accountId)) this.dirty.add(accountId);
    this.soon(accountId);
  }

  /** The account changed or signed in again: its next failure is the first, and no retry waits. */
  resetBackoff(accountId: string): void {
    this.failures.delete(accountId);
    this.cancelRetry(accountId);
  }

  cancelRetry(accountId: string): void {
    this.retries.get(accountId)?.cancel();
    this.retries.delete(accountId);
  }

  /**
   * The account is being removed: no debounce, retry or interval of it runs again, and what the
   * scheduler knew of it goes. Returns once a run under way (and one queued after it) has ended.
   */
  async forget(accountId: string): Promise<void> {
    this.gone.add(accountId);
    this.cancelRetry(accountId);
    this.debounces.get(accountId)?.();
    this.debounces.delete(accountId);
    this.dirty.delete(accountId);
    this.failures.delete(accountId);
    this.lastAttempt.delete(accountId);
    await Promise.allSettled([this.running.get(accountId)?.promise, this.queued.get(accountId)?.promise]);
  }

  /** Once a minute: accounts whose interval has passed (and that are not waiting on a retry). */
  tick(): void {
    const now = this.clock.now();
    for (const a of this.opts.accounts()) {
      if (a.intervalMinutes <= 0 || this.retries.has(a.id)) continue;
      const last = this.lastAttempt.get(a.id) ?? 0;
      if (now - last >= a.intervalMinutes * 60_000) this.fire(a.id, { trigger: 'timer' });
    }
  }

  /** A run the scheduler starts by itself: its failure is reported, never left unhandled. */
  private fire(accountId: string, request: RunRequest): void {
    if (this.gone.has(accountId)) return;
    this.sync(accountId, request).catch((e: unknown) => this.opts.onError?.(accountId, e));
  }

  /** Sync after the debounce; a new call restarts the wait. */
  private soon(accountId: string): void {
    if (this.gone.has(accountId)) return;
    this.debounces.get(accountId)?.();
    this.debounces.set(
      accountId,
      this.clock.after(this.opts.debounceMs ?? 2000, () => {
        this.debounces.delete(accountId);
        this.fire(accountId, { trigger: 'timer' });
      }),
    );
  }

  private attempt(accountId: string): RunAttempt {
    return {
      started: () => {
        this.lastAttempt.set(accountId, this.clock.now());
      },
      succeeded: () => {
        this.failures.delete(accountId);
      },
      retryLater: (retryAfter) => {
        const n = (this.failures.get(accountId) ?? 0) + 1;
        this.failures.set(accountId, n);
        const wait = backoffSeconds(n, retryAfter, this.opts.random);
        if (this.gone.has(accountId)) return wait;
        this.cancelRetry(accountId);
        const cancel = this.clock.after(wait * 1000, () => {
          this.retries.delete(accountId);
          this.fire(accountId, { trigger: 'asked' });
        });
        this.retries.set(accountId, { cancel, at: this.clock.now() + wait * 1000, serverSaid: retryAfter !== null });
        return wait;
      },
    };
  }
}

/** `a` asks for something `b` did not. */
function asksMore(a: RunRequest, b: RunRequest): boolean {
  return (a.allowMassDelete === true && b.allowMassDelete !== true) || (a.keepRemoved === true && b.keepRemoved !== true) || (a.retryRefused === true && b.retryRefused !== true);
}
