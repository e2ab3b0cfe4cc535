/**
 * Xandikos (Debian's `xandikos`) on 127.0.0.1 with a data folder of its own, without
 * authentication (`--defaults` makes `/alice/contacts/addressbook/`): add-member with a `//path`
 * Location, 500 on a sync token it does not know, 500 on addressbook-query, one git commit per PUT.
 */
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, launch, mkAddressBook, putCards, stopProcess, waitForPort } from './process';
import type { TestServer } from './servers';

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
    // Xandikos keeps a git repository: PUT each card (fine for the small numbers used with it).
    seed: (cards, book = addressBookUrl) => putCards(book, cards),
    pause: () => stopProcess(proc),
    resume: start,
    stop: async () => {
      await stopProcess(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
