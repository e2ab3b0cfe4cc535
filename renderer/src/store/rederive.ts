/**
 * Rows written by Cardinal 0.1 lack list fields the window now uses (the last-first name and sort
 * key, the birthday, the searchable addresses, groups and labels): derive them again from their
 * vCards once, in batches, each batch in one transaction with the generation bump (as every
 * write), and the in-memory list updated after it commits. Rows that have the fields are never
 * touched, so this costs nothing on a current store.
 */
import { deriveListFields } from '../../../shared/book/derive';
import { parseVCard } from '../../../shared/vcard';
import type { ContactRepo } from '../db/repo';
import type { ContactRow } from '../db/schema';
import type { ContactIndex } from './contact-index';

const BATCH = 2000;

export async function rederiveOldRows(repo: ContactRepo, index: ContactIndex): Promise<number> {
  const stale = [...index.all()].filter((r) => (r as Partial<ContactRow>).details === undefined || (r as Partial<ContactRow>).categories === undefined).map((r) => r.id);
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
