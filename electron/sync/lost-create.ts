/**
 * Finding a create whose answer was lost: the card may be on the server already, and must be
 * adopted rather than sent twice. By UID where the server keeps it, by content (name, e-mail
 * addresses, phone numbers) where the server replaces UIDs (Google).
 */
import { parseVCard } from '../../shared/vcard';
import { DavError, NetworkError } from '../dav/errors';
import type { BookRun } from './book-run';
import type { RemoteCard } from './local';

/** The server's card for this UID (`sent`: the body that was uploaded), if it is there. */
export type FindUid = (uid: string, sent: string) => Promise<RemoteCard | undefined>;

export function uidOf(vcard: string): string | undefined {
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
export function uidFinder(run: BookRun, syncCollection: boolean): FindUid {
  const { client, bookUrl, state, local, profile } = run;
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
