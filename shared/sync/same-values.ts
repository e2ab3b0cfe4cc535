/**
 * Whether two texts of a card hold the same values, as a server's rewriting leaves them (groups,
 * parameters, order and bookkeeping aside). Used by the engine to tell its own write from another
 * client's, and by the store to tell whether an upload carried more than the version sent.
 */
import { parseVCard, type VCard } from '../vcard';

/** Bookkeeping a server writes on every store; not a change of the card. */
export const REWRITTEN = new Set(['REV', 'PRODID', 'UID', 'X-IRMC-LUID', 'VERSION']);

/** The same values, whatever a server's rewriting did to groups, parameters, order and bookkeeping. */
export function sameValues(a: string, b: string): boolean {
  const values = (text: string) => {
    try {
      return parseVCard(text)
        .properties.filter((p) => !REWRITTEN.has(p.name.toUpperCase()))
        .map((p) => `${p.name.toUpperCase()}:${p.value.replace(/\\(.)/g, '$1').trim()}`)
        .sort()
        .join('\n');
    } catch {
      return text;
    }
  };
  return values(a) === values(b);
}

/** Property name → its values, normalised as `sameValues` compares them. */
export function valuesByName(card: VCard): Map<string, string> {
  const by = new Map<string, string[]>();
  for (const p of card.properties) {
    const name = p.name.toUpperCase();
    by.set(name, [...(by.get(name) ?? []), p.value.replace(/\\(.)/g, '$1').trim()]);
  }
  return new Map([...by].map(([name, values]) => [name, values.sort().join('\n')]));
}
