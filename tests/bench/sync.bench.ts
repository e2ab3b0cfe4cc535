/**
 * Sync benchmark: Cardinal's engine beside tsdav (npm) and vdirsyncer (Debian), in one run, against
 * each of the tests' four servers (Radicale, Xandikos, SabreDAV, DAViCal: `tests/servers`, chosen
 * with CARDINAL_BENCH_SYNC_SERVERS) holding the same generated cards. Every client talks through one counting
 * proxy, so request counts are measured the same way for all. For each book size: the initial sync
 * (best of three), a sync with nothing changed, and a sync after 10 server-side changes; wall time,
 * client CPU time and requests. The server's own limit is one REPORT of everything (curl, address
 * data included; best of six): a sync-collection, or an addressbook-query where the server sends no
 * cards with a sync-collection (Xandikos, DAViCal), whichever of those brings every card faster.
 *
 * Cardinal's figures are the engine's (HTTP, XML, vCard handling, merge bookkeeping) into a memory
 * store; writing to IndexedDB in the renderer is measured by the book benchmark.
 */
import { execFileSync, fork, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDAVClient } from 'tsdav';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp, type Auth } from '../../electron/dav/http';
import { syncAddressBook } from '../../electron/sync/engine';
import { MemoryCollection } from '../integration/memory-collection';
import { killTree } from '../servers/process';
import { SERVERS, type ServerName, type TestServer } from '../servers/servers';
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

/**
 * Run a shell command without blocking this process, in a process group of its own. With
 * `timeoutS`, the command's whole tree is killed (SIGKILL, `killTree`) when it has run that long,
 * and `stopped` says so: coreutils' `timeout` would stop its child only, with SIGTERM.
 */
