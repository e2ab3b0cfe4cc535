/**
 * The browser harness host: runs the same main-process core as Electron in plain Node and serves
 * the IPC contract over a WebSocket on 127.0.0.1, next to the built renderer. The page gets the
 * same `window.cardinal` from the bridge script that the preload gives it in Electron.
 *
 * Only our page can connect: the WebSocket needs the per-run secret from the page's URL and the
 * page's own Origin; the server listens on loopback only.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, relative, isAbsolute } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { EventName, Events } from '../../shared/ipc/contract';
import { dispatch } from '../../electron/core/dispatch';
import { createRequestHandlers } from '../../electron/core/handlers';
import { OpenedFileQueue, readOpenedFiles } from '../../electron/core/open-files';
import { PendingStoreRequests, type StorePort } from '../../electron/core/store-port';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/csp';
import { NodePlatform } from '../../electron/platform/node-platform';
import { SyncManager } from '../../electron/sync/manager';

export interface HarnessOptions {
  /** Built renderer (index.html and assets). */
  rendererDir: string;
  /** The built bridge script. */
  bridgeFile: string;
  dataDir: string;
  version: string;
  port?: number;
  locale?: string;
  onOpenExternal?: (url: string) => void;
  /** Minutes between automatic syncs (0: only on demand). */
  syncIntervalMinutes?: number;
  /** The sync's log lines (the engine's phases), as main writes them to its log. */
  log?: (line: string) => void;
}

export interface Harness {
  /** The page to open, secret included. */
  readonly url: string;
  readonly origin: string;
  readonly platform: NodePlatform;
  readonly store: StorePort;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  /** `.vcf` files handed over as the OS would (a launch's command line, a second launch, open-file). */
  openFiles(paths: readonly string[]): Promise<void>;
  /** Pages connected now. */
  connections(): number;
  /** As if this process stopped, for the page: its sockets closed and new ones refused until `comeBack` (the host itself keeps running). */
  goAway(): void;
  comeBack(): void;
  /** As if this process was started again on the same port: a new key, and the pages dropped. */
  newKey(): void;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('request'), id: z.number().int(), channel: z.string().max(100), args: z.array(z.unknown()) }),
  z.object({ type: z.literal('store-reply'), id: z.number().int(), reply: z.unknown() }),
]);

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  let secret = randomBytes(24).toString('base64url');
  const platform = new NodePlatform({ dataDir: options.dataDir, version: options.version, locale: options.locale, onOpenExternal: options.onOpenExternal });
  const sockets = new Set<WebSocket>();
  /** Each open page: the id of the first store request it received. */
  const receivesFrom = new Map<WebSocket, number>();
  const store = new PendingStoreRequests((message) => {
    // A page whose socket is closing takes nothing; with no page open the request fails at once
    // (a reload between the old page's going and the new one's coming), never waits out the timeout.
    const open = [...sockets].filter((ws) => ws.readyState === ws.OPEN);
    for (const ws of open) ws.send(JSON.stringify({ type: 'store-request', ...message }));
    return open.length > 0;
  }, undefined, false);
  const emit = <E extends EventName>(event: E, payload: Events[E]): void => {
    for (const ws of sockets) ws.send(JSON.stringify({ type: 'event', event, payload }));
  };
  const sync = new SyncManager({ platform, store, emit: (s) => emit('syncStatus', s), intervalMinutes: options.syncIntervalMinutes ?? 15, log: options.log });
  const opened = new OpenedFileQueue((files) => emit('openFiles', files));
  const handlers = createRequestHandlers(platform, sync, opened);

  /** goAway: the host plays dead (its sockets dropped, nothing answered) until comeBack. */
  let away = false;
  const server = createServer((req, res) => {
    // The page asks, after its socket closed, whether its key is still this host's: a page kept
    // from an earlier start (a new key) is told so instead of trying for ever (bridge.ts).
    if (req.url?.startsWith('/ipc-key?') === true) {
      if (away) {
        req.socket.destroy();
        return;
      }
      const given = Buffer.from(new URL(req.url, 'http://127.0.0.1').searchParams.get('k') ?? '');
      const expected = Buffer.from(secret);
      res.writeHead(given.length === expected.length && timingSafeEqual(given, expected) ? 204 : 403, { 'Cache-Control': 'no-store' }).end();
      return;
    }
    void serveFile(req, res, options).catch(() => {
      res.writeHead(500).end();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    // The port is taken: nothing of this host stays running.
    sync.dispose();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    if (away) {
      socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    const given = Buffer.from(url.searchParams.get('k') ?? '');
    const expected = Buffer.from(secret);
    const secretOk = given.length === expected.length && timingSafeEqual(given, expected);
    if (url.pathname !== '/ipc' || !secretOk || req.headers.origin !== origin) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      // Every store request from now on reaches this page too.
      receivesFrom.set(ws, store.nextRequestId);
      // A page is there to answer again (a sync whose page went away runs again now).
      store.setAnswering(true);
      ws.on('close', () => {
        sockets.delete(ws);
        receivesFrom.delete(ws);
        // No page left (a reload, a closed tab): files from the OS wait for the next one to ask.
        if (sockets.size === 0) opened.pause();
        // What only the pages gone received is answered by nobody: it fails now, not after the
        // timeout (a reload's new page connects before the old page's connection closes).
        store.failBefore(Math.min(Number.POSITIVE_INFINITY, ...receivesFrom.values()));
        if (sockets.size === 0) store.setAnswering(false);
      });
      ws.on('message', (data) => {
        let parsed: z.infer<typeof clientMessage>;
        try {
          parsed = clientMessage.parse(JSON.parse(String(data)));
        } catch {
          return; // not ours: ignore
        }
        if (parsed.type === 'store-reply') {
          store.receive({ id: parsed.id, reply: parsed.reply });
          return;
        }
        void dispatch(handlers, parsed.channel, parsed.args).then((reply) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'reply', id: parsed.id, reply }));
        });
      });
    });
  });

  return {
    get url() {
      return `${origin}/?k=${secret}`;
    },
    origin,
    platform,
    store,
    emit,
    openFiles: async (paths) => opened.add((await readOpenedFiles(paths)).files),
    connections: () => sockets.size,
    goAway: () => {
      away = true;
      for (const ws of sockets) ws.terminate();
    },
    comeBack: () => {
      away = false;
    },
    newKey: () => {
      secret = randomBytes(24).toString('base64url');
      for (const ws of sockets) ws.terminate();
    },
    close: async () => {
      sync.dispose();
      store.closeAll();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serveFile(req: IncomingMessage, res: ServerResponse, options: HarnessOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const headers = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
  if (pathname === '/harness/bridge.js') {
    res.writeHead(200, { ...headers, 'Content-Type': MIME['.js'] }).end(await readFile(options.bridgeFile));
    return;
  }
  const file = normalize(join(options.rendererDir, pathname === '/' ? 'index.html' : pathname));
  const rel = relative(options.rendererDir, file);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    res.writeHead(404).end();
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    res.writeHead(404, headers).end('not found');
    return;
  }
  if (rel === 'index.html') {
    // The bridge must define window.cardinal before the app's module script runs.
    body = Buffer.from(String(body).replace('<head>', '<head>\n    <script src="/harness/bridge.js"></script>'));
  }
  res.writeHead(200, { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body);
}
