/**
 * One sync run of a Workspace domain's shared contacts, in the engine's phases (prepare → upload
 * deletes → upload creates and edits → download → deletions → apply with the new state), on the
 * same local store contract as CardDAV books (uploads in `upload.ts`). Incremental runs ask for
 * what changed since the feed's last `<updated>`, deleted placeholders included; after 30 days
 * those placeholders are gone, so the run is a full listing. A full listing pages by offset
 * (`start-index`), which another administrator's deletion shifts under it: it is followed by the
 * changes made while it ran, and repeated when entries may have been skipped.
 */
import { addReports, newReport, removals, type SyncReport } from '../sync/book-run';
import type { LocalCollection, SyncProgress, SyncState } from '../sync/local';
import type { AtomEntry } from './atom';
import type { GDataClient } from './client';
import { hrefOf, LOCAL_ONLY, remoteOf } from './entries';
import { uploadCreates, uploadDeletes, uploadEdits, type GDataRun } from './upload';

export { hrefOf } from './entries';

/** Google keeps deleted placeholders this long; a longer gap means a full resync. */
const DELETED_KEPT_MS = 30 * 86_400_000;
/** Full listings tried before a run gives up on a complete one (the next run lists again). */
const LISTING_ATTEMPTS = 3;

export interface GDataSyncOptions {
  massDeleteShare?: number;
  allowMassDelete?: boolean;
  /** "Keep them" (see SyncOptions.keepRemoved). */
  keepRemoved?: boolean;
  /** The user asked for this run: cards the server refused are sent again too. */
  retryRefused?: boolean;
  log?: (line: string) => void;
  onProgress?: (p: SyncProgress) => void;
  now?: () => number;
}

export async function syncSharedContacts(client: GDataClient, local: LocalCollection, opts: GDataSyncOptions = {}): Promise<SyncReport> {
  const log = opts.log ?? (() => {});
  const progress = opts.onProgress ?? (() => {});
  const now = opts.now ?? Date.now;
  const report = newReport();

  // 1. prepare
  const state = await local.state();
  const lastSync = state.ctag === null ? null : Number(state.ctag);
  const full = state.syncToken === null || lastSync === null || now() - lastSync > DELETED_KEPT_MS;
  log(`prepare: ${full ? 'full listing' : `changes since ${state.syncToken}`}`);
  progress({ step: 'prepare', done: 0, total: 0 });
  const pending = await local.pending({ retryRefused: opts.retryRefused === true });
  let done = 0;
  const run: GDataRun = {
    client,
    local,
    report,
    since: state.syncToken,
    log,
    tick: () => progress({ step: 'upload', done: ++done, total: pending.length }),
    selfUrl: (href) => new URL(href, client.feedUrl).href,
    restored: new Set(),
  };

  // 2–3. upload
  await uploadDeletes(run, pending.filter((c) => c.pending === 'deleted'));
  await uploadCreates(run, pending.filter((c) => c.pending === 'created'));
  await uploadEdits(run, pending.filter((c) => c.pending === 'updated'));
  log(`upload: ${report.uploaded} sent, ${report.deleted} deleted, ${report.conflicts} conflicts, ${report.failed} refused`);

  // 4. download: every entry, or the changes since the last sync.
  const listing = full ? await fullListing(client, log, progress) : await changesSince(client, state.syncToken!, progress);
  // The cards here by href and ETag only when the listing has something to compare them with.
  const known = full || listing.entries.size > 0 || listing.removed.length > 0 ? await local.knownEtags() : new Map<string, string>();
  report.fullResync = full && state.syncToken !== null;

  // 5. deletions: placeholders, and after a complete full listing what it lacks.
  const gone = new Set(listing.removed.filter((h) => known.has(h)));
  if (listing.complete) for (const href of known.keys()) if (!listing.entries.has(href)) gone.add(href);
  const { deletes, kept } = removals(gone, known.size, opts);

  // 6. apply in batches; the state goes with the last one. A full listing that stayed incomplete
  // leaves no token: the next run lists everything again.
  // Each batch's vCard views are made as it goes (not all 10,000 in one go on the main thread).
  const fetched = [...listing.entries.values()].filter((e) => known.get(hrefOf(e)) !== e.etag);
  const newState: SyncState = { syncToken: full && !listing.complete ? null : (listing.token ?? state.syncToken), ctag: String(now()) };
  for (let i = 0; i < Math.max(fetched.length, 1); i += 500) {
    const last = i + 500 >= fetched.length;
    report.unreadable += (await local.applyRemote({ upserts: fetched.slice(i, i + 500).map((e) => remoteOf(e)), deletes: last ? deletes : [], ...(last && kept.length > 0 ? { keep: kept } : {}), state: last ? newState : undefined, keepLocal: LOCAL_ONLY })).length;
    progress({ step: 'apply', done: Math.min(i + 500, fetched.length), total: fetched.length });
  }
  report.downloaded = fetched.length;
  report.removedLocally = deletes.length;
  // Restored, then deleted by another administrator before the download: not back after all.
  report.restored -= deletes.filter((href) => run.restored.has(href)).length;
  report.kept = kept.length;
  log(`download: ${fetched.length} changed, ${deletes.length} removed locally${kept.length > 0 ? `, ${kept.length} kept to go back to the server` : ''}`);
  if (kept.length === 0) return report;
  // "Keep them": those contacts are new cards here now; a second pass puts them on the server.
  return addReports(report, await syncSharedContacts(client, local, { ...opts, keepRemoved: false, allowMassDelete: false }));
}

