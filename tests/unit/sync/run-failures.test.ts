/** What a failed run is called: the network down is "offline", a server that answers is not. */
import { describe, expect, it } from 'vitest';
import { NetworkError, ServerError, ServiceUnavailable, UnreadableAnswer } from '../../../electron/dav/errors';
import { parseMultistatus } from '../../../electron/dav/multistatus';
import { classifyRunFailure } from '../../../electron/sync/failures';
import { statusInWords } from '../../../renderer/src/features/accounts/error-words';
import { translator } from '../../../renderer/src/i18n';
import type { SyncStatus } from '../../../shared/sync/types';

describe('a failed run, as the account status names it', () => {
  it('the network itself failed: offline, tried again by itself', () => {
    expect(classifyRunFailure(new NetworkError('fetch failed', 0, 'http://127.0.0.1:5300/', 'connection-refused'), 'carddav')).toMatchObject({ kind: 'soft', offline: true });
  });

  it('an answer larger than Cardinal accepts is no network trouble: the server answered, so not "offline"', () => {
    const f = classifyRunFailure(new NetworkError('response larger than 100 bytes', 207, 'http://127.0.0.1:5300/book/', 'too-large'), 'carddav');
    expect(f).toMatchObject({ kind: 'soft', offline: false });
    expect(f.kind === 'soft' ? f.error.reason : null).toBe('too-large');
  });

  it('a busy server is not offline either', () => {
    expect(classifyRunFailure(new ServiceUnavailable('busy', 503, 'http://127.0.0.1:5300/', 30), 'carddav')).toMatchObject({ kind: 'soft', offline: false });
  });
});

/** The status the account shows for a failure, as AccountRunner builds it from the classification. */
function statusFor(e: unknown, kind: 'carddav' | 'google' = 'carddav'): Pick<SyncStatus, 'code' | 'cause' | 'message' | 'httpStatus'> {
  const f = classifyRunFailure(e, kind);
  if (f.kind === 'confirm') throw new Error('not a failure');
  return { code: f.error.code, message: f.error.message, ...(f.error.reason !== undefined ? { cause: f.error.reason } : {}), ...(f.error.status !== undefined ? { httpStatus: f.error.status } : {}) };
}

describe('a server’s trouble says which', () => {
  const en = translator('en');
  const fa = translator('fa');

  it('a 500 names its status and reason, in English and Persian', () => {
    const s = statusFor(new ServerError('REPORT http://127.0.0.1:5300/book/: 500', 500, 'http://127.0.0.1:5300/book/'));
    expect(statusInWords('carddav', s, en, '127.0.0.1:5300')).toBe('The server answered \u2068500 Internal Server Error\u2069.');
    // Isolated: in a right-to-left sentence the status line keeps its own order (not "Internal Server Error 500").
    expect(statusInWords('carddav', s, fa, '127.0.0.1:5300')).toContain('\u2068500 Internal Server Error\u2069');
    expect(statusInWords('google', statusFor(new ServerError('x', 502, 'https://www.googleapis.com/'), 'google'), en, 'Google')).toBe('Google answered \u2068502 Bad Gateway\u2069.');
  });

  it('a busy server (503) says its status too', () => {
    expect(statusInWords('carddav', statusFor(new ServiceUnavailable('busy', 503, 'http://127.0.0.1:5300/', 30)), en, 'h')).toBe('The server answered \u2068503 Service Unavailable\u2069.');
  });

  it('an answer that is not well-formed XML says it could not be read, not that the server has a problem', () => {
    let thrown: unknown;
    try {
      parseMultistatus('<d:multistatus xmlns:d="DAV:"><d:response>', 'http://127.0.0.1:5300/book/');
    } catch (e) {
      thrown = e;
    }
    const s = statusFor(thrown);
    expect(s.cause).toBe('unreadable-answer');
    expect(statusInWords('carddav', s, en, '127.0.0.1:5300')).toBe('127.0.0.1:5300 sent an answer Cardinal could not read (not the WebDAV answer it asked for: a web page, an answer cut short or a broken one). Cardinal tries again later; if it keeps happening, check the server’s address.');
    // Tried again by itself after the backoff (a cut-off answer or a portal's page may pass), not a stop.
    expect(classifyRunFailure(thrown, 'carddav').kind).toBe('soft');
    expect(classifyRunFailure(new UnreadableAnswer('http://127.0.0.1:5300/book/: expected a multistatus, got html', 207, 'http://127.0.0.1:5300/book/'), 'carddav')).toMatchObject({ kind: 'soft', offline: false });
    expect(statusInWords('carddav', s, fa, '127.0.0.1:5300')).toContain('127.0.0.1:5300');
    expect(statusInWords('carddav', s, fa, '127.0.0.1:5300')).not.toBe(fa('error.unavailable'));
  });
});
