/**
 * The download phases of a book's run: what changed on the server (sync-collection with 507
 * continuation, a full listing when the token is no good, or the CTag gate and an ETag listing),
 * the cards fetched by multiget, what the server no longer has (only after a complete listing, and
 * with a stop-and-ask for a mass deletion), and all of it applied with the new state.
 */
import type { SyncChanges } from '../dav/client';
import { removals, type BookCapabilities, type BookRun } from './book-run';
import type { RemoteCard, SyncState } from './local';
import { isInvalidToken, retryAfterServerError, tokenWentBack } from './sync-token';

/** Cards applied to the store per transaction. */
const APPLY_BATCH = 500;

/** What the download found. */
export interface Download {
  /** href → ETag of the cards here before the download. */
  readonly known: ReadonlyMap<string, string>;
  /** Changed cards, fetched (or sent along with the listing). */
  readonly fetched: readonly RemoteCard[];
  /** What the server reported removed. */
  readonly removed: readonly string[];
  /** Every href on the server, when the listing was complete. */
  readonly complete: ReadonlySet<string> | null;
  readonly token: string | null;
  /** Whether later listings may ask for the cards too (see Changes.dataRefused). */
  readonly addressData: boolean;
}

interface Changes {
  changed: { href: string; etag: string; vcard?: string }[];
  removed: string[];
  complete: Set<string> | null;
  token: string | null;
  /** Cards were asked for with the listing and none came (Xandikos leaves them out, DAViCal
   * answers each 404, slowly): from now on the listing asks for ETags only. */
  dataRefused: boolean;
  /** Hrefs the server listed outside the book: refused (never fetched), and counted in the report. */
  outside: Set<string>;
}

/** `early`: the first sync-collection, already sent with the capabilities. */
export async function download(run: BookRun, caps: BookCapabilities, early: Promise<SyncChanges> | null): Promise<Download> {
  const known = await run.local.knownEtags();
  const changes = await listChanges(run, caps, early, known.size === 0 && caps.addressData, known);
  if (changes.outside.size > 0) {
    // The server named cards outside this book: refused (the URL policy), and the user is told.
    run.report.outside += changes.outside.size;
    run.log(`download: ${changes.outside.size} card(s) listed outside the book, refused`);
  }
  if (changes.dataRefused) run.log('download: the server sends no cards with the listing; ETags only from now on');
  if (changes.complete === null) {
    // Every card written in this run changed after the token, so the changes list it. One that is
    // not listed was written and deleted again since (RFC 6578 lets a server leave such a card
    // out, as Xandikos does): asked for, so that a card gone is gone here too.
    const listed = new Set([...changes.changed.map((c) => c.href), ...changes.removed]);
    const unlisted = [...run.written].filter((href) => !listed.has(href));
    if (unlisted.length > 0) run.log(`download: ${unlisted.length} written but not listed, asked for`);
    changes.changed.push(...unlisted.map((href) => ({ href, etag: '' })));
  }
  const { fetched, missing } = await fetchCards(run, known, changes.changed);
  // Gone between the listing and the multiget (another client deleted it): gone.
  const removed = [...changes.removed, ...missing];
  if (changes.complete !== null) for (const href of missing) changes.complete.delete(href);
  return { known, fetched, removed, complete: changes.complete, token: changes.token, addressData: caps.addressData && !changes.dataRefused };
}

/** `withData`: into an empty book, the cards come with the listing (one request instead of 1 + N/100). */
async function listChanges(run: BookRun, caps: BookCapabilities, early: Promise<SyncChanges> | null, withData: boolean, known: ReadonlyMap<string, string>): Promise<Changes> {
  const { client, bookUrl, state, profile } = run;
  const found: Changes = { changed: [], removed: [], complete: null, token: state.syncToken, dataRefused: false, outside: new Set() };
  if (caps.syncCollection) {
    let from = state.syncToken ?? '';
    let first = early;
    for (;;) {
      if (from === '' && profile.listingForFullSync) {
        // A full listing by PROPFIND with the token in the same answer; the cards come by multiget.
        const listing = await client.listing(bookUrl);
        found.changed = listing.members;
        found.complete = new Set(listing.members.map((m) => m.href));
        found.token = listing.token;
        found.outside = new Set(listing.outside);
        break;
      }
      let page: SyncChanges | 'invalid';
      const sent = first; // only for the first page
      first = null;
      try {
        page = sent !== null ? await sent : await client.syncCollection(bookUrl, from, withData);
      } catch (e) {
        if (from === '') throw e;
        page = isInvalidToken(e) ? 'invalid' : await retryAfterServerError(client, bookUrl, from, withData, profile, e);
      }
      if (page === 'invalid') {
        run.log('download: sync token no longer valid, full resync');
        run.report.fullResync = true;
        from = '';
        found.changed = [];
        found.removed = [];
        found.outside.clear();
        continue;
      }
      if (withData && page.changed.length > 0 && page.changed.every((c) => c.vcard === undefined)) found.dataRefused = true;
      const unchangedListed = page.changed.some((c) => known.get(c.href) === c.etag && !run.written.has(c.href));
      if (from !== '' && !run.report.fullResync && (unchangedListed || tokenWentBack(from, page.token))) {
        // Not an answer from our token but a listing of everything, without what is gone (DAViCal
        // answers a token it does not know so): cards unchanged since the token listed as
        // changes, or a token from before ours. Only a full listing finds the deletions.
        run.log('download: the server did not answer from our token, full resync');
        run.report.fullResync = true;
        from = '';
        found.changed = [];
        found.removed = [];
        found.outside.clear();
        continue;
      }
      found.changed.push(...page.changed);
      found.removed.push(...page.removed);
      for (const href of page.outside) found.outside.add(href);
      found.token = page.token;
      if (from === '') found.complete = new Set([...(found.complete ?? []), ...page.changed.map((c) => c.href)]);
      // 507 (RFC 6578 §3.6): the answer was cut short; its token continues from there.
      if (!page.truncated) break;
      from = page.token ?? '';
    }
  } else if (caps.ctag === null || caps.ctag !== state.ctag) {
    const listing = await client.etagListing(bookUrl);
    found.changed = listing.members;
    found.complete = new Set(listing.members.map((l) => l.href));
    found.outside = new Set(listing.outside);
  }
  return found;
}

