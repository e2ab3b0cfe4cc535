/**
 * Where a photo URI may be fetched from. A card can name any URL as its photo, and the main
 * process fetches it outside the page's CSP and Chromium's private-network rules, so the address
 * a host name resolves to is checked: no loopback, private, link-local, shared (CGNAT), multicast
 * or unspecified address unless the book itself lives on that host. The check is made on the
 * address the connection really uses (the lookup of the socket), so a name that resolves to a
 * public address when asked and to 127.0.0.1 a moment later gets nowhere.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { Readable } from 'node:stream';

/** Addresses that are this machine or its networks, never the public internet (IANA special-purpose registries). */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv6');
}

/** An IPv6 address that carries an IPv4 one (mapped `::ffff:a.b.c.d`, or NAT64 `64:ff9b::`), as that IPv4 address. */
function embeddedIpv4(address: string): string | null {
  const m = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (m === null) return null;
  if (m[1] !== undefined) return m[1];
  const hi = Number.parseInt(m[2]!, 16);
  const lo = Number.parseInt(m[3]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True for loopback, private, link-local and the other addresses that are not the public internet. */
export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const v4 = isIP(bare) === 6 ? embeddedIpv4(bare) : bare;
  if (v4 !== null && isIP(v4) === 4) return INTERNAL.check(v4, 'ipv4');
  return isIP(bare) === 6 ? INTERNAL.check(bare, 'ipv6') : true; // not an address at all: refused
}

export class PhotoAddressRefused extends Error {
  override name = 'PhotoAddressRefused';
}

/**
 * A `fetch` for photos whose connections go only to addresses `allowed` accepts (checked on the
 * lookup the socket itself uses, and on an IP literal before connecting). It does what `DavHttp`
 * asks of a fetch: a method, headers, manual redirects, an abort signal; GET bodies are not sent.
 */
export function guardedFetch(allowed: (address: string) => boolean): typeof fetch {
  const lookup = (hostname: string, options: { all?: boolean }, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { all: true }, (err, addresses) => {
      if (err !== null) return callback(err, []);
      const refused = addresses.find((a) => !allowed(a.address));
      if (refused !== undefined) return callback(new PhotoAddressRefused(`${hostname} is ${refused.address}, an address on this machine or its network`), []);
      if (options.all === true) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  const doFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && !allowed(host)) return Promise.reject(new PhotoAddressRefused(`${host} is an address on this machine or its network`));
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Response>((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers: Object.fromEntries(new Headers(init.headers).entries()), lookup, signal: init.signal ?? undefined }, (res: IncomingMessage) => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
        const status = res.statusCode ?? 502;
        const empty = status === 204 || status === 205 || status === 304;
        if (empty) res.resume();
        resolve(new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, headers }));
      });
      req.on('error', reject);
      req.end();
    });
  };
  return doFetch as typeof fetch;
}
