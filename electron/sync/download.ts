/**
 * The download phases of a book's run: what changed on the server (sync-collection with 507
 * continuation, a full listing when the token is no good, or the CTag gate and an ETag listing),
 * the cards fetched by multiget, what the server no longer has (only after a complete listing, and
 * with a stop-and-ask for a mass deletion), and all of it applied with the new state.
 */
import type { FetchedCard, MultigetAnswer, SyncChanges } from '../dav/client';
import { decodeHref } from '../dav/multistatus';
import { DavError, NetworkError, NotFound, Unauthorized } from '../dav/errors';
import { removals, type BookCapabilities, type BookRun } from './book-run';
import type { RemoteCard, SyncState } from './local';
import { isInvalidToken, retryAfterServerError, tokenWentBack } from './sync-token';

/** Cards applied to the store per transaction. */
const APPLY_BATCH = 500;

/** What the download found. */
export interface Download {
  /** href → ETag of the cards here before the download (when the answer named removals only, and
   * at most one of them is here: of that one, `etagsOf`). */
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
  /** Listed cards the server would not send (nor say were gone): left as they are, asked again next run. */
  readonly unanswered: readonly string[];
  /** Cards already applied while the listing was read (a first sync into an empty book), in `known` too. */
  readonly streamed: number;
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

/**
 * A first sync's cards applied as the listing is read (`applyStreamed`): href → ETag of each card
 * applied so (one the store could not read is not here). They are cards here from then on: the
 * run's removals take them as known (one the complete listing no longer names, after a restart of
 * it, or one a later page reports removed, goes), and the sync token is saved only with the run's
 * last batch, after the whole listing.
 */
interface Streamed {
  readonly applied: Map<string, string>;
}

/** What the cards here are by href and ETag, read once and only when asked for. */
type KnownEtags = () => Promise<ReadonlyMap<string, string>>;

const NONE: ReadonlyMap<string, string> = new Map();

/**
 * `early`: the first sync-collection, already sent with the capabilities.
 *
 * The cards here by href and ETag (`knownEtags`, every synced card's pair) are read only when the
 * server's answer has something to compare them with: a first or full listing, or changes since
 * the token (a card changed or removed, or one written by this run). An answer from the token with
 * nothing in it, or an unchanged CTag, needs none of them: such a run asks the store only whether
 * the book is empty (whether the listing asks for the cards too), a key read. One that names only
 * removals asks for the ETags of those hrefs alone (`etagsOf`).
 */
export async function download(run: BookRun, caps: BookCapabilities, early: Promise<SyncChanges> | null): Promise<Download> {
  let read: Promise<ReadonlyMap<string, string>> | null = null;
  const knownEtags: KnownEtags = () => (read ??= run.local.knownEtags());
  // Whether the book is empty: into an empty book the listing asks for the cards too, or, from a
  // server known to list no cards (DAViCal), every card is asked for by one query beside the
  // listing rather than after it (a card whose ETag differs between the two is fetched by
  // multiget, `queryAll`). A first listing compares every card here anyway: read them now; from a
  // token, only whether there is one.
  const besideAllowed = !caps.addressData && run.opts.multigetBatch === undefined;
  const needed = (caps.syncCollection && caps.addressData) || besideAllowed;
  const empty = !needed ? false : run.state.syncToken === null ? (await knownEtags()).size === 0 : !(await run.local.hasServerCards());
  // Into an empty book the listing's cards are applied a part of the answer at a time, as they are
  // read, rather than held until the whole download is in (50,000 cards: 45 MB of answer, and the
  // host's memory for the cards themselves twice over). The ETags here are read first (none), so the
  // run's comparisons all see the book as it was before the cards came.
  const withData = empty && caps.addressData;
  const streamed: Streamed | null = withData && (await knownEtags()).size === 0 ? { applied: new Map() } : null;
  const listing = listChanges(run, caps, early, withData, knownEtags, streamed);
  const beside = empty && besideAllowed ? settled(run.client.allCards(run.bookUrl)) : null;
  const changes = await listing;
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
  const compared = changes.changed.length > 0 || changes.removed.length > 0 || changes.complete !== null;
  // An answer from the token that names removals only (Google names a deletion of a card this
  // computer never had): the removals are all it compares, so only their ETags are read. Two or
  // more of them here, and the mass-deletion question weighs them against the whole book: read as
  // before (with one or none, it never asks).
  const removalsOnly = compared && read === null && changes.changed.length === 0 && changes.complete === null && (streamed === null || streamed.applied.size === 0);
  const removedHere = removalsOnly ? await run.local.etagsOf([...new Set(changes.removed)]) : null;
  const before = !compared ? NONE : removedHere !== null && removedHere.size < 2 ? removedHere : await knownEtags();
  // What the removals compare with: the cards here before, and those this download applied.
  const known = streamed === null || streamed.applied.size === 0 ? before : new Map([...before, ...streamed.applied]);
  // The listing came without cards: asked for none (DAViCal, told by its capabilities' answer) or none sent.
  // An ETag listing by PROPFIND (no sync-collection: SabreDAV 1.8) never brings cards either.
  const withoutCards = changes.dataRefused || !caps.addressData || !caps.syncCollection;
  // Into a book with no server card here (a first sync), the cards fetched are applied as each
  // answer is read (a multiget's, the query's), while the later multigets are still out, as the
  // listing's are; not counted as known (the removals compare with what the listing brought).
  const fetchedInParts: Streamed | null = before.size === 0 ? { applied: new Map() } : null;
  const { fetched, missing, unanswered } = await fetchCards(run, before, changes.changed, withoutCards, beside, fetchedInParts);
  // Gone between the listing and the multiget (another client deleted it): gone.
  const removed = [...changes.removed, ...missing];
  if (changes.complete !== null) for (const href of missing) changes.complete.delete(href);
  // Not answered for: left as they are here (never taken for removed), and asked again next run.
  run.report.unanswered = unanswered.length;
  return { known, fetched, removed, complete: changes.complete, token: changes.token, addressData: caps.addressData && !changes.dataRefused, unanswered, streamed: (streamed?.applied.size ?? 0) + (fetchedInParts?.applied.size ?? 0) };
}

/** `withData`: into an empty book, the cards come with the listing (one request instead of 1 + N/100). */
async function listChanges(run: BookRun, caps: BookCapabilities, early: Promise<SyncChanges> | null, withData: boolean, knownEtags: KnownEtags, streamed: Streamed | null): Promise<Changes> {
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
      // A first sync's page read in parts (`streamed`): the cards that came with it applied as each
      // part is read, the rest (listed without their card) kept for the multigets; every href and
      // ETag listed, for the checks below and the complete listing.
      const listed: { href: string; etag: string }[] = [];
      const rest: Changes['changed'] = [];
      let withCards = 0;
      const inParts =
        streamed === null || sent !== null
          ? undefined
          : {
              perPart: run.opts.streamBatch ?? APPLY_BATCH,
              onChanged: async (changed: SyncChanges['changed']) => {
                const cards: RemoteCard[] = [];
                for (const c of changed) {
                  listed.push({ href: c.href, etag: c.etag });
                  if (c.vcard === undefined) rest.push(c);
                  else cards.push({ href: c.href, etag: c.etag, vcard: c.vcard, ...(c.derived !== undefined ? { derived: c.derived } : {}) });
                }
                withCards += cards.length;
                await applyStreamed(run, streamed, cards);
              },
            };
      // Whether the page's cards were applied as its parts were read. A second try after a 5xx
      // (`retryAfterServerError`) reads the answer whole: its cards are in the page, to apply below.
      let readInParts = inParts !== undefined;
      try {
        page = sent !== null ? await sent : await client.syncCollection(bookUrl, from, withData, inParts);
      } catch (e) {
        if (from === '') throw e;
        readInParts = false;
        page = isInvalidToken(e) ? 'invalid' : await retryAfterServerError(client, bookUrl, from, withData, profile, e);
      }
      if (page === 'invalid') {
        run.log('download: sync token no longer valid, full resync');
        run.report.fullResync = true;
        from = '';
        found.changed = [];
        found.removed = [];
        found.complete = null;
        found.outside.clear();
        continue;
      }
      if (readInParts) {
        page.changed = rest;
        if (listed.length > 0 && withCards === 0) found.dataRefused = true;
      } else if (withData && page.changed.length > 0 && page.changed.every((c) => c.vcard === undefined)) found.dataRefused = true;
      const pageListed = readInParts ? listed : page.changed;
      const known = pageListed.length > 0 && from !== '' ? await knownEtags() : NONE;
      const unchangedListed = pageListed.some((c) => known.get(c.href) === c.etag && !run.written.has(c.href));
      if (from !== '' && !run.report.fullResync && (unchangedListed || tokenWentBack(from, page.token))) {
        // Not an answer from our token but a listing of everything, without what is gone (DAViCal
        // answers a token it does not know so): cards unchanged since the token listed as
        // changes, or a token from before ours. Only a full listing finds the deletions.
        run.log('download: the server did not answer from our token, full resync');
        run.report.fullResync = true;
        from = '';
        found.changed = [];
        found.removed = [];
        found.complete = null;
        found.outside.clear();
        continue;
      }
      found.changed.push(...page.changed);
      found.removed.push(...page.removed);
      for (const href of page.outside) found.outside.add(href);
      found.token = page.token;
      if (from === '') found.complete = new Set(pageListed.map((c) => c.href));
      else if (found.complete !== null) {
        // A later page of a listing from the start (after a 507): the rest of the book, and what
        // went since the page before.
        for (const c of pageListed) found.complete.add(c.href);
        for (const href of page.removed) found.complete.delete(href);
      }
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
 * Cards of a first sync's listing, applied as they are read: upserted by href (the same href twice
 * in one part: the later one; in two parts: the store's upsert by href makes it one contact), and
 * by the same rules as any download's (a row the user changed meanwhile keeps the user's write).
 * No removals and no state go with them: those wait for the run's last batch, after the listing.
 */
async function applyStreamed(run: BookRun, streamed: Streamed, cards: readonly RemoteCard[], total?: number): Promise<void> {
  if (cards.length === 0) return;
  const once = [...new Map(cards.map((c) => [c.href, c])).values()];
  const keepLocal = run.profile.localOnly;
  const unreadable = new Set(await run.local.applyRemote({ upserts: once, deletes: [], ...(keepLocal.length > 0 ? { keepLocal } : {}) }));
  if (unreadable.size > 0) run.log(`download: ${unreadable.size} card(s) cannot be read, left out: ${[...unreadable].slice(0, 5).join(' ')}`);
  for (const c of once) {
    if (unreadable.has(c.href)) run.unreadable.add(c.href);
    else streamed.applied.set(c.href, c.etag);
  }
  run.report.unreadable = run.unreadable.size;
  run.progress({ step: 'apply', done: streamed.applied.size, total: Math.max(total ?? 0, streamed.applied.size) });
}

/** Parts a multiget's answer may leave queued at the store (the one being applied and two behind it). */
const PARTS_AHEAD = 3;

/**
 * Cards handed to the store a part at a time (`streamBatch`, as the listing's parts) by
 * `applyStreamed`, in the order they were handed over, one part applied at a time. `give` queues
 * them and returns once at most `partsAhead` parts are queued, the one being applied counted (so
 * answers read ahead of the store are held only that far; 0: once they are all applied). A part the store fails stops the queue: no later part is applied, and the
 * failure is thrown by the next `give` and by `done`. `stop` takes no more parts (those queued are
 * not applied); `done` waits for the part being applied.
 */
function storeInParts(run: BookRun, streamed: Streamed, total: number) {
  const perPart = run.opts.streamBatch ?? APPLY_BATCH;
  const ahead = run.opts.partsAhead ?? PARTS_AHEAD;
  let tail: Promise<void> = Promise.resolve();
  const waiting: Promise<void>[] = [];
  let failure: { error: unknown } | null = null;
  let stopped = false;
  const check = () => {
    if (failure !== null) throw failure.error;
  };
  return {
    async give(cards: readonly RemoteCard[]): Promise<void> {
      check();
      if (stopped) return;
      for (let i = 0; i < cards.length; i += perPart) {
        const part = cards.slice(i, i + perPart);
        const applied: Promise<void> = tail.then(async () => {
          try {
            if (failure === null && !stopped) await applyStreamed(run, streamed, part, total);
          } catch (error) {
            failure ??= { error };
          } finally {
            waiting.splice(waiting.indexOf(applied), 1);
          }
        });
        tail = applied;
        waiting.push(applied);
      }
      while (waiting.length > ahead && failure === null) await waiting[0];
      check();
    },
    stop(): void {
      stopped = true;
    },
    async done(): Promise<void> {
      await tail;
      check();
    },
  };
}

/**
 * Reuse what is already here: only cards whose ETag differs are fetched (unless they came along).
 * `missing`: listed, but gone by the time of the multiget; `unanswered`: the server sent neither
 * the card nor a 404 for it, even when asked again. With `inParts` (a first sync) every card is
 * applied here as its answer is read, a part at a time (`storeInParts`), while the later multigets
 * are still out, and `fetched` comes back empty: a multiget or a part that fails stops the rest
 * (no later part applied, the one being applied awaited) and is thrown, so the parts applied stay
 * and the run saves no state.
 */
async function fetchCards(
  run: BookRun,
  known: ReadonlyMap<string, string>,
  changed: Changes['changed'],
  withoutCards: boolean,
  beside: Promise<Settled<FetchedCard[]>> | null,
  inParts: Streamed | null,
): Promise<{ fetched: RemoteCard[]; missing: string[]; unanswered: string[] }> {
  const fetched: RemoteCard[] = [];
  const missing: string[] = [];
  let toFetch: string[] = [];
  for (const c of changed) {
    // Reused only when its ETag is known on both sides: a card kept here without one (what we
    // wrote, when reading it back failed) is asked for.
    if (c.etag !== '' && known.get(c.href) === c.etag) continue;
    if (c.vcard !== undefined) fetched.push({ href: c.href, etag: c.etag, vcard: c.vcard });
    else toFetch.push(c.href);
  }
  const parts = inParts === null ? null : storeInParts(run, inParts, fetched.length + toFetch.length);
  let received = 0;
  /** Cards read: to the store now (`inParts`), or kept for `saveState`. */
  const take = async (cards: readonly RemoteCard[]) => {
    received += cards.length;
    if (parts === null) fetched.push(...cards);
    else await parts.give(cards);
  };
  try {
    const cameAlong = fetched.splice(0);
    await take(cameAlong);
    if (withoutCards && known.size === 0 && toFetch.length > 0 && run.opts.multigetBatch === undefined) {
      const listed = beside === null ? null : new Map(changed.map((c) => [decodeHref(c.href), c.etag]));
      const byQuery: RemoteCard[] = [];
      toFetch = await queryAll(run, toFetch, byQuery, beside ?? settled(run.client.allCards(run.bookUrl)), listed);
      await take(byQuery);
    }
    // A first sync from a server that sends no cards with the listing fetches them all: larger
    // batches there (a multiget's own cost, not its cards', is most of it: 10,000 cards from DAViCal
    // took 5.8 s in batches of 100 and 2.7 s in batches of 500, three in flight).
    const batch = run.opts.multigetBatch ?? (toFetch.length >= 2_000 ? 500 : 100);
    const batches: string[][] = [];
    for (let i = 0; i < toFetch.length; i += batch) batches.push(toFetch.slice(i, i + batch));
    // Bounded parallelism: a few multigets in flight hide the round trips without flooding the server.
    let nextBatch = 0;
    let failed = false;
    // What this download receives: the cards that came along and those to fetch (the rest are reused).
    const total = received + toFetch.length;
    let done = received;
    const unanswered: string[] = [];
    const worker = async () => {
      while (nextBatch < batches.length && !failed) {
        const batch = batches[nextBatch++]!;
        const got = await run.client.multiget(run.bookUrl, batch);
        if (failed) return; // another multiget or part failed: this answer is not used
        missing.push(...got.missing);
        unanswered.push(...got.unanswered);
        done += batch.length;
        run.progress({ step: 'download', done, total });
        await take(got.cards);
      }
    };
    await Promise.all(Array.from({ length: Math.min(run.opts.parallel ?? 3, batches.length) }, () => worker().catch((e: unknown) => {
      failed = true;
      throw e;
    })));
    const again = await askAgain(run, unanswered);
    await take(again.cards);
    missing.push(...again.missing);
    await parts?.done();
    return { fetched, missing, unanswered: again.unanswered };
  } catch (e) {
    // The part being applied ends first (its failure, if any, beside this one's); no later one is.
    parts?.stop();
    await parts?.done().catch(() => undefined);
    throw e;
  }
}

/**
 * Into an empty book from a server whose listing brought no cards (Xandikos sends none when asked;
 * DAViCal is asked for ETags only, as it answers each card's data 404, slowly): every card by one
 * addressbook-query (`allCards`), where multigets cost Xandikos about a walk of the book per href
 * and DAViCal several times the query (10,000 cards: 0.8 s by the query, 2.7–5.8 s by multigets). The listed cards it brings go into `fetched`; returned: those
 * still to fetch by multiget (all of them if the server refuses the query). A card the query
 * brings that the listing did not name is left for the next sync, whose changes since the
 * listing's token name it.
 */
async function queryAll(run: BookRun, toFetch: readonly string[], fetched: RemoteCard[], query: Promise<Settled<FetchedCard[]>>, listed: ReadonlyMap<string, string> | null): Promise<string[]> {
  const answer = await query;
  if ('error' in answer) {
    const e = answer.error;
    if (!(e instanceof DavError) || e instanceof NetworkError || e instanceof Unauthorized) throw e;
    run.log(`download: the server refused a query of every card (${e.status}); by multiget`);
    return [...toFetch];
  }
  const byHref = new Map(answer.value.map((c) => [decodeHref(c.href), c]));
  const rest: string[] = [];
  for (const href of toFetch) {
    const c = byHref.get(decodeHref(href));
    // Asked beside the listing: taken only as the listing's version. An older one would stay here
    // for good (the listing's token is past its change); a newer one is listed by the next sync anyway.
    if (c === undefined || (listed !== null && (c.etag === '' || listed.get(decodeHref(href)) !== c.etag))) rest.push(href);
    else fetched.push({ href, etag: c.etag, vcard: c.vcard });
  }
  run.log(`download: ${toFetch.length - rest.length} card(s) by one query${rest.length > 0 ? `, ${rest.length} by multiget` : ''}`);
  run.progress({ step: 'download', done: fetched.length, total: fetched.length + rest.length });
  return rest;
}

/**
 * Cards a multiget did not answer for at all (no response element: not a 404, so not known to be
 * gone; DAViCal leaves out a card that is gone so, and a server may cut its answer short): asked
 * once more by multiget, then each by GET (a 404 there is gone). One still unanswered, or refused
 * otherwise, is left as it is here; the caller reports it and asks again next run.
 */
export async function askAgain(run: BookRun, hrefs: readonly string[]): Promise<MultigetAnswer> {
  if (hrefs.length === 0) return { cards: [], missing: [], unanswered: [] };
  run.log(`download: the server did not answer for ${hrefs.length} card(s), asked again`);
  const second = await run.client.multiget(run.bookUrl, hrefs);
  const out: MultigetAnswer = { cards: [...second.cards], missing: [...second.missing], unanswered: [] };
  for (const href of second.unanswered) {
    try {
      const got = await run.client.get(run.url(href));
      out.cards.push({ href, etag: got.etag, vcard: got.vcard });
    } catch (e) {
      if (e instanceof NotFound) out.missing.push(href);
      else if (e instanceof DavError && !(e instanceof NetworkError) && !(e instanceof Unauthorized)) out.unanswered.push(href);
      else throw e;
    }
  }
  if (out.unanswered.length > 0) run.log(`download: ${out.unanswered.length} card(s) still unanswered, left as they are: ${out.unanswered.slice(0, 5).join(' ')}`);
  return out;
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
  // A card the server listed twice is one card (the later answer); two in one batch were two contacts.
  const fetched = [...new Map(d.fetched.map((c) => [c.href, c])).values()];
  const newState: SyncState = {
    syncToken: d.token,
    // Cards left unanswered are asked for again: by the next incremental download (`written`), or,
    // with the CTag as the gate, by the next listing (no CTag kept, so it lists).
    ctag: d.unanswered.length > 0 ? null : caps.ctag,
    capabilities: { syncCollection: caps.syncCollection, addMember: caps.addMember, checkedAt: caps.checkedAt, ...(d.addressData ? {} : { addressData: false }) },
    ...(d.unanswered.length > 0 ? { written: [...d.unanswered] } : {}),
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
  run.report.downloaded = d.streamed + fetched.length - unreadableHere;
  run.report.removedLocally = deletes.length;
  run.report.kept = kept.length;
  // Restored, then deleted by another client before the download: not back after all.
  run.report.restored -= deletes.filter((href) => run.restored.has(href)).length;
  run.log(`download: ${d.streamed > 0 ? `${d.streamed} applied as read, ` : ''}${fetched.length} fetched, ${deletes.length} removed locally${kept.length > 0 ? `, ${kept.length} kept to go back to the server` : ''}`);
}

type Settled<T> = { value: T } | { error: unknown };

/** A request's outcome as a value: one sent ahead and maybe never awaited is no unhandled rejection. */
function settled<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}
