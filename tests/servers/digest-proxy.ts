/**
 * A Digest-only front (RFC 7616, MD5 with qop=auth) for a real server that has no authentication
 * of its own (Xandikos): checks every request's answer to its challenge, turns nonces stale every
 * few requests, and forwards what passes. The check is written here from the RFC, separately from
 * the client's code, so a wrong client answer fails.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { forward } from './forward';

export interface DigestProxy {
  url: string;
  /** Every Authorization header received, for checks that the password never travels. */
  authorizations: string[];
  /** Requests that passed the check and were forwarded. */
  forwarded: number;
  close(): Promise<void>;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

function params(header: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of header.replace(/^Digest\s+/i, '').matchAll(/([a-z]+)=(?:"([^"]*)"|([^,\s]*))/gi)) out.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? '');
  return out;
}

export async function startDigestProxy(target: string, user: string, password: string, realm = 'cardinal-test', rotateEvery = 7): Promise<DigestProxy> {
  let nonce = randomBytes(12).toString('hex');
  const old = new Set<string>();
  let served = 0;
  const opaque = randomBytes(8).toString('hex');
  const seenNc = new Map<string, number>();
  const state: DigestProxy = { url: '', authorizations: [], forwarded: 0, close: async () => {} };

  const challenge = (stale: boolean) => `Basic realm="${realm}", Digest realm="${realm}", qop="auth", algorithm=MD5, nonce="${nonce}", opaque="${opaque}"${stale ? ', stale=true' : ''}`;

  const check = (req: IncomingMessage): 'ok' | 'stale' | 'no' => {
    const h = req.headers.authorization ?? '';
    if (!/^Digest /i.test(h)) return 'no';
    const p = params(h);
    if (p.get('username') !== user || p.get('realm') !== realm || p.get('uri') !== req.url || p.get('qop') !== 'auth' || p.get('opaque') !== opaque) return 'no';
    const n = p.get('nonce') ?? '';
    const nc = parseInt(p.get('nc') ?? '0', 16);
    const ha1 = md5(`${user}:${realm}:${password}`);
    const ha2 = md5(`${req.method}:${req.url}`);
    const expected = md5(`${ha1}:${n}:${p.get('nc')}:${p.get('cnonce')}:auth:${ha2}`);
    if (expected !== p.get('response')) return 'no';
    if (old.has(n)) return 'stale';
    if (n !== nonce) return 'no';
    // A replayed nonce count is refused.
    if (nc <= (seenNc.get(n) ?? 0)) return 'no';
    seenNc.set(n, nc);
    return 'ok';
  };

  const server: Server = createServer((req, res) => {
    state.authorizations.push(req.headers.authorization ?? '');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const verdict = check(req);
      if (verdict !== 'ok') {
        res.writeHead(401, { 'WWW-Authenticate': challenge(verdict === 'stale'), 'Content-Type': 'text/plain' }).end('unauthorized');
        return;
      }
      if (++served % rotateEvery === 0) {
        old.add(nonce);
        nonce = randomBytes(12).toString('hex');
      }
      state.forwarded++;
      forward(req, chunks.length > 0 ? Buffer.concat(chunks) : undefined, target, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
