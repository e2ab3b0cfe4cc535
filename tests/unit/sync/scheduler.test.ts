/** The scheduler on a clock moved by hand: when runs happen, and what a second caller gets. */
import { describe, expect, it } from 'vitest';
import { SyncScheduler, type RunAttempt, type RunRequest } from '../../../electron/sync/scheduler';
import { HandClock } from '../../integration/hand-clock';

type Outcome = { kind: 'ok' } | { kind: 'soft'; retryAfter: number | null } | { kind: 'reject' };

function scheduler(outcomes: Outcome[] = []) {
  const clock = new HandClock();
  const runs: RunRequest[] = [];
  const errors: unknown[] = [];
  let release: (() => void) | null = null;
  let hold = false;
  const s = new SyncScheduler<string>({
    run: async (_id: string, request: RunRequest, attempt: RunAttempt) => {
      runs.push(request);
      attempt.started();
      if (hold) await new Promise<void>((r) => (release = r));
      const o = outcomes.shift() ?? { kind: 'ok' };
      if (o.kind === 'reject') throw new Error('That account no longer exists.');
      if (o.kind === 'soft') return `retry in ${attempt.retryLater(o.retryAfter)}`;
      attempt.succeeded();
      return 'ok';
    },
    waiting: (_id, retryIn) => `waiting ${retryIn}`,
    accounts: () => [{ id: 'a', intervalMinutes: 15 }],
    intervals: true,
    debounceMs: 2000,
    clock,
    random: () => 0.5,
    onError: (_id, e) => errors.push(e),
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return {
    s,
    clock,
    runs,
    errors,
    settle,
    holdNext: () => {
      hold = true;
    },
    release: () => {
      hold = false;
      release?.();
    },
  };
}

describe('the sync scheduler', () => {
  it('a server’s Retry-After holds for every caller: a local edit, the interval and Sync now wait; then the retry runs', async () => {
    const t = scheduler([{ kind: 'soft', retryAfter: 600 }]);
    expect(await t.s.sync('a')).toBe('retry in 600');
    t.s.changed('a');
    t.clock.advance(2000); // the edit's debounce
    t.clock.advance(60_000); // an interval tick
    await t.settle();
    expect(await t.s.sync('a', { trigger: 'asked', retryRefused: true })).toBe('waiting 538');
    expect(t.runs).toHaveLength(1);
    t.clock.advance(600_000);
    await t.settle();
    expect(t.runs).toHaveLength(2);
  });

  it('after a plain backoff, asking goes at once; timers wait for the retry', async () => {
    const t = scheduler([{ kind: 'soft', retryAfter: null }]);
    expect(await t.s.sync('a')).toBe('retry in 30');
    t.s.changed('a');
    t.clock.advance(2000);
    await t.settle();
    expect(t.runs).toHaveLength(1);
    expect(await t.s.sync('a', { trigger: 'asked' })).toBe('ok');
    expect(t.runs).toHaveLength(2);
    t.clock.advance(60_000);
    await t.settle();
    expect(t.runs).toHaveLength(2); // the retry went with the asked run; the interval counts from it
  });

  it('a confirmation asked while a run is under way is not lost: a run with it follows', async () => {
    const t = scheduler();
    t.holdNext();
    const first = t.s.sync('a');
    await t.settle();
    const plain = t.s.sync('a');
    const confirmed = t.s.sync('a', { trigger: 'asked', allowMassDelete: true });
    const again = t.s.sync('a', { allowMassDelete: true });
    t.release();
    await Promise.all([first, plain, confirmed, again]);
    expect(t.runs.map((r) => r.allowMassDelete === true)).toEqual([false, true]);
  });

  it('"Keep them" asked while a run is under way is not lost: a run keeping them follows', async () => {
    const t = scheduler();
    t.holdNext();
    const first = t.s.sync('a');
    await t.settle();
    const kept = t.s.sync('a', { trigger: 'asked', keepRemoved: true });
    const again = t.s.sync('a', { keepRemoved: true });
    t.release();
    await Promise.all([first, kept, again]);
    expect(t.runs.map((r) => r.keepRemoved === true)).toEqual([false, true]);
  });

  it('removing an account: its debounce, retry and interval never run again, and a run under way is waited for', async () => {
    const t = scheduler([{ kind: 'soft', retryAfter: null }]);
    await t.s.sync('a');
    t.s.changed('a');
    t.holdNext();
    const removing = t.s.forget('a');
    t.clock.advance(3 * 3600_000);
    await t.settle();
    await removing;
    expect(t.runs).toHaveLength(1);
    expect(t.clock.pending().length).toBe(1); // only the scheduler's own minute tick
  });

  it('a run it starts by itself that fails by rejecting is reported, not left unhandled', async () => {
    const t = scheduler([{ kind: 'reject' }]);
    t.s.changed('a');
    t.clock.advance(2000);
    await t.settle();
    await t.settle();
    expect(t.errors).toEqual([expect.objectContaining({ message: 'That account no longer exists.' })]);
  });
});
