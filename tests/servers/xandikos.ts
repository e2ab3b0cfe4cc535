/**
 * Xandikos (Debian's `xandikos`) on 127.0.0.1 with a data folder of its own, without
 * authentication (`--defaults` makes `/alice/contacts/addressbook/`): add-member with a `//path`
 * Location, 500 on a sync token it does not know, 500 on addressbook-query, one git commit per PUT.
 *
 * Seeding many cards by PUT costs a commit each (1,000 took over nine minutes on a loaded
 * machine), so a bulk seed (`BULK_SEED` cards or more) writes them into the collection's git
 * store by Xandikos's own store code with one commit (`xandikos-seed.py`); fewer go by PUT, as
 * another client's.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BULK_SEED, freePort, launch, mkAddressBook, putCards, restartHard, stopProcess, waitForPort } from './process';
import type { TestServer } from './servers';

// Beside this file; from the bundled benchmarks (dist/bench), in the checkout they run from.
const SEEDER = [join(dirname(fileURLToPath(import.meta.url)), 'xandikos-seed.py'), join(process.cwd(), 'tests', 'servers', 'xandikos-seed.py')].find((f) => existsSync(f));
// Debian's python3, where Xandikos and dulwich are installed (another python3 may come first).
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/**
 * Write cards into the git store of the collection at `folder` in one commit, by Xandikos's own
 * store code; false where that cannot be done here (no seeder, or its Python lacks Xandikos), so
 * the caller PUTs them instead. A card the store refuses is an error, not a fallback.
 */
function seedStore(folder: string, cards: readonly { file: string; vcard: string }[]): boolean {
  if (SEEDER === undefined || process.env.CARDINAL_SEED === 'put') return false;
  try {
    execFileSync(PYTHON, ['-c', 'import xandikos.store.git, dulwich'], { stdio: 'ignore' });
  } catch {
    return false;
  }
  execFileSync(PYTHON, [SEEDER, folder], { input: JSON.stringify(cards), stdio: ['pipe', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  return true;
}

export async function startXandikos(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cardinal-xandikos-'));
  const port = await freePort();
  let proc: ChildProcess;
  const start = async () => {
    proc = launch('xandikos', ['-d', dir, '-l', '127.0.0.1', '-p', String(port), '--current-user-principal', '/alice/', '--defaults']);
    await waitForPort(port, proc, 'xandikos');
  };
  await start();
  const base = `http://127.0.0.1:${port}`;
  const addressBookUrl = `${base}/alice/contacts/addressbook/`;
  let books = 0;
  return {
    name: 'xandikos',
    baseUrl: `${base}/`,
    addressBookUrl,
    user: 'alice',
    password: '',
    newBook: async () => {
      const url = `${base}/alice/contacts/book${++books}/`;
      await mkAddressBook(url, `Book ${books}`);
      return url;
    },
    // A few cards by PUT, as another client's; many straight into the store in one commit.
    seed: async (cards, book = addressBookUrl) => {
      const folder = join(dir, ...new URL(book).pathname.split('/').filter((s) => s !== ''));
      if (cards.length >= BULK_SEED && seedStore(folder, cards)) return;
      await putCards(book, cards);
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
