/**
 * Finding duplicates the way the window does it, end to end, in Debian's Chromium through the
 * harness: the generated duplicates book (duplicates.bench.ts `makeBook`) imported, the page
 * reloaded, then the sidebar's Duplicates, from the click to the groups on screen: the rows from
 * the in-memory list, their vCards read from IndexedDB (the first run of a session), sent to the
 * duplicates worker, keys made there, the finder, the answer back and drawn. Then "Look again"
 * (the keys kept beside the rows: no vCard read or parsed). Long tasks on the window's thread
 * during each run are counted. Never a pass/fail.
 */
import { chromium, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness } from '../harness/host';
import { makeBook } from './duplicates.bench';
import { recordLongTasks } from './long-tasks';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** From the mark `cardinal:duplicates-start` to the groups drawn, and the long tasks meanwhile. */
async function timedRun(page: Page, start: () => Promise<void>): Promise<{ ms: number; split: { prepare: number; worker: number; draw: number }; longTasks: number[]; groups: string; contacts: string }> {
  await page.evaluate(() => {
    for (const m of ['start', 'sent', 'answered', 'found']) performance.clearMarks(`cardinal:duplicates-${m}`);
  });
  await start();
  await page.locator('[data-testid="dup-summary"]').waitFor({ timeout: 600_000 });
  return page.evaluate(
    () =>
      new Promise<{ ms: number; split: { prepare: number; worker: number; draw: number }; longTasks: number[]; groups: string; contacts: string }>((resolve) => {
        // The answer is drawn in the frame after the mark.
        requestAnimationFrame(() =>
          setTimeout(() => {
            const at = (m: string) => performance.getEntriesByName(`cardinal:duplicates-${m}`)[0]?.startTime ?? NaN;
            const begin = at('start');
            const end = performance.now();
            const split = { prepare: at('sent') - begin, worker: at('answered') - at('sent'), draw: end - at('answered') };
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
    await run.click();
    await page.getByText(/contacts imported\.$/).waitFor({ timeout: 600_000 });
    await page.waitForTimeout(3000); // the list snapshot is saved when idle

    await recordLongTasks(page);
    await page.goto(harness.url);
    await page.locator('section[aria-busy="false"]').waitFor({ timeout: 600_000 });
    await page.waitForTimeout(5000); // the search index builds in idle slices after a load: let it finish

    const cold = await timedRun(page, () => page.getByRole('navigation').getByRole('button', { name: 'Duplicates' }).click());
    const warm: { ms: number; split: { prepare: number; worker: number; draw: number }; longTasks: number[]; groups: string; contacts: string }[] = [];
    for (let i = 0; i < 3; i++) warm.push(await timedRun(page, () => page.getByRole('button', { name: 'Look again' }).click()));
    warm.sort((a, b) => a.ms - b.ms);
    const median = warm[1]!;
    const tasks = (xs: number[]) => (xs.length === 0 ? 'none' : `${xs.length} (${xs.join(', ')} ms)`);
    const n = (x: number) => Math.round(x).toLocaleString('en');
    const split = (r: typeof cold) => `on the window's thread before sending ${n(r.split.prepare)} ms, in the worker ${n(r.split.worker)} ms, answer to drawn ${n(r.split.draw)} ms`;
    console.log(`\nDuplicates in the window — ${n(count)} generated cards imported (exact copies are not imported again), ${cold.contacts}, Chromium, region DE`);
    console.log(`  first run of the session (vCards read from IndexedDB, keys made in the worker): ${n(cold.ms)} ms (“${cold.groups}”); long tasks on the window's thread: ${tasks(cold.longTasks)}`);
    console.log(`    ${split(cold)}`);
    console.log(`  again, keys kept beside the rows (median of 3):                                 ${n(median.ms)} ms   (target < 2,000 ms); long tasks: ${tasks(median.longTasks)}`);
    console.log(`    ${split(median)}`);
    console.log(`  load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(', ')} on ${cpus().length} cores`);
  } finally {
    await browser.close();
    await harness.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
