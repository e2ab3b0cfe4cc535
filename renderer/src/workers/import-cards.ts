/**
 * The import worker's work, apart from the worker so that tests and the fuzz harness run it: parse,
 * give every card a UID if it has none (sync needs one), derive its list fields and content key.
 * Each card is read on its own: one card that cannot be read (whatever it throws) is reported
 * with its line like a parse error, and the rest of the file still comes in.
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

export function importCards(bytes: Uint8Array, newUid: () => string = () => crypto.randomUUID()): ImportParseResult {
  const result = parseVCards(bytes);
  const cards: ImportedCard[] = [];
  const errors: VCardParseError[] = [...result.errors];
  for (const { card, line } of result.cards) {
    try {
      const hasUid = card.properties.some((p) => p.name.toUpperCase() === 'UID' && p.value.trim() !== '');
      const withUid = hasUid ? card : { properties: [...card.properties, { group: null, name: 'UID', params: [], value: `urn:uuid:${newUid()}` }] };
      cards.push({ vcard: serializeVCard(withUid), fields: deriveListFields(withUid), key: contentKey(withUid), line });
    } catch (e) {
      errors.push({ code: 'bad-line', line, message: `card starting at line ${line} could not be read: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { cards, errors };
}
