/**
 * The duplicate keys table (schema 8, in pages) follows every write of the cards: the finder's
 * first run of a session reads that table and parses only cards without keys there, so keys left
 * behind by a write that changed their card would make the finder compare the card as it was. Each scenario
 * changes a card so that it becomes (or stops being) a duplicate, then looks again with a new
 * session's front: the groups must be those of the cards as they are now.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { storeCollection } from '../../electron/sync/store-collection';
import type { StorePort } from '../../electron/core/store-port';
import { ContactRepo } from '../../renderer/src/db/repo';
import { pageEntries } from '../../renderer/src/db/keys-pages';
import { LOCAL_BOOK_ID, type CardinalDB } from '../../renderer/src/db/schema';
import { syncStoreHandlers } from '../../renderer/src/db/sync-store';
import { ContactIndex } from '../../renderer/src/store/contact-index';
import { DuplicatesStoreFront } from '../../renderer/src/workers/duplicates-store';
import { importCards } from '../../renderer/src/workers/import-cards';
import { importedCard } from '../../renderer/src/workers/imported-cards';
import { readStoredCards, readStoredKeys, saveStoredKeys, scanStoredKeys } from '../../renderer/src/workers/stored-cards';
import type { DuplicatesResponse } from '../../shared/duplicates/protocol';
import type { StoreHandlers } from '../../shared/ipc/contract';
import { cardUid, parseVCard } from '../../shared/vcard';

const card = (uid: string, fn: string, extra = '') => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\n${extra}END:VCARD\r\n`;
const BOOK = 'dav-book';

function port(repo: ContactRepo): StorePort {
  const handlers = syncStoreHandlers(repo, new ContactIndex('en')) as unknown as Partial<StoreHandlers>;
  return {
    request: async (req, ...args) => {
      const fn = handlers[req] as (...a: unknown[]) => Promise<unknown>;
      const result = await fn(...(JSON.parse(JSON.stringify(args)) as unknown[]));
      return (result === undefined ? undefined : JSON.parse(JSON.stringify(result))) as never;
    },
  };
}

let n = 0;

/** Every card's keys in the table (its pages), by card id. */
async function keysIn(db: CardinalDB) {
  return new Map((await db.dupkeys.toArray()).flatMap((p) => Object.entries(pageEntries(p))));
}

/** A store with four contacts imported here (with their keys): Ada twice, Alan, Grace. */
async function store() {
  const name = `keys-table-${process.pid}-${++n}-${Date.now()}`;
  const repo = await ContactRepo.open(name);
  const file = [card('ada', 'Ada Lovelace', 'EMAIL:ada@example.org\r\n'), card('twin', 'Ada Lovelace', 'EMAIL:ADA@example.org\r\n'), card('alan', 'Alan Turing', 'TEL:+44 20 7946 0000\r\n'), card('grace', 'Grace Hopper', 'TEL:+1 202 555 0147\r\n')].join('');
  const { cards } = importCards(new TextEncoder().encode(file), (c, line) => importedCard(c, line, false, 'GB'));
  const items = cards.map((c) => ContactRepo.rowsFrom(crypto.randomUUID(), LOCAL_BOOK_ID, c.vcard, c.fields, undefined, c.keys));
  await repo.putAll(items, undefined, { source: 'import', run: { kind: 'import' }, fresh: items.length });
  const ids = Object.fromEntries(items.map((i) => [cardUid(i.card.vcard)!, i.row.id])) as Record<'ada' | 'twin' | 'alan' | 'grace', string>;
  /** A new session's first run over every listed contact: its groups (by UID) and the cards it parsed (by UID). */
  const look = async () => {
    const parsedIds: string[] = [];
    const front = new DuplicatesStoreFront(
      async (s, wanted) => {
        const read = await readStoredCards(s, wanted);
        parsedIds.push(...wanted.filter((_id, i) => read[i] !== undefined));
        return read.map((c) => c?.vcard);
      },
      undefined,
      saveStoredKeys,
      undefined,
      { read: readStoredKeys, scan: scanStoredKeys },
    );
    const rows = (await repo.allRows()).filter((r) => r.pending !== 'deleted');
    const answers: DuplicatesResponse[] = [];
    await front.serve({ type: 'find', requestId: 1, region: 'GB', scope: 'book', store: name, contacts: rows.map((r) => ({ id: r.id, bookId: r.bookId, stamp: 1 })) }, (a) => answers.push(a));
    const found = answers.at(-1)!;
    if (found.type !== 'found') throw new Error(JSON.stringify(found));
    const uidOf = new Map(await Promise.all(rows.map(async (r) => [r.id, cardUid((await repo.getCard(r.id))!.vcard)!] as const)));
    return { groups: found.report.clusters.map((c) => c.members.map((m) => uidOf.get(m)!).sort()).sort((a, b) => a[0]!.localeCompare(b[0]!)), parsed: parsedIds.map((id) => uidOf.get(id)!).sort() };
  };
  return { repo, ids, look };
}

