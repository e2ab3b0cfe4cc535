/**
 * Sync benchmark: Cardinal's engine beside tsdav (npm) and vdirsyncer (Debian), in one run, against
 * the same Radicale server holding the same generated cards. Every client talks through one counting
 * proxy, so request counts are measured the same way for all. For each book size: the initial sync
 * (best of three), a sync with nothing changed, and a sync after 10 server-side changes; wall time,
 * client CPU time and requests. The server's own limit is one REPORT of everything (curl, address
 * data included; best of six).
 *
 * Cardinal's figures are the engine's (HTTP, XML, vCard handling, merge bookkeeping) into a memory
 * store; writing to IndexedDB in the renderer is measured by the book benchmark.
 */
import { execFileSync, fork, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDAVClient } from 'tsdav';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { syncAddressBook } from '../../electron/sync/engine';
import { MemoryCollection } from '../integration/memory-collection';
import { startRadicale, type TestServer } from '../servers/servers';
import { generateCard } from './corpus';

interface Figure {
  wallMs: number;
  cpuMs: number;
  requests: number;
}

interface Proxy {
  url: string;
  count: () => Promise<number>;
  reset: () => Promise<void>;
  /** Keep every answer from now on, keyed by method, path and request body. */
  record: (on: boolean) => Promise<void>;
  /** Answer from what was recorded instead of the server (a server with no cost of its own). */
  replay: (on: boolean) => Promise<void>;
  /** Requests asked while replaying that were never recorded (they went to the server). */
  misses: () => Promise<number>;
  close: () => Promise<void>;
}

/**
 * The counting proxy (`counting-proxy.mjs`) in a child process: it forwards to the server and counts
 * requests (one count for every client, the same way), and can record the server's answers and
 * replay them: the "fast server" figures are each client's own requests answered at once from
 * memory, so what remains is the client's cost. Being another process, its work is charged to
 * none of the clients measured here.
 */
async function countingProxy(target: string): Promise<Proxy> {
  const proc = fork(join(process.cwd(), 'tests', 'bench', 'counting-proxy.mjs'), [target], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
  const ask = <T>(cmd: string, extra: Record<string, unknown> = {}): Promise<T> =>
    new Promise((resolve) => {
      const id = ++next;
      waiting.set(id, resolve as (v: unknown) => void);
      proc.send({ id, cmd, ...extra });
    });
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => ask<number>('count'),
    reset: () => ask<void>('reset'),
    record: (on) => ask<void>('record', { on }),
    replay: (on) => ask<void>('replay', { on }),
    misses: () => ask<number>('misses'),
    close: () => ask<void>('close'),
  };
}

/** Time an in-process client: wall clock and this process's CPU (the proxy's share is tiny). */
async function inProcess(proxy: Pick<Proxy, 'count' | 'reset'>, fn: () => Promise<unknown>): Promise<Figure> {
  await proxy.reset();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, requests: await proxy.count() };
}

/** Run a shell command without blocking this process. */
function shell(cmd: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('bash', ['-c', cmd]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', () => resolve({ stdout, stderr }));
  });
}

/** Time a child process: wall clock and the child's own CPU (bash's `times`). */
async function child(proxy: Pick<Proxy, 'count' | 'reset'>, cmd: string, run: (fig: Figure) => void): Promise<void> {
  await proxy.reset();
  const t0 = performance.now();
  const out = await shell(`${cmd} >/dev/null 2>&1; echo "rc=$?"; times`);
  const wallMs = performance.now() - t0;
  // `times` prints the shell's then its children's user and system time: "0m1.234s 0m0.100s".
  const lines = out.stdout.trim().split('\n');
  const rc = /rc=(\d+)/.exec(out.stdout)?.[1];
  if (rc !== '0') throw new Error(`${cmd} failed (${rc}): ${out.stdout}${out.stderr}`);
  const secs = (lines[lines.length - 1] ?? '').split(/\s+/).map((x) => {
    const m = /(\d+)m([\d.]+)s/.exec(x);
    return m === null ? 0 : Number(m[1]) * 60 + Number(m[2]);
  });
  run({ wallMs, cpuMs: (secs[0]! + secs[1]!) * 1000, requests: await proxy.count() });
}

