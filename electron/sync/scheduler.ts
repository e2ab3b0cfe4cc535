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
  /** A soft failure: run again by itself after the backoff. Returns the wait, in seconds. */
  retryLater(retryAfter: number | null): number;
}

export interface ScheduledAccount {
  readonly id: string;
  /** 0: no automatic runs. */
  readonly intervalMinutes: number;
}

export interface SchedulerOptions<T> {
  /** One run of one account. Must fail by rejecting, never by throwing. */
  run: (accountId: string, allowMassDelete: boolean, attempt: RunAttempt) => Promise<T>;
  accounts: () => readonly ScheduledAccount[];
  /** Check the accounts' intervals each minute (off in tests that want no runs of their own). */
  intervals: boolean;
  /** Quiet time after a local edit before its account syncs. */
  debounceMs?: number;
  clock?: Clock;
  random?: () => number;
}

/** How often the accounts' intervals are looked at. */
const TICK_MS = 60_000;

/** Backoff after the nth soft failure in a row: 30 s doubling to an hour, with ±25% jitter. */
export function backoffSeconds(failures: number, retryAfter: number | null, random: () => number = Math.random): number {
  if (retryAfter !== null) return Math.min(Math.max(retryAfter, 1), 6 * 3600);
  const base = Math.min(30 * 2 ** Math.max(0, failures - 1), 3600);
  return Math.round(base * (0.75 + random() * 0.5));
}

export class SyncScheduler<T> {
  private readonly clock: Clock;
  private readonly running = new Map<string, Promise<T>>();
  /** Local edits arrived while a run was under way: run again when it ends. */
  private readonly dirty = new Set<string>();
  private readonly debounces = new Map<string, Cancel>();
  private readonly retries = new Map<string, Cancel>();
  /** Soft failures in a row, per account. */
  private readonly failures = new Map<string, number>();
  private readonly lastAttempt = new Map<string, number>();
  private readonly stopTicking: Cancel | null;

  constructor(private readonly opts: SchedulerOptions<T>) {
    this.clock = opts.clock ?? systemClock;
    this.stopTicking = opts.intervals ? this.clock.every(TICK_MS, () => this.tick()) : null;
  }

  dispose(): void {
    this.stopTicking?.();
    for (const cancel of [...this.retries.values(), ...this.debounces.values()]) cancel();
  }

  /** One run per account at a time: a second caller gets the run already under way. */
  sync(accountId: string, allowMassDelete = false): Promise<T> {
    const existing = this.running.get(accountId);
    if (existing !== undefined) return existing;
    this.cancelRetry(accountId);
    const run = this.opts.run(accountId, allowMassDelete, this.attempt(accountId)).finally(() => {
      this.running.delete(accountId);
      if (this.dirty.delete(accountId)) this.soon(accountId);
    });
    this.running.set(accountId, run);
    return run;
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
    this.retries.get(accountId)?.();
    this.retries.delete(accountId);
  }

  /** Once a minute: accounts whose interval has passed (and that are not waiting on a retry). */
  tick(): void {
    const now = this.clock.now();
    for (const a of this.opts.accounts()) {
      if (a.intervalMinutes <= 0 || this.retries.has(a.id)) continue;
      const last = this.lastAttempt.get(a.id) ?? 0;
      if (now - last >= a.intervalMinutes * 60_000) void this.sync(a.id);
    }
  }

  /** Sync after the debounce; a new call restarts the wait. */
  private soon(accountId: string): void {
    this.debounces.get(accountId)?.();
    this.debounces.set(
      accountId,
      this.clock.after(this.opts.debounceMs ?? 2000, () => {
        this.debounces.delete(accountId);
        void this.sync(accountId);
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
        this.retries.set(
          accountId,
          this.clock.after(wait * 1000, () => {
            this.retries.delete(accountId);
            void this.sync(accountId);
          }),
        );
        return wait;
      },
    };
  }
}
