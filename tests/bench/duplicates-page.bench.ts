/**
 * Finding duplicates the way the window does it, end to end, in Debian's Chromium through the
 * harness: the generated duplicates book (duplicates.bench.ts `makeBook`) imported, the page
 * reloaded, then the sidebar's Duplicates, from the click to the groups on screen: the rows' ids
 * and stamps from the in-memory list to the duplicates worker, which reads their keys from
 * IndexedDB (the first run of a session: the keys table, and the cards without keys there,
 * parsed), the finder, the answer back and drawn. Then "Look again" (the keys kept in the worker:
 * nothing read). The worker's time is split at the mark of its keys being ready (`read`). Long tasks on the window's thread
 * during each run are counted. Never a pass/fail.
 */
import { chromium, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness } from '../harness/host';
import { makeBook } from './duplicates.bench';
import { recordLongTasks } from './long-tasks';
import { hottest } from './profile';

const root = fileURLToPath(new URL('../..', import.meta.url));



/** From the mark `cardinal:duplicates-start` to the groups drawn, and the long tasks meanwhile. */
async function timedRun(page: Page, start: () => Promise<void>): Promise<{ ms: number; split: { prepare: number; worker: number; read: number; draw: number }; longTasks: number[]; groups: string; contacts: string }> {
  await page.evaluate(() => {
    for (const m of ['start', 'sent', 'read', 'answered', 'found']) performance.clearMarks(`cardinal:duplicates-${m}`);
  });
  await start();
  await page.locator('[data-testid="dup-summary"]').waitFor({ timeout: 600_000 });
  return page.evaluate(
    () =>
      new Promise<{ ms: number; split: { prepare: number; worker: number; read: number; draw: number }; longTasks: number[]; groups: string; contacts: string }>((resolve) => {
        // The answer is drawn in the frame after the mark.
        requestAnimationFrame(() =>
          setTimeout(() => {
            const at = (m: string) => performance.getEntriesByName(`cardinal:duplicates-${m}`)[0]?.startTime ?? NaN;
            const begin = at('start');
            const end = performance.now();
            const split = { prepare: at('sent') - begin, worker: at('answered') - at('sent'), read: at('read') - at('sent'), draw: end - at('answered') };
            const w = window as unknown as { longTasks: { start: number; ms: number }[] };
            resolve({ ms: end - begin, split, longTasks: w.longTasks.filter((t) => t.start + t.ms > begin).map((t) => Math.round(t.ms)), groups: document.querySelector('[data-testid="dup-summary"]')?.textContent ?? '', contacts: document.querySelector('.dup-count')?.textContent ?? '' });
          }, 0),
        );
      }),
  );
}

export async function runDuplicatesPageBench(count = 50_000): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cardinal-bench-'));
  // A German system: the generated numbers are German, written nationally and internationally.
  const harness = await startHarness({ rendererDir: join(root, 'dist', 'renderer'), bridgeFile: join(root, 'dist', 'harness', 'bridge.js'), dataDir, version: 'bench', locale: 'de-DE', onOpenExternal: () => {} });
  const browser = await chromium.launch({
    executablePath: process.env.CARDINAL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(harness.url);
    await page.getByRole('main').waitFor();
    const book = makeBook(count);
    await page.getByTestId('import-input').setInputFiles({ name: 'book.vcf', mimeType: 'text/vcard', buffer: Buffer.from(book.text) }, { timeout: 600_000 });
    const run = page.getByRole('button', { name: /^Import [\d,]+ new contacts$/ });
    await run.waitFor({ timeout: 600_000 });
    const importStart = Date.now();
    await run.click();
    await page.getByText(/contacts imported\.$/).waitFor({ timeout: 600_000 });
    const importMs = Date.now() - importStart;
    await page.waitForTimeout(3000); // the list snapshot is saved when idle

    await recordLongTasks(page);
    await page.goto(harness.url);
    await page.locator('section[aria-busy="false"]').waitFor({ timeout: 600_000 });
    await page.waitForTimeout(5000); // the search index builds in idle slices after a load: let it finish

    const cold = await timedRun(page, () => page.getByRole('navigation').getByRole('button', { name: 'Duplicates' }).click());
    const warm: { ms: number; split: { prepare: number; worker: number; read: number; draw: number }; longTasks: number[]; groups: string; contacts: string }[] = [];
    for (let i = 0; i < 3; i++) warm.push(await timedRun(page, () => page.getByRole('button', { name: 'Look again' }).click()));
    // CARDINAL_BENCH_PROFILE=file: one more run under Chromium's profiler, its hottest functions printed.
    const profileTo = process.env.CARDINAL_BENCH_PROFILE;
    if (profileTo !== undefined && profileTo !== '') {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
      const profiled = await timedRun(page, () => page.getByRole('button', { name: 'Look again' }).click());
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(profileTo, JSON.stringify(profile));
      console.log(`\nProfiled run: ${Math.round(profiled.ms)} ms, long tasks ${profiled.longTasks.join(', ') || 'none'} ms; profile in ${profileTo}; hottest functions on the window's thread (self time):`);
      for (const [what, ms] of hottest(profile)) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${what}`);
    }
    warm.sort((a, b) => a.ms - b.ms);
    const median = warm[1]!;
    const tasks = (xs: number[]) => (xs.length === 0 ? 'none' : `${xs.length} (${xs.join(', ')} ms)`);
    const n = (x: number) => Math.round(x).toLocaleString('en');
    const split = (r: typeof cold) => `on the window's thread before sending ${n(r.split.prepare)} ms, in the worker ${n(r.split.worker)} ms (to its keys ${n(r.split.read)} ms, then finding), answer to drawn ${n(r.split.draw)} ms`;
    console.log(`\nDuplicates in the window — ${n(count)} generated cards imported (exact copies are not imported again), ${cold.contacts}, Chromium, region DE`);
    console.log(`  first run of the session (the keys table read from IndexedDB in the worker): ${n(cold.ms)} ms (“${cold.groups}”); long tasks on the window's thread: ${tasks(cold.longTasks)}`);
    console.log(`    ${split(cold)}`);
    console.log(`  again, keys kept beside the rows (median of 3):                                 ${n(median.ms)} ms   (target < 2,000 ms); long tasks: ${tasks(median.longTasks)}`);
    console.log(`    ${split(median)}`);
    console.log(`  the import before (click → "imported" shown, the write with its keys): ${n(importMs)} ms`);
    console.log(`  load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(', ')} on ${cpus().length} cores`);
  } finally {
    await browser.close();
    await harness.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
