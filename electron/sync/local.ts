/**
 * What the sync engine needs from the local store of one address book. The renderer's Dexie store
 * implements it through the store requests (`store-collection.ts`); tests use a memory one. Every
 * method that writes is one transaction on the store's side.
 */
import type { MergeConflict } from '../../shared/vcard';
import type { LocalCard, RemoteBatch, RemoteCard, SyncState } from '../../shared/sync/types';

export type { LocalCard, RemoteCard, SyncState, PendingMark, SyncProgress } from '../../shared/sync/types';

export interface LocalCollection {
  state(): Promise<SyncState>;
  /** Cards with a pending mark: the offline queue. */
  pending(): Promise<LocalCard[]>;
  /** href → ETag of every card known to be on the server. */
  knownEtags(): Promise<Map<string, string>>;
  /**
   * Apply server cards and deletions in one transaction; `state`, when given, is saved in the
   * same transaction (the last batch of a run), so a crash never skips or loses a change.
   */
  applyRemote(batch: RemoteBatch): Promise<void>;
  /** These creates are about to be sent (so a lost answer is looked for, not repeated). */
  attempting(ids: readonly string[]): Promise<void>;
  /** An upload landed: the card is now the server's version at `href`, no longer pending. */
  uploaded(id: string, remote: RemoteCard): Promise<void>;
  /** A local deletion reached the server. */
  deleted(id: string): Promise<void>;
  /** The server refused this card; it stays local, marked. */
  failed(id: string, message: string): Promise<void>;
  /** Both sides changed the same thing: keep the merged card pending and the conflicts for the user. */
  conflicted(id: string, merged: string, remote: RemoteCard, conflicts: readonly MergeConflict[]): Promise<void>;
}
