/** Relay one request to a real server and its answer back (the test proxies' shared part). */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers not relayed: hop-by-hop ones, and Accept-Encoding so every client gets plain bodies. */
const DROP_REQUEST = ['host', 'connection', 'content-length', 'authorization', 'accept-encoding'];
const DROP_RESPONSE = ['content-length', 'transfer-encoding', 'connection', 'content-encoding'];

/** `rewrite` may change an answer's body before it is relayed (fronts that make a server behave otherwise). */
export function forward(
  req: IncomingMessage,
  body: Buffer | undefined,
  target: string,
  res: ServerResponse,
  keepAuthorization = false,
  rewrite: (body: Buffer) => Buffer = (b) => b,
): void {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === 'string' && (!DROP_REQUEST.includes(k) || (keepAuthorization && k === 'authorization'))) headers[k] = v;
  }
  void fetch(new URL(req.url ?? '/', target), { method: req.method, headers, body: body === undefined ? undefined : new Uint8Array(body), redirect: 'manual' })
    .then(async (r) => {
      const out: Record<string, string> = {};
      // As a reverse proxy does (nginx's proxy_redirect): a Location on the server's own origin
      // names the front's (DAViCal answers a POST with an absolute one).
      const targetOrigin = new URL(target).origin;
      r.headers.forEach((v, k) => {
        if (DROP_RESPONSE.includes(k)) return;
        out[k] = k === 'location' && req.headers.host !== undefined && v.startsWith(`${targetOrigin}/`) ? `http://${req.headers.host}${v.slice(targetOrigin.length)}` : v;
      });
      res.writeHead(r.status, out).end(rewrite(Buffer.from(await r.arrayBuffer())));
    })
    .catch(() => res.writeHead(502).end());
}
