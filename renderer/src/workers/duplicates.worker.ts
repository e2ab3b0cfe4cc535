/**
 * Finds likely duplicates off the UI thread: a whole book (or several), or an import's cards
 * against the book. The page posts a `DuplicatesRequest` (shared/duplicates/protocol.ts) naming
 * stored contacts by id and stamp; this worker reads their cards from the page's IndexedDB itself
 * (Dexie, opened on the database as it is) and keeps the keys it made (`duplicates-store.ts`). It
 * posts `progress` messages, then one answer; nothing here writes to the store or merges.
 * The page keeps one worker for the session (`features/duplicates/finder.ts`).
 */
import Dexie from 'dexie';
import { DuplicatesStoreFront } from './duplicates-store';

const open = new Map<string, Dexie>();

async function readCards(store: string, ids: readonly string[]): Promise<(string | undefined)[]> {
  for (let attempt = 0; ; attempt++) {
    let db = open.get(store);
    try {
      if (db === undefined) {
        // No schema declared: Dexie opens the database at whatever version the page made it.
        db = new Dexie(store);
        await db.open();
        open.set(store, db);
      }
      const rows = (await db.table('cards').bulkGet([...ids])) as ({ vcard?: unknown } | undefined)[];
      return rows.map((r) => (typeof r?.vcard === 'string' ? r.vcard : undefined));
    } catch (e) {
      // Closed under us (the page upgraded the database): open it again, once.
      db?.close();
      open.delete(store);
      if (attempt > 0) throw e;
    }
  }
}

const front = new DuplicatesStoreFront(readCards);
// One request at a time, in order (the page sends one at a time; a second waits for the first).
let queue = Promise.resolve();

self.onmessage = (event: MessageEvent<unknown>) => {
  queue = queue.then(() => front.serve(event.data, (r) => self.postMessage(r)));
};
