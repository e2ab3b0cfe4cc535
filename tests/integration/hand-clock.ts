/** A scheduler clock a test moves by hand: timers fire only when `advance` passes them. */
import type { Cancel, Clock } from '../../electron/sync/scheduler';

export class HandClock implements Clock {
  private time = Date.now();
  private timers: { at: number; every: number; fn: () => void; id: number }[] = [];
  private ids = 0;

  now(): number {
    return this.time;
  }
  after(ms: number, fn: () => void): Cancel {
    return this.add(ms, 0, fn);
  }
  every(ms: number, fn: () => void): Cancel {
    return this.add(ms, ms, fn);
  }
  private add(ms: number, every: number, fn: () => void): Cancel {
    const id = ++this.ids;
    this.timers.push({ at: this.time + ms, every, fn, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }
  /** Timers waiting, soonest first (in ms from now). */
  pending(): number[] {
    return this.timers.map((t) => t.at - this.time).sort((a, b) => a - b);
  }
  /** Move on by `ms`, firing what falls due on the way, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.time = Math.max(this.time, due.at);
      if (due.every > 0) due.at += due.every;
      else this.timers = this.timers.filter((t) => t.id !== due.id);
      due.fn();
    }
    this.time = end;
  }
}
