/**
 * An import written ahead while its summary is open (db/import-write.ts `writeNewContacts(…,
 * staged)`), until `commitStaged` makes its run or this takes it out. Apart from import-write.ts so
 * that the store's opening (repo.ts) can clean up without importing the writer.
 */
import type { CardinalDB } from './schema';

/**
 * The meta row naming the imports written ahead and not yet committed (`staged`): their run ids.
 * Each staged batch adds its run here in its own transaction; `commitStaged` takes it out in the
 * transaction that makes the run; a store opened with a run still named here (the window closed
 * or crashed while the summary was open) has that run's cards and contacts taken out first
 * (`dropStaged`, from `ContactRepo.open`): an import is either committed whole or not there.
 */
export const STAGED_KEY = 'import-staged';

/**
 * The meta rows of a staged run's batches, one a batch (`stagedBatchKey`), each written in its
 * batch's own transaction with the batch's contact ids as its value: the ids and the rows are
 * always in step, and taking a run out after a crash reads these rows, not every card.
 */
export const stagedBatchPrefix = (runId: string): string => `${STAGED_KEY}/${runId}/`;
/** A staged batch's meta row key: its run and its first contact's id (unique across the workers that share a run). */
export const stagedBatchKey = (runId: string, firstId: string): string => `${stagedBatchPrefix(runId)}${firstId}`;
/** The key range of a run's batch rows. */
export const stagedBatchRange = (runId: string): IDBKeyRange => IDBKeyRange.bound(stagedBatchPrefix(runId), `${stagedBatchPrefix(runId)}\uffff`);

/**
 * Take out the imports written ahead and never committed (`runIds`; all of them without): their
 * cards, contacts and keys (the store's middleware takes a deleted card's keys from its page), their
 * batch rows, and their runs from the `STAGED_KEY` row, in one transaction. The contacts are those
 * the batch rows name (and `ids`, the contacts written ahead as the window knows them); only a run
 * with no batch row at all (written ahead by a version before them) is looked for by its import
 * fact, every card read once. Returns how many contacts went. A run committed meanwhile is left alone.
 */
export async function dropStaged(db: CardinalDB, runIds?: readonly string[], ids?: readonly string[]): Promise<number> {
  return db.transaction('rw', [db.meta, db.cards, db.contacts], async () => {
    const marker = await db.meta.get(STAGED_KEY);
    const named = Array.isArray(marker?.value) ? (marker.value as string[]) : [];
    const drop = new Set(runIds === undefined ? named : named.filter((id) => runIds.includes(id)));
    if (drop.size === 0) return 0;
    const gone = new Set<string>(ids ?? []);
    const batchKeys: string[] = [];
    const unlisted = new Set<string>();
    for (const run of drop) {
      const rows = await db.meta.where('key').between(stagedBatchPrefix(run), `${stagedBatchPrefix(run)}\uffff`, true, true).toArray();
      if (rows.length === 0) unlisted.add(run);
      for (const r of rows) {
        batchKeys.push(r.key);
        if (Array.isArray(r.value)) for (const id of r.value as string[]) gone.add(id);
      }
    }
    if (unlisted.size > 0 && ids === undefined) {
      for (const id of (await db.cards.filter((c) => c.imported !== undefined && unlisted.has(c.imported.run)).primaryKeys()) as string[]) gone.add(id);
    }
    const list = [...gone];
    await db.contacts.bulkDelete(list);
    await db.cards.bulkDelete(list);
    await db.meta.bulkDelete(batchKeys);
    const rest = named.filter((id) => !drop.has(id));
    if (rest.length === 0) await db.meta.delete(STAGED_KEY);
    else await db.meta.put({ key: STAGED_KEY, value: rest });
    return list.length;
  });
}
