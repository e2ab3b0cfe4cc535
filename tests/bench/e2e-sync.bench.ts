/**
 * `npm run bench -- e2e-sync`: what a user waits for, end to end. In Debian's Chromium through the
 * browser harness, an account is added as a user adds it (the dialog, Connect, Add account) and
 * the clock runs from Connect (Google: from Allow on the consent page) until the list holds every
 * contact. Radicale with 10,000 generated cards (sizes with `CARDINAL_BENCH_E2E_SIZES`, e.g.
 * 10000,50000), and the fake Google at 10,000 (`CARDINAL_BENCH_E2E_GOOGLE`, 0 to skip).
 *
 * The harness host (the main process's core) runs in a child process of its own, so its
 * event-loop delay (`monitorEventLoopDelay`), peak RSS and CPU are its own. Beside the total:
 * - the limit, in the same run: the server's one request (curl's REPORT sync-collection with
 *   every card; for Google, whose sync-collection refuses an empty token, a PROPFIND and one
 *   multiget of every card), plus a raw IndexedDB write of the same contact and card rows the
 *   app wrote (primary keys only, one transaction) in the same page;
 * - the renderer's longest task during the sync, the peak RSS of host and renderer;
 * - the first and last 500-card batch as the renderer answers it (the store request's arrival
 *   to its reply, JSON included), when the first arrived and the last was answered, and the
 *   batches' time together;
 * - a sync with nothing to do, once the heaps of page and host have gone 20 s without a
 *   collection (V8's own collections after the first sync are not its cost): requests (through the counting proxy) and client CPU (host and
 *   renderer, until 2.5 s after it ended: what the window does once told counts too), and beside
 *   it the renderer's CPU over as long a window just before, with nothing happening (the idle
 *   page's own, which that figure includes).
 * Never a pass/fail.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance as clock } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Session } from 'node:inspector';
import { startHarness } from '../harness/host';
import { browserPid as browserProcess, busyMs, hottest, type CpuProfile } from './profile';
import { startFakeGoogle } from '../servers/fake-google';
import { startRadicale } from '../servers/servers';
import { generateCard } from './corpus';
import { recordLongTasks, type LongFrame } from './long-tasks';

const root = fileURLToPath(new URL('../..', import.meta.url));

// ---------------------------------------------------------------------------------------------
// The host, in a child process (`run.mjs __e2e-host <dataDir>`).

interface HostStats {
  p50: number;
  p99: number;
  max: number;
  maxRssMb: number;
  cpuMs: number;
}

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

/** The child's side: the harness, its event loop watched, answering the bench over the fork channel. */
export async function e2eHostMain(dataDir: string): Promise<void> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let cpu0 = process.cpuUsage();
  const harness = await startHarness({
    rendererDir: join(root, 'dist', 'renderer'),
    bridgeFile: join(root, 'dist', 'harness', 'bridge.js'),
    dataDir,
    version: 'bench',
    locale: 'en-GB',
    onOpenExternal: (url) => process.send!({ opened: url }),
    syncIntervalMinutes: 0,
    ...(process.env.CARDINAL_BENCH_LOG === '1' ? { log: (line: string) => console.log(`    [host ${new Date().toISOString().slice(11, 23)} rss ${mb(process.memoryUsage.rss())} MB, heap ${mb(process.memoryUsage().heapUsed)} MB] ${line}`) } : {}),
  });
  if (process.env.CARDINAL_BENCH_LOG === '1') {
    // Where the host's memory goes: a line each time its RSS passes a new high by 25 MB.
    let high = 0;
    setInterval(() => {
      const m = process.memoryUsage();
      if (m.rss < high + 25 * 2 ** 20) return;
      high = m.rss;
      console.log(`    [host ${new Date().toISOString().slice(11, 23)} rss ${mb(m.rss)} MB: heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, external ${mb(m.external)}, array buffers ${mb(m.arrayBuffers)} MB]`);
    }, 100).unref();
  }
  // With CARDINAL_BENCH_PROFILE: the host's own CPU profile from each `reset` to the `stats` after
  // it (the first sync's, then the no-change sync's), <prefix>.host-<n>.cpuprofile.
  const prefix = process.env.CARDINAL_BENCH_PROFILE;
  const inspector = prefix === undefined ? null : new Session();
  inspector?.connect();
  const post = <T>(method: string): Promise<T> => new Promise((resolve, reject) => inspector!.post(method, (e, r) => (e === null ? resolve(r as T) : reject(e))));
  let profiling = false;
  let profiles = 0;
  const stopProfile = async () => {
    if (!profiling) return;
    profiling = false;
    const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop');
    const file = `${prefix}.host-${++profiles}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    console.log(`\n  profile of the host: busy ${busyMs(profile).toFixed(0)} ms of ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms (${file}); hottest (self time):`);
    for (const [fn, ms] of hottest(profile, 15)) console.log(`    ${ms.toFixed(1).padStart(7)} ms  ${fn}`);
  };
  process.on('message', (m: { id: number; cmd: string }) => {
    const answer = (value: unknown) => process.send!({ id: m.id, value });
    if (m.cmd === 'reset') {
      void (async () => {
        if (inspector !== null) {
          await stopProfile();
          await post('Profiler.enable');
          await post('Profiler.start');
          profiling = true;
        }
        delay.reset();
        cpu0 = process.cpuUsage();
        answer(null);
      })();
    } else if (m.cmd === 'stats') {
      const cpu = process.cpuUsage(cpu0);
      const stats: HostStats = { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024, cpuMs: (cpu.user + cpu.system) / 1000 };
      void stopProfile().then(() => answer(stats));
    } else if (m.cmd === 'heap') {
      answer(process.memoryUsage().heapUsed);
    } else if (m.cmd === 'close') {
      void harness.close().then(() => {
        answer(null);
        process.exit(0);
      });
    }
  });
  // The bench gone (finished or failed): so is its host.
  process.on('disconnect', () => process.exit(0));
  process.send!({ ready: harness.url });
}

interface Host {
  url: string;
  opened: string[];
  reset(): Promise<void>;
  stats(): Promise<HostStats>;
  /** The host's JS heap in use now (bytes). */
  heap(): Promise<number>;
  close(): Promise<void>;
}

async function startHost(dataDir: string, env: Record<string, string>): Promise<Host> {
  const proc: ChildProcess = fork(join(root, 'dist', 'bench', 'run.mjs'), ['__e2e-host', dataDir], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...(TRACE_GC ? { execArgv: [...process.execArgv, '--trace-gc'] } : {}) });
  const waiting = new Map<number, (v: unknown) => void>();
  const opened: string[] = [];
  let next = 0;
  const url = await new Promise<string>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`the harness host exited (${code})`)));
    proc.on('message', (m: { ready?: string; opened?: string; id?: number; value?: unknown }) => {
      if (m.ready !== undefined) resolve(m.ready);
      else if (m.opened !== undefined) opened.push(m.opened);
      else if (m.id !== undefined) {
        waiting.get(m.id)?.(m.value);
        waiting.delete(m.id);
      }
    });
  });
  const ask = <T>(cmd: string): Promise<T> =>
    new Promise((resolve) => {
      const id = ++next;
      waiting.set(id, resolve as (v: unknown) => void);
      proc.send({ id, cmd });
    });
  return { url, opened, reset: () => ask('reset'), stats: () => ask('stats'), heap: () => ask('heap'), close: () => ask<void>('close').then(() => undefined) };
}

// ---------------------------------------------------------------------------------------------
// The counting proxy (a process of its own, as in the sync bench).

interface Counter {
  url: string;
  count(): Promise<number>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

async function countingProxy(target: string): Promise<Counter> {
  const proc = fork(join(root, 'tests', 'bench', 'counting-proxy.mjs'), [target], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, (v: unknown) => void>();
  let next = 0;
  const port = await new Promise<number>((resolve) => {
    proc.on('message', (m: { ready?: number; id?: number; value?: unknown }) => {
      if (m.ready !== undefined) resolve(m.ready);
      else if (m.id !== undefined) {
        waiting.get(m.id)?.(m.value);
        waiting.delete(m.id);
      }
    });
  });
  const ask = <T>(cmd: string): Promise<T> =>
    new Promise((resolve) => {
      const id = ++next;
      waiting.set(id, resolve as (v: unknown) => void);
      proc.send({ id, cmd });
    });
  return { url: `http://127.0.0.1:${port}`, count: () => ask('count'), reset: () => ask('reset'), close: () => ask<void>('close') };
}

