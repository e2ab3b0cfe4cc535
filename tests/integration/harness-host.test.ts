/**
 * The harness host over a real WebSocket: only a client with the run's secret and the page's own
 * Origin gets in, and the contract works both ways.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startHarness, type Harness } from '../harness/host';

let harness: Harness;
let secret: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardinal-host-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  writeFileSync(join(dir, 'bridge.js'), '/* bridge */');
  harness = await startHarness({ rendererDir: join(dir, 'renderer'), bridgeFile: join(dir, 'bridge.js'), dataDir: join(dir, 'data'), version: '1.2.3', onOpenExternal: () => {} });
  secret = new URL(harness.url).searchParams.get('k')!;
});
afterAll(async () => {
  await harness.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(query: string, origin: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${harness.origin.replace('http', 'ws')}/ipc${query}`, origin === undefined ? {} : { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function next(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)) as Record<string, unknown>)));
}

describe('harness host', () => {
  it('listens on loopback only', () => {
    expect(new URL(harness.url).hostname).toBe('127.0.0.1');
  });

  it('refuses a connection without the secret, with a wrong one, or from another origin', async () => {
    await expect(connect('', harness.origin)).rejects.toThrow('HTTP 403');
    await expect(connect('?k=wrong', harness.origin)).rejects.toThrow('HTTP 403');
    await expect(connect(`?k=${secret}`, 'http://127.0.0.1:1')).rejects.toThrow('HTTP 403');
    await expect(connect(`?k=${secret}`, undefined)).rejects.toThrow('HTTP 403');
  });

  it('serves the contract to our page, and the page can answer store requests', async () => {
    const ws = await connect(`?k=${secret}`, harness.origin);
    ws.send(JSON.stringify({ type: 'request', id: 1, channel: 'getAppInfo', args: [] }));
    expect(await next(ws)).toEqual({ type: 'reply', id: 1, reply: { ok: true, value: expect.objectContaining({ version: '1.2.3', shell: 'harness' }) } });

    ws.send(JSON.stringify({ type: 'request', id: 2, channel: 'openExternal', args: ['file:///etc/passwd'] }));
    expect(await next(ws)).toMatchObject({ id: 2, reply: { ok: false, error: { code: 'invalid-argument' } } });

    const asked = next(ws);
    const answer = harness.store.request('getStoreStats');
    const req = await asked;
    expect(req).toMatchObject({ type: 'store-request', name: 'getStoreStats' });
    ws.send(JSON.stringify({ type: 'store-reply', id: req.id, reply: { ok: true, value: { contacts: 3 } } }));
    await expect(answer).resolves.toEqual({ contacts: 3 });
    ws.close();
  });

  it('a page reloaded while a store request waits on it: the new page connects first, and the request sent only to the old page fails at once, not after the timeout', async () => {
    const old = await connect(`?k=${secret}`, harness.origin);
    const asked = next(old);
    const answer = harness.store.request('getStoreStats');
    await asked; // the old page got it, and goes away without answering
    const fresh = await connect(`?k=${secret}`, harness.origin);
    old.close();
    // "the window went away", not the timeout's "did not answer" (30 s, past this test's time).
    await expect(answer).rejects.toMatchObject({ code: 'unavailable', message: 'the window went away' });
    // What is asked now reaches the new page, which answers it.
    const again = next(fresh);
    const second = harness.store.request('getStoreStats');
    const req = await again;
    fresh.send(JSON.stringify({ type: 'store-reply', id: req.id, reply: { ok: true, value: { contacts: 5 } } }));
    await expect(second).resolves.toEqual({ contacts: 5 });
    fresh.close();
  });

  it('a page reloaded while a sync asks: a store request made after the old page went and before the new one connected fails at once, not after the timeout, and the new page answers the next', async () => {
    const old = await connect(`?k=${secret}`, harness.origin);
    const closed = new Promise((resolve) => old.once('close', resolve));
    old.close();
    await closed;
    await vi.waitFor(() => expect(harness.connections()).toBe(0));
    // No page is there: nobody takes it (before, it waited out the 30 s timeout, the sync with it).
    await expect(harness.store.request('getStoreStats')).rejects.toMatchObject({ code: 'unavailable', message: 'the window went away' });
    // The page that comes is told what is asked from then on, and its answer is taken.
    const fresh = await connect(`?k=${secret}`, harness.origin);
    await expect(harness.store.answering?.(1000)).resolves.toBe(true);
    const again = next(fresh);
    const second = harness.store.request('getStoreStats');
    const req = await again;
    fresh.send(JSON.stringify({ type: 'store-reply', id: req.id, reply: { ok: true, value: { contacts: 2 } } }));
    await expect(second).resolves.toEqual({ contacts: 2 });
    fresh.close();
  });

  it('serves the page with the CSP header and injects the bridge before the app script', async () => {
    const res = await fetch(`${harness.origin}/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<script src="/harness/bridge.js"></script>');
    expect((await fetch(`${harness.origin}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });
});
