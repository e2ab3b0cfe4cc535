/**
 * The upload phases of a book's run: the offline queue goes up before anything comes down.
 * Deletions first (a 412 means the server edited the card: the edit wins and it comes back), then
 * creates and edits. A card the server refuses is marked and the run goes on. Every answer is
 * handed to the store with the revision the card was read at, so a save made meanwhile is kept.
 */
import { mergeCards } from '../../shared/groups/merge';
import { displayName, keepLocalOnly, parseVCard, serializeVCard, toContact } from '../../shared/vcard';
import { decodeHref } from '../dav/multistatus';
import { Conflict, DavError, NotFound, PreconditionFailed } from '../dav/errors';
import type { FetchedCard } from '../dav/client';
import { addMemberUrl, memberLocation } from '../dav/url-policy';
import type { BookCapabilities, BookRun } from './book-run';
import { isCardRefusal } from './failures';
import type { LocalCard, RemoteCard } from './local';
import { fingerprint, uidOf, type FindUid } from './lost-create';
import { holdsOnlyOurs, ownPropertiesAsBase, sameValues, sentTexts } from './own-write';
import type { SentCreate } from '../../shared/sync/types';

/** A create or edit about to go: its text, and what identifies that version (where the server replaces UIDs). */
function sentCreate(run: BookRun, card: LocalCard): SentCreate {
  const print = run.profile.replacesUid ? fingerprint(run.profile.prepareUpload(card.vcard)) : undefined;
  return { id: card.id, revision: card.revision, vcard: card.vcard, ...(print !== undefined ? { print } : {}) };
}

/** GET that answers null for a card that is not there. */
async function getIfThere(run: BookRun, url: string): Promise<FetchedCard | null> {
  return run.client.get(url).catch((e: unknown) => (e instanceof NotFound ? null : Promise.reject(e)));
}

export async function uploadDeletes(run: BookRun, findUid: FindUid): Promise<void> {
  const { report } = run;
  for (const card of run.pending.filter((c) => c.pending === 'deleted')) {
    try {
      await deleteOne(run, card, findUid);
    } catch (e) {
      if (!(await markRefused(run, e, card))) throw e;
    }
    run.uploadedOne();
  }
  run.log(`upload deletes: ${report.deleted}, restored ${report.restored}`);
}

/**
 * One deletion. Only the version seen here is deleted: If-Match, and where the server does not
 * enforce it (Google), the current ETag checked first. A card changed there comes back; a card
 * already gone is simply gone (SabreDAV answers a DELETE with If-Match of a missing card 412, as
 * RFC 7232 says). A create sent before its deletion (its answer may have been lost) is looked for.
 */
async function deleteOne(run: BookRun, card: LocalCard, findUid: FindUid): Promise<void> {
  if (card.href === '') return deleteLostCreate(run, card, findUid);
  // An edit of a card deleted on the server goes up as a new card, where the server puts it; if
  // that answer was lost before the user deleted the card here, the card may be there under another
  // name: looked for, as a create is (seed 21002509: Google relocates a PUT create).
  if (card.attempted === true && (await getIfThere(run, run.url(card.href))) === null) return deleteLostCreate(run, card, findUid);
  await deleteAt(run, card, card.href, card.etag);
}

/** The deletion of a card whose create (or re-create) may have landed with its answer lost. */
async function deleteLostCreate(run: BookRun, card: LocalCard, findUid: FindUid): Promise<void> {
  const { local, report, profile } = run;
  const uid = uidOf(card.vcard);
  const stored = card.attempted === true && uid !== undefined ? await findUid(uid, card.sentPrint ?? fingerprint(profile.prepareUpload(card.vcard))) : undefined;
  if (stored === undefined) {
    await local.deleted(card.id, card.revision);
    report.deleted++;
    return;
  }
  const href = decodeHref(stored.href);
  if (!ourVersion(run, stored.vcard, card)) {
    // Another client edited it since it went up (its answer lost): the edit wins, as below.
    await local.restored(card.id, { href, etag: stored.etag, vcard: keepLocalOnly(stored.vcard, card.vcard, profile.localOnly) }, card.revision);
    report.restored++;
    run.restored.add(href);
    run.log(`upload deletes: ${href} was edited on the server since it was sent, restored`);
    return;
  }
  // Found as sent: deleted as a card seen here is, so another client's edit of it between the
  // look-up and the DELETE (a 412) brings it back rather than being taken for a refusal.
  await deleteAt(run, card, href, stored.etag);
}

