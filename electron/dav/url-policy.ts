/**
 * One policy for every URL a server names: hrefs in a multistatus, `Location` headers, the
 * add-member URL, the principal, home set and address book hrefs of discovery, the links of a
 * GData entry and feed. A server is trusted with its own account and nothing more:
 *
 * - card operations stay inside the book's collection (same origin, a path under the book's);
 * - discovery stays on the origin the user typed, unless the user confirms a move to another one
 *   (`OriginChangeNeeded` says where; RFC 6764 §8 asks for the confirmation);
 * - credentials never go to another origin (`DavHttp` enforces it on every request and redirect);
 * - whatever is refused, including an href that cannot be parsed, is a `RefusedUrl`: one card's
 *   problem in a sync (the card is marked and the others go on), a failed step in discovery.
 *
 * An href is read as RFC 3986 says: a leading `//` is a network-path reference, `//host/x` the
 * resource `/x` on `host` (with the base's scheme), treated like that absolute URL (used on the
 * same origin, refused as another origin for a card, put to the user in discovery). One exception: Xandikos writes the card it
 * just created as `//alice/…` in Location, meaning a path with a doubled slash; such a reference
 * whose path reading lies under the directory it was answered for (not the server's root) is read
 * as that path. Dot segments, literal or percent-encoded, and backslashes (which URL parsers read
 * as `/`) are refused outright, since no server needs them to name its own resources.
 */
import { DavError } from './errors';

export type RefusalReason = 'unparseable' | 'scheme' | 'other-origin' | 'outside-collection' | 'dot-segment' | 'redirected-write';

/** A URL a server named that Cardinal does not use. Status 0: no request was sent for it. */
export class RefusedUrl extends DavError {
  override name = 'RefusedUrl';
  constructor(
    message: string,
    url: string,
    readonly reason: RefusalReason,
  ) {
    super(message, 0, url);
  }
}

/** A discovery step leads to another origin: the user decides whether the password may go there. */
export class OriginChangeNeeded extends Error {
  override name = 'OriginChangeNeeded';
  constructor(
    /** The origin the user gave (https://example.com). */
    readonly from: string,
    /** The origin the server sends discovery to. */
    readonly to: string,
  ) {
    super(`discovery leads from ${from} to ${to}`);
  }
}

const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…` : s);

/** Percent-decoding that never throws (a malformed escape stays as written). */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * A URL from what a server wrote (an href, a Location, a link), resolved against `base`.
 * `decoded`: the href was already percent-decoded (multistatus hrefs as the engine stores them),
 * so its path is encoded again first.
 */
export function parseServerUrl(href: string, base: string, decoded = false): URL {
  const raw = href.trim();
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (raw === '' || /[\x00-\x1f\x7f\\]/.test(raw)) throw new RefusedUrl(`the server named an unusable address: ${clip(JSON.stringify(raw))}`, raw, 'unparseable');
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(raw);
  if (absolute && !/^https?:\/\//i.test(raw)) throw new RefusedUrl(`the server named a ${raw.split(':')[0]}: address`, raw, 'scheme');
  if (!absolute && raw.startsWith('//')) return networkPath(raw, base, decoded);
  const text = raw;
  const path = absolute ? text.replace(/^https?:\/\/[^/?#]*/i, '') : text;
  const segments = path.split(/[?#]/)[0]!.split('/');
  if (segments.some((s) => /^(?:\.|%2e){1,2}$/i.test(s))) throw new RefusedUrl(`the server named a path with . or .. in it: ${clip(raw)}`, raw, 'dot-segment');
  let url: URL;
  try {
    url = new URL(decoded && !absolute ? encodePath(text) : text, base);
  } catch {
    throw new RefusedUrl(`the server named an address that cannot be read: ${clip(raw)}`, raw, 'unparseable');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RefusedUrl(`the server named a ${url.protocol} address`, raw, 'scheme');
  return url;
}

/**
 * A network-path reference (`//authority/path`): the absolute URL it names (with the base's
 * scheme), unless that is another origin and reading it as a path with a doubled slash lands
 * under the base's directory (not the root): then that path (Xandikos's Location).
 */
