/**
 * An import into this computer's book written ahead while its summary is open (issue 20: the
 * workers write each part's new cards while they still read the rest), against the renderer's
 * Dexie store (fake-indexeddb): what is written ahead shows nowhere (no run, no write counted)
 * until Import commits it in one transaction; closing the summary takes it out; a store opened
 * with it still uncommitted (the window closed or crashed meanwhile) has it taken out first; and a
 * file sorted a part at a time (`ImportSorter`) sorts as the whole file, a card the same as one in
 * an earlier part "repeated in the file" once, whichever part that was.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitStaged, importedContact, writeNewContacts } from '../../renderer/src/db/import-write';
import { pageEntries } from '../../renderer/src/db/keys-pages';
import { ContactRepo, type StoredContact } from '../../renderer/src/db/repo';
import { CardinalDB, LOCAL_BOOK_ID } from '../../renderer/src/db/schema';
import { dropStaged, STAGED_KEY } from '../../renderer/src/db/staged';
import { classifyImport, ImportSorter, runImport } from '../../renderer/src/features/import/import';
import { translator } from '../../renderer/src/i18n';
import type { Services } from '../../renderer/src/services';
import { ContactIndex } from '../../renderer/src/store/contact-index';
import { GroupStore } from '../../renderer/src/store/groups';
import { importCards } from '../../renderer/src/workers/import-cards';
import { importedCard } from '../../renderer/src/workers/imported-cards';
import { parseVCard } from '../../shared/vcard';

const card = (uid: string, fn: string, note = '') => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\n${note === '' ? '' : `NOTE:${note}\r\n`}END:VCARD\r\n`;
let opened = 0;

describe('an import written ahead of its summary’s Import', () => {
  let repo: ContactRepo;
  let name: string;
  beforeEach(async () => {
    name = `import-ahead-${process.pid}-${++opened}`;
    repo = await ContactRepo.open(name);
  });
  afterEach(() => repo.db.close());

  const contacts = (prefix: string, n: number): StoredContact[] =>
    Array.from({ length: n }, (_, i) => importedContact(`${prefix}-${i}`, LOCAL_BOOK_ID, importedCard(parseVCard(card(`${prefix}${i}`, `${prefix} ${i}`)), i + 1, false, 'US'), 1000));

  /** Written ahead as a worker does: its own connection to the window's database. */
  async function stage(items: StoredContact[], runId: string, batch: number): Promise<number[]> {
    const db = new CardinalDB(name);
    await db.open();
    const stamps: number[] = [];
    try {
      await writeNewContacts(db, items, { id: runId, bookId: LOCAL_BOOK_ID, name: 'big.vcf' }, batch, (b) => stamps.push(b.lastStamp), true);
    } finally {
      db.close();
    }
    return stamps;
  }

  const keyed = async () => new Map((await repo.db.dupkeys.toArray()).flatMap((p) => Object.entries(pageEntries(p))));

  it('shows nowhere until committed: no run, no write counted; the commit makes one run of every contact in one transaction, which the undo takes back', async () => {
    const generation = (await repo.db.meta.get('generation'))?.value;
    const a = contacts('a', 5);
    const b = contacts('b', 3);
    const stamps = [...(await stage(a, 'run-1', 2)), ...(await stage(b, 'run-1', 5))];
    expect(await repo.db.contacts.count()).toBe(8);
    expect(await repo.runsOf(LOCAL_BOOK_ID)).toEqual([]);
    expect((await repo.db.meta.get('generation'))?.value).toBe(generation);
    expect((await repo.db.meta.get(STAGED_KEY))?.value).toEqual(['run-1']);
    const ids = [...a, ...b].map((s) => s.row.id);
    const g = await commitStaged(repo.db, { id: 'run-1', bookId: LOCAL_BOOK_ID, name: 'big.vcf' }, ids, Math.min(...stamps), Math.max(...stamps));
    expect(g).toBe(((generation as number | undefined) ?? 0) + 1);
    expect(await repo.db.meta.get(STAGED_KEY)).toBeUndefined();
    const runs = await repo.runsOf(LOCAL_BOOK_ID);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: 'run-1', kind: 'import', name: 'big.vcf' });
    expect(runs[0]!.entries.map((e) => e.contactId)).toEqual(ids);
    expect((await repo.versionsOf('b-2')).map((v) => [v.source, v.runId])).toEqual([['import', 'run-1']]);
    expect(await repo.changedAfterRun('run-1')).toBe(0);
    // Committed: a store opened again keeps it.
    repo.db.close();
    repo = await ContactRepo.open(name);
    expect(await repo.db.contacts.count()).toBe(8);
    expect((await repo.undoRun('run-1', LOCAL_BOOK_ID)).removed).toHaveLength(8);
    expect(await repo.allRows()).toEqual([]);
  });

  it('closing the summary takes out what was written ahead (rows, cards, keys), and leaves the book’s other contacts and their keys', async () => {
    const kept = await repo.create(LOCAL_BOOK_ID, parseVCard(card('k', 'Kim')));
    const before = await keyed();
    const items = contacts('c', 6);
    await stage(items, 'run-2', 4);
    expect((await keyed()).size).toBe(before.size + 6);
    expect(await dropStaged(repo.db, ['run-2'], items.map((s) => s.row.id))).toBe(6);
    expect((await repo.allRows()).map((r) => r.id)).toEqual([kept.row.id]);
    expect(await repo.db.cards.count()).toBe(1);
    expect(await keyed()).toEqual(before);
    expect(await repo.db.meta.get(STAGED_KEY)).toBeUndefined();
    // Taken out, it can no longer be committed.
    await expect(commitStaged(repo.db, { id: 'run-2', bookId: LOCAL_BOOK_ID }, items.map((s) => s.row.id), 1, 2)).rejects.toThrow();
    expect(await repo.runsOf(LOCAL_BOOK_ID)).toEqual([]);
  });

  it('a store opened with an import written ahead and never committed (the window crashed) has it taken out before anything reads the rows; a committed one beside it stays', async () => {
    const kept = await repo.create(LOCAL_BOOK_ID, parseVCard(card('k', 'Kim')));
    const before = [...(await keyed()).keys()];
    const done = contacts('d', 2);
    const stamps = await stage(done, 'run-3', 10);
    await commitStaged(repo.db, { id: 'run-3', bookId: LOCAL_BOOK_ID }, done.map((s) => s.row.id), stamps[0]!, stamps[0]!);
    await stage(contacts('e', 5), 'run-4', 2);
    repo.db.close();
    repo = await ContactRepo.open(name);
    expect((await repo.allRows()).map((r) => r.id).sort()).toEqual([kept.row.id, 'd-0', 'd-1'].sort());
    expect(await repo.db.cards.count()).toBe(3);
    expect([...(await keyed()).keys()].sort()).toEqual([...before, 'd-0', 'd-1'].sort());
    expect(await repo.db.meta.get(STAGED_KEY)).toBeUndefined();
    expect((await repo.runsOf(LOCAL_BOOK_ID)).map((r) => r.id)).toEqual(['run-3']);
  });

  it('each staged batch names its contacts in a meta row of its own, written with it; a crashed import is taken out by those rows, reading no card, and a commit leaves none', async () => {
    const kept = await repo.create(LOCAL_BOOK_ID, parseVCard(card('k', 'Kim')));
    const items = contacts('f', 7);
    // Two writers sharing a run, as the workers do.
    await stage(items.slice(0, 4), 'run-5', 3);
    await stage(items.slice(4), 'run-5', 3);
    const batchRows = async () => (await repo.db.meta.toArray()).filter((r) => r.key.startsWith(`${STAGED_KEY}/`));
    expect((await batchRows()).flatMap((r) => r.value as string[]).sort()).toEqual(items.map((s) => s.row.id).sort());
    expect(await batchRows()).toHaveLength(3);
    // The crash path: no card is read to find them.
    const filter = repo.db.cards.filter.bind(repo.db.cards);
    let read = 0;
    repo.db.cards.filter = ((fn: Parameters<typeof filter>[0]) => {
      read++;
      return filter(fn);
    }) as typeof filter;
    expect(await dropStaged(repo.db)).toBe(7);
    expect(read).toBe(0);
    expect((await repo.allRows()).map((r) => r.id)).toEqual([kept.row.id]);
    expect(await repo.db.cards.count()).toBe(1);
    expect(await batchRows()).toEqual([]);
    expect(await repo.db.meta.get(STAGED_KEY)).toBeUndefined();
    // Committed, a run keeps no batch row.
    const done = contacts('g', 3);
    const stamps = await stage(done, 'run-6', 2);
    await commitStaged(repo.db, { id: 'run-6', bookId: LOCAL_BOOK_ID }, done.map((s) => s.row.id), stamps[0]!, stamps[1]!);
    expect(await batchRows()).toEqual([]);
    expect(await repo.db.contacts.count()).toBe(4);
  });
});