// ---------------------------------------------------------------------------------------------
// The browser's processes.


/** The renderer processes of this browser (descendants with --type=renderer). */
function renderers(browserPid: number): number[] {
  const parent = new Map<number, number>();
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  for (const pid of parent.keys()) {
    let p: number | undefined = pid;
    let ours = false;
    for (let k = 0; k < 6 && p !== undefined && p > 1; k++) {
      p = parent.get(p);
      if (p === browserPid) ours = true;
    }
    if (!ours) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) out.push(pid);
    } catch {
      // gone
    }
  }
  return out;
}

/** Peak RSS (VmHWM) of the largest renderer, in MB. */
function rendererPeakMb(browserPid: number): number {
  let best = 0;
  for (const pid of renderers(browserPid)) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m !== null) best = Math.max(best, Number(m[1]) / 1024);
    } catch {
      // gone
    }
  }
  return best;
}

/** The renderer's RSS now (VmRSS of its processes), in MB. */
function rendererRssMb(browserPid: number): number {
  let sum = 0;
  for (const pid of renderers(browserPid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m !== null) sum += Number(m[1]) / 1024;
    } catch {
      // gone
    }
  }
  return sum;
}

/**
 * With CARDINAL_BENCH_LOG: what the page holds, its JS heap (used / allocated) beside its RSS, and
 * with `collect` the same after a full garbage collection (what is still held, not yet collected).
 */
