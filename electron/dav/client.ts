/**
 * The CardDAV requests the sync engine needs, each one function over DavHttp: PROPFIND,
 * sync-collection (RFC 6578), addressbook-multiget (RFC 6352 §8.7), GET, PUT, POST (RFC 5995),
 * DELETE, and RFC 6764 discovery.
 */
import { headerText, type DavHttp } from './http';
import { NotFound, Unauthorized, Forbidden, DavError } from './errors';
import { sameHref, type FetchedCard, type MultigetAnswer, type SyncChanges } from './answers';
import { decodeHref, parseMultistatus, propKey, type DavResponse } from './multistatus';
import { partCutter } from './answer-parts';
import { readAnswer } from './reader-pool';
import { addMemberUrl, encodePath, isMember, parseServerUrl, RefusedUrl } from './url-policy';
import { NS, children, escapeXml, type XmlElement } from './xml';

type Prop = readonly [ns: string, local: string];

const prefixes: Record<string, string> = { [NS.DAV]: 'd', [NS.CARDDAV]: 'card', [NS.CS]: 'cs' };

function propXml(props: readonly Prop[]): string {
  return props.map(([ns, local]) => `<${prefixes[ns]}:${local}/>`).join('');
}

const XMLNS = `xmlns:d="DAV:" xmlns:card="${NS.CARDDAV}" xmlns:cs="${NS.CS}"`;

export interface AddressBookInfo {
  url: string;
  displayName: string;
}

export interface Capabilities {
  syncCollection: boolean;
  /** The collection's RFC 5995 add-member URL, when it offers one. */
  addMember: string | null;
  /** The server is known by its answer to leave the cards out of a sync-collection that asks for
   * them, and to take long over it: DAViCal (its answers carry X-DAViCal-Version) answers each
   * card's address-data 404, at about 5 ms a card. No capability or cheap request tells it: every
   * server here ignores DAV:limit on a sync-collection, and listing ETags first would cost
   * Radicale, which sends the cards at no extra cost, a second walk of the collection. */
  listingWithoutCards?: boolean;
}

export type { FetchedCard, MultigetAnswer, SyncChanges } from './answers';

/** A sync-collection answer read in parts (`answer-parts.ts`): each part's changes go to
 * `onChanged` as it is read, and none of them are in the answer returned. */
export interface ChangesInParts {
  /** The root's children per part (a response is one). */
  readonly perPart: number;
  onChanged(changed: SyncChanges['changed']): Promise<void>;
}

export class CardDavClient {
  constructor(private readonly http: DavHttp) {}

  async propfind(url: string, depth: 0 | 1, props: readonly Prop[]): Promise<{ responses: DavResponse[]; url: string }> {
    const body = `<?xml version="1.0" encoding="utf-8"?><d:propfind ${XMLNS}><d:prop>${propXml(props)}</d:prop></d:propfind>`;
    const res = await this.http.request('PROPFIND', url, { headers: { Depth: String(depth), 'Content-Type': 'application/xml; charset=utf-8' }, body });
    return { responses: parseMultistatus(res.text, res.url).responses, url: res.url };
  }

