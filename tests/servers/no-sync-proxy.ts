/**
 * A front for a real server that makes it one without RFC 6578 sync-collection, as many deployed
 * CardDAV servers still are: the report is taken out of every supported-report-set, and a
 * sync-collection REPORT is refused as RFC 3253 §3.6 says (403, supported-report). What remains is
 * the real server: its CTag, its ETag listings, its multigets and writes.
 */
import { createServer, type Server } from 'node:http';
import { forward } from './forward';

export interface NoSyncProxy {
  url: string;
  /** sync-collection REPORTs refused (a client that ignores the capabilities would show here). */
  refused: number;
  close(): Promise<void>;
}

export async function startNoSyncProxy(target: string): Promise<NoSyncProxy> {
  const state: NoSyncProxy = { url: '', refused: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      if (req.method === 'REPORT' && body !== undefined && /sync-collection/.test(body.toString('utf8'))) {
        state.refused++;
        res
          .writeHead(403, { 'Content-Type': 'application/xml; charset=utf-8' })
          .end('<?xml version="1.0" encoding="utf-8"?><D:error xmlns:D="DAV:"><D:supported-report/></D:error>');
        return;
      }
      const hide = req.method === 'PROPFIND' ? (b: Buffer) => Buffer.from(b.toString('utf8').replace(/<(?:[\w.-]+:)?sync-collection\s*\/>/g, '')) : undefined;
      forward(req, body, target, res, true, hide);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
