/**
 * Telling our own earlier write from another client's: a write whose answer was lost may have
 * landed, and what the server then holds is ours, not a change to merge against. Values are
 * compared as a server's rewriting leaves them (groups, parameters, order and bookkeeping aside).
 */
import { parseVCard, type VCard } from '../../shared/vcard';
import { REWRITTEN, valuesByName } from '../../shared/sync/same-values';

export { sameValues } from '../../shared/sync/same-values';

/** Every text attempts of this edit sent with no answer seen: the latest, then earlier ones. */
export function sentTexts(card: { readonly sentVcard?: string; readonly sentEarlier?: readonly string[] }): string[] {
  return card.sentVcard === undefined ? [] : [card.sentVcard, ...(card.sentEarlier ?? [])];
}

/**
 * The merge base when an earlier write of this edit may have landed (its answer was lost) and
 * another client changed the card since: per property, where the server holds exactly what we
 * sent, that is our own write, not a change to merge against; elsewhere the version last agreed.
 */
export function ownPropertiesAsBase(base: VCard, sentForms: readonly string[], theirs: string): VCard {
  if (sentForms.length === 0) return base;
  let server: VCard;
  let sent: Map<string, string>[];
  try {
    server = parseVCard(theirs);
    sent = sentForms.map((t) => valuesByName(parseVCard(t)));
  } catch {
    return base;
  }
  const there = valuesByName(server);
  const mine = valuesByName(base);
  const own = new Set([...there].filter(([name, v]) => !REWRITTEN.has(name) && mine.get(name) !== v && sent.some((s) => s.get(name) === v)).map(([name]) => name));
  if (own.size === 0) return base;
  return { properties: [...base.properties.filter((p) => !own.has(p.name.toUpperCase())), ...server.properties.filter((p) => own.has(p.name.toUpperCase()))] };
}

