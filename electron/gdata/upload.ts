/**
 * The upload phases of a Workspace domain's run, on the same store contract as CardDAV books:
 * deletions (only of the version seen; one changed meanwhile comes back), creates (a lost one
 * found by content; many at once through the batch endpoint, one by one where it is refused), and
 * edits (the entry kept as received, patched and PUT with If-Match: one request; after a 412 the
 * entry as it is now, merged three ways). Every answer goes to the store with the revision the
 * card was read at, so a save made meanwhile is kept.
 */
import { keepLocalOnly, merge, parseVCard, serializeVCard } from '../../shared/vcard';
import { DavError, NetworkError, NotFound, PreconditionFailed } from '../dav/errors';
import { holdsOnlyOurs, ownPropertiesAsBase, sameValues, sentTexts } from '../sync/own-write';
import type { SyncReport } from '../sync/engine';
import { isCardRefusal } from '../sync/failures';
import type { LocalCard, LocalCollection } from '../sync/local';
import type { SentCreate } from '../../shared/sync/types';
import { fingerprint, nameOfPrint } from '../sync/lost-create';
import { entryToVCard, newEntry, parseEntry, patchEntry, photoOf, type AtomEntry } from './atom';
import type { GDataClient } from './client';
import { hrefOf, remoteOf, LOCAL_ONLY } from './entries';

/** What the upload phases share. */
export interface GDataRun {
  readonly client: GDataClient;
  readonly local: LocalCollection;
  readonly report: SyncReport;
  /** The feed's `<updated>` at the last sync, if there was one. */
  readonly since: string | null;
  readonly log: (line: string) => void;
  /** One more pending card dealt with. */
  readonly tick: () => void;
  selfUrl(href: string): string;
  /** Hrefs whose deletion here the server refused (edited there): back, unless the download removes them. */
  readonly restored: Set<string>;
}

/** Deletes: only a version we have seen is deleted; one edited meanwhile comes back. */
export async function uploadDeletes(run: GDataRun, deletes: readonly LocalCard[]): Promise<void> {
  const { client, local, report } = run;
  let recent: Map<string, AtomEntry> | null = null;
  for (const card of deletes) {
    try {
      const current = card.href === '' ? null : await client.get(run.selfUrl(card.href)).catch((e: unknown) => (e instanceof NotFound ? null : Promise.reject(e)));
      if (card.href === '' && card.attempted === true && run.since !== null) {
        // A create sent before its deletion (its answer may have been lost): there as it was
        // sent, it goes too, or it would come back with the next listing.
        recent ??= await recentEntries(client, run.since);
        const f = card.sentPrint ?? fingerprint(card.vcard);
        const found = f === undefined ? undefined : recent.get(f);
        if (found !== undefined) {
          recent.delete(f!);
          // Only as it was sent: another administrator who edited it since (its note, say) keeps
          // it, and it comes back here, as an edited contact deleted here does (seed 19101174).
          const there = entryToVCard(found);
          if (![card.vcard, ...sentTexts(card)].some((t) => sameValues(there, t))) {
            const back = remoteOf(found, card.vcard);
            await local.restored(card.id, back, card.revision);
            run.restored.add(back.href);
            report.restored++;
            run.log(`upload deletes: a create whose answer was lost was changed on the server since, restored`);
            run.tick();
            continue;
          }
          await client.delete(found);
        }
      }
      if (current !== null && !current.deleted && current.etag !== card.etag && holdsOnlyOurs(entryToVCard(current), card, LOCAL_ONLY)) {
        // What changed it was our own write, whose answer was lost before the user deleted it
        // here (a PUT applied but answered 500): that version is the one seen here, and it goes
        // (seed 26001621). The DELETE names the entry's current ETag.
        await client.delete(current);
        await local.deleted(card.id, card.revision);
        report.deleted++;
      } else if (current !== null && !current.deleted && current.etag !== card.etag) {
        const back = remoteOf(current, card.vcard);
        await local.restored(card.id, back, card.revision);
        run.restored.add(back.href);
        report.restored++;
        run.log(`upload deletes: ${card.href} changed on the server, restored`);
      } else {
        if (current !== null && !current.deleted) await client.delete(current);
        await local.deleted(card.id, card.revision);
        report.deleted++;
      }
    } catch (e) {
      if (!(await refused(run, e, card))) throw e;
    }
    run.tick();
  }
}

