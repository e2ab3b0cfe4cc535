/**
 * What the phases of one address book's sync run share: the run context (the server, the book, the
 * local store, the server's profile, the report being filled in, the log and progress), the options
 * a caller gives, and the report and mass-deletion question a run ends with.
 */
import type { CardDavClient } from '../dav/client';
import type { LocalCard, LocalCollection, SyncProgress, SyncState } from './local';
import type { ServerProfile } from './profiles';

export interface SyncOptions {
  /** Cards per multiget (Xandikos is quadratic in it; Radicale does not care). */
  multigetBatch?: number;
  /** Stop and ask when a run would delete more than this share of the book. */
  massDeleteShare?: number;
  /** The user confirmed a mass deletion for this run. */
  allowMassDelete?: boolean;
  /** The user answered a mass deletion with "Keep them": the contacts the server no longer has
   * stay here and are put back on the server (as new cards). Wins over `allowMassDelete`. */
  keepRemoved?: boolean;
  /** The user asked for this run: cards the server refused are sent again too. */
  retryRefused?: boolean;
  /** A first sync's listing is read and applied this many cards at a time (default 500). */
  streamBatch?: number;
  /** Multigets in flight at once. */
  parallel?: number;
  /** Parts of a first sync's fetched cards a multiget's answer may leave queued at the store
   * before the next multiget (default 3); 0: each answer's cards applied before the next is asked
   * (the model-based tester, whose boundaries must come in one order on replay). */
  partsAhead?: number;
  /** How this server departs from the RFCs (Google); standard when absent. */
  profile?: ServerProfile;
  log?: (line: string) => void;
  onProgress?: (p: SyncProgress) => void;
  now?: () => number;
}

export interface SyncReport {
  uploaded: number;
  deleted: number;
  downloaded: number;
  removedLocally: number;
  conflicts: number;
  failed: number;
  /** Deleted here but edited on the server meanwhile: brought back. */
  restored: number;
  /** Cards the server listed at hrefs outside the book: refused by the URL policy, never fetched. */
  outside: number;
  /** Cards the server sent that cannot be read (not vCards, or broken): left on the server, not applied here. */
  unreadable: number;
  /** Contacts the server no longer had that the user chose to keep: put back there as new cards. */
  kept: number;
  /** Cards listed as changed that the server sent neither the card nor a 404 for, even asked
   * again: left as they are here (not taken for removed), and asked for again next run. */
  unanswered: number;
  /** Names (as shown here) of contacts whose edit waits because the server's copy cannot be read
   * (each also counted in `unreadable`). */
  waitingUnreadable: string[];
  fullResync: boolean;
}

/**
 * Whether a run that would remove `gone` of the `total` cards here asks first: more than `share`
 * (30%) of the book, and at least two cards. So a small book asks too (2 of 3 removed), while one
 * card deleted elsewhere from a book of one, two or three does not.
 */
export function removalNeedsConfirmation(gone: number, total: number, share = 0.3): boolean {
  return gone >= 2 && gone > share * total;
}

/**
 * What a run does with the cards the server no longer has: removes them here, or, where the user
 * answered a mass removal with "Keep them" and the run still finds one, keeps them all (to be put
 * back on the server).
 */
export function removals(gone: ReadonlySet<string>, total: number, opts: { massDeleteShare?: number; allowMassDelete?: boolean; keepRemoved?: boolean }): { deletes: string[]; kept: string[] } {
  const share = opts.massDeleteShare ?? 0.3;
  if (!removalNeedsConfirmation(gone.size, total, share)) return { deletes: [...gone], kept: [] };
  if (opts.keepRemoved === true) return { deletes: [], kept: [...gone] };
  if (opts.allowMassDelete === true) return { deletes: [...gone], kept: [] };
  throw new MassDeleteNeedsConfirmation(gone.size, total);
}

/** Two passes of one run (the second puts back what the first kept): one report. */
export function addReports(a: SyncReport, b: SyncReport): SyncReport {
  return {
    uploaded: a.uploaded + b.uploaded,
    deleted: a.deleted + b.deleted,
    downloaded: a.downloaded + b.downloaded,
    removedLocally: a.removedLocally + b.removedLocally,
    conflicts: a.conflicts + b.conflicts,
    failed: a.failed + b.failed,
    restored: a.restored + b.restored,
    outside: Math.max(a.outside, b.outside),
    unreadable: Math.max(a.unreadable, b.unreadable),
    kept: a.kept + b.kept,
    unanswered: b.unanswered,
    waitingUnreadable: [...new Set([...a.waitingUnreadable, ...b.waitingUnreadable])],
    fullResync: a.fullResync || b.fullResync,
  };
}

export class MassDeleteNeedsConfirmation extends Error {
  override name = 'MassDeleteNeedsConfirmation';
  constructor(
    readonly wouldDelete: number,
    readonly total: number,
  ) {
    super(`this sync would delete ${wouldDelete} of ${total} contacts`);
  }
}

/** One run of one book, as every phase sees it. */
export interface BookRun {
  readonly client: CardDavClient;
  readonly bookUrl: string;
  readonly local: LocalCollection;
  readonly profile: ServerProfile;
  readonly opts: SyncOptions;
  /** The book's sync state as the run found it. */
  readonly state: SyncState;
  /** The offline queue as the run found it. */
  readonly pending: readonly LocalCard[];
  readonly report: SyncReport;
  readonly log: (line: string) => void;
  readonly progress: (p: SyncProgress) => void;
  readonly now: () => number;
  /** Hrefs this run wrote (uploads, deletions): a listing from the last token shows them again. */
  readonly written: Set<string>;
  /** Hrefs of contacts this run restored (a deletion refused): one another client deletes before
   * the download is not counted as back. */
  readonly restored: Set<string>;
  /** Hrefs of cards whose copy on the server cannot be read (an edit here of one waits): counted once. */
  readonly unreadable: Set<string>;
  /** Of those, the ones whose edit here waits: href → the contact's name here. */
  readonly waitingUnreadable: Map<string, string>;
  /** A member's URL from its href. */
  url(href: string): string;
  /** One more pending card dealt with (the upload's progress). */
  uploadedOne(): void;
}

/** The book's capabilities for this run, and its CTag where that is the change gate. */
export interface BookCapabilities {
  readonly syncCollection: boolean;
  readonly addMember: string | null;
  /** A sync-collection that asks for the cards gets them (false: ETags only, then multigets). */
  readonly addressData: boolean;
  /** When they were last asked (they are remembered for a day). */
  readonly checkedAt: number;
  /** Asked only without sync-collection (and where the profile allows), else null. */
  readonly ctag: string | null;
}

export function newReport(): SyncReport {
  return { uploaded: 0, deleted: 0, downloaded: 0, removedLocally: 0, conflicts: 0, failed: 0, restored: 0, outside: 0, unreadable: 0, kept: 0, unanswered: 0, waitingUnreadable: [], fullResync: false };
}