/** Delete the card at `href` if it is still the version seen here (`etag`); a version changed there comes back. */
async function deleteAt(run: BookRun, card: LocalCard, href: string, etag: string): Promise<void> {
  const { client, local, report, profile } = run;
  const url = run.url(href);
  let changedThere: FetchedCard | null | undefined;
  // Where If-Match is not enforced, and where the version here has no ETag (read back after another
  // client's write, to be merged next time), the version there is compared before it goes.
  if (!profile.enforcesIfMatch || etag === '') {
    const current = await getIfThere(run, url);
    if (current === null || current.etag !== etag) changedThere = current;
  }
  if (changedThere === undefined) {
    try {
      await client.delete(url, etag || null);
      await local.deleted(card.id, card.revision);
      report.deleted++;
      return;
    } catch (e) {
      if (!(e instanceof PreconditionFailed)) throw e;
      changedThere = await getIfThere(run, url);
    }
  }
  if (changedThere !== null && ourVersion(run, changedThere.vcard, card)) {
    // What changed it was our own write, whose answer was lost before the user deleted the card:
    // that version is the one seen here, and it goes.
    await client.delete(url, changedThere.etag || null);
    changedThere = null;
  }
  if (changedThere === null) {
    await local.deleted(card.id, card.revision);
    report.deleted++;
    return;
  }
  // Edited on the server after we last saw it: the edit wins and the contact comes back.
  const vcard = keepLocalOnly(changedThere.vcard, card.vcard, profile.localOnly);
  await local.restored(card.id, { href, etag: changedThere.etag, vcard }, card.revision);
  report.restored++;
  run.restored.add(href);
  run.log(`upload deletes: ${href} changed on the server, restored`);
}

/** The server's version holds nothing the card here does not (see `holdsOnlyOurs`). */
function ourVersion(run: BookRun, serverVcard: string, card: LocalCard): boolean {
  return holdsOnlyOurs(serverVcard, card, run.profile.localOnly, run.profile.prepareUpload);
}

/**
 * Creates and edits. Both are marked as attempted first (one store write, with the text sent): a
 * create whose answer is lost is looked for on the next run instead of being sent twice, and an
 * edit whose answer is lost is recognised as our own write, not another client's.
 */
export async function uploadDirty(run: BookRun, caps: BookCapabilities, findUid: FindUid): Promise<void> {
  const { report, profile } = run;
  const creates = run.pending.filter((c) => c.pending === 'created');
  // Creates never sent are marked at once (one store write); one sent before is marked again only
  // once it is known not to be there (until then, what was sent then is what may be there).
  const fresh = creates.filter((c) => c.attempted !== true);
  const edits = run.pending.filter((c) => c.pending === 'updated' && c.sentVcard !== c.vcard);
  // Deleted outright meanwhile (a create never sent): not sent, or it would be on the server with
  // nothing here that knows it (seed 15000165).
  const gone = new Set(fresh.length + edits.length > 0 ? await run.local.attempting([...fresh, ...edits].map((c) => sentCreate(run, c))) : []);
  for (const card of run.pending.filter((c) => (c.pending === 'created' || c.pending === 'updated') && !gone.has(c.id))) {
    try {
      const addMember = addMemberUrl(run.bookUrl, caps.addMember) ?? (profile.postToCollection ? run.bookUrl : null);
      if (card.pending === 'created') await uploadNew(run, addMember, card, findUid);
      else if (!(await uploadEdit(run, run.url(card.href), card, findUid))) continue;
      report.uploaded++;
    } catch (e) {
      if (!(await markRefused(run, e, card))) throw e;
    } finally {
      run.uploadedOne();
    }
  }
  run.log(`upload creates and edits: ${report.uploaded}, conflicts ${report.conflicts}, failed ${report.failed}`);
}

