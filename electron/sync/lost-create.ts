/**
 * Finding a create whose answer was lost: the card may be on the server already, and must be
 * adopted rather than sent twice. By UID where the server keeps it, by content (name, e-mail
 * addresses, phone numbers) where the server replaces UIDs (Google).
 */
import { cardUid, parseVCard } from '../../shared/vcard';
import { DavError, NetworkError } from '../dav/errors';
import type { BookRun } from './book-run';
import { askAgain } from './download';
import type { RemoteCard } from './local';

/** A refusal of the request, not trouble of the network or the account: another way may work. */
function worthAListing(e: unknown): boolean {
  return e instanceof DavError && !(e instanceof NetworkError) && e.status !== 401 && e.status !== 429 && e.status !== 503;
}

/** The server's card for this UID, or (where the server replaces UIDs) with this fingerprint of the version that was sent. */
export type FindUid = (uid: string, print: string | undefined) => Promise<RemoteCard | undefined>;

/**
 * The lookup itself failed (not the card): never a refusal of the card, which stays pending and
 * is looked for again on the next run rather than sent a second time.
 */
export class LostCreateLookupFailed extends Error {
  override name = 'LostCreateLookupFailed';
  constructor(override readonly cause: unknown) {
    super(`looking for a card sent before failed: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/** A card's UID (shared/vcard/uid.ts: read by the parser), undefined where none or unreadable. */
export const uidOf = cardUid;

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
 * that replaces UIDs (Google) is searched the second way, by content. Whatever fails in the lookup
 * fails as `LostCreateLookupFailed`.
 */
export function uidFinder(run: BookRun, syncCollection: boolean): FindUid {
  const { client, bookUrl, profile } = run;
  let queryWorks = !profile.replacesUid;
  let recent: Promise<Recent> | null = null;
  let names: Map<string, number> | null = null;
  /** The names of the creates waiting here, counted. */
  const creatingNames = () => {
    if (names !== null) return names;
    names = new Map();
    for (const c of run.pending) {
      if (c.pending !== 'created') continue;
      const print = c.sentPrint ?? fingerprint(profile.prepareUpload(c.vcard));
      if (print !== undefined) names.set(nameOfPrint(print), (names.get(nameOfPrint(print)) ?? 0) + 1);
    }
    return names;
  };
  const find: FindUid = async (uid, f) => {
    if (queryWorks) {
      try {
        return (await client.findByUid(bookUrl, uid))[0];
      } catch (e) {
        if (!worthAListing(e)) throw e;
        queryWorks = false;
      }
    }
    recent ??= recentCards(run, syncCollection);
    const { byUid, byPrint, byName } = await recent;
    const found = byUid.get(uid);
    if (found !== undefined || !profile.replacesUid) return found;
    let match = f === undefined ? undefined : byPrint.get(f);
    // Another client may have edited it before this run (an e-mail address, a number): then the
    // one new card of that name, where there is exactly one and nothing here has that name pending
    // as well, is it (the next run merges that client's edit with ours).
    if (match === undefined && f !== undefined) {
      const named = byName.get(nameOfPrint(f)) ?? [];
      if (named.length === 1 && (creatingNames().get(nameOfPrint(f)) ?? 0) <= 1) match = named[0];
    }
    // Adopted once: a second lost create with the same content must not claim the same card.
    if (match !== undefined) {
      const print = fingerprint(match.vcard);
      if (print !== undefined) byPrint.delete(print);
      byName.delete(nameOfPrint(print ?? ''));
    }
    return match;
  };
  return async (uid, print) => {
    try {
      return await find(uid, print);
    } catch (e) {
      recent = null; // a failed listing is not kept for the next card
      throw new LostCreateLookupFailed(e);
    }
  };
}

interface Recent {
  byUid: Map<string, RemoteCard>;
  byPrint: Map<string, RemoteCard>;
  /** The name part of each card's fingerprint → the cards of that name. */
  byName: Map<string, RemoteCard[]>;
}

/** The name in a fingerprint (`fingerprint`: name, then e-mail addresses, then numbers). */
/** The name part of a fingerprint (name, e-mail addresses, numbers). */
export function nameOfPrint(print: string): string {
  return print.split('|').slice(0, -2).join('|');
}

/** The cards on the server that are not here: fetched, by UID and by content. */
async function recentCards(run: BookRun, syncCollection: boolean): Promise<Recent> {
  const { client, bookUrl, local } = run;
  const known = await local.knownEtags();
  const hrefs = (await listedSinceLastSync(run, syncCollection)).filter((c) => !known.has(c.href)).map((c) => c.href);
  const out: Recent = { byUid: new Map(), byPrint: new Map(), byName: new Map() };
  for (let i = 0; i < hrefs.length; i += 100) {
    const got = await client.multiget(bookUrl, hrefs.slice(i, i + 100));
    // A card the server did not answer for may be the one looked for: asked again, and if still
    // unanswered the lookup cannot tell (it fails, and the create waits for the next run).
    const again = await askAgain(run, got.unanswered);
    if (again.unanswered.length > 0) throw new Error(`the server did not answer for ${again.unanswered.length} card(s)`);
    for (const c of [...got.cards, ...again.cards]) {
      const u = uidOf(c.vcard);
      if (u !== undefined) out.byUid.set(u, c);
      const f = fingerprint(c.vcard);
      if (f !== undefined) {
        out.byPrint.set(f, c);
        const name = nameOfPrint(f);
        if (name !== '') out.byName.set(name, [...(out.byName.get(name) ?? []), c]);
      }
    }
  }
  return out;
}

/**
 * What changed since the last sync: every page of a sync-collection from the token (507 goes on
 * from the token it gives), or, without a token or when it is no longer good, every member.
 */
async function listedSinceLastSync(run: BookRun, syncCollection: boolean): Promise<{ href: string }[]> {
  const { client, bookUrl, state, profile } = run;
  if (syncCollection && state.syncToken !== null) {
    try {
      const changed: { href: string }[] = [];
      let from = state.syncToken;
      for (;;) {
        const page = await client.syncCollection(bookUrl, from);
        changed.push(...page.changed);
        if (!page.truncated || page.token === null || page.token === from) return changed;
        from = page.token;
      }
    } catch (e) {
      // An invalid token (in any of its forms, Xandikos's 500 too): the full listing is always right.
      if (!worthAListing(e)) throw e;
      run.log('upload creates: the changes since the last sync cannot be listed, looking in a full listing');
    }
  }
  return profile.listingForFullSync ? (await client.listing(bookUrl)).members : client.listEtags(bookUrl);
}
