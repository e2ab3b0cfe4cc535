/**
 * A fake of Google's OAuth 2.0 server and Google's CardDAV, written from `../shared/guide/google-contacts.md`
 * and Google's CardDAV page (seed 000, English part) — the one peer that cannot run here. Each
 * documented or observed quirk is a switch (`quirks`), on by default where Google is reported to
 * behave that way, so the same scenarios can run with and without it.
 *
 * OAuth: the consent page (an Allow and a Deny button), codes bound to a PKCE S256 challenge and a
 * redirect URI, access tokens that expire (the fake's clock can be moved), refresh tokens that can
 * be revoked (`invalid_grant` after that), revocation, userinfo.
 * CardDAV: the well-known 301 with a path-only Location, principal → home set → one address book
 * under `/carddav/v1/principals/<e-mail>/lists/default/` (a raw `@` in every href, no `.vcf`),
 * PROPFIND with ETags and the sync-token, sync-collection (tokens expire after 29 days),
 * addressbook-multiget, GET, PUT, POST, DELETE; Bearer only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { startFakePeople, type FakePeople } from './fake-people';
import type { AddressInfo } from 'node:net';

export interface GoogleQuirks {
  /** PUT and DELETE do not check If-Match (reported for PUT): a stale write goes through. */
  ifMatchIgnored: boolean;
  /** sync-collection with an empty token answers 400. */
  emptyTokenRejected: boolean;
  /** sync-collection with Depth: 0 answers "no changes". */
  depth0NoChanges: boolean;
  /** The server replaces the UID of a created card. */
  replaceUid: boolean;
  /** A PUT to a new client-chosen href is stored elsewhere: 201 with a Location (vdirsyncer#1223). */
  relocatePut: boolean;
  /** CATEGORIES and PRODID are dropped, REV added. */
  rewrite: boolean;
  /** A card with neither FN nor N is refused with 400 INVALID_ARGUMENT. */
  requireName: boolean;
  /** Only vCard 3.0 is taken. */
  only30: boolean;
  /** The status of an expired sync token (403 with DAV:valid-sync-token, or 400/409/410/412). */
  expiredTokenStatus: 400 | 403 | 409 | 410 | 412;
  /** sync-collection also reports the deletion of an href the client never had. */
  unknownDeletions: boolean;
  /** PROPFIND on the principal answers 404 (discovery falls back to the redirect target). */
  principalFails: boolean;
  /** Domain Shared Contacts: the batch endpoint refuses every request with this status (not offered). */
  batchRefused: 400 | 404 | 501 | null;
}

export const DEFAULT_QUIRKS: GoogleQuirks = {
  ifMatchIgnored: true,
  emptyTokenRejected: true,
  depth0NoChanges: true,
  replaceUid: true,
  relocatePut: true,
  rewrite: true,
  requireName: true,
  only30: true,
  expiredTokenStatus: 403,
  unknownDeletions: true,
  principalFails: false,
  batchRefused: null,
};

interface Contact {
  id: string;
  vcard: string;
  etag: string;
  seq: number;
}

interface Grant {
  email: string;
  scope: string;
  revoked: boolean;
}

export interface FakeGoogle {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly email: string;
  readonly quirks: GoogleQuirks;
  /** The environment that points Cardinal at this fake. */
  readonly env: Record<string, string>;
  /** Every request: method, path, Depth. */
  readonly log: { method: string; path: string; depth: string | null; status: number }[];
  /** Every token ever issued (tests scan for leaks). */
  readonly issued: string[];
  /** The card as stored, by id. */
  card(id: string): Contact | undefined;
  cards(): Contact[];
  bookPath(email?: string): string;
  /** Another client's edits. */
  put(id: string, vcard: string): Contact;
  remove(id: string): void;
  /** Move the fake's clock (token expiry, sync-token age). */
  advance(ms: number): void;
  /** Every access token expires now. */
  expireAccessTokens(): void;
  /** The user revoked Cardinal's access in their Google account. */
  revokeAll(): void;
  /** The next n CardDAV (or GData) requests answer 503 with Retry-After, or the status given. */
  failNext(n: number, retryAfterSeconds: number, status?: number): void;
  /**
   * Called before each request is handled (another client acting between two of Cardinal's
   * requests); a request it answers (returns a status) gets that status and is not handled.
   */
  beforeRequest: ((req: { method: string; path: string; query: URLSearchParams; body: string }) => number | void) | null;
  /** The consent page's Allow, done by a test without a browser: the redirect URL with the code. */
  approve(authUrl: string, opts?: { email?: string; tamperChallenge?: boolean; refuse?: readonly string[] }): Promise<string>;
  /** An access token for the fake's user without the browser round trip (engine-level tests). */
  mintAccessToken(scope?: string, who?: string): string;
  /** Domain Shared Contacts: the domain, its administrators, and another client's hand on it. */
  readonly domain: string;
  readonly admins: Set<string>;
  /** Create or replace a shared contact (the children of its entry, as another client sends them). */
  sharedPut(id: string, children: string): void;
  sharedDelete(id: string): void;
  /** The stored entry's children, or undefined (deleted placeholders too). */
  shared(id: string): { children: string; deleted: boolean; etag: string; photo: boolean } | undefined;
  sharedIds(): string[];
  /** The body of the last PUT to an entry, as received. */
  lastPut(): string;
  /** Move the address book (the well-known redirect points elsewhere from now on). */
  moveBook(listName: string): void;
  /**
   * The People API (labels) on the same server, under /v1 (`CARDINAL_GOOGLE_PEOPLE_URL`), on the
   * same tokens: every CardDAV contact is a person whose CONTACT source id is the card's id (and
   * `people/c<decimal>` that id read as hexadecimal).
   */
  readonly people: FakePeople;
  /** The person of a CardDAV contact. */
  personOf(id: string): string;
  close(): Promise<void>;
}

