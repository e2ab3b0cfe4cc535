/**
 * Radicale 3 (Debian's `radicale`) on 127.0.0.1 with a data folder of its own: htpasswd Basic auth
 * (plain, no delay), `owner_only` rights, address books made by extended MKCOL. It rewrites every
 * card it stores, has no add-member, and refuses a card without UID.
 */
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basicHeader, freePort, launch, mkAddressBook, restartHard, stopProcess, waitForPort } from './process';
import type { TestServer } from './servers';

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
  const start = async () => {
    proc = launch('radicale', ['-C', join(dir, 'config')]);
    await waitForPort(port, proc, 'radicale');
  };
  await start();
  const base = `http://127.0.0.1:${port}`;
  const auth = { Authorization: basicHeader('alice', 'secret') };
  let books = 0;
  const newBook = async (name = books === 0 ? 'contacts' : `book${books}`) => {
    books++;
    const url = `${base}/alice/${name}/`;
    await mkAddressBook(url, name === 'contacts' ? 'Contacts' : name, auth);
    return url;
  };
  const addressBookUrl = await newBook();
  return {
    name: 'radicale',
    baseUrl: `${base}/`,
    addressBookUrl,
    user: 'alice',
    password: 'secret',
    newBook: () => newBook(),
    // Radicale's filesystem storage reads the folder on every listing: files written there are cards.
    seed: async (cards, book = addressBookUrl) => {
      const folder = join(dir, 'collections', 'collection-root', ...new URL(book).pathname.split('/').filter((s) => s !== ''));
      for (const c of cards) writeFileSync(join(folder, c.file), c.vcard);
    },
    pause: () => stopProcess(proc),
    resume: start,
    restart: () => restartHard(proc, port, start),
    stop: async () => {
      await stopProcess(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
