/**
 * HTTP statuses as one error class each (the bottom of the stack); the sync engine classifies them
 * once at the top as soft (retry later), hard (needs the user) or per-card.
 */
import type { ErrorCause } from '../../shared/errors';

export class DavError extends Error {
  override name = 'DavError';
  /** The start of the answer's body (servers explain refusals there), for wording the error. */
  detail = '';
  constructor(
    message: string,
    readonly status: number,
    readonly url: string,
  ) {
    super(message);
  }
}

export class Unauthorized extends DavError {
  override name = 'Unauthorized';
}
export class Forbidden extends DavError {
  override name = 'Forbidden';
  /** A precondition named in the body, such as `valid-sync-token` (RFC 6578 §3.2). */
  precondition?: string;
}
export class NotFound extends DavError {
  override name = 'NotFound';
}
export class Conflict extends DavError {
  override name = 'Conflict';
}
export class PreconditionFailed extends DavError {
  override name = 'PreconditionFailed';
}
export class ServiceUnavailable extends DavError {
  override name = 'ServiceUnavailable';
  constructor(
    message: string,
    status: number,
    url: string,
    /** Seconds to wait, from Retry-After, when the server said. */
    readonly retryAfter: number | null,
  ) {
    super(message, status, url);
  }
}
export class InsufficientStorage extends DavError {
  override name = 'InsufficientStorage';
}
export class ServerError extends DavError {
  override name = 'ServerError';
}
/** The server answered, but its answer could not be read (not well-formed XML, or not the document asked for). */
export class UnreadableAnswer extends DavError {
  override name = 'UnreadableAnswer';
}
/** The network failed, the request timed out, or the answer was too large. */
export class NetworkError extends DavError {
  override name = 'NetworkError';
  constructor(
    message: string,
    status: number,
    url: string,
    /** What happened, for the window to say in the user's words. */
    readonly reason?: ErrorCause,
  ) {
    super(message, status, url);
  }
}

/** Why fetch failed, from Node's error codes (undici puts the socket's error in `cause`). */
export function fetchFailureCause(e: unknown, timedOut: boolean): ErrorCause | undefined {
  if (timedOut) return 'timed-out';
  const cause = (e as { cause?: { code?: unknown; message?: unknown } })?.cause;
  const code = String(cause?.code ?? '');
  if (code === 'ECONNREFUSED') return 'connection-refused';
  if (cause?.message === 'bad port') return 'blocked-port';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host-not-found';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timed-out';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) return 'certificate';
  return undefined;
}

export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - now) / 1000));
}

/** The error for a response status, or null for success. */
export function errorForStatus(status: number, url: string, headers: Headers, body: string): DavError | null {
  if (status < 400) return null;
  const e = errorOf(status, url, headers, body);
  e.detail = body.slice(0, 2000);
  return e;
}

function errorOf(status: number, url: string, headers: Headers, body: string): DavError {
  const msg = `${status} from ${url}`;
  switch (status) {
    case 401:
      return new Unauthorized(msg, status, url);
    case 403: {
      const e = new Forbidden(msg, status, url);
      const m = /<(?:\w+:)?(valid-sync-token|no-uid-conflict|need-privileges)\b/.exec(body);
      if (m !== null) e.precondition = m[1];
      return e;
    }
    case 404:
    case 410:
      return new NotFound(msg, status, url);
    case 409:
      return new Conflict(msg, status, url);
    case 412:
      return new PreconditionFailed(msg, status, url);
    case 429:
    case 503:
      return new ServiceUnavailable(msg, status, url, retryAfterSeconds(headers.get('retry-after')));
    case 507:
      return new InsufficientStorage(msg, status, url);
    default:
      return status >= 500 ? new ServerError(msg, status, url) : new DavError(msg, status, url);
  }
}