const b64url = (buf: Buffer) => buf.toString('base64url');
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
/** Scopes the consent page grants without a tick (Google's granular consent never offers them apart). */
const IDENTITY_SCOPES = new Set(['openid', 'email', 'profile']);

export async function startFakeGoogle(opts: { email?: string; domain?: string; quirks?: Partial<GoogleQuirks> } = {}): Promise<FakeGoogle> {
  const email = opts.email ?? 'ada.lovelace@example.com';
  const quirks: GoogleQuirks = { ...DEFAULT_QUIRKS, ...opts.quirks };
  const clientId = '123456-cardinal-test.apps.googleusercontent.com';
  const clientSecret = 'GOCSPX-fake-client-secret';
  let offset = 0;
  const now = () => Date.now() + offset;
  const log: FakeGoogle['log'] = [];
  const issued: string[] = [];

  // OAuth state
  const pendingConsents = new Map<string, { redirectUri: string; state: string; challenge: string; scope: string }>();
  const codes = new Map<string, { redirectUri: string; challenge: string; scope: string; email: string; used: boolean }>();
  const accessTokens = new Map<string, { email: string; expiresAt: number; refresh: string; scope: string }>();
  const refreshTokens = new Map<string, Grant>();

  // CardDAV state
  let listName = 'default';
  const contacts = new Map<string, Contact>();
  /** Card id → its person in the People API. */
  const persons = new Map<string, string>();
  const people = await startFakePeople({
    standalone: false,
    authorize: (token) => {
      const t = accessTokens.get(token);
      if (t === undefined || t.expiresAt <= now() || refreshTokens.get(t.refresh)?.revoked === true) return null;
      return t.scope.split(' ');
    },
  });
  const tombstones = new Map<string, number>(); // id → seq of deletion
  let seq = 1;
  const tokensIssuedAt = new Map<number, number>(); // seq → time the token was handed out
  let failures = { n: 0, retryAfter: 0, status: 503 };

  const home = (e = email) => `/carddav/v1/principals/${e}/lists/`;
  const bookPath = (e = email) => `${home(e)}${listName}/`;
  const etagFor = (n: number) => `"${new Date(Date.UTC(2026, 0, 1) + n * 1000 + 255).toISOString().replace('Z', '-08:00')}"`;

  function store(id: string, vcard: string): Contact {
    const c = { id, vcard, etag: etagFor(++seq), seq };
    contacts.set(id, c);
    tombstones.delete(id);
    if (!persons.has(id) && /^[0-9a-f]+$/.test(id)) {
      const name = /^FN[;:](.*)$/im.exec(vcard)?.[1]?.trim() ?? '';
      const emails = [...vcard.matchAll(/^(?:[\w-]+\.)?EMAIL[;:](?:.*:)?([^:\r\n]+)$/gim)].map((m) => m[1]!.trim());
      persons.set(id, people.addPerson({ sourceId: id, name, emails }));
    }
    return c;
  }

  function forget(id: string): void {
    const rn = persons.get(id);
    if (rn !== undefined) people.deletePerson(rn);
    persons.delete(id);
  }

  /** What Google keeps of a card it is given. */
  function rewrite(vcard: string, uid?: string): string {
    let lines = vcard.replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter((l) => l !== '');
    if (quirks.rewrite) {
      lines = lines.filter((l) => !/^(PRODID|CATEGORIES|REV)[;:]/i.test(l));
      lines.splice(lines.length - 1, 0, `REV:${new Date(now()).toISOString()}`);
    }
    if (uid !== undefined) lines = lines.map((l) => (/^UID[;:]/i.test(l) ? `UID:${uid}` : l));
    return `${lines.join('\r\n')}\r\n`;
  }

  function refuse(vcard: string): string | null {
    if (!/^BEGIN:VCARD/im.test(vcard) || !/^END:VCARD/im.test(vcard)) return 'not a vCard';
    if (quirks.only30 && !/^VERSION:3\.0\s*$/im.test(vcard)) return 'INVALID_ARGUMENT: only vCard 3.0 is supported';
    const fn = /^FN[;:](.*)$/im.exec(vcard)?.[1]?.split(':').pop()?.trim() ?? '';
    const n = /^N[;:](.*)$/im.exec(vcard)?.[1]?.replace(/[;\s]/g, '') ?? '';
    if (quirks.requireName && fn === '' && n === '') return 'INVALID_ARGUMENT: the contact has no name (FN or N)';
    return null;
  }

  function bearer(req: IncomingMessage): { email: string } | null {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const t = m === null ? undefined : accessTokens.get(m[1]!);
    if (t === undefined || t.expiresAt <= now() || refreshTokens.get(t.refresh)?.revoked === true) return null;
    return { email: t.email };
  }

  const server: Server = createServer((req, res) => {
    if (people.handle(req, res)) return;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      rawBody = Buffer.concat(chunks);
      const body = rawBody.toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const send = (status: number, headers: Record<string, string>, text = '') => {
        log.push({ method: req.method ?? '', path: url.pathname, depth: (req.headers.depth as string | undefined) ?? null, status });
        res.writeHead(status, headers).end(text);
      };
      try {
        const hook = fake.beforeRequest?.({ method: req.method ?? '', path: url.pathname, query: url.searchParams, body });
        if (typeof hook === 'number') return send(hook, { 'Content-Type': 'text/plain' }, 'injected by the test');
        route(req, url, body, send);
      } catch (e) {
        send(500, { 'Content-Type': 'text/plain' }, (e as Error).message);
      }
    });
  });

  type Send = (status: number, headers: Record<string, string>, text?: string) => void;
  const json = (send: Send, status: number, value: unknown) => send(status, { 'Content-Type': 'application/json' }, JSON.stringify(value));

  function route(req: IncomingMessage, url: URL, body: string, send: Send): void {
    const p = url.pathname;
    // ---- OAuth -------------------------------------------------------------------------------
    if (p === '/o/oauth2/v2/auth' && req.method === 'GET') {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri') ?? '';
      const problems: string[] = [];
      if (q.get('client_id') !== clientId) problems.push('unknown client_id');
      if (!/^http:\/\/127\.0\.0\.1:\d+\/$/.test(redirectUri)) problems.push('redirect_uri must be a loopback address');
      if (q.get('response_type') !== 'code') problems.push('response_type must be code');
      if (q.get('code_challenge_method') !== 'S256' || (q.get('code_challenge') ?? '').length < 43) problems.push('PKCE S256 is required');
      if ((q.get('state') ?? '') === '') problems.push('state is required');
      if (q.get('access_type') !== 'offline') problems.push('access_type=offline expected');
      const scope = q.get('scope') ?? '';
      if (!scope.split(' ').includes('https://www.googleapis.com/auth/carddav') && !scope.split(' ').includes('https://www.google.com/m8/feeds')) problems.push('no contacts scope');
      if (problems.length > 0) return send(400, { 'Content-Type': 'text/html' }, `<p id="error">Error 400: ${problems.join('; ')}</p>`);
      const request = b64url(randomBytes(12));
      pendingConsents.set(request, { redirectUri, state: q.get('state')!, challenge: q.get('code_challenge')!, scope });
      return send(
        200,
        { 'Content-Type': 'text/html; charset=utf-8' },
        `<!doctype html><title>Sign in - Google Accounts</title><h1>Cardinal wants to access your Google Account</h1><p>${email}</p><p>Scopes: ${xmlEscape(scope)}</p>` +
          `<form method="GET" action="/o/oauth2/approve"><input type="hidden" name="request" value="${request}"><input type="hidden" name="granular" value="1">` +
          // Granular consent, as Google shows it: each scope beyond the identity ones can be unticked.
          scope.split(' ').filter((sc) => !IDENTITY_SCOPES.has(sc)).map((sc) => `<label><input type="checkbox" name="grant" value="${xmlEscape(sc)}" checked> ${xmlEscape(sc)}</label>`).join('') +
          `<button name="decision" value="allow" id="allow">Allow</button><button name="decision" value="deny" id="deny">Cancel</button></form>`,
      );
    }
    if (p === '/o/oauth2/approve' && req.method === 'GET') {
      const consent = pendingConsents.get(url.searchParams.get('request') ?? '');
      if (consent === undefined) return send(400, { 'Content-Type': 'text/plain' }, 'unknown request');
      pendingConsents.delete(url.searchParams.get('request')!);
      const target = new URL(consent.redirectUri);
      target.searchParams.set('state', consent.state);
      if (url.searchParams.get('decision') === 'deny') {
        target.searchParams.set('error', 'access_denied');
      } else {
        const code = `4/0A${b64url(randomBytes(24))}`;
        const tamper = url.searchParams.get('tamper') === 'challenge';
        // Granular consent: only the scopes left ticked (and the identity ones) are granted.
        const granted = url.searchParams.get('granular') === '1' ? consent.scope.split(' ').filter((sc) => IDENTITY_SCOPES.has(sc) || url.searchParams.getAll('grant').includes(sc)).join(' ') : consent.scope;
        codes.set(code, { redirectUri: consent.redirectUri, challenge: tamper ? b64url(randomBytes(32)) : consent.challenge, scope: granted, email: url.searchParams.get('email') ?? email, used: false });
        target.searchParams.set('code', code);
        target.searchParams.set('scope', granted);
      }
      return send(302, { Location: target.href });
    }
    if (p === '/token' && req.method === 'POST') {
      const f = new URLSearchParams(body);
      if (f.get('client_id') !== clientId || (f.get('client_secret') ?? '') !== clientSecret) return json(send, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
      if (f.get('grant_type') === 'authorization_code') {
        const c = codes.get(f.get('code') ?? '');
        if (c === undefined || c.used) return json(send, 400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
        c.used = true;
        if (f.get('redirect_uri') !== c.redirectUri) return json(send, 400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
        const verifier = f.get('code_verifier') ?? '';
        if (b64url(createHash('sha256').update(verifier).digest()) !== c.challenge) return json(send, 400, { error: 'invalid_grant', error_description: 'Invalid code verifier.' });
        const refresh = `1//0fake-refresh-${b64url(randomBytes(18))}`;
        refreshTokens.set(refresh, { email: c.email, scope: c.scope, revoked: false });
        return json(send, 200, { ...accessFor(refresh), refresh_token: refresh, id_token: 'eyJhbGciOiJub25lIn0.e30.' });
      }
      if (f.get('grant_type') === 'refresh_token') {
        const g = refreshTokens.get(f.get('refresh_token') ?? '');
        if (g === undefined || g.revoked) return json(send, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
        return json(send, 200, accessFor(f.get('refresh_token')!));
      }
      return json(send, 400, { error: 'unsupported_grant_type' });
    }
    if (p === '/revoke' && req.method === 'POST') {
      const token = url.searchParams.get('token') ?? new URLSearchParams(body).get('token') ?? '';
      const g = refreshTokens.get(token);
      const a = accessTokens.get(token);
      if (g === undefined && a === undefined) return json(send, 400, { error: 'invalid_token' });
      if (g !== undefined) g.revoked = true;
      if (a !== undefined) a.expiresAt = 0;
      return json(send, 200, {});
    }
    if (p === '/userinfo') {
      const who = bearer(req);
      if (who === null) return json(send, 401, { error: 'invalid_token' });
      return json(send, 200, { sub: '1180000000000', email: who.email, email_verified: true });
    }

    // ---- Domain Shared Contacts (GData) -------------------------------------------------------
    if (p.startsWith('/m8/feeds/')) return gdata(req, url, body, send);

    // ---- CardDAV ------------------------------------------------------------------------------
    const who = bearer(req);
    if (who === null) return send(401, { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"', 'Content-Type': 'text/plain' }, 'Request had invalid authentication credentials.');
    if (failures.n > 0) {
      failures.n--;
      return send(failures.status, { 'Retry-After': String(failures.retryAfter), 'Content-Type': 'text/plain' }, 'The service is currently unavailable.');
    }
    const depth = (req.headers.depth as string | undefined) ?? null;
    if (p.startsWith('/photos/') && req.method === 'GET') {
      // A 1×1 PNG, for photo URIs on the address book's own origin (only with a valid token).
      return send(200, { 'Content-Type': 'image/png' }, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64') as unknown as string);
    }
    if (p === '/.well-known/carddav') {
      if (req.method !== 'PROPFIND') return send(405, {});
      return send(301, { Location: bookPath(who.email) });
    }
    const principal = `/carddav/v1/principals/${who.email}/`;
    const book = bookPath(who.email);
    const asks = (local: string) => new RegExp(`<([\\w-]+:)?${local}\\b`).test(body);
    if (req.method === 'PROPFIND') {
      if (p === principal) {
        if (quirks.principalFails) return send(404, {});
        return multistatus(send, [propResponse(principal, asks, { 'addressbook-home-set': `<d:href>${home(who.email)}</d:href>`, 'current-user-principal': `<d:href>${principal}</d:href>` })]);
      }
      if (p === home(who.email)) {
        const out = [propResponse(p, asks, { resourcetype: '<d:collection/>', 'current-user-principal': `<d:href>${principal}</d:href>` })];
        if (depth === '1') out.push(propResponse(book, asks, { resourcetype: '<d:collection/><card:addressbook/>', displayname: 'Address Book' }));
        return multistatus(send, out);
      }
      if (p === book) {
        if (asks('getctag')) getctagAsked++;
        const own = propResponse(book, asks, {
          resourcetype: '<d:collection/><card:addressbook/>',
          displayname: 'Address Book',
          'current-user-principal': `<d:href>${principal}</d:href>`,
          'supported-report-set': '<d:supported-report><d:report><d:sync-collection/></d:report></d:supported-report><d:supported-report><d:report><card:addressbook-multiget/></d:report></d:supported-report>',
          'sync-token': xmlEscape(tokenNow()),
          getctag: etagFor(seq),
        });
        const out = [own];
        if (depth === '1') for (const c of contacts.values()) out.push(propResponse(book + c.id, asks, { getetag: xmlEscape(c.etag), getcontenttype: 'text/vcard; charset=utf-8' }));
        return multistatus(send, out);
      }
      const c = p.startsWith(book) ? contacts.get(p.slice(book.length)) : undefined;
      if (c !== undefined) return multistatus(send, [propResponse(p, asks, { getetag: xmlEscape(c.etag) })]);
      return send(404, {});
    }
    if (req.method === 'REPORT' && p === book) {
      if (/sync-collection/.test(body)) {
        const from = /<([\w-]+:)?sync-token>([^<]*)</.exec(body)?.[2]?.trim() ?? '';
        if (from === '' && quirks.emptyTokenRejected) return send(400, { 'Content-Type': 'text/plain' }, 'Bad Request');
        if (depth === '0' && quirks.depth0NoChanges) return multistatus(send, [], from);
        let since = 0;
        if (from !== '') {
          const m = /\/sync\/(\d+)$/.exec(from);
          const issuedAt = m === null ? undefined : tokensIssuedAt.get(Number(m[1]));
          if (m === null || issuedAt === undefined || now() - issuedAt > 29 * 86_400_000) {
            const st = quirks.expiredTokenStatus;
            return send(st, { 'Content-Type': 'application/xml; charset=utf-8' }, st === 400 ? '' : '<?xml version="1.0" encoding="UTF-8"?><d:error xmlns:d="DAV:"><d:valid-sync-token/></d:error>');
          }
          since = Number(m[1]);
        }
        const withData = asks('address-data');
        const out: string[] = [];
        for (const c of contacts.values()) if (c.seq > since) out.push(propResponse(book + c.id, () => true, { getetag: xmlEscape(c.etag), ...(withData ? { 'address-data': xmlEscape(c.vcard) } : {}) }));
        for (const [id, at] of tombstones) if (at > since) out.push(`<d:response><d:href>${book}${id}</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>`);
        if (quirks.unknownDeletions && since > 0) out.push(`<d:response><d:href>${book}never-seen-${since}</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>`);
        return multistatus(send, out, tokenNow());
      }
      if (/addressbook-multiget/.test(body)) {
        const out: string[] = [];
        for (const m of body.matchAll(/<([\w-]+:)?href>([^<]*)</g)) {
          const href = decodeURIComponent(m[2]!.trim());
          const c = href.startsWith(book) ? contacts.get(href.slice(book.length)) : undefined;
          out.push(c === undefined ? `<d:response><d:href>${href}</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>` : propResponse(href, () => true, { getetag: xmlEscape(c.etag), 'address-data': xmlEscape(c.vcard) }));
        }
        return multistatus(send, out);
      }
      return send(501, { 'Content-Type': 'text/plain' }, 'report not supported');
    }
    if (req.method === 'POST' && p === book) {
      const why = refuse(body);
      if (why !== null) return send(400, { 'Content-Type': 'text/plain' }, why);
      const id = newId();
      const c = store(id, rewrite(body, quirks.replaceUid ? `g${id}` : undefined));
      return send(201, { Location: book + id, ETag: c.etag });
    }
    if (p.startsWith(book) && p.length > book.length) {
      const id = p.slice(book.length);
      const c = contacts.get(id);
      if (req.method === 'GET') return c === undefined ? send(404, {}) : send(200, { 'Content-Type': 'text/vcard; charset=utf-8', ETag: c.etag }, c.vcard);
      if (req.method === 'PUT') {
        const why = refuse(body);
        if (why !== null) return send(400, { 'Content-Type': 'text/plain' }, why);
        const ifMatch = req.headers['if-match'];
        if (req.headers['if-none-match'] === '*' && c !== undefined) return send(412, {});
        if (c === undefined) {
          const target = quirks.relocatePut ? newId() : id;
          const made = store(target, rewrite(body, quirks.replaceUid ? `g${target}` : undefined));
          return send(201, { ETag: made.etag, ...(target !== id ? { Location: book + target } : {}) });
        }
        if (!quirks.ifMatchIgnored && ifMatch !== undefined && ifMatch !== c.etag) return send(412, {});
        const uid = /^UID[;:](.*)$/im.exec(c.vcard)?.[1]?.trim();
        const updated = store(id, rewrite(body, uid));
        return send(204, { ETag: updated.etag });
      }
      if (req.method === 'DELETE') {
        if (c === undefined) return send(404, {});
        const ifMatch = req.headers['if-match'];
        if (!quirks.ifMatchIgnored && ifMatch !== undefined && ifMatch !== c.etag) return send(412, {});
        contacts.delete(id);
        tombstones.set(id, ++seq);
        forget(id);
        return send(204, {});
      }
    }
    send(404, {});
  }

  // ---- Domain Shared Contacts state and routes --------------------------------------------------
  const domain = opts.domain ?? 'example.com';
  const admins = new Set([email]);
  interface Shared {
    id: string;
    children: string;
    decls: Record<string, string>;
    etag: string;
    version: number;
    updated: number;
    deleted: boolean;
    photo: { type: string; bytes: Buffer; etag: string } | null;
  }
  const sharedContacts = new Map<string, Shared>();
  let lastPutBody = '';
  let tick = 0;
  const stamp = () => now() + ++tick; // strictly increasing, so updated-min never misses a change
  const iso = (ms: number) => new Date(ms).toISOString();
  const NS = { atom: 'http://www.w3.org/2005/Atom', gd: 'http://schemas.google.com/g/2005', gc: 'http://schemas.google.com/contact/2008', os: 'http://a9.com/-/spec/opensearch/1.1/', batch: 'http://schemas.google.com/gdata/batch' };

  /** What the server keeps of a sent entry: its children, minus what the server itself writes. */
  function childrenOf(entryXml: string): { children: string; decls: Record<string, string> } {
    const open = /<((?:\w+:)?entry)\b([^>]*)>/.exec(entryXml);
    if (open === null) throw new Error('no entry');
    const decls: Record<string, string> = {};
    for (const m of open[2]!.matchAll(/xmlns(?::(\w+))?=(["'])([^"']*)\2/g)) decls[m[1] ?? ''] = m[3]!;
    const end = entryXml.lastIndexOf(`</${open[1]}>`);
    const inner = entryXml.slice(open.index + open[0].length, end);
    const children = inner
      .replace(/<((?:\w+:)?(?:id|updated|edited))\b[^>]*>[^<]*<\/\1>/g, '')
      .replace(/<((?:\w+:)?(?:link|category))\b[^>]*\/>/g, '')
      .replace(/<((?:\w+:)?(?:link|category))\b[^>]*>[^<]*<\/\1>/g, '')
      .replace(/<batch:\w+\b[^>]*\/>|<(batch:\w+)\b[^>]*>[^<]*<\/\1>/g, '');
    return { children, decls };
  }

  function saveShared(id: string, children: string, decls: Record<string, string>, deleted = false): Shared {
    const prev = sharedContacts.get(id);
    const s: Shared = { id, children, decls, etag: `"${b64url(randomBytes(9))}."`, version: (prev?.version ?? 0) + 1, updated: stamp(), deleted, photo: deleted ? null : (prev?.photo ?? null) };
    sharedContacts.set(id, s);
    return s;
  }

  function renderShared(s: Shared, inFeed: boolean): string {
    const base = `${fakeBase()}/m8/feeds/contacts/${domain}`;
    const decls: Record<string, string> = inFeed ? { ...s.decls } : { gd: NS.gd, gContact: NS.gc, ...s.decls, '': NS.atom };
    if (inFeed) for (const [k, v] of Object.entries({ '': NS.atom, gd: NS.gd, gContact: NS.gc })) if (decls[k] === v) delete decls[k];
    if (!inFeed) decls[''] = NS.atom;
    const xmlns = Object.entries(decls)
      .map(([k, v]) => ` ${k === '' ? 'xmlns' : `xmlns:${k}`}="${v}"`)
      .join('');
    const photo = `<link rel="http://schemas.google.com/contacts/2008/rel#photo" type="image/*" href="${fakeBase()}/m8/feeds/photos/media/${domain}/${s.id}"${s.photo === null ? '' : ` gd:etag='${s.photo.etag}'`}/>`;
    // A deleted placeholder is its id (in the base projection, as every <id>), when, and <gd:deleted>.
    if (s.deleted) return `<entry${xmlns}><id>${base}/base/${s.id}</id><updated>${iso(s.updated)}</updated><gd:deleted/></entry>`;
    return `<entry${xmlns} gd:etag='${s.etag}'><id>${base}/base/${s.id}</id><updated>${iso(s.updated)}</updated><category scheme="http://schemas.google.com/g/2005#kind" term="http://schemas.google.com/contact/2008#contact"/>${s.children}${photo}<link rel="self" type="application/atom+xml" href="${base}/full/${s.id}"/><link rel="edit" type="application/atom+xml" href="${base}/full/${s.id}/${s.version}"/></entry>`;
  }

  const atomHeaders = { 'Content-Type': 'application/atom+xml; charset=UTF-8', 'GData-Version': '3.0' };

  function gdata(req: IncomingMessage, url: URL, body: string, send: Send): void {
    const m = /^\/m8\/feeds\/(contacts|photos\/media)\/([^/]+)(?:\/full)?(?:\/([^/]+))?(?:\/(\d+))?$/.exec(url.pathname);
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const grant = auth === null ? undefined : accessTokens.get(auth[1]!);
    if (grant === undefined || grant.expiresAt <= now() || refreshTokens.get(grant.refresh)?.revoked === true) return send(401, { 'Content-Type': 'text/html' }, '<HTML><BODY>Token invalid - Invalid token: Token not found</BODY></HTML>');
    if (!grant.scope.split(' ').includes('https://www.google.com/m8/feeds')) return send(403, { 'Content-Type': 'text/html' }, 'Request had insufficient authentication scopes.');
    if (failures.n > 0) {
      failures.n--;
      return send(failures.status, { 'Retry-After': String(failures.retryAfter), 'Content-Type': 'text/plain' }, 'Service Unavailable');
    }
    if (m === null) return send(404, { 'Content-Type': 'text/plain' }, 'Not found');
    if (decodeURIComponent(m[2]!) !== domain) return send(404, { 'Content-Type': 'text/html' }, `Domain not found: ${m[2]}`);
    if (!admins.has(grant.email)) return send(403, { 'Content-Type': 'text/html' }, `Only administrators can request entries belonging to ${domain}.`);
    const [, kind, , id] = m;
    // Deleted placeholders are kept 30 days.
    for (const [k, v] of sharedContacts) if (v.deleted && now() - v.updated > 30 * 86_400_000) sharedContacts.delete(k);

    if (kind === 'photos/media') {
      const s = id === undefined ? undefined : sharedContacts.get(id);
      if (s === undefined || s.deleted) return send(404, {}, 'Not found');
      if (req.method === 'GET') return s.photo === null ? send(404, {}, 'Photo not found') : send(200, { 'Content-Type': s.photo.type, ETag: s.photo.etag }, s.photo.bytes as unknown as string);
      const ifMatch = req.headers['if-match'];
      if (ifMatch !== '*' && ifMatch !== s.photo?.etag) return send(412, {}, 'Precondition Failed');
      if (req.method === 'PUT') s.photo = { type: req.headers['content-type'] ?? 'image/jpeg', bytes: Buffer.from(rawBody), etag: `"${b64url(randomBytes(6))}"` };
      else if (req.method === 'DELETE') s.photo = null;
      else return send(405, {});
      s.etag = `"${b64url(randomBytes(9))}."`;
      s.updated = stamp();
      return send(200, {});
    }

    if (id === undefined && req.method === 'GET') {
      const q = url.searchParams;
      const max = Number(q.get('max-results') ?? '25');
      const start = Number(q.get('start-index') ?? '1');
      const min = q.get('updated-min');
      const all = [...sharedContacts.values()]
        .filter((s) => (q.get('showdeleted') === 'true' ? true : !s.deleted) && (min === null || s.updated > Date.parse(min)))
        .sort((a, b) => a.id.localeCompare(b.id));
      const pageOf = all.slice(start - 1, start - 1 + max);
      const next = start - 1 + max < all.length ? new URL(url.pathname + url.search, fakeBase()) : null;
      if (next !== null) {
        next.searchParams.set('start-index', String(start + max));
        next.searchParams.set('max-results', String(max));
      }
      const latest = Math.max(0, ...[...sharedContacts.values()].map((s) => s.updated));
      const xml = `<?xml version='1.0' encoding='UTF-8'?><feed xmlns="${NS.atom}" xmlns:openSearch="${NS.os}" xmlns:gd="${NS.gd}" xmlns:gContact="${NS.gc}" xmlns:batch="${NS.batch}"><id>${domain}</id><updated>${iso(latest || now())}</updated><title>${domain}'s Contacts</title>${next === null ? '' : `<link rel="next" type="application/atom+xml" href="${next.href.replace(/&/g, '&amp;')}"/>`}<openSearch:totalResults>${all.length}</openSearch:totalResults><openSearch:startIndex>${start}</openSearch:startIndex><openSearch:itemsPerPage>${max}</openSearch:itemsPerPage>${pageOf.map((s) => renderShared(s, true)).join('')}</feed>`;
      return send(200, atomHeaders, xml);
    }
    if (id === undefined && req.method === 'POST') {
      const { children, decls } = childrenOf(body);
      const s = saveShared(`${(0x5000 + sharedContacts.size).toString(16)}${b64url(randomBytes(3)).toLowerCase().replace(/[^a-z0-9]/g, '0')}`, children, decls);
      return send(201, atomHeaders, `<?xml version='1.0' encoding='UTF-8'?>${renderShared(s, false)}`);
    }
    if (id === 'batch' && req.method === 'POST') {
      if (quirks.batchRefused !== null) return send(quirks.batchRefused, { 'Content-Type': 'text/html' }, 'Batch operations are not supported here.');
      const out: string[] = [];
      for (const e of body.matchAll(/<entry\b[\s\S]*?<\/entry>/g)) {
        const bid = /<batch:id[^>]*>([^<]*)<\/batch:id>/.exec(e[0])?.[1] ?? '';
        const op = /<batch:operation[^>]*type="(\w+)"/.exec(e[0])?.[1];
        if (op !== 'insert') {
          out.push(`<entry><batch:id>${bid}</batch:id><batch:status code="400" reason="only inserts in this fake"/></entry>`);
          continue;
        }
        if (!/<(?:\w+:)?name\b|<title/.test(e[0])) {
          out.push(`<entry><batch:id>${bid}</batch:id><batch:status code="400" reason="Entry has no name"/></entry>`);
          continue;
        }
        const { children, decls } = childrenOf(e[0]);
        const s = saveShared(`${(0x5000 + sharedContacts.size).toString(16)}b${b64url(randomBytes(3)).toLowerCase().replace(/[^a-z0-9]/g, '0')}`, children, decls);
        out.push(renderShared(s, true).replace(/<\/entry>$/, `<batch:id>${bid}</batch:id><batch:status code="201" reason="Created"/><batch:operation type="insert"/></entry>`));
      }
      return send(200, atomHeaders, `<?xml version='1.0' encoding='UTF-8'?><feed xmlns="${NS.atom}" xmlns:gd="${NS.gd}" xmlns:gContact="${NS.gc}" xmlns:batch="${NS.batch}"><id>batch</id><updated>${iso(now())}</updated>${out.join('')}</feed>`);
    }
    const s = id === undefined ? undefined : sharedContacts.get(id);
    if (s === undefined || s.deleted) return send(404, { 'Content-Type': 'text/plain' }, 'Contact not found.');
    if (req.method === 'GET') return send(200, atomHeaders, `<?xml version='1.0' encoding='UTF-8'?>${renderShared(s, false)}`);
    if (req.headers['if-match'] !== s.etag && req.headers['if-match'] !== '*') return send(412, { 'Content-Type': 'text/plain' }, 'Etags mismatch');
    if (req.method === 'PUT') {
      lastPutBody = body;
      const { children, decls } = childrenOf(body);
      return send(200, atomHeaders, `<?xml version='1.0' encoding='UTF-8'?>${renderShared(saveShared(s.id, children, decls), false)}`);
    }
    if (req.method === 'DELETE') {
      saveShared(s.id, '', {}, true);
      return send(200, {});
    }
    send(405, {});
  }

  let getctagAsked = 0;
  let rawBody = Buffer.alloc(0);
  let fakeBaseUrl = '';
  const fakeBase = () => fakeBaseUrl;
  let idCount = 0;
  // Google's contact ids are hexadecimal (the People API's `people/c<decimal>` is the same number).
  const newId = () => `${(0x3a0f00 + ++idCount).toString(16)}${randomBytes(3).toString('hex')}`;

  function tokenNow(): string {
    tokensIssuedAt.set(seq, tokensIssuedAt.get(seq) ?? now());
    return `https://www.googleapis.com/carddav/v1/synctoken/sync/${seq}`;
  }

  function accessFor(refresh: string) {
    const g = refreshTokens.get(refresh)!;
    const token = `ya29.fake-access-${b64url(randomBytes(18))}`;
    accessTokens.set(token, { email: g.email, expiresAt: now() + 3599_000, refresh, scope: g.scope });
    issued.push(token, refresh);
    return { access_token: token, expires_in: 3599, scope: g.scope, token_type: 'Bearer' };
  }

  function propResponse(href: string, asks: (local: string) => boolean, values: Record<string, string>): string {
    const found: string[] = [];
    for (const [k, v] of Object.entries(values)) {
      if (!asks(k)) continue;
      const prefix = k === 'address-data' || k === 'addressbook-home-set' ? 'card' : k === 'getctag' ? 'cs' : 'd';
      found.push(`<${prefix}:${k}>${v}</${prefix}:${k}>`);
    }
    return `<d:response><d:href>${href}</d:href><d:propstat><d:prop>${found.join('')}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
  }

  function multistatus(send: Send, responses: string[], token?: string): void {
    send(
      207,
      { 'Content-Type': 'application/xml; charset=utf-8' },
      `<?xml version="1.0" encoding="UTF-8"?><d:multistatus xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:cs="http://calendarserver.org/ns/">${responses.join('')}${token === undefined ? '' : `<d:sync-token>${xmlEscape(token)}</d:sync-token>`}</d:multistatus>`,
    );
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fakeBaseUrl = base;
  const fake: FakeGoogle & { getctagAsked: () => number } = {
    url: base,
    clientId,
    clientSecret,
    email,
    quirks,
    log,
    issued,
    env: {
      CARDINAL_GOOGLE_CLIENT_ID: clientId,
      CARDINAL_GOOGLE_CLIENT_SECRET: clientSecret,
      CARDINAL_GOOGLE_AUTH_URL: `${base}/o/oauth2/v2/auth`,
      CARDINAL_GOOGLE_TOKEN_URL: `${base}/token`,
      CARDINAL_GOOGLE_REVOKE_URL: `${base}/revoke`,
      CARDINAL_GOOGLE_USERINFO_URL: `${base}/userinfo`,
      CARDINAL_GOOGLE_CARDDAV_URL: `${base}/.well-known/carddav`,
      CARDINAL_GOOGLE_SHARED_CONTACTS_URL: `${base}/m8/feeds`,
      CARDINAL_GOOGLE_PEOPLE_URL: `${base}/v1`,
    },
    card: (id) => contacts.get(id),
    cards: () => [...contacts.values()],
    bookPath,
    put: (id, vcard) => store(id, rewrite(vcard)),
    remove: (id) => {
      contacts.delete(id);
      tombstones.set(id, ++seq);
      forget(id);
    },
    advance: (ms) => {
      offset += ms;
    },
    expireAccessTokens: () => {
      for (const t of accessTokens.values()) t.expiresAt = 0;
    },
    revokeAll: () => {
      for (const g of refreshTokens.values()) g.revoked = true;
    },
    failNext: (n, retryAfter, status = 503) => {
      failures = { n, retryAfter, status };
    },
    beforeRequest: null,
    approve: async (authUrl, o = {}) => {
      const page = await fetch(authUrl);
      const html = await page.text();
      const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
      if (request === undefined) throw new Error(`consent page refused: ${html}`);
      const q = new URLSearchParams({ request, decision: 'allow', ...(o.email !== undefined ? { email: o.email } : {}), ...(o.tamperChallenge === true ? { tamper: 'challenge' } : {}) });
      if (o.refuse !== undefined) {
        q.set('granular', '1');
        for (const m of html.matchAll(/name="grant" value="([^"]+)"/g)) if (!o.refuse.includes(m[1]!)) q.append('grant', m[1]!);
      }
      const r = await fetch(`${base}/o/oauth2/approve?${q}`, { redirect: 'manual' });
      return r.headers.get('location')!;
    },
    mintAccessToken: (scope = 'https://www.googleapis.com/auth/carddav', who = email) => {
      const refresh = `1//0fake-refresh-${b64url(randomBytes(18))}`;
      refreshTokens.set(refresh, { email: who, scope, revoked: false });
      return accessFor(refresh).access_token;
    },
    domain,
    admins,
    sharedPut: (id, children) => {
      saveShared(id, children, {});
    },
    sharedDelete: (id) => {
      saveShared(id, '', {}, true);
    },
    shared: (id) => {
      const s = sharedContacts.get(id);
      return s === undefined ? undefined : { children: s.children, deleted: s.deleted, etag: s.etag, photo: s.photo !== null };
    },
    sharedIds: () => [...sharedContacts.values()].filter((s) => !s.deleted).map((s) => s.id),
    lastPut: () => lastPutBody,
    moveBook: (name) => {
      listName = name;
    },
    getctagAsked: () => getctagAsked,
    people,
    personOf: (id) => persons.get(id) ?? '',
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
