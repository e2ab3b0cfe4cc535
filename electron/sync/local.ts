/**
 * What the sync engine needs from the local store of one address book. The renderer's Dexie store
 * implements it through the store requests (`store-collection.ts`); tests use a memory one. Every
 * method that writes is one transaction on the store's side.
 */
import type { MergeConflict } from '../../shared/vcard';
import type { LocalCard, RemoteBatch, RemoteCard, SentCreate, SyncState } from '../../shared/sync/types';

export type { LocalCard, RemoteCard, SyncState, PendingMark, SyncProgress } from '../../shared/sync/types';

/**
 * Every write from the engine about one card carries the card's `revision` as the engine read it;
 * where the row has moved on since (the user saved, deleted or undid meanwhile), the store keeps
 * the user's write and takes from the answer only what the server now holds (its href, ETag and
 * version as the base of the next merge), so nothing the user did is overwritten.
 */
export interface LocalCollection {
  state(): Promise<SyncState>;
  /** Cards with a pending mark: the offline queue. A card the server refused waits until it
   * changes, unless `retryRefused` (the user asked). */
  pending(opts?: { retryRefused?: boolean }): Promise<LocalCard[]>;
  /** href → ETag of every card known to be on the server. */
  knownEtags(): Promise<Map<string, string>>;
  /** Whether any card here is known to be on the server (`knownEtags` is not empty): one key read,
   * where a run only needs to know whether the book is empty (whether its listing asks for the
   * cards too) and reads the ETags only once the server names a change. */
  hasServerCards(): Promise<boolean>;
  /** href → ETag of those of these hrefs known to be on the server (`knownEtags` for them only). */
  etagsOf(hrefs: readonly string[]): Promise<Map<string, string>>;
  /**
   * Apply server cards and deletions in one transaction; `state`, when given, is saved in the
   * same transaction (the last batch of a run), so a crash never skips or loses a change.
   * Answers the hrefs of cards that cannot be read (not vCards, or broken ones): those are left
   * out (what was here stays as it was) and the rest is applied, so one broken card on the server
   * never stops a book's sync.
   */
  applyRemote(batch: RemoteBatch): Promise<readonly string[]>;
  /** These creates are about to be sent, at these revisions (so a lost answer is looked for, not
   * repeated). Answers the ids no longer here: a create the user deleted after the engine read it
   * and before this mark went at once (it was never sent), and must not be sent now, or it is on
   * the server with nothing here that knows it, and comes back down as a new contact. */
  attempting(sent: readonly SentCreate[]): Promise<readonly string[]>;
  /** An upload landed: the card is now the server's version at `href`, no longer pending. No
   * other row keeps that href. The href joins the state's `written` in the same transaction (kept
   * until a new state is saved), so a run that breaks off after it still knows what it wrote. */
  uploaded(id: string, remote: RemoteCard, revision: number): Promise<void>;
  /** A local deletion reached the server (or found the card already gone). */
  deleted(id: string, revision: number): Promise<void>;
  /** A local deletion the server refused because the card changed there: its version comes back,
   * visible and no longer pending. */
  restored(id: string, remote: RemoteCard, revision: number): Promise<void>;
  /** The server refused this card; it stays local, marked, and is not sent again until it changes. */
  failed(id: string, message: string, revision: number): Promise<void>;
  /** Both sides changed the same thing: keep the merged card pending and the conflicts for the user. */
  conflicted(id: string, merged: string, remote: RemoteCard, conflicts: readonly MergeConflict[], revision: number): Promise<void>;
}
