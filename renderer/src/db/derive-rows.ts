import type { Table } from 'dexie';
import { deriveListFields, groupFields } from '../../../shared/book/derive';
import { parseVCard, type VCard } from '../../../shared/vcard';
import type { CardRow, ContactRow, MetaRow } from './schema';

/**
 * Every row's fields from its vCard, in batches of 2,000 (one parse per card): `fields` gives the
 * fields that change, `fallback` those of a card that no longer parses.
 */
async function rederive(contacts: Table<ContactRow, string>, cards: Table<CardRow, string>, fields: (card: VCard) => Partial<ContactRow>, fallback: (row: ContactRow) => ContactRow): Promise<void> {
  const all = await cards.toArray();
  for (let i = 0; i < all.length; i += 2000) {
    const batch = all.slice(i, i + 2000);
    const rows = await contacts.bulkGet(batch.map((c) => c.id));
    const updated: ContactRow[] = [];
    batch.forEach((card, k) => {
      const row = rows[k];
      if (row === undefined) return;
      try {
        updated.push({ ...row, ...fields(parseVCard(card.vcard)) });
      } catch {
        updated.push(fallback(row));
      }
    });
    await contacts.bulkPut(updated);
  }
}

/** Re-derive every row's list fields from its vCard (schema upgrades, rule changes). */
export async function deriveAll(contacts: Table<ContactRow, string>, cards: Table<CardRow, string>): Promise<void> {
  // A card that no longer parses keeps its old fields, and its text.
  await rederive(contacts, cards, deriveListFields, (row) => row);
}

/**
 * Schema 4: the group fields of every row (the other list fields are left as they are). The saved
 * list snapshot goes too: it was written without these fields, and the next start reads the rows
 * instead.
 */
export async function deriveGroupRows(contacts: Table<ContactRow, string>, cards: Table<CardRow, string>, meta: Table<MetaRow, string>): Promise<void> {
  await rederive(contacts, cards, groupFields, (row) => ({ ...row, categories: [], groupCard: '', groupName: '', members: [] }));
  await meta.bulkDelete(['list', 'list-head']);
}
