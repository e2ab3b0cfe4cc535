/**
 * Errors as they cross a process boundary: a closed set of codes and a message, nothing else
 * (no stacks, no causes that could carry a secret). Everything thrown in the main process is
 * turned into this shape before the renderer sees it.
 */
export type ErrorCode =
  | 'invalid-argument'
  | 'forbidden-sender'
  | 'not-found'
  | 'unauthorized'
  | 'forbidden'
  | 'conflict'
  | 'network'
  | 'unavailable'
  | 'unsupported'
  | 'cancelled'
  | 'not-configured'
  /** No keyring to seal secrets at rest (Linux without one), and the user has not chosen to keep them in memory. */
  | 'no-keyring'
  | 'internal';

/**
 * Why a request failed, where the code alone cannot say it in the user's words: the window writes
 * "could not reach 127.0.0.1:1 (connection refused)" from `network` + `connection-refused` + the
 * host, never from the message.
 */
export type ErrorCause =
  | 'connection-refused'
  /** A port fetch never connects to (1, 21, 25, …: the Fetch standard's blocked ports). */
  | 'blocked-port'
  | 'host-not-found'
  | 'timed-out'
  | 'certificate'
  | 'insecure-refused'
  | 'no-carddav'
  | 'too-large'
  /** The server named an address outside its account (another origin, outside the book, unreadable): refused. */
  | 'refused-url'
  /** No keyring: the password was kept only until Cardinal last quit, and must be given again. */
  | 'secret-forgotten'
  /** The process that plays main is not there (the browser harness's host stopped): nothing was sent. */
  | 'host-gone';

export interface TransferError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly cause?: ErrorCause;
  /** The host (and port) the failure is about, for the wording. */
  readonly host?: string;
}

export class CardinalError extends Error {
  readonly reason: ErrorCause | undefined;
  readonly host: string | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string,
    detail: { cause?: ErrorCause; host?: string } = {},
  ) {
    super(message);
    this.name = 'CardinalError';
    this.reason = detail.cause;
    this.host = detail.host;
  }
}

const CAUSES: ReadonlySet<string> = new Set<ErrorCause>(['connection-refused', 'blocked-port', 'host-not-found', 'timed-out', 'certificate', 'insecure-refused', 'no-carddav', 'too-large', 'refused-url', 'secret-forgotten', 'host-gone']);

export function isErrorCause(value: unknown): value is ErrorCause {
  return typeof value === 'string' && CAUSES.has(value);
}

const CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'invalid-argument',
  'forbidden-sender',
  'not-found',
  'unauthorized',
  'forbidden',
  'conflict',
  'network',
  'unavailable',
  'unsupported',
  'cancelled',
  'not-configured',
  'no-keyring',
  'internal',
]);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODES.has(value);
}

/** Any thrown value as a transferable error; unknown failures say only that something failed. */
export function toTransferError(err: unknown): TransferError {
  if (err instanceof CardinalError) return { code: err.code, message: err.message, ...(err.reason !== undefined ? { cause: err.reason } : {}), ...(err.host !== undefined ? { host: err.host } : {}) };
  return { code: 'internal', message: 'An unexpected error occurred in the main process.' };
}

/** The reply envelope of every request, so a code survives transports that flatten errors. */
export type Reply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: TransferError };