  /**
   * RFC 6764: `/.well-known/carddav` (following its redirect), else the URL as given; then
   * current-user-principal → addressbook-home-set → the address books in it. Every href the
   * server names goes through the URL policy: one that cannot be read fails this step, and one on
   * another origin is for the connection to allow, refuse, or put to the user
   * (`OriginChangeNeeded`); a book the user would not let discovery move to is left out.
   */
  async discover(serverUrl: string): Promise<AddressBookInfo[]> {
    const base = new URL(serverUrl);
    const candidates = [new URL('/.well-known/carddav', base).href, base.href];
    let principal: string | null = null;
    let context = base.href;
    for (const start of candidates) {
      try {
        const r = await this.propfind(start, 0, [[NS.DAV, 'current-user-principal']]);
        context = r.url;
        const href = r.responses[0]?.props.get(propKey(NS.DAV, 'current-user-principal'));
        const p = href === undefined ? undefined : children(href, NS.DAV, 'href')[0]?.text;
        if (p !== undefined && p.trim() !== '') {
          principal = parseServerUrl(p, r.url).href;
          break;
        }
      } catch (e) {
        if (!(e instanceof DavError) || e instanceof Unauthorized || e instanceof Forbidden) throw e;
      }
    }
    let homes: string[] = [];
    if (principal !== null) {
      const r = await this.propfind(principal, 0, [[NS.CARDDAV, 'addressbook-home-set']]);
      const set = r.responses[0]?.props.get(propKey(NS.CARDDAV, 'addressbook-home-set'));
      homes = set === undefined ? [] : children(set, NS.DAV, 'href').map((h) => parseServerUrl(h.text, r.url).href);
    }
    if (homes.length === 0) homes = [context];
    const books: AddressBookInfo[] = [];
    for (const home of homes) {
      const r = await this.propfind(home, 1, [
        [NS.DAV, 'resourcetype'],
        [NS.DAV, 'displayname'],
      ]);
      for (const resp of r.responses) {
        const type = resp.props.get(propKey(NS.DAV, 'resourcetype'));
        if (type === undefined || !type.children.some((c) => c.ns === NS.CARDDAV && c.local === 'addressbook')) continue;
        let url: string;
        try {
          url = parseServerUrl(resp.href, r.url, true).href;
          this.http.admit(new URL(url));
        } catch (e) {
          if (e instanceof RefusedUrl) continue;
          throw e;
        }
        if (!books.some((b) => b.url === url)) books.push({ url, displayName: resp.props.get(propKey(NS.DAV, 'displayname'))?.text.trim() ?? '' });
      }
    }
    return books;
  }

  /**
   * What the collection offers: the reports it answers and its add-member URL. Neither the CTag
   * nor the sync token is asked here: servers compute both by walking every member (Radicale takes
   * a second for each at 10,000 cards), and a server with sync-collection needs neither.
   */
  async capabilities(bookUrl: string): Promise<Capabilities> {
    const props0: readonly Prop[] = [
      [NS.DAV, 'supported-report-set'],
      [NS.DAV, 'add-member'],
    ];
    const body = `<?xml version="1.0" encoding="utf-8"?><d:propfind ${XMLNS}><d:prop>${propXml(props0)}</d:prop></d:propfind>`;
    const res = await this.http.request('PROPFIND', bookUrl, { headers: { Depth: '0', 'Content-Type': 'application/xml; charset=utf-8' }, body });
    const r = parseMultistatus(res.text, res.url);
    const props = r.responses[0]?.props ?? new Map<string, XmlElement>();
    // Xandikos lists reports without the <report> wrapper RFC 3253 requires: search the whole tree.
    const reports = props.get(propKey(NS.DAV, 'supported-report-set'));
    const has = (el: XmlElement | undefined, ns: string, local: string): boolean =>
      el !== undefined && (el.ns === ns && el.local === local ? true : el.children.some((c) => has(c, ns, local)));
    const addMember = props.get(propKey(NS.DAV, 'add-member'));
    const addHref = addMember === undefined ? undefined : children(addMember, NS.DAV, 'href')[0]?.text.trim();
    return {
      syncCollection: has(reports, NS.DAV, 'sync-collection'),
      addMember: addHref ? addMemberUrl(bookUrl, addHref) : null,
      ...(res.headers.has('x-davical-version') ? { listingWithoutCards: true } : {}),
    };
  }

  /** The collection's CTag (calendarserver getctag): the change gate of servers without sync-collection. */
  async ctag(bookUrl: string): Promise<string | null> {
    const r = await this.propfind(bookUrl, 0, [[NS.CS, 'getctag']]);
    return r.responses[0]?.props.get(propKey(NS.CS, 'getctag'))?.text.trim() || null;
  }

