/** What a failed run is called: the network down is "offline", a server that answers is not. */
import { describe, expect, it } from 'vitest';
import { NetworkError, ServiceUnavailable } from '../../../electron/dav/errors';
import { classifyRunFailure } from '../../../electron/sync/failures';

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
