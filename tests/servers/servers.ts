/**
 * Real CardDAV servers for the tests, from Debian's packages, each on 127.0.0.1 with its own data
 * folder: Radicale (htpasswd Basic auth, rewrites cards, no add-member) and Xandikos (no auth here,
 * add-member with a `//path` Location, 500 on a bad sync token).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestServer {
  name: 'radicale' | 'xandikos';
  /** Where discovery starts. */
  baseUrl: string;
  /** The address book the tests use. */
  addressBookUrl: string;
  user: string;
  password: string;
  stop(): Promise<void>;
  /** Stop the process, keeping its data and port (a server that goes away mid-sync). */
  pause(): Promise<void>;
  /** Start it again after `pause`. */
  resume(): Promise<void>;
  /** Put many cards in place at once, faster than PUTs (Radicale writes ~25 a second). */
  seed(cards: readonly { file: string; vcard: string }[]): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForPort(port: number, proc: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`, { method: 'OPTIONS' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${name} did not start on port ${port}`);
}

function stopper(getProc: () => ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      const proc = getProc();
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
}

export async function startRadicale(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cardinal-radicale-'));
  const port = await freePort();
  writeFileSync(join(dir, 'users'), 'alice:secret\n');
  writeFileSync(
    join(dir, 'config'),
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${join(dir, 'users')}`,
      'htpasswd_encryption = plain',
      'delay = 0',
      '[rights]',
      'type = owner_only',
      '[storage]',
      `filesystem_folder = ${join(dir, 'collections')}`,
      '[web]',
      'type = none',
      '[logging]',
      'level = warning',
      '',
    ].join('\n'),
  );
  let proc: ChildProcess;
  const launch = async () => {
    proc = spawn('radicale', ['-C', join(dir, 'config')], { stdio: 'ignore' });
    await waitForPort(port, proc, 'radicale');
  };
  await launch();
  const base = `http://127.0.0.1:${port}`;
  const auth = `Basic ${Buffer.from('alice:secret').toString('base64')}`;
  const mkcol = await fetch(`${base}/alice/contacts/`, {
    method: 'MKCOL',
    headers: { Authorization: auth, 'Content-Type': 'application/xml' },
    body: '<?xml version="1.0" encoding="utf-8"?><mkcol xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><set><prop><resourcetype><collection/><CR:addressbook/></resourcetype><displayname>Contacts</displayname></prop></set></mkcol>',
  });
  if (mkcol.status !== 201) throw new Error(`radicale MKCOL answered ${mkcol.status}`);
  const stop = stopper(() => proc);
  return {
    name: 'radicale',
    baseUrl: `${base}/`,
    addressBookUrl: `${base}/alice/contacts/`,
    user: 'alice',
    password: 'secret',
    // Radicale's filesystem storage reads the folder on every listing: files written there are cards.
    seed: async (cards) => {
      const folder = join(dir, 'collections', 'collection-root', 'alice', 'contacts');
      for (const c of cards) writeFileSync(join(folder, c.file), c.vcard);
    },
    pause: stop,
    resume: launch,
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startXandikos(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cardinal-xandikos-'));
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  let proc: ChildProcess;
  const launch = async () => {
    proc = spawn('xandikos', ['-d', dir, '-l', '127.0.0.1', '-p', String(port), '--current-user-principal', '/alice/', '--defaults'], { stdio: 'ignore' });
    await waitForPort(port, proc, 'xandikos');
  };
  await launch();
  const base = `http://127.0.0.1:${port}`;
  const stop = stopper(() => proc);
  return {
    name: 'xandikos',
    baseUrl: `${base}/`,
    addressBookUrl: `${base}/alice/contacts/addressbook/`,
    user: 'alice',
    password: '',
    seed: async (cards) => {
      // Xandikos keeps a git repository: PUT each card (fine for the small numbers used with it).
      for (const c of cards) {
        const res = await fetch(`${base}/alice/contacts/addressbook/${c.file}`, { method: 'PUT', headers: { 'Content-Type': 'text/vcard', 'If-None-Match': '*' }, body: c.vcard });
        if (res.status >= 300) throw new Error(`xandikos seed PUT answered ${res.status}`);
      }
    },
    pause: stop,
    resume: launch,
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const SERVERS = [
  ['radicale', startRadicale],
  ['xandikos', startXandikos],
] as const;
