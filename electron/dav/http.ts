/**
 * HTTP for WebDAV on `fetch`: a timeout on every request, a cap on response size, Basic, Digest
 * (RFC 7616) or Bearer authentication, typed errors for statuses, and redirects followed only
 * within the same origin (discovery may allow one more hop). Plain http only to loopback unless the
 * user allowed it.
 */
import { DigestSession, parseDigestChallenge } from './digest';
import { NetworkError, errorForStatus, fetchFailureCause } from './errors';

/**
 * `basic` is a user name and password: sent as Basic at once over https and to loopback (nearly
 * every server takes it), and answered with Digest when the server's challenge asks for it. Over
 * plain http to another host nothing is sent before the server's challenge names its scheme.
 */
export type Auth =
  | { kind: 'basic'; user: string; password: string }
  /** OAuth 2.0 (RFC 6750). `refresh` gets a new token after a 401; the request is sent once more. */
  | { kind: 'bearer'; token: () => Promise<string>; refresh?: () => Promise<void> }
  | { kind: 'none' };

export interface HttpOptions {
  auth: Auth;
  /** The user chose "allow insecure connection" for this account. */
  allowInsecure?: boolean;
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
  /** Follow a redirect to another origin (discovery only). */
  crossOriginRedirect?: boolean;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

export function isLoopback(url: URL): boolean {
  return LOOPBACK.test(url.hostname);
}

export class DavHttp {
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly doFetch: typeof fetch;
  /** Set once a server asked for Digest: every later request answers its challenge. */
  private digest: DigestSession | null = null;
  /** The server asked for Basic (over http, where it is not sent before it is asked for). */
  private basicAsked = false;

  constructor(private readonly options: HttpOptions) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
    this.doFetch = options.fetch ?? fetch;
  }

  assertAllowed(url: URL): void {
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && (isLoopback(url) || this.options.allowInsecure === true)) return;
    throw new NetworkError(`refusing ${url.protocol}//${url.host}: use https, or allow insecure connections for this account`, 0, url.href, 'insecure-refused');
  }

  private async authHeader(method: string, url: URL): Promise<Record<string, string>> {
    const a = this.options.auth;
    if (a.kind === 'basic') {
      if (this.digest !== null) return { Authorization: this.digest.authorization(method, url.pathname + url.search) };
      // In the clear (an allowed http host that is not this machine), wait to be asked.
      if (url.protocol !== 'https:' && !isLoopback(url) && !this.basicAsked) return {};
      return { Authorization: `Basic ${Buffer.from(`${a.user}:${a.password}`, 'utf8').toString('base64')}` };
    }
    if (a.kind === 'bearer') return { Authorization: `Bearer ${await a.token()}` };
    return {};
  }

  /**
   * A 401 with a challenge we can answer (Digest, a stale nonce, or Basic over http, which we
   * held back): take it up and say to send again. A second 401 in a row is the real answer.
   */
  private takeChallenge(res: HttpResponse, hadAuth: boolean): boolean {
    const a = this.options.auth;
    if (a.kind !== 'basic') return false;
    const header = res.headers.get('www-authenticate') ?? '';
    const challenge = parseDigestChallenge(header);
    if (challenge !== null) {
      if (this.digest !== null && hadAuth && !challenge.stale) return false;
      this.digest = new DigestSession(a.user, a.password, challenge);
      return true;
    }
    if (/\bbasic\b/i.test(header) && !hadAuth) {
      // Plain http to a host the user allowed: the server asked for Basic, so send it.
      this.basicAsked = true;
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
    const origin = current.origin;
    for (let hop = 0; hop < 5; hop++) {
      this.assertAllowed(current);
      let res = await this.send(method, current, opts, binary);
      for (let retry = 0; retry < 2 && res.status === 401; retry++) {
        if (!this.takeChallenge(res, res.sentAuth)) break;
        res = await this.send(method, current, opts, binary);
      }
      const a = this.options.auth;
      if (res.status === 401 && a.kind === 'bearer' && a.refresh !== undefined) {
        // The token expired early or was revoked: one refresh, one more try; a refused refresh
        // throws its own error (sign in again), a second 401 is the answer.
        await a.refresh();
        res = await this.send(method, current, opts, binary);
      }
      if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
        // Xandikos answers `Location: //alice/...`: a path with a doubled slash, not a host.
        const loc = res.headers.get('location')!;
        const next = loc.startsWith('//') ? new URL(loc.replace(/^\/+/, '/'), current) : new URL(loc, current);
        if (next.origin !== origin && opts.crossOriginRedirect !== true) {
          throw new NetworkError(`redirect to another origin refused: ${next.origin}`, res.status, current.href);
        }
        current = next;
        continue;
      }
      const err = errorForStatus(res.status, current.href, res.headers, res.text);
      if (err !== null) throw err;
      return res;
    }
    throw new NetworkError('too many redirects', 0, url);
  }

  private async send(method: string, url: URL, opts: RequestOptions, binary?: { bytes?: Uint8Array }): Promise<HttpResponse> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    this.options.onRequest?.(method, url.href);
    try {
      const auth = await this.authHeader(method, url);
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
      const bytes = await this.readCapped(res, url);
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

  private async readCapped(res: Response, url: URL): Promise<Buffer> {
    if (res.body === null) return Buffer.alloc(0);
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > this.maxBytes) {
        await reader.cancel();
        throw new NetworkError(`response larger than ${this.maxBytes} bytes`, res.status, url.href, 'too-large');
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks, size);
  }
}
