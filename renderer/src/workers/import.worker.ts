/**
 * Reads a .vcf off the UI thread: parse, give every card a UID if it has none (sync needs one),
 * derive its list fields and content key. Posts back what the dialog needs to decide.
 */
import { parseVCards, type VCardParseError } from '../../../shared/vcard';
import { importedCard, type ImportedCard } from './imported-cards';

export type { ImportedCard };

export interface ImportParseResult {
  cards: ImportedCard[];
  errors: VCardParseError[];
}

self.onmessage = (event: MessageEvent<ArrayBuffer>) => {
  const result = parseVCards(new Uint8Array(event.data));
  const reply: ImportParseResult = { cards: result.cards.map(({ card, line }) => importedCard(card, line)), errors: [...result.errors] };
  self.postMessage(reply);
};
