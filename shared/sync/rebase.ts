/**
 * A save made while its contact was uploading, moved onto what the server stored. The upload may
 * hold more than the version the user edited: another client's change, merged in before the PUT.
 * Without this, the next run would take that change's absence here for an edit and undo it.
 */
import { mergeCards } from '../groups/merge';
import { serializeVCard, type MergeConflict } from '../vcard';
import { sameValues } from './same-values';

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
    const merged = mergeCards(sent, saved, stored);
    return { vcard: serializeVCard(merged.card), conflicts: [...merged.conflicts] };
  } catch {
    return { vcard: saved, conflicts: [] };
  }
}