/**
 * Create: POST to add-member where offered, else PUT If-None-Match to an href made from the local
 * id (so a repeated PUT answers 412 rather than making a second card); read it back. A create sent
 * before whose answer was lost is looked for by UID first and adopted when found.
 */
async function uploadNew(run: BookRun, addMember: string | null, card: LocalCard, findUid: FindUid): Promise<void> {
  const { local, profile } = run;
  const uid = uidOf(card.vcard);
  const body = profile.prepareUpload(card.vcard);
  if (card.attempted === true && uid !== undefined) {
    const stored = await findUid(uid, card.sentPrint ?? fingerprint(body));
    if (stored !== undefined) {
      run.log(`upload creates: ${uid} was stored by an earlier attempt, adopted`);
      await adopt(run, card, stored);
      return;
    }
  }
  if (card.attempted === true && (await local.attempting([sentCreate(run, card)])).length > 0) return;
  let written: Written | null = null;
  if (addMember !== null) {
    try {
      const res = await run.client.post(addMember, body);
      if (res.location === null) throw new DavError('POST created a card but gave no Location', 201, addMember);
      written = { location: memberLocation(run.bookUrl, res.location), etag: res.etag, body };
    } catch (e) {
      // DAViCal names a POSTed card after its UID, and a UID with "/" names a collection that does
      // not exist (409): such a card goes to an href of our own.
      if (!(e instanceof Conflict)) throw e;
      run.log(`upload creates: the server refused the POST (${e.status}), created by PUT`);
    }
  }
  written ??= await putNew(run, card, uid, body);
  await readBack(run, card, written, card.vcard);
}

/**
 * A card an earlier attempt stored (its answer was lost) becomes this card's server version. What
 * is there is the version sent then; a save since then stays pending, as an edit of it. Unless
 * another client edited it meanwhile: then the version sent is the base (with no ETag), so the next
 * run fetches or merges that edit instead of writing over it.
 */
async function adopt(run: BookRun, card: LocalCard, stored: RemoteCard): Promise<void> {
  const { profile } = run;
  const href = decodeHref(stored.href);
  run.written.add(href);
  const sent = card.sentVcard;
  const asSent = sent === undefined || sameValues(stored.vcard, sent) || sameValues(stored.vcard, profile.prepareUpload(sent));
  const remote = asSent ? { href, etag: stored.etag, vcard: keepLocalOnly(stored.vcard, card.vcard, profile.localOnly) } : { href, etag: '', vcard: sent };
  if (!asSent) run.log(`upload: ${href} was edited on the server since it was sent; merged next time`);
  await run.local.uploaded(card.id, remote, card.sentRevision ?? -1);
}

/** What a write left on the server: where, the ETag it answered (if any), and the body sent. */
interface Written {
  readonly location: string;
  readonly etag: string | null;
  readonly body: string;
}

/** PUT If-None-Match to `<local id>.vcf`; a 412 there is our own earlier attempt if the UID matches. */
async function putNew(run: BookRun, card: LocalCard, uid: string | undefined, body: string): Promise<Written> {
  const { client } = run;
  // Inside the collection even when the book's URL was given without its trailing slash.
  const at = new URL(`${encodeURIComponent(card.id)}.vcf`, run.bookUrl.endsWith('/') ? run.bookUrl : `${run.bookUrl}/`).href;
  try {
    const res = await client.put(at, body, { ifNoneMatch: '*' });
    return { location: res.location === null ? at : memberLocation(run.bookUrl, res.location), etag: res.etag, body };
  } catch (e) {
    // Already there: our own earlier attempt if the UID matches; otherwise a real clash.
    if (!(e instanceof PreconditionFailed)) throw e;
    const there = await client.get(at);
    if (uid === undefined || uidOf(there.vcard) !== uid) throw e;
    run.log(`upload creates: ${at} was stored by an earlier attempt, adopted`);
    return { location: at, etag: there.etag, body: there.vcard };
  }
}

