import { describe, expect, it } from 'vitest';
import { DigestSession, parseDigestChallenge } from '../../../electron/dav/digest';
import { discoveryCandidates, isDiscoveryInput, type Resolver } from '../../../electron/dav/discovery';
import { DavHttp } from '../../../electron/dav/http';
import { backoffSeconds } from '../../../electron/sync/scheduler';

describe('Digest authentication (RFC 7616)', () => {
  // RFC 7616 §3.9.1: the same challenge offered with SHA-256 and MD5.
  const challenge = (alg: string) =>
    `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${alg}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`;
  const answer = (alg: string) => {
    const c = parseDigestChallenge(challenge(alg))!;
    return new DigestSession('Mufasa', 'Circle of Life', c, () => 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ').authorization('GET', '/dir/index.html');
  };

  it('answers the RFC’s example with its published responses', () => {
    expect(answer('MD5')).toContain('response="8ca523f5e9506fed4657c9700eebdbec"');
    expect(answer('SHA-256')).toContain('response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"');
    expect(answer('MD5')).toMatch(/qop=auth, nc=00000001, cnonce="f2\/wE4q74E6zIJEtWaHKaf5wv\/H5QzzpXusqGemxURZJ", opaque="FQhe/);
  });

  it('finds the Digest challenge among other schemes and reads stale; refuses what it cannot answer', () => {
    const c = parseDigestChallenge('Basic realm="x", Digest realm="r, with comma", nonce="n1", stale=TRUE, qop="auth"');
    expect(c).toMatchObject({ realm: 'r, with comma', nonce: 'n1', stale: true, qop: 'auth', algorithm: 'MD5' });
    expect(parseDigestChallenge('Basic realm="x"')).toBeNull();
    expect(parseDigestChallenge('Digest realm="x", nonce="n", qop="auth-int"')).toBeNull();
    expect(parseDigestChallenge('Digest realm="x", nonce="n", algorithm=SHA-512-256')).toBeNull();
    expect(parseDigestChallenge('Digest realm="x"')).toBeNull();
  });

  it('counts nonce uses', () => {
    const s = new DigestSession('u', 'p', parseDigestChallenge('Digest realm="r", nonce="n", qop="auth"')!, () => 'c');
    s.authorization('GET', '/');
    expect(s.authorization('GET', '/')).toContain('nc=00000002');
  });
});

describe('credentials in the clear', () => {
  it('over plain http to another host (allowed by the user), nothing is sent before the server names its scheme', async () => {
    const seen: (string | null)[] = [];
    const http = new DavHttp({
      auth: { kind: 'basic', user: 'u', password: 'p' },
      allowInsecure: true,
      fetch: async (_url, init) => {
        const auth = new Headers(init?.headers).get('authorization');
        seen.push(auth);
        return auth === null ? new Response('', { status: 401, headers: { 'WWW-Authenticate': 'Digest realm="r", nonce="n", qop="auth"' } }) : new Response('ok');
      },
    });
    await http.request('GET', 'http://dav.example.org/x');
    expect(seen[0]).toBeNull();
    expect(seen[1]).toMatch(/^Digest /);
    expect(seen.join('')).not.toContain(Buffer.from('u:p').toString('base64'));
  });

  it('refuses plain http to another host unless the user allowed it', async () => {
    const http = new DavHttp({ auth: { kind: 'none' }, fetch: async () => new Response('ok') });
    await expect(http.request('GET', 'http://dav.example.org/')).rejects.toThrow(/allow insecure/);
    await expect(http.request('GET', 'http://127.0.0.1:1/')).resolves.toMatchObject({ status: 200 });
  });
});

describe('RFC 6764 discovery from what the user typed', () => {
  const resolver = (srv: Awaited<ReturnType<Resolver['resolveSrv']>> | Error, txt: string[][] | Error = []): Resolver & { asked: string[] } => {
    const asked: string[] = [];
    return {
      asked,
      resolveSrv: async (name) => {
        asked.push(name);
        if (srv instanceof Error) throw srv;
        return srv;
      },
      resolveTxt: async () => {
        if (txt instanceof Error) throw txt;
        return txt;
      },
    };
  };

  it('an e-mail address: SRV (by priority, then weight) with the TXT path, then the domain itself', async () => {
    const r = resolver(
      [
        { name: 'backup.example.com', port: 8443, priority: 20, weight: 0 },
        { name: 'dav.example.com', port: 443, priority: 10, weight: 5 },
      ],
      [['path=/dav/', 'card']],
    );
    r.resolveTxt = async () => [['path=/dav/card']];
    const start = await discoveryCandidates('Ada@Example.com', r);
    expect(r.asked).toEqual(['_carddavs._tcp.example.com']);
    // The origin the user named is the domain's: the SRV targets are other origins (the user is asked before any goes there).
    expect(start).toEqual({ origin: 'https://example.com', candidates: ['https://dav.example.com/dav/card', 'https://backup.example.com:8443/dav/card', 'https://example.com/'], email: 'Ada@Example.com' });
  });

  it('no SRV record, or "." (no service): the well-known URL of the domain', async () => {
    expect((await discoveryCandidates('me@example.org', resolver(new Error('ENOTFOUND')))).candidates).toEqual(['https://example.org/']);
    expect((await discoveryCandidates('me@example.org', resolver([{ name: '.', port: 0, priority: 0, weight: 0 }]))).candidates).toEqual(['https://example.org/']);
  });

  it('a URL is used as given, without DNS', async () => {
    const r = resolver([]);
    expect(await discoveryCandidates('https://dav.example.net/remote.php/dav', r)).toEqual({ origin: 'https://dav.example.net', candidates: ['https://dav.example.net/remote.php/dav'], email: null });
    expect(r.asked).toEqual([]);
  });

  it('accepts URLs, e-mail addresses and host names; refuses the rest', () => {
    for (const ok of ['https://x.example/', 'http://127.0.0.1:5232/', 'a@b.example', 'dav.example.com']) expect(isDiscoveryInput(ok)).toBe(true);
    for (const bad of ['ftp://x', 'not an address', 'javascript:alert(1)', '']) expect(isDiscoveryInput(bad)).toBe(false);
  });
});

describe('backoff after soft failures', () => {
  it('doubles from 30 s to an hour with jitter, and Retry-After wins', () => {
    expect(backoffSeconds(1, null, () => 0.5)).toBe(30);
    expect(backoffSeconds(3, null, () => 0.5)).toBe(120);
    expect(backoffSeconds(20, null, () => 0.5)).toBe(3600);
    expect(backoffSeconds(1, null, () => 0)).toBe(23);
    expect(backoffSeconds(1, null, () => 0.999)).toBe(37);
    expect(backoffSeconds(5, 120, () => 0.5)).toBe(120);
    expect(backoffSeconds(1, 0, () => 0.5)).toBe(1);
  });
});
