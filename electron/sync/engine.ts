/**
 * One sync run of one address book, in named phases (the DAVx⁵ shape):
 * prepare → capabilities → upload deletes → upload creates and edits → download → delete what the
 * server no longer has → save state. Each phase logs one line. Nothing is dropped: a card the
 * server refuses stays local and marked; both sides' edits merge by property; a true conflict is
 * kept for the user; deletions only follow a complete listing, and a run that would delete a large
 * share of the book stops and asks.
 */
import { keepLocalOnly, merge, parseVCard, serializeVCard } from '../../shared/vcard';
import { encodePath, type CardDavClient, type SyncChanges } from '../dav/client';
import { decodeHref } from '../dav/multistatus';
import { DavError, Forbidden, NetworkError, NotFound, PreconditionFailed, ServerError } from '../dav/errors';
import type { LocalCard, LocalCollection, RemoteCard, SyncProgress, SyncState } from './local';
import { STANDARD, type ServerProfile } from './profiles';

/** Capabilities are asked again after this long (a server upgrade may add sync-collection). */
const CAPABILITIES_MAX_AGE_MS = 24 * 3600_000;

export interface SyncOptions {
  /** Cards per multiget (Xandikos is quadratic in it; Radicale does not care). */
  multigetBatch?: number;
  /** Stop and ask when a run would delete more than this share of the book. */
  massDeleteShare?: number;
  /** The user confirmed a mass deletion for this run. */
  allowMassDelete?: boolean;
  /** Multigets in flight at once. */
  parallel?: number;
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
  fullResync: boolean;
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

/** Every known answer meaning "this sync token is no good": start over with a full listing. */
export function isInvalidToken(e: unknown): boolean {
  if (e instanceof Forbidden) return e.precondition === 'valid-sync-token' || e.precondition === undefined;
  // Xandikos answers 500; Google has been seen answering 400, 409, 410 and 412.
  return e instanceof ServerError || (e instanceof DavError && [400, 409, 410, 412].includes(e.status));
}

export async function syncAddressBook(client: CardDavClient, bookUrl: string, local: LocalCollection, opts: SyncOptions = {}): Promise<SyncReport> {
  const log = opts.log ?? (() => {});
  const report: SyncReport = { uploaded: 0, deleted: 0, downloaded: 0, removedLocally: 0, conflicts: 0, failed: 0, restored: 0, fullResync: false };
  const path = (href: string) => new URL(encodePath(href), bookUrl).href;
  const profile = opts.profile ?? STANDARD;

  // 1. prepare
  const state = await local.state();
  log(`prepare: token ${state.syncToken === null ? 'none' : 'known'}`);

  const progress = opts.onProgress ?? (() => {});
  const now = opts.now ?? Date.now;
  progress({ step: 'prepare', done: 0, total: 0 });

  // 2. capabilities: asked once a day (a server upgrade may add sync-collection), so a sync with
  // nothing to do is one request. Without sync-collection the CTag is the gate, asked every run.
  const known0 = state.capabilities;
  const pending = await local.pending();
  let caps: { syncCollection: boolean; addMember: string | null };
  let checkedAt: number;
  // When the capabilities are asked and nothing waits to go up, the download's first REPORT goes
  // out with them (a first sync: the server answers both at once instead of one after the other).
  // On a server that turns out not to offer sync-collection its refusal is dropped.
  let early: Promise<SyncChanges> | null = null;
  if (known0 !== undefined && now() - known0.checkedAt < CAPABILITIES_MAX_AGE_MS) {
    caps = { syncCollection: known0.syncCollection, addMember: known0.addMember };
    checkedAt = known0.checkedAt;
    log('capabilities: remembered');
  } else {
    const speculate = pending.length === 0 && !profile.listingForFullSync && (known0 === undefined || known0.syncCollection);
    const emptyBook = speculate && (await local.knownEtags()).size === 0;
    const asked = client.capabilities(bookUrl);
    if (speculate) {
      early = client.syncCollection(bookUrl, state.syncToken ?? '', emptyBook);
      early.catch(() => {}); // awaited in the download, or not needed
    }
    caps = await asked;
    checkedAt = now();
    if (!caps.syncCollection) early = null;
    log(`capabilities: sync-collection ${caps.syncCollection}, add-member ${caps.addMember !== null}`);
  }
  const ctag = !caps.syncCollection && profile.askCtag ? await client.ctag(bookUrl) : null;

  const uploads = pending.length;
  let uploadsDone = 0;
  const tick = () => progress({ step: 'upload', done: ++uploadsDone, total: uploads });

  // 3. upload deletes
  for (const card of pending.filter((c) => c.pending === 'deleted')) {
    try {
      if (card.href !== '') await client.delete(path(card.href), card.etag || null);
      await local.deleted(card.id);
      report.deleted++;
    } catch (e) {
      if (e instanceof PreconditionFailed) {
        // Edited on the server after we last saw it: the edit wins and the contact comes back.
        const remote = await client.get(path(card.href));
        await local.applyRemote({ upserts: [{ ...remote, href: card.href }], deletes: [] });
        report.restored++;
        log(`upload deletes: ${card.href} changed on the server, restored`);
      } else if (!(await markIfPerCard(e, card, local, report))) throw e;
    }
    tick();
  }
  log(`upload deletes: ${report.deleted}`);

  // 4. upload creates and edits. Creates are marked as attempted first (one store write), so a
  // create whose answer is lost is looked for on the next run instead of being sent twice.
  const creates = pending.filter((c) => c.pending === 'created');
  const findUid = uidFinder(client, bookUrl, state, caps.syncCollection, local, profile);
  if (creates.some((c) => c.attempted !== true)) await local.attempting(creates.filter((c) => c.attempted !== true).map((c) => c.id));
  for (const card of pending.filter((c) => c.pending === 'created' || c.pending === 'updated')) {
    try {
      const addMember = caps.addMember ?? (profile.postToCollection ? bookUrl : null);
      if (card.pending === 'created') await uploadNew(client, bookUrl, addMember, card, local, log, findUid, profile);
      else if (!(await uploadEdit(client, path(card.href), card, local, report, profile))) continue;
      report.uploaded++;
    } catch (e) {
      if (!(await markIfPerCard(e, card, local, report))) throw e;
    } finally {
      tick();
    }
  }
  log(`upload creates and edits: ${report.uploaded}, conflicts ${report.conflicts}, failed ${report.failed}`);

  // 5. download
  const known = await local.knownEtags();
  let changed: { href: string; etag: string; vcard?: string }[] = [];
  let removed: string[] = [];
  let complete: Set<string> | null = null; // the full server listing, when we have one
  let token: string | null = state.syncToken;
  if (caps.syncCollection) {
    let from = state.syncToken ?? '';
    // Into an empty book, the cards come with the listing: one request instead of 1 + N/100.
    const withData = known.size === 0;
    for (;;) {
      if (from === '' && profile.listingForFullSync) {
        // A full listing by PROPFIND with the token in the same answer; the cards come by multiget.
        const listing = await client.listing(bookUrl);
        changed = listing.members;
        complete = new Set(listing.members.map((m) => m.href));
        token = listing.token;
        break;
      }
      let page;
      const sent = early; // only for the first page
      early = null;
      try {
        page = sent !== null ? await sent : await client.syncCollection(bookUrl, from, withData);
      } catch (e) {
        if (from === '' || !isInvalidToken(e)) throw e;
        log('download: sync token no longer valid, full resync');
        report.fullResync = true;
        from = '';
        changed = [];
        removed = [];
        continue;
      }
      changed.push(...page.changed);
      removed.push(...page.removed);
      token = page.token;
      if (from === '') complete = new Set([...(complete ?? []), ...page.changed.map((c) => c.href)]);
      if (!page.truncated) break;
      from = page.token ?? '';
    }
  } else if (ctag === null || ctag !== state.ctag) {
    const listing = await client.listEtags(bookUrl);
    changed = listing;
    complete = new Set(listing.map((l) => l.href));
  }
  // Reuse what is already here: only cards whose ETag differs are fetched (unless they came along).
  const fetched: RemoteCard[] = [];
  const toFetch: string[] = [];
  for (const c of changed) {
    if (known.get(c.href) === c.etag) continue;
    if (c.vcard !== undefined) fetched.push({ href: c.href, etag: c.etag, vcard: c.vcard });
    else toFetch.push(c.href);
  }
  const batch = opts.multigetBatch ?? 100;
  const batches: string[][] = [];
  for (let i = 0; i < toFetch.length; i += batch) batches.push(toFetch.slice(i, i + batch));
  // Bounded parallelism: a few multigets in flight hide the round trips without flooding the server.
  let nextBatch = 0;
  const worker = async () => {
    while (nextBatch < batches.length) {
      const { cards } = await client.multiget(bookUrl, batches[nextBatch++]!);
      fetched.push(...cards);
      progress({ step: 'download', done: fetched.length, total: changed.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.parallel ?? 3, batches.length) }, worker));

  // 6. deletions: what the server reported removed, and, after a complete listing, what it lacks.
  const gone = new Set(removed.filter((h) => known.has(h)));
  if (complete !== null) for (const href of known.keys()) if (!complete.has(href)) gone.add(href);
  const share = opts.massDeleteShare ?? 0.3;
  if (!opts.allowMassDelete && known.size >= 10 && gone.size > share * known.size) throw new MassDeleteNeedsConfirmation(gone.size, known.size);

  // 7. apply in batches; the new state goes with the last batch.
  const newState: SyncState = { syncToken: token, ctag, capabilities: { syncCollection: caps.syncCollection, addMember: caps.addMember, checkedAt } };
  const deletes = [...gone];
  const applyBatch = 500;
  for (let i = 0; i < Math.max(fetched.length, 1); i += applyBatch) {
    const last = i + applyBatch >= fetched.length;
    await local.applyRemote({
      upserts: fetched.slice(i, i + applyBatch),
      deletes: last ? deletes : [],
      state: last ? newState : undefined,
      ...(profile.localOnly.length > 0 ? { keepLocal: profile.localOnly } : {}),
    });
    progress({ step: 'apply', done: Math.min(i + applyBatch, fetched.length), total: fetched.length });
  }
  report.downloaded = fetched.length;
  report.removedLocally = deletes.length;
  log(`download: ${fetched.length} fetched, ${deletes.length} removed locally`);
  return report;
}

/**
 * Create: POST to add-member where offered, else PUT If-None-Match to an href made from the local
 * id (so a repeated PUT answers 412 rather than making a second card); read it back. A create sent
 * before whose answer was lost is looked for by UID first and adopted when found.
 */
async function uploadNew(
  client: CardDavClient,
  bookUrl: string,
  addMember: string | null,
  card: LocalCard,
  local: LocalCollection,
  log: (line: string) => void,
  findUid: (uid: string, sent: string) => Promise<RemoteCard | undefined>,
  profile: ServerProfile,
): Promise<void> {
  const uid = uidOf(card.vcard);
  const body = profile.prepareUpload(card.vcard);
  if (card.attempted === true && uid !== undefined) {
    const stored = await findUid(uid, body);
    if (stored !== undefined) {
      log(`upload creates: ${uid} was stored by an earlier attempt, adopted`);
      await local.uploaded(card.id, { href: decodeHref(stored.href), etag: stored.etag, vcard: keepLocalOnly(stored.vcard, card.vcard, profile.localOnly) });
      return;
    }
  }
  let location: string;
  if (addMember !== null) {
    const res = await client.post(addMember, body);
    if (res.location === null) throw new DavError('POST created a card but gave no Location', 201, addMember);
    location = res.location;
  } else {
    location = new URL(`${encodeURIComponent(card.id)}.vcf`, bookUrl).href;
    try {
      const res = await client.put(location, body, { ifNoneMatch: '*' });
      if (res.location !== null) location = res.location;
    } catch (e) {
      // Already there: our own earlier attempt if the UID matches; otherwise a real clash.
      if (!(e instanceof PreconditionFailed)) throw e;
      const there = await client.get(location);
      const theirs = uidOf(there.vcard);
      if (uid === undefined || theirs !== uid) throw e;
      log(`upload creates: ${location} was stored by an earlier attempt, adopted`);
    }
  }
  // Servers rewrite cards (Radicale always), replace the UID (Google) and relocate them: keep what
  // they stored, under their href, plus what they do not store at all.
  const stored = await client.get(location);
  await local.uploaded(card.id, { href: decodeHref(new URL(location).pathname), etag: stored.etag, vcard: keepLocalOnly(stored.vcard, card.vcard, profile.localOnly) });
}

/**
 * Edit: check the server's current version first (some servers do not enforce If-Match), merge if
 * it changed, PUT with If-Match; a 412 means it changed in between: merge once more.
 * Returns false when the card now waits for the user.
 */
async function uploadEdit(client: CardDavClient, url: string, card: LocalCard, local: LocalCollection, report: SyncReport, profile: ServerProfile): Promise<boolean> {
  let etag = card.etag;
  let vcard = card.vcard;
  // What the server does not store is not a deletion on the server's side.
  const serverSide = (text: string) => keepLocalOnly(text, card.base || card.vcard, profile.localOnly);
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = await client.get(url).catch((e: unknown) => (e instanceof NotFound ? null : Promise.reject(e)));
    if (current === null) {
      // Deleted on the server meanwhile: our edit brings it back as a new card at the same href.
      await client.put(url, profile.prepareUpload(vcard), { ifNoneMatch: '*' });
    } else {
      if (current.etag !== etag) {
        const theirs = serverSide(current.vcard);
        const merged = merge(parseVCard(card.base || theirs), parseVCard(vcard), parseVCard(theirs));
        const text = serializeVCard(merged.card);
        if (merged.conflicts.length > 0) {
          await local.conflicted(card.id, text, { href: decodeHref(new URL(url).pathname), etag: current.etag, vcard: theirs }, merged.conflicts);
          report.conflicts++;
          return false;
        }
        vcard = text;
        etag = current.etag;
      }
      try {
        await client.put(url, profile.prepareUpload(vcard), { ifMatch: etag });
      } catch (e) {
        if (e instanceof PreconditionFailed && attempt === 0) continue;
        throw e;
      }
    }
    const stored = await client.get(url);
    await local.uploaded(card.id, { href: decodeHref(new URL(url).pathname), etag: stored.etag, vcard: keepLocalOnly(stored.vcard, vcard, profile.localOnly) });
    return true;
  }
  throw new PreconditionFailed('the card kept changing on the server', 412, url);
}

