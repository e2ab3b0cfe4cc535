/**
 * A card's UID, read by the parser (so a folded or grouped UID line is read as any other
 * property), or undefined where the card has none or cannot be read.
 */
import { parseVCard } from './parse';

export function cardUid(vcard: string): string | undefined {
  try {
    return parseVCard(vcard).properties.find((p) => p.name.toUpperCase() === 'UID')?.value.trim() || undefined;
  } catch {
    return undefined;
  }
}