/**
 * Servers rewrite cards (Radicale always), replace the UID (Google) and relocate them (a 201 with
 * `Location`): keep what they stored, under their href, plus what they do not store at all. But
 * another client may have written between our write and our read: then the card read is not ours,
 * and what goes to the store is what we wrote (with the ETag our write answered, or none), so the
 * next run merges the other client's change instead of taking it for ours.
 */
async function readBack(run: BookRun, card: LocalCard, written: Written, sent: string, seenBase?: string): Promise<void> {
  const href = decodeHref(new URL(written.location).pathname);
  const stored = await readWritten(run, written.location);
  const ours = stored !== null && (written.etag !== null ? stored.etag === written.etag : sameValues(stored.vcard, written.body));
  const remote = stored !== null && ours ? { href, etag: stored.etag, vcard: stored.vcard } : { href, etag: written.etag ?? '', vcard: written.body };
  if (!ours) run.log(`upload: ${href} ${stored === null ? 'could not be read back' : 'changed on the server right after our write'}; merged next time`);
  run.written.add(href);
  await run.local.uploaded(card.id, { ...remote, vcard: keepLocalOnly(remote.vcard, sent, run.profile.localOnly), ...(seenBase !== undefined ? { seenBase } : {}) }, card.revision);
}

/**
 * The card just written, or null when reading it back was refused (a 4xx, or gone already): the
 * write landed, so that is no refusal of the card, which is on the server as we wrote it. Errors
 * that stop the run still stop it (a create is then looked for by UID next time).
 */
async function readWritten(run: BookRun, url: string): Promise<FetchedCard | null> {
  let read: FetchedCard;
  try {
    read = await run.client.get(url);
  } catch (e) {
    if (!isCardRefusal(e)) throw e;
    run.log(`upload: reading ${url} back was refused: ${(e as Error).message}`);
    return null;
  }
  // An answer cut off or spoilt on the way is no version to keep: it would be the base of every
  // later merge, and fail each run that reads it.
  try {
    parseVCard(read.vcard);
  } catch (e) {
    run.log(`upload: what ${url} read back is no card (${(e as Error).message}); what we wrote is kept`);
    return null;
  }
  return read;
}

function readable(vcard: string): boolean {
  try {
    parseVCard(vcard);
    return true;
  } catch {
    return false;
  }
}

/**
 * Edit: check the server's current version first (some servers do not enforce If-Match), merge if
 * it changed, PUT with If-Match; a 412 means it changed in between: merge once more.
 * Returns false when the card now waits for the user.
 */