async function memoryNow(page: Page, browserPid: number, what: string, collect = false): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const line = async () => {
    const h = await cdp.send('Runtime.getHeapUsage');
    return `JS heap ${Math.round(h.usedSize / 2 ** 20)} of ${Math.round(h.totalSize / 2 ** 20)} MB, RSS ${Math.round(rendererRssMb(browserPid))} MB (the largest renderer's peak ${Math.round(rendererPeakMb(browserPid))} MB, since the last memory dump, which resets it)`;
  };
  console.log(`    [${what}: ${await line()}]`);
  await nativeMemory(page, browserPid);
  if (collect) {
    await cdp.send('HeapProfiler.collectGarbage');
    console.log(`    [${what}, after a full GC: ${await line()}]`);
    await nativeMemory(page, browserPid);
  }
  await cdp.detach();
}

/** How long the heaps must go without a collection before the sync with nothing to do; at most how long to wait. */
const QUIET_MS = 20_000;
const QUIET_WAIT_MS = 60_000;

/**
 * Until neither the page's JS heap nor the host's has shrunk (a collection, by more than 1 MB) for
 * QUIET_MS: after a first sync V8 collects again on its own timers (its memory reducer, 8 s and
 * more after a full collection, then again; 13 s in one run at load 7), a whole-heap collection
 * each, whose cost follows the heap's size. Measured right after the first sync, the sync with nothing to do counted those
 * (they came while it waited for the server: CARDINAL_BENCH_TRACE_GC shows them). A sync every
 * quarter of an hour meets a settled heap.
 */
