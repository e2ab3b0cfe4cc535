/**
 * Photos given as URIs (Google gives `lh3.googleusercontent.com` links), loaded when the window
 * shows them. Credentials go only to the address book's own origin; any other host gets a plain
 * request. Images only, at most 5 MB, https (or loopback http).
 */
import { DavHttp, isLoopback } from '../dav/http';
import type { AccountStore } from './accounts';
import type { Connections } from './connections';

/** Photos kept in memory, by URI; the oldest goes first. */
const PHOTOS_KEPT = 500;

export interface PhotoLoaderOptions {
  readonly accounts: AccountStore;
  readonly connections: Connections;
  readonly fetch?: typeof fetch;
  readonly log?: (line: string) => void;
}

export class PhotoLoader {
  /** By URI: a data: URI, or null when none could be had. */
  private readonly photos = new Map<string, string | null>();

  constructor(private readonly opts: PhotoLoaderOptions) {}

  async load(bookId: string, uri: string): Promise<string | null> {
    const cached = this.photos.get(uri);
    if (cached !== undefined) return cached;
    let result: string | null = null;
    try {
      const url = new URL(uri);
      if (url.protocol !== 'https:' && !isLoopback(url)) throw new Error('plain http photo');
      const account = this.opts.accounts.list().find((a) => a.books.some((b) => b.id === bookId));
      const book = account?.books.find((b) => b.id === bookId);
      // The account's credentials on its own origin only; anywhere else a plain request.
      const own = account !== undefined && book !== undefined && new URL(book.url).origin === url.origin;
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
    if (this.photos.size > PHOTOS_KEPT) this.photos.delete(this.photos.keys().next().value!);
    this.photos.set(uri, result);
    return result;
  }
}
