/**
 * One sync run of a Workspace domain's shared contacts, in the engine's phases (prepare → upload
 * deletes → upload creates and edits → download → deletions → apply with the new state), on the
 * same local store contract as CardDAV books. The server's entries are the source of truth: an edit
 * is applied to the entry as it stands on the server right then (GET, three-way merge when it
 * changed, patch, PUT with If-Match; a 412 merges once more), so nothing the UI does not model is
 * ever dropped. Incremental runs ask for what changed since the feed's last `<updated>`, deleted
 * placeholders included; after 30 days those placeholders are gone, so the run is a full listing.
 */
import { keepLocalOnly, merge, parseVCard, serializeVCard } from '../../shared/vcard';
import { DavError, NetworkError, NotFound, PreconditionFailed } from '../dav/errors';
import { RefusedUrl } from '../dav/url-policy';
import { fingerprint, MassDeleteNeedsConfirmation, type SyncReport } from '../sync/engine';
import type { LocalCard, LocalCollection, RemoteCard, SyncProgress, SyncState } from '../sync/local';
import { entryToVCard, newEntry, parseEntry, patchEntry, photoOf, type AtomEntry } from './atom';
import type { GDataClient } from './client';

/** Google keeps deleted placeholders this long; a longer gap means a full resync. */
const DELETED_KEPT_MS = 30 * 86_400_000;

export interface GDataSyncOptions {
  massDeleteShare?: number;
  allowMassDelete?: boolean;
  log?: (line: string) => void;
  onProgress?: (p: SyncProgress) => void;
  now?: () => number;
}

/** The local href of an entry: its self link's path (stable across versions, unlike the edit link). */
export function hrefOf(entry: AtomEntry): string {
  return new URL(entry.self ?? entry.id).pathname;
}

/** Groups are not mapped to the directory (GData groups are per user): they stay on this computer. */
const LOCAL_ONLY = ['CATEGORIES'];

function remoteOf(entry: AtomEntry, localVcard?: string): RemoteCard {
  const vcard = entryToVCard(entry);
  return { href: hrefOf(entry), etag: entry.etag, vcard: localVcard === undefined ? vcard : keepLocalOnly(vcard, localVcard, LOCAL_ONLY), source: entry.xml };
}

