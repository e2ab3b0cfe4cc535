/**
 * HTTP for WebDAV on `fetch`: a timeout on every request, a cap on response size, Basic, Digest
 * (RFC 7616) or Bearer authentication, typed errors for statuses. Each connection works with its
 * account's origins and no others (`url-policy.ts`): a request or redirect anywhere else is refused
 * before anything is sent, so credentials never go to another origin. Discovery may cross to
 * another origin only where the user confirmed it, and there credentials go only when that server
 * asks for them. Writes are never redirected. Plain http only to loopback unless the user allowed it.
 */
import { DigestSession, parseDigestChallenge } from './digest';
import { NetworkError, errorForStatus, fetchFailureCause } from './errors';
import { OriginChangeNeeded, parseServerUrl, RefusedUrl } from './url-policy';

/**
 * `basic` is a user name and password: sent as Basic at once over https and to loopback (nearly
 * every server takes it), and answered with Digest when the server's challenge asks for it. Over
 * plain http to another host, and to an origin the user let discovery move to, nothing is sent
 * before the server's challenge names its scheme.
 */
export type Auth =
  | { kind: 'basic'; user: string; password: string }
  /** OAuth 2.0 (RFC 6750). `refresh` gets a new token after a 401; the request is sent once more. */
  | { kind: 'bearer'; token: () => Promise<string>; refresh?: () => Promise<void> }
  | { kind: 'none' };

/** Discovery's other origins: those the user let it move to, and those the user refused. */
export interface DiscoveryOrigins {
  readonly confirmed: ReadonlySet<string>;
  readonly declined: ReadonlySet<string>;
}

export interface HttpOptions {
  auth: Auth;
  /** The user chose "allow insecure connection" for this account. */
  allowInsecure?: boolean;
  /**
   * The origins this connection works with (an account's own), credentials included. Absent: the
   * origin of its first request. Every other origin is refused (`RefusedUrl`), except in discovery.
   */
  origins?: readonly string[];
  /** Discovery: an origin not yet confirmed or declined stops the request with `OriginChangeNeeded`. */
  discovery?: DiscoveryOrigins;
  timeoutMs?: number;
  maxResponseBytes?: number;
  fetch?: typeof fetch;
  /** Called once per request sent (benchmarks and tests count them). */
  onRequest?: (method: string, url: string) => void;
}

export interface HttpResponse {
  status: number;
  url: string;
  headers: Headers;
  text: string;
  /** The request carried credentials. */
  sentAuth: boolean;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /**
   * A successful answer's body as it arrives (one whose server declared its length): after each
   * piece, the buffer it is read into and how many bytes of it are in, and the answer's URL. The
   * same buffer each time, and the answer's bytes when it is over, unless the server sent more
   * than it declared (then those come as a longer one at the end).
   */
  onBytes?: (bytes: Buffer, filled: number, url: string) => void;
}

/** How far an origin is trusted: the account's own, or one the user let discovery move to. */
type Trust = 'own' | 'confirmed';

/** Methods that may follow a redirect; a write is never sent on to where a 3xx points. */
const FOLLOWS_REDIRECTS = new Set(['GET', 'HEAD', 'OPTIONS', 'PROPFIND', 'REPORT']);

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

/**
 * A header's value as text. fetch hands header bytes over one byte per character (Latin-1), while
 * servers send UTF-8 (DAViCal names a card after its UID in `Location`, raw: `zoë` arrives as
 * `zoÃ«`). Bytes that are valid UTF-8 are read as UTF-8; anything else stays as it came.
 */
export function headerText(headers: Headers, name: string): string | null {
  const raw = headers.get(name);
  if (raw === null || !/[\x80-\xff]/.test(raw)) return raw;
  const bytes = Buffer.from(raw, 'latin1');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : raw;
}

export function isLoopback(url: URL): boolean {
  return LOOPBACK.test(url.hostname);
}

export class DavHttp {
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly doFetch: typeof fetch;
  /** The account's own origins (the first request's, when none were given). */
  private readonly own: Set<string>;
  /** Per origin, once its server asked for Digest: every later request there answers its challenge. */
  private readonly digests = new Map<string, DigestSession>();
  /** Origins whose server asked for Basic where it is not sent before it is asked for. */
  private readonly basicAsked = new Set<string>();