async function heapsQuiet(page: Page, host: Host): Promise<{ waitedMs: number; quiet: boolean }> {
  const cdp = await page.context().newCDPSession(page);
  const t0 = clock.now();
  let lastDrop = t0;
  let before: [number, number] | null = null;
  try {
    for (;;) {
      const now: [number, number] = [(await cdp.send('Runtime.getHeapUsage')).usedSize, await host.heap()];
      const t = clock.now();
      if (before !== null && (now[0] < before[0] - 2 ** 20 || now[1] < before[1] - 2 ** 20)) lastDrop = t;
      before = now;
      if (t - lastDrop >= QUIET_MS) return { waitedMs: t - t0, quiet: true };
      if (t - t0 >= QUIET_WAIT_MS) return { waitedMs: t - t0, quiet: false };
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await cdp.detach();
  }
}

/**
 * With CARDINAL_BENCH_LOG: where the renderer's memory is outside its JS heap too, by Chromium's own
 * memory dump (the memory-infra trace category: each allocator's size, as chrome://tracing shows
 * it), for the largest renderer: its RSS, the top-level allocators, and the largest ones below them.
 */
async function nativeMemory(page: Page, browserPid: number): Promise<void> {
  const browser = page.context().browser();
  if (browser === null) return;
  const cdp = await browser.newBrowserCDPSession();
  const events: { ph?: string; pid?: number; args?: { dumps?: { allocators?: Record<string, { attrs?: { size?: { value?: string } } }>; process_totals?: { peak_resident_set_size?: string; private_footprint_bytes?: string } } } }[] = [];
  cdp.on('Tracing.dataCollected', (e: { value: typeof events }) => void events.push(...e.value));
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  try {
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['disabled-by-default-memory-infra'], excludedCategories: ['*'], memoryDumpConfig: { triggers: [] } }, transferMode: 'ReportEvents' } as never);
    await cdp.send('Tracing.requestMemoryDump', { deterministic: true, levelOfDetail: 'detailed' } as never);
    await cdp.send('Tracing.end');
    await done;
  } catch (e) {
    console.log(`    [no memory dump: ${(e as Error).message}]`);
    await cdp.detach();
    return;
  }
  await cdp.detach();
  const ours = new Set(renderers(browserPid));
  const mbOf = (hex: string | undefined) => (hex === undefined ? 0 : parseInt(hex, 16) / 2 ** 20);
  // A process's dump comes in several events: its totals in one, its allocators in others.
  const byPid = new Map<number, { peak: number; footprint: number; allocators: Map<string, number> }>();
  for (const ev of events) {
    const dumps = ev.args?.dumps;
    if (ev.ph !== 'v' || dumps === undefined || ev.pid === undefined || !ours.has(ev.pid)) continue;
    let p = byPid.get(ev.pid);
    if (p === undefined) byPid.set(ev.pid, (p = { peak: 0, footprint: 0, allocators: new Map() }));
    if (dumps.process_totals !== undefined) {
      p.peak = mbOf(dumps.process_totals.peak_resident_set_size);
      p.footprint = mbOf(dumps.process_totals.private_footprint_bytes);
    }
    for (const [name, a] of Object.entries(dumps.allocators ?? {})) p.allocators.set(name, mbOf(a.attrs?.size?.value));
  }
  let best: { pid: number; peak: number; footprint: number; allocators: Map<string, number> } | null = null;
  for (const [pid, p] of byPid) if (best === null || p.footprint > best.footprint) best = { pid, ...p };
  if (best === null) {
    console.log('    [no memory dump of the renderer]');
    return;
  }
  const fmt = (xs: [string, number][]) => xs.map(([n, v]) => `${n} ${Math.round(v)}`).join(', ');
  const top = [...best.allocators].filter(([n, v]) => !n.includes('/') && v >= 1).sort((a, b) => b[1] - a[1]);
  const below = [...best.allocators].filter(([n, v]) => n.split('/').length === 2 && v >= 5).sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(`    [renderer ${best.pid} memory dump: private footprint ${Math.round(best.footprint)} MB, peak RSS ${Math.round(best.peak)} MB; by allocator (MB): ${fmt(top)}]`);
  console.log(`    [  below them (MB): ${fmt(below)}]`);
}

