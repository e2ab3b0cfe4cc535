/**
 * CPU profiles of a page and of its dedicated workers, for the benchmarks that take
 * CARDINAL_BENCH_PROFILE=<prefix> (Chrome DevTools' .cpuprofile files; open them in DevTools'
 * Performance panel, or read the hottest functions printed). A worker is reached through the
 * page's target (Target.setAutoAttach, messages relayed by Target.sendMessageToTarget): Playwright
 * gives CDP sessions for pages and frames only. A worker the app terminates would take its profile
 * with it, so while profiling, `Worker.prototype.terminate` only parks the worker until the
 * profile is taken (`holdWorkers` before the page loads).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { CDPSession, Page } from '@playwright/test';

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

/** The functions with the most self time (and their callers), idle and the profiler's own left out. */
export function hottest(profile: CpuProfile, top = 20): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id: number | undefined) => {
    const f = id === undefined ? undefined : byId.get(id)?.callFrame;
    return f === undefined ? '' : `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const key = `${name(id)}  ← ${name(parent.get(id))}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
  });
  return [...self].filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)')).sort((a, b) => b[1] - a[1]).slice(0, top);
}

/** Milliseconds the profile's thread was busy (every sample but idle). */
export function busyMs(profile: CpuProfile): number {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  let ms = 0;
  (profile.samples ?? []).forEach((id, i) => {
    if (!idle.has(id)) ms += (profile.timeDeltas?.[i] ?? 0) / 1000;
  });
  return ms;
}

/** Before the page loads: the app's workers are parked, not terminated, while a profile runs. */
export async function holdWorkers(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const held: Worker[] = [];
    const terminate = Worker.prototype.terminate;
    (window as unknown as { endHeldWorkers: () => void }).endHeldWorkers = () => {
      for (const w of held.splice(0)) terminate.call(w);
    };
    Worker.prototype.terminate = function (this: Worker) {
      this.onmessage = null;
      held.push(this);
    };
  });
}

interface Target {
  sessionId: string;
  url: string;
  send: (method: string, params?: object) => Promise<unknown>;
}

/**
 * Profile the page and every worker it starts from now on. The returned function stops them all,
 * writes <prefix>.<name>.page.cpuprofile and <prefix>.<name>.worker-<n>.cpuprofile, prints each
 * thread's busy time and hottest functions, and terminates the held workers.
 */
export async function profileAll(page: Page, prefix: string, interval = 500): Promise<(name: string) => Promise<void>> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const workers: Target[] = [];
  let next = 0;
  const waiting = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: unknown };
    if (m.id !== undefined) waiting.get(m.id)?.(m);
    if (m.id !== undefined) waiting.delete(m.id);
  });
  cdp.on('Target.attachedToTarget', (e) => {
    const { sessionId, targetInfo, waitingForDebugger } = e;
    const send = (method: string, params: object = {}) =>
      new Promise<unknown>((resolve, reject) => {
        const id = ++next;
        waiting.set(id, (m) => (m.error !== undefined ? reject(new Error(JSON.stringify(m.error))) : resolve(m.result)));
        void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
      });
    const target = { sessionId, url: targetInfo.url, send };
    workers.push(target);
    void (async () => {
      await send('Profiler.enable');
      await send('Profiler.setSamplingInterval', { interval });
      await send('Profiler.start');
      if (waitingForDebugger) await send('Runtime.runIfWaitingForDebugger');
    })();
  });
  // Workers wait for the profiler before their first line (waitForDebuggerOnStart).
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval });
  await cdp.send('Profiler.start');
  return async (name) => {
    const report = (what: string, file: string, profile: CpuProfile) => {
      writeFileSync(file, JSON.stringify(profile));
      console.log(`\n  profile ${what}: busy ${(busyMs(profile) / 1000).toFixed(2)} s of ${((profile.endTime - profile.startTime) / 1e6).toFixed(2)} s (${file}); hottest (self time):`);
      for (const [fn, ms] of hottest(profile, 15)) console.log(`    ${ms.toFixed(0).padStart(7)} ms  ${fn}`);
    };
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    report(`${name}, the window's thread`, `${prefix}.${name}.page.cpuprofile`, profile);
    for (const [i, w] of workers.entries()) {
      try {
        const { profile: p } = (await w.send('Profiler.stop')) as { profile: CpuProfile };
        report(`${name}, worker ${i + 1} (${w.url.split('/').pop()})`, `${prefix}.${name}.worker-${i + 1}.cpuprofile`, p);
      } catch (e) {
        console.log(`  profile ${name}, worker ${i + 1}: none (${(e as Error).message})`);
      }
    }
    await cdp.send('Target.setAutoAttach', { autoAttach: false, waitForDebuggerOnStart: false, flatten: false });
    await cdp.detach();
    await page.evaluate(() => (window as unknown as { endHeldWorkers?: () => void }).endHeldWorkers?.());
  };
}

/** The browser's process launched with `tag` among its arguments. */
export function browserPid(tag: string): number {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (cmd.includes(tag) && !cmd.some((a) => a.startsWith('--type='))) return Number(name);
    } catch {
      // gone
    }
  }
  throw new Error('the browser process was not found');
}

/**
 * CPU time (ms) so far of a browser and its descendants, by kind: `browser`, `renderer`, and the
 * utilities by sub-type (`storage`: where IndexedDB's backend runs, when it runs there).
 */
export function cpuByProcess(browser: number): Record<string, number> {
  const parent = new Map<number, number>();
  const stats = new Map<number, { ms: number; kind: string }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(f[1]));
      // Chromium rewrites its children's command lines into one string (spaces, not NULs).
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split(/[\0 ]/);
      const type = cmd.find((a) => a.startsWith('--type='))?.slice(7) ?? 'browser';
      const sub = cmd.find((a) => a.startsWith('--utility-sub-type='))?.slice(19).split('.')[0];
      stats.set(Number(name), { ms: (Number(f[11]) + Number(f[12])) * 10, kind: type === 'utility' && sub !== undefined ? sub : type });
    } catch {
      // gone
    }
  }
  const out: Record<string, number> = {};
  for (const [pid, s] of stats) {
    let p: number | undefined = pid;
    while (p !== undefined && p !== browser && p > 1) p = parent.get(p);
    if (p === browser) out[s.kind] = (out[s.kind] ?? 0) + s.ms;
  }
  return out;
}

/** What each kind of process spent between two `cpuByProcess` readings, as "renderer 1.2 s, …". */
export function cpuSpent(before: Record<string, number>, after: Record<string, number>): string {
  return Object.keys(after)
    .map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)] as const)
    .filter(([, ms]) => ms >= 50)
    .sort((a, b) => b[1] - a[1])
    .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
    .join(', ');
}
