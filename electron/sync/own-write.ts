/**
 * Telling our own earlier write from another client's: a write whose answer was lost may have
 * landed, and what the server then holds is ours, not a change to merge against. Values are
 * compared as a server's rewriting leaves them (groups, parameters, order and bookkeeping aside).
 */
import { keepLocalOnly, merge, parseVCard, serializeVCard, type VCard } from '../../shared/vcard';
import { REWRITTEN, sameValues, valuesByName } from '../../shared/sync/same-values';

export { sameValues };

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


/**
 * The server's version holds nothing the card here does not: its values (our own write, as the
 * server stores it), a text an attempt sent (its answer lost, edited here since), or changes from
 * the base that the card here has too or has changed again. Then no other client's change is in
 * it, and a deletion of it loses nothing. `prepare` is the form the server is sent (Google's FN).
 */
export function holdsOnlyOurs(
  serverVcard: string,
  card: { readonly vcard: string; readonly base: string; readonly sentVcard?: string; readonly sentEarlier?: readonly string[] },
  localOnly: readonly string[],
  prepare: (vcard: string) => string = (v) => v,
): boolean {
  const same = (t: string): boolean => sameValues(serverVcard, t) || sameValues(serverVcard, prepare(t));
  if (same(card.vcard) || sentTexts(card).some(same)) return true;
  if (card.base === '') return false;
  try {
    const theirs = keepLocalOnly(serverVcard, card.base, localOnly);
    const merged = merge(parseVCard(card.base), parseVCard(card.vcard), parseVCard(theirs));
    return merged.conflicts.length === 0 && sameValues(serializeVCard(merged.card), card.vcard);
  } catch {
    return false; // unreadable: taken for another client's change, and the card comes back
  }
}