/** A create about to go, with what identifies the version sent (the entry gets an id of Google's). */
function sentCreate(card: LocalCard): SentCreate {
  const print = fingerprint(card.vcard);
  return { id: card.id, revision: card.revision, vcard: card.vcard, ...(print !== undefined ? { print } : {}) };
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
 * Creates. Marked as attempted first, so a create whose answer was lost is recognised next time by
 * its content among the entries new since the last sync, not sent twice. Two or more (an import)
 * go through the batch endpoint, 100 to a request; where it refuses the request (404, 400, 501:
 * not offered), they go one by one.
 */
export async function uploadCreates(run: GDataRun, creates: readonly LocalCard[]): Promise<void> {
  const { client, local, report } = run;
  // Creates never sent are marked at once; one sent before, again only once it is known not to be there.
  const fresh = creates.filter((c) => c.attempted !== true);
  // Deleted outright meanwhile (a create never sent): not sent (seed 15000165).
  const gone = new Set(fresh.length > 0 ? await local.attempting(fresh.map(sentCreate)) : []);
  let recent: Map<string, AtomEntry> | null = null;
  let known: Map<string, string> | null = null;
  const toCreate: LocalCard[] = [];
  for (const card of creates) {
    if (gone.has(card.id)) continue;
    if (card.attempted === true && run.since !== null) {
      recent ??= await recentEntries(client, run.since);
      const f = card.sentPrint ?? fingerprint(card.vcard);
      let found = f === undefined ? undefined : recent.get(f);
      // Another administrator may have edited it before this run (an e-mail address, a number):
      // then the one new entry of that name, not known here, where only one create of that name
      // waits here (as the CardDAV lookup does; seed 12001634).
      if (found === undefined && f !== undefined) {
        known ??= await local.knownEtags();
        const name = nameOfPrint(f);
        const named = [...recent.values()].filter((e) => !known!.has(hrefOf(e)) && nameOfPrint(fingerprint(entryToVCard(e)) ?? '') === name);
        const waiting = creates.filter((c) => c.attempted === true && nameOfPrint(c.sentPrint ?? fingerprint(c.vcard) ?? '') === name).length;
        if (named.length === 1 && waiting <= 1) found = named[0];
      }
      if (found !== undefined) {
        for (const [k, e] of recent) if (e === found) recent.delete(k);
        // The version sent then; a save since then stays pending, as an edit of it.
        await local.uploaded(card.id, remoteOf(found, card.vcard), card.sentRevision ?? -1);
        report.uploaded++;
        run.tick();
        continue;
      }
    }
    toCreate.push(card);
  }
  const again = toCreate.filter((c) => c.attempted === true);
  const goneSince = new Set(again.length > 0 ? await local.attempting(again.map(sentCreate)) : []);
  if (goneSince.size > 0) toCreate.splice(0, toCreate.length, ...toCreate.filter((c) => !goneSince.has(c.id)));
  let batches = toCreate.length > 1;
  for (let i = 0; i < toCreate.length && batches; i += 100) {
    const chunk = toCreate.slice(i, i + 100);
    let results: Awaited<ReturnType<GDataClient['batch']>>;
    try {
      results = await client.batch(chunk.map((c, n) => ({ id: String(n), op: 'insert' as const, xml: newEntry(c.vcard) })));
    } catch (e) {
      if (!batchRefused(e)) throw e;
      run.log(`upload creates: the batch endpoint refused (${e.status}), one by one`);
      batches = false;
      toCreate.splice(0, i);
      break;
    }
    for (const [n, card] of chunk.entries()) {
      const r = results.get(String(n));
      if (r?.entry !== undefined) {
        await local.uploaded(card.id, remoteOf(r.entry, card.vcard), card.revision);
        report.uploaded++;
      } else if (r !== undefined && r.status >= 400 && r.status < 500) {
        await local.failed(card.id, `${r.status} ${r.reason}`.trim(), card.revision);
        report.failed++;
      } // no answer or a server error: still pending (and attempted), looked for next time
      run.tick();
    }
  }
  if (batches) return;
  for (const card of toCreate) {
    try {
      await local.uploaded(card.id, remoteOf(await client.create(newEntry(card.vcard)), card.vcard), card.revision);
      report.uploaded++;
    } catch (e) {
      if (!(await refused(run, e, card))) throw e;
    } finally {
      run.tick();
    }
  }
}

/** The batch request as a whole was refused: the endpoint is not offered here. */
function batchRefused(e: unknown): e is DavError {
  return e instanceof DavError && !(e instanceof NetworkError) && (e.status === 400 || e.status === 404 || e.status === 405 || e.status === 501);
}

export async function uploadEdits(run: GDataRun, edits: readonly LocalCard[]): Promise<void> {
  // Marked with the text sent, so an edit whose answer is lost is recognised as our own write.
  const unsent = edits.filter((c) => c.sentVcard !== c.vcard);
  const gone = new Set(unsent.length > 0 ? await run.local.attempting(unsent.map(sentCreate)) : []);
  for (const card of edits.filter((c) => !gone.has(c.id))) {
    try {
      if (await uploadEdit(run, run.selfUrl(card.href), card)) run.report.uploaded++;
    } catch (e) {
      if (!(await refused(run, e, card))) throw e;
    } finally {
      run.tick();
    }
  }
}

/**
 * The entry as received, changed as the user changed it, PUT with If-Match (one request). When the
 * server moved on (412), the entry as it stands now is fetched, both sides merged three ways, and
 * that is sent (a further 412 once more). Returns false when the card waits for the user.
 */
async function uploadEdit(run: GDataRun, url: string, card: LocalCard): Promise<boolean> {
  const { client, local, report } = run;
  for (let attempt = 0; attempt < 3; attempt++) {
    // First from the entry kept as received; after a 412 (or without one kept), from the server's.
    const kept = attempt === 0 && card.source !== undefined ? readKept(card.source) : null;
    const current = kept !== null && kept.etag === card.etag ? kept : await client.get(url);
    const theirs = keepLocalOnly(entryToVCard(current), card.base || card.vcard, LOCAL_ONLY);
    let target = card.vcard;
    // Another administrator's change merged into what goes up: the version seen here goes with the
    // answer, for a deletion made here meanwhile (seed 22000178, as RemoteCard.seenBase says).
    let othersMerged = false;
    if (current.etag !== card.etag) {
      // Where the server holds what an earlier attempt of this edit sent (its answer lost), ours.
      const base = ownPropertiesAsBase(parseVCard(card.base || theirs), sentTexts(card), theirs);
      const merged = merge(base, parseVCard(card.vcard), parseVCard(theirs));
      const text = serializeVCard(merged.card);
      if (merged.conflicts.length > 0) {
        await local.conflicted(card.id, text, remoteOf(current), merged.conflicts, card.revision);
        report.conflicts++;
        return false;
      }
      target = text;
      othersMerged = !sameValues(text, card.vcard) && card.base !== '';
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
      await local.uploaded(card.id, othersMerged ? { ...remoteOf(stored, target), seenBase: card.base } : remoteOf(stored, target), card.revision);
      return true;
    } catch (e) {
      if (e instanceof PreconditionFailed) continue;
      throw e;
    }
  }
  // It kept changing on the server while we merged: not a refusal; it stays pending for the next run.
  run.log(`upload edits: ${card.href} kept changing on the server, left for the next run`);
  return false;
}

function readKept(source: string): AtomEntry | null {
  try {
    return parseEntry(source);
  } catch {
    return null; // unreadable: the server's current entry is fetched instead
  }
}

/** One card refused (the engine's rule, `isCardRefusal`): marked and kept; the rest go on. */
async function refused(run: GDataRun, e: unknown, card: LocalCard): Promise<boolean> {
  if (!isCardRefusal(e)) return false;
  await run.local.failed(card.id, e.message, card.revision);
  run.report.failed++;
  return true;
}
