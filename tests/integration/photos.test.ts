/** Photos given as URIs: whose credentials fetch them, and who gets a photo fetched with them. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NodePlatform } from '../../electron/platform/node-platform';
import { AccountStore } from '../../electron/sync/accounts';
import { Connections } from '../../electron/sync/connections';
import { PhotoLoader } from '../../electron/sync/photos';
import type { AccountInfo } from '../../shared/sync/types';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('photos by URI', () => {
  let dir: string;
  let server: Server;
  let base: string;
  /** Each request: path and the Authorization it carried. */
  let seen: { path: string; auth: string | undefined }[];
  let failing: Set<string>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cardinal-photos-'));
    seen = [];
    failing = new Set();
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization });
      if (failing.has(req.url ?? '')) return res.writeHead(503).end();
      // Each account's own photo: what it may see depends on who asks.
      res.writeHead(200, { 'Content-Type': 'image/png', 'X-Who': req.headers.authorization ?? '' }).end(PNG);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  async function loader() {
    const accounts = new AccountStore(new NodePlatform({ dataDir: dir, version: '0.0.0' }));
    const account = (id: string, user: string): AccountInfo => ({ id, kind: 'carddav', serverUrl: base, user, allowInsecure: false, intervalMinutes: 0, books: [{ id: `${id}:book`, url: `${base}/${user}/`, name: user }], available: [] });
    await accounts.add(account('a', 'ada'), 'ada-secret');
    await accounts.add(account('b', 'bob'), 'bob-secret');
    return new PhotoLoader({ accounts, connections: new Connections(accounts, {}) });
  }

  it('a photo fetched with one account’s credentials is not handed to another account’s book', async () => {
    const photos = await loader();
    expect(await photos.load('a:book', `${base}/shared/photo.png`)).toMatch(/^data:image\/png;base64,/);
    expect(await photos.load('b:book', `${base}/shared/photo.png`)).toMatch(/^data:image\/png;base64,/);
    expect(seen.map((s) => s.auth?.startsWith('Basic ') === true)).toEqual([true, true]);
    expect(new Set(seen.map((s) => s.auth)).size).toBe(2); // each with its own
    expect(await photos.load('a:book', `${base}/shared/photo.png`)).toMatch(/^data:image/);
    expect(seen).toHaveLength(2); // and each kept for its own account
  });

  it('a photo that could not be had is asked for again a few minutes later', async () => {
    const photos = await loader();
    failing.add('/flaky.png');
    expect(await photos.load('a:book', `${base}/flaky.png`)).toBeNull();
    expect(await photos.load('a:book', `${base}/flaky.png`)).toBeNull();
    expect(seen).toHaveLength(1); // not asked again at once
    failing.clear();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 6 * 60_000);
      expect(await photos.load('a:book', `${base}/flaky.png`)).toMatch(/^data:image\/png;base64,/);
    } finally {
      vi.useRealTimers();
    }
    expect(seen).toHaveLength(2);
  });
});
