/**
 * A save made while its contact was uploading, moved onto what the server stored. The upload may
 * hold more than the version the user edited: another client's change, merged in before the PUT.
 * Without this, the next run would take that change's absence here for an edit and undo it.
 */
import { mergeCards } from '../groups/merge';
import { parseVCard, serializeVCard, type MergeConflict, type VCard } from '../vcard';
import { sameValues, valuesByName } from './same-values';

/**
 * `sent`: the local version the engine read and sent from; `saved`: the user's save since;
 * `stored`: what the server holds now. The changes the upload carried beyond `sent` join the save.
 * Where both touched a property, neither is newer as far as anyone knows (the other client may
 * have written after the save): that is a conflict for the user, with the save's side in the card
 * (seed 12001657). `saved` itself when nothing was merged in, or when `sent` is not known.
 */
export function rebaseSave(sent: string | undefined, saved: string, stored: string): { vcard: string; conflicts: MergeConflict[] } {
  if (sent === undefined || sameValues(sent, stored)) return { vcard: saved, conflicts: [] };
  try {
    const merged = mergeCards(serializeVCard(asStored(parseVCard(sent), parseVCard(stored))), saved, stored);
    return { vcard: serializeVCard(merged.card), conflicts: [...merged.conflicts] };
  } catch {
    return { vcard: saved, conflicts: [] };
  }
}

/**
 * The merge base: the text sent, with each property whose values the server kept as sent in the
 * server's own form (its rewriting of parameters and order is no change of anyone's; seed 14000949).
 */
function asStored(sent: VCard, stored: VCard): VCard {
  const a = valuesByName(sent);
  const b = valuesByName(stored);
  const same = new Set([...a].filter(([name, v]) => name !== 'BEGIN' && name !== 'END' && b.get(name) === v).map(([name]) => name));
  if (same.size === 0) return sent;
  const at = sent.properties.findIndex((p) => same.has(p.name.toUpperCase()));
  const kept = sent.properties.filter((p) => !same.has(p.name.toUpperCase()));
  const theirs = stored.properties.filter((p) => same.has(p.name.toUpperCase()));
  const end = kept.findIndex((p) => /^END$/i.test(p.name));
  kept.splice(end < 0 ? kept.length : Math.min(Math.max(at, 0), end), 0, ...theirs);
  return { properties: kept };
}