export async function syncSharedContacts(client: GDataClient, local: LocalCollection, opts: GDataSyncOptions = {}): Promise<SyncReport> {
  const log = opts.log ?? (() => {});
  const progress = opts.onProgress ?? (() => {});
  const now = opts.now ?? Date.now;
  const report: SyncReport = { uploaded: 0, deleted: 0, downloaded: 0, removedLocally: 0, conflicts: 0, failed: 0, restored: 0, fullResync: false };
  const selfUrl = (href: string) => new URL(href, client.feedUrl).href;

  // 1. prepare
  const state = await local.state();
  const lastSync = state.ctag === null ? null : Number(state.ctag);
  const full = state.syncToken === null || lastSync === null || now() - lastSync > DELETED_KEPT_MS;
  log(`prepare: ${full ? 'full listing' : `changes since ${state.syncToken}`}`);
  progress({ step: 'prepare', done: 0, total: 0 });

  const pending = await local.pending();
  let done = 0;
  const tick = () => progress({ step: 'upload', done: ++done, total: pending.length });

  // 2. upload deletes: only a version we have seen is deleted; one edited meanwhile comes back.
  for (const card of pending.filter((c) => c.pending === 'deleted')) {
    try {
      if (card.href !== '') {
        const current = await client.get(selfUrl(card.href)).catch((e: unknown) => (e instanceof NotFound ? null : Promise.reject(e)));
        if (current !== null && !current.deleted) {
          if (current.etag !== card.etag) throw new PreconditionFailed('changed on the server', 412, selfUrl(card.href));
          await client.delete(current);
        }
      }
      await local.deleted(card.id);
      report.deleted++;
    } catch (e) {
      if (e instanceof PreconditionFailed) {
        const current = await client.get(selfUrl(card.href));
        await local.applyRemote({ upserts: [remoteOf(current)], deletes: [] });
        report.restored++;
        log(`upload deletes: ${card.href} changed on the server, restored`);
      } else if (!(await refusedCard(e, card, local, report))) throw e;
    }
    tick();
  }

  // 3. upload creates and edits
  const creates = pending.filter((c) => c.pending === 'created');
  if (creates.some((c) => c.attempted !== true)) await local.attempting(creates.filter((c) => c.attempted !== true).map((c) => c.id));
  let recent: Map<string, AtomEntry> | null = null;
  const toCreate: LocalCard[] = [];
  for (const card of creates) {
    // A create whose answer was lost: recognised by content among the entries new since the last sync.
    if (card.attempted === true && state.syncToken !== null) {
      recent ??= await recentEntries(client, state.syncToken);
      const f = fingerprint(card.vcard);
      const found = f === undefined ? undefined : recent.get(f);
      if (found !== undefined) {
        recent.delete(f!);
        await local.uploaded(card.id, remoteOf(found, card.vcard));
        report.uploaded++;
        tick();
        continue;
      }
    }
    toCreate.push(card);
  }
  // Many new entries (an import) go through the batch endpoint, 100 to a request, each answered alone.
  if (toCreate.length > 1) {
    for (let i = 0; i < toCreate.length; i += 100) {
      const chunk = toCreate.slice(i, i + 100);
      const results = await client.batch(chunk.map((c, n) => ({ id: String(n), op: 'insert' as const, xml: newEntry(c.vcard) })));
      for (const [n, card] of chunk.entries()) {
        const r = results.get(String(n));
        if (r?.entry !== undefined) {
          await local.uploaded(card.id, remoteOf(r.entry, card.vcard));
          report.uploaded++;
        } else if (r !== undefined && r.status >= 400 && r.status < 500) {
          await local.failed(card.id, `${r.status} ${r.reason}`.trim());
          report.failed++;
        } // no answer or a server error: still pending (and attempted), looked for next time
        tick();
      }
    }
  } else {
    for (const card of toCreate) {
      try {
        await local.uploaded(card.id, remoteOf(await client.create(newEntry(card.vcard)), card.vcard));
        report.uploaded++;
      } catch (e) {
        if (!(await refusedCard(e, card, local, report))) throw e;
      } finally {
        tick();
      }
    }
  }
  for (const card of pending.filter((c) => c.pending === 'updated')) {
    try {
      if (await uploadEdit(client, selfUrl(card.href), card, local, report)) report.uploaded++;
    } catch (e) {
      if (!(await refusedCard(e, card, local, report))) throw e;
    } finally {
      tick();
    }
  }
  log(`upload: ${report.uploaded} sent, ${report.deleted} deleted, ${report.conflicts} conflicts, ${report.failed} refused`);

  // 4. download: every page of the full feed, or the changes since the last sync.
  const known = await local.knownEtags();
  const changed: AtomEntry[] = [];
  const removed: string[] = [];
  let url: string | null = client.firstPage(full ? null : state.syncToken);
  let token: string | null = null;
  while (url !== null) {
    const page = await client.page(url);
    token ??= page.updated;
    for (const e of page.entries) {
      if (e.deleted) removed.push(hrefOf(e));
      else changed.push(e);
    }
    progress({ step: 'download', done: changed.length, total: page.totalResults ?? changed.length });
    url = page.next;
  }
  report.fullResync = full && state.syncToken !== null;

  // 5. deletions: placeholders, and after a full listing what it lacks.
  const gone = new Set(removed.filter((h) => known.has(h)));
  if (full) {
    const listed = new Set(changed.map(hrefOf));
    for (const href of known.keys()) if (!listed.has(href)) gone.add(href);
  }
  const share = opts.massDeleteShare ?? 0.3;
  if (!opts.allowMassDelete && known.size >= 10 && gone.size > share * known.size) throw new MassDeleteNeedsConfirmation(gone.size, known.size);

  // 6. apply in batches; the state goes with the last one.
  const fetched = changed.filter((e) => known.get(hrefOf(e)) !== e.etag).map((e) => remoteOf(e));
  const newState: SyncState = { syncToken: token ?? state.syncToken, ctag: String(now()) };
  const deletes = [...gone];
  for (let i = 0; i < Math.max(fetched.length, 1); i += 500) {
    const last = i + 500 >= fetched.length;
    await local.applyRemote({ upserts: fetched.slice(i, i + 500), deletes: last ? deletes : [], state: last ? newState : undefined, keepLocal: LOCAL_ONLY });
    progress({ step: 'apply', done: Math.min(i + 500, fetched.length), total: fetched.length });
  }
  report.downloaded = fetched.length;
  report.removedLocally = deletes.length;
  log(`download: ${fetched.length} changed, ${deletes.length} removed locally`);
  return report;
}

