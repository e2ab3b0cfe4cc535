/**
 * A save made while its contact was uploading, moved onto what the server stored. The upload may
 * hold more than the version the user edited: another client's change, merged in before the PUT.
 * Without this, the next run would take that change's absence here for an edit and undo it.
 */
import { mergeCards } from '../groups/merge';
import { serializeVCard } from '../vcard';
import { sameValues } from './same-values';

/**
 * `sent`: the local version the engine read and sent from; `saved`: the user's save since;
 * `stored`: what the server holds now. The changes the upload carried beyond `sent` join the save;
 * where both touched a property, the save (the newer write) holds. `saved` itself when nothing was
 * merged in, or when `sent` is not known.
 */
export function rebaseSave(sent: string | undefined, saved: string, stored: string): string {
  if (sent === undefined || sameValues(sent, stored)) return saved;
  try {
    return serializeVCard(mergeCards(sent, saved, stored).card);
  } catch {
    return saved;
  }
}
