/**
 * The one place that decides what a failure means. The errors at the bottom are one class per
 * status (`dav/errors.ts`) or per Google refusal; here they become a run's outcome: soft (try again
 * by itself later), hard (the user must act: sign in, edit the account, confirm deletions), or, for
 * one card's upload, a refusal of that card alone. `toUserError` words them for the window.
 */
import { CardinalError } from '../../shared/errors';
import type { AccountInfo, SyncAction } from '../../shared/sync/types';
import { SignInCancelled, SignInRefused, SignInRequired, TokenEndpointError } from '../auth/google';
import { DavError, Forbidden, InsufficientStorage, NetworkError, ServerError, ServiceUnavailable, Unauthorized, UnreadableAnswer } from '../dav/errors';
import { XmlError } from '../dav/xml-reader';
import { RefusedUrl } from '../dav/url-policy';
import { GDataRefused } from '../gdata/client';
import { SecretForgotten } from './accounts';
import { MassDeleteNeedsConfirmation } from './book-run';
import { LostCreateLookupFailed } from './lost-create';

export type RunFailure =
  /** The run would delete a large share of a book: it waits for the user's word. */
  | { readonly kind: 'confirm'; readonly message: string; readonly wouldDelete: number; readonly total: number }
  /** Worth trying again by itself; `offline` when the network itself failed. */
  | { readonly kind: 'soft'; readonly error: CardinalError; readonly retryAfter: number | null; readonly offline: boolean }
  /** Stops the account until the user acts (`action`, when there is one to offer). */
  | { readonly kind: 'hard'; readonly error: CardinalError; readonly action?: Extract<SyncAction, 'sign-in' | 'edit-account'> };

/** What a failed run of this kind of account means. */
export function classifyRunFailure(e: unknown, kind: AccountInfo['kind']): RunFailure {
  // A lost create's lookup refused for the account is the account's refusal.
  if (e instanceof LostCreateLookupFailed && !isSoft(e)) return classifyRunFailure(e.cause, kind);
  if (e instanceof MassDeleteNeedsConfirmation) return { kind: 'confirm', message: e.message, wouldDelete: e.wouldDelete, total: e.total };
  const error = toUserError(e, kind);
  if (isSoft(e)) return { kind: 'soft', error, retryAfter: e instanceof ServiceUnavailable ? e.retryAfter : null, offline: e instanceof NetworkError && e.reason !== 'too-large' };
  const google = kind !== 'carddav';
  const action =
    // A Google account is mended by signing in again (a new grant), never by editing it.
    e instanceof SignInRequired || (google && (e instanceof Unauthorized || e instanceof Forbidden || e instanceof SecretForgotten)) || (e instanceof GDataRefused && e.code === 'not-admin')
      ? ('sign-in' as const)
      : e instanceof Unauthorized || e instanceof Forbidden || e instanceof SecretForgotten
        ? ('edit-account' as const)
        : undefined;
  return { kind: 'hard', error, ...(action !== undefined ? { action } : {}) };
}

/**
 * A refusal of one card (a 4xx other than 401 and 429: a card the server will not store, a UID
 * clash, a read-only entry): the card is marked and the run goes on. Anything else concerns the
 * whole account or the network, and stops the run.
 */
export function isCardRefusal(e: unknown): e is DavError {
  // A URL the server named for this card that the URL policy refused (outside the book, another origin).
  if (e instanceof RefusedUrl) return true;
  return e instanceof DavError && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 429;
}

/**
 * Worth trying again by itself later: the network, the server's own trouble, or a busy server. A
 * lost create that could not be looked for is tried again too (the server refused the lookup, not
 * the card), unless the account itself was refused (its cause then says what the user must do).
 */