  /** The collection's current sync token (RFC 6578 §4), alone: servers walk every member for it. */
  async syncToken(bookUrl: string): Promise<string | null> {
    const r = await this.propfind(bookUrl, 0, [[NS.DAV, 'sync-token']]);
    return r.responses[0]?.props.get(propKey(NS.DAV, 'sync-token'))?.text.trim() || null;
  }

  /**
   * Changes since `token` ('' for all). Deleted members come back as 404 responses. `withData`
   * asks for the cards themselves too (RFC 6578 allows any property): one request instead of a
   * listing and multigets, used for a first sync into an empty book.
   */
  async syncCollection(bookUrl: string, token: string, withData = false, inParts?: ChangesInParts): Promise<SyncChanges> {
    const body = `<?xml version="1.0" encoding="utf-8"?><d:sync-collection ${XMLNS}><d:sync-token>${escapeXml(token)}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/>${withData ? '<card:address-data/>' : ''}</d:prop></d:sync-collection>`;
    const headers = { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' };
    if (inParts === undefined) {
      const res = await this.http.requestBytes('REPORT', bookUrl, { headers, body });
      return readAnswer('sync-collection', res.bytes, res.url, { bookUrl, withData });
    }
    // Read a part at a time, each part's changes handed over in order: the next part is read
    // while the part before it is being applied (one hand-over in flight, awaited before the next
    // is made), so at most two parts' changes are held here, and the reader and the store work
    // at the same time instead of in turn. The parts are cut as the answer arrives (`partCutter`):
    // the first is applied while the server still sends the rest.
    const cutter = partCutter(inParts.perPart);
    /** The answer so far (its buffer, bytes in, URL), whether more came since the last cut, and its end. */
    const got: {
      arrived: { bytes: Uint8Array; filled: number; url: string } | null;
      fresh: boolean;
      wake?: () => void;
      over: { bytes: Uint8Array; url: string } | { error: unknown } | null;
    } = { arrived: null, fresh: false, over: null };
    const woken = () => got.wake?.();
    void this.http
      .requestBytes('REPORT', bookUrl, {
        headers,
        body,
        onBytes: (bytes, filled, url) => {
          got.arrived = { bytes, filled, url };
          got.fresh = true;
          woken();
        },
      })
      .then(
        (res) => (got.over = { bytes: res.bytes, url: res.url }),
        (error: unknown) => (got.over = { error }),
      )
      .finally(woken);
    const out: SyncChanges = { changed: [], removed: [], token: null, truncated: false, outside: [] };
    let handing: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        const over = got.over;
        if (over !== null && 'error' in over) throw over.error;
        const now = over !== null ? { ...over, filled: over.bytes.byteLength } : got.arrived;
        got.fresh = false;
        if (now !== null) {
          for (const part of cutter.parts(now.bytes, now.filled, over !== null)) {
            const read = await readAnswer('sync-collection', part, now.url, { bookUrl, withData, derive: true });
            out.removed.push(...read.removed);
            out.outside.push(...read.outside);
            out.token = read.token ?? out.token;
            out.truncated ||= read.truncated;
            await handing;
            if (read.changed.length > 0) handing = inParts.onChanged(read.changed);
          }
        }
        if (over !== null) break;
        // Until more of the answer came, or it is over.
        if (!got.fresh && got.over === null) await new Promise<void>((resolve) => (got.wake = resolve));
        got.wake = undefined;
      }
      await handing;
    } catch (e) {
      // A part that cannot be read, or the answer failed: the hand-over under way ends first (its
      // error, if any, is this one's consequence or beside it: the read's is the one thrown).
      await handing.catch(() => undefined);
      throw e;
    }
    return out;
  }

  /** Every member's ETag (servers without sync-collection). */
  async listEtags(bookUrl: string): Promise<{ href: string; etag: string }[]> {
    return (await this.listing(bookUrl)).members;
  }

  /** Every member's ETag, and the hrefs listed outside the book (refused, counted). */
  async etagListing(bookUrl: string): Promise<{ members: { href: string; etag: string }[]; outside: string[] }> {
    const { members, outside } = await this.listing(bookUrl);
    return { members, outside };
  }

  /**
   * Every member's ETag and, in the same answer, the collection's sync-token: a full listing that
   * later sync-collection requests continue from (Google's first sync).
   */
  async listing(bookUrl: string): Promise<{ members: { href: string; etag: string }[]; token: string | null; outside: string[] }> {
    const props: readonly Prop[] = [
      [NS.DAV, 'getetag'],
      [NS.DAV, 'sync-token'],
    ];
    const body = `<?xml version="1.0" encoding="utf-8"?><d:propfind ${XMLNS}><d:prop>${propXml(props)}</d:prop></d:propfind>`;
    const res = await this.http.requestBytes('PROPFIND', bookUrl, { headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' }, body });
    return readAnswer('listing', res.bytes, res.url, { bookUrl });
  }

  /**
   * Fetch cards by href; hrefs the server no longer has are listed in `missing` (answered 404, or
   * left out, as DAViCal does). SabreDAV fails the whole REPORT with 404 when one href is missing
   * (a card deleted since the listing): the batch is halved until the missing ones are found.
   */
  /**
   * The cards at `hrefs`. `missing`: answered as not there (a 404, or a response without the
   * card); `unanswered`: the answer has no response for them at all (DAViCal leaves a card that
   * is gone out so; a server may also cut its answer short): not known to be gone.
   */
  async multiget(bookUrl: string, hrefs: readonly string[]): Promise<MultigetAnswer> {
    if (hrefs.length === 0) return { cards: [], missing: [], unanswered: [] }; // DAViCal answers an empty one 500
    try {
      return await this.multigetOnce(bookUrl, hrefs);
    } catch (e) {
      if (!(e instanceof NotFound) || hrefs.length === 0) throw e;
      if (hrefs.length === 1) return { cards: [], missing: [...hrefs], unanswered: [] };
      const half = hrefs.length >> 1;
      const first = await this.multiget(bookUrl, hrefs.slice(0, half));
      const second = await this.multiget(bookUrl, hrefs.slice(half));
      return { cards: [...first.cards, ...second.cards], missing: [...first.missing, ...second.missing], unanswered: [...first.unanswered, ...second.unanswered] };
    }
  }

  private async multigetOnce(bookUrl: string, hrefs: readonly string[]): Promise<MultigetAnswer> {
    const body = `<?xml version="1.0" encoding="utf-8"?><card:addressbook-multiget ${XMLNS}><d:prop><d:getetag/><card:address-data/></d:prop>${hrefs
      .map((h) => `<d:href>${escapeXml(encodePath(h))}</d:href>`)
      .join('')}</card:addressbook-multiget>`;
    const res = await this.http.requestBytes('REPORT', bookUrl, { headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' }, body });
    return readAnswer('multiget', res.bytes, res.url, { bookUrl, hrefs });
  }

  /**
   * Every card of the book by one addressbook-query without a filter (RFC 6352 §8.6): where the
   * listing brings no cards (Xandikos), a first sync's cards in one request. Xandikos reads a
   * multiget href by href, each at about the cost of a walk of the book (1,000 cards by one
   * multiget: 37 s; by this query: 0.3 s).
   */
  async allCards(bookUrl: string): Promise<FetchedCard[]> {
    const body = `<?xml version="1.0" encoding="utf-8"?><card:addressbook-query ${XMLNS}><d:prop><d:getetag/><card:address-data/></d:prop></card:addressbook-query>`;
    const res = await this.http.requestBytes('REPORT', bookUrl, { headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' }, body });
    return (await readAnswer('multiget', res.bytes, res.url, { bookUrl, hrefs: [] })).cards;
  }

  /**
   * The cards whose UID is exactly `uid` (RFC 6352 §8.6 addressbook-query with a prop-filter):
   * how a create whose answer was lost is found before it is sent again.
   */
  async findByUid(bookUrl: string, uid: string): Promise<FetchedCard[]> {
    const body = `<?xml version="1.0" encoding="utf-8"?><card:addressbook-query ${XMLNS}><d:prop><d:getetag/><card:address-data/></d:prop><card:filter><card:prop-filter name="UID"><card:text-match collation="i;octet" match-type="equals">${escapeXml(uid)}</card:text-match></card:prop-filter></card:filter></card:addressbook-query>`;
    const res = await this.http.request('REPORT', bookUrl, { headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' }, body });
    const cards: FetchedCard[] = [];
    for (const r of parseMultistatus(res.text, res.url).responses) {
      const data = r.props.get(propKey(NS.CARDDAV, 'address-data'))?.text;
      if (data !== undefined && r.status !== 404 && isMember(bookUrl, r.href)) cards.push({ href: r.href, etag: r.props.get(propKey(NS.DAV, 'getetag'))?.text.trim() ?? '', vcard: data });
    }
    return cards;
  }

  async get(url: string): Promise<FetchedCard> {
    const res = await this.http.request('GET', url, { headers: { Accept: 'text/vcard' } });
    return { href: decodeHref(new URL(res.url).pathname), etag: res.headers.get('etag') ?? '', vcard: res.text };
  }

  /**
   * Store a card. `ifNoneMatch` for a create (never overwrite), `ifMatch` for an update (never
   * overwrite someone else's newer version). Returns the new ETag when the server gives one.
   */
  async put(url: string, vcard: string, cond: { ifMatch: string } | { ifNoneMatch: '*' }): Promise<{ etag: string | null; location: string | null }> {
    const headers: Record<string, string> = { 'Content-Type': 'text/vcard; charset=utf-8' };
    if ('ifMatch' in cond) headers['If-Match'] = cond.ifMatch;
    else headers['If-None-Match'] = '*';
    const res = await this.http.request('PUT', url, { headers, body: vcard });
    const loc = headerText(res.headers, 'location');
    return { etag: res.headers.get('etag'), location: loc === null ? null : resolveHref(loc, url) };
  }

  /** RFC 5995: POST to the add-member URL; the server chooses the href (in Location). */
  async post(addMemberUrl: string, vcard: string): Promise<{ etag: string | null; location: string | null }> {
    const res = await this.http.request('POST', addMemberUrl, { headers: { 'Content-Type': 'text/vcard; charset=utf-8' }, body: vcard });
    if (res.status === 207) {
      // Xandikos refuses a card it cannot read with a 207 holding the real status.
      const inner = parseMultistatus(res.text, res.url).responses.find((r) => r.status !== null && r.status >= 400);
      throw new DavError(`${addMemberUrl}: the server refused the card (${inner?.status ?? 207})`, inner?.status ?? 422, addMemberUrl);
    }
    const loc = headerText(res.headers, 'location');
    return { etag: res.headers.get('etag'), location: loc === null ? null : resolveHref(loc, addMemberUrl) };
  }

  async delete(url: string, ifMatch: string | null): Promise<void> {
    try {
      await this.http.request('DELETE', url, { headers: ifMatch === null ? {} : { 'If-Match': ifMatch } });
    } catch (e) {
      if (e instanceof NotFound) return; // already gone: the wanted outcome
      throw e;
    }
  }
}

export { encodePath };

/** Resolve an href by the URL policy (Xandikos's `//alice/...` is a path; what cannot be read is a `RefusedUrl`). */
export function resolveHref(href: string, base: string): string {
  return parseServerUrl(href, base).href;
}

export { sameHref };

export { DavError };
