/**
 * The page benches' record of long tasks (over 50 ms), from the next page load on: `window.longTasks`;
 * and of long animation frames, with what ran in them (scripts, style and layout), in `window.longFrames`.
 */
import type { Page } from '@playwright/test';

/** A long animation frame: its time, its scripts (what called them, how long), and its style and layout. */
export interface LongFrame {
  readonly start: number;
  readonly ms: number;
  readonly layout: number;
  readonly scripts: readonly { readonly invoker: string; readonly source: string; readonly ms: number }[];
}

/** From the next navigation on, every long task of the page is kept in `window.longTasks`, every long frame in `window.longFrames`. */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: { start: number; ms: number }[]; longFrames: unknown[] };
    w.longTasks = [];
    w.longFrames = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const f = e as PerformanceEntry & { renderStart: number; styleAndLayoutStart: number; scripts: { invoker: string; sourceURL: string; sourceFunctionName: string; duration: number }[] };
          w.longFrames.push({
            start: f.startTime,
            ms: f.duration,
            layout: f.styleAndLayoutStart > 0 ? f.startTime + f.duration - f.styleAndLayoutStart : 0,
            scripts: f.scripts.map((s) => ({ invoker: s.invoker, source: `${s.sourceFunctionName}@${s.sourceURL.split('/').pop()}`, ms: Math.round(s.duration) })),
          });
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    } catch {
      // No long-animation-frame entries in this browser: long tasks only.
    }
  });
}
