/**
 * HTTP Digest authentication (RFC 7616, with RFC 2617's MD5 and no-qop forms that older servers
 * still send): read the server's challenge, answer it for each request with a fresh client nonce
 * and a counted nonce use. Written from the RFCs.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string | null;
  /** MD5, MD5-sess, SHA-256 or SHA-256-sess (upper-cased). */
  readonly algorithm: string;
  /** 'auth' when the server offers it; null for the RFC 2069 form without qop. */
  readonly qop: 'auth' | null;
  readonly stale: boolean;
  readonly userhash: boolean;
}

/** The Digest challenge in a WWW-Authenticate value (which may also list other schemes), or null. */
export function parseDigestChallenge(header: string): DigestChallenge | null {
  const at = header.search(/(^|[\s,])digest\s/i);
  if (at < 0) return null;
  const rest = header.slice(at).replace(/^[\s,]*digest\s+/i, '');
  const params = new Map<string, string>();
  // key=token or key="quoted \" string", separated by commas; stop at the next scheme name.
  const re = /\s*([A-Za-z0-9_-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^\s,]*)\s*,?/y;
  for (let m = re.exec(rest); m !== null; m = re.exec(rest)) {
    params.set(m[1]!.toLowerCase(), m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2]!);
  }
  const nonce = params.get('nonce');
  if (nonce === undefined) return null;
  const algorithm = (params.get('algorithm') ?? 'MD5').toUpperCase();
  if (!['MD5', 'MD5-SESS', 'SHA-256', 'SHA-256-SESS'].includes(algorithm)) return null;
  const qops = (params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
  if (params.has('qop') && !qops.includes('auth')) return null; // auth-int only: not offered here
  return {
    realm: params.get('realm') ?? '',
    nonce,
    opaque: params.get('opaque') ?? null,
    algorithm,
    qop: qops.includes('auth') ? 'auth' : null,
    stale: (params.get('stale') ?? '').toLowerCase() === 'true',
    userhash: (params.get('userhash') ?? '').toLowerCase() === 'true',
  };
}

export class DigestSession {
  private count = 0;

  constructor(
    private readonly user: string,
    private readonly password: string,
    private readonly challenge: DigestChallenge,
    private readonly cnonce: () => string = () => randomBytes(16).toString('hex'),
  ) {}

  private hash(text: string): string {
    return createHash(this.challenge.algorithm.startsWith('SHA-256') ? 'sha256' : 'md5')
      .update(text, 'utf8')
      .digest('hex');
  }

  /** The Authorization value for one request (`uri` is the request-target: path and query). */
  authorization(method: string, uri: string): string {
    const c = this.challenge;
    const nc = (++this.count).toString(16).padStart(8, '0');
    const cnonce = this.cnonce();
    let ha1 = this.hash(`${this.user}:${c.realm}:${this.password}`);
    if (c.algorithm.endsWith('-SESS')) ha1 = this.hash(`${ha1}:${c.nonce}:${cnonce}`);
    const ha2 = this.hash(`${method}:${uri}`);
    const response = c.qop === 'auth' ? this.hash(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`) : this.hash(`${ha1}:${c.nonce}:${ha2}`);
    const q = (v: string) => `"${v.replace(/(["\\])/g, '\\$1')}"`;
    const user = c.userhash ? this.hash(`${this.user}:${c.realm}`) : this.user;
    const parts = [`username=${q(user)}`, `realm=${q(c.realm)}`, `nonce=${q(c.nonce)}`, `uri=${q(uri)}`, `algorithm=${c.algorithm}`, `response=${q(response)}`];
    if (c.qop === 'auth') parts.push('qop=auth', `nc=${nc}`, `cnonce=${q(cnonce)}`);
    if (c.opaque !== null) parts.push(`opaque=${q(c.opaque)}`);
    if (c.userhash) parts.push('userhash=true');
    return `Digest ${parts.join(', ')}`;
  }
}
