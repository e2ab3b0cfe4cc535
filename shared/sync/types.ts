/** What crosses between the sync engine (main) and the store (renderer). Types only. */
import type { ErrorCause, ErrorCode } from '../errors';
import type { MergeConflict } from '../vcard/merge';
import type { ListFields } from '../book/derive';

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
  /**
   * A create was sent before and its answer may have been lost: the engine looks for the card on
   * the server (by UID) before sending it again, so a retry never makes a duplicate.
   */
  readonly attempted?: boolean;
  /** The revision last sent as a create: a card found on the server after a lost answer is that
   * version, and a later save is still to go up. */
  readonly sentRevision?: number;
  /** What identified that version (name, e-mail addresses, phone numbers): how it is recognised
   * where the server gives it another UID, though the card was edited here since. */
  readonly sentPrint?: string;
  /** That version's text as it was here: the base for merging what the server holds now, when
   * the card found there is not what was sent (another client edited it meanwhile). */
  readonly sentVcard?: string;
  /** Texts sent by earlier attempts since the last answer seen (newest first, at most 4): any of
   * them may have landed, so each is our own write, not another client's change. */
  readonly sentEarlier?: readonly string[];
  /** The server's representation of the version `etag` names, as received (see RemoteCard). */
  readonly source?: string;
  /**
   * The row's revision as the engine read it: every local write moves it on. The engine hands it
   * back with what the server answered, and the store refuses to let that answer overwrite a
   * newer local write (a save made while the upload was under way).
   */
  readonly revision: number;
}

/** A create or an edit about to be sent: which card, at which revision, its text, and (where the server replaces UIDs) what identifies that version. */
export interface SentCreate {
  readonly id: string;
  readonly revision: number;
  readonly print?: string;
  /** The card's text at that revision. */
  readonly vcard?: string;
}

export interface SyncState {
  readonly syncToken: string | null;
  readonly ctag: string | null;
  /** What the collection offers, as last asked; asked again when older than a day. */
  readonly capabilities?: StoredCapabilities;
  /** Hrefs written by runs since this token was saved (a run that broke off before its download),
   * and cards the server left unanswered: the next incremental download asks for each that the
   * changes leave out (see download.ts). */
  readonly written?: readonly string[];
}

export interface StoredCapabilities {
  readonly syncCollection: boolean;
  readonly addMember: string | null;
  readonly checkedAt: number;
  /** false: a sync-collection asking for the cards got none (kept across the daily re-check). */
  readonly addressData?: boolean;
}

/** A card's list fields and its text as stored here (`vcard`, only where it differs from the
 * server's text), made by the host's answer reader (shared/book/derived-card.ts). */
export interface DerivedCard {
  readonly fields: ListFields;
  readonly vcard?: string;
}

export interface RemoteCard {
  readonly href: string;
  readonly etag: string;
  readonly vcard: string;
  /** What the window would derive from `vcard` (a first sync's listing): it writes it as it is. */
  readonly derived?: DerivedCard;
  /** The server's own representation, kept as received (GData: the Atom entry, whose elements
   * the vCard does not show must go back unchanged). */
  readonly source?: string;
  /**
   * Only on an upload's answer: what went up had another client's change merged in, and this is
   * the server's version this computer had seen before it. A contact deleted here while that upload
   * was on its way keeps it as its base, so the deletion finds the change it never saw, and the
   * contact comes back (an edit wins over a deletion that had not seen it).
   */
  readonly seenBase?: string;
}

export interface RemoteBatch {
  readonly upserts: readonly RemoteCard[];
  readonly deletes: readonly string[];
  readonly state?: SyncState;
  /** Properties the server does not store (Google: CATEGORIES): a card's local ones stay. */
  readonly keepLocal?: readonly string[];
  /** Hrefs the server no longer has whose contacts the user chose to keep ("Keep them" at a mass
   * removal): each stays here and becomes a new card to upload, as a restore from the trash does. */
  readonly keep?: readonly string[];
}

export interface AccountBook {
  /** The local book id. */
  readonly id: string;
  readonly url: string;
  readonly name: string;
}

/** An address book the server offers (found by discovery). */
export interface ServerBook {
  readonly url: string;
  readonly name: string;
}

