/**
 * A reviewed merge, written: the card that stays becomes the merged card (an edit, pending for
 * the sync like the editor's), the others are deleted as the Delete key deletes them (in a synced
 * book: kept as deletions for the server), all in one transaction. One undo puts every card back
 * as it was. Only contacts of one book are merged; the sync then updates one card on the server
 * and deletes the others there.
 */
import { parseVCard, serializeVCard } from '../../../../shared/vcard';
import type { MergeOutcome } from '../../../../shared/duplicates/review';
import { syncSoon } from '../../actions';
import type { StoredContact } from '../../db/repo';
import { LOCAL_BOOK_ID, type ContactRow } from '../../db/schema';
import type { Services } from '../../services';

/** One of the cards changed since the review was built: it would be merged from an older version. */
export class ChangedMeanwhile extends Error {
  override name = 'ChangedMeanwhile';
  constructor() {
    super('A contact changed while it was reviewed.');
  }
}

/** A merge done: what to show, and what its undo needs. */
export interface MergeWritten {
  readonly survivor: ContactRow;
  /** The card that stays, as it was before. */
  readonly before: StoredContact;
  /** The cards merged into it, as they were (for `repo.restore`). */
  readonly removed: readonly StoredContact[];
  /** The text the merge wrote, to tell whether the survivor changed again since. */
  readonly merged: string;
}

/**
 * Write a merge. `reviewed` holds the text each card had when the review was built; if any card
 * is no longer that text (a sync or another edit came in), nothing is written (`ChangedMeanwhile`).
 */
export async function writeMerge(s: Services, outcome: MergeOutcome, reviewed: ReadonlyMap<string, string>): Promise<MergeWritten> {
  const { db } = s.repo;
  const ids = [outcome.survivor, ...outcome.replaces];
  const merged = serializeVCard(outcome.card);
  const written = await db.transaction('rw', s.repo.tables, async () => {
    const rows = await db.contacts.bulkGet(ids);
    const cards = await db.cards.bulkGet(ids);
    const bookId = rows[0]?.bookId;
    for (let i = 0; i < ids.length; i++) {
      const row = rows[i];
      const card = cards[i];
      if (row === undefined || card === undefined || row.pending === 'deleted' || card.vcard !== reviewed.get(ids[i]!)) throw new ChangedMeanwhile();
      if (row.bookId !== bookId) throw new RangeError('Contacts in different address books are not merged.');
    }
    const before: StoredContact = { row: rows[0]!, card: cards[0]! };
    const stored = await s.repo.update(outcome.survivor, parseVCard(merged), 'merge');
    const removed = await s.repo.remove(outcome.replaces, { id: outcome.survivor, name: stored.row.displayName });
    // A favourite merged into another keeps the merged contact a favourite.
    const favourite = removed.some((r) => r.row.favorite === 1) && stored.row.favorite !== 1;
    const survivor = favourite ? ((await s.repo.setFavorite(outcome.survivor, true)) ?? stored.row) : stored.row;
    return { survivor, before, removed, merged: stored.card.vcard };
  });
  s.index.upsert([written.survivor]);
  s.index.remove(outcome.replaces);
  // Rows of a synced book stay, hidden, as deletions waiting for the server (as deleteContacts).
  const waiting = written.removed.filter((r) => r.row.bookId !== LOCAL_BOOK_ID && !(r.row.pending === 'created' && r.card.attempted !== true));
  if (waiting.length > 0) s.index.upsert(waiting.map((r) => ({ ...r.row, pending: 'deleted' as const })));
  syncSoon([written.survivor.bookId]);
  return written;
}

/** The undo did nothing: the merged contact was changed after the merge (that edit stays). */
export class MergedChangedSince extends Error {
  override name = 'MergedChangedSince';
  constructor() {
    super('The merged contact changed after the merge.');
  }
}

/**
 * Undo a merge: the card that stayed gets its old text back (an edit, which the sync sends), the
 * merged-in cards come back as the undo of a deletion does (on the server too, if they had gone).
 */
export async function undoMerge(s: Services, done: MergeWritten): Promise<void> {
  const { db } = s.repo;
  const id = done.before.row.id;
  const back = await db.transaction('rw', s.repo.tables, async () => {
    const now = await db.cards.get(id);
    if (now === undefined || now.vcard !== done.merged) throw new MergedChangedSince();
    const restored = await s.repo.update(id, parseVCard(done.before.card.vcard), 'undo');
    const favourite = done.before.row.favorite === 1 || restored.row.favorite !== 1 ? restored.row : ((await s.repo.setFavorite(id, false)) ?? restored.row);
    const others = await s.repo.restore(done.removed);
    return [favourite, ...others.map((r) => r.row)];
  });
  s.index.upsert(back);
  syncSoon(back.map((r) => r.bookId));
}