/**
 * A refusal of one card (a 4xx other than 401 and 429: a card the server will not store, a UID
 * clash, a read-only entry): mark the card, keep it, and go on with the rest. Returns false for
 * errors that concern the whole account or the network, which stop the run.
 */
async function markIfPerCard(e: unknown, card: LocalCard, local: LocalCollection, report: SyncReport): Promise<boolean> {
  if (!(e instanceof DavError) || e.status < 400 || e.status >= 500 || e.status === 401 || e.status === 429) return false;
  await local.failed(card.id, e.message);
  report.failed++;
  return true;
}

function uidOf(vcard: string): string | undefined {
  try {
    return parseVCard(vcard).properties.find((p) => p.name.toUpperCase() === 'UID')?.value.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** What identifies a card the server may have rewritten (and given another UID): its name, e-mail
 * addresses and phone numbers (digits only). */
export function fingerprint(vcard: string): string | undefined {
  try {
    const props = parseVCard(vcard).properties;
    const values = (name: string, norm: (v: string) => string) =>
      props
        .filter((p) => p.name.toUpperCase() === name)
        .map((p) => norm(p.value))
        .sort()
        .join(',');
    return `${values('FN', (v) => v.trim())}|${values('EMAIL', (v) => v.trim().toLowerCase())}|${values('TEL', (v) => v.replace(/\D/g, ''))}`;
  } catch {
    return undefined;
  }
}

/**
 * Looks for a card by UID on the server: an addressbook-query where the server answers it, else
 * (Xandikos answers 500, some servers 501) the cards that appeared since the last sync, which is
 * where a create whose answer was lost must be. The second way is worked out once per run. A server
 * that replaces UIDs (Google) is searched the second way, by content.
 */
function uidFinder(
  client: CardDavClient,
  bookUrl: string,
  state: SyncState,
  syncCollection: boolean,
  local: LocalCollection,
  profile: ServerProfile,
): (uid: string, sent: string) => Promise<RemoteCard | undefined> {
  let queryWorks = !profile.replacesUid;
  let recent: { byUid: Map<string, RemoteCard>; byPrint: Map<string, RemoteCard> } | null = null;
  return async (uid, sent) => {
    if (queryWorks) {
      try {
        return (await client.findByUid(bookUrl, uid))[0];
      } catch (e) {
        if (!(e instanceof DavError) || e instanceof NetworkError || e.status === 401 || e.status === 429 || e.status === 503) throw e;
        queryWorks = false;
      }
    }
    if (recent === null) {
      const known = await local.knownEtags();
      const changed = syncCollection && state.syncToken !== null ? (await client.syncCollection(bookUrl, state.syncToken)).changed : await client.listEtags(bookUrl);
      const hrefs = changed.filter((c) => !known.has(c.href)).map((c) => c.href);
      recent = { byUid: new Map(), byPrint: new Map() };
      for (let i = 0; i < hrefs.length; i += 100) {
        for (const c of (await client.multiget(bookUrl, hrefs.slice(i, i + 100))).cards) {
          const u = uidOf(c.vcard);
          if (u !== undefined) recent.byUid.set(u, c);
          const f = fingerprint(c.vcard);
          if (f !== undefined) recent.byPrint.set(f, c);
        }
      }
    }
    const found = recent.byUid.get(uid);
    if (found !== undefined || !profile.replacesUid) return found;
    const f = fingerprint(sent);
    const match = f === undefined ? undefined : recent.byPrint.get(f);
    // Adopted once: a second lost create with the same content must not claim the same card.
    if (match !== undefined) recent.byPrint.delete(f!);
    return match;
  };
}
