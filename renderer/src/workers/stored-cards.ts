/**
 * Reading the page's store from a worker: the page's IndexedDB opened with Dexie without a schema
 * (at whatever version the page made it). The duplicate keys (schema 8: the `dupkeys` table,
 * KeysRow, which the page's store keeps true for the cards) read by id or scanned in pages; the
 * cards whose keys are missing read by id or scanned, with the keys a card written before schema
 * 8 may still carry (CardRow.keys). Closed under us (the page upgraded the database), it is opened
 * again once. `saveStoredKeys` writes keys made here into the keys table.
 */
import Dexie from 'dexie';
import { cardPrint, type StoredKeys } from '../../../shared/duplicates/keys';

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

/** The keys rows of these cards, in order (undefined: none; unchecked, as stored). */
export function readStoredKeys(store: string, ids: readonly string[]): Promise<unknown[]> {
  return withStore(store, async (db) => (hasKeysTable(db) ? ((await db.table(KEYS_TABLE).bulkGet([...ids])) as unknown[]) : ids.map(() => undefined)));
}

/** Every keys row, in pages of `page` read by key range (as `scanStoredCards`); none before schema 8. */
export function scanStoredKeys(store: string, each: (id: string, row: unknown) => void, page = 10_000): Promise<void> {
  return withStore(store, async (db) => {
    if (!hasKeysTable(db)) return;
    const rows = db.table(KEYS_TABLE);
    let last: string | undefined;
    for (;;) {
      const got = (await (last === undefined ? rows.toCollection() : rows.where(':id').above(last)).limit(page).toArray()) as { id: string }[];
      for (const r of got) each(r.id, r);
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
 * Keys made here, stored in the keys table (before schema 8: beside their cards), in
 * transactions of 1,000: only where the card still holds the text they were made from (a card
 * changed meanwhile keeps what its writer left).
 */
export async function saveStoredKeys(store: string, made: readonly { id: string; keys: StoredKeys }[]): Promise<void> {
  for (let i = 0; i < made.length; i += 1000) {
    const chunk = made.slice(i, i + 1000);
    await withStore(store, (db) => {
      const table = hasKeysTable(db) ? KEYS_TABLE : null;
      return db.transaction('rw', table === null ? ['cards'] : ['cards', table], async () => {
        const cards = db.table('cards');
        const rows = (await cards.bulkGet(chunk.map((m) => m.id))) as ({ vcard?: unknown } | undefined)[];
        const still = (k: number) => {
          const r = rows[k];
          return r !== undefined && typeof r.vcard === 'string' && cardPrint(r.vcard) === chunk[k]!.keys.of;
        };
        if (table !== null) await db.table(table).bulkPut(chunk.flatMap((m, k) => (still(k) ? [{ id: m.id, of: m.keys.of, keys: m.keys.keys }] : [])));
        else await cards.bulkPut(rows.flatMap((r, k) => (still(k) ? [{ ...r, keys: chunk[k]!.keys }] : [])));
      });
    });
  }
}
