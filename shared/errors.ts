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

export interface TransferError {
  readonly code: ErrorCode;
  readonly message: string;
}

export class CardinalError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CardinalError';
  }
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
  if (err instanceof CardinalError) return { code: err.code, message: err.message };
  return { code: 'internal', message: 'An unexpected error occurred in the main process.' };
}

/** The reply envelope of every request, so a code survives transports that flatten errors. */
export type Reply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: TransferError };
