/**
 * Reading the page's store from a worker: the page's IndexedDB opened with Dexie without a schema
 * (at whatever version the page made it). The duplicate keys (schema 8: the `dupkeys` table, in
 * pages, keys-pages.ts, which the page's store keeps true for the cards) read by id or scanned; the
 * cards whose keys are missing read by id or scanned, with the keys a card written before schema
 * 8 may still carry (CardRow.keys). Closed under us (the page upgraded the database), it is opened
 * again once. `saveStoredKeys` writes keys made here into the keys table.
 */
import Dexie from 'dexie';
import { cardPrint, type StoredKeys } from '../../../shared/duplicates/keys';
import { byPage, pageEntries, pageRow, type KeysPage } from '../db/keys-pages';

/** A stored card as the duplicates worker reads it: its text, and the keys stored with it (unchecked). */
export interface StoredCard {
  readonly vcard: string;
  readonly keys?: unknown;
}

const open = new Map<string, Dexie>();

async function withStore<T>(store: string, fn: (db: Dexie) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let db = open.get(store);
    try {
      if (db === undefined) {
        db = new Dexie(store);
        await db.open();
        open.set(store, db);
      }
      return await fn(db);
    } catch (e) {
      db?.close();
      open.delete(store);
      if (attempt > 0) throw e;
    }
  }
}

/** Whether the store has the keys table (schema 8 on). */
const hasKeysTable = (db: Dexie) => db.tables.some((t) => t.name === KEYS_TABLE);

const KEYS_TABLE = 'dupkeys';

/** The stored keys of these cards, in order (undefined: none; unchecked, as stored). */
export function readStoredKeys(store: string, ids: readonly string[]): Promise<unknown[]> {
  return withStore(store, async (db) => {
    if (!hasKeysTable(db)) return ids.map(() => undefined);
    const pages = [...byPage(ids.map((id) => ({ id })))];
    const rows = (await db.table(KEYS_TABLE).bulkGet(pages.map(([p]) => p))) as unknown[];
    const found = new Map<string, unknown>();
    rows.forEach((row) => {
      for (const [id, keys] of Object.entries(pageEntries(row))) found.set(id, keys);
    });
    return ids.map((id) => found.get(id));
  });
}

/** Every card's stored keys, the pages read in requests of `page` by key range (as `scanStoredCards`); none before schema 8. */
export function scanStoredKeys(store: string, each: (id: string, keys: unknown) => void, page = 2000): Promise<void> {
  return withStore(store, async (db) => {
    if (!hasKeysTable(db)) return;
    const rows = db.table(KEYS_TABLE);
    let last: string | undefined;
    for (;;) {
      const got = (await (last === undefined ? rows.toCollection() : rows.where(':id').above(last)).limit(page).toArray()) as KeysPage[];
      for (const r of got) for (const [id, keys] of Object.entries(pageEntries(r))) each(id, keys);
      if (got.length < page) return;
      last = got.at(-1)!.id;
    }
  });
}

export function readStoredCards(store: string, ids: readonly string[]): Promise<(StoredCard | undefined)[]> {
  return withStore(store, async (db) => {
    const rows = (await db.table('cards').bulkGet([...ids])) as ({ vcard?: unknown; keys?: unknown } | undefined)[];
    return rows.map((r) => (typeof r?.vcard === 'string' ? { vcard: r.vcard, keys: r.keys } : undefined));
  });
}

/**
 * Every stored card, in pages of `page` read by key range (one request each): far cheaper than
 * reading most of a large table by id, 50,000 single reads. `each` may hear a card twice (a page
 * read again after the database was opened again).
 */
export function scanStoredCards(store: string, each: (id: string, card: StoredCard) => void, page = 5000): Promise<void> {
  return withStore(store, async (db) => {
    const cards = db.table('cards');
    let last: string | undefined;
    for (;;) {
      const rows = (await (last === undefined ? cards.toCollection() : cards.where(':id').above(last)).limit(page).toArray()) as { id: string; vcard?: unknown; keys?: unknown }[];
      for (const r of rows) if (typeof r.vcard === 'string') each(r.id, { vcard: r.vcard, keys: r.keys });
      if (rows.length < page) return;
      last = rows.at(-1)!.id;
    }
  });
}

/**
 * Keys made here, stored in the keys table's pages (before schema 8: beside their cards), in
 * transactions of 1,000: only where the card still holds the text they were made from (a card
 * changed meanwhile keeps what its writer left).
 */
export async function saveStoredKeys(store: string, made: readonly { id: string; keys: StoredKeys }[]): Promise<void> {
  // In id order, so each transaction's cards fill whole pages (a page is written about once).
  const sorted = [...made].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 0; i < sorted.length; i += 1000) {
    const chunk = sorted.slice(i, i + 1000);
    await withStore(store, (db) => {
      const table = hasKeysTable(db) ? KEYS_TABLE : null;
      return db.transaction('rw', table === null ? ['cards'] : ['cards', table], async () => {
        const cards = db.table('cards');
        const rows = (await cards.bulkGet(chunk.map((m) => m.id))) as ({ vcard?: unknown } | undefined)[];
        const still = (k: number) => {
          const r = rows[k];
          return r !== undefined && typeof r.vcard === 'string' && cardPrint(r.vcard) === chunk[k]!.keys.of;
        };
        if (table !== null) {
          // Into their pages, each read and written once.
          const pages = [...byPage(chunk.filter((_m, k) => still(k)))];
          const keysTable = db.table(table);
          const stored = (await keysTable.bulkGet(pages.map(([p]) => p))) as unknown[];
          await keysTable.bulkPut(
            pages.flatMap(([p, items], j) => {
              const entries = pageEntries(stored[j]);
              for (const m of items) entries[m.id] = m.keys;
              return pageRow(p, entries) ?? [];
            }),
          );
        } else await cards.bulkPut(rows.flatMap((r, k) => (still(k) ? [{ ...r, keys: chunk[k]!.keys }] : [])));
      });
    });
  }
}
