/**
 * Where a CardDAV service lives, from what the user typed (RFC 6764): a server URL as given; or an
 * e-mail address (or bare domain), looked up as `_carddavs._tcp` SRV with its TXT `path`, then the
 * domain's own `/.well-known/carddav`. Each candidate is handed to the client's discovery in turn.
 */
import { promises as dns } from 'node:dns';

export interface Resolver {
  resolveSrv(name: string): Promise<{ name: string; port: number; priority: number; weight: number }[]>;
  resolveTxt(name: string): Promise<string[][]>;
}

/** What the user typed, as the user name it implies (for e-mail addresses) and the places to try. */
export interface DiscoveryStart {
  /**
   * The origin the user named: the URL's, or `https://<domain>` for an e-mail address or a host.
   * Discovery stays on it; any other (an SRV target, a redirect) needs the user's word first.
   */
  readonly origin: string;
  readonly candidates: readonly string[];
  /** The e-mail address typed, a good default user name. */
  readonly email: string | null;
}

const EMAIL = /^[^\s@/]+@([^\s@/]+\.[^\s@/]+)$/;

/** Accept `https://…`, `http://…`, `name@domain`, or a bare host. */
export function isDiscoveryInput(input: string): boolean {
  const t = input.trim();
  return /^https?:\/\/[^\s]+$/i.test(t) || EMAIL.test(t) || /^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?(\/\S*)?$/i.test(t);
}

export async function discoveryCandidates(input: string, resolver: Resolver = dns): Promise<DiscoveryStart> {
  const t = input.trim();
  if (/^https?:\/\//i.test(t)) return { origin: new URL(t).origin, candidates: [t], email: null };
  const email = EMAIL.exec(t);
  const domain = email !== null ? email[1]!.toLowerCase() : t.replace(/\/.*$/, '');
  const out: string[] = [];
  try {
    const records = (await resolver.resolveSrv(`_carddavs._tcp.${domain}`))
      // "." as the target: the domain says it has no such service (RFC 2782).
      .filter((r) => r.name !== '' && r.name !== '.')
      .sort((a, b) => a.priority - b.priority || b.weight - a.weight);
    if (records.length > 0) {
      let path = '/';
      try {
        const txt = (await resolver.resolveTxt(`_carddavs._tcp.${domain}`)).map((chunks) => chunks.join(''));
        const p = txt.map((x) => /^path=(\/\S*)$/.exec(x)?.[1]).find((x) => x !== undefined);
        if (p !== undefined) path = p;
      } catch {
        // No TXT record: the well-known URL on the SRV host is tried.
      }
      for (const r of records) {
        const host = r.name.replace(/\.$/, '');
        const origin = r.port === 443 ? `https://${host}` : `https://${host}:${r.port}`;
        out.push(new URL(path, origin).href);
      }
    }
  } catch {
    // No SRV record, or DNS unavailable: fall through to the domain itself.
  }
  const own = email !== null ? `https://${domain}/` : `https://${t}`;
  out.push(own);
  return { origin: new URL(own).origin, candidates: [...new Set(out)], email: email !== null ? t : null };
}
