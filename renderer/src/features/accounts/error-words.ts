/**
 * A failure in the user's words: from the error's code and cause (shared/errors.ts), never from
 * a channel name or a validator's "(argument 0.url)". The main process's own message is kept only
 * where it already speaks to the user (it is English; the codes are worded in every language).
 */
import { isErrorCause, isErrorCode, statusLine, type ErrorCause, type ErrorCode } from '../../../../shared/errors';
import type { AccountInfo, SyncStatus } from '../../../../shared/sync/types';
import type { Translate } from '../../i18n';

const CAUSE_KEY = {
  'connection-refused': 'error.connectionRefused',
  'blocked-port': 'error.blockedPort',
  'host-not-found': 'error.hostNotFound',
  'timed-out': 'error.timedOut',
  certificate: 'error.certificate',
  'insecure-refused': 'error.insecureRefused',
  'no-carddav': 'error.noCardDav',
  'too-large': 'error.tooLarge',
  'refused-url': 'error.refusedUrl',
  'secret-forgotten': 'error.secretForgotten',
  'host-gone': 'error.hostGone',
  'unreadable-answer': 'error.unreadableAnswer',
} as const satisfies Record<ErrorCause, string>;

const CODE_KEY: Partial<Record<ErrorCode, 'error.unauthorized' | 'error.forbidden' | 'error.network' | 'error.unavailable' | 'error.cancelled' | 'error.notConfigured' | 'error.internal' | 'keyring.none'>> = {
  unauthorized: 'error.unauthorized',
  forbidden: 'error.forbidden',
  network: 'error.network',
  unavailable: 'error.unavailable',
  cancelled: 'error.cancelled',
  'not-configured': 'error.notConfigured',
  'no-keyring': 'keyring.none',
  internal: 'error.internal',
};

interface RequestFailure {
  code: ErrorCode;
  message: string;
  reason?: ErrorCause;
  host?: string;
  status?: number;
}

/**
 * A request's failure as the API throws it (a CardinalError built by the preload's or the
 * harness bridge's own copy of shared/, so read by shape, not by class).
 */
function asFailure(e: unknown): RequestFailure | null {
  if (typeof e !== 'object' || e === null) return null;
  const x = e as Record<string, unknown>;
  if (!isErrorCode(x.code)) return null;
  return {
    code: x.code,
    message: typeof x.message === 'string' ? x.message : '',
    reason: isErrorCause(x.reason) ? x.reason : undefined,
    host: typeof x.host === 'string' ? x.host : undefined,
    status: typeof x.status === 'number' && Number.isInteger(x.status) ? x.status : undefined,
  };
}

/** The message of a request's failure, for a dialog's error line or a toast. */
export function errorInWords(error: unknown, t: Translate, fallbackHost = ''): string {
  const e = asFailure(error);
  if (e === null) return t('error.internal');
  const host = e.host ?? fallbackHost;
  if (e.reason !== undefined) return t(CAUSE_KEY[e.reason], { host });
  if (e.code === 'invalid-argument' || e.code === 'not-found' || e.code === 'conflict') return plainMessage(e.message);
  if (e.code === 'unavailable' && e.status !== undefined) return t('error.serverAnswered', { answer: `\u2068${statusLine(e.status)}\u2069` });
  const key = CODE_KEY[e.code];
  return key === undefined ? plainMessage(e.message) : t(key, { host });
}

/** The words a Google or Workspace account needs instead: it signs in through Google, and has no user name and password to blame. */
const GOOGLE_CODE_KEY: Partial<Record<ErrorCode, 'error.unauthorized.google' | 'error.forbidden.google' | 'error.unavailable.google' | 'error.network.google'>> = {
  unauthorized: 'error.unauthorized.google',
  forbidden: 'error.forbidden.google',
  unavailable: 'error.unavailable.google',
  network: 'error.network.google',
};

/**
 * A sync status's reason (the status carries a code and a cause, not an exception), in the words
 * of the account's kind. Retrying is said once, by the retry line (`sync.retryIn`).
 */