/** Entries created or changed since `updatedMin`, by content fingerprint. */
async function recentEntries(client: GDataClient, updatedMin: string): Promise<Map<string, AtomEntry>> {
  const out = new Map<string, AtomEntry>();
  let url: string | null = client.firstPage(updatedMin);
  while (url !== null) {
    const page = await client.page(url);
    for (const e of page.entries) {
      if (e.deleted) continue;
      const f = fingerprint(entryToVCard(e));
      if (f !== undefined) out.set(f, e);
    }
    url = page.next;
  }
  return out;
}

/**
 * The entry as received, changed as the user changed it, PUT with If-Match (one request). When the
 * server moved on (412), the entry as it stands now is fetched, both sides merged three ways, and
 * that is sent (a further 412 once more). Returns false when the card waits for the user.
 */
async function uploadEdit(client: GDataClient, url: string, card: LocalCard, local: LocalCollection, report: SyncReport): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    // First from the entry kept as received; after a 412 (or without one kept), from the server's.
    const kept = attempt === 0 && card.source !== undefined ? readKept(card.source) : null;
    const current = kept !== null && kept.etag === card.etag ? kept : await client.get(url);
    const theirs = keepLocalOnly(entryToVCard(current), card.base || card.vcard, LOCAL_ONLY);
    let target = card.vcard;
    if (current.etag !== card.etag) {
      const merged = merge(parseVCard(card.base || theirs), parseVCard(card.vcard), parseVCard(theirs));
      const text = serializeVCard(merged.card);
      if (merged.conflicts.length > 0) {
        await local.conflicted(card.id, text, remoteOf(current), merged.conflicts);
        report.conflicts++;
        return false;
      }
      target = text;
    }
    try {
      let stored = await client.update(current, patchEntry(current.xml, theirs, target));
      // The photo has its own link: set or removed there, with its own If-Match.
      const was = photoOf(theirs);
      const now = photoOf(target);
      if (now === null && was !== null) {
        await client.deletePhoto(stored);
        stored = await client.get(url);
      } else if (now !== null && now.value !== was?.value && !/^https?:/i.test(now.value)) {
        const bytes = /^data:/i.test(now.value) ? Buffer.from(now.value.replace(/^data:[^,]*,/, ''), 'base64') : Buffer.from(now.value.replace(/\s+/g, ''), 'base64');
        const type = /^data:([^;,]+)/i.exec(now.value)?.[1] ?? now.type;
        await client.setPhoto(stored, type, new Uint8Array(bytes));
        stored = await client.get(url);
      }
      await local.uploaded(card.id, remoteOf(stored, target));
      return true;
    } catch (e) {
      if (e instanceof PreconditionFailed && attempt < 2) continue;
      throw e;
    }
  }
  throw new PreconditionFailed('the entry kept changing on the server', 412, url);
}

function readKept(source: string): AtomEntry | null {
  try {
    return parseEntry(source);
  } catch {
    return null; // unreadable: the server's current entry is fetched instead
  }
}

/** One card refused (a 4xx other than 401/403/429): marked and kept; the rest go on. */
async function refusedCard(e: unknown, card: LocalCard, local: LocalCollection, report: SyncReport): Promise<boolean> {
  if (e instanceof RefusedUrl) {
    // A link of this entry that the URL policy refused: this contact's problem alone.
    await local.failed(card.id, e.message);
    report.failed++;
    return true;
  }
  if (!(e instanceof DavError) || e instanceof NetworkError || e.status < 400 || e.status >= 500 || [401, 403, 429].includes(e.status)) return false;
  await local.failed(card.id, e.message);
  report.failed++;
  return true;
}