/** CPU time of every renderer so far, in ms. */
function rendererCpuMs(browserPid: number): number {
  const tick = 1000 / 100; // USER_HZ
  let sum = 0;
  for (const pid of renderers(browserPid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      sum += (Number(f[11]) + Number(f[12])) * tick;
    } catch {
      // gone
    }
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------
// In the page.

/**
 * From the next page load on: each store request `applyRemote` (one batch of up to 500 cards),
 * from its arrival on the bridge's WebSocket to the reply sent, in `window.applyBatches` (ms).
 */
async function recordApplyBatches(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { applyBatches: { at: number; ms: number }[] };
    w.applyBatches = [];
    const started = new Map<number, number>();
    const head = /^\{"type":"store-request","id":(\d+),"name":"applyRemote"/;
    const reply = /^\{"type":"store-reply","id":(\d+),/;
    const add = WebSocket.prototype.addEventListener;
    WebSocket.prototype.addEventListener = function (this: WebSocket, type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) {
      if (type !== 'message' || typeof listener !== 'function') return add.call(this, type, listener, options);
      const wrapped = (event: Event) => {
        const data = (event as MessageEvent).data;
        if (typeof data === 'string') {
          const m = head.exec(data.slice(0, 80));
          if (m !== null) started.set(Number(m[1]), performance.now());
        }
        listener.call(this, event);
      };
      return add.call(this, type, wrapped, options);
    } as typeof WebSocket.prototype.addEventListener;
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      if (typeof data === 'string') {
        const m = reply.exec(data.slice(0, 60));
        const t0 = m === null ? undefined : started.get(Number(m[1]));
        if (t0 !== undefined) {
          started.delete(Number(m![1]));
          w.applyBatches.push({ at: t0, ms: performance.now() - t0 });
        }
      }
      return send.call(this, data);
    };
  });
}

/** Resolves (page time) when the list's count says `size` contacts. */
function listHolds(page: Page, size: number): Promise<number> {
  const text = `${size.toLocaleString('en-GB')} contacts`;
  return page
    .waitForFunction((text) => (document.querySelector('.list-count')?.textContent?.trim() === text ? performance.now() : false), text, { polling: 50, timeout: 1_800_000 })
    .then((h) => h.jsonValue() as Promise<number>);
}

/** The raw write: the app's own contact and card rows, read out, written into a database with primary keys only, one transaction. */
async function rawIndexedDbWrite(page: Page): Promise<{ ms: number; rows: number }> {
  return page.evaluate(async () => {
    const req = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const app = await req(indexedDB.open('cardinal'));
    const read = app.transaction(['contacts', 'cards'], 'readonly');
    const contacts = await req(read.objectStore('contacts').getAll());
    const cards = await req(read.objectStore('cards').getAll());
    app.close();
    await req(indexedDB.deleteDatabase('bench-raw'));
    const open = indexedDB.open('bench-raw', 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore('contacts', { keyPath: 'id' });
      open.result.createObjectStore('cards', { keyPath: 'id' });
    };
    const raw = await req(open);
    const t0 = performance.now();
    const tx = raw.transaction(['contacts', 'cards'], 'readwrite', { durability: 'default' });
    const c = tx.objectStore('contacts');
    const k = tx.objectStore('cards');
    for (const r of contacts) c.put(r);
    for (const r of cards) k.put(r);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    const ms = performance.now() - t0;
    raw.close();
    await req(indexedDB.deleteDatabase('bench-raw'));
    return { ms, rows: contacts.length };
  });
}

// ---------------------------------------------------------------------------------------------

const LOG = process.env.CARDINAL_BENCH_LOG === '1';
/** With CARDINAL_BENCH_LOG=1: when a step was seen, from the start. */
function trace(page: Page, start: number, what: string): void {
  if (LOG) void page.evaluate(() => performance.now()).then((now) => console.log(`    [${new Date().toISOString().slice(11, 23)}: ${Math.round(now - start)} ms] ${what}`), () => {});
}

interface Scenario {
  label: string;
  size: number;
  /** Adds the account; resolves with the page time the clock starts at. */
  add(page: Page, host: Host): Promise<number>;
  /** The server's one-request limit (ms). */
  limit(): Promise<number>;
  counter: Counter;
}

interface Result {
  totalMs: number;
  limitServer: number;
  limitIdb: number;
  host: HostStats;
  longestTask: number;
  longTasks: number;
  rendererMb: number;
  batches: number[];
  /** When the first batch arrived and the last was answered, from the start (ms). */
  batchSpan: [number, number] | null;
  /** `idleMs`: the renderer's CPU over as long a window with nothing happening (counted in `cpuMs`). */
  noChange: { requests: number; cpuMs: number; hostCpuMs: number; wallMs: number; idleMs: number };
}

/**
 * With CARDINAL_BENCH_PROFILE=<prefix>: the page's CPU profile (Chrome DevTools' .cpuprofile) of
 * the first sync and of the sync with nothing to do, written to <prefix>.sync.cpuprofile and
 * <prefix>.nochange.cpuprofile (the profiler's own cost is in those runs' figures).
 */
const PROFILE = process.env.CARDINAL_BENCH_PROFILE;

async function profiled(page: Page): Promise<(name: string) => Promise<void>> {
  if (PROFILE === undefined) return async () => {};
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  return async (name) => {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(`${PROFILE}.${name}.cpuprofile`, JSON.stringify(profile));
    await cdp.detach();
  };
}

/**
 * With CARDINAL_BENCH_TRACE_GC=1: V8's line for each garbage collection, with its reason, from the
 * host (its stdout) and the page (`--js-flags=--trace-gc`; Playwright prints the browser's output
 * with DEBUG=pw:browser), between lines that mark the sync with nothing to do.
 */
const TRACE_GC = process.env.CARDINAL_BENCH_TRACE_GC === '1';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...(TRACE_GC ? ['--js-flags=--trace-gc'] : [])];

