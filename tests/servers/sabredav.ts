/**
 * SabreDAV 1.8 (Debian's `php-sabre-dav`: the engine of Nextcloud and Baïkal, in the version with
 * CTag but no sync-collection) under PHP's built-in server on 127.0.0.1, with SQLite in a folder of
 * its own and its PDO backends as Debian ships them (Digest authentication only). Its quirks are
 * what the tests are for: no sync-collection, no add-member (POST answers 501), a multiget that
 * fails whole (404) when one href is missing, 412 on a DELETE with If-Match of a missing card.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, launch, restartHard, stopProcess, waitForPort } from './process';
import type { TestServer } from './servers';

// Beside this file; from the bundled benchmarks (dist/bench), in the checkout they run from.
const HERE = [join(dirname(fileURLToPath(import.meta.url)), 'sabredav'), join(process.cwd(), 'tests', 'servers', 'sabredav')].find((d) => existsSync(join(d, 'admin.php')))!;

export async function startSabreDav(): Promise<TestServer> {
  if (!existsSync('/usr/share/php/Sabre/autoload.php')) throw new Error('SabreDAV is not installed (apt-get install php-sabre-dav php-cli php-sqlite3)');
  const user = 'alice';
  const password = 'secret';
  const dir = mkdtempSync(join(tmpdir(), 'cardinal-sabredav-'));
  const db = join(dir, 'db.sqlite');
  const admin = (args: string[], input?: string) => execFileSync('php', [join(HERE, 'admin.php'), db, ...args], { input, stdio: ['pipe', 'ignore', 'inherit'] });
  admin(['init', user, password]);
  const port = await freePort();
  let proc: ChildProcess;
  const start = async () => {
    proc = launch('php', ['-S', `127.0.0.1:${port}`, join(HERE, 'server.php')], { env: { ...process.env, CARDINAL_SABRE_DB: db } });
    await waitForPort(port, proc, 'sabredav');
  };
  await start();
  const base = `http://127.0.0.1:${port}`;
  let books = 0;
  const newBook = async () => {
    const uri = `book${++books}`;
    admin(['book', user, uri, `Book ${books}`]);
    return `${base}/addressbooks/${user}/${uri}/`;
  };
  const addressBookUrl = await newBook();
  return {
    name: 'sabredav',
    baseUrl: `${base}/`,
    addressBookUrl,
    user,
    password,
    newBook,
    seed: async (cards, book = addressBookUrl) => {
      admin(['seed', user, new URL(book).pathname.split('/').filter((s) => s !== '').pop()!], JSON.stringify(cards));
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
