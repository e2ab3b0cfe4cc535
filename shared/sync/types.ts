/** What crosses between the sync engine (main) and the store (renderer). Types only. */
import type { MergeConflict } from '../vcard/merge';

export type PendingMark = '' | 'created' | 'updated' | 'deleted';

export interface LocalCard {
  readonly id: string;
  /** Server path ('' until first uploaded). */
  readonly href: string;
  readonly etag: string;
  readonly vcard: string;
  /** The vCard as last synced, for three-way merge. */
  readonly base: string;
  readonly pending: PendingMark;
}

export interface SyncState {
  readonly syncToken: string | null;
  readonly ctag: string | null;
}

export interface RemoteCard {
  readonly href: string;
  readonly etag: string;
  readonly vcard: string;
}

export interface RemoteBatch {
  readonly upserts: readonly RemoteCard[];
  readonly deletes: readonly string[];
  readonly state?: SyncState;
}

export interface AccountBook {
  /** The local book id. */
  readonly id: string;
  readonly url: string;
  readonly name: string;
}

export interface AccountInfo {
  readonly id: string;
  readonly kind: 'carddav';
  readonly serverUrl: string;
  readonly user: string;
  readonly allowInsecure: boolean;
  readonly books: readonly AccountBook[];
}

export type SyncPhase = 'idle' | 'syncing' | 'error' | 'offline';

export interface SyncStatus {
  readonly accountId: string;
  readonly phase: SyncPhase;
  readonly message: string;
  readonly lastSync: number | null;
}

export type { MergeConflict };
