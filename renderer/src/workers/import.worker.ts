/**
 * Reads a .vcf off the UI thread: parse, give every card a UID if it has none (sync needs one),
 * derive its list fields and content key. Posts back what the dialog needs to decide.
 */
import { deriveListFields, type ListFields } from '../../../shared/book/derive';
import { contentKey } from '../../../shared/book/identity';
import { parseVCards, serializeVCard, type VCardParseError } from '../../../shared/vcard';

export interface ImportedCard {
  vcard: string;
  fields: ListFields;
  key: string;
  line: number;
}

export interface ImportParseResult {
  cards: ImportedCard[];
  errors: VCardParseError[];
}

self.onmessage = (event: MessageEvent<ArrayBuffer>) => {
  const result = parseVCards(new Uint8Array(event.data));
  const cards: ImportedCard[] = result.cards.map(({ card, line }) => {
    const hasUid = card.properties.some((p) => p.name.toUpperCase() === 'UID' && p.value.trim() !== '');
    const withUid = hasUid
      ? card
      : { properties: [...card.properties, { group: null, name: 'UID', params: [], value: `urn:uuid:${crypto.randomUUID()}` }] };
    return { vcard: serializeVCard(withUid), fields: deriveListFields(withUid), key: contentKey(withUid), line };
  });
  const reply: ImportParseResult = { cards, errors: [...result.errors] };
  self.postMessage(reply);
};
