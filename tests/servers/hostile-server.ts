/**
 * A CardDAV server written to misbehave, on 127.0.0.1, for the hostile-server suite: a small but
 * working server (Basic auth, well-known → principal → home set → one address book,
 * sync-collection, multiget, GET/PUT/POST/DELETE of cards, photos) whose every answer that names
 * a URL can be replaced by the test: listing hrefs outside the book or on another origin, a POST or
 * PUT Location elsewhere, an add-member URL elsewhere, principal, home-set and book hrefs on
 * another origin, redirects of reads and writes, raw multistatus bodies, multigets that leave
 * cards out or answer 404, GETs refused, photos of any type and size. Beside it, `startRecorder` is
 * "another origin": it records every request (and whether it carried credentials), so a test can
 * say nothing went there.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | null;
}

/** What the server does wrong. Everything is optional; unset, it behaves. */
export interface HostileScript {
  /** `/.well-known/carddav` answers 301 to this (default: `/dav/`). */
  wellKnown?: string;
  principalHref?: string;
  homeHref?: string;
  /** The book's href in the home set listing. */
  bookHref?: string;
  /** The collection's add-member href (default: none, so cards are PUT). */
  addMember?: string;
  /** Extra members the listings name (sync-collection, multiget): hrefs as written in the XML. */
  extraHrefs?: readonly string[];
  /** A sync-collection REPORT answered with this body instead (a malformed or shortened listing). */
  syncBody?: string;
  /** The Location a POST to add-member answers with (default: where it stored the card). */
  postLocation?: string;
  /** The Location a PUT answers with. */
  putLocation?: string;
  /** Card names whose GET answers 302 to this URL. */
  redirectGet?: Readonly<Record<string, string>>;
  /** Card names whose PUT answers 307 to this URL. */
  redirectPut?: Readonly<Record<string, string>>;
  /** Photos by path under `/photos/`: a content type and a body. */
  photos?: Readonly<Record<string, { readonly type: string; readonly body: Buffer }>>;
  /** Photos (by path) that need the account's credentials, as a server's own would. */
  privatePhotos?: readonly string[];
  /** Card names (`b.vcf`) an addressbook-multiget leaves out of its answer (no response element
   * at all, as DAViCal does for a card that is gone), each for this many multigets (Infinity: always). */
  multigetOmit?: Record<string, number>;
  /** Card names a multiget answers with a 404 response (gone), whatever the server holds. */
  multigetNotFound?: readonly string[];
  /** Card names whose GET answers this status. */
  getStatus?: Readonly<Record<string, number>>;
  /** A Domain Shared Contacts feed (GData Atom) served at `/m8/feeds/contacts/example.test/full`. */
  feed?: string;
}

export interface HostileServer {
  readonly url: string;
  readonly bookUrl: string;
  readonly bookPath: string;
  readonly user: string;
  readonly password: string;
  script: HostileScript;
  /** The cards it holds, by name (`a.vcf`). */
  readonly cards: Map<string, { etag: string; vcard: string }>;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface Recorder {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Answer every request with this (default: a Basic challenge without credentials, else 200 ''). */
  answer?: (req: IncomingMessage, res: ServerResponse) => void;
  close(): Promise<void>;
}

const USER = 'alice';
const PASSWORD = 'hostile-secret';
const BOOK = '/dav/alice/book/';
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

async function listen(server: Server, host: string): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://${host}:${(server.address() as { port: number }).port}`;
}

const close = (server: Server) => () => new Promise<void>((resolve) => server.close(() => resolve()));

const record = (req: IncomingMessage): RecordedRequest => ({ method: req.method ?? 'GET', path: req.url ?? '/', authorization: (req.headers.authorization as string | undefined) ?? null });