async function measure(s: Scenario, env: Record<string, string>): Promise<Result> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cardinal-bench-e2e-'));
  const host = await startHost(dataDir, env);
  // A browser of its own: its only renderer is this page's, its peak RSS this run's.
  const tag = `--cardinal-bench=${process.pid}-${Date.now()}`;
  const browser: Browser = await chromium.launch({ executablePath: process.env.CARDINAL_CHROMIUM ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, tag] });
  const browserPid = browserProcess(tag);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    await recordLongTasks(page);
    await recordApplyBatches(page);
    await page.goto(host.url);
    await page.getByRole('main').waitFor();
    // The limit first (best of three before the app's sync and three after): the first request
    // also fills the server's cache, which the app then finds warm too, as a user's server is.
    const limits: number[] = [];
    for (let k = 0; k < 3; k++) limits.push(await s.limit());
    await host.reset();
    const stopProfile = await profiled(page);
    const start = await s.add(page, host);
    if (LOG) {
      void page.getByTestId('sync-status').filter({ hasText: 'Synced' }).waitFor({ timeout: 1_800_000 }).then(() => trace(page, start, 'status: Synced'), () => {});
    }
    const done = await listHolds(page, s.size);
    trace(page, start, 'list holds all');
    await stopProfile('sync');
    const hostStats = await host.stats();
    const totalMs = done - start;
    await page.waitForTimeout(300); // the long-task observer reports after the task
    const { tasks, batches, batchSpan } = await page.evaluate((start) => {
      const w = window as unknown as { longTasks: { start: number; ms: number }[]; applyBatches: { at: number; ms: number }[] };
      const b = w.applyBatches;
      return { tasks: w.longTasks.filter((t) => t.start + t.ms > start).map((t) => t.ms), batches: b.map((x) => x.ms), batchSpan: b.length === 0 ? null : ([b[0]!.at - start, b.at(-1)!.at + b.at(-1)!.ms - start] as [number, number]) };
    }, start);
    const rendererMb = rendererPeakMb(browserPid);
    if (LOG) {
      // The tasks over 100 ms, each with the long animation frame it fell in: what ran in it.
      const long = await page.evaluate((start) => {
        const w = window as unknown as { longTasks: { start: number; ms: number }[]; longFrames: LongFrame[] };
        return w.longTasks
          .filter((t) => t.start + t.ms > start && t.ms > 100)
          .map((t) => ({ at: t.start - start, ms: t.ms, frames: w.longFrames.filter((f) => f.start < t.start + t.ms && f.start + f.ms > t.start) }));
      }, start);
      for (const t of long) {
        console.log(`    [long task at ${Math.round(t.at)} ms: ${Math.round(t.ms)} ms]`);
        for (const f of t.frames) console.log(`      frame ${Math.round(f.ms)} ms (style and layout ${Math.round(f.layout)}): ${f.scripts.map((x) => `${x.invoker} ${x.source} ${x.ms} ms`).join('; ') || 'no script'}`);
      }
      await memoryNow(page, browserPid, 'memory when the list holds all');
    }

    // Settle (the sync's last writes, the search index), then a sync with nothing to do.
    await page.getByTestId('sync-status').filter({ hasText: 'Synced' }).waitFor({ timeout: 600_000 });
    await page.waitForTimeout(2000);
    if (LOG) await memoryNow(page, browserPid, 'memory once synced and settled', true);
    const quiet = await heapsQuiet(page, host);
    if (LOG) console.log(`    [the heaps of page and host went ${QUIET_MS / 1000} s without a collection ${Math.round(quiet.waitedMs)} ms on${quiet.quiet ? '' : ' (not quiet: waited as long as allowed)'}]`);
    // The page's own CPU while nothing happens, over as long as the sync's window below (its
    // wall time is about a second, plus the 2.5 s after): what the renderer costs idle.
    if (TRACE_GC) console.log(`    [${new Date().toISOString().slice(11, 23)} the idle window begins]`);
    const idle0 = rendererCpuMs(browserPid);
    const idleT0 = clock.now();
    await page.waitForTimeout(3500);
    const idlePerMs = (rendererCpuMs(browserPid) - idle0) / (clock.now() - idleT0);
    await s.counter.reset();
    await host.reset();
    const stopQuietProfile = await profiled(page);
    const r0 = rendererCpuMs(browserPid);
    const t0 = clock.now();
    if (TRACE_GC) console.log(`    [${new Date().toISOString().slice(11, 23)} the sync with nothing to do begins]`);
    await page.evaluate(() => window.cardinal.syncNow(null));
    const wallMs = clock.now() - t0;
    if (TRACE_GC) console.log(`    [${new Date().toISOString().slice(11, 23)} the sync with nothing to do ended]`);
    // What the window does once told (a list snapshot is saved 1.5 s after the list changed) counts too.
    await page.waitForTimeout(2500);
    if (TRACE_GC) console.log(`    [${new Date().toISOString().slice(11, 23)} its window ends]`);
    await stopQuietProfile('nochange');
    const hostAfter = await host.stats();
    const noChange = { requests: await s.counter.count(), cpuMs: hostAfter.cpuMs + rendererCpuMs(browserPid) - r0, hostCpuMs: hostAfter.cpuMs, wallMs, idleMs: idlePerMs * (clock.now() - t0) };

    const idb: number[] = [];
    for (let k = 0; k < 3; k++) idb.push((await rawIndexedDbWrite(page)).ms);
    for (let k = 0; k < 3; k++) limits.push(await s.limit());
    await context.close();
    return {
      totalMs,
      limitServer: Math.min(...limits),
      limitIdb: Math.min(...idb),
      host: hostStats,
      longestTask: Math.max(0, ...tasks),
      longTasks: tasks.filter((t) => t > 100).length,
      rendererMb,
      batches,
      batchSpan,
      noChange,
    };
  } finally {
    await browser.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * curl's own clock for one request (request sent to last byte read). Asynchronous: the fake Google
 * answers from this process.
 */
function curl(args: readonly string[]): Promise<{ ms: number; body: string }> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-s', '-w', '\n%{time_total}', ...args], { encoding: 'utf8', maxBuffer: 1 << 30 }, (error, stdout, stderr) => {
      const nl = stdout.lastIndexOf('\n');
      const ms = Number(stdout.slice(nl + 1).trim()) * 1000;
      if (error !== null || !Number.isFinite(ms)) reject(new Error(`curl failed: ${String(error)} ${stderr}`));
      else resolve({ ms, body: stdout.slice(0, nl) });
    });
  });
}

