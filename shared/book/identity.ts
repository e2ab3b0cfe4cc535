/**
 * When are two cards the same contact with the same content? Used by import (no duplicates for
 * identical cards) and later by sync. Content ignores bookkeeping that every writer changes.
 */
import { propertyLine, type VCard } from '../vcard';

const BOOKKEEPING = new Set(['UID', 'REV', 'PRODID', 'VERSION', 'X-IRMC-LUID']);

export function contentKey(card: VCard): string {
  return card.properties
    .filter((p) => !BOOKKEEPING.has(p.name.toUpperCase()))
    .map((p) => propertyLine({ ...p, name: p.name.toUpperCase(), group: p.group?.toLowerCase() ?? null }))
    .sort()
    .join('\n');
}
