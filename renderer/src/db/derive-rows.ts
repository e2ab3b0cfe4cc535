import type { Table } from 'dexie';
import { deriveListFields, groupFields } from '../../../shared/book/derive';
import { parseVCard } from '../../../shared/vcard';
import type { CardRow, ContactRow, MetaRow } from './schema';

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

/**
 * Schema 4: the group fields of every row, from its vCard, in batches (one parse per card; the
 * other list fields are left as they are). The saved list snapshot goes too: it was written
 * without these fields, and the next start reads the rows instead.
 */
export async function deriveGroupRows(contacts: Table<ContactRow, string>, cards: Table<CardRow, string>, meta: Table<MetaRow, string>): Promise<void> {
  const all = await cards.toArray();
  for (let i = 0; i < all.length; i += 2000) {
    const batch = all.slice(i, i + 2000);
    const rows = await contacts.bulkGet(batch.map((c) => c.id));
    const updated: ContactRow[] = [];
    batch.forEach((card, k) => {
      const row = rows[k];
      if (row === undefined) return;
      try {
        updated.push({ ...row, ...groupFields(parseVCard(card.vcard)) });
      } catch {
        updated.push({ ...row, categories: [], groupCard: '', groupName: '', members: [] });
      }
    });
    await contacts.bulkPut(updated);
  }
  await meta.bulkDelete(['list', 'list-head']);
}
