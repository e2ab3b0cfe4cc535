/**
 * What every real server of the tests needs to run: a free port on 127.0.0.1, a wait until it
 * answers, a stop that waits for the process to go, and the requests another client makes to put
 * address books and cards in place.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Until something answers HTTP on the port (any status), or the process exits. */
export async function waitForPort(port: number, proc: ChildProcess, name: string, path = '/'): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}`);
    try {
      await fetch(`http://127.0.0.1:${port}${path}`, { method: 'OPTIONS' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${name} did not start on port ${port}`);
}

/** Servers still running, stopped when the test process exits however it ends. */
const running = new Set<ChildProcess>();
const killAll = () => {
  for (const p of running) {
    try {
      // A server in a group of its own goes with all its children.
      if (groups.has(p) && p.pid !== undefined) process.kill(-p.pid, 'SIGKILL');
      else p.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
};
const groups = new WeakSet<ChildProcess>();
process.once('exit', killAll);
// A run stopped from outside (Ctrl-C, a timeout) does not leave its servers behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

/**
 * Start a server process; its output is dropped unless CARDINAL_DEBUG_SERVERS is set. `ownGroup`
 * for a server that signals its whole process group when it stops (Apache does), so it cannot
 * take the tests down with it.
 */
export function launch(command: string, args: readonly string[], opts: SpawnOptions & { ownGroup?: boolean } = {}): ChildProcess {
  const { ownGroup, ...rest } = opts;
  const proc = spawn(command, args, { stdio: process.env.CARDINAL_DEBUG_SERVERS ? 'inherit' : 'ignore', detached: ownGroup === true, ...rest });
  running.add(proc);
  if (ownGroup === true) groups.add(proc);
  proc.once('exit', () => running.delete(proc));
  return proc;
}

/** SIGTERM, and wait for the process to be gone. */
export function stopProcess(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

/** A process's parent and group, and whether it has ended (gone, or a zombie nobody reaped); null where /proc does not say. */
function procStat(pid: number): { ppid: number; pgrp: number; ended: boolean } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last ')'.
    const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(ppid), pgrp: Number(pgrp), ended: state === 'Z' || state === 'X' };
  } catch {
    return null;
  }
}

/** Every process that descends from `pid` or is in the group `pid` leads (when `group`), by /proc. */
function processTree(pid: number, group: boolean): number[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((e) => /^\d+$/.test(e))
      .map(Number);
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  const todo = [pid];
  for (const p of pids) {
    const st = procStat(p);
    if (st === null || st.ended) continue;
    children.set(st.ppid, [...(children.get(st.ppid) ?? []), p]);
    if (group && st.pgrp === pid && p !== pid) todo.push(p);
  }
  // The group's members and the descendants of every one of them.
  const found = new Set<number>(todo);
  while (todo.length > 0) {
    for (const c of children.get(todo.pop()!) ?? []) {
      if (found.has(c)) continue;
      found.add(c);
      todo.push(c);
    }
  }
  found.delete(pid);
  return [...found];
}

/**
 * Kill `pid` and its whole tree at once with SIGKILL: its process group where it leads one
 * (`group`), and every descendant found in /proc (which may have left the group), collected before
 * any is killed; then wait until none of them runs (a zombie no one reaps counts as gone). A
 * server busy on one request cannot be trusted to end on SIGTERM: Xandikos's event loop runs its
 * SIGTERM handler only when the request it works on is done (minutes for a multiget of 10,000).
 */
export async function killTree(pid: number, group: boolean): Promise<void> {
  const tree = processTree(pid, group);
  const kill = (target: number) => {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  if (group) kill(-pid);
  kill(pid);
  for (const p of tree) kill(p);
  const deadline = Date.now() + 10_000;
  for (const p of [pid, ...tree]) {
    while (procStat(p)?.ended === false) {
      if (Date.now() > deadline) throw new Error(`process ${p} (of ${pid}'s tree) still runs after SIGKILL`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** SIGKILL a launched server with its whole tree (`killTree`), and wait for its exit. */
export async function killProcess(proc: ChildProcess): Promise<void> {
  if (proc.pid === undefined) return;
  const exited = proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => proc.once('exit', () => r()));
  await killTree(proc.pid, groups.has(proc));
  await exited;
}

/** Whether something accepts a TCP connection on 127.0.0.1:`port`. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Until nothing accepts connections on the port. */
export async function waitForPortClosed(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (await portOpen(port)) {
    if (Date.now() > deadline) throw new Error(`port ${port} still open`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A server made usable again whatever it was doing: killed hard with its tree (`killProcess`), its
 * port seen closed, then started again by `start` (same data, same port; `start` waits until it
 * answers). For a server still working on the request of a client that was stopped.
 */
export async function restartHard(proc: ChildProcess, port: number, start: () => Promise<void>): Promise<void> {
  await killProcess(proc);
  await waitForPortClosed(port);
  await start();
}

export function basicHeader(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** An extended MKCOL (RFC 5689) of an address book: how each server here makes a new one. */
export async function mkAddressBook(url: string, displayName: string, headers: Record<string, string> = {}, fetchImpl: typeof fetch = fetch): Promise<void> {
  const res = await fetchImpl(url, {
    method: 'MKCOL',
    headers: { ...headers, 'Content-Type': 'application/xml; charset=utf-8' },
    body: `<?xml version="1.0" encoding="utf-8"?><mkcol xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><set><prop><resourcetype><collection/><CR:addressbook/></resourcetype><displayname>${displayName}</displayname></prop></set></mkcol>`,
  });
  if (res.status !== 201) throw new Error(`MKCOL ${url} answered ${res.status}: ${await res.text()}`);
}

/**
 * From this many cards a server's `seed` writes its store directly, by the server's own code, where
 * PUTs are slow (Xandikos: a git commit each; DAViCal: PHP and PostgreSQL each); fewer go by PUT,
 * as another client's would. `CARDINAL_SEED=put` sends every seed by PUT.
 */
export const BULK_SEED = 100;

/** PUT cards one by one (If-None-Match), as another client would. */
export async function putCards(bookUrl: string, cards: readonly { file: string; vcard: string }[], headers: Record<string, string> = {}, fetchImpl: typeof fetch = fetch): Promise<void> {
  for (const c of cards) {
    const res = await fetchImpl(new URL(c.file, bookUrl), { method: 'PUT', headers: { ...headers, 'Content-Type': 'text/vcard; charset=utf-8', 'If-None-Match': '*' }, body: c.vcard });
    if (res.status >= 300) throw new Error(`seed PUT ${c.file} answered ${res.status}`);
  }
}
