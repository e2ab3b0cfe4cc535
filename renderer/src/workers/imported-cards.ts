/**
 * What both import workers (.vcf and CSV) hand back for each card: the card with a UID (sync
 * needs one; a card without gets a new one), its list fields and its content key.
 */
import { deriveListFields, type ListFields } from '../../../shared/book/derive';
import { contentKey } from '../../../shared/book/identity';
import type { VCard } from '../../../shared/vcard';
import { serializeVCard } from '../../../shared/vcard';

export interface ImportedCard {
  vcard: string;
  fields: ListFields;
  key: string;
  /** Where it was in the file: a .vcf's line, a CSV's row. */
  line: number;
  /** Google CSV's "* starred": imported as a favourite. */
  favorite?: boolean;
}

export function importedCard(card: VCard, line: number, favorite = false): ImportedCard {
  const hasUid = card.properties.some((p) => p.name.toUpperCase() === 'UID' && p.value.trim() !== '');
  const withUid = hasUid ? card : { properties: [...card.properties, { group: null, name: 'UID', params: [], value: `urn:uuid:${crypto.randomUUID()}` }] };
  return { vcard: serializeVCard(withUid), fields: deriveListFields(withUid), key: contentKey(withUid), line, ...(favorite ? { favorite } : {}) };
}
