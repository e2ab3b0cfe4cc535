/**
 * One sync run of one address book, in named phases (the DAVx⁵ shape):
 * prepare → capabilities → upload deletes → upload creates and edits → download → delete what the
 * server no longer has → save state. Each phase logs one line. Nothing is dropped: a card the
 * server refuses stays local and marked; both sides' edits merge by property; a true conflict is
 * kept for the user; deletions only follow a complete listing, and a run that would delete a large
 * share of the book stops and asks.
 */
import type { Capabilities, CardDavClient, SyncChanges } from '../dav/client';
import { memberUrl } from '../dav/url-policy';
import { ensureUid, parseVCard, serializeVCard, uidFor } from '../../shared/vcard';
import type { LocalCard } from '../../shared/sync/types';
import { addReports, newReport, type BookCapabilities, type BookRun, type SyncOptions, type SyncReport } from './book-run';
import { deleteMissing, download, saveState } from './download';
import type { LocalCollection } from './local';
import { STANDARD } from './profiles';
import { uidFinder } from './lost-create';
import { uploadDeletes, uploadDirty } from './upload';

export { MassDeleteNeedsConfirmation, type SyncOptions, type SyncReport } from './book-run';
export { fingerprint } from './lost-create';

/** Capabilities are asked again after this long (a server upgrade may add sync-collection). */
const CAPABILITIES_MAX_AGE_MS = 24 * 3600_000;

/** One run of one book: its offline queue up, the server's changes down, the new state saved with them. */
export async function syncAddressBook(client: CardDavClient, bookUrl: string, local: LocalCollection, opts: SyncOptions = {}): Promise<SyncReport> {
  const run = await prepare(client, bookUrl, local, opts);
  const { caps, early } = await queryCapabilities(run);
  const findUid = uidFinder(run, caps.syncCollection);
  await uploadDeletes(run, findUid);
  await uploadDirty(run, caps, findUid);
  const listing = await download(run, caps, early);
  const removals = deleteMissing(run, listing);
  await saveState(run, caps, listing, removals);
  if (run.report.kept === 0) return run.report;
  // "Keep them": those contacts are new cards here now; a second pass puts them on the server.
  run.log(`kept: ${run.report.kept} contact(s) the server no longer has, put back`);
  return addReports(run.report, await syncAddressBook(client, bookUrl, local, { ...opts, keepRemoved: false, allowMassDelete: false }));
}

/** The book's state and its offline queue, as this run starts. */
async function prepare(client: CardDavClient, bookUrl: string, local: LocalCollection, opts: SyncOptions): Promise<BookRun> {
  const log = opts.log ?? (() => {});
  const progress = opts.onProgress ?? (() => {});
  const state = await local.state();
  log(`prepare: token ${state.syncToken === null ? 'none' : 'known'}`);
  progress({ step: 'prepare', done: 0, total: 0 });
  const pending = (await local.pending({ retryRefused: opts.retryRefused === true })).map(withUid);
  let uploadsDone = 0;
  return {
    client,
    bookUrl,
    local,
    profile: opts.profile ?? STANDARD,
    opts,
    state,
    pending,
    report: newReport(),
    log,
    progress,
    now: opts.now ?? Date.now,
    written: new Set(state.written ?? []),
    restored: new Set(),
    unreadable: new Set(),
    waitingUnreadable: new Map(),
    // Inside the book's collection or refused (RefusedUrl: that card is marked, the others go on).
    url: (href) => memberUrl(bookUrl, href),
    uploadedOne: () => progress({ step: 'upload', done: ++uploadsDone, total: pending.length }),
  };
}

/**
 * A card going up carries a UID: servers refuse one without (Radicale answers 400). One that has
 * none (made before every new card got one, or brought in without) gets one made from its local
 * id, the same on every run, so a create whose answer was lost is still found by it; the server's
 * version, with it, becomes the card here once the upload lands.
 */
function withUid(card: LocalCard): LocalCard {
  if (card.pending !== 'created' && card.pending !== 'updated') return card;
  try {
    const parsed = parseVCard(card.vcard);
    const fixed = ensureUid(parsed, uidFor(card.id));
    return fixed === parsed ? card : { ...card, vcard: serializeVCard(fixed) };
  } catch {
    return card; // unreadable: the server's refusal is what the user sees
  }
}

/**
 * Capabilities are asked once a day (a server upgrade may add sync-collection), so a sync with
 * nothing to do is one request. Without sync-collection the CTag is the gate, asked every run.
 * When they are asked and nothing waits to go up, the download's first REPORT goes out with them
 * (`early`: the server answers both at once instead of one after the other); on a server that
 * turns out not to offer sync-collection its refusal is dropped. Into an empty book, whose first
 * listing asks for the cards too, the listing waits for the capabilities' answer (one round trip):
 * a server that leaves the cards out, slowly, is asked for ETags and the cards come by multiget.
 */
async function queryCapabilities(run: BookRun): Promise<{ caps: BookCapabilities; early: Promise<SyncChanges> | null }> {
  const { client, bookUrl, state, profile, log } = run;
  const known = state.capabilities;
  // Once a server is seen to send no cards with a listing, it is not asked again (even after the
  // daily re-check of the rest).
  let addressData = known?.addressData !== false;
  let found: Capabilities;
  let checkedAt: number;
  let early: Promise<SyncChanges> | null = null;
  if (known !== undefined && run.now() - known.checkedAt < CAPABILITIES_MAX_AGE_MS) {
    found = { syncCollection: known.syncCollection, addMember: known.addMember };
    checkedAt = known.checkedAt;
    log('capabilities: remembered');
  } else {
    // Into an empty book the listing asks for the cards too, unless the capabilities' answer shows a
    // server that leaves them out slowly (`listingWithoutCards`): that listing waits for the answer.
    const speculate = run.pending.length === 0 && !profile.listingForFullSync && (known === undefined || known.syncCollection);
    const emptyBook = addressData && !(await run.local.hasServerCards());
    const asked = client.capabilities(bookUrl);
    if (speculate && !emptyBook) {
      early = client.syncCollection(bookUrl, state.syncToken ?? '', false);
      early.catch(() => {}); // awaited in the download, or not needed
    }
    found = await asked;
    checkedAt = run.now();
    if (!found.syncCollection) early = null;
    if (found.listingWithoutCards === true) addressData = false;
    log(`capabilities: sync-collection ${found.syncCollection}, add-member ${found.addMember !== null}${found.listingWithoutCards === true ? ', listing without cards' : ''}`);
  }
  const ctag = !found.syncCollection && profile.askCtag ? await client.ctag(bookUrl) : null;
  return { caps: { syncCollection: found.syncCollection, addMember: found.addMember, checkedAt, ctag, addressData }, early };
}
