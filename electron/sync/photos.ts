/**
 * Photos given as URIs (Google gives `lh3.googleusercontent.com` links), loaded when the window
 * shows them. Credentials go only to the address book's own origin; any other host gets a plain
 * request. Images only, at most 5 MB, https (or loopback http).
 */
import { DavHttp, isLoopback } from '../dav/http';
import type { AccountStore } from './accounts';
import type { Connections } from './connections';

/** Photos kept in memory; the oldest goes first. */
const PHOTOS_KEPT = 500;
/** A photo that could not be had is asked for again after this long (the network may be back). */
const FAILURE_KEPT_MS = 5 * 60_000;

export interface PhotoLoaderOptions {
  readonly accounts: AccountStore;
  readonly connections: Connections;
  readonly fetch?: typeof fetch;
  readonly log?: (line: string) => void;
}

export class PhotoLoader {
  /**
   * By who asked for it and how: a photo fetched with an account's credentials is that account's
   * alone (another book asking for the same URI gets its own request); a plain request's answer
   * is anyone's. Each: a data: URI, or null when none could be had (until `at` + FAILURE_KEPT_MS).
   */
  private readonly photos = new Map<string, { photo: string | null; at: number }>();

  constructor(private readonly opts: PhotoLoaderOptions) {}

  async load(bookId: string, uri: string): Promise<string | null> {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return null;
    }
    const account = this.opts.accounts.list().find((a) => a.books.some((b) => b.id === bookId));
    const book = account?.books.find((b) => b.id === bookId);
    // The account's credentials on its own origin only; anywhere else a plain request.
    const own = account !== undefined && book !== undefined && new URL(book.url).origin === url.origin;
    const key = `${own ? account.id : ''} ${uri}`;
    const cached = this.photos.get(key);
    if (cached !== undefined && (cached.photo !== null || Date.now() - cached.at < FAILURE_KEPT_MS)) return cached.photo;
    let result: string | null = null;
    try {
      if (url.protocol !== 'https:' && !isLoopback(url)) throw new Error('plain http photo');
      const http = new DavHttp({
        auth: own ? await this.opts.connections.accountAuth(account) : { kind: 'none' },
        allowInsecure: own && account.allowInsecure,
        timeoutMs: 15_000,
        maxResponseBytes: 5 * 1024 * 1024,
        fetch: this.opts.fetch,
      });
      const res = await http.requestBytes('GET', url.href, { headers: { Accept: 'image/*' } });
      const type = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (/^image\/(jpeg|png|gif|webp)$/.test(type)) result = `data:${type};base64,${Buffer.from(res.bytes).toString('base64')}`;
    } catch (e) {
      this.opts.log?.(`photo ${uri.slice(0, 80)}: ${(e as Error).message}`);
    }
    this.photos.delete(key);
    if (this.photos.size >= PHOTOS_KEPT) this.photos.delete(this.photos.keys().next().value!);
    this.photos.set(key, { photo: result, at: Date.now() });
    return result;
  }
}