export function statusInWords(kind: AccountInfo['kind'], status: Pick<SyncStatus, 'code' | 'cause' | 'message' | 'httpStatus'>, t: Translate, host: string): string {
  const { code, cause, message, httpStatus } = status;
  const google = kind !== 'carddav';
  if (cause === 'secret-forgotten' && google) return t('error.secretForgotten.google');
  if (cause !== undefined) return t(CAUSE_KEY[cause], { host });
  if (code === undefined) return plainMessage(message);
  // The server's trouble, said by its status ("The server answered 500 Internal Server Error.").
  if (code === 'unavailable' && httpStatus !== undefined) return t(google ? 'error.serverAnswered.google' : 'error.serverAnswered', { answer: `\u2068${statusLine(httpStatus)}\u2069` });
  const key = kind === 'gdata' && code === 'forbidden' ? 'error.forbidden.gdata' : google ? (GOOGLE_CODE_KEY[code] ?? CODE_KEY[code]) : CODE_KEY[code];
  return key === undefined ? plainMessage(message) : t(key, { host });
}

/** A message without the request's channel ("discoverCardDav: …") or a validator's argument path. */
export function plainMessage(message: string): string {
  const bare = message.replace(/^[a-z][A-Za-z]+: /, '').replace(/\s*\(argument [^)]*\)\s*$/, '');
  return bare === '' ? message : bare.charAt(0).toUpperCase() + bare.slice(1);
}

/**
 * Why a card was refused (the engine stores the reason in English, as the URL policy and the
 * status words it): in the user's language. The policy's messages are matched by what they say
 * (held to the policy's own wording by tests/unit/refusal-words.test.ts); a reason not known here
 * is shown as it is.
 */
export function refusalInWords(message: string, t: Translate): string {
  let m: RegExpExecArray | null;
  if ((m = /on another origin \(([^)]+)\)/.exec(message)) !== null || (m = /^(\S+) is not this account’s server/.exec(message)) !== null) return t('refusal.otherOrigin', { origin: `\u2068${m[1]}\u2069` });
  if ((m = /outside this (?:address book|directory): (.*)$/s.exec(message)) !== null) return t('refusal.outside', { path: `\u2068${m[1]}\u2069` });
  if (/a path with \. or \.\. in it/.test(message)) return t('refusal.dotSegment');
  if (/an unusable address|an address that cannot be read/.test(message)) return t('refusal.unreadable');
  if ((m = /the server named a (\S+?):? address$/.exec(message)) !== null) return t('refusal.scheme', { scheme: m[1]! });
  if ((m = /the server redirected a (\S+)/.exec(message)) !== null) return t('refusal.redirected', { method: m[1]! });
  const status = /^(\d{3}) from /.exec(message)?.[1] ?? /refused the card \((\d{3})\)/.exec(message)?.[1];
  if (status !== undefined) {
    const n = Number(status);
    if (n === 413) return t('refusal.tooLarge', { status: n });
    if (n === 403) return t('refusal.forbidden', { status: n });
    if (n === 400 || n === 415 || n === 422) return t('refusal.invalid', { status: n });
    return t('refusal.status', { status: n });
  }
  return plainMessage(message);
}

/**
 * What an idle status says of cards that cannot be read: each contact whose edit waits because
 * the server's copy cannot be read, by name (user text, isolated for right-to-left words), then
 * the other unreadable cards by count.
 */
export function unreadableInWords(status: Pick<SyncStatus, 'unreadable' | 'waitingUnreadable'>, t: Translate, lang: string): string[] {
  const names = status.waitingUnreadable ?? [];
  const lines: string[] = [];
  if (names.length > 0) {
    const shown = names.map((n) => `\u2068${n === '' ? t('list.noName') : n}\u2069`);
    lines.push(t('sync.unreadableEdit', { count: names.length, names: new Intl.ListFormat(lang, { type: 'conjunction' }).format(shown) }));
  }
  const rest = (status.unreadable ?? 0) - names.length;
  if (rest > 0) lines.push(t('sync.unreadableCount', { count: rest }));
  return lines;
}
