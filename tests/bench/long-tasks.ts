/** The page benches' record of long tasks (over 50 ms), from the next page load on: `window.longTasks`. */
import type { Page } from '@playwright/test';

/** From the next navigation on, every long task of the page is kept in `window.longTasks`. */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: { start: number; ms: number }[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}
