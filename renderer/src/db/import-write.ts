/**
 * An import's new contacts written where the cards are: in the import worker that parsed them
 * (import.worker.ts), into the window's IndexedDB, so the window's thread neither receives nor
 * serialises the rows (it builds the same list rows itself, `importedContact`, and shows each
 * batch once the worker says it is committed). Each batch is one transaction with what
 * `ContactRepo.putAll` writes for an import's new contacts: the write counted (meta `generation`),
 * the rows (each card saying which import made it, CardRow.imported: no version row since schema 9)
 * and the import's run, joined by its id, and the rows' write count the labels sync asks (schema.ts
 * `rowsWritten`). New contacts need no look-up (their ids were never stored), no Dexie middleware (a
 * card without an href has no etags row: schema.ts `cardEtags`) and no hooks (none is used), so
 * the rows go to IndexedDB directly, every request of a batch sent before the first is answered.
 * What the `card-keys` middleware does for a new card is done here: its duplicate keys go into the
 * keys table's pages (keys-pages.ts), not into the card, so a first search for duplicates after the
 * import reads them instead of parsing every card.
 */
import { cardPrint } from '../../../shared/duplicates/keys';
import type { ImportedCard } from '../workers/imported-cards';
import { stamp } from './history';
import { ContactRepo, type StoredContact } from './repo';
import { byPage, pageEntries, pageRow } from './keys-pages';
import { STAGED_KEY, stagedBatchKey, stagedBatchRange } from './staged';
import { keysOf, ROWS_WRITTEN_KEY, type CardinalDB, type RowsWritten, type RunEntry, type RunRow } from './schema';

/**
 * A new card of an import as its two rows (the window's list row and the worker's are the same).
 * `uid`: the UID it is written with instead of its own (a second card of one UID in the file).
 */
export function importedContact(id: string, bookId: string, card: ImportedCard, updatedAt: number, uid?: string): StoredContact {
  if (uid !== undefined) card = withUid(card, uid);
  const item = ContactRepo.rowsFrom(id, bookId, card.vcard, card.fields, undefined, card.keys, updatedAt);
  return card.favorite === true ? { ...item, row: { ...item.row, favorite: 1 as const } } : item;
}

/** The card with its UID line (folded continuation lines and all) replaced by `uid`. */
function withUid(card: ImportedCard, uid: string): ImportedCard {
  let done = false;
  const vcard = card.vcard.replace(/^((?:[A-Za-z0-9-]+\.)?UID)(?:[;:][^\r\n]*)(?:\r?\n[ \t][^\r\n]*)*/gim, (_m, name: string) => {
    if (done) return '';
    done = true;
    return `${name}:${uid}`;
  });
  return { ...card, vcard: done ? vcard : vcard.replace(/\r?\nEND:VCARD/i, `\r\nUID:${uid}$&`), fields: { ...card.fields, uid } };
}

export interface ImportRun {
  id: string;
  bookId: string;
  name?: string;
}

/** What a batch written left: how many written so far, the write count, the last version stamp. */
export interface WrittenBatch {
  done: number;
  generation: number;
  lastStamp: number;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}


/** A transaction's end as a promise (rejected if it aborts or fails), and a way to abort it that never throws. */
function settled(tx: IDBTransaction): { committed: Promise<void>; abort: () => void } {
  const committed = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('the import was not written'));
  });
  const abort = () => {
    try {
      tx.abort();
    } catch {
      // already over
    }
  };
  return { committed, abort };
}

/** Add the run to the `STAGED_KEY` row (once), and the batch's contact ids as a meta row of its own (`stagedBatchKey`): what `dropStaged` takes out after a crash without reading every card. */
function markStaged(meta: IDBObjectStore, runId: string, batch: readonly StoredContact[], abort: () => void): void {
  if (batch.length > 0) meta.put({ key: stagedBatchKey(runId, batch[0]!.row.id), value: batch.map((s) => s.row.id) });
  request(meta.get(STAGED_KEY) as IDBRequest<{ value: string[] } | undefined>)
    .then((m) => {
      const runs = m?.value ?? [];
      if (!runs.includes(runId)) meta.put({ key: STAGED_KEY, value: [...runs, runId] });
    })
    .catch(abort);
}

/** The write counted: meta `generation` (handed to `onGeneration`), and what the `rows-written` middleware counts (schema.ts: the labels sync reads the rows again). */
function countWrite(meta: IDBObjectStore, abort: () => void, onGeneration: (g: number) => void): void {
  request(meta.get('generation') as IDBRequest<{ value: number } | undefined>)
    .then((g) => {
      const generation = (g?.value ?? 0) + 1;
      meta.put({ key: 'generation', value: generation });
      onGeneration(generation);
    })
    .catch(abort);
  request(meta.get(ROWS_WRITTEN_KEY) as IDBRequest<{ value: RowsWritten } | undefined>)
    .then((w) => {
      meta.put({ key: ROWS_WRITTEN_KEY, value: w === undefined ? { epoch: crypto.randomUUID(), n: 1 } : { epoch: w.value.epoch, n: w.value.n + 1 } });
    })
    .catch(abort);
}