async function uploadEdit(run: BookRun, url: string, card: LocalCard, findUid: FindUid): Promise<boolean> {
  const { client, local, report, profile } = run;
  let etag = card.etag;
  let vcard = card.vcard;
  let mergedWith: string | null = null;
  // Another client's change merged into what goes up: the version this computer last saw is kept
  // with it, for a deletion made here meanwhile (seed 21002458).
  let othersMerged = false;
  // What the server does not store is not a deletion on the server's side.
  const serverSide = (text: string) => keepLocalOnly(text, card.base || card.vcard, profile.localOnly);
  // Every text an attempt of this edit sent with no answer seen, as sent and as prepared.
  const sent = sentTexts(card).flatMap((t) => [t, profile.prepareUpload(t)]);
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = await getIfThere(run, url);
    if (current !== null && !readable(current.vcard)) {
      // The server's copy cannot be read (broken there, or spoilt on the way): nothing to merge
      // with and nothing to write over. The edit waits here, pending, and the rest of the book
      // syncs; once the server's copy reads again the edit merges with it and goes up.
      run.log(`upload edits: ${card.href} on the server cannot be read; the edit here waits`);
      run.unreadable.add(card.href);
      run.report.unreadable = run.unreadable.size;
      // The status names it: the user knows which contact's edit waits.
      run.waitingUnreadable.set(card.href, nameOf(card.vcard));
      run.report.waitingUnreadable = [...run.waitingUnreadable.values()];
      return false;
    }
    // The server holding a text we sent, not the one we hold now: our own write, whose answer was lost.
    const ownLostWrite = current !== null && !sameValues(current.vcard, card.vcard) && sent.some((t) => sameValues(current.vcard, t));
    if (current !== null && card.base !== '' && card.vcard === card.base && !ownLostWrite) {
      // Nothing changed here (an undone deletion, compared again): the server's version, as it is.
      // Unless what changed there is our own lost write and the user went back since (a restore of
      // the version before it): then going back is the edit (seed 19000381). Where another
      // client changed it since this computer last saw it, the version seen goes with it, for a
      // deletion made here meanwhile: that deletion had not seen the change (seed 27002261).
      const changedThere = current.etag !== card.etag ? { seenBase: card.base } : {};
      await local.uploaded(card.id, { href: decodeHref(new URL(url).pathname), etag: current.etag, vcard: serverSide(current.vcard), ...changedThere }, card.revision);
      return true;
    }
    if (current === null) {
      // Deleted on the server meanwhile: our edit brings it back as a new card, where the server
      // puts it (Google stores a PUT create elsewhere and says where in Location). An earlier
      // attempt whose answer was lost may have done so already: looked for first, as a create is.
      const body = profile.prepareUpload(vcard);
      const uid = uidOf(vcard);
      if (card.attempted === true && uid !== undefined) {
        const stored = await findUid(uid, card.sentPrint ?? fingerprint(body));
        if (stored !== undefined && decodeHref(stored.href) !== card.href) {
          run.log(`upload edits: ${card.href} was stored again elsewhere by an earlier attempt, adopted`);
          await adopt(run, card, stored);
          return true;
        }
      }
      const res = await client.put(url, body, { ifNoneMatch: '*' });
      await readBack(run, card, { location: res.location === null ? url : memberLocation(run.bookUrl, res.location), etag: res.etag, body }, vcard);
      return true;
    }
    if (current.etag !== etag) {
      const theirs = serverSide(current.vcard);
      // Our own earlier write of this edit, whose answer was lost: the base, not another client's change.
      // Any text an attempt sent may have landed (the last one's answer lost, or an earlier one's).
      const ownWrite = sent.some((t) => sameValues(current.vcard, t));
      // After a merge and a 412, `vcard` holds the version merged then: its base is what it was
      // merged with, or that merge's changes would count as ours against theirs (seed 15000101).
      const base = mergedWith !== null ? parseVCard(mergedWith) : ownWrite ? parseVCard(theirs) : ownPropertiesAsBase(parseVCard(card.base || theirs), sent, theirs);
      // Group members (MEMBER, X-ADDRESSBOOKSERVER-MEMBER) and CATEGORIES merge as sets: a member
      // added here and another removed there are both kept, never a question.
      const merged = mergeCards(serializeVCard(base), vcard, theirs);
      const text = serializeVCard(merged.card);
      if (merged.conflicts.length > 0) {
        await local.conflicted(card.id, text, { href: decodeHref(new URL(url).pathname), etag: current.etag, vcard: theirs }, merged.conflicts, card.revision);
        report.conflicts++;
        return false;
      }
      vcard = text;
      mergedWith = theirs;
      etag = current.etag;
      if (!ownWrite) othersMerged = true;
    }
    const body = profile.prepareUpload(vcard);
    let res: { etag: string | null };
    try {
      res = await client.put(url, body, { ifMatch: etag });
    } catch (e) {
      if (e instanceof PreconditionFailed) continue;
      throw e;
    }
    await readBack(run, card, { location: url, etag: res.etag, body }, vcard, othersMerged && card.base !== '' ? card.base : undefined);
    return true;
  }
  // It kept changing on the server while we merged: not a refusal; it stays pending for the next run.
  run.log(`upload edits: ${card.href} kept changing on the server, left for the next run`);
  return false;
}

/** A refusal of this card alone (`isCardRefusal`): marked and kept. False for errors that stop the run. */
async function markRefused(run: BookRun, e: unknown, card: LocalCard): Promise<boolean> {
  if (!isCardRefusal(e)) return false;
  await run.local.failed(card.id, e.message, card.revision);
  run.report.failed++;
  return true;
}

/** A contact's name as the list shows it (the card here; '' when it cannot be read). */
function nameOf(vcard: string): string {
  try {
    return displayName(toContact(parseVCard(vcard)));
  } catch {
    return '';
  }
}
