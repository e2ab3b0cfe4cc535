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
 * Take out the imports written ahead and never committed (`runIds`; all of them without): their
 * cards, contacts and keys (the store's middleware takes a deleted card's keys from its page), and
 * their runs from the `STAGED_KEY` row, in one transaction. `ids`: the contacts written ahead, as
 * the window knows them; without (after a crash), the cards are found by their import fact, every
 * card read once. Returns how many contacts went. A run committed meanwhile is left alone.
 */
export async function dropStaged(db: CardinalDB, runIds?: readonly string[], ids?: readonly string[]): Promise<number> {
  return db.transaction('rw', [db.meta, db.cards, db.contacts], async () => {
    const marker = await db.meta.get(STAGED_KEY);
    const named = Array.isArray(marker?.value) ? (marker.value as string[]) : [];
    const drop = new Set(runIds === undefined ? named : named.filter((id) => runIds.includes(id)));
    if (drop.size === 0) return 0;
    const gone = ids !== undefined ? [...ids] : ((await db.cards.filter((c) => c.imported !== undefined && drop.has(c.imported.run)).primaryKeys()) as string[]);
    await db.contacts.bulkDelete(gone);
    await db.cards.bulkDelete(gone);
    const rest = named.filter((id) => !drop.has(id));
    if (rest.length === 0) await db.meta.delete(STAGED_KEY);
    else await db.meta.put({ key: STAGED_KEY, value: rest });
    return gone.length;
  });
}