describe('a file sorted a part at a time', () => {
  async function book() {
    const repo = await ContactRepo.open(`import-parts-${process.pid}-${++opened}`);
    const index = new ContactIndex('en');
    const groups = await GroupStore.open(repo, index);
    const s = { repo, index, groups, t: translator('en'), lang: 'en' } as unknown as Services;
    // Here already: Kim as the file has her, and Lee with another note (a changed card).
    for (const text of [card('kim', 'Kim'), card('lee', 'Lee', 'old')]) index.upsert([(await repo.create(LOCAL_BOOK_ID, parseVCard(text))).row]);
    return s;
  }

  it('a card the same as one in an earlier part is repeated in the file once, whichever part (apart from those already here); the new cards and the counts are the whole file’s', async () => {
    // Ada is in both parts (the same card twice in the file), Kim is here already, Lee changed.
    const first = card('ada', 'Ada') + card('bo', 'Bo') + card('kim', 'Kim');
    const second = card('cy', 'Cy') + card('ada', 'Ada') + card('lee', 'Lee', 'new') + card('bo', 'Bo', 'other');
    const s = await book();
    const whole = importCards(new TextEncoder().encode(first + second));
    const all = await classifyImport(s, 'f.vcf', whole, LOCAL_BOOK_ID);
    const parts = [importCards(new TextEncoder().encode(first)), importCards(new TextEncoder().encode(second))];
    const sorter = new ImportSorter(s, LOCAL_BOOK_ID);
    const fresh = [...(await sorter.add(parts[0]!.cards)), ...(await sorter.add(parts[1]!.cards))];
    const cards = parts.flatMap((p) => p.cards);
    const preview = await sorter.finish('f.vcf', { cards, errors: [] });
    const names = (xs: readonly { fields: { displayName: string }; vcard: string }[]) => xs.map((c) => `${c.fields.displayName}${c.vcard.includes('NOTE') ? ' (note)' : ''}`);
    expect(names(fresh)).toEqual(['Ada', 'Bo', 'Cy', 'Bo (note)']);
    expect(names(preview.fresh)).toEqual(names(fresh));
    expect(names(preview.fresh)).toEqual(names(all.fresh));
    // The second Ada (in the second part) is repeated in the file, Kim identical to the book's: counted apart.
    expect([preview.identical, preview.repeated]).toEqual([1, 1]);
    expect([all.identical, all.repeated]).toEqual([1, 1]);
    expect(preview.conflicting.map((c) => c.card.fields.displayName)).toEqual(['Lee']);
    expect(preview.total).toBe(all.total);
  });

  it('two different cards of one UID in the file are two new contacts, said in the summary; with that UID here, only the first may update it, and Import and update keeps every card’s data', async () => {
    const s = await book();
    // Bo twice with one UID and other notes (apart, in two parts); Lee's UID is here already ("old").
    const first = card('bo', 'Bo', 'home') + card('lee', 'Lee', 'work phone');
    const second = card('bo', 'Bo', 'office') + card('lee', 'Lee', 'home phone') + card('bo', 'Bo', 'home');
    const whole = await classifyImport(s, 'f.vcf', importCards(new TextEncoder().encode(first + second)), LOCAL_BOOK_ID);
    const sorter = new ImportSorter(s, LOCAL_BOOK_ID);
    await sorter.add(importCards(new TextEncoder().encode(first)).cards);
    await sorter.add(importCards(new TextEncoder().encode(second)).cards);
    const parts = await sorter.finish('f.vcf', { cards: [...importCards(new TextEncoder().encode(first + second)).cards], errors: [] });
    const notes = (xs: readonly { vcard: string }[]) => xs.map((c) => /NOTE:(.*)\r\n/.exec(c.vcard)?.[1]);
    for (const preview of [whole, parts]) {
      // The third Bo is the first one again: repeated, not another contact.
      expect([preview.repeated, preview.sharedUid]).toEqual([1, 2]);
      expect(notes(preview.fresh)).toEqual(['home', 'office', 'home phone']);
      expect(preview.conflicting.map((c) => notes([c.card])[0])).toEqual(['work phone']);
    }
    const { count } = await runImport(s, whole, true);
    expect(count).toBe(4);
    const stored = await Promise.all([...s.index.all()].map(async (r) => ({ name: r.displayName, note: /NOTE:(.*)\r\n/.exec((await s.repo.getCard(r.id))!.vcard)?.[1] })));
    expect(stored.map((c) => `${c.name}: ${c.note ?? ''}`).sort()).toEqual(['Bo: home', 'Bo: office', 'Kim: ', 'Lee: home phone', 'Lee: work phone']);
    // The second card of a UID is written with a UID of its own (a server refuses a second card of
    // one UID); the first keeps the file's, on its row and in its card.
    const uids = await Promise.all([...s.index.all()].map(async (r) => ({ who: `${r.displayName}: ${/NOTE:(.*)\r\n/.exec((await s.repo.getCard(r.id))!.vcard)?.[1] ?? ''}`, row: r.uid, card: /^UID:(.*)$/m.exec((await s.repo.getCard(r.id))!.vcard)?.[1]?.trim() })));
    const uidOf = (who: string) => uids.find((u) => u.who === who)!;
    for (const u of uids) expect(u.card, u.who).toBe(u.row);
    expect(new Set(uids.map((u) => u.row)).size).toBe(uids.length);
    expect(uidOf('Bo: home').row).toBe('bo');
    expect(uidOf('Bo: office').row).toMatch(/^urn:uuid:/);
    expect(uidOf('Lee: home phone').row).toMatch(/^urn:uuid:/);
    expect(uidOf('Lee: work phone').row).toBe('lee');
    const t = translator('en');
    expect(t('import.sharedUid', { count: 2 })).toBe('2 cards share a UID with another card in the file; kept as separate contacts with new UIDs.');
    // The same file again: every card is already here, the ones written with new UIDs too (found
    // by their content, not by the file's UID, which names the first), and no contact is added.
    const again = await classifyImport(s, 'f.vcf', importCards(new TextEncoder().encode(first + second)), LOCAL_BOOK_ID);
    expect([again.fresh.length, again.conflicting.length, again.sharedUid]).toEqual([0, 0, 0]);
    expect([again.identical, again.repeated]).toEqual([4, 1]);
  });
});
