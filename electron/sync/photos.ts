/**
 * Photos given as URIs (Google gives `lh3.googleusercontent.com` links; any card may name any
 * URL), fetched by the main process when the window shows that contact (the list draws initials;
 * only the contact being shown asks). A card is untrusted input, so:
 * - https, or http only to the book's own host (on loopback or where the user allowed http);
 * - no loopback, private, link-local or other internal address unless the book itself lives on
 *   that host (`photo-fetch.ts` checks the address the connection really uses);
 * - the account's credentials only on the book's own origin; elsewhere a plain request;
 * - images only: a JPEG, PNG, GIF or WebP by its declared type and its first bytes; at most 5 MB.
 * Photos are kept per book (one account's photo is never handed to another's book); a failure is
 * kept only for a few minutes.
 */
import { lookup } from 'node:dns/promises';
import { DavHttp } from '../dav/http';
import type { AccountStore } from './accounts';
import type { Connections } from './connections';
import { guardedFetch, isInternalAddress } from './photo-fetch';

/** Photos kept in memory; the oldest goes first. */
const PHOTOS_KEPT = 500;
/** How long a photo that could not be had is not asked again. */
const FAILURE_KEPT_MS = 5 * 60_000;
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

/** The image types shown, by their first bytes (a declared type alone is the server's word). */
const SIGNATURES: Readonly<Record<string, (b: Uint8Array) => boolean>> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x),
  'image/gif': (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38,
  'image/webp': (b) => String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP',
};

/** The data: URI of an image answer, or null when it is no image of a shown type. */
export function imageDataUri(contentType: string | null, bytes: Uint8Array): string | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  const matches = SIGNATURES[type];
  if (matches === undefined || bytes.length === 0 || !matches(bytes)) return null;
  return `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
}

export interface PhotoLoaderOptions {
  readonly accounts: AccountStore;
  readonly connections: Connections;
  /** fetch for every request (tests count them); the address check still applies. */
  readonly fetch?: typeof fetch;
  readonly log?: (line: string) => void;
  readonly now?: () => number;
}

export class PhotoLoader {
  /** By book and URI: a data: URI, or null (with when) when none could be had. */
  private readonly photos = new Map<string, { readonly data: string | null; readonly at: number }>();

  constructor(private readonly opts: PhotoLoaderOptions) {}

  async load(bookId: string, uri: string): Promise<string | null> {
    const now = this.opts.now ?? Date.now;
    const key = `${bookId}\n${uri}`;
    const cached = this.photos.get(key);
    if (cached !== undefined && (cached.data !== null || now() - cached.at < FAILURE_KEPT_MS)) return cached.data;
    let result: string | null = null;
    try {
      result = await this.fetchPhoto(bookId, new URL(uri));
    } catch (e) {
      this.opts.log?.(`photo ${uri.slice(0, 80)}: ${(e as Error).message}`);
    }
    this.photos.delete(key);
    if (this.photos.size >= PHOTOS_KEPT) this.photos.delete(this.photos.keys().next().value!);
    this.photos.set(key, { data: result, at: now() });
    return result;
  }

  private async fetchPhoto(bookId: string, url: URL): Promise<string | null> {
    const account = this.opts.accounts.list().find((a) => a.books.some((b) => b.id === bookId));
    const book = account?.books.find((b) => b.id === bookId);
    const bookUrl = book === undefined ? null : new URL(book.url);
    // The book's own host may be on this machine or its network (a server at home); other hosts may not.
    const ownHost = bookUrl !== null && bookUrl.hostname === url.hostname;
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ownHost && bookUrl.protocol === 'http:')) throw new Error('a photo over plain http from another host than the book’s');
    const allowed = (address: string) => ownHost || !isInternalAddress(address);
    const guard = guardedFetch(allowed);
    // An injected fetch (tests) is used once the address is vetted the same way.
    const doFetch: typeof fetch = this.opts.fetch === undefined ? guard : checkedThen(this.opts.fetch, allowed);
    // The account's credentials on its own origin only; anywhere else a plain request.
    const own = account !== undefined && bookUrl !== null && bookUrl.origin === url.origin;
    const http = new DavHttp({
      auth: own ? await this.opts.connections.accountAuth(account) : { kind: 'none' },
      allowInsecure: own && account.allowInsecure,
      origins: [url.origin],
      timeoutMs: 15_000,
      maxResponseBytes: PHOTO_MAX_BYTES,
      fetch: doFetch,
    });
    const res = await http.requestBytes('GET', url.href, { headers: { Accept: 'image/jpeg, image/png, image/gif, image/webp' } });
    const data = imageDataUri(res.headers.get('content-type'), res.bytes);
    if (data === null) throw new Error(`not a JPEG, PNG, GIF or WebP image (${res.headers.get('content-type') ?? 'no type'})`);
    return data;
  }
}

/** Run `fetch` only after the URL's host resolves to addresses `allowed` accepts. */
function checkedThen(inner: typeof fetch, allowed: (address: string) => boolean): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = await lookup(host, { all: true });
    const refused = addresses.find((a) => !allowed(a.address));
    if (refused !== undefined) throw new Error(`${host} is ${refused.address}, an address on this machine or its network`);
    return inner(input, init);
  }) as typeof fetch;
}
