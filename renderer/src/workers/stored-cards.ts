/**
 * Reading the page's stored vCards from a worker: the page's IndexedDB opened with Dexie without
 * a schema (at whatever version the page made it), `cards` read by id. Closed under us (the page
 * upgraded the database), it is opened again once.
 */
import Dexie from 'dexie';

const open = new Map<string, Dexie>();

export async function readStoredCards(store: string, ids: readonly string[]): Promise<(string | undefined)[]> {
  for (let attempt = 0; ; attempt++) {
    let db = open.get(store);
    try {
      if (db === undefined) {
        db = new Dexie(store);
        await db.open();
        open.set(store, db);
      }
      const rows = (await db.table('cards').bulkGet([...ids])) as ({ vcard?: unknown } | undefined)[];
      return rows.map((r) => (typeof r?.vcard === 'string' ? r.vcard : undefined));
    } catch (e) {
      db?.close();
      open.delete(store);
      if (attempt > 0) throw e;
    }
  }
}