/** The batch's contacts as entries of the run (made by the first batch that commits; a run another writer's batch made first keeps the later `lastAt` of both). */
function joinRun(runs: IDBObjectStore, run: ImportRun, batch: readonly StoredContact[], lastAt: number, abort: () => void): void {
  const entries: RunEntry[] = batch.map((s) => ({ contactId: s.row.id, change: 'created', before: null }));
  request(runs.get(run.id) as IDBRequest<RunRow | undefined>)
    .then((current) => {
      // The run begins at a stamp, not the wall clock: a version recorded here before it (its
      // stamp ahead of the clock when stamps crowd) is then before the run, not "changed after" it.
      const row: RunRow = current ?? { id: run.id, bookId: run.bookId, at: lastAt, kind: 'import', entries: [], ...(run.name !== undefined ? { name: run.name } : {}) };
      runs.put({ ...row, entries: [...row.entries, ...entries], lastAt: Math.max(row.lastAt ?? 0, lastAt) });
    })
    .catch(abort);
}

/**
 * Write new contacts (never stored before) in batches of one transaction each, each batch with
 * its versions and its entries in the run `run` (made by the first batch that commits; several
 * writers may share one). `onBatch` after each batch is committed.
 *
 * `staged`: written ahead, while the summary is open: the rows, their cards (each with its import
 * fact naming the run) and keys, the run in the `STAGED_KEY` row and the batch's ids in a meta row
 * of its own (staged.ts `stagedBatchKey`), but no run row, no write
 * count and no labels-sync count: nothing reads them (the window's list has no row of them, no
 * run lists them) until `commitStaged` makes the run in one transaction; `dropStaged` takes them out.
 */
export async function writeNewContacts(db: CardinalDB, items: readonly StoredContact[], run: ImportRun, batchSize: number, onBatch: (b: WrittenBatch) => void, staged = false): Promise<void> {
  const idb = db.backendDB();
  for (let i = 0; i < items.length; i += batchSize) {
    const batch = items.slice(i, i + batchSize);
    const tx = idb.transaction(['contacts', 'cards', 'runs', 'meta', 'dupkeys'], 'readwrite');
    // Anything that throws (a row that cannot be stored) aborts the batch: nothing of it is kept.
    const { committed, abort } = settled(tx);
    let generation = 0;
    let lastAt = 0;
    try {
      const meta = tx.objectStore('meta');
      if (staged) markStaged(meta, run.id, batch, abort);
      else
        countWrite(meta, abort, (g) => {
          generation = g;
        });
      const contacts = tx.objectStore('contacts');
      const cards = tx.objectStore('cards');
      for (const s of batch) contacts.put(s.row);
      const keyed: { id: string; keys: NonNullable<ReturnType<typeof keysOf>> }[] = [];
      for (const s of batch) {
        // The print of the card's text once: what its keys are checked against, and its import fact's.
        const print = cardPrint(s.card.vcard);
        const keys = keysOf(s.card, print);
        if (keys !== null) keyed.push({ id: s.card.id, keys });
        const { keys: _k, ...card } = s.card;
        // No version row (schema 9): the card says which import made it, and when (CardRow.imported).
        cards.put({ ...card, imported: { run: run.id, at: stamp(), print } });
      }
      // Each page touched read once and written once, in this batch's transaction.
      const pages = tx.objectStore('dupkeys');
      for (const [page, list] of byPage(keyed)) {
        request(pages.get(page))
          .then((current) => {
            const entries = pageEntries(current);
            for (const k of list) entries[k.id] = k.keys;
            const row = pageRow(page, entries);
            if (row !== null) pages.put(row);
          })
          .catch(abort);
      }
      // After every import stamp of this batch (stamps run ahead of the clock when they crowd); a run
      // another writer's batch made first keeps the later of both.
      lastAt = stamp();
      if (!staged) joinRun(tx.objectStore('runs'), run, batch, lastAt, abort);
    } catch (e) {
      abort();
      await committed.catch(() => {});
      throw e;
    }
    await committed;
    onBatch({ done: i + batch.length, generation, lastStamp: lastAt });
  }
}

/**
 * Make the run of an import written ahead (`writeNewContacts(…, staged)`), in one transaction:
 * the run row with an entry for each of `contactIds` (beginning at `at`, the first staged batch's
 * last stamp, and ending at `lastAt`), the write count and the labels sync's count, and the run
 * out of the `STAGED_KEY` row and its batch rows. Before it commits nothing of the import is there for the app;
 * after it, all of it. Returns the write count.
 */
export async function commitStaged(db: CardinalDB, run: ImportRun, contactIds: readonly string[], at: number, lastAt: number): Promise<number> {
  const tx = db.backendDB().transaction(['runs', 'meta'], 'readwrite');
  const { committed, abort } = settled(tx);
  let generation = 0;
  const meta = tx.objectStore('meta');
  countWrite(meta, abort, (g) => {
    generation = g;
  });
  request(meta.get(STAGED_KEY) as IDBRequest<{ value: string[] } | undefined>)
    .then((m) => {
      if (m === undefined || !m.value.includes(run.id)) throw new Error('the import written ahead is no longer there');
      const rest = m.value.filter((id) => id !== run.id);
      if (rest.length === 0) meta.delete(STAGED_KEY);
      else meta.put({ key: STAGED_KEY, value: rest });
      meta.delete(stagedBatchRange(run.id));
    })
    .catch(abort);
  const row: RunRow = { id: run.id, bookId: run.bookId, at, kind: 'import', entries: contactIds.map((contactId) => ({ contactId, change: 'created', before: null })), lastAt, ...(run.name !== undefined ? { name: run.name } : {}) };
  tx.objectStore('runs').put(row);
  await committed;
  return generation;
}
