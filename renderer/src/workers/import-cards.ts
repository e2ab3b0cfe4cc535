/**
 * The .vcf import worker's work, apart from the worker so that tests and the fuzz harness run it:
 * parse, then each card through `importedCard` (UID, list fields, content key). Each card is read
 * on its own: one card that cannot be read (whatever it throws) is reported with its line like a
 * parse error, and the rest of the file still comes in.
 */
import { parseVCards, type VCard, type VCardParseError } from '../../../shared/vcard';
import { importedCard, type ImportedCard } from './imported-cards';

export type { ImportedCard };

export interface ImportParseResult {
  cards: ImportedCard[];
  errors: VCardParseError[];
  /** A part of a file that ended inside a card (import-split.ts). */
  unfinished?: boolean;
}

/** `firstLine`: the line number of the bytes' first line (a part of a file: import-split.ts). */
export function importCards(bytes: Uint8Array, read: (card: VCard, line: number) => ImportedCard = importedCard, firstLine = 1): ImportParseResult {
  const result = parseVCards(bytes, {}, firstLine);
  const cards: ImportedCard[] = [];
  const errors: VCardParseError[] = [...result.errors];
  for (const { card, line } of result.cards) {
    try {
      cards.push(read(card, line));
    } catch (e) {
      errors.push({ code: 'bad-line', line, message: `card starting at line ${line} could not be read: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return result.unfinished === true ? { cards, errors, unfinished: true } : { cards, errors };
}