  constructor(private readonly options: HttpOptions) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
    this.doFetch = options.fetch ?? fetch;
    this.own = new Set((options.origins ?? []).map((o) => new URL(o).origin));
  }

  assertAllowed(url: URL): void {
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && (isLoopback(url) || this.options.allowInsecure === true)) return;
    throw new NetworkError(`refusing ${url.protocol}//${url.host}: use https, or allow insecure connections for this account`, 0, url.href, 'insecure-refused');
  }

  /** Whether this connection may talk to `url` at all, and how far its origin is trusted. */
  admit(url: URL): Trust {
    this.assertAllowed(url);
    if (this.own.size === 0) this.own.add(url.origin);
    if (this.own.has(url.origin)) return 'own';
    const d = this.options.discovery;
    if (d === undefined) throw new RefusedUrl(`${url.origin} is not this account’s server; nothing was sent there`, url.href, 'other-origin');
    if (d.confirmed.has(url.origin)) return 'confirmed';
    if (d.declined.has(url.origin)) throw new RefusedUrl(`you chose not to send your password to ${url.origin}`, url.href, 'other-origin');
    throw new OriginChangeNeeded([...this.own][0]!, url.origin);
  }

  private async authHeader(method: string, url: URL, trust: Trust): Promise<Record<string, string>> {
    const a = this.options.auth;
    if (a.kind === 'basic') {
      const digest = this.digests.get(url.origin);
      if (digest !== undefined) return { Authorization: digest.authorization(method, url.pathname + url.search) };
      // In the clear (an allowed http host that is not this machine), or on an origin discovery
      // moved to: wait to be asked.
      const eager = trust === 'own' && (url.protocol === 'https:' || isLoopback(url));
      if (!eager && !this.basicAsked.has(url.origin)) return {};
      return { Authorization: `Basic ${Buffer.from(`${a.user}:${a.password}`, 'utf8').toString('base64')}` };
    }
    // A token is for the account's own origin only.
    if (a.kind === 'bearer' && trust === 'own') return { Authorization: `Bearer ${await a.token()}` };
    return {};
  }

  /**
   * A 401 with a challenge we can answer (Digest, a stale nonce, or Basic where we held it back):
   * take it up and say to send again. A second 401 in a row is the real answer.
   */
  private takeChallenge(res: HttpResponse, url: URL): boolean {
    const a = this.options.auth;
    if (a.kind !== 'basic') return false;
    const header = res.headers.get('www-authenticate') ?? '';
    const challenge = parseDigestChallenge(header);
    if (challenge !== null) {
      if (this.digests.has(url.origin) && res.sentAuth && !challenge.stale) return false;
      this.digests.set(url.origin, new DigestSession(a.user, a.password, challenge));
      return true;
    }
    if (/\bbasic\b/i.test(header) && !res.sentAuth) {
      // The server asked for Basic (plain http to a host the user allowed, or a confirmed origin): send it.
      this.basicAsked.add(url.origin);
      return true;
    }
    return false;
  }

  /** The same, for a binary answer (photos). */
  async requestBytes(method: string, url: string, opts: RequestOptions = {}): Promise<HttpResponse & { bytes: Uint8Array }> {
    const holder: { bytes?: Uint8Array } = {};
    const res = await this.request(method, url, opts, holder);
    return { ...res, bytes: holder.bytes ?? new Uint8Array() };
  }

  /** Send a request; a non-2xx/3xx answer throws its typed error. */
  async request(method: string, url: string, opts: RequestOptions = {}, binary?: { bytes?: Uint8Array }): Promise<HttpResponse> {
    let current = new URL(url);
    for (let hop = 0; hop < 5; hop++) {
      const trust = this.admit(current);
      let res = await this.send(method, current, trust, opts, binary);
      for (let retry = 0; retry < 2 && res.status === 401; retry++) {
        if (!this.takeChallenge(res, current)) break;
        res = await this.send(method, current, trust, opts, binary);
      }
      const a = this.options.auth;
      if (res.status === 401 && res.sentAuth && a.kind === 'bearer' && a.refresh !== undefined) {
        // The token expired early or was revoked: one refresh, one more try; a refused refresh
        // throws its own error (sign in again), a second 401 is the answer.
        await a.refresh();
        res = await this.send(method, current, trust, opts, binary);
      }
      if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
        if (!FOLLOWS_REDIRECTS.has(method)) throw new RefusedUrl(`the server redirected a ${method} (${res.status}); a write is never sent on elsewhere`, current.href, 'redirected-write');
        // `//host/x` is a network-path reference (RFC 3986), a redirect to `host` like any other,
        // except for Xandikos's `//alice/...`, a path with a doubled slash (the URL policy reads both).
        const loc = headerText(res.headers, 'location')!;
        try {
          current = loc.startsWith('//') ? new URL(parseServerUrl(loc, current.href)) : new URL(loc, current);
        } catch {
          throw new RefusedUrl(`the server redirected to an address that cannot be read: ${loc.slice(0, 200)}`, current.href, 'unparseable');
        }
        continue;
      }
      const err = errorForStatus(res.status, current.href, res.headers, res.text);
      if (err !== null) throw err;
      return res;
    }
    throw new NetworkError('too many redirects', 0, url);
  }

  private async send(method: string, url: URL, trust: Trust, opts: RequestOptions, binary?: { bytes?: Uint8Array }): Promise<HttpResponse> {
    // Outside the network's try: a refused token refresh (sign in again) is not a network failure.
    const auth = await this.authHeader(method, url, trust);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    this.options.onRequest?.(method, url.href);
    try {
      const res = await this.doFetch(url, {
        method,
        // Compression saves the network, and there is none to this machine: a server here would
        // spend its time compressing and we ours inflating (a 9 MB listing: a fifth more time).
        headers: { ...(isLoopback(url) ? { 'Accept-Encoding': 'identity' } : {}), ...auth, ...opts.headers },
        body: typeof opts.body === 'string' || opts.body === undefined ? opts.body : new Blob([opts.body as Uint8Array<ArrayBuffer>]),
        redirect: 'manual',
        signal: controller.signal,
      });
      const declared = Number(res.headers.get('content-length') ?? '0');
      if (declared > this.maxBytes) {
        await res.body?.cancel();
        throw new NetworkError(`response larger than ${this.maxBytes} bytes`, res.status, url.href, 'too-large');
      }
      const bytes = await this.readCapped(res, url, declared, res.status >= 200 && res.status < 300 ? opts.onBytes : undefined);
      const ok = res.status < 300;
      if (binary !== undefined && ok) binary.bytes = bytes;
      return { status: res.status, url: url.href, headers: res.headers, text: binary !== undefined && ok ? '' : bytes.toString('utf8'), sentAuth: 'Authorization' in auth };
    } catch (e) {
      if (e instanceof NetworkError) throw e;
      const reason = controller.signal.aborted ? `timed out after ${this.timeoutMs} ms` : (e as Error).message;
      throw new NetworkError(`${method} ${url.href}: ${reason}`, 0, url.href, fetchFailureCause(e, controller.signal.aborted));
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The body, at most `maxBytes`. Where the server declared its length (`declared`), the chunks
   * are copied into one buffer of that size as they come: joined at the end, a 45 MB answer (a
   * first sync of 50,000 cards) was held twice over for a moment, and its thousands of small
   * chunks kept the process's memory up after they were gone. `onBytes` is told of each piece
   * that went into that buffer.
   */
  private async readCapped(res: Response, url: URL, declared: number, onBytes?: RequestOptions['onBytes']): Promise<Buffer> {
    if (res.body === null) return Buffer.alloc(0);
    const reader = res.body.getReader();
    const into = declared > 0 && Number.isSafeInteger(declared) ? Buffer.allocUnsafeSlow(declared) : null;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const start = size;
      size += value.length;
      if (size > this.maxBytes) {
        await reader.cancel();
        throw new NetworkError(`response larger than ${this.maxBytes} bytes`, res.status, url.href, 'too-large');
      }
      // Past the declared length (a server that said less than it sent): kept as chunks after it.
      const fit = into === null ? 0 : Math.max(0, Math.min(value.length, declared - start));
      if (fit > 0) into!.set(value.subarray(0, fit), start);
      if (fit < value.length) chunks.push(fit === 0 ? value : value.subarray(fit));
      else if (fit > 0) onBytes?.(into!, size, url.href);
    }
    if (into === null) return Buffer.concat(chunks, size);
    if (chunks.length === 0) return size === declared ? into : into.subarray(0, size);
    return Buffer.concat([into, ...chunks], size);
  }
}