const SYNC_ALL =
  '<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/><card:address-data/></d:prop></d:sync-collection>';

async function radicale(size: number): Promise<Result> {
  const server = await startRadicale();
  const counter = await countingProxy(server.baseUrl.replace(/\/$/, ''));
  try {
    await server.seed(Array.from({ length: size }, (_, i) => ({ file: `seed-${i}.vcf`, vcard: generateCard(i) })));
    return await measure(
      {
        label: 'Radicale',
        size,
        counter,
        add: async (page) => {
          await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
          await page.getByRole('menuitem', { name: 'CardDAV server…' }).click();
          await page.getByLabel('Server address or e-mail').fill(`${counter.url}/`);
          await page.getByLabel('User name').fill(server.user);
          await page.getByLabel('Password').fill(server.password);
          const start = await page.evaluate(() => performance.now());
          await page.getByRole('button', { name: 'Connect' }).click();
          await page.getByRole('checkbox', { name: 'Contacts' }).waitFor();
          trace(page, start, 'books found');
          await page.getByRole('dialog').getByRole('button', { name: 'Add account' }).click();
          return start;
        },
        limit: async () => (await curl(['-o', '/dev/null', '-u', `${server.user}:${server.password}`, '-X', 'REPORT', '-H', 'Depth: 1', '-H', 'Content-Type: application/xml', '--data', SYNC_ALL, server.addressBookUrl])).ms,
      },
      {},
    );
  } finally {
    await counter.close();
    await server.stop();
  }
}

