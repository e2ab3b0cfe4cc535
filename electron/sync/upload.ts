/**
 * The upload phases of a book's run: the offline queue goes up before anything comes down.
 * Deletions first (a 412 means the server edited the card: the edit wins and it comes back), then
 * creates and edits. A card the server refuses is marked and the run goes on.
 */
import { keepLocalOnly, merge, parseVCard, serializeVCard } from '../../shared/vcard';
import { decodeHref } from '../dav/multistatus';
import { DavError, NotFound, PreconditionFailed } from '../dav/errors';
import { addMemberUrl, memberLocation } from '../dav/url-policy';
import type { BookCapabilities, BookRun } from './book-run';
import { isCardRefusal } from './failures';
import type { LocalCard } from './local';
import { uidFinder, uidOf, type FindUid } from './lost-create';

export async function uploadDeletes(run: BookRun): Promise<void> {
  const { client, local, report } = run;
  for (const card of run.pending.filter((c) => c.pending === 'deleted')) {
    try {
      if (card.href !== '') await client.delete(run.url(card.href), card.etag || null);
      await local.deleted(card.id);
      report.deleted++;
    } catch (e) {
      if (e instanceof PreconditionFailed) {
        // Edited on the server after we last saw it: the edit wins and the contact comes back.
        const remote = await client.get(run.url(card.href));
        await local.applyRemote({ upserts: [{ ...remote, href: card.href }], deletes: [] });
        report.restored++;
        run.log(`upload deletes: ${card.href} changed on the server, restored`);
      } else if (!(await markRefused(run, e, card))) throw e;
    }
    run.uploadedOne();
  }
  run.log(`upload deletes: ${report.deleted}`);
}

/**
 * Creates and edits. Creates are marked as attempted first (one store write), so a create whose
 * answer is lost is looked for on the next run instead of being sent twice.
 */
export async function uploadDirty(run: BookRun, caps: BookCapabilities): Promise<void> {
  const { report, profile } = run;
  const creates = run.pending.filter((c) => c.pending === 'created');
  const findUid = uidFinder(run, caps.syncCollection);
  if (creates.some((c) => c.attempted !== true)) await run.local.attempting(creates.filter((c) => c.attempted !== true).map((c) => c.id));
  for (const card of run.pending.filter((c) => c.pending === 'created' || c.pending === 'updated')) {
    try {
      const addMember = addMemberUrl(run.bookUrl, caps.addMember) ?? (profile.postToCollection ? run.bookUrl : null);
      if (card.pending === 'created') await uploadNew(run, addMember, card, findUid);
      else if (!(await uploadEdit(run, run.url(card.href), card))) continue;
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
  const { client, local, profile } = run;
  const uid = uidOf(card.vcard);
  const body = profile.prepareUpload(card.vcard);
  if (card.attempted === true && uid !== undefined) {
    const stored = await findUid(uid, body);
    if (stored !== undefined) {
      run.log(`upload creates: ${uid} was stored by an earlier attempt, adopted`);
      await local.uploaded(card.id, { href: decodeHref(stored.href), etag: stored.etag, vcard: keepLocalOnly(stored.vcard, card.vcard, profile.localOnly) });
      return;
    }
  }
  let location: string;
  if (addMember !== null) {
    const res = await client.post(addMember, body);
    if (res.location === null) throw new DavError('POST created a card but gave no Location', 201, addMember);
    location = memberLocation(run.bookUrl, res.location);
  } else {
    // Inside the collection even when the book's URL was given without its trailing slash.
    location = new URL(`${encodeURIComponent(card.id)}.vcf`, run.bookUrl.endsWith('/') ? run.bookUrl : `${run.bookUrl}/`).href;
    try {
      const res = await client.put(location, body, { ifNoneMatch: '*' });
      if (res.location !== null) location = memberLocation(run.bookUrl, res.location);
    } catch (e) {
      // Already there: our own earlier attempt if the UID matches; otherwise a real clash.
      if (!(e instanceof PreconditionFailed)) throw e;
      const there = await client.get(location);
      const theirs = uidOf(there.vcard);
      if (uid === undefined || theirs !== uid) throw e;
      run.log(`upload creates: ${location} was stored by an earlier attempt, adopted`);
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
async function uploadEdit(run: BookRun, url: string, card: LocalCard): Promise<boolean> {
  const { client, local, report, profile } = run;
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

/** A refusal of this card alone (`isCardRefusal`): marked and kept. False for errors that stop the run. */
async function markRefused(run: BookRun, e: unknown, card: LocalCard): Promise<boolean> {
  if (!isCardRefusal(e)) return false;
  await run.local.failed(card.id, e.message);
  run.report.failed++;
  return true;
}
