/**
 * What the sync takes from the large answers, read from their text: a sync-collection REPORT, an
 * addressbook-multiget, a PROPFIND listing of a book. Plain functions of the text and the request
 * (no client, no I/O) returning plain data, so that the same code runs inline on the main thread
 * and in the answer reader's worker (`reader-pool.ts`), and their results cross the thread
 * boundary by structured clone unchanged.
 */
import { decodeHref, parseMultistatus, propKey } from './multistatus';
import { isMember } from './url-policy';
import { NS } from './xml';
import type { DerivedCard } from '../../shared/sync/types';

export interface SyncChanges {
  /** `vcard` is there when the card's data was asked for and the server sent it. */
  /** `derived`: the card's list fields and stored text, when the job asked for them (`derive`). */
  changed: { href: string; etag: string; vcard?: string; derived?: DerivedCard }[];
  removed: string[];
  token: string | null;
  /** 507 on the request-URI: more changes remain (RFC 6578 §3.6). */
  truncated: boolean;
  /** Hrefs the server listed as cards that lie outside the book (another collection or origin):
   * never fetched or kept, but counted, so the user is told. */
  outside: string[];
}

export interface FetchedCard {
  href: string;
  etag: string;
  vcard: string;
}

/** A multiget's answer: the cards, those answered as not there, and those it did not answer for. */
export interface MultigetAnswer {
  cards: FetchedCard[];
  missing: string[];
  unanswered: string[];
}

export interface Listing {
  members: { href: string; etag: string }[];
  token: string | null;
  outside: string[];
}

export function sameHref(a: string, b: string): boolean {
  const norm = (x: string) => decodeHref(x).replace(/\/+$/, '');
  return norm(a) === norm(b);
}

/** A listed resource outside the book (not the book itself, not a deletion): refused, and counted. */
function listedOutside(bookUrl: string, self: string, r: { href: string; status: number | null }): boolean {
  return !sameHref(r.href, self) && r.status !== 404 && r.status !== 410 && !isMember(bookUrl, r.href);
}

/** A sync-collection answer (`url`: where it came from, for errors). */
export function readSyncChanges(text: string, url: string, bookUrl: string, withData: boolean): SyncChanges {
  const ms = parseMultistatus(text, url);
  const self = decodeHref(new URL(bookUrl).pathname);
  const out: SyncChanges = { changed: [], removed: [], token: ms.syncToken, truncated: false, outside: [] };
  for (const r of ms.responses) {
    if (sameHref(r.href, self)) {
      if (r.status === 507) out.truncated = true;
      continue;
    }
    if (!isMember(bookUrl, r.href)) {
      // not a card of this book: never fetched or kept, but the user is told
      if (listedOutside(bookUrl, self, r) && r.props.has(propKey(NS.DAV, 'getetag'))) out.outside.push(r.href);
      continue;
    }
    const etag = r.props.get(propKey(NS.DAV, 'getetag'))?.text.trim();
    const vcard = withData ? r.props.get(propKey(NS.CARDDAV, 'address-data'))?.text : undefined;
    if (r.status === 404 || r.status === 410) out.removed.push(r.href);
    else if (etag !== undefined) out.changed.push(vcard === undefined ? { href: r.href, etag } : { href: r.href, etag, vcard });
  }
  return out;
}

/** An addressbook-multiget answer for `hrefs`. */
export function readMultiget(text: string, url: string, bookUrl: string, hrefs: readonly string[]): MultigetAnswer {
  const ms = parseMultistatus(text, url);
  const cards: FetchedCard[] = [];
  const answered = new Set<string>();
  for (const r of ms.responses) {
    if (!isMember(bookUrl, r.href)) continue;
    answered.add(decodeHref(r.href));
    const data = r.props.get(propKey(NS.CARDDAV, 'address-data'))?.text;
    const etag = r.props.get(propKey(NS.DAV, 'getetag'))?.text.trim() ?? '';
    if (data !== undefined && r.status !== 404) cards.push({ href: r.href, etag, vcard: data });
  }
  const got = new Set(cards.map((c) => decodeHref(c.href)));
  const rest = hrefs.filter((h) => !got.has(decodeHref(h)));
  return { cards, missing: rest.filter((h) => answered.has(decodeHref(h))), unanswered: rest.filter((h) => !answered.has(decodeHref(h))) };
}

/** A Depth 1 PROPFIND of getetag and sync-token on the book: every member's ETag, and the token. */
export function readListing(text: string, url: string, bookUrl: string): Listing {
  const { responses } = parseMultistatus(text, url);
  const self = decodeHref(new URL(bookUrl).pathname);
  const own = responses.find((x) => sameHref(x.href, self));
  const members = responses
    .filter((x) => !sameHref(x.href, self) && isMember(bookUrl, x.href))
    .map((x) => ({ href: x.href, etag: x.props.get(propKey(NS.DAV, 'getetag'))?.text.trim() ?? '' }))
    .filter((x) => x.etag !== '');
  const outside = responses.filter((x) => listedOutside(bookUrl, self, x) && x.props.has(propKey(NS.DAV, 'getetag'))).map((x) => x.href);
  return { members, token: own?.props.get(propKey(NS.DAV, 'sync-token'))?.text.trim() || null, outside };
}
