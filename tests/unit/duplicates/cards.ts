/** Small cards for the duplicate tests, written as the lines between BEGIN and END. */
import { duplicateKeys, type DuplicateCandidate } from '../../../shared/duplicates';
import { parseVCard, type VCard } from '../../../shared/vcard';

export function card(...lines: string[]): VCard {
  return parseVCard(['BEGIN:VCARD', ...(lines.some((l) => l.startsWith('VERSION:')) ? [] : ['VERSION:3.0']), ...lines, 'END:VCARD'].join('\r\n'));
}

/** A contact in `bookId` (default "book") with keys read in Germany unless told otherwise. */
export function contact(id: string, lines: string[], bookId = 'book', region = 'DE'): DuplicateCandidate {
  return { id, bookId, keys: duplicateKeys(card(...lines), region) };
}
