/**
 * The renderer's durable store (IndexedDB through Dexie). Two contact tables on purpose:
 * `contacts` holds the small list fields every screen needs (loaded whole at start), `cards` the
 * vCards and sync state (read one at a time). Both are written in one transaction.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { ListFields } from '../../../shared/book/derive';
import type { StoredCapabilities } from '../../../shared/sync/types';
import type { MergeConflict } from '../../../shared/vcard';
import { deriveAll, deriveGroupRows } from './derive-rows';

export type BookKind = 'local' | 'carddav' | 'google' | 'gdata';

export interface BookRow {
  id: string;
  name: string;
  kind: BookKind;
  /** The vCard version new cards in this book are written in. */
  version: '3.0' | '4.0';
  createdAt: number;
  /** Sync state of a server book, saved with the last batch of a sync run. */
  syncToken?: string | null;
  ctag?: string | null;
  capabilities?: StoredCapabilities;
  /** Hrefs written since the saved token (see SyncState.written). */
  written?: readonly string[];
}

/** The offline queue: a row's change not yet on the server. Empty when clean. */
export type PendingMark = '' | 'created' | 'updated' | 'deleted';

/** A synced card's trouble, shown in the list: refused by the server, or waiting for a decision. */
export type SyncFlag = '' | 'error' | 'conflict';

export interface ContactRow extends ListFields {
  id: string;
  bookId: string;
  favorite: 0 | 1;
  pending: PendingMark;
  /** Not indexed; absent on rows written before sync existed. */
  flag?: SyncFlag;
  updatedAt: number;
}

export interface CardRow {
  id: string;
  bookId: string;
  /** The raw vCard as known locally. */
  vcard: string;
  /** The raw vCard as last synced, for three-way merge; '' for the local book or a new card. */
  base: string;
  href: string;
  etag: string;
  /** Why the server refused this card's last upload (it stays pending). */
  error?: string;
  /** Both sides changed the same properties: what the user has to decide. */
  conflicts?: readonly MergeConflict[];
  /** The server's version at the time of the conflict, for the side-by-side view. */
  remote?: string;
  /** A create was sent; its answer may have been lost. */
  attempted?: boolean;
  /** The revision that create sent, and what identified it (see LocalCard.sentPrint). */
  sentRevision?: number;
  sentPrint?: string;
  /** The text of the version sent (see LocalCard.sentVcard). */
  sentVcard?: string;
  /** Texts sent by earlier attempts (see LocalCard.sentEarlier). */
  sentEarlier?: string[];
  /** The server's own representation as received (GData: the Atom entry), the base of its edits. */
  source?: string;
  /**
   * Moves on with every local write (edit, delete, undo; absent is 0). The sync engine hands back
   * the revision it sent, and the store never lets a server's answer overwrite a newer local write.
   */
  revision?: number;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export const LOCAL_BOOK_ID = 'local';

export class CardinalDB extends Dexie {
  books!: EntityTable<BookRow, 'id'>;
  contacts!: EntityTable<ContactRow, 'id'>;
  cards!: EntityTable<CardRow, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;

  constructor(name = 'cardinal') {
    super(name);
    // Version 1: the first schema. Indexes only for what is queried: rows by book, cards by book.
    this.version(1).stores({
      books: 'id',
      contacts: 'id, bookId',
      cards: 'id, bookId',
    });
    // Version 2: UID lookups (import de-duplication, sync re-keying) and a meta table for the
    // derivation version; the upgrade derives the new list fields of existing rows from their vCards.
    this.version(2)
      .stores({ contacts: 'id, bookId, uid', meta: 'key' })
      // Only Dexie promises may be awaited inside an upgrade, or the transaction commits early.
      .upgrade((tx) => deriveAll(tx.table('contacts'), tx.table('cards')));
    // Version 3: cards by server href (sync applies server changes by href).
    this.version(3).stores({ cards: 'id, bookId, href' });
    // Version 4: groups. Each row keeps what its card says about groups (derived fields), and
    // rows by CATEGORIES value are indexed; the upgrade derives them for existing rows. A book's
    // group setting (its storage, empty groups) is a meta record, `groups:<bookId>`.
    this.version(4)
      .stores({ contacts: 'id, bookId, uid, *categories' })
      .upgrade((tx) => deriveGroupRows(tx.table('contacts'), tx.table('cards'), tx.table('meta')));
  }
}
