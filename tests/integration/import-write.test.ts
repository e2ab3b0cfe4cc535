/**
 * An import's new contacts as the import workers write them (renderer/src/db/import-write.ts),
 * against the renderer's Dexie store (fake-indexeddb): two writers at once, as the two workers
 * that read a large file do, make one import run that "Recent changes" undoes as one; every
 * contact's history starts with the import, read from its card (no version row, schema 9); a batch that cannot be stored leaves nothing of itself; the changed
 * cards the window writes after them join the same run.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stamp, stampAfter } from '../../renderer/src/db/history';
import { importedContact, writeNewContacts, type WrittenBatch } from '../../renderer/src/db/import-write';
import { idInShare, pageEntries } from '../../renderer/src/db/keys-pages';
import { ContactRepo, type StoredContact } from '../../renderer/src/db/repo';
import { CardinalDB, LOCAL_BOOK_ID } from '../../renderer/src/db/schema';
import { importedCard } from '../../renderer/src/workers/imported-cards';
import { deriveListFields } from '../../shared/book/derive';
import { parseVCard } from '../../shared/vcard';
import { cardPrint } from '../../shared/duplicates/keys';

const card = (uid: string, fn: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\nEND:VCARD\r\n`;
let opened = 0;

describe('an import written by its workers', () => {
  let repo: ContactRepo;
  let name: string;
  beforeEach(async () => {
    name = `import-write-${process.pid}-${++opened}`;
    repo = await ContactRepo.open(name);
  });
  afterEach(() => repo.db.close());

  const contacts = (prefix: string, n: number, at = 1000): StoredContact[] =>
    Array.from({ length: n }, (_, i) => importedContact(`${prefix}-${i}`, LOCAL_BOOK_ID, importedCard(parseVCard(card(`${prefix}${i}`, `${prefix} ${i}`)), i + 1, false, 'US'), at));

  /** A writer as a worker is: its own connection to the window's database. */
  async function writer(items: StoredContact[], runId: string, batch: number, seen: WrittenBatch[] = []): Promise<void> {
    const db = new CardinalDB(name);
    await db.open();
    try {
      await writeNewContacts(db, items, { id: runId, bookId: LOCAL_BOOK_ID, name: 'big.vcf' }, batch, (b) => seen.push(b));
    } finally {
      db.close();
    }
  }

  it('a second card of one UID in the file, as a worker writes it with its new UID: the card and its row say that UID (a folded UID line replaced whole), nothing else of the card changes', async () => {
    const text = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:urn:uuid:0000000-aaaa-\r\n bbbb-cccc\r\nFN:Bo\r\nN:Bo;;;;\r\nNOTE:office\r\nEND:VCARD\r\n';
    const item = importedContact('x', LOCAL_BOOK_ID, importedCard(parseVCard(text), 1, false, 'US'), 1000, 'urn:uuid:new-one');
    expect(item.row.uid).toBe('urn:uuid:new-one');
    const back = parseVCard(item.card.vcard);
    expect(back.properties.filter((p) => p.name === 'UID').map((p) => p.value)).toEqual(['urn:uuid:new-one']);
    expect(back.properties.map((p) => p.name)).toEqual(parseVCard(text).properties.map((p) => p.name));
    expect(importedContact('y', LOCAL_BOOK_ID, importedCard(parseVCard(text), 1, false, 'US'), 1000).row.uid).toBe('urn:uuid:0000000-aaaa-bbbb-cccc');
  });

  it('two writers at once make one run with every contact, each with the import as its first version; the undo takes them all to the trash', async () => {
    const a = contacts('a', 7);
    const b = contacts('b', 5);
    const seenA: WrittenBatch[] = [];
    await Promise.all([writer(a, 'run-1', 3, seenA), writer(b, 'run-1', 2)]);
    expect(seenA.map((s) => s.done)).toEqual([3, 6, 7]);
    expect((await repo.allRows()).map((r) => r.id).sort()).toEqual([...a, ...b].map((s) => s.row.id).sort());
    // The rows stored are the rows the window builds for its list.
    expect(await repo.db.contacts.get('a-3')).toEqual(a[3]!.row);
    // The card without its duplicate keys, which are in the keys table's page (as the store's middleware leaves them).
    const { keys, ...bare } = b[1]!.card;
    expect(keys).toBeDefined();
    expect(await repo.db.cards.get('b-1')).toEqual({ ...bare, imported: { run: 'run-1', at: expect.any(Number), print: cardPrint(bare.vcard) } });
    const pages = new Map((await repo.db.dupkeys.toArray()).flatMap((p) => Object.entries(pageEntries(p))));
    expect(pages.get('b-1')).toEqual(keys);
    expect(pages.size).toBe(a.length + b.length);
    const runs = await repo.runsOf(LOCAL_BOOK_ID);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: 'run-1', kind: 'import', name: 'big.vcf' });
    expect(runs[0]!.entries.map((e) => e.contactId).sort()).toEqual([...a, ...b].map((s) => s.row.id).sort());
    expect(new Set(runs[0]!.entries.map((e) => `${e.change}/${String(e.before)}`))).toEqual(new Set(['created/null']));
    // Each contact's one version is its card's text, read from the card: no version row.
    expect((await repo.versionsOf('b-4')).map((v) => [v.source, v.vcard, v.runId])).toEqual([['import', b[4]!.card.vcard, 'run-1']]);
    expect(await repo.db.versions.count()).toBe(0);
    // Every batch (3 and 3) counted as a write (the list snapshot's generation).
    expect((await repo.db.meta.get('generation'))!.value).toBe(6);
    // Nothing changed since: the undo need not ask (the run ends after the versions of both writers).
    expect(await repo.changedAfterRun('run-1')).toBe(0);
    const undone = await repo.undoRun('run-1', LOCAL_BOOK_ID);
    expect(undone.removed).toHaveLength(12);
    expect(await repo.allRows()).toEqual([]);
    expect((await repo.trash()).length).toBe(12);
  });

  it('two writers whose cards have ids in their own halves of the keys pages (idInShare, as runImport gives them) read and write none of each other’s pages, and every card’s keys are kept', async () => {
    const made = (part: number, n: number) => Array.from({ length: n }, (_, i) => importedContact(idInShare(part, 2), LOCAL_BOOK_ID, importedCard(parseVCard(card(`p${part}-${i}`, `P${part} ${i}`)), i + 1, false, 'US'), 1000));
    const a = made(0, 60);
    const b = made(1, 60);
    const touched: { page: string; by: 'a' | 'b' }[] = [];
    const get = IDBObjectStore.prototype.get;
    const put = IDBObjectStore.prototype.put;
    let by: 'a' | 'b' = 'a';
    IDBObjectStore.prototype.get = function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
      if (this.name === 'dupkeys') touched.push({ page: String(key), by });
      return get.call(this, key);
    };
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (this.name === 'dupkeys') touched.push({ page: (value as { id: string }).id, by });
      return put.call(this, value, key);
    };
    try {
      await writer(a, 'run-2', 100);
      by = 'b';
      await writer(b, 'run-2', 100);
    } finally {
      IDBObjectStore.prototype.get = get;
      IDBObjectStore.prototype.put = put;
    }
    expect(touched.filter((t) => t.by === 'a').length).toBeGreaterThan(30);
    expect(touched.filter((t) => t.by === 'b').length).toBeGreaterThan(30);
    expect(touched.filter((t) => t.by === 'a').every((t) => t.page < '80')).toBe(true);
    expect(touched.filter((t) => t.by === 'b').every((t) => t.page >= '80')).toBe(true);
    const pages = new Map((await repo.db.dupkeys.toArray()).flatMap((p) => Object.entries(pageEntries(p))));
    for (const s of [...a, ...b]) expect(pages.get(s.card.id), s.card.id).toEqual(s.card.keys);
  });

  it('a batch that cannot be stored leaves nothing of itself; the batches before it stay, in the run', async () => {
    const items = contacts('c', 4);
    // Not storable (a function cannot be cloned into IndexedDB).
    (items[3]!.card as unknown as { bad: () => void }).bad = () => {};
    const seen: WrittenBatch[] = [];
    await expect(writer(items, 'run-2', 2, seen)).rejects.toThrow();
    expect(seen.map((s) => s.done)).toEqual([2]);
    expect((await repo.allRows()).map((r) => r.id).sort()).toEqual(['c-0', 'c-1']);
    expect(await repo.db.cards.count()).toBe(2);
    expect((await repo.db.cards.toArray()).map((c) => c.imported?.run)).toEqual(['run-2', 'run-2']);
    expect((await repo.runsOf(LOCAL_BOOK_ID))[0]!.entries.map((e) => e.contactId)).toEqual(['c-0', 'c-1']);
  });

  it('the changed cards written here after the workers join their run, and the undo puts them back', async () => {
    // Stamps ahead of the clock (many recorded in one millisecond): the contact's first version is
    // still before the run, not a change after it.
    stampAfter(Date.now() + 5_000);
    const kept = await repo.create(LOCAL_BOOK_ID, parseVCard(card('k', 'Kim')));
    await writer(contacts('d', 3), 'run-3', 10);
    const text = card('k', 'Kim (from the file)');
    const update = ContactRepo.rowsFrom(kept.row.id, LOCAL_BOOK_ID, text, deriveListFields(parseVCard(text)), { row: kept.row, card: kept.card });
    await repo.putAll([update], undefined, { source: 'import', run: { kind: 'import', name: 'big.vcf', id: 'run-3' } });
    const [run] = await repo.runsOf(LOCAL_BOOK_ID);
    expect(run!.entries.map((e) => e.change)).toEqual(['created', 'created', 'created', 'updated']);
    expect(await repo.changedAfterRun('run-3')).toBe(0);
    await repo.undoRun('run-3', LOCAL_BOOK_ID);
    expect((await repo.db.cards.get(kept.row.id))!.vcard).toContain('FN:Kim\r\n');
    expect(await repo.db.contacts.count()).toBe(1);
  });

  it('stamps made here after a worker’s come after the worker’s, so an edit after the import sorts after its version', () => {
    const ahead = Date.now() + 60_000; // a worker's stamps ran ahead of the clock
    stampAfter(ahead);
    expect(stamp()).toBeGreaterThan(ahead);
  });
});
