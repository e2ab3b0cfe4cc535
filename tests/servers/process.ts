/**
 * What every real server of the tests needs to run: a free port on 127.0.0.1, a wait until it
 * answers, a stop that waits for the process to go, and the requests another client makes to put
 * address books and cards in place.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

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