/** Another origin that records what reaches it. Without credentials it challenges for Basic (so a client that would send them after a challenge does). */
export async function startRecorder(host = '127.0.0.1'): Promise<Recorder> {
  const state: Recorder = { url: '', requests: [], close: async () => {} };
  const server = createServer((req, res) => {
    state.requests.push(record(req));
    void body(req).then(() => {
      if (state.answer !== undefined) return state.answer(req, res);
      if (req.headers.authorization === undefined) res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="elsewhere"' }).end();
      else res.writeHead(200, { 'Content-Type': 'text/plain' }).end('');
    });
  });
  (state as { url: string }).url = await listen(server, host);
  state.close = close(server);
  return state;
}

export async function startHostileServer(script: HostileScript = {}): Promise<HostileServer> {
  const cards = new Map<string, { etag: string; vcard: string }>();
  let version = 0;
  const token = () => `http://hostile.test/sync/${version}`;
  const state: HostileServer = { url: '', bookUrl: '', bookPath: BOOK, user: USER, password: PASSWORD, script, cards, requests: [], close: async () => {} };
  const multistatus = (responses: string, extra = '') => `<?xml version="1.0" encoding="utf-8"?><d:multistatus xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">${responses}${extra}</d:multistatus>`;
  const prop = (href: string, props: string) => `<d:response><d:href>${xmlEscape(href)}</d:href><d:propstat><d:prop>${props}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
  const cardProps = (name: string, withData: boolean) => {
    const c = cards.get(name) ?? { etag: '"x"', vcard: `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${name}\r\nFN:Planted ${name}\r\nEMAIL:planted@evil.example\r\nEND:VCARD\r\n` };
    return `<d:getetag>${xmlEscape(c.etag)}</d:getetag>${withData ? `<card:address-data>${xmlEscape(c.vcard)}</card:address-data>` : ''}`;
  };
  const send = (res: ServerResponse, status: number, headers: Record<string, string> = {}, text = '') => res.writeHead(status, headers).end(text);

  const server = createServer((req, res) => {
    state.requests.push(record(req));
    void body(req).then((text) => {
      const s = state.script;
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
      if (path.startsWith('/photos/') && req.method === 'GET') {
        const file = path.slice('/photos/'.length);
        if (s.privatePhotos?.includes(file) === true && req.headers.authorization !== expected) return send(res, 401, { 'WWW-Authenticate': 'Basic realm="hostile"' });
        const photo = s.photos?.[file];
        return photo === undefined ? send(res, 404) : res.writeHead(200, { 'Content-Type': photo.type }).end(photo.body);
      }
      if (path.startsWith('/m8/feeds/')) {
        // GData: the feed as scripted; writes are only recorded (a refused link never gets here).
        if (req.method === 'GET' && path === '/m8/feeds/contacts/example.test/full' && s.feed !== undefined) return send(res, 200, { 'Content-Type': 'application/atom+xml' }, s.feed);
        return send(res, 404);
      }
      if (req.headers.authorization !== expected) return send(res, 401, { 'WWW-Authenticate': 'Basic realm="hostile"' });
      const xml = { 'Content-Type': 'application/xml; charset=utf-8' };
      if (path === '/.well-known/carddav') return send(res, 301, { Location: s.wellKnown ?? '/dav/' });
      if (req.method === 'PROPFIND') {
        if (/current-user-principal/.test(text)) return send(res, 207, xml, multistatus(prop(path, `<d:current-user-principal><d:href>${xmlEscape(s.principalHref ?? '/dav/alice/')}</d:href></d:current-user-principal>`)));
        if (/addressbook-home-set/.test(text)) return send(res, 207, xml, multistatus(prop(path, `<card:addressbook-home-set><d:href>${xmlEscape(s.homeHref ?? '/dav/alice/')}</d:href></card:addressbook-home-set>`)));
        if (/resourcetype/.test(text) && path !== BOOK) {
          return send(res, 207, xml, multistatus(prop(path, '<d:resourcetype><d:collection/></d:resourcetype>') + prop(s.bookHref ?? BOOK, '<d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><d:displayname>Hostile book</d:displayname>')));
        }
        if (path === BOOK) {
          const addMember = s.addMember === undefined ? '' : `<d:add-member><d:href>${xmlEscape(s.addMember)}</d:href></d:add-member>`;
          return send(res, 207, xml, multistatus(prop(BOOK, `<d:supported-report-set><d:supported-report><d:report><d:sync-collection/></d:report></d:supported-report></d:supported-report-set>${addMember}`)));
        }
        return send(res, 404);
      }
      if (req.method === 'REPORT' && path === BOOK) {
        const withData = /address-data/.test(text);
        if (/sync-collection/.test(text)) {
          if (s.syncBody !== undefined) return send(res, 207, xml, s.syncBody);
          const own = [...cards.keys()].map((name) => prop(`${BOOK}${name}`, cardProps(name, withData)));
          const extra = (s.extraHrefs ?? []).map((href) => prop(href, cardProps(href, withData)));
          return send(res, 207, xml, multistatus(own.join('') + extra.join(''), `<d:sync-token>${token()}</d:sync-token>`));
        }
        // addressbook-multiget: whatever it is asked for, planted cards included.
        const asked = [...text.matchAll(/<d:href>([^<]*)<\/d:href>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
        const answer = asked.flatMap((href) => {
          const name = decodeURIComponent(href).startsWith(BOOK) ? decodeURIComponent(href).slice(BOOK.length) : href;
          const omit = s.multigetOmit?.[name] ?? 0;
          if (omit > 0) {
            s.multigetOmit![name] = omit - 1;
            return [];
          }
          if (s.multigetNotFound?.includes(name) === true) return [`<d:response><d:href>${xmlEscape(href)}</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>`];
          return [prop(href, cardProps(name, true))];
        });
        return send(res, 207, xml, multistatus(answer.join('')));
      }
      if (req.method === 'POST' && path === BOOK) {
        // RFC 5995 add-member (the collection itself is the add-member URL here).
        const made = `posted-${++version}.vcf`;
        cards.set(made, { etag: `"${version}"`, vcard: text });
        return send(res, 201, { ETag: `"${version}"`, Location: s.postLocation ?? `${BOOK}${made}` });
      }
      const name = path.startsWith(BOOK) ? path.slice(BOOK.length) : null;
      if (name === null || name === '') return send(res, 404);
      if (req.method === 'GET') {
        const to = s.redirectGet?.[name];
        if (to !== undefined) return send(res, 302, { Location: to });
        const status = s.getStatus?.[name];
        if (status !== undefined) return send(res, status);
        const c = cards.get(name);
        return c === undefined ? send(res, 404) : send(res, 200, { 'Content-Type': 'text/vcard', ETag: c.etag }, c.vcard);
      }
      if (req.method === 'PUT') {
        const to = s.redirectPut?.[name];
        if (to !== undefined) return send(res, 307, { Location: to });
        if (req.headers['if-none-match'] === '*' && cards.has(name)) return send(res, 412);
        const ifMatch = req.headers['if-match'];
        if (ifMatch !== undefined && cards.get(name)?.etag !== ifMatch) return send(res, 412);
        const etag = `"${++version}"`;
        cards.set(name, { etag, vcard: text });
        return send(res, 201, { ETag: etag, ...(s.putLocation !== undefined ? { Location: s.putLocation } : {}) });
      }
      if (req.method === 'DELETE') {
        cards.delete(name);
        return send(res, 204);
      }
      return send(res, 405);
    });
  });
  (state as { url: string }).url = await listen(server, '127.0.0.1');
  (state as { bookUrl: string }).bookUrl = `${state.url}${BOOK}`;
  state.close = close(server);
  return state;
}

export const hostileCard = (uid: string, fn: string, extra = '') => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\n${extra}END:VCARD\r\n`;
