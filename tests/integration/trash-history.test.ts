/**
 * The trash, every contact's history and the undo of a whole run, against the renderer's Dexie
 * store (fake-indexeddb) with the sync engine's store requests going through the same port as in
 * the app (storeCollection), so the sync's writes are the ones the engine makes.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeCollection } from '../../electron/sync/store-collection';
import type { LocalCollection } from '../../electron/sync/local';
import { HISTORY_DAYS, MAX_VERSIONS, maintainHistory, TRASH_DAYS } from '../../renderer/src/db/history';
import { ContactRepo, type StoredContact } from '../../renderer/src/db/repo';
import { LOCAL_BOOK_ID } from '../../renderer/src/db/schema';
import { deriveListFields } from '../../shared/book/derive';
import { parseVCard } from '../../shared/vcard';
import { cardPrint } from '../../shared/duplicates/keys';
import { openStore } from './renderer-store';

const DAY = 86_400_000;
const card = (uid: string, fn: string, extra = '') => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\n${extra}END:VCARD\r\n`;
const fnOf = (vcard: string | undefined) => /^FN:(.*?)\r?$/m.exec(vcard ?? '')?.[1];
const BOOK = 'server-book';
let opened = 0;

describe('trash, history and undo of runs', () => {
  let store: Awaited<ReturnType<typeof openStore>>;
  let repo: ContactRepo;
  let sync: LocalCollection;
  beforeEach(async () => {
    store = await openStore(`trash-${process.pid}-${++opened}`);
    repo = store.repo;
    await store.port.request('ensureBook', BOOK, 'Server book');
    sync = storeCollection(store.port, BOOK);
  });
  afterEach(() => repo.db.close());

  /** A card that came from the server, clean; its id. */
  async function synced(uid: string, fn: string, extra = ''): Promise<string> {
    await sync.applyRemote({ upserts: [{ href: `/book/${uid}.vcf`, etag: `"${uid}-1"`, vcard: card(uid, fn, extra) }], deletes: [], state: { syncToken: `t-${uid}`, ctag: null } });
    return (await repo.db.etags.where('[bookId+href]').equals([BOOK, `/book/${uid}.vcf`]).first())!.id;
  }
  const localContact = async (uid: string, fn: string) => (await repo.create(LOCAL_BOOK_ID, parseVCard(card(uid, fn)))).row.id;

  describe('the trash', () => {
    it('keeps a contact the user deletes with its last vCard, book and time; the 10-second undo takes it out again', async () => {
      const id = await localContact('a', 'Ada');
      await repo.update(id, parseVCard(card('a', 'Ada Lovelace', 'NOTE:last words\r\n')));
      const removed = await repo.remove([id]);
      const [t] = await repo.trash();
      expect(t).toMatchObject({ id, bookId: LOCAL_BOOK_ID, by: 'local' });
      expect(t!.card.vcard).toContain('NOTE:last words');
      expect(Date.now() - t!.deletedAt).toBeLessThan(DAY);
      await repo.restore(removed);
      expect(await repo.trash()).toEqual([]);
      expect(fnOf((await repo.getCard(id))!.vcard)).toBe('Ada Lovelace');
    });

    it('keeps a contact a sync deleted (the server deleted it), by the server; a contact the user deleted is there once, by the user', async () => {
      const a = await synced('a', 'Ada');
      const b = await synced('b', 'Bob');
      await repo.remove([b]); // waiting for the server
      await sync.deleted(b, (await repo.getCard(b))!.revision ?? 0);
      await sync.applyRemote({ upserts: [], deletes: ['/book/a.vcf'], state: { syncToken: 't2', ctag: null } });
      const trash = await repo.trash();
      expect(trash.map((t) => [fnOf(t.card.vcard), t.by]).sort()).toEqual([
        ['Ada', 'server'],
        ['Bob', 'local'],
      ]);
      expect(await repo.db.contacts.get(a)).toBeUndefined();
    });

    it('never keeps a group card (a group is no contact)', async () => {
      const g = await synced('g', 'Chess', 'X-ADDRESSBOOKSERVER-KIND:group\r\n');
      await sync.applyRemote({ upserts: [], deletes: ['/book/g.vcf'] });
      expect(await repo.db.contacts.get(g)).toBeUndefined();
      expect(await repo.trash()).toEqual([]);
    });

    it('restores a contact of this computer’s book as it was, with its history', async () => {
      const id = await localContact('a', 'Ada');
      await repo.setFavorite(id, true);
      await repo.remove([id]);
      const back = await repo.restoreFromTrash([id], LOCAL_BOOK_ID);
      expect(back.moved).toEqual([]);
      expect(await repo.db.contacts.get(id)).toMatchObject({ displayName: 'Ada', favorite: 1, pending: '' });
      expect(await repo.trash()).toEqual([]);
      expect((await repo.versionsOf(id)).map((v) => v.source)).toEqual(['create']); // the same card: no new version
    });

    it('restores a contact the server deleted as a new pending create, which the next sync uploads', async () => {
      const id = await synced('a', 'Ada', 'X-KEEP:me\r\n');
      await sync.applyRemote({ upserts: [], deletes: ['/book/a.vcf'] });
      const back = await repo.restoreFromTrash([id], LOCAL_BOOK_ID);
      expect(back.changed.map((r) => r.id)).toEqual([id]);
      const [pending] = await sync.pending();
      expect(pending).toMatchObject({ id, pending: 'created', href: '' });
      expect(pending!.vcard).toContain('X-KEEP:me');
    });

    it('restores a contact the user deleted in a synced book, not yet deleted there, as an edit to compare with the server', async () => {
      const id = await synced('a', 'Ada');
      await repo.remove([id]);
      await repo.restoreFromTrash([id], LOCAL_BOOK_ID);
      expect(await repo.db.contacts.get(id)).toMatchObject({ pending: 'updated' });
      expect((await sync.pending()).map((p) => p.pending)).toEqual(['updated']);
    });

    it('restores a contact whose book is gone to the default book, and says which', async () => {
      const id = await synced('a', 'Ada');
      await sync.applyRemote({ upserts: [], deletes: ['/book/a.vcf'] });
      await store.port.request('removeBook', BOOK);
      const back = await repo.restoreFromTrash([id], LOCAL_BOOK_ID);
      expect(back.moved).toEqual([id]);
      expect(await repo.db.contacts.get(id)).toMatchObject({ bookId: LOCAL_BOOK_ID, displayName: 'Ada', pending: '' });
    });

    it('deletes forever (with its history) and empties the trash', async () => {
      const a = await localContact('a', 'Ada');
      const b = await localContact('b', 'Bob');
      await repo.remove([a, b]);
      await repo.deleteForever([a]);
      expect((await repo.trash()).map((t) => t.id)).toEqual([b]);
      expect(await repo.versionsOf(a)).toEqual([]);
      expect(await repo.emptyTrash()).toBe(1);
      expect(await repo.trash()).toEqual([]);
    });

    it('expires at start: the trash after 30 days (with the versions of those contacts), versions and runs after 90 days, in batches', async () => {
      const now = Date.now();
      const many = Array.from({ length: 1200 }, (_, i) => ContactRepo.rowsFrom(`p${i}`, LOCAL_BOOK_ID, card(`p${i}`, `P${i}`), deriveListFields(parseVCard(card(`p${i}`, `P${i}`)))));
      await repo.putAll(many);
      const ids = many.map((m) => m.row.id);
      await repo.remove(ids);
      const keep = await localContact('k', 'Kept');
      await repo.update(keep, parseVCard(card('k', 'Kept Too')));
      // Age what is there: half the trash past 30 days, the kept contact's first version past 90.
      await repo.db.trash.bulkUpdate(ids.slice(0, 600).map((key) => ({ key, changes: { deletedAt: now - (TRASH_DAYS + 1) * DAY } })));
      const [newest, oldest] = await repo.versionsOf(keep);
      await repo.db.versions.update(oldest!.id, { at: now - (HISTORY_DAYS + 1) * DAY });
      const runId = await repo.putAll([ContactRepo.rowsFrom('imp', LOCAL_BOOK_ID, card('i', 'Imported'), deriveListFields(parseVCard(card('i', 'Imported'))))], undefined, { source: 'import', run: { kind: 'import' } });
      await repo.db.runs.update(runId!, { at: now - (HISTORY_DAYS + 1) * DAY });

      const done = await maintainHistory(repo.db, now);
      expect(done).toEqual({ trash: 600, versions: 1, runs: 1 }); // the 600 contacts' versions went with them
      expect(await repo.db.trash.count()).toBe(600);
      expect(await repo.versionsOf(ids[0]!)).toEqual([]);
      expect((await repo.versionsOf(ids[700]!)).length).toBe(1);
      expect((await repo.versionsOf(keep)).map((v) => v.id)).toEqual([newest!.id]);
      expect(await repo.runsOf(LOCAL_BOOK_ID)).toEqual([]);
    });
  });

  describe('history', () => {
    it('records every change as a version with who and when: a local edit, a server change, an import, a restore', async () => {
      const id = await synced('a', 'Ada');
      await repo.update(id, parseVCard(card('a', 'Ada L')));
      const [p] = await sync.pending();
      await sync.uploaded(p!.id, { href: '/book/a.vcf', etag: '"a-2"', vcard: card('a', 'Ada L') }, p!.revision);
      await sync.applyRemote({ upserts: [{ href: '/book/a.vcf', etag: '"a-3"', vcard: card('a', 'Ada Lovelace', 'TEL:+44 20 7946 0000\r\n') }], deletes: [] });
      const versions = await repo.versionsOf(id);
      expect(versions.map((v) => [v.source, v.by, fnOf(v.vcard)])).toEqual([
        ['sync', 'server', 'Ada Lovelace'],
        ['edit', 'local', 'Ada L'],
        ['sync', 'server', 'Ada'],
      ]);
      expect(versions[0]!.at).toBeGreaterThan(versions[1]!.at);
      const imported = await repo.putAll([ContactRepo.rowsFrom('imp', LOCAL_BOOK_ID, card('i', 'Imported'), deriveListFields(parseVCard(card('i', 'Imported'))))]);
      expect(imported).toBeUndefined();
      expect((await repo.versionsOf('imp')).map((v) => v.source)).toEqual(['import']);
    });

    it('an import writes each vCard once: its versions stand for their cards’ text until a card changes, and every reader still gets the imported text', async () => {
      const text = card('i', 'Imported', 'NOTE:as in the file\r\n');
      const other = card('o', 'Other');
      await repo.putAll(
        [ContactRepo.rowsFrom('imp', LOCAL_BOOK_ID, text, deriveListFields(parseVCard(text))), ContactRepo.rowsFrom('oth', LOCAL_BOOK_ID, other, deriveListFields(parseVCard(other)))],
        undefined,
        { source: 'import', run: { kind: 'import', name: 'f.vcf' } },
      );
      // Schema 9: no version row at all; the cards say which import made them.
      expect(await repo.db.versions.toArray()).toEqual([]);
      expect((await repo.db.cards.get('imp'))!.imported).toMatchObject({ print: cardPrint(text) });
      expect((await repo.versionsOf('imp')).map((v) => [v.source, v.vcard])).toEqual([['import', text]]);
      // Deleted: the trash's copy of the card gives the text.
      await repo.remove(['oth']);
      expect((await repo.versionsOf('oth')).map((v) => v.vcard)).toEqual([other]);
      // An edit writes the imported text into its version, then records the edit.
      await repo.update('imp', parseVCard(card('i', 'Edited')));
      const imported = (await repo.versionsOf('imp')).at(-1)!;
      expect(imported).toMatchObject({ source: 'import', vcard: text });
      expect((await repo.db.versions.get(imported.id))!.vcard).toBe(text);
      // Restoring the imported version brings its text back, as an edit.
      const back = await repo.restoreVersion('imp', imported.id);
      expect(back!.card.vcard).toContain('NOTE:as in the file');
      expect((await repo.versionsOf('imp')).map((v) => v.source)).toEqual(['restore', 'edit', 'import']);
    });

    /** An import of these cards (ids from their UIDs) into a book, as the window's putAll writes a CSV's or changed cards: its run's id. */
    const importCardsNamed = async (bookId: string, ...texts: string[]) =>
      (await repo.putAll(
        texts.map((t) => ContactRepo.rowsFrom(/^UID:(.*?)\r?$/m.exec(t)![1]!, bookId, t, deriveListFields(parseVCard(t)))),
        undefined,
        { source: 'import', run: { kind: 'import', name: 'f.vcf' } },
      ))!;

    it('an imported contact’s history shows the import as its first version without a version row', async () => {
      const text = card('imp', 'Imported', 'NOTE:as in the file\r\n');
      const runId = await importCardsNamed(LOCAL_BOOK_ID, text);
      expect(await repo.db.versions.count()).toBe(0);
      const [first] = await repo.versionsOf('imp');
      expect(first).toMatchObject({ source: 'import', by: 'local', vcard: text, runId, bookId: LOCAL_BOOK_ID });
      expect((await repo.versionsOf('imp')).length).toBe(1);
      // The duplicates' "here longest" reads the import's time.
      expect(await repo.firstVersionAt(['imp'])).toEqual([first!.at]);
      // Restoring it (after an edit) brings the imported text back as an edit.
      await repo.update('imp', parseVCard(card('imp', 'Edited')));
      expect((await repo.versionsOf('imp')).map((v) => v.source)).toEqual(['edit', 'import']);
      await repo.restoreVersion('imp', first!.id);
      expect((await repo.getCard('imp'))!.vcard).toContain('NOTE:as in the file');
      expect((await repo.versionsOf('imp')).map((v) => v.source)).toEqual(['restore', 'edit', 'import']);
      expect(await repo.firstVersionAt(['imp'])).toEqual([first!.at]);
    });

    it('an import’s contact edited then the import undone asks first; the edit writes the import’s version, not an earlier one', async () => {
      const runId = await importCardsNamed(LOCAL_BOOK_ID, card('e1', 'Edited later'), card('e2', 'Left alone'));
      expect(await repo.changedAfterRun(runId)).toBe(0);
      expect(await repo.db.versions.count()).toBe(0);
      await repo.update('e1', parseVCard(card('e1', 'Edited here')));
      const rows = await repo.db.versions.toArray();
      expect(rows.map((v) => v.source).sort()).toEqual(['edit', 'import']);
      expect(rows.find((v) => v.source === 'import')).toMatchObject({ contactId: 'e1', vcard: card('e1', 'Edited later'), runId });
      expect((await repo.versionsOf('e1')).map((v) => [v.source, fnOf(v.vcard)])).toEqual([
        ['edit', 'Edited here'],
        ['import', 'Edited later'],
      ]);
      expect(await repo.changedAfterRun(runId)).toBe(1);
      const undone = await repo.undoRun(runId, LOCAL_BOOK_ID);
      expect(undone.removed.sort()).toEqual(['e1', 'e2']);
      expect((await repo.trash()).map((t) => t.id).sort()).toEqual(['e1', 'e2']);
    });

    it('an imported contact without a version row in the trash: its history from the trash row, gone for good with it, back with it', async () => {
      await importCardsNamed(LOCAL_BOOK_ID, card('t1', 'Trashed'), card('t2', 'Forgotten'));
      expect(await repo.db.versions.count()).toBe(0);
      await repo.remove(['t1', 't2']);
      expect((await repo.versionsOf('t1')).map((v) => [v.source, fnOf(v.vcard)])).toEqual([['import', 'Trashed']]);
      await repo.deleteForever(['t2']);
      expect(await repo.versionsOf('t2')).toEqual([]);
      await repo.restoreFromTrash(['t1'], LOCAL_BOOK_ID);
      expect((await repo.versionsOf('t1')).map((v) => [v.source, fnOf(v.vcard)])).toEqual([['import', 'Trashed']]);
    });

    it('an imported contact without a version row deleted by the server: the undo of that sync brings it back with its import as history', async () => {
      const text = card('srv', 'Sid');
      await sync.applyRemote({ upserts: [], deletes: [], state: { syncToken: 't0', ctag: null } });
      await importCardsNamed(BOOK, text);
      expect(await repo.db.versions.count()).toBe(0);
      const [p] = await sync.pending();
      await sync.uploaded(p!.id, { href: '/book/srv.vcf', etag: '"srv-1"', vcard: text }, p!.revision);
      await sync.applyRemote({ upserts: [], deletes: ['/book/srv.vcf'], state: { syncToken: 't1', ctag: null } });
      const run = (await repo.runsOf(BOOK)).find((r) => r.kind === 'sync' && r.entries.some((e) => e.contactId === 'srv' && e.change === 'deleted'))!;
      expect(run.entries.find((e) => e.contactId === 'srv')!.before).not.toBeNull();
      await repo.undoRun(run.id, LOCAL_BOOK_ID);
      expect(fnOf((await repo.getCard('srv'))!.vcard)).toBe('Sid');
      expect((await repo.versionsOf('srv')).at(-1)).toMatchObject({ source: 'import' });
    });

    it('an imported contact’s first version ages out after 90 days, as a version row would', async () => {
      await importCardsNamed(LOCAL_BOOK_ID, card('old', 'Old'));
      const c = (await repo.db.cards.get('old'))!;
      await repo.db.cards.put({ ...c, imported: { ...c.imported!, at: Date.now() - (HISTORY_DAYS + 1) * DAY } });
      expect(await repo.versionsOf('old')).toEqual([]);
      await repo.update('old', parseVCard(card('old', 'Old, edited')));
      expect((await repo.versionsOf('old')).map((v) => v.source)).toEqual(['edit', 'earlier']);
    });

    it('an imported contact changed by the server: the sync writes the imported text into its version, and undoing that run brings it back', async () => {
      const text = card('s', 'Sam', 'EMAIL:sam@example.org\r\n');
      await sync.applyRemote({ upserts: [], deletes: [], state: { syncToken: 't0', ctag: null } });
      await repo.putAll([ContactRepo.rowsFrom('sam', BOOK, text, deriveListFields(parseVCard(text)))], undefined, { source: 'import', run: { kind: 'import' } });
      const [p] = await sync.pending();
      await sync.uploaded(p!.id, { href: '/book/s.vcf', etag: '"s-1"', vcard: text }, p!.revision);
      await sync.applyRemote({ upserts: [{ href: '/book/s.vcf', etag: '"s-2"', vcard: card('s', 'Sam (changed there)') }], deletes: [], state: { syncToken: 't1', ctag: null } });
      expect((await repo.versionsOf('sam')).map((v) => [v.source, fnOf(v.vcard)])).toEqual([
        ['sync', 'Sam (changed there)'],
        ['import', 'Sam'],
      ]);
      const run = (await repo.runsOf(BOOK)).find((r) => r.kind === 'sync' && r.entries.some((e) => e.contactId === 'sam' && e.change === 'updated'))!;
      await repo.undoRun(run.id, LOCAL_BOOK_ID);
      expect((await repo.getCard('sam'))!.vcard).toContain('EMAIL:sam@example.org');
    });

    it('starts the history of a contact from before history with its card as it was', async () => {
      const id = await localContact('a', 'Ada');
      await repo.db.versions.clear(); // as written by a version without history
      await repo.update(id, parseVCard(card('a', 'Ada L')));
      expect((await repo.versionsOf(id)).map((v) => [v.source, fnOf(v.vcard)])).toEqual([
        ['edit', 'Ada L'],
        ['earlier', 'Ada'],
      ]);
    });

    it('keeps at most 50 versions of a contact, dropping the oldest in the same transaction', async () => {
      const id = await localContact('a', 'Ada');
      for (let i = 1; i <= MAX_VERSIONS + 5; i++) await repo.update(id, parseVCard(card('a', `Ada ${i}`)));
      const versions = await repo.versionsOf(id);
      expect(versions.length).toBe(MAX_VERSIONS);
      expect(fnOf(versions[0]!.vcard)).toBe(`Ada ${MAX_VERSIONS + 5}`);
      expect(fnOf(versions.at(-1)!.vcard)).toBe('Ada 6');
    });

    it('restores a version as a new edit here: in a synced book a pending update the sync merges', async () => {
      const id = await synced('a', 'Ada', 'EMAIL:ada@example.org\r\n');
      await sync.applyRemote({ upserts: [{ href: '/book/a.vcf', etag: '"a-2"', vcard: card('a', 'Ada (changed there)') }], deletes: [] });
      const first = (await repo.versionsOf(id)).at(-1)!;
      const stored = await repo.restoreVersion(id, first.id);
      expect(stored!.row.pending).toBe('updated');
      const [p] = await sync.pending();
      expect(p).toMatchObject({ id, pending: 'updated', href: '/book/a.vcf', etag: '"a-2"' });
      expect(p!.vcard).toContain('EMAIL:ada@example.org');
      expect(p!.base).toBe(card('a', 'Ada (changed there)'));
      expect((await repo.versionsOf(id))[0]!.source).toBe('restore');
    });
    it('restores a version from before the server gave the card its own UID without taking the old UID back', async () => {
      // Google and Workspace replace a created card's UID; the version made here still holds ours.
      const id = await localContact('model-ada', 'Ada');
      await repo.update(id, parseVCard(card('model-ada', 'Ada', 'NOTE:before the server\r\n')));
      const ours = (await repo.versionsOf(id))[0]!;
      await repo.update(id, parseVCard(card('g3a0f0219e313', 'Ada Lovelace')));
      const stored = await repo.restoreVersion(id, ours.id);
      expect(stored!.card.vcard).toContain('UID:g3a0f0219e313');
      expect(stored!.card.vcard).not.toContain('model-ada');
      expect(stored!.card.vcard).toContain('NOTE:before the server');
      expect(fnOf(stored!.card.vcard)).toBe('Ada');
    });

    it('a version that differs from the card only in its UID restores as no edit', async () => {
      const id = await synced('g1', 'Ada', 'EMAIL:ada@example.org\r\n');
      const older = card('ours-1', 'Ada', 'EMAIL:ada@example.org\r\n');
      await repo.db.versions.put({ ...(await repo.versionsOf(id))[0]!, id: 'older', vcard: older, at: 1 });
      await repo.restoreVersion(id, 'older');
      expect((await repo.db.contacts.get(id))!.pending).toBeFalsy();
      expect(await sync.pending()).toEqual([]);
    });
  });

  describe('undo of a run', () => {
    it('undoes an import: what it added goes to the trash, what it changed goes back to the version before', async () => {
      const kept = await localContact('k', 'Kept');
      const changed = await localContact('c', 'Carol');
      const fresh = ['n1', 'n2'].map((uid) => ContactRepo.rowsFrom(`id-${uid}`, LOCAL_BOOK_ID, card(uid, uid.toUpperCase()), deriveListFields(parseVCard(card(uid, uid.toUpperCase())))));
      const row = (await repo.db.contacts.get(changed))!;
      const old = (await repo.db.cards.get(changed))!;
      const update: StoredContact = ContactRepo.rowsFrom(changed, LOCAL_BOOK_ID, card('c', 'Carol (from the file)'), deriveListFields(parseVCard(card('c', 'Carol (from the file)'))), { row, card: old });
      // As the import writes: its new cards named as such (not looked up), the changed one after them.
      const runId = await repo.putAll([...fresh, update], undefined, { source: 'import', run: { kind: 'import', name: 'cards.vcf' }, fresh: fresh.length });
      const [run] = await repo.runsOf(LOCAL_BOOK_ID);
      expect(run).toMatchObject({ id: runId, kind: 'import', name: 'cards.vcf' });
      expect(run!.entries.map((e) => e.change)).toEqual(['created', 'created', 'updated']);

      const result = await repo.undoRun(runId!, LOCAL_BOOK_ID);
      expect(result.removed.sort()).toEqual(['id-n1', 'id-n2']);
      expect((await repo.allRows()).map((r) => r.displayName).sort()).toEqual(['Carol', 'Kept']);
      expect((await repo.trash()).map((t) => t.id).sort()).toEqual(['id-n1', 'id-n2']);
      expect(await repo.db.contacts.get(kept)).toBeDefined();
      expect((await repo.runsOf(LOCAL_BOOK_ID))[0]!.undoneAt).toBeDefined();
      expect((await repo.undoRun(runId!, LOCAL_BOOK_ID)).changed).toEqual([]); // once
    });

    it('undoes a large import in batches, saying how far it got; cut short midway, it goes on from there and asks only of what is left', async () => {
      const own = await localContact('own', 'Own');
      const fresh = Array.from({ length: 1_200 }, (_, i) => ContactRepo.rowsFrom(`big-${String(i).padStart(4, '0')}`, LOCAL_BOOK_ID, card(`u${i}`, `Person ${i}`), deriveListFields(parseVCard(card(`u${i}`, `Person ${i}`)))));
      const runId = (await repo.putAll(fresh, undefined, { source: 'import', run: { kind: 'import', name: 'big.vcf' }, fresh: fresh.length }))!;
      // One of the second batch changed after the import: asked about, then undone over its change (History keeps it).
      await repo.update('big-1100', parseVCard(card('u1100', 'Person 1100 (edited)')));
      expect(await repo.changedAfterRun(runId)).toBe(1);
      // The window closes (or the store fails) in the middle of the second batch.
      const remove = repo.remove.bind(repo);
      let calls = 0;
      repo.remove = async (ids, mergedInto) => {
        if (++calls === 2) throw new Error('cut short');
        return remove(ids, mergedInto);
      };
      const progress: [number, number][] = [];
      let sofar: string[] = [];
      await expect(repo.undoRun(runId, LOCAL_BOOK_ID, (done, total, committed) => {
        progress.push([done, total]);
        sofar = [...committed.removed];
      }, 500)).rejects.toThrow('cut short');
      expect(progress).toEqual([[0, 1_200], [500, 1_200]]);
      expect(sofar).toHaveLength(500);
      // The first batch is in the trash whole, the rest untouched; the run says how far its undo got.
      expect(await repo.db.trash.count()).toBe(500);
      expect(await repo.db.contacts.count()).toBe(701);
      const [cut] = await repo.runsOf(LOCAL_BOOK_ID);
      expect(cut).toMatchObject({ id: runId, undoneTo: 500 });
      expect(cut!.undoneAt).toBeUndefined();
      // Those it already put in the trash are no "change after the run": only the edited one is asked about.
      expect(await repo.changedAfterRun(runId)).toBe(1);
      repo.remove = remove;
      progress.length = 0;
      const rest = await repo.undoRun(runId, LOCAL_BOOK_ID, (done, total) => progress.push([done, total]), 500);
      expect(progress).toEqual([[500, 1_200], [1_000, 1_200], [1_200, 1_200]]);
      expect(rest.removed).toHaveLength(700);
      expect((await repo.allRows()).map((r) => r.id)).toEqual([own]);
      expect(await repo.db.trash.count()).toBe(1_200);
      expect((await repo.runsOf(LOCAL_BOOK_ID))[0]!.undoneAt).toBeDefined();
      expect(await repo.changedAfterRun(runId)).toBe(0);
      // The edited one went with its edit, and comes back from the trash with it.
      expect(fnOf((await repo.db.trash.get('big-1100'))!.card.vcard)).toBe('Person 1100 (edited)');
      await repo.restoreFromTrash(['big-0000', 'big-1100'], LOCAL_BOOK_ID);
      expect((await repo.allRows()).map((r) => r.displayName).sort()).toEqual(['Own', 'Person 0', 'Person 1100 (edited)']);
    });

    it('undoes a sync run as edits here that sync: changes back as updates, deletions back as creates, creates to the trash', async () => {
      const a = await synced('a', 'Ada');
      const b = await synced('b', 'Bob');
      // One sync run in two batches: Ada changed, Bob deleted, Cy new; then the state.
      await sync.applyRemote({ upserts: [{ href: '/book/a.vcf', etag: '"a-2"', vcard: card('a', 'Ada (bad)') }, { href: '/book/c.vcf', etag: '"c-1"', vcard: card('c', 'Cy') }], deletes: [] });
      await sync.applyRemote({ upserts: [], deletes: ['/book/b.vcf'], state: { syncToken: 't9', ctag: null } });
      const runs = await repo.runsOf(BOOK);
      const run = runs[0]!;
      expect(run.kind).toBe('sync');
      expect(run.open).toBeUndefined();
      expect(run.entries.map((e) => e.change).sort()).toEqual(['created', 'deleted', 'updated']);
      const c = (await repo.db.etags.where('[bookId+href]').equals([BOOK, '/book/c.vcf']).first())!.id;

      await repo.undoRun(run.id, LOCAL_BOOK_ID);
      const pending = new Map((await sync.pending()).map((p) => [p.id, p]));
      expect(pending.get(a)).toMatchObject({ pending: 'updated', href: '/book/a.vcf' });
      expect(fnOf(pending.get(a)!.vcard)).toBe('Ada');
      expect(pending.get(b)).toMatchObject({ pending: 'created', href: '' });
      expect(fnOf(pending.get(b)!.vcard)).toBe('Bob');
      expect(pending.get(c)).toMatchObject({ pending: 'deleted', href: '/book/c.vcf' });
      expect((await repo.trash()).map((t) => t.id)).toEqual([c]);
      expect((await repo.versionsOf(a))[0]!.source).toBe('undo');
    });

    it('a sync run of three batches: each later batch writes only its own entries (the run is not rewritten whole), and the run reads, counts and undoes as one', async () => {
      const a = await synced('a', 'Ada');
      const b = await synced('b', 'Bob');
      await sync.applyRemote({ upserts: [{ href: '/book/a.vcf', etag: '"a-2"', vcard: card('a', 'Ada (1)') }, { href: '/book/c.vcf', etag: '"c-1"', vcard: card('c', 'Cy') }], deletes: [] });
      const [head] = (await repo.db.runs.toArray()).filter((r) => r.open === true);
      expect(head!.entries).toHaveLength(2);
      // Ada again in the second batch (she keeps the version from before the run), Cy changed again (still a create).
      await sync.applyRemote({ upserts: [{ href: '/book/a.vcf', etag: '"a-3"', vcard: card('a', 'Ada (2)') }, { href: '/book/c.vcf', etag: '"c-2"', vcard: card('c', 'Cy (2)') }], deletes: [] });
      await sync.applyRemote({ upserts: [], deletes: ['/book/b.vcf'], state: { syncToken: 't9', ctag: null } });
      // The run's first row still holds its first batch's entries alone; the later ones are rows of their own.
      expect((await repo.db.runs.get(head!.id))!.entries).toHaveLength(2);
      const runs = await repo.runsOf(BOOK);
      const syncRuns = runs.filter((r) => r.at === head!.at);
      expect(syncRuns).toHaveLength(1);
      const run = syncRuns[0]!;
      expect(run.open).toBeUndefined();
      const c = (await repo.db.etags.where('[bookId+href]').equals([BOOK, '/book/c.vcf']).first())!.id;
      expect(run.entries.map((e) => [e.contactId, e.change])).toEqual([
        [a, 'updated'],
        [c, 'created'],
        [b, 'deleted'],
      ]);
      expect(run.entries[0]!.before).toBe(head!.entries[0]!.before);
      expect(await repo.changedAfterRun(run.id)).toBe(0);
      await repo.undoRun(run.id, LOCAL_BOOK_ID);
      const pending = new Map((await sync.pending()).map((p) => [p.id, p]));
      expect(fnOf(pending.get(a)!.vcard)).toBe('Ada');
      expect(pending.get(b)).toMatchObject({ pending: 'created' });
      expect(pending.get(c)).toMatchObject({ pending: 'deleted' });
      expect((await repo.runsOf(BOOK)).find((r) => r.id === run.id)!.undoneAt).toBeDefined();
    });

    it('counts the run’s contacts changed again since it (an edit here, a later deletion), so the window can ask before the undo goes over them', async () => {
      const a = await synced('a', 'Ada');
      const b = await synced('b', 'Bob');
      const d = await synced('d', 'Dan');
      await sync.applyRemote({ upserts: [{ href: '/book/a.vcf', etag: '"a-2"', vcard: card('a', 'Ada (there)') }, { href: '/book/b.vcf', etag: '"b-2"', vcard: card('b', 'Bob (there)') }, { href: '/book/d.vcf', etag: '"d-2"', vcard: card('d', 'Dan (there)') }], deletes: [], state: { syncToken: 't5', ctag: null } });
      const run = (await repo.runsOf(BOOK))[0]!;
      expect(run.entries).toHaveLength(3);
      expect(await repo.changedAfterRun(run.id)).toBe(0);
      await repo.update(a, parseVCard(card('a', 'Ada (edited here after)')));
      expect(await repo.changedAfterRun(run.id)).toBe(1);
      await repo.remove([b]);
      expect(await repo.changedAfterRun(run.id)).toBe(2);
      void d;
      await repo.undoRun(run.id, LOCAL_BOOK_ID);
      expect(await repo.changedAfterRun(run.id)).toBe(0); // undone: nothing to ask
    });

    it('records a run only for batches that changed something, and not the server sending back our own write', async () => {
      const a = await synced('a', 'Ada');
      const before = (await repo.runsOf(BOOK)).length;
      await sync.applyRemote({ upserts: [], deletes: [], state: { syncToken: 't3', ctag: null } });
      await sync.applyRemote({ upserts: [{ href: '/book/a.vcf', etag: '"a-1b"', vcard: card('a', 'Ada').replace('FN:Ada\r\n', 'FN:Ada\r\nREV:20260101T000000Z\r\n') }], deletes: [], state: { syncToken: 't4', ctag: null } });
      expect((await repo.runsOf(BOOK)).length).toBe(before);
      expect((await repo.versionsOf(a)).length).toBe(1);
    });
  });
});