describe('the duplicate keys table follows the cards', () => {
  it('an import leaves each card’s keys in the table, not in the card: the first run parses no card', async () => {
    const { repo, ids, look } = await store();
    expect([...(await keysIn(repo.db)).keys()].sort()).toEqual(Object.values(ids).sort());
    expect((await repo.db.cards.toArray()).some((c) => c.keys !== undefined)).toBe(false);
    expect(await look()).toEqual({ groups: [['ada', 'twin']], parsed: [] });
    repo.db.close();
  });

  it('an edit that makes a contact a duplicate: its keys go, its card is parsed and found with the others; the next run parses nothing', async () => {
    const { repo, ids, look } = await store();
    await repo.update(ids.alan, parseVCard(card('alan', 'Ada Lovelace', 'EMAIL:ada@example.org\r\n')));
    expect((await keysIn(repo.db)).get(ids.alan)).toBeUndefined();
    expect(await look()).toEqual({ groups: [['ada', 'alan', 'twin']], parsed: ['alan'] });
    expect(await look()).toEqual({ groups: [['ada', 'alan', 'twin']], parsed: [] });
    repo.db.close();
  });

  it('a deletion takes its keys; the undo brings the card back without them, and the finder parses it', async () => {
    const { repo, ids, look } = await store();
    const removed = await repo.remove([ids.twin]);
    expect((await keysIn(repo.db)).get(ids.twin)).toBeUndefined();
    expect(await look()).toEqual({ groups: [], parsed: [] });
    await repo.restore(removed);
    expect(await look()).toEqual({ groups: [['ada', 'twin']], parsed: ['twin'] });
    // Into the trash and out of it again.
    await repo.remove([ids.twin]);
    await repo.restoreFromTrash([ids.twin], LOCAL_BOOK_ID);
    expect(await look()).toEqual({ groups: [['ada', 'twin']], parsed: ['twin'] });
    repo.db.close();
  });

  it('a version restored from the history (an edit undone that way): the card is parsed again, and no longer a duplicate', async () => {
    const { repo, ids, look } = await store();
    await repo.update(ids.alan, parseVCard(card('alan', 'Ada Lovelace', 'EMAIL:ada@example.org\r\n')));
    expect((await look()).groups).toEqual([['ada', 'alan', 'twin']]);
    const imported = (await repo.versionsOf(ids.alan)).at(-1)!;
    await repo.restoreVersion(ids.alan, imported.id);
    expect(await look()).toEqual({ groups: [['ada', 'twin']], parsed: ['alan'] });
    repo.db.close();
  });

  it('a sync: a card changed on the server loses its keys, one whose ETag alone changed keeps them, one deleted there takes them; an upload keeps them', async () => {
    const { repo, look } = await store();
    const sync = port(repo);
    await sync.request('ensureBook', BOOK, 'Work');
    const collection = storeCollection(sync, BOOK);
    const wes = card('wes', 'Wes Work', 'EMAIL:wes@example.org\r\n');
    await collection.applyRemote({ upserts: [{ href: '/w/1.vcf', etag: '"1"', vcard: wes }, { href: '/w/2.vcf', etag: '"1"', vcard: card('wanda', 'Wanda Work', 'EMAIL:wanda@example.org\r\n') }], deletes: [], state: { syncToken: 't1', ctag: null } });
    // A sync's cards come without keys: made by the first run, and stored.
    expect(await look()).toEqual({ groups: [['ada', 'twin']], parsed: ['wanda', 'wes'] });
    const idAt = async (href: string) => (await repo.db.etags.where('[bookId+href]').equals([BOOK, href]).first())!.id;
    const wanda = await idAt('/w/2.vcf');
    expect((await keysIn(repo.db)).get(wanda)).toBeDefined();
    // Wanda is now Wes there; Wes's ETag changed with his text as it was.
    await collection.applyRemote({ upserts: [{ href: '/w/1.vcf', etag: '"2"', vcard: wes }, { href: '/w/2.vcf', etag: '"2"', vcard: card('wanda', 'Wes Work', 'EMAIL:WES@example.org\r\n') }], deletes: [], state: { syncToken: 't2', ctag: null } });
    expect(await look()).toEqual({ groups: [['ada', 'twin'], ['wanda', 'wes']], parsed: ['wanda'] });
    // An edit here goes up; the server's answer (its ETag, the same text) keeps the row the next run stored.
    const wesId = await idAt('/w/1.vcf');
    await repo.update(wesId, parseVCard(card('wes', 'Wes Work', 'EMAIL:wes@example.org\r\nNOTE:here\r\n')));
    expect((await look()).parsed).toEqual(['wes']);
    const sent = ((await sync.request('pendingCards', BOOK)) as { id: string; vcard: string; revision: number }[]).find((c) => c.id === wesId)!;
    await sync.request('uploaded', BOOK, wesId, { href: '/w/1.vcf', etag: '"3"', vcard: sent.vcard }, sent.revision);
    expect((await repo.getCard(wesId))!.etag).toBe('"3"');
    expect(await look()).toEqual({ groups: [['ada', 'twin'], ['wanda', 'wes']], parsed: [] });
    // Deleted there: the card and its row go.
    await collection.applyRemote({ upserts: [], deletes: ['/w/2.vcf'], state: { syncToken: 't3', ctag: null } });
    expect((await keysIn(repo.db)).get(wanda)).toBeUndefined();
    expect(await look()).toEqual({ groups: [['ada', 'twin']], parsed: [] });
    // The book removed: no row of its cards is left.
    await sync.request('removeBook', BOOK);
    expect((await keysIn(repo.db)).get(wesId)).toBeUndefined();
    expect((await keysIn(repo.db)).size).toBe(4);
    repo.db.close();
  });

  it('cards whose ids share a page: an edit or a deletion of one leaves the other’s keys as they were', async () => {
    const repo = await ContactRepo.open(`keys-table-page-${process.pid}-${++n}`);
    const file = [card('p1', 'Ada Lovelace', 'EMAIL:ada@example.org\r\n'), card('p2', 'Ada Lovelace', 'EMAIL:ADA@example.org\r\n'), card('p3', 'Alan Turing')].join('');
    const { cards } = importCards(new TextEncoder().encode(file), (c, line) => importedCard(c, line, false, 'GB'));
    // Ids beginning alike: one page of the table.
    const items = cards.map((c, i) => ContactRepo.rowsFrom(`abc-${i}`, LOCAL_BOOK_ID, c.vcard, c.fields, undefined, c.keys));
    await repo.putAll(items, undefined, { source: 'import', fresh: items.length });
    expect(await repo.db.dupkeys.count()).toBe(1);
    const before = await keysIn(repo.db);
    expect(before.size).toBe(3);
    await repo.update('abc-2', parseVCard(card('p3', 'Alan Turing', 'NOTE:edited\r\n')));
    await repo.remove(['abc-0']);
    const after = await keysIn(repo.db);
    expect([...after.keys()]).toEqual(['abc-1']);
    expect(after.get('abc-1')).toEqual(before.get('abc-1'));
    // Both gone: so is the page.
    await repo.remove(['abc-1']);
    expect(await repo.db.dupkeys.count()).toBe(0);
    repo.db.close();
  });
});