function shell(cmd: string, timeoutS?: number): Promise<{ stdout: string; stderr: string; stopped: boolean }> {
  return new Promise((resolve) => {
    const p = spawn('bash', ['-c', cmd], { detached: true });
    let stdout = '';
    let stderr = '';
    let stopped = false;
    const timer = timeoutS === undefined ? undefined : setTimeout(() => {
      stopped = true;
      killTree(p.pid!, true).catch((e: unknown) => console.log(`    [the stopped command's processes outlived their kill: ${(e as Error).message}]`));
    }, timeoutS * 1000);
    // Not in this process's group, so a Ctrl-C would not reach it: killed when this process exits.
    const onExit = () => {
      try {
        process.kill(-p.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    process.once('exit', onExit);
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', () => {
      process.off('exit', onExit);
      clearTimeout(timer);
      // A stopped command's tree is gone before the caller goes on (killTree waits for each).
      // A tree that outlived its kill is said, and the bench goes on (it never waits for ever).
      void (stopped ? killTree(p.pid!, true) : Promise.resolve())
        .catch((e: unknown) => console.log(`    [the stopped command's processes outlived their kill: ${(e as Error).message}]`))
        .then(() => resolve({ stdout, stderr, stopped }));
    });
  });
}

/** Time a child process: wall clock and the child's own CPU (bash's `times`); stopped after PEER_TIMEOUT_S. */
async function child(proxy: Pick<Proxy, 'count' | 'reset'>, cmd: string, run: (fig: Figure) => void): Promise<void> {
  await proxy.reset();
  const t0 = performance.now();
  // The command's own output goes to a file: its last lines say why, when it fails.
  const log = join(tmpdir(), `cardinal-syncbench-child-${process.pid}.log`);
  const out = await shell(`${cmd} >${log} 2>&1; echo "rc=$?"; times`, PEER_TIMEOUT_S);
  const wallMs = performance.now() - t0;
  // `times` prints the shell's then its children's user and system time: "0m1.234s 0m0.100s".
  const lines = out.stdout.trim().split('\n');
  const rc = /rc=(\d+)/.exec(out.stdout)?.[1];
  const said = readFileSync(log, 'utf8');
  rmSync(log, { force: true });
  if (out.stopped) throw new PeerTimeout();
  if (rc !== '0') throw new Error(`${cmd} failed (${rc}): ${said.trim().split('\n').slice(-6).join(' | ')}`);
  const secs = (lines[lines.length - 1] ?? '').split(/\s+/).map((x) => {
    const m = /(\d+)m([\d.]+)s/.exec(x);
    return m === null ? 0 : Number(m[1]) * 60 + Number(m[2]);
  });
  run({ wallMs, cpuMs: (secs[0]! + secs[1]!) * 1000, requests: await proxy.count() });
}

/** How long a peer's sync may take before it is stopped (CARDINAL_BENCH_PEER_TIMEOUT, seconds). */
const PEER_TIMEOUT_S = Number(process.env.CARDINAL_BENCH_PEER_TIMEOUT ?? 240);
class PeerTimeout extends Error {
  constructor() {
    super(`stopped after ${PEER_TIMEOUT_S} s, its whole process tree killed`);
  }
}
/** A cell of a peer's row stopped at PEER_TIMEOUT_S: never a figure. */
const STOPPED = `stopped at ${PEER_TIMEOUT_S} s`;

function hasCommand(cmd: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${cmd}`]).status === 0;
}

/** Xandikos here takes no authentication (its password is ''). */
function authOf(server: TestServer): Auth {
  return server.password === '' ? { kind: 'none' } : { kind: 'basic', user: server.user, password: server.password };
}

async function changeTen(server: TestServer, size: number, round: number): Promise<void> {
  const c = new CardDavClient(new DavHttp({ auth: authOf(server) }));
  for (let i = 0; i < 10; i++) {
    const url = new URL(`seed-${(i * 97 + round) % size}.vcf`, server.addressBookUrl).href;
    const cur = await c.get(url);
    await c.put(url, cur.vcard.replace(/^NOTE:.*$/m, `NOTE:changed in round ${round}`).replace(/^(FN:.*)$/m, `$1 r${round}`), { ifMatch: cur.etag });
  }
}

/** Initial syncs measured per client; the best is kept (CARDINAL_BENCH_SYNC_RUNS). */
const INITIAL_RUNS = Number(process.env.CARDINAL_BENCH_SYNC_RUNS ?? 3);

const better = (a: Figure | undefined, b: Figure): Figure => (a === undefined || b.wallMs < a.wallMs ? b : a);

/** What `npm run bench` could not install (scripts/bench.mjs, `ensureRequirements`). */
function missingRequirements(): { what: string; pkg: string }[] {
  try {
    return JSON.parse(process.env.CARDINAL_BENCH_MISSING ?? '[]') as { what: string; pkg: string }[];
  } catch {
    return [];
  }
}

/** What each server needs from Debian (REQUIREMENTS' names in scripts/prepare-test-env.mjs). */
const NEEDS: Record<ServerName, readonly string[]> = {
  radicale: ['Radicale'],
  xandikos: ['Xandikos'],
  sabredav: ['SabreDAV', 'PHP', 'PHP SQLite'],
  davical: ['DAViCal', 'PostgreSQL', 'Apache', 'Apache mod_php'],
};
const PACKAGE: Record<ServerName, string> = { radicale: 'radicale', xandikos: 'xandikos', sabredav: 'php-sabre-dav', davical: 'davical' };

function packageVersion(pkg: string): string {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '?';
}

/** A client's figures, or why there are none. */
type Cells = Record<string, Figure> & { failed?: string };

export async function runSyncBench(sizes: readonly number[] = [1_000, 10_000], serverNames?: readonly ServerName[]): Promise<void> {
  const chosen = serverNames ?? ((process.env.CARDINAL_BENCH_SYNC_SERVERS ?? 'radicale,xandikos,sabredav,davical').split(',') as ServerName[]);
  const missing = missingRequirements();
  const vdirMissing = missing.find((m) => m.what === 'vdirsyncer') ?? (hasCommand('vdirsyncer') ? undefined : { what: 'vdirsyncer', pkg: 'vdirsyncer' });
  const vdir = vdirMissing === undefined && process.env.CARDINAL_BENCH_VDIRSYNCER !== '0';
  const vdirNote = process.env.CARDINAL_BENCH_VDIRSYNCER === '0' ? 'skipped (CARDINAL_BENCH_VDIRSYNCER=0)' : 'not installed, and could not be here (sudo apt-get install -y vdirsyncer)';
  if (!vdir) console.log(`\nvdirsyncer ${vdirNote}: its column says so.`);
  const vdirVersion = vdir ? (spawnSync('vdirsyncer', ['--version'], { encoding: 'utf8' }).stdout.trim().split(/\s+/).pop() ?? '?') : process.env.CARDINAL_BENCH_VDIRSYNCER === '0' ? 'skipped' : 'missing';
  console.log(`\nSync on 127.0.0.1, Node ${process.version}, tsdav 2.3.4, vdirsyncer ${vdirVersion}; wall ms / client CPU ms / requests; load ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ')}`);
  const cell = (f: Figure | undefined, failed?: string) => (f !== undefined ? `${Math.round(f.wallMs)} / ${Math.round(f.cpuMs)} / ${f.requests}` : failed !== undefined ? failed.slice(0, 20) : '—').padStart(22);
  const summary: string[] = [];

  for (const name of chosen) {
    const start = SERVERS.find(([n]) => n === name)?.[1];
    if (start === undefined) {
      console.log(`\n${name}: not a test server (${SERVERS.map(([n]) => n).join(', ')})`);
      continue;
    }
    const lacking = missing.filter((m) => NEEDS[name].includes(m.what));
    if (lacking.length > 0) {
      console.log(`\n${name}: missing ${lacking.map((m) => m.what).join(', ')} (sudo apt-get install -y ${lacking.map((m) => m.pkg).join(' ')}); no figures`);
      continue;
    }
    console.log(`\n${name} ${packageVersion(PACKAGE[name])}`);
    console.log(`${'scenario'.padEnd(30)}${'Cardinal'.padStart(22)}${'tsdav'.padStart(22)}${'vdirsyncer'.padStart(22)}${'server limit'.padStart(16)}`);
    // One server for every size, its book grown from one size to the next.
    const server = await start();
    try {
      let seeded = 0;
      for (const size of [...sizes].sort((a, b) => a - b)) {
        const t0 = performance.now();
        const cards = Array.from({ length: size - seeded }, (_, i) => ({ file: `seed-${seeded + i}.vcf`, vcard: generateCard(seeded + i) }));
        // Each server seeds many cards by its own store code, not by PUTs (`seed`, BULK_SEED in
        // tests/servers/process.ts): Xandikos commits to git once instead of per card, DAViCal
        // writes its tables in one transaction. With CARDINAL_SEED=put every card goes by PUT,
        // DAViCal's in four streams.
        const streams = name === 'davical' && process.env.CARDINAL_SEED === 'put' ? 4 : 1;
        const per = Math.ceil(cards.length / streams);
        await Promise.all(Array.from({ length: streams }, (_, k) => server.seed(cards.slice(k * per, (k + 1) * per))));
        seeded = size;
        console.log(`  [seed] to ${size.toLocaleString('en')} cards in ${Math.round(performance.now() - t0)} ms${process.env.CARDINAL_SEED === 'put' ? ' (by PUT)' : ''}`);
        summary.push(await benchOne(name, server, size, vdir, cell));
      }
    } finally {
      await server.stop();
    }
  }
  if (!vdir) console.log(`\nvdirsyncer: ${vdirNote}`);
  if (summary.length > 0) console.log(`\nFirst sync, the faster peer's wall time over Cardinal's (goal: 3× or more):\n${summary.join('\n')}`);
}

async function benchOne(name: ServerName, server: TestServer, size: number, vdir: boolean, cell: (f: Figure | undefined, failed?: string) => string): Promise<string> {
  const proxy = await countingProxy(new URL(server.baseUrl).origin);
  const work = mkdtempSync(join(tmpdir(), 'cardinal-syncbench-'));
  try {
    const bookPath = new URL(server.addressBookUrl).pathname;
    const bookUrl = new URL(bookPath, proxy.url).href;

    // The server's limit: one REPORT with every card's data, by curl, the best of three before the
    // clients and three after (the first also fills the server's caches, which the clients then
    // find warm too); straight to the server, and through the counting proxy the clients use (it
    // buffers each response). A sync-collection, or where that brings no cards (Xandikos, DAViCal)
    // an addressbook-query; whichever brings every card faster.
    const bodies = [
      '<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/><card:address-data/></d:prop></d:sync-collection>',
      '<?xml version="1.0"?><card:addressbook-query xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/></d:prop></card:addressbook-query>',
    ];
    const out = join(work, 'limit.xml');
    let useful: string[] | null = null;
    const report = async (base: string): Promise<number> => {
      let best = Infinity;
      const url = new URL(bookPath, base).href;
      const tried = useful ?? bodies;
      const works: string[] = [];
      for (const body of tried) {
        for (let i = 0; i < 3; i++) {
          // curl's own clock (request sent to last byte read), run synchronously: spawned
          // asynchronously from this process in a background job, curl was seen taking 0.8 s for
          // what it does in 0.2 s in the foreground.
          const r = spawnSync('curl', ['-s', '-o', out, '-w', '%{time_total}', ...(name === 'sabredav' ? ['--digest'] : []), '-u', `${server.user}:${server.password}`, '-X', 'REPORT', '-H', 'Depth: 1', '-H', 'Content-Type: application/xml', '--data', body, url], { encoding: 'utf8' });
          const ms = Number(r.stdout.trim()) * 1000;
          if (r.status !== 0 || !Number.isFinite(ms)) throw new Error(`curl failed (${r.status}): ${r.stderr}`);
          if (useful === null && i === 0) {
            const got = readFileSync(out, 'utf8').split('BEGIN:VCARD').length - 1;
            if (got < size) break; // this REPORT does not bring the cards here
            works.push(body);
          }
          best = Math.min(best, ms);
          if (process.env.CARDINAL_BENCH_LOG === '1') console.log(`  [limit] ${url} ${body.slice(22, 40)} ${Math.round(ms)} ms`);
        }
      }
      if (useful === null) useful = works;
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
    const client = new CardDavClient(new DavHttp({ auth: authOf(server) }));
    const ours: Cells = {};
    await client.capabilities(bookUrl); // warms Node's fetch for both in-process clients
    const log = process.env.CARDINAL_BENCH_LOG === '1' ? (l: string) => console.log(`  [cardinal] ${l}`) : undefined;
    await proxy.record(true);
    for (let i = 0; i < INITIAL_RUNS; i++) {
      local = new MemoryCollection();
      ours.initial = better(ours.initial, await inProcess(proxy, () => syncAddressBook(client, bookUrl, local, { log })));
    }
    await proxy.record(false);
    if (local.cards.size !== size) throw new Error(`Cardinal synced ${local.cards.size} of ${size}`);
    // The seeded book as the server serves it: every card, each with an ETag (a seed that wrote
    // the store wrongly shows here, before any figure is printed).
    const noEtag = [...local.cards.values()].filter((c) => !/^(W\/)?"[^"]+"$/.test(c.etag) || !/^seed-\d+\.vcf$/.test(c.href.split('/').pop() ?? ''));
    if (noEtag.length > 0) throw new Error(`${noEtag.length} of the ${size} cards served without a valid ETag or under another name (${noEtag[0]!.href} ${noEtag[0]!.etag})`);
    ours.nochange = await inProcess(proxy, () => syncAddressBook(client, bookUrl, local));
    await changeTen(server, size, 1);
    ours.ten = await inProcess(proxy, () => syncAddressBook(client, bookUrl, local));

    // tsdav: fetch every card, then its smart sync (sync-collection where offered).
    const theirs: Cells = {};
    const tsdavLogin = () =>
      createDAVClient({
        serverUrl: new URL(new URL(server.baseUrl).pathname, proxy.url).href,
        credentials: { username: server.user, password: server.password },
        authMethod: 'Basic',
        defaultAccountType: 'carddav',
      });
    let dav: Awaited<ReturnType<typeof tsdavLogin>> | undefined;
    let book: Awaited<ReturnType<NonNullable<typeof dav>['fetchAddressBooks']>>[number] | undefined;
    let objects: Awaited<ReturnType<NonNullable<typeof dav>['fetchVCards']>> = [];
    const tsdavInitial = async (d: NonNullable<typeof dav>) => {
      book = (await d.fetchAddressBooks()).find((b) => new URL(b.url, proxy.url).pathname === bookPath);
      if (book === undefined) throw new Error('tsdav did not find the book');
      objects = await d.fetchVCards({ addressBook: book });
    };
    try {
      await proxy.record(true);
      for (let i = 0; i < INITIAL_RUNS; i++) {
        const d = await tsdavLogin();
        dav = d;
        theirs.initial = better(theirs.initial, await inProcess(proxy, () => tsdavInitial(d)));
      }
      await proxy.record(false);
      if (objects.length !== size) throw new Error(`tsdav fetched ${objects.length} of ${size}`);
      const smart = async () => {
        const res = (await dav!.smartCollectionSync({ collection: { ...book!, objects, objectMultiGet: dav!.addressBookMultiGet }, method: 'webdav', detailedResult: false } as never)) as unknown as typeof book & { objects: typeof objects };
        book = res;
        objects = res.objects;
      };
      theirs.nochange = await inProcess(proxy, smart);
      await changeTen(server, size, 2);
      theirs.ten = await inProcess(proxy, smart);
    } catch (e) {
      await proxy.record(false);
      // SabreDAV 1.8 as Debian ships it takes Digest only; tsdav answers no Digest challenge.
      theirs.failed = /\b401\b/.test((e as Error).message) ? 'refused (401)' : /\b500\b/.test((e as Error).message) ? 'fails (500)' : `failed: ${(e as Error).message}`;
      console.log(`  tsdav on ${name}: ${theirs.failed}`);
    }
    // Cardinal again on the same change, so both columns saw ten changes each.
    await changeTen(server, size, 3);
    ours.ten = await inProcess(proxy, () => syncAddressBook(client, bookUrl, local));

    // vdirsyncer: CardDAV into a folder, as its users run it.
    const vd: Cells = {};
    // Why a vdirsyncer row has no figure, row by row.
    const vdWhy: Partial<Record<'initial' | 'nochange' | 'ten' | 'fast', string>> = {};
    // A server goes on with a request whose client was stopped, and SIGTERM waits for it (Xandikos
    // worked for over 13 minutes more on vdirsyncer's multiget of 10,000, and the rows after it
    // waited): it is killed hard with its tree, started again on its data, and asked once through
    // the proxy before anything else is measured.
    const afterStop = async () => {
      const t = performance.now();
      await server.restart();
      await client.capabilities(bookUrl);
      console.log(`  [restart] ${name} killed and started again, answering through the proxy, in ${Math.round(performance.now() - t)} ms`);
    };
    // Stopped with its whole tree after PEER_TIMEOUT_S (`child`): Xandikos reads a multiget href
    // by href, and vdirsyncer asks for a whole book by one multiget.
    const run = `mkdir -p ${join(work, 'cards')} && PYTHONHASHSEED=0 vdirsyncer -c ${join(work, 'config')}`;
    const vdirInitial = async (): Promise<Figure> => {
      rmSync(join(work, 'status'), { recursive: true, force: true });
      rmSync(join(work, 'cards'), { recursive: true, force: true });
      if ((await shell(`yes | ${run} discover >/dev/null 2>&1 || true`, PEER_TIMEOUT_S)).stopped) throw new PeerTimeout();
      let fig: Figure | undefined;
      await child(proxy, `${run} sync`, (f) => (fig = f));
      return fig!;
    };
    if (vdir) {
      writeFileSync(
        join(work, 'config'),
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
          // SabreDAV 1.8 as Debian ships it takes Digest only.
          ...(name === 'sabredav' ? ['auth = "digest"'] : []),
          '',
        ].join('\n'),
      );
      // A fixed hash seed: the same requests in the same order each run, so they can be replayed.
      let stage: 'initial' | 'nochange' | 'ten' = 'initial';
      try {
        await proxy.record(true);
        for (let i = 0; i < INITIAL_RUNS; i++) vd.initial = better(vd.initial, await vdirInitial());
        await proxy.record(false);
        stage = 'nochange';
        await child(proxy, `${run} sync`, (f) => (vd.nochange = f));
        stage = 'ten';
        await changeTen(server, size, 4);
        await child(proxy, `${run} sync`, (f) => (vd.ten = f));
      } catch (e) {
        await proxy.record(false);
        // The row that was stopped says so, and the rows after it that they did not run; a row
        // with a figure keeps it (an initial sync stopped after one that ended: its best).
        const said = e instanceof PeerTimeout ? STOPPED : 'failed';
        const stages = ['initial', 'nochange', 'ten'] as const;
        for (const st of stages.slice(stages.indexOf(stage))) if (vd[st] === undefined) vdWhy[st] = st === stage ? said : 'not run';
        vd.failed = said;
        if (vd.initial === undefined) vdWhy.fast = 'not run';
        if (e instanceof PeerTimeout) await afterStop();
        console.log(`  vdirsyncer on ${name}, ${stage === 'initial' ? 'initial sync' : stage === 'nochange' ? 'no change' : '10 changed'}: ${e instanceof PeerTimeout ? '' : 'failed: '}${(e as Error).message.slice(0, 400)}`);
      }
    } else vd.failed = process.env.CARDINAL_BENCH_VDIRSYNCER === '0' ? 'skipped' : 'missing';
    const vdCell = (row: 'initial' | 'nochange' | 'ten' | 'fast') => vdWhy[row] ?? vd.failed;

    limit = Math.min(limit, await report(server.baseUrl));
    limitViaProxy = Math.min(limitViaProxy, await report(proxy.url));

    // The same initial syncs against a server with no cost: each client's own recorded answers,
    // replayed from memory. Best of two; a request that was never recorded would go to the server
    // and is reported.
    await proxy.replay(true);
    const fast: Record<string, Figure> = {};
    const misses: string[] = [];
    const best = async (who: string, once: () => Promise<Figure>) => {
      for (let i = 0; i < 2; i++) {
        const f = await once();
        const missed = await proxy.misses();
        if (missed > 0) misses.push(`${who}: ${missed} not recorded`);
        if (fast[who] === undefined || f.wallMs < fast[who].wallMs) fast[who] = f;
      }
    };
    await best('cardinal', () => {
      const fresh = new MemoryCollection();
      return inProcess(proxy, async () => {
        await syncAddressBook(client, bookUrl, fresh);
        if (fresh.cards.size !== size) throw new Error(`Cardinal (replayed) synced ${fresh.cards.size} of ${size}`);
      });
    });
    if (theirs.initial !== undefined) {
      try {
        await best('tsdav', async () => {
          const d = await tsdavLogin();
          return inProcess(proxy, () => tsdavInitial(d));
        });
      } catch (e) {
        console.log(`  tsdav on ${name}, replayed: failed: ${(e as Error).message.slice(0, 400)}`);
      }
    }
    if (vd.initial !== undefined) {
      try {
        await best('vdirsyncer', vdirInitial);
      } catch (e) {
        if (fast.vdirsyncer === undefined) vdWhy.fast = e instanceof PeerTimeout ? STOPPED : 'failed';
        if (e instanceof PeerTimeout) await afterStop();
        console.log(`  vdirsyncer on ${name}, replayed: ${e instanceof PeerTimeout ? '' : 'failed: '}${(e as Error).message.slice(0, 400)}`);
      }
    }
    await proxy.replay(false);

    const n = size.toLocaleString('en');
    const limitCell = Number.isFinite(limit) ? `${Math.round(limit)} ms` : 'no one REPORT';
    console.log(`${`initial sync, ${n}`.padEnd(30)}${cell(ours.initial)}${cell(theirs.initial, theirs.failed)}${cell(vd.initial, vdCell('initial'))}${limitCell.padStart(16)}`);
    console.log(`${`no change, ${n}`.padEnd(30)}${cell(ours.nochange)}${cell(theirs.nochange, theirs.failed)}${cell(vd.nochange, vdCell('nochange'))}`);
    console.log(`${`10 changed on server, ${n}`.padEnd(30)}${cell(ours.ten)}${cell(theirs.ten, theirs.failed)}${cell(vd.ten, vdCell('ten'))}`);
    if (Number.isFinite(limitViaProxy)) console.log(`${`  (limit through the proxy)`.padEnd(96)}${`${Math.round(limitViaProxy)} ms`.padStart(16)}`);
    console.log(`${`initial, ${n}, fast server`.padEnd(30)}${cell(fast.cardinal)}${cell(fast.tsdav, theirs.failed)}${cell(fast.vdirsyncer, vdCell('fast'))}`);
    if (misses.length > 0) console.log(`  replay incomplete (figures include the server): ${misses.join('; ')}`);
    if (Number.isFinite(limit)) console.log(`${''.padEnd(30)}Cardinal initial / limit: ${(ours.initial!.wallMs / limit).toFixed(2)}× direct, ${(ours.initial!.wallMs / limitViaProxy).toFixed(2)}× through the proxy`);
    const peers = [theirs.initial, vd.initial].filter((f): f is Figure => f !== undefined);
    const peer = peers.length === 0 ? undefined : Math.min(...peers.map((f) => f.wallMs));
    // A peer stopped at PEER_TIMEOUT_S took at least that long.
    const stopped = vdWhy.initial === STOPPED ? PEER_TIMEOUT_S * 1000 : undefined;
    const ratio =
      peer !== undefined
        ? `${(peer / ours.initial!.wallMs).toFixed(2)}× (Cardinal ${Math.round(ours.initial!.wallMs)} ms, faster peer ${Math.round(peer)} ms)`
        : stopped !== undefined
          ? `at least ${(stopped / ours.initial!.wallMs).toFixed(2)}× (Cardinal ${Math.round(ours.initial!.wallMs)} ms, vdirsyncer stopped after ${PEER_TIMEOUT_S} s)`
          : 'no peer figure';
    return `  ${`${name}, ${n}:`.padEnd(20)}${ratio}`;
  } finally {
    await proxy.close();
    rmSync(work, { recursive: true, force: true });
  }
}
