/**
 * The local address book at 50,000 contacts, in Debian's Chromium through the harness: import
 * time (and its rate beside raw IndexedDB puts of the same rows, the physical limit), time from
 * page load to the first painted list, the search index's build (work, slices, when ready), search
 * latency over 105 pasted queries and over every keystroke of 12 typed ones, JS heap after load,
 * and printing them all (phone list, full cards): Preview → print view, and the window's long tasks.
 */
import { chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance as clock } from 'node:perf_hooks'; // `performance` in page.evaluate bodies is the page's
import { fileURLToPath } from 'node:url';
import { startHarness } from '../harness/host';
import { generateCorpus } from './corpus';
import { recordLongTasks } from './long-tasks';
import { browserPid, cpuByProcess, cpuSpent, holdWorkers, profileAll } from './profile';
import { IMPORT_BATCH } from '../../renderer/src/db/repo';

const root = fileURLToPath(new URL('../..', import.meta.url));

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/**
 * `importOnly`: the import and its limits, nothing after (`npm run bench -- book-import`).
 */
export async function runBookBench(count = 50_000, importOnly = false): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cardinal-bench-'));
  const harness = await startHarness({
    rendererDir: join(root, 'dist', 'renderer'),
    bridgeFile: join(root, 'dist', 'harness', 'bridge.js'),
    dataDir,
    version: 'bench',
    locale: 'en-US',
    onOpenExternal: () => {},
  });
  // A tag among the browser's arguments, to find its processes (the CPU each spent).
  const tag = `--cardinal-bench=${process.pid}-${Date.now()}`;
  const browser = await chromium.launch({
    executablePath: process.env.CARDINAL_CHROMIUM ?? '/usr/bin/chromium',
    args: [tag, '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
  });
  const browserProcess = browserPid(tag);
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    // CARDINAL_BENCH_PROFILE=<prefix>: the window's and the workers' CPU profiles of the parse and
    // of the write (<prefix>.parse.*.cpuprofile, <prefix>.write.*.cpuprofile), their hottest
    // functions printed; the run's figures then include the profiler's cost.
    const profileTo = process.env.CARDINAL_BENCH_PROFILE;
    const profiling = profileTo !== undefined && profileTo !== '';
    if (profiling) await holdWorkers(page);
    await page.goto(harness.url);
    await page.getByRole('main').waitFor();

    const text = generateCorpus(count);
    const stopParseProfile = profiling ? await profileAll(page, profileTo) : undefined;
    const cpuStart = cpuByProcess(browserProcess);
    const t0 = clock.now();
    await page.getByTestId('import-input').setInputFiles({ name: 'bench.vcf', mimeType: 'text/vcard', buffer: Buffer.from(text) }, { timeout: 600_000 }); // 30 MB over CDP: slow on a loaded machine
    await page.getByRole('button', { name: /^Import [\d,]+ new contacts$/ }).waitFor({ timeout: 600_000 });
    const t1 = clock.now();
    const [markStart, markParsed, markClassified] = await page.evaluate(() =>
      ['start', 'parsed', 'classified'].map((n) => performance.getEntriesByName(`cardinal:import-${n}`)[0]?.startTime ?? NaN),
    );
    const cpuParsed = cpuByProcess(browserProcess);
    await stopParseProfile?.('parse');
    const stopWriteProfile = profiling ? await profileAll(page, profileTo) : undefined;
    const cpuClick = cpuByProcess(browserProcess);
    const tClick = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: /^Import [\d,]+ new contacts$/ }).click();
    // The corpus's CATEGORIES become groups: "n contacts imported; 2 groups created, …"
    await page.getByText(new RegExp(`^${count.toLocaleString('en')} contacts imported[.;]`)).waitFor({ timeout: 600_000 });
    const t2 = clock.now();
    // The list drawn with the new rows: one frame after the message.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    const cpuWritten = cpuByProcess(browserProcess);
    await stopWriteProfile?.('write');

    const [markWriteStart, markWritten, markDone] = await page.evaluate(() => ['write-start', 'written', 'done'].map((n) => performance.getEntriesByName(`cardinal:import-${n}`).at(-1)?.startTime ?? NaN));
    // Written ahead (this computer's book, since issue 20): the workers' batches while they read the
    // rest and the summary is open, from the first batch asked to the last one committed.
    const [markAheadStart, markAheadWritten] = await page.evaluate(() => ['ahead-start', 'ahead-written'].map((n) => performance.getEntriesByName(`cardinal:import-${n}`).at(-1)?.startTime ?? NaN));

    // The physical limits: the rows the import wrote, written again with bare IndexedDB into a
    // database of their own. The app's tables and indexes in the app's transactions; the same with
    // a primary key only (no index at all); and schema 5's tables and indexes, 2,000 contacts a
    // transaction, each version with its vCard (what the import wrote before schema 6).
    // The rows, read once and kept in the page; then each layout in a call of its own, so that the
    // CPU each process spent on it can be read between them.
    const rowCounts = await page.evaluate(async () => {
      const src = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('cardinal');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const read = (store: string) =>
        new Promise<{ id: string }[]>((resolve) => {
          const req = src.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result as { id: string }[]);
        });
      const rows = { contacts: await read('contacts'), cards: await read('cards'), versions: await read('versions') };
      src.close();
      (window as unknown as { benchRows: typeof rows }).benchRows = rows;
      return { contacts: rows.contacts.length, cards: rows.cards.length, versions: rows.versions.length };
    });
    // Schema 5 wrote each import's version with its text (since 6 it is the card's: VersionRow.card).
    // `oneRow`, `oneRowNoVersions`: layouts no schema has, to tell what one would gain (a contact's
    // list fields and card in one row; and without the new contact's version row).
    // Since schema 9 an import's new contact has no version row (its card says which import made it,
    // CardRow.imported); `pastVersions`: the layouts before it, each new contact with its version row
    // (made here from the card's fact when the import wrote none), schema 8's being the app's before 9.
    const layouts: Record<string, { per: number; stores: Record<string, string[]>; textInVersions?: boolean; oneRow?: boolean; pastVersions?: boolean }> = {
      // Schema 7: contacts by book and mark, cards without indexes (an import's cards have no href, so no etags row).
      app: { per: IMPORT_BATCH, stores: { contacts: ['bookId+pending'], cards: [], versions: ['at', 'contactId+at'] } },
      keyOnly: { per: IMPORT_BATCH, stores: { contacts: [], cards: [], versions: [] } },
      schema8: { per: IMPORT_BATCH, stores: { contacts: ['bookId+pending'], cards: [], versions: ['at', 'contactId+at'] }, pastVersions: true },
      schema5: { per: 2000, stores: { contacts: ['bookId', 'uid', '*categories'], cards: ['bookId', 'href'], versions: ['contactId', 'at', 'contactId+at'] }, textInVersions: true, pastVersions: true },
      oneRow: { per: IMPORT_BATCH, stores: { contacts: ['bookId+pending'], versions: ['at', 'contactId+at'] }, oneRow: true, pastVersions: true },
      oneRowNoVersions: { per: IMPORT_BATCH, stores: { contacts: ['bookId+pending'] }, oneRow: true },
    };
    const rawMs: Record<string, number> = {};
    const rawCpu: Record<string, string> = {};
    for (const [name, layout] of Object.entries(layouts)) {
      const cpu0 = cpuByProcess(browserProcess);
      rawMs[name] = await page.evaluate(
        async ({ name, layout }) => {
          const { contacts, cards, versions } = (window as unknown as { benchRows: Record<'contacts' | 'cards' | 'versions', { id: string }[]> }).benchRows;
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const req = indexedDB.open(`raw-bench-${name}`, 1);
            req.onupgradeneeded = () => {
              for (const [store, indexes] of Object.entries(layout.stores)) {
                const os = req.result.createObjectStore(store, { keyPath: 'id' });
                for (const i of indexes) os.createIndex(i.replace('*', ''), i.includes('+') ? i.split('+') : i.replace('*', ''), { multiEntry: i.startsWith('*') });
              }
            };
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          });
          const done = (tx: IDBTransaction) => new Promise<void>((resolve, reject) => ((tx.oncomplete = () => resolve()), (tx.onerror = () => reject(tx.error))));
          const textOf = new Map((cards as unknown as { id: string; vcard: string }[]).map((c) => [c.id, c.vcard]));
          const stores = Object.keys(layout.stores);
          // Versions are written with their contacts (every import writes one per contact).
          const byContact = new Map<string, { id: string }[]>();
          type Fact = { run: string; at: number; print: string };
          const past =
            layout.pastVersions === true && versions.length === 0
              ? (cards as unknown as { id: string; bookId: string; imported?: Fact }[]).flatMap((c) => (c.imported === undefined ? [] : [{ id: crypto.randomUUID(), contactId: c.id, bookId: c.bookId, at: c.imported.at, vcard: '', card: c.imported.print, source: 'import', by: 'local' }]))
              : versions;
          for (const v of past as unknown as { id: string; contactId: string; card?: string }[]) {
            const row = layout.textInVersions === true && v.card !== undefined ? { ...v, card: undefined, vcard: textOf.get(v.contactId) } : v;
            byContact.set(v.contactId, [...(byContact.get(v.contactId) ?? []), row]);
          }
          const start = performance.now();
          for (let i = 0; i < contacts.length; i += layout.per) {
            const tx = db.transaction(stores, 'readwrite');
            const slice = contacts.slice(i, i + layout.per);
            const cardSlice = cards.slice(i, i + layout.per);
            if (layout.oneRow === true) slice.forEach((r, j) => tx.objectStore('contacts').put({ ...r, card: cardSlice[j] }));
            else {
              for (const r of slice) tx.objectStore('contacts').put(r);
              for (const r of cardSlice) tx.objectStore('cards').put(r);
            }
            if (stores.includes('versions')) for (const r of slice) for (const v of byContact.get(r.id) ?? []) tx.objectStore('versions').put(v);
            await done(tx);
          }
          const ms = performance.now() - start;
          db.close();
          await new Promise((r) => (indexedDB.deleteDatabase(`raw-bench-${name}`).onsuccess = r));
          return ms;
        },
        { name, layout },
      );
      rawCpu[name] = cpuSpent(cpu0, cpuByProcess(browserProcess));
    }
    const raw = { ms: rawMs, rows: rowCounts };

    const importRate = count / ((t2 - t1) / 1000);
    const writeMs = markWritten! - markWriteStart!;
    // The write against its raw limit: the batches written ahead when they were (they share the
    // machine with the parse meanwhile), else the write after the click.
    const batchesMs = Number.isNaN(markAheadStart!) ? writeMs : markAheadWritten! - markAheadStart!;
    const rate = (ms: number) => count / (ms / 1000);
    const limits = () => {
      console.log(`\nImport — ${count.toLocaleString('en')} contacts in Chromium (${browserVersion}), browser harness; load average ${loadavg().map((x) => x.toFixed(1)).join(', ')} on ${cpus().length} cores${profiling ? ' (profiled run)' : ''}`);
      console.log(`  hand the file to the page (Playwright): ${((t1 - t0) / 1000 - (markClassified! - markStart!) / 1000).toFixed(1)} s (test harness cost, not the app's)`);
      console.log(`  parse in the worker:                 ${((markParsed! - markStart!) / 1000).toFixed(1)} s  (CPU from the file handed over to the summary: ${cpuSpent(cpuStart, cpuParsed)})`);
      console.log(`  classify new / identical / changed:  ${((markClassified! - markParsed!) / 1000).toFixed(1)} s`);
      if (!Number.isNaN(markAheadStart!)) {
        const aheadMs = markAheadWritten! - markAheadStart!;
        console.log(`  written ahead (while the rest is read): ${(aheadMs / 1000).toFixed(1)} s from the first batch to the last committed (${((markAheadStart! - markStart!) / 1000).toFixed(1)} s → ${((markAheadWritten! - markStart!) / 1000).toFixed(1)} s after the start; the summary at ${((markClassified! - markStart!) / 1000).toFixed(1)} s)`);
      }
      console.log(`  write, click → "imported" shown:     ${((t2 - t1) / 1000).toFixed(1)} s  (${Math.round(importRate).toLocaleString('en')} contacts/s); of it IndexedDB (${Number.isNaN(markAheadStart!) ? 'putAll' : 'the rest written ahead, and the commit'}) ${(writeMs / 1000).toFixed(1)} s (${Math.round(rate(writeMs)).toLocaleString('en')}/s)`);
      console.log(`    CPU from the click to the list drawn: ${cpuSpent(cpuClick, cpuWritten)}`);
      console.log(`    click → write started ${((markWriteStart! - tClick) / 1000).toFixed(1)} s; after the write, the list's and groups' update ${((markDone! - markWritten!) / 1000).toFixed(1)} s`);
      console.log(`  import in all (parse + classify + write): ${((markClassified! - markStart! + (t2 - t1)) / 1000).toFixed(1)} s   (target < 8 s)`);
      console.log(`  rows written: ${raw.rows.contacts.toLocaleString('en')} contacts, ${raw.rows.cards.toLocaleString('en')} cards, ${raw.rows.versions.toLocaleString('en')} versions`);
      console.log(`  raw IndexedDB, the app's tables and indexes, ${IMPORT_BATCH.toLocaleString('en')} a transaction: ${(raw.ms.app! / 1000).toFixed(1)} s (${Math.round(rate(raw.ms.app!)).toLocaleString('en')}/s) → the import's batches at ${(raw.ms.app! / batchesMs).toFixed(2)}× of it (CPU: ${rawCpu.app})`);
      console.log(`  raw IndexedDB, primary keys only, same transactions:  ${(raw.ms.keyOnly! / 1000).toFixed(1)} s (${Math.round(rate(raw.ms.keyOnly!)).toLocaleString('en')}/s; CPU: ${rawCpu.keyOnly})`);
      console.log(`  raw IndexedDB, schema 8's layout (a version row per new contact), same transactions: ${(raw.ms.schema8! / 1000).toFixed(1)} s (${Math.round(rate(raw.ms.schema8!)).toLocaleString('en')}/s; CPU: ${rawCpu.schema8})`);
      console.log(`  raw IndexedDB, schema 5's rows and indexes, 2,000 a transaction: ${(raw.ms.schema5! / 1000).toFixed(1)} s (${Math.round(rate(raw.ms.schema5!)).toLocaleString('en')}/s)`);
      console.log(`  raw IndexedDB, no schema's: contact and card in one row: ${(raw.ms.oneRow! / 1000).toFixed(1)} s (${Math.round(rate(raw.ms.oneRow!)).toLocaleString('en')}/s; CPU: ${rawCpu.oneRow}); and no version row: ${(raw.ms.oneRowNoVersions! / 1000).toFixed(1)} s`);
    };
    const browserVersion = await browser.version();
    if (importOnly) {
      limits();
      return;
    }

    await page.waitForTimeout(3000); // let the app save its list snapshot, as it does when idle
    // Long tasks (over 50 ms) from the page's start: the start's own (loading the list), and
    // those while the index builds, which must be none.
    await recordLongTasks(page);
    await page.goto(harness.url);
    await page.getByRole('listbox', { name: 'Contacts' }).getByRole('option').first().waitFor();
    const firstList = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const find = () => {
            const m = performance.getEntriesByName('cardinal:list-painted')[0];
            if (m) resolve(m.startTime);
            else setTimeout(find, 10);
          };
          find();
        }),
    );

    await page.locator('section[aria-busy="false"]').waitFor();
    // The search index builds itself in idle slices after the list is loaded; wait for it (the
    // queries before it are answered by searching every row, as 0.1 always did).
    const index = await page.evaluate(
      () =>
        new Promise<{ sinceLoad: number; cost: { rows: number; startedAt: number; ms: number; slices: number; longestSliceMs: number }; before: number[]; during: number[] } | null>((resolve) => {
          const given = performance.now() + 30_000; // a version without the index (to compare): none comes
          const find = () => {
            const built = performance.getEntriesByName('cardinal:search-index-built') as PerformanceMark[];
            const last = built.at(-1);
            const longTasks = (window as unknown as { longTasks: { start: number; ms: number }[] }).longTasks;
            if (last !== undefined && last.detail.rows > 1000) {
              const began = last.detail.startedAt;
              resolve({
                sinceLoad: last.startTime,
                cost: last.detail,
                before: longTasks.filter((t) => t.start + t.ms <= began).map((t) => t.ms),
                during: longTasks.filter((t) => t.start + t.ms > began).map((t) => t.ms),
              });
            } else if (performance.now() > given) resolve(null);
            else setTimeout(find, 50);
          };
          find();
        }),
    );
    await page.waitForTimeout(500);
    // Names, phone digits, organisations, e-mail; and the fields search reaches since 0.2: a city, a
    // street, a group (every card has "friends": a query that keeps all 50,000 rows), a note, and
    // a Simplified-Chinese query for the corpus's Traditional 陳.
    const words = ['ada', 'zoë', 'núñez', 'علي', '王', '555 010', 'example works 4', 'person00', 'grace hopper', 'kowalska', 'zürich', 'long street 1', 'friends', 'conference', '陈'];
    const queries = Array.from({ length: 105 }, (_, i) => words[i % words.length]! + (i >= words.length && i % 3 === 0 ? String(i % 7) : ''));
    // Typed as people type: every keystroke a query, then erased one character at a time.
    const typedQueries = ['ada lovelace', 'kowalska', 'zürich', 'long street 12', 'friends', 'person0001', '555 010', '陳美玲', 'علی رضایی', 'example works 42', 'conference', 'grace@'];
    const keystrokes = typedQueries.flatMap((q) => {
      const prefixes = Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1));
      return [...prefixes, ...prefixes.slice(0, -1).reverse(), ''];
    });
    const measure = (qs: string[], clearBetween: boolean) =>
      page.evaluate(
        async ({ qs, clearBetween }) => {
          const input = document.getElementById('search') as HTMLInputElement;
          const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
          const type = (q: string) => {
            setValue.call(input, q);
            input.dispatchEvent(new Event('input', { bubbles: true }));
          };
          const out: number[] = [];
          // Five unmeasured queries first, so the JIT has compiled the search path (as it has in real use).
          for (const [k, q] of [...qs.slice(0, 5), ...qs].entries()) {
            // React renders a discrete input event synchronously: when dispatchEvent returns, the
            // filtered list is in the DOM. That is the work that must fit in one 16 ms frame.
            const start = performance.now();
            type(q);
            if (k >= 5) out.push(performance.now() - start);
            if (clearBetween) type('');
            await new Promise((r) => requestAnimationFrame(() => r(null)));
          }
          type('');
          return out;
        },
        { qs, clearBetween },
      );
    const latencies = await measure(queries, true);
    const typedLatencies = await measure(keystrokes, false);

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };

    // Print all the contacts: from Preview to the print view painted, and the window's long tasks
    // meanwhile (laying out 50,000 cards as HTML, then the view's own DOM).
    const printRuns: { layout: string; shownMs: number; ms: number; tasks: number[] }[] = [];
    for (const layout of ['Phone list (names, numbers, e-mail addresses)', 'Full cards']) {
      await page.keyboard.press('Control+p');
      const dialog = page.getByRole('dialog', { name: 'Print' });
      await dialog.getByRole('radio', { name: layout }).check();
      const since = await page.evaluate(() => performance.now());
      const started = clock.now();
      await dialog.getByRole('button', { name: 'Preview' }).click();
      await page.getByTestId('print-view').locator('main.cardinal-print').waitFor({ timeout: 600_000 });
      const shownMs = clock.now() - started;
      // Filled: every row or card in the view (the view says it is busy until then).
      await page.locator('[data-testid="print-view"]:not([aria-busy])').waitFor({ timeout: 600_000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
      const ms = clock.now() - started;
      await page.waitForTimeout(200); // the long-task observer reports after the task
      const tasks = await page.evaluate((since) => (window as unknown as { longTasks: { start: number; ms: number }[] }).longTasks.filter((t) => t.start >= since).map((t) => t.ms), since);
      printRuns.push({ layout: layout.startsWith('Phone') ? 'phone list' : 'full cards', shownMs, ms, tasks });
      await page.getByTestId('print-view').getByRole('toolbar').getByRole('button', { name: 'Close' }).click({ timeout: 600_000 });
      await page.getByTestId('print-view').waitFor({ state: 'detached', timeout: 600_000 });
    }

    limits();
    console.log(`\nLocal address book — ${count.toLocaleString('en')} contacts in Chromium (${browserVersion}), browser harness`);
    console.log(`  page load → first painted list:      ${Math.round(firstList)} ms   (target < 1000 ms)`);
    const figures = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
    const slowest = (xs: number[], qs: string[]) =>
      xs
        .map((ms, i) => ({ ms, q: qs[i]! }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 3)
        .map((x) => `“${x.q}” ${x.ms.toFixed(1)} ms`)
        .join(', ');
    if (index === null) console.log('  search index:                        none (this version searches every row)');
    else {
      const { cost, before, during } = index;
      const listed = (xs: number[]) => (xs.length === 0 ? '0' : `${xs.length} (${xs.map((ms) => Math.round(ms)).join(', ')} ms)`);
      console.log(`  search index, built in idle slices:  ${Math.round(cost.ms)} ms of work in ${cost.slices} slices (longest ${cost.longestSliceMs.toFixed(1)} ms), ready ${(index.sinceLoad / 1000).toFixed(1)} s after page load`);
      console.log(`  long tasks (> 50 ms), loading the list: ${listed(before)}; while the index built: ${listed(during)}`);
    }
    console.log(`  search, ${latencies.length} queries pasted, input → DOM: ${figures(latencies)}   (target p95 < 16 ms)`);
    console.log(`    slowest:                           ${slowest(latencies, queries)}`);
    console.log(`  search, ${typedLatencies.length} keystrokes (${typedQueries.length} queries typed and erased): ${figures(typedLatencies)}`);
    console.log(`    slowest:                           ${slowest(typedLatencies, keystrokes)}`);
    console.log(`  JS heap, list and index loaded (GC): ${(heap.usedSize / 1024 / 1024).toFixed(0)} MB   (target < 200 MB)`);
    for (const r of printRuns) {
      const longest = r.tasks.length === 0 ? 0 : Math.max(...r.tasks);
      console.log(`  print ${r.layout}, Preview → view shown ${(r.shownMs / 1000).toFixed(1)} s, filled ${(r.ms / 1000).toFixed(1)} s; window's long tasks: ${r.tasks.length}, longest ${Math.round(longest)} ms, ${Math.round(r.tasks.reduce((a, b) => a + b, 0))} ms in all`);
    }
  } finally {
    await browser.close();
    await harness.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