/**
 * Reuse what is already here: only cards whose ETag differs are fetched (unless they came along).
 * `missing`: listed, but gone by the time of the multiget.
 */
async function fetchCards(run: BookRun, known: ReadonlyMap<string, string>, changed: Changes['changed']): Promise<{ fetched: RemoteCard[]; missing: string[] }> {
  const fetched: RemoteCard[] = [];
  const missing: string[] = [];
  const toFetch: string[] = [];
  for (const c of changed) {
    // Reused only when its ETag is known on both sides: a card kept here without one (what we
    // wrote, when reading it back failed) is asked for.
    if (c.etag !== '' && known.get(c.href) === c.etag) continue;
    if (c.vcard !== undefined) fetched.push({ href: c.href, etag: c.etag, vcard: c.vcard });
    else toFetch.push(c.href);
  }
  // A first sync from a server that sends no cards with the listing fetches them all: larger
  // batches there (a multiget's own cost, not its cards', is most of it: 10,000 cards from DAViCal
  // took 5.8 s in batches of 100 and 2.7 s in batches of 500, three in flight).
  const batch = run.opts.multigetBatch ?? (toFetch.length >= 2_000 ? 500 : 100);
  const batches: string[][] = [];
  for (let i = 0; i < toFetch.length; i += batch) batches.push(toFetch.slice(i, i + batch));
  // Bounded parallelism: a few multigets in flight hide the round trips without flooding the server.
  let nextBatch = 0;
  // What this download receives: the cards that came along and those to fetch (the rest are reused).
  const total = fetched.length + toFetch.length;
  let done = fetched.length;
  const worker = async () => {
    while (nextBatch < batches.length) {
      const batch = batches[nextBatch++]!;
      const got = await run.client.multiget(run.bookUrl, batch);
      fetched.push(...got.cards);
      missing.push(...got.missing);
      done += batch.length;
      run.progress({ step: 'download', done, total });
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.opts.parallel ?? 3, batches.length) }, worker));
  return { fetched, missing };
}

/** What the run removes here, and what it keeps of what the server lacks (to be put back there). */
export interface Removals {
  readonly deletes: readonly string[];
  readonly kept: readonly string[];
}

/**
 * What the server reported removed, and, after a complete listing, what it lacks. A run that would
 * delete more than the allowed share of the book stops and asks; answered "Keep them", it keeps
 * those contacts here instead, and they go back to the server as new cards.
 */
export function deleteMissing(run: BookRun, d: Download): Removals {
  const gone = new Set(d.removed.filter((h) => d.known.has(h)));
  if (d.complete !== null) for (const href of d.known.keys()) if (!d.complete.has(href)) gone.add(href);
  return removals(gone, d.known.size, run.opts);
}

/** Apply in batches; the new state goes with the last one (one transaction), so a crash never skips a change. */
export async function saveState(run: BookRun, caps: BookCapabilities, d: Download, { deletes, kept }: Removals): Promise<void> {
  const { fetched } = d;
  const newState: SyncState = {
    syncToken: d.token,
    ctag: caps.ctag,
    capabilities: { syncCollection: caps.syncCollection, addMember: caps.addMember, checkedAt: caps.checkedAt, ...(d.addressData ? {} : { addressData: false }) },
  };
  const keepLocal = run.profile.localOnly;
  let unreadableHere = 0;
  for (let i = 0; i < Math.max(fetched.length, 1); i += APPLY_BATCH) {
    const last = i + APPLY_BATCH >= fetched.length;
    const unreadable = await run.local.applyRemote({
      upserts: fetched.slice(i, i + APPLY_BATCH),
      deletes: last ? deletes : [],
      ...(last && kept.length > 0 ? { keep: kept } : {}),
      state: last ? newState : undefined,
      ...(keepLocal.length > 0 ? { keepLocal } : {}),
    });
    if (unreadable.length > 0) run.log(`download: ${unreadable.length} card(s) cannot be read, left out: ${unreadable.slice(0, 5).join(' ')}`);
    unreadableHere += unreadable.length;
    for (const href of unreadable) run.unreadable.add(href);
    run.report.unreadable = run.unreadable.size;
    run.progress({ step: 'apply', done: Math.min(i + APPLY_BATCH, fetched.length), total: fetched.length });
  }
  run.report.downloaded = fetched.length - unreadableHere;
  run.report.removedLocally = deletes.length;
  run.report.kept = kept.length;
  // Restored, then deleted by another client before the download: not back after all.
  run.report.restored -= deletes.filter((href) => run.restored.has(href)).length;
  run.log(`download: ${fetched.length} fetched, ${deletes.length} removed locally${kept.length > 0 ? `, ${kept.length} kept to go back to the server` : ''}`);
}
