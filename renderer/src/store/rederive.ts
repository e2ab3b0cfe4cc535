/**
 * Rows written by Cardinal 0.1 lack list fields the window now uses (the last-first name and sort
 * key, the birthday, the searchable addresses, groups and labels), and rows whose search text was
 * folded before the Latin letters without a decomposition were (ø, æ, ß, ł…: "soren" finds
 * "Søren" only once "søren" is stored as "soren") still hold such a letter: derive them again from
 * their vCards once, in batches, each batch in one transaction with the generation bump (as every
 * write), and the in-memory list updated after it commits. Rows that have the fields and a current
 * search text are never touched, so this costs one scan of the texts on a current store.
 */
import { deriveListFields } from '../../../shared/book/derive';
import { holdsUnfoldedLetters } from '../../../shared/search/normalize';
import { parseVCard } from '../../../shared/vcard';
import type { ContactRepo } from '../db/repo';
import type { ContactRow } from '../db/schema';
import type { ContactIndex } from './contact-index';

const BATCH = 2000;

/** A row a current derivation would give other fields: one lacking some, or folded by older rules. */
function isStale(r: ContactRow): boolean {
  const row = r as Partial<ContactRow>;
  return row.details === undefined || row.categories === undefined || (typeof row.search === 'string' && holdsUnfoldedLetters(row.search));
}

export async function rederiveOldRows(repo: ContactRepo, index: ContactIndex): Promise<number> {
  const stale = [...index.all()].filter(isStale).map((r) => r.id);
  for (let i = 0; i < stale.length; i += BATCH) {
    const ids = stale.slice(i, i + BATCH);
    const { db } = repo;
    const rows = await db.transaction('rw', db.contacts, db.cards, db.meta, async () => {
      const [contacts, cards] = await Promise.all([db.contacts.bulkGet(ids), db.cards.bulkGet(ids)]);
      const updated: ContactRow[] = [];
      contacts.forEach((row, k) => {
        const card = cards[k];
        if (row === undefined || card === undefined) return;
        try {
          updated.push({ ...row, ...deriveListFields(parseVCard(card.vcard)) });
        } catch {
          // a card that no longer parses keeps the fields it had
        }
      });
      await db.contacts.bulkPut(updated);
      await repo.bumpInTransaction();
      return updated;
    });
    index.upsert(rows);
  }
  return stale.length;
}
