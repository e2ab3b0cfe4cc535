/**
 * Which storage a book uses: what its cards already use, else what its server expects. The result
 * is a `BookGroupSetting` the store keeps, so the choice is made once and stays.
 */
import type { BookGroupSetting, CardFacts, GroupStorage } from './types';

/** What the client knows of a book's server when it has to guess. */
export interface ServerSignals {
  /** No account (`local`), a CardDAV server, Google Contacts, or Workspace shared contacts. */
  readonly account: 'local' | 'carddav' | 'google' | 'gdata';
  /** The book's URL. */
  readonly url?: string;
  /** Response headers the client saw from the server (`Server`, `DAV`), lower-case names. */
  readonly headers?: Readonly<Record<string, string | null | undefined>>;
}

/**
 * The storage the cards show: group cards (in the form most of them use) when there are any,
 * else CATEGORIES when a card has some, else null (nothing to go by yet).
 */
export function detectStorage(cards: Iterable<CardFacts>): GroupStorage | null {
  let apple = 0;
  let vcard4 = 0;
  let categories = 0;
  for (const c of cards) {
    if (c.group === 'apple') apple++;
    else if (c.group === 'vcard4') vcard4++;
    else if (c.categories.length > 0) categories++;
  }
  if (apple + vcard4 > 0) return vcard4 > apple ? 'vcard4-cards' : 'apple-cards';
  return categories > 0 ? 'categories' : null;
}

const ICLOUD_HOST = /(^|\.)(icloud\.com|me\.com|mac\.com)$/i;
/** Nextcloud (and ownCloud, its parent) serve DAV under remote.php; its DAV header names `nextcloud-…`/`nc-…` features. */
const NEXTCLOUD_PATH = /\/remote\.php\/(dav|carddav|webdav)(\/|$)/i;
const NEXTCLOUD_DAV = /\b(nextcloud-[a-z-]+|nc-[a-z-]+)\b/i;
const APPLE_SERVER = /\b(AppleHttpServer|iCloud)\b/i;

/** The storage a server expects of a book with no groups yet. */
export function defaultStorage(server: ServerSignals): GroupStorage {
  if (server.account === 'google') return 'google-labels';
  if (server.account === 'gdata') return 'local-only';
  if (server.account === 'local') return 'categories';
  const h = server.headers ?? {};
  // Read by hand: shared code has no URL class. Scheme, authority (user info and port dropped), path.
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)/i.exec(server.url ?? '');
  const host = (m?.[1] ?? '').replace(/^[^@]*@/, '').replace(/:\d*$/, '').replace(/^\[|\]$/g, '');
  const path = m?.[2] ?? '';
  if (ICLOUD_HOST.test(host) || APPLE_SERVER.test(h.server ?? '')) return 'apple-cards';
  if (NEXTCLOUD_PATH.test(path) || NEXTCLOUD_DAV.test(h.dav ?? '')) return 'apple-cards';
  return 'categories';
}

/**
 * The book's setting after looking at its cards: a choice the cards or the user made stays; one
 * that was only the server's default gives way to what the cards show (someone else's client made
 * groups there), so the setting is right once the first download is in. Accounts whose server has
 * one way only (Google, Workspace) keep it. Returns `stored` itself when nothing changes, so the
 * caller writes only when `result !== stored`.
 */
export function resolveSetting(stored: BookGroupSetting | null, cards: Iterable<CardFacts>, server: ServerSignals): BookGroupSetting {
  const fixed = server.account === 'google' || server.account === 'gdata';
  if (fixed) {
    const storage = defaultStorage(server);
    if (stored !== null && stored.storage === storage) return stored;
    return { storage, decidedBy: 'server', empty: stored?.empty ?? [] };
  }
  if (stored !== null && stored.decidedBy !== 'server') return stored;
  const seen = detectStorage(cards);
  if (seen !== null) return { storage: seen, decidedBy: 'cards', empty: stored?.empty ?? [] };
  if (stored !== null) return stored;
  return { storage: defaultStorage(server), decidedBy: 'server', empty: [] };
}

/** Whether a storage's groups reach the server (the window says when they stay here). */
export function storageSyncs(storage: GroupStorage): boolean {
  return storage !== 'local-only';
}