interface Listing {
  /** Live entries by href (the last version seen of each). */
  entries: Map<string, AtomEntry>;
  /** Hrefs of deleted placeholders. */
  removed: string[];
  /** The feed's `<updated>` at the start: the next incremental sync asks for changes since then. */
  token: string | null;
  /** Every entry on the server is in `entries` (a full listing that was not cut short). */
  complete: boolean;
}

/** Every page from `url`, folded into `into`; returns the first page's `<updated>` and its total. */
async function readPages(client: GDataClient, url: string | null, into: Listing, progress: (p: SyncProgress) => void): Promise<string | null> {
  let first: string | null = null;
  while (url !== null) {
    const page = await client.page(url);
    first ??= page.updated ?? '';
    for (const e of page.entries) {
      const href = hrefOf(e);
      if (e.deleted) {
        into.entries.delete(href);
        into.removed.push(href);
      } else into.entries.set(href, e);
    }
    progress({ step: 'download', done: into.entries.size, total: page.totalResults ?? into.entries.size });
    url = page.next;
  }
  return first === '' ? null : first;
}

/** The changes since `token`, deleted placeholders included. */
async function changesSince(client: GDataClient, token: string, progress: (p: SyncProgress) => void): Promise<Listing> {
  const listing: Listing = { entries: new Map(), removed: [], token: null, complete: false };
  listing.token = await readPages(client, client.firstPage(token), listing, progress);
  return listing;
}

/**
 * Every entry. The pages are offsets into a list another administrator may change meanwhile: a
 * deletion moves later entries one place up, and one of them can fall between two pages. So the
 * listing is followed by the changes made while it ran (from its first page's `<updated>`); when
 * those include a deletion, the count of entries now is compared with what was gathered, and the
 * listing is done again if some are missing.
 */
async function fullListing(client: GDataClient, log: (line: string) => void, progress: (p: SyncProgress) => void): Promise<Listing> {
  for (let attempt = 1; ; attempt++) {
    const listing: Listing = { entries: new Map(), removed: [], token: null, complete: false };
    const start = await readPages(client, client.firstPage(null), listing, progress);
    listing.removed = []; // a full listing shows no placeholders; what it lacks is gone
    if (start === null) return { ...listing, complete: true };
    const during: Listing = { entries: listing.entries, removed: [], token: null, complete: false };
    listing.token = (await readPages(client, client.firstPage(start), during, progress)) ?? start;
    listing.removed = during.removed;
    if (during.removed.length === 0) return { ...listing, complete: true };
    const count = (await client.page(client.firstPage(null, 1))).totalResults;
    if (count !== null && count <= listing.entries.size) return { ...listing, complete: true };
    log(`download: entries were deleted while the listing ran and ${count === null ? 'the count is unknown' : `${count - listing.entries.size} may have been skipped`}`);
    if (attempt === LISTING_ATTEMPTS) return listing;
  }
}