function hasCommand(cmd: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${cmd}`]).status === 0;
}

async function changeTen(server: TestServer, size: number, round: number): Promise<void> {
  const auth = { kind: 'basic' as const, user: server.user, password: server.password };
  const c = new CardDavClient(new DavHttp({ auth }));
  for (let i = 0; i < 10; i++) {
    const url = new URL(`seed-${(i * 97 + round) % size}.vcf`, server.addressBookUrl).href;
    const cur = await c.get(url);
    await c.put(url, cur.vcard.replace(/^NOTE:.*$/m, `NOTE:changed in round ${round}`).replace(/^(FN:.*)$/m, `$1 r${round}`), { ifMatch: cur.etag });
  }
}

/** Initial syncs measured per client; the best is kept. */
const INITIAL_RUNS = 3;

const better = (a: Figure | undefined, b: Figure): Figure => (a === undefined || b.wallMs < a.wallMs ? b : a);

export async function runSyncBench(sizes: readonly number[] = [1_000, 10_000]): Promise<void> {
  const vdir = hasCommand('vdirsyncer') && process.env.CARDINAL_BENCH_VDIRSYNCER !== '0';
  if (!vdir) console.log(hasCommand('vdirsyncer') ? '\nvdirsyncer skipped (CARDINAL_BENCH_VDIRSYNCER=0): its columns stay empty.' : '\nvdirsyncer is not installed: its columns stay empty (sudo apt-get install vdirsyncer).');
  console.log(`\nSync — Radicale ${execFileSync('radicale', ['--version'], { encoding: 'utf8' }).trim()} on 127.0.0.1, Node ${process.version}; wall ms / client CPU ms / requests`);
  console.log(`${'scenario'.padEnd(30)}${'Cardinal'.padStart(22)}${'tsdav'.padStart(22)}${'vdirsyncer'.padStart(22)}${'server limit'.padStart(16)}`);
  const cell = (f: Figure | undefined) => (f === undefined ? '—' : `${Math.round(f.wallMs)} / ${Math.round(f.cpuMs)} / ${f.requests}`).padStart(22);

  for (const size of sizes) {
    const server = await startRadicale();
    const proxy = await countingProxy(server.baseUrl.replace(/\/$/, ''));
    const work = mkdtempSync(join(tmpdir(), 'cardinal-syncbench-'));
    try {
      await server.seed(Array.from({ length: size }, (_, i) => ({ file: `seed-${i}.vcf`, vcard: generateCard(i) })));
      const bookUrl = new URL(new URL(server.addressBookUrl).pathname, proxy.url).href;

      // The server's limit: one REPORT with every card's data, by curl, the best of three before the
      // clients and three after (the first also fills Radicale's cache, which the clients then find
      // warm too); straight to the server, and through the counting proxy the clients use (it
      // buffers each response).
      const report = async (base: string): Promise<number> => {
        let best = Infinity;
        const body =
          '<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/><card:address-data/></d:prop></d:sync-collection>';
        const url = new URL(new URL(server.addressBookUrl).pathname, base).href;
        for (let i = 0; i < 3; i++) {
          // curl's own clock (request sent to last byte read), run synchronously: spawned
          // asynchronously from this process in a background job, curl was seen taking 0.8 s for
          // what it does in 0.2 s in the foreground.
          const out = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{time_total}', '-u', `${server.user}:${server.password}`, '-X', 'REPORT', '-H', 'Depth: 1', '-H', 'Content-Type: application/xml', '--data', body, url], { encoding: 'utf8' });
          const ms = Number(out.stdout.trim()) * 1000;
          if (out.status !== 0 || !Number.isFinite(ms)) throw new Error(`curl failed (${out.status}): ${out.stderr}`);
          best = Math.min(best, ms);
          if (process.env.CARDINAL_BENCH_LOG === '1') console.log(`  [limit] ${url} ${Math.round(ms)} ms`);
        }
        return best;
      };
      // Measured again after the clients (best of both): a busy moment on this machine must not
      // make the limit look slower than the server is.
      let limit = await report(server.baseUrl);
      let limitViaProxy = await report(proxy.url);

      // Cardinal: the engine as the app runs it.
      // Every client's initial sync is the best of three (into an empty store each time), as the
      // limit is the best of its runs: one busy moment on this machine is not a figure.
      let local = new MemoryCollection();
      const client = new CardDavClient(new DavHttp({ auth: { kind: 'basic', user: server.user, password: server.password } }));
      const ours: Record<string, Figure> = {};
      await client.capabilities(bookUrl); // warms Node's fetch for both in-process clients
      const log = process.env.CARDINAL_BENCH_LOG === '1' ? (l: string) => console.log(`  [cardinal] ${l}`) : undefined;
      await proxy.record(true);
      for (let i = 0; i < INITIAL_RUNS; i++) {
        local = new MemoryCollection();
        ours.initial = better(ours.initial, await inProcess(proxy, () => syncAddressBook(client, bookUrl, local, { log })));
      }
      await proxy.record(false);
      if (local.cards.size !== size) throw new Error(`Cardinal synced ${local.cards.size} of ${size}`);
      ours.nochange = await inProcess(proxy, () => syncAddressBook(client, bookUrl, local));
      await changeTen(server, size, 1);
      ours.ten = await inProcess(proxy, () => syncAddressBook(client, bookUrl, local));

      // tsdav: fetch every card, then its smart sync (sync-collection where offered).
      const theirs: Record<string, Figure> = {};
      const tsdavLogin = () => createDAVClient({ serverUrl: proxy.url, credentials: { username: server.user, password: server.password }, authMethod: 'Basic', defaultAccountType: 'carddav' });
      await proxy.record(true);
      let dav = await tsdavLogin();
      let book: Awaited<ReturnType<typeof dav.fetchAddressBooks>>[number] | undefined;
      let objects: Awaited<ReturnType<typeof dav.fetchVCards>> = [];
      const tsdavInitial = async (d: typeof dav) => {
        book = (await d.fetchAddressBooks()).find((b) => b.url.endsWith(new URL(server.addressBookUrl).pathname));
        objects = await d.fetchVCards({ addressBook: book! });
      };
      for (let i = 0; i < INITIAL_RUNS; i++) {
        if (i > 0) dav = await tsdavLogin();
        const d = dav;
        theirs.initial = better(theirs.initial, await inProcess(proxy, () => tsdavInitial(d)));
      }
      await proxy.record(false);
      if (objects.length !== size) throw new Error(`tsdav fetched ${objects.length} of ${size}`);
      const smart = async () => {
        const res = (await dav.smartCollectionSync({ collection: { ...book!, objects, objectMultiGet: dav.addressBookMultiGet }, method: 'webdav', detailedResult: false } as never)) as unknown as typeof book & { objects: typeof objects };
        book = res;
        objects = res.objects;
      };
      theirs.nochange = await inProcess(proxy, smart);
      await changeTen(server, size, 2);
      theirs.ten = await inProcess(proxy, smart);
      // Cardinal again on the same change, so both columns saw ten changes each.
      await changeTen(server, size, 3);
      ours.ten = await inProcess(proxy, () => syncAddressBook(client, bookUrl, local));

      // vdirsyncer: CardDAV into a folder, as its users run it.
      const vd: Record<string, Figure> = {};
      if (vdir) {
        const config = join(work, 'config');
        writeFileSync(
          config,
          [
            '[general]',
            `status_path = "${join(work, 'status')}"`,
            '[pair contacts]',
            'a = "local"',
            'b = "remote"',
            'collections = null',
            'conflict_resolution = "b wins"',
            '[storage local]',
            'type = "filesystem"',
            `path = "${join(work, 'cards')}"`,
            'fileext = ".vcf"',
            '[storage remote]',
            'type = "carddav"',
            `url = "${bookUrl}"`,
            `username = "${server.user}"`,
            `password = "${server.password}"`,
            '',
          ].join('\n'),
        );
        // A fixed hash seed: the same requests in the same order each run, so they can be replayed.
        const run = `mkdir -p ${join(work, 'cards')} && PYTHONHASHSEED=0 vdirsyncer -c ${config}`;
        await proxy.record(true);
        for (let i = 0; i < INITIAL_RUNS; i++) {
          rmSync(join(work, 'status'), { recursive: true, force: true });
          rmSync(join(work, 'cards'), { recursive: true, force: true });
          await shell(`yes | ${run} discover >/dev/null 2>&1 || true`);
          await child(proxy, `${run} sync`, (f) => (vd.initial = better(vd.initial, f)));
        }
        await proxy.record(false);
        await child(proxy, `${run} sync`, (f) => (vd.nochange = f));
        await changeTen(server, size, 4);
        await child(proxy, `${run} sync`, (f) => (vd.ten = f));
      }

      limit = Math.min(limit, await report(server.baseUrl));
      limitViaProxy = Math.min(limitViaProxy, await report(proxy.url));

      // The same initial syncs against a server with no cost: each client's own recorded answers,
      // replayed from memory. Best of two; a request that was never recorded would go to Radicale
      // and is reported.
      await proxy.replay(true);
      const fast: Record<string, Figure> = {};
      const misses: string[] = [];
      const best = async (name: string, once: () => Promise<Figure>) => {
        for (let i = 0; i < 2; i++) {
          const f = await once();
          const missed = await proxy.misses();
          if (missed > 0) misses.push(`${name}: ${missed} not recorded`);
          if (fast[name] === undefined || f.wallMs < fast[name].wallMs) fast[name] = f;
        }
      };
      await best('cardinal', () => {
        const fresh = new MemoryCollection();
        return inProcess(proxy, async () => {
          await syncAddressBook(client, bookUrl, fresh);
          if (fresh.cards.size !== size) throw new Error(`Cardinal (replayed) synced ${fresh.cards.size} of ${size}`);
        });
      });
      await best('tsdav', async () => {
        const d = await tsdavLogin();
        return inProcess(proxy, () => tsdavInitial(d));
      });
      if (vdir) {
        await best('vdirsyncer', async () => {
          rmSync(join(work, 'status'), { recursive: true, force: true });
          rmSync(join(work, 'cards'), { recursive: true, force: true });
          const run = `mkdir -p ${join(work, 'cards')} && PYTHONHASHSEED=0 vdirsyncer -c ${join(work, 'config')}`;
          await shell(`yes | ${run} discover >/dev/null 2>&1 || true`);
          let fig: Figure | undefined;
          await child(proxy, `${run} sync`, (f) => (fig = f));
          return fig!;
        });
      }
      await proxy.replay(false);

      const n = size.toLocaleString('en');
      console.log(`${`initial sync, ${n}`.padEnd(30)}${cell(ours.initial)}${cell(theirs.initial)}${cell(vd.initial)}${`${Math.round(limit)} ms`.padStart(16)}`);
      console.log(`${`no change, ${n}`.padEnd(30)}${cell(ours.nochange)}${cell(theirs.nochange)}${cell(vd.nochange)}`);
      console.log(`${`10 changed on server, ${n}`.padEnd(30)}${cell(ours.ten)}${cell(theirs.ten)}${cell(vd.ten)}`);
      console.log(`${`  (limit through the proxy)`.padEnd(96)}${`${Math.round(limitViaProxy)} ms`.padStart(16)}`);
      console.log(`${`initial, ${n}, fast server`.padEnd(30)}${cell(fast.cardinal)}${cell(fast.tsdav)}${cell(fast.vdirsyncer)}`);
      if (misses.length > 0) console.log(`  replay incomplete (figures include Radicale): ${misses.join('; ')}`);
      console.log(`${''.padEnd(30)}Cardinal initial / limit: ${(ours.initial!.wallMs / limit).toFixed(2)}× direct, ${(ours.initial!.wallMs / limitViaProxy).toFixed(2)}× through the proxy`);
    } finally {
      await proxy.close();
      await server.stop();
      rmSync(work, { recursive: true, force: true });
    }
  }
}
