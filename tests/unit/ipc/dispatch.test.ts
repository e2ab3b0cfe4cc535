import { afterAll, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../../electron/core/dispatch';
import { createRequestHandlers } from '../../../electron/core/handlers';
import { PendingStoreRequests } from '../../../electron/core/store-port';
import { isTrustedFrame } from '../../../electron/ipc/sender';
import { NodePlatform } from '../../../electron/platform/node-platform';
import { SyncManager } from '../../../electron/sync/manager';
import { CardinalError, toTransferError } from '../../../shared/errors';
import { isExternalUrlAllowed } from '../../../shared/urls';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The handlers as the hosts build them, with a sync manager that never syncs on its own. */
function handlersFor(p: NodePlatform) {
  return createRequestHandlers(p, new SyncManager({ platform: p, store: new PendingStoreRequests(() => {}), emit: () => {}, intervalMinutes: 0, google: { client: null } }));
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function platform() {
  const dataDir = mkdtempSync(join(tmpdir(), 'cardinal-unit-'));
  dirs.push(dataDir);
  return new NodePlatform({ dataDir, version: '9.9.9', locale: 'fa-IR', onOpenExternal: () => {} });
}

describe('request dispatch', () => {
  it('answers a valid request', async () => {
    const reply = await dispatch(handlersFor(platform()), 'getAppInfo', []);
    expect(reply).toEqual({ ok: true, value: expect.objectContaining({ name: 'Cardinal', version: '9.9.9', shell: 'harness', locale: 'fa-IR' }) });
  });

  it('refuses unknown channels, including inherited names', async () => {
    const handlers = handlersFor(platform());
    for (const channel of ['nope', 'toString', '__proto__', 42, null]) {
      expect(await dispatch(handlers, channel, [])).toEqual({ ok: false, error: { code: 'invalid-argument', message: 'unknown request' } });
    }
  });

  it('validates account arguments before touching the network', async () => {
    const handlers = handlersFor(platform());
    for (const args of [[{ url: 'ftp://x', user: 'a', password: 'b', allowInsecure: false }], [{ url: 'https://x' }], [{ url: 'not an address', user: '', password: '', allowInsecure: false }], [null], []]) {
      expect(await dispatch(handlers, 'discoverCardDav', args)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    }
    for (const args of [['id', []], ['id', 'https://x'], [42, ['https://x']], []]) {
      expect(await dispatch(handlers, 'addCardDavAccount', args)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    }
    // Only known fields, in range: an unknown field could smuggle anything in.
    for (const args of [['id', { intervalMinutes: -1 }], ['id', { password: 'x', sealedPassword: 'y' }], ['id', { bookUrls: [] }]]) {
      expect(await dispatch(handlers, 'updateAccount', args)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    }
    expect(await dispatch(handlers, 'addCardDavAccount', ['unknown-discovery', ['https://x.example/']])).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await dispatch(handlers, 'listAccounts', [])).toEqual({ ok: true, value: [] });
  });

  it('refuses arguments that fail validation, before acting', async () => {
    const p = platform();
    const handlers = handlersFor(p);
    for (const args of [[], [42], ['https://a.example', 'extra'], 'not-a-list', [{}]]) {
      const reply = await dispatch(handlers, 'openExternal', args);
      expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    }
    expect(p.opened).toEqual([]);
  });

  it('validates the Google, shared-contacts, photo and opened-file requests', async () => {
    const p = platform();
    const handlers = handlersFor(p);
    const refused = async (channel: string, args: unknown[]) => expect(await dispatch(handlers, channel, args)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    for (const args of [['not a domain'], ['example'], ['exa mple.com'], [42], [], ['example.com', 'extra']]) await refused('addSharedContacts', args);
    for (const args of [['book', 'file:///etc/passwd'], ['book', 'javascript:alert(1)'], ['', 'https://x.example/p.jpg'], ['book']]) await refused('loadPhoto', args);
    for (const args of [['id with spaces', ''], ['', 's'], [42, 's']]) await refused('setGoogleClient', args);
    for (const args of [[42], ['a', 'b']]) await refused('signInGoogle', args);
    await refused('takeOpenedFiles', ['x']);
    expect(await dispatch(handlers, 'takeOpenedFiles', [])).toEqual({ ok: true, value: [] });
    // Without a configured OAuth client, sign-in says what is missing instead of opening anything.
    expect(await dispatch(handlers, 'signInGoogle', [null])).toMatchObject({ ok: false, error: { code: 'not-configured' } });
    expect(p.opened).toEqual([]);
  });

  it('hands only http(s), mailto and tel to the OS', async () => {
    const p = platform();
    const handlers = handlersFor(p);
    for (const url of ['https://example.org/a?b', 'http://example.org', 'mailto:a@b.c', 'tel:+15550100']) {
      expect(await dispatch(handlers, 'openExternal', [url])).toEqual({ ok: true, value: undefined });
    }
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://', 'http://a b', 'https://a\u0000b']) {
      expect(isExternalUrlAllowed(url)).toBe(false);
      expect(await dispatch(handlers, 'openExternal', [url])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    }
    expect(p.opened).toEqual(['https://example.org/a?b', 'http://example.org', 'mailto:a@b.c', 'tel:+15550100']);
  });

  it('never lets an internal error’s details cross the boundary', () => {
    expect(toTransferError(new Error('token=ya29.secret at /home/u/x'))).toEqual({ code: 'internal', message: 'An unexpected error occurred in the main process.' });
    expect(toTransferError(new CardinalError('conflict', 'edited elsewhere'))).toEqual({ code: 'conflict', message: 'edited elsewhere' });
  });
});

describe('sender check', () => {
  const ok = { frameUrl: 'cardinal://app/index.html', isMainFrame: true, senderId: 3, windowId: 3 };
  it('trusts our window’s main frame on our origin only', () => {
    expect(isTrustedFrame(ok, 'cardinal://app')).toBe(true);
    expect(isTrustedFrame({ ...ok, senderId: 4 }, 'cardinal://app')).toBe(false);
    expect(isTrustedFrame({ ...ok, isMainFrame: false }, 'cardinal://app')).toBe(false);
    expect(isTrustedFrame({ ...ok, frameUrl: 'https://evil.example/' }, 'cardinal://app')).toBe(false);
    expect(isTrustedFrame({ ...ok, frameUrl: null }, 'cardinal://app')).toBe(false);
    expect(isTrustedFrame({ ...ok, windowId: null }, 'cardinal://app')).toBe(false);
    expect(isTrustedFrame({ ...ok, frameUrl: 'not a url' }, 'cardinal://app')).toBe(false);
  });
});

describe('store requests from main to the renderer', () => {
  it('matches answers to requests by id and turns error replies into typed errors', async () => {
    const sent: { id: number; name: string }[] = [];
    const port = new PendingStoreRequests((m) => void sent.push(m));
    const a = port.request('getStoreStats');
    const b = port.request('getStoreStats');
    port.receive({ id: sent[1]!.id, reply: { ok: false, error: { code: 'not-found', message: 'no store' } } });
    port.receive({ id: sent[0]!.id, reply: { ok: true, value: { contacts: 7 } } });
    await expect(a).resolves.toEqual({ contacts: 7 });
    await expect(b).rejects.toMatchObject({ code: 'not-found' });
  });

  it('accepts the answer of a request that returns nothing (no value key after JSON)', async () => {
    const sent: { id: number }[] = [];
    const port = new PendingStoreRequests((m) => void sent.push(m));
    const done = port.request('ensureBook', 'b1', 'Work');
    port.receive(JSON.parse(JSON.stringify({ id: sent[0]!.id, reply: { ok: true, value: undefined } })));
    await expect(done).resolves.toBeUndefined();
  });

  it('ignores malformed and unknown answers, and fails a request nobody answers', async () => {
    vi.useFakeTimers();
    const port = new PendingStoreRequests(() => {}, 1000);
    const pending = port.request('getStoreStats');
    port.receive('garbage');
    port.receive({ id: 999, reply: { ok: true, value: 1 } });
    port.receive({ id: 1, reply: { ok: 'yes' } });
    vi.advanceTimersByTime(1001);
    await expect(pending).rejects.toMatchObject({ code: 'unavailable' });
    vi.useRealTimers();
  });
});

describe('secrets at rest in the Node platform', () => {
  it('encrypts so the plain text is not in the stored bytes, and decrypts back', async () => {
    const p = platform();
    const sealed = await p.encryptSecret('refresh-token-1/abc');
    expect(Buffer.from(sealed).toString('latin1')).not.toContain('refresh-token');
    expect(await p.decryptSecret(sealed)).toBe('refresh-token-1/abc');
    sealed[sealed.length - 1]! ^= 1;
    await expect(p.decryptSecret(sealed)).rejects.toThrow();
  });
});