function isSoft(e: unknown): boolean {
  if (e instanceof LostCreateLookupFailed) return isSoft(e.cause) || (e.cause instanceof DavError && !(e.cause instanceof Unauthorized || e.cause instanceof Forbidden));
  return (
    e instanceof NetworkError ||
    e instanceof ServiceUnavailable ||
    e instanceof ServerError ||
    e instanceof InsufficientStorage ||
    // An answer that could not be read (cut short, a proxy's or captive portal's web page, broken
    // XML) may read next time: tried again after the backoff, and said meanwhile, never taken as a
    // shorter listing.
    e instanceof UnreadableAnswer ||
    e instanceof XmlError ||
    (e instanceof TokenEndpointError && (e.status === 0 || e.status >= 500 || e.status === 429)) ||
    (e instanceof CardinalError && e.code === 'unavailable')
  );
}

/** The host (and port) of a URL, for the window's wording; undefined when it is none. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/**
 * A failure in words the user can act on, as a transferable error, in the words of the account's
 * kind (a Google account has no user name and password). Retrying is not promised here: the
 * status says when the next attempt is.
 */
export function toUserError(e: unknown, kind: AccountInfo['kind'] = 'carddav'): CardinalError {
  const google = kind !== 'carddav';
  if (e instanceof CardinalError) return e;
  if (e instanceof GDataRefused) return new CardinalError(e.code === 'unknown-domain' ? 'not-found' : 'forbidden', e.message);
  if (e instanceof SignInRequired) return new CardinalError('unauthorized', 'Google no longer accepts this sign-in. Sign in again; your contacts and unsent changes are kept.');
  if (e instanceof SignInCancelled) return new CardinalError('cancelled', `Google sign-in stopped: ${e.message}.`);
  if (e instanceof SignInRefused) return new CardinalError('forbidden', `Google sign-in failed: ${e.message}.`);
  if (e instanceof TokenEndpointError) {
    return e.status === 0 || e.status >= 500 ? new CardinalError('network', `Google could not be reached: ${e.message}`) : new CardinalError('unauthorized', `Google refused: ${e.message}`);
  }
  if (e instanceof SecretForgotten) return new CardinalError('unauthorized', e.message, { cause: 'secret-forgotten' });
  if (e instanceof RefusedUrl) return new CardinalError('forbidden', `Cardinal refused an address the server named: ${e.message}.`, { cause: 'refused-url', host: hostOf(e.url) });
  if (e instanceof Unauthorized) {
    return google
      ? new CardinalError('unauthorized', 'Google did not accept this sign-in. Sign in again; your contacts and unsent changes are kept.')
      : new CardinalError('unauthorized', 'The server did not accept this user name and password. Edit the account to sign in again.');
  }
  if (e instanceof Forbidden) {
    return google ? new CardinalError('forbidden', `Google refused access (${e.status}).`) : new CardinalError('forbidden', 'The server refused access to this address book. Check the account’s permissions on the server.');
  }
  if (e instanceof NetworkError) return new CardinalError('network', `${google ? 'Google' : 'The server'} could not be reached: ${e.message}`, { cause: e.reason, host: hostOf(e.url) });
  if (e instanceof ServiceUnavailable) return new CardinalError('unavailable', `${google ? 'Google' : 'The server'} is busy (${e.status}).`, { status: e.status });
  // An answer that is not well-formed XML (or not the document asked for): it could not be read.
  if (e instanceof UnreadableAnswer) return new CardinalError('unavailable', `${google ? 'Google' : 'The server'} sent an answer that could not be read: ${e.message}`, { cause: 'unreadable-answer', host: hostOf(e.url) });
  if (e instanceof XmlError) return new CardinalError('unavailable', `${google ? 'Google' : 'The server'} sent an answer that could not be read: ${e.message}`, { cause: 'unreadable-answer' });
  if (e instanceof MassDeleteNeedsConfirmation) return new CardinalError('conflict', e.message);
  if (e instanceof LostCreateLookupFailed) return toUserError(e.cause, kind);
  if (e instanceof DavError) return new CardinalError('unavailable', `${google ? 'Google' : 'The server'} answered ${e.status}.`, e.status >= 400 ? { status: e.status } : {});
  return new CardinalError('internal', (e as Error)?.message ?? 'sync failed');
}