async function google(size: number): Promise<Result> {
  const fake = await startFakeGoogle();
  const counter = await countingProxy(fake.url);
  const work = mkdtempSync(join(tmpdir(), 'cardinal-bench-google-'));
  try {
    for (let i = 0; i < size; i++) fake.put(`seed${i}`, generateCard(i));
    const env = { ...fake.env, CARDINAL_GOOGLE_CARDDAV_URL: `${counter.url}/.well-known/carddav` };
    return await measure(
      {
        label: 'fake Google',
        size,
        counter,
        add: async (page, host) => {
          await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
          await page.getByRole('menuitem', { name: 'Google account…' }).click();
          const before = host.opened.length;
          await page.getByRole('button', { name: 'Sign in with Google' }).click();
          const deadline = Date.now() + 30_000;
          let consentUrl: string | undefined;
          while ((consentUrl = host.opened.slice(before).find((u) => u.startsWith(`${fake.url}/o/oauth2/v2/auth`))) === undefined) {
            if (Date.now() > deadline) throw new Error('no consent URL');
            await page.waitForTimeout(50);
          }
          const consent = await page.context().newPage();
          await consent.goto(consentUrl);
          const start = await page.evaluate(() => performance.now());
          await consent.getByRole('button', { name: 'Allow' }).click();
          await consent.getByText('You can close this tab').waitFor();
          await consent.close();
          return start;
        },
        limit: async () => {
          // Google's sync-collection refuses an empty token: the least is a listing and one multiget of everything.
          const auth = ['-H', `Authorization: Bearer ${fake.mintAccessToken()}`];
          const book = `${fake.url}${fake.bookPath()}`;
          const listing = await curl([...auth, '-X', 'PROPFIND', '-H', 'Depth: 1', '-H', 'Content-Type: application/xml', '--data', '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>', book]);
          const hrefs = [...listing.body.matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/g)].map((m) => m[1]!).filter((h) => h !== fake.bookPath());
          const body = `<?xml version="1.0"?><card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/></d:prop>${hrefs.map((h) => `<d:href>${h}</d:href>`).join('')}</card:addressbook-multiget>`;
          const file = join(work, 'multiget.xml');
          writeFileSync(file, body);
          const multiget = await curl([...auth, '-o', '/dev/null', '-X', 'REPORT', '-H', 'Depth: 1', '-H', 'Content-Type: application/xml', '--data-binary', `@${file}`, book]);
          return listing.ms + multiget.ms;
        },
      },
      env,
    );
  } finally {
    await counter.close();
    await fake.close();
    rmSync(work, { recursive: true, force: true });
  }
}

export async function runE2eSyncBench(sizes: readonly number[] = [10_000], googleSize = 10_000): Promise<void> {
  const n = (x: number) => Math.round(x).toLocaleString('en');
  const browser = await chromium.launch({ executablePath: process.env.CARDINAL_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const version = browser.version();
  await browser.close();
  console.log(`\nEnd-to-end sync — the harness in Chromium ${version}, host in its own Node ${process.version}; "Connect" → the list holds every contact`);
  const print = (label: string, size: number, r: Result) => {
    const limit = r.limitServer + r.limitIdb;
    const first = r.batches[0];
    const last = r.batches.at(-1);
    console.log(`  ${label}, ${n(size)} cards:`);
    console.log(`    total ${n(r.totalMs)} ms; limit ${n(limit)} ms (server's one request ${n(r.limitServer)} + raw IndexedDB write ${n(r.limitIdb)}): ${(r.totalMs / limit).toFixed(2)}×   (goal 1.3×)`);
    console.log(`    host event-loop delay p50 ${r.host.p50.toFixed(0)} / p99 ${r.host.p99.toFixed(0)} / max ${r.host.max.toFixed(0)} ms   (goal p99 < 50 ms)`);
    console.log(`    renderer's longest task ${n(r.longestTask)} ms, ${r.longTasks} over 100 ms   (goal: none over 100 ms)`);
    console.log(`    peak RSS host ${n(r.host.maxRssMb)} MB, renderer ${n(r.rendererMb)} MB   (goal at 50,000: 300 / 400 MB)`);
    console.log(`    ${r.batches.length} batches applied; first ${first === undefined ? '—' : n(first)} ms, last ${last === undefined ? '—' : n(last)} ms, slowest ${n(Math.max(0, ...r.batches))} ms   (goal: last ≈ first)`);
    if (r.batchSpan !== null) console.log(`    the first batch arrived ${n(r.batchSpan[0])} ms after the start, the last was applied at ${n(r.batchSpan[1])} ms; the batches took ${n(r.batches.reduce((a, b) => a + b, 0))} ms together`);
    console.log(`    nothing to do: ${r.noChange.requests} request(s), client CPU ${n(r.noChange.cpuMs)} ms (host ${n(r.noChange.hostCpuMs)}; the idle page's own over the same time ${n(r.noChange.idleMs)}), ${n(r.noChange.wallMs)} ms   (goal: 1 request, < 100 ms)`);
  };
  for (const size of sizes) print('Radicale', size, await radicale(size));
  if (googleSize > 0) print('fake Google', googleSize, await google(googleSize));
  console.log(`  load average after the run: ${loadavg().map((x) => x.toFixed(1)).join(', ')} on ${cpus().length} cores`);
}
