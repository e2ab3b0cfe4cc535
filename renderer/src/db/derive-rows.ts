import type { Table } from 'dexie';
import { deriveListFields } from '../../../shared/book/derive';
import { parseVCard } from '../../../shared/vcard';
import type { CardRow, ContactRow } from './schema';

/** Re-derive every row's list fields from its vCard, in batches (schema upgrades, rule changes). */
export async function deriveAll(contacts: Table<ContactRow, string>, cards: Table<CardRow, string>): Promise<void> {
  const all = await cards.toArray();
  for (let i = 0; i < all.length; i += 2000) {
    const batch = all.slice(i, i + 2000);
    const rows = await contacts.bulkGet(batch.map((c) => c.id));
    const updated: ContactRow[] = [];
    batch.forEach((card, k) => {
      const row = rows[k];
      if (row === undefined) return;
      try {
        updated.push({ ...row, ...deriveListFields(parseVCard(card.vcard)) });
      } catch {
        updated.push(row); // a card that no longer parses keeps its old fields, and its text
      }
    });
    await contacts.bulkPut(updated);
  }
}
