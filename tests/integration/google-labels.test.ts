/**
 * Google's labels in a Google account's sync, end to end against the fake Google with its People
 * API mounted: the real SyncManager (sign-in asks for the `contacts` scope too), the engine, the
 * labels sync and the renderer's Dexie store with its group store. Labels are the book's groups,
 * "starred" is the favourites.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { googleClientFromEnv, googleEndpoints } from '../../electron/auth/google-config';
import { NodePlatform } from '../../electron/platform/node-platform';
import { SyncManager } from '../../electron/sync/manager';
import { GroupStore } from '../../renderer/src/store/groups';
import { startFakeGoogle, type FakeGoogle } from '../servers/fake-google';
import { openStore } from './renderer-store';

const card = (uid: string, fn: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn.split(' ').reverse().join(';')};;;\r\nEMAIL:${uid}@example.org\r\nEND:VCARD\r\n`;
let dbCount = 0;

describe('Google labels through the People API (fake Google)', () => {
  let google: FakeGoogle;
  let dataDir: string;
  let manager: SyncManager | null = null;

  beforeEach(async () => {
    google = await startFakeGoogle();
    dataDir = mkdtempSync(join(tmpdir(), 'cardinal-labels-'));
  });
  afterEach(async () => {
    refuse = [];
    manager?.dispose();
    manager = null;
    await google.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Scopes the user unticks on the consent page (Google's granular consent), for the next sign-in. */
  let refuse: readonly string[] = [];

  async function signedIn(onRequest?: (name: string) => void, onAnswer?: (name: string, result: unknown) => void) {
    const store = await openStore(`labels-${++dbCount}-${Date.now()}`, onRequest, onAnswer);
    const platform = new NodePlatform({ dataDir, version: '0.0.0', onOpenExternal: (url) => void google.approve(url, { refuse }).then((back) => fetch(back)) });
    manager = new SyncManager({ platform, store: store.port, emit: () => {}, intervalMinutes: 0, debounceMs: 50, google: { endpoints: googleEndpoints(google.env), client: googleClientFromEnv(google.env), signInTimeoutMs: 10_000 } });
    const account = await manager.signInGoogle(null);
    const bookId = account.books[0]!.id;
    store.groups.setSignals(bookId, { account: 'google', url: account.books[0]!.url });
    const m = manager;
    const sync = async () => expect(await m.sync(account.id)).toMatchObject({ phase: 'idle' });
    await sync();
    const idOf = (name: string) => store.index.query('', bookId).find((r) => r.displayName === name)!.id;
    const groupsHere = () => Object.fromEntries(store.groups.groups(bookId).map((g) => [g.name, g.memberIds.map((id) => store.index.get(id)!.displayName).sort()]));
    return { ...store, bookId, sync, idOf, groupsHere, account, manager: m };
  }

  it('a label made on Google appears here after a sync, as a group of the book with its members', async () => {
    google.put('a1', card('a1', 'Ada Lovelace'));
    google.put('b2', card('b2', 'Bob Babbage'));
    const s = await signedIn();
    expect(s.groups.setting(s.bookId).storage).toBe('google-labels');
    const family = google.people.createGroup('Family');
    google.people.modify(family, [google.personOf('a1')], []);
    await s.sync();
    expect(s.groupsHere()).toEqual({ Family: ['Ada Lovelace'] });
  });

  it('a group made here, with members, renamed and emptied, reaches Google as a label; deleting it leaves the contacts', async () => {
    google.put('a1', card('a1', 'Ada Lovelace'));
    google.put('b2', card('b2', 'Bob Babbage'));
    const s = await signedIn();
    const key = await s.groups.create(s.bookId, 'Chess club');
    await s.groups.addMembers(s.bookId, key, [s.idOf('Ada Lovelace'), s.idOf('Bob Babbage')]);
    await s.sync();
    expect(google.people.groupsByName().get('Chess club')?.sort()).toEqual([google.personOf('a1'), google.personOf('b2')].sort());
    await s.groups.rename(s.bookId, key, 'Chess');
    await s.groups.removeMembers(s.bookId, key, [s.idOf('Bob Babbage')]);
    await s.sync();
    expect(google.people.groupsByName().get('Chess')).toEqual([google.personOf('a1')]);
    expect(google.people.groupsByName().has('Chess club')).toBe(false);
    await s.groups.remove(s.bookId, key);
    await s.sync();
    expect(google.people.groupsByName().has('Chess')).toBe(false);
    expect(s.index.query('', s.bookId)).toHaveLength(2);
  });

  it('starred on Google is a favourite here, and a favourite here is starred there', async () => {
    google.put('a1', card('a1', 'Ada Lovelace'));
    google.put('b2', card('b2', 'Bob Babbage'));
    const s = await signedIn();
    google.people.modify('contactGroups/starred', [google.personOf('a1')], []);
    await s.sync();
    expect(s.index.get(s.idOf('Ada Lovelace'))!.favorite).toBe(1);
    const bob = await s.repo.setFavorite(s.idOf('Bob Babbage'), true);
    s.index.upsert([bob!]);
    await s.sync();
    expect(google.people.group('contactGroups/starred')!.members.sort()).toEqual([google.personOf('a1'), google.personOf('b2')].sort());
  });

  it('a sign-in whose user refused the contacts scope syncs the cards, keeps groups here and says why; signing in again with it syncs the labels', async () => {
    google.put('a1', card('a1', 'Ada Lovelace'));
    refuse = ['https://www.googleapis.com/auth/contacts'];
    const s = await signedIn();
    expect(s.index.query('', s.bookId)).toHaveLength(1);
    expect(s.groups.labelAccess(s.bookId)).toBe('scope-missing');
    const family = google.people.createGroup('Family');
    google.people.modify(family, [google.personOf('a1')], []);
    const key = await s.groups.create(s.bookId, 'Chess');
    await s.groups.addMembers(s.bookId, key, [s.idOf('Ada Lovelace')]);
    await s.sync();
    // Nothing reached Google, nothing came from it; the refusal is remembered across a restart of the page.
    expect(google.people.groupsByName().has('Chess')).toBe(false);
    expect(s.groupsHere()).toEqual({ Chess: ['Ada Lovelace'] });
    expect((await GroupStore.open(s.repo, s.index)).labelAccess(s.bookId)).toBe('scope-missing');

    refuse = [];
    await s.manager.signInGoogle(s.account.id);
    await s.sync();
    expect(s.groups.labelAccess(s.bookId)).toBe('ok');
    expect(google.people.groupsByName().get('Chess')).toEqual([google.personOf('a1')]);
    expect(s.groupsHere()).toEqual({ Chess: ['Ada Lovelace'], Family: ['Ada Lovelace'] });
  });

  it('an OAuth client whose project has the People API off: the cards sync, the account says why labels do not; once it is on, they do', async () => {
    google.put('a1', card('a1', 'Ada Lovelace'));
    google.people.quirks.apiDisabled = true;
    const s = await signedIn();
    expect(s.index.query('', s.bookId)).toHaveLength(1);
    expect(s.groups.labelAccess(s.bookId)).toBe('api-disabled');
    google.people.quirks.apiDisabled = false;
    const family = google.people.createGroup('Family');
    google.people.modify(family, [google.personOf('a1')], []);
    await s.sync();
    expect(s.groups.labelAccess(s.bookId)).toBe('ok');
    expect(s.groupsHere()).toEqual({ Family: ['Ada Lovelace'] });
  });

  it('a sync with nothing to do reads the book once, writes no labels record and draws no group again; a label and a card changed on Google after it still arrive', async () => {
    google.put('a1', card('a1', 'Ada Lovelace'));
    google.put('b2', card('b2', 'Bob Babbage'));
    const asked: string[] = [];
    const s = await signedIn((name) => asked.push(name));
    const family = google.people.createGroup('Family');
    google.people.modify(family, [google.personOf('a1')], []);
    await s.sync();
    expect(s.groupsHere()).toEqual({ Family: ['Ada Lovelace'] });
    let recordWrites = 0;
    const count = (key: unknown) => {
      if (typeof key === 'string' && key.startsWith('labels:')) recordWrites++;
    };
    s.repo.db.meta.hook('creating', (key) => count(key));
    s.repo.db.meta.hook('updating', (_changes, key) => count(key));
    const drawn = s.groups.getVersion();
    asked.length = 0;
    await s.sync();
    // The book's rows once (the favourites and the cards to join people to in one read); the
    // labels record as it was; the groups as they were listed.
    expect(asked.filter((n) => n.startsWith('label'))).toEqual(['labelsReadWithCards', 'labelsApply']);
    expect(recordWrites).toBe(0);
    expect(s.groups.getVersion()).toBe(drawn);

    google.put('a1', card('a1', 'Ada King'));
    google.people.modify(family, [google.personOf('b2')], []);
    await s.sync();
    expect(s.groupsHere()).toEqual({ Family: ['Ada King', 'Bob Babbage'] });
    expect(s.groups.getVersion()).not.toBe(drawn);
    expect(recordWrites).toBe(1);
  });

  it('a no-change Google sync reads no rows for its labels; a favourite ticked and a label renamed here after it are read by the next pass and reach Google', async () => {
    google.put('a1', card('a1', 'Ada Lovelace'));
    google.put('b2', card('b2', 'Bob Babbage'));
    // Whether each labels pass read the book's rows.
    const rowsRead: boolean[] = [];
    const s = await signedIn(undefined, (name, r) => {
      if (name === 'labelsReadWithCards') rowsRead.push(!('unchanged' in (r as object)));
    });
    const family = google.people.createGroup('Family');
    google.people.modify(family, [google.personOf('a1')], []);
    await s.sync();
    expect(s.groupsHere()).toEqual({ Family: ['Ada Lovelace'] });
    rowsRead.length = 0;
    await s.sync();
    expect(rowsRead).toEqual([false]);

    const bob = await s.repo.setFavorite(s.idOf('Bob Babbage'), true);
    s.index.upsert([bob!]);
    await s.sync();
    expect(rowsRead).toEqual([false, true]);
    expect(google.people.group('contactGroups/starred')!.members).toEqual([google.personOf('b2')]);

    const key = s.groups.groups(s.bookId).find((g) => g.name === 'Family')!.key;
    await s.groups.rename(s.bookId, key, 'Kin');
    await s.sync();
    expect(rowsRead).toEqual([false, true, true]);
    expect(google.people.groupsByName().get('Kin')).toEqual([google.personOf('a1')]);
    await s.sync();
    expect(rowsRead).toEqual([false, true, true, false]);
    expect(s.groupsHere()).toEqual({ Kin: ['Ada Lovelace'] });
  });
});
