/**
 * What both import workers (.vcf and CSV) hand back for each card: the card with a UID (sync
 * needs one; a card without gets a new one), its list fields and its content key.
 */
import { deriveListFields, type ListFields } from '../../../shared/book/derive';
import { contentKey } from '../../../shared/book/identity';
import { keysOfContact, storedKeys, type StoredKeys } from '../../../shared/duplicates/keys';
import type { VCard } from '../../../shared/vcard';
import { serializeVCard, toContact } from '../../../shared/vcard';

export interface ImportedCard {
  vcard: string;
  fields: ListFields;
  key: string;
  /** Where it was in the file: a .vcf's line, a CSV's row. */
  line: number;
  /** Google CSV's "* starred": imported as a favourite. */
  favorite?: boolean;
  /** Its duplicate keys, made from the same contact view as the fields (stored with the card). */
  keys?: StoredKeys;
}

/** `region`: the OS's, for the duplicate keys' phone numbers; without it no keys are made. */
export function importedCard(card: VCard, line: number, favorite = false, region?: string): ImportedCard {
  const hasUid = card.properties.some((p) => p.name.toUpperCase() === 'UID' && p.value.trim() !== '');
  const withUid = hasUid ? card : { properties: [...card.properties, { group: null, name: 'UID', params: [], value: `urn:uuid:${crypto.randomUUID()}` }] };
  const contact = toContact(withUid);
  const vcard = serializeVCard(withUid);
  return {
    vcard,
    fields: deriveListFields(withUid, contact),
    key: contentKey(withUid),
    line,
    ...(favorite ? { favorite } : {}),
    ...(region !== undefined ? { keys: storedKeys(vcard, keysOfContact(contact, region)) } : {}),
  };
}