function networkPath(raw: string, base: string, decoded: boolean): URL {
  const baseUrl = new URL(base);
  let url: URL | null = null;
  try {
    const m = /^\/\/([^/?#]*)(.*)$/s.exec(raw)!;
    url = new URL(decoded ? `//${m[1]}${encodePath(m[2]!)}` : raw, baseUrl);
  } catch {
    url = null; // not readable as host and path (`//host:99999/x`); perhaps as a path
  }
  const dir = decodedPath(baseUrl.pathname.replace(/[^/]*$/, ''));
  const asPath = raw.replace(/^\/{2,}/, '/');
  if ((url === null || url.origin !== baseUrl.origin) && dir !== '/' && decodedPath(asPath.split(/[?#]/)[0]!).startsWith(dir)) return parseServerUrl(asPath, base, decoded);
  if (url === null) throw new RefusedUrl(`the server named an address that cannot be read: ${clip(raw)}`, raw, 'unparseable');
  // The absolute URL it names: what is done with another origin is the caller's (refused for a
  // card, put to the user in discovery), as for any absolute URL there.
  return parseServerUrl(url.href, base);
}

/** The collection's path with its trailing slash, decoded (hrefs are compared decoded: Google's carry a raw `@`). */
function collectionPath(bookUrl: string): string {
  const p = decodedPath(new URL(bookUrl).pathname);
  return p.endsWith('/') ? p : `${p}/`;
}

/** `url` is the book itself (`self`) or a resource inside its collection, on its origin. */
function within(bookUrl: string, url: URL, allowSelf: boolean): boolean {
  const book = new URL(bookUrl);
  if (url.origin !== book.origin) return false;
  const path = decodedPath(url.pathname);
  const base = collectionPath(bookUrl);
  if (path.split('/').some((s) => s === '.' || s === '..')) return false;
  return allowSelf && (path === base || `${path}/` === base) ? true : path.startsWith(base) && path.length > base.length;
}

function confine(bookUrl: string, url: URL, raw: string): string {
  if (url.origin !== new URL(bookUrl).origin) throw new RefusedUrl(`the server named a card on another origin (${url.origin}); Cardinal only works inside ${new URL(bookUrl).origin}`, raw, 'other-origin');
  if (!within(bookUrl, url, false)) throw new RefusedUrl(`the server named a card outside this address book: ${clip(decodedPath(url.pathname))}`, raw, 'outside-collection');
  return url.href;
}

/** The URL of a member of the book from its href as the engine stores it (percent-decoded). */
export function memberUrl(bookUrl: string, href: string): string {
  return confine(bookUrl, parseServerUrl(href, bookUrl, true), href);
}

/** The URL of a member of the book from a `Location` the server answered with (as written). */
export function memberLocation(bookUrl: string, location: string, base: string = bookUrl): string {
  return confine(bookUrl, parseServerUrl(location, base), location);
}

/** Whether a listed href (percent-decoded) names a member of the book; listings are read only for those. */
export function isMember(bookUrl: string, href: string): boolean {
  try {
    memberUrl(bookUrl, href);
    return true;
  } catch (e) {
    if (e instanceof RefusedUrl) return false;
    throw e;
  }
}

/**
 * The collection's RFC 5995 add-member URL, when it is the collection or inside it (a query
 * allowed); anything else is not used (cards are then PUT into the collection instead).
 */
export function addMemberUrl(bookUrl: string, href: string | null): string | null {
  if (href === null) return null;
  try {
    const url = parseServerUrl(href, bookUrl);
    return within(bookUrl, url, true) ? url.href : null;
  } catch (e) {
    if (e instanceof RefusedUrl) return null;
    throw e;
  }
}

/** A resource under `prefix` (a URL ending in `/`), on its origin: GData's entry, photo and feed links. */
export function underPrefix(prefix: string, href: string, what: string): string {
  const url = parseServerUrl(href, prefix);
  const p = new URL(prefix);
  if (url.origin !== p.origin) throw new RefusedUrl(`the server named a ${what} on another origin (${url.origin})`, href, 'other-origin');
  if (!decodedPath(url.pathname).startsWith(decodedPath(p.pathname))) throw new RefusedUrl(`the server named a ${what} outside this directory: ${clip(url.pathname)}`, href, 'outside-collection');
  return url.href;
}

/** Encode a decoded path for use in a URL or an href element (keeps `/` and `@`). */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/%40/g, '@'))
    .join('/');
}