export interface AccountInfo {
  readonly id: string;
  /** A CardDAV server with a password, Google (OAuth 2.0, Google's CardDAV), or a Workspace
   * domain's shared contacts (OAuth 2.0, the GData Domain Shared Contacts API). */
  readonly kind: 'carddav' | 'google' | 'gdata';
  /** The Workspace domain (kind `gdata`). */
  readonly domain?: string;
  /** What the user typed (a URL, or an e-mail address for RFC 6764 discovery); Google: the
   * well-known CardDAV URL. */
  readonly serverUrl: string;
  readonly user: string;
  readonly allowInsecure: boolean;
  /** Minutes between automatic syncs; 0 for only at start, after edits and on request. */
  readonly intervalMinutes: number;
  /** The books synced, each a book in the sidebar. */
  readonly books: readonly AccountBook[];
  /** Every book the server offered at discovery, synced or not. */
  readonly available: readonly ServerBook[];
  /** When the books were last discovered (Google: found again every few weeks, as asked). */
  readonly discoveredAt?: number;
}

/**
 * Where account secrets are kept: sealed by the OS keyring; only in memory until Cardinal quits
 * (no keyring, and the user chose it); or nowhere yet (no keyring, no choice made: adding an
 * account is refused with `no-keyring` rather than storing a password in plain text).
 */
export type SecretStorage = 'keyring' | 'memory' | 'none';

/** Whether Google sign-in can start, and with whose OAuth client. */
export interface GoogleSetup {
  /** An OAuth client is configured (from the environment or the user's settings). */
  readonly configured: boolean;
  readonly source: 'environment' | 'settings' | null;
  readonly clientId: string;
}

/** What discovery found, held in the main process until the user picks books. */
export interface Discovery {
  readonly discoveryId: string;
  readonly user: string;
  readonly books: readonly ServerBook[];
  /**
   * Discovery leads to another origin than the one typed (an SRV record, a redirect, a principal
   * elsewhere): nothing has been sent there. `books` is empty until the user answers
   * (`continueDiscovery`): go there, the password with it, or not.
   */
  readonly move?: OriginMove;
}

export interface OriginMove {
  /** The origin the user typed (https://example.com). */
  readonly from: string;
  /** Where the server sends discovery (https://dav.example.net:8443). */
  readonly to: string;
}

export interface AccountChanges {
  readonly user?: string;
  /** A new password; absent keeps the stored one. */
  readonly password?: string;
  readonly allowInsecure?: boolean;
  readonly intervalMinutes?: number;
  /** Which of `available` to sync. */
  readonly bookUrls?: readonly string[];
}

export type SyncPhase = 'idle' | 'syncing' | 'error' | 'offline' | 'confirm';

/** Which step of a run, and how far (cards done of cards to do), for the progress line. */
export interface SyncProgress {
  readonly step: 'prepare' | 'upload' | 'download' | 'apply';
  readonly done: number;
  readonly total: number;
}

/** What the user can do about a stopped sync. */
export type SyncAction = 'edit-account' | 'confirm-deletions' | 'retry' | 'sign-in';

export interface SyncStatus {
  readonly accountId: string;
  readonly phase: SyncPhase;
  readonly message: string;
  readonly lastSync: number | null;
  readonly progress?: SyncProgress;
  readonly action?: SyncAction;
  /** Seconds until the next automatic attempt after a soft failure. */
  readonly retryIn?: number;
  /** A mass deletion waiting for the user: how many of how many. */
  readonly deletions?: { readonly count: number; readonly total: number };
  /** What went wrong, as a code the window words in the user's language (`message` is the detail). */
  readonly code?: ErrorCode;
  /** Why, where the code alone cannot say it (connection refused, certificate not valid, …). */
  readonly cause?: ErrorCause;
  /** The HTTP status the server answered, where that is the trouble (500, 503, 507 …). */
  readonly httpStatus?: number;
  /** After a run: contacts deleted here that came back (edited on the server), and cards refused. */
  readonly restored?: number;
  readonly refused?: number;
  /** Cards the server listed at addresses outside the book: refused (never fetched or kept). */
  readonly outside?: number;
  /** Cards the server sent that cannot be read (not vCards, or broken): left there, not applied here. */
  readonly unreadable?: number;
  /** Cards the server listed but would not send, nor say were gone (a multiget that left them
   * out, asked again): left as they are here, and asked for again on the next run. */
  readonly unanswered?: number;
  /** Contacts (their names here) whose edit waits because the server's copy cannot be read; each
   * is also counted in `unreadable`. */
  readonly waitingUnreadable?: readonly string[];
}

export type { MergeConflict };
