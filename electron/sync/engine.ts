/**
 * One sync run of one address book, in named phases (the DAVx⁵ shape):
 * prepare → capabilities → upload deletes → upload creates and edits → download → delete what the
 * server no longer has → save state. Each phase logs one line. Nothing is dropped: a card the
 * server refuses stays local and marked; both sides' edits merge by property; a true conflict is
 * kept for the user; deletions only follow a complete listing, and a run that would delete a large
 * share of the book stops and asks.
 */
import { merge, parseVCard, serializeVCard } from '../../shared/vcard';
import { encodePath, type CardDavClient } from '../dav/client';
import { decodeHref } from '../dav/multistatus';
import { DavError, Forbidden, NotFound, PreconditionFailed, ServerError } from '../dav/errors';
import type { LocalCard, LocalCollection, RemoteCard, SyncState } from './local';

export interface SyncOptions {
  /** Cards per multiget (Xandikos is quadratic in it; Radicale does not care). */
  multigetBatch?: number;
  /** Stop and ask when a run would delete more than this share of the book. */
  massDeleteShare?: number;
  /** The user confirmed a mass deletion for this run. */
  allowMassDelete?: boolean;
  log?: (line: string) => void;
  newId?: () => string;
}

export interface SyncReport {
  uploaded: number;
  deleted: number;
  downloaded: number;
  removedLocally: number;
  conflicts: number;
  failed: number;
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
  const newId = opts.newId ?? (() => globalThis.crypto.randomUUID());
  const report: SyncReport = { uploaded: 0, deleted: 0, downloaded: 0, removedLocally: 0, conflicts: 0, failed: 0, fullResync: false };
  const path = (href: string) => new URL(encodePath(href), bookUrl).href;

  // 1. prepare
  const state = await local.state();
  log(`prepare: token ${state.syncToken === null ? 'none' : 'known'}`);

  // 2. capabilities
  const caps = await client.capabilities(bookUrl);
  log(`capabilities: sync-collection ${caps.syncCollection}, add-member ${caps.addMember !== null}`);

  const pending = await local.pending();

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
        log(`upload deletes: ${card.href} changed on the server, restored`);
      } else if (!(await markIfPerCard(e, card, local, report))) throw e;
    }
  }
  log(`upload deletes: ${report.deleted}`);

  // 4. upload creates and edits
  for (const card of pending.filter((c) => c.pending === 'created' || c.pending === 'updated')) {
    try {
      if (card.pending === 'created') await uploadNew(client, bookUrl, caps.addMember, card, local, newId);
      else if (!(await uploadEdit(client, path(card.href), card, local, report))) continue;
      report.uploaded++;
    } catch (e) {
      if (!(await markIfPerCard(e, card, local, report))) throw e;
    }
  }
  log(`upload creates and edits: ${report.uploaded}, conflicts ${report.conflicts}, failed ${report.failed}`);

  // 5. download
  const known = await local.knownEtags();
  let changed: { href: string; etag: string }[] = [];
  let removed: string[] = [];
  let complete: Set<string> | null = null; // the full server listing, when we have one
  let token: string | null = state.syncToken;
  if (caps.syncCollection) {
    let from = state.syncToken ?? '';
    for (;;) {
      let page;
      try {
        page = await client.syncCollection(bookUrl, from);
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
  } else if (caps.ctag === null || caps.ctag !== state.ctag) {
    const listing = await client.listEtags(bookUrl);
    changed = listing;
    complete = new Set(listing.map((l) => l.href));
  }
  // Reuse what is already here: only cards whose ETag differs are fetched.
  const toFetch = changed.filter((c) => known.get(c.href) !== c.etag).map((c) => c.href);
  const batch = opts.multigetBatch ?? 100;
  const fetched: RemoteCard[] = [];
  for (let i = 0; i < toFetch.length; i += batch) {
    const { cards } = await client.multiget(bookUrl, toFetch.slice(i, i + batch));
    fetched.push(...cards);
  }

  // 6. deletions: what the server reported removed, and, after a complete listing, what it lacks.
  const gone = new Set(removed.filter((h) => known.has(h)));
  if (complete !== null) for (const href of known.keys()) if (!complete.has(href)) gone.add(href);
  const share = opts.massDeleteShare ?? 0.3;
  if (!opts.allowMassDelete && known.size >= 10 && gone.size > share * known.size) throw new MassDeleteNeedsConfirmation(gone.size, known.size);

  // 7. apply in batches; the new state goes with the last batch.
  const newState: SyncState = { syncToken: token, ctag: caps.ctag };
  const deletes = [...gone];
  const applyBatch = 500;
  for (let i = 0; i < Math.max(fetched.length, 1); i += applyBatch) {
    const last = i + applyBatch >= fetched.length;
    await local.applyRemote({ upserts: fetched.slice(i, i + applyBatch), deletes: last ? deletes : [], state: last ? newState : undefined });
  }
  report.downloaded = fetched.length;
  report.removedLocally = deletes.length;
  log(`download: ${fetched.length} fetched, ${deletes.length} removed locally`);
  return report;
}

/** Create: POST to add-member where offered, else PUT If-None-Match to a fresh href; read it back. */
async function uploadNew(client: CardDavClient, bookUrl: string, addMember: string | null, card: LocalCard, local: LocalCollection, newId: () => string): Promise<void> {
  let location: string;
  if (addMember !== null) {
    const res = await client.post(addMember, card.vcard);
    if (res.location === null) throw new DavError('POST created a card but gave no Location', 201, addMember);
    location = res.location;
  } else {
    location = new URL(`${newId()}.vcf`, bookUrl).href;
    const res = await client.put(location, card.vcard, { ifNoneMatch: '*' });
    if (res.location !== null) location = res.location;
  }
  // Servers rewrite cards (Radicale always) and may relocate them: keep what they stored.
  const stored = await client.get(location);
  await local.uploaded(card.id, { href: decodeHref(new URL(location).pathname), etag: stored.etag, vcard: stored.vcard });
}

/**
 * Edit: check the server's current version first (some servers do not enforce If-Match), merge if
 * it changed, PUT with If-Match; a 412 means it changed in between: merge once more.
 * Returns false when the card now waits for the user.
 */
async function uploadEdit(client: CardDavClient, url: string, card: LocalCard, local: LocalCollection, report: SyncReport): Promise<boolean> {
  let etag = card.etag;
  let vcard = card.vcard;
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = await client.get(url).catch((e: unknown) => (e instanceof NotFound ? null : Promise.reject(e)));
    if (current === null) {
      // Deleted on the server meanwhile: our edit brings it back as a new card at the same href.
      await client.put(url, vcard, { ifNoneMatch: '*' });
    } else {
      if (current.etag !== etag) {
        const merged = merge(parseVCard(card.base || current.vcard), parseVCard(vcard), parseVCard(current.vcard));
        const text = serializeVCard(merged.card);
        if (merged.conflicts.length > 0) {
          await local.conflicted(card.id, text, { href: decodeHref(new URL(url).pathname), etag: current.etag, vcard: current.vcard }, merged.conflicts);
          report.conflicts++;
          return false;
        }
        vcard = text;
        etag = current.etag;
      }
      try {
        await client.put(url, vcard, { ifMatch: etag });
      } catch (e) {
        if (e instanceof PreconditionFailed && attempt === 0) continue;
        throw e;
      }
    }
    const stored = await client.get(url);
    await local.uploaded(card.id, { href: decodeHref(new URL(url).pathname), etag: stored.etag, vcard: stored.vcard });
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
