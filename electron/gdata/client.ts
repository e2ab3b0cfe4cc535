/**
 * The Domain Shared Contacts API (GData Atom, version 3) over DavHttp (timeouts, size limits,
 * Bearer with refresh, typed errors): the feed in the `full` projection, paged by its `next` link,
 * with `updated-min` and `showdeleted` for incremental syncs; an entry by its self link; create
 * (POST), update (PUT to the edit link with If-Match), delete; photos; the batch endpoint. Google's
 * refusals, which arrive as text in the body, become errors that say what to do.
 */
import { DavError, Forbidden, NotFound, ServiceUnavailable } from '../dav/errors';
import type { DavHttp } from '../dav/http';
import { readAnswer } from '../dav/reader-pool';
import { underPrefix } from '../dav/url-policy';
import { child, parseXml } from '../dav/xml';
import { NS_ATOM, parseEntry, parseFeed, type AtomEntry, type AtomFeed } from './atom';
import { attributesOf, rootElement } from './scan';

const NS_BATCH = 'http://schemas.google.com/gdata/batch';

/** A refusal of the whole directory, worded by the window (`code`). */
export class GDataRefused extends Error {
  override name = 'GDataRefused';
  constructor(
    readonly code: 'not-admin' | 'api-disabled' | 'unknown-domain',
    message: string,
  ) {
    super(message);
  }
}

const HEADERS = { 'GData-Version': '3.0' };
const ATOM_TYPE = 'application/atom+xml; charset=UTF-8';

/** Google's words for a refusal, as an error the user can act on; other errors pass through. */
export function gdataError(e: unknown, domain: string): unknown {
  if (!(e instanceof DavError)) return e;
  const body = e.detail;
  if (/only administrators can request entries/i.test(body)) return new GDataRefused('not-admin', `Only administrators of ${domain} can use its shared contacts. Sign in with an administrator account.`);
  if (/accessNotConfigured|has not been used in project|is disabled|API not enabled/i.test(body)) return new GDataRefused('api-disabled', 'The Domain Shared Contacts API is not enabled for this OAuth client’s project in the Google Cloud console.');
  if (/quota exceeded|too many requests|rate limit/i.test(body) && (e.status === 403 || e.status === 429 || e.status === 503)) {
    return new ServiceUnavailable(`Google’s quota for this client is used up for now (${e.status})`, e.status, e.url, e instanceof ServiceUnavailable ? e.retryAfter : null);
  }
  // Only the feed itself: a 404 on one entry means that entry is gone, not the domain.
  if ((e instanceof NotFound || e instanceof Forbidden) && /domain|invalid.*feed|not.*found/i.test(body) && /\/contacts\/[^/]+\/full(\/batch)?(\?|$)/.test(e.url)) {
    return new GDataRefused('unknown-domain', `Google does not know the domain ${domain}, or it has no shared contacts.`);
  }
  return e;
}

/** An entry with its batch id and operation (and the ETag an update or delete must match). */
function batchEntry(o: { id: string; op: string; xml: string; etag?: string }): string {
  const root = rootElement(o.xml);
  const nameEnd = root.start + 1 + root.qname.length;
  const own = attributesOf(o.xml, root);
  const etagAttr = o.etag !== undefined && ![...own.keys()].some((k) => k.endsWith(':etag')) ? ` xmlns:gdb="http://schemas.google.com/g/2005" gdb:etag="${o.etag.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"` : '';
  const ops = `<batch:id xmlns:batch="${NS_BATCH}">${o.id}</batch:id><batch:operation xmlns:batch="${NS_BATCH}" type="${o.op}"/>`;
  const selfClosing = root.contentStart === root.end;
  if (selfClosing) throw new Error('an empty entry cannot go in a batch');
  return `${o.xml.slice(root.start, nameEnd)}${etagAttr}${o.xml.slice(nameEnd, root.contentEnd)}${ops}${o.xml.slice(root.contentEnd, root.end)}`;
}

export class GDataClient {
  /** The `full` projection feed of the domain: `<base>/contacts/<domain>/full`. */
  readonly feedUrl: string;
  /** Where the domain's entries live (their self and edit links), and their photos: the only places a link may name. */
  private readonly entries: string;
  private readonly photos: string;

  constructor(
    private readonly http: DavHttp,
    base: string,
    readonly domain: string,
    private readonly pageSize = 250,
  ) {
    const root = base.replace(/\/+$/, '');
    this.feedUrl = `${root}/contacts/${encodeURIComponent(domain)}/full`;
    this.entries = `${root}/contacts/${encodeURIComponent(domain)}/`;
    this.photos = `${root}/photos/media/${encodeURIComponent(domain)}/`;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw gdataError(e, this.domain);
    }
  }

  /** The first page: all entries, or the changes since `updatedMin` (deleted placeholders included). */
  firstPage(updatedMin: string | null, maxResults = this.pageSize): string {
    const q = new URLSearchParams({ 'max-results': String(maxResults) });
    if (updatedMin !== null) {
      q.set('updated-min', updatedMin);
      q.set('showdeleted', 'true');
    }
    return `${this.feedUrl}?${q}`;
  }

  /**
   * One page; its `next` link leads on (the feed's own, else RefusedUrl). Entries whose self link
   * is not one of this directory's are left out: they are no contacts of it. A deleted placeholder
   * has no link at all, only its `<id>` (`…/contacts/<domain>/base/<id>`, on another origin than
   * the API's): it is kept when that id names one of this directory's contacts. Nothing is ever
   * sent to an id.
   */
  async page(url: string): Promise<AtomFeed> {
    const next = underPrefix(this.feedUrl, url, 'next page');
    const feed = await this.call(async () => {
      // A page of 250 entries, each read again as a document of its own: in the reader thread.
      const res = await this.http.requestBytes('GET', next, { headers: HEADERS });
      return readAnswer('atom-feed', res.bytes, res.url, {});
    });
    return { ...feed, entries: feed.entries.filter((e) => (e.self !== null ? this.isEntryLink(e.self) : e.deleted && this.isEntryId(e.id))) };
  }

  private isEntryId(id: string): boolean {
    try {
      return new URL(id).pathname.startsWith(new URL(this.entries).pathname);
    } catch {
      return false;
    }
  }

  private isEntryLink(href: string): boolean {
    try {
      underPrefix(this.entries, href, 'contact');
      return true;
    } catch {
      return false;
    }
  }

  /** An entry's self or edit link, if it is one of this directory's (else RefusedUrl: that contact is marked). */
  private entryLink(entry: AtomEntry): string {
    return underPrefix(this.entries, entry.edit ?? entry.self ?? '', 'contact');
  }

  private photoLink(entry: AtomEntry): string {
    return underPrefix(this.photos, entry.photo ?? '', 'photo');
  }

  /** The entry as stored now (its self link). */
  get(selfUrl: string): Promise<AtomEntry> {
    return this.call(async () => parseEntry((await this.http.request('GET', underPrefix(this.entries, selfUrl, 'contact'), { headers: HEADERS })).text));
  }

  /** POST a new entry to the feed; the answer is the stored entry. */
  create(xml: string): Promise<AtomEntry> {
    return this.call(async () => parseEntry((await this.http.request('POST', this.feedUrl, { headers: { ...HEADERS, 'Content-Type': ATOM_TYPE }, body: xml })).text));
  }

  /** PUT the whole entry to its edit link, only if it is still `etag`. */
  update(entry: AtomEntry, xml: string): Promise<AtomEntry> {
    return this.call(async () => parseEntry((await this.http.request('PUT', this.entryLink(entry), { headers: { ...HEADERS, 'Content-Type': ATOM_TYPE, 'If-Match': entry.etag }, body: xml })).text));
  }

  async delete(entry: AtomEntry): Promise<void> {
    await this.call(async () => {
      try {
        await this.http.request('DELETE', this.entryLink(entry), { headers: { ...HEADERS, 'If-Match': entry.etag } });
      } catch (e) {
        if (!(e instanceof NotFound)) throw e; // already gone: the wanted outcome
      }
    });
  }

  /** The photo's bytes, or null when the entry has none. */
  async photo(entry: AtomEntry): Promise<{ type: string; bytes: Uint8Array } | null> {
    if (entry.photo === null || entry.photoEtag === null) return null;
    const res = await this.call(() => this.http.requestBytes('GET', this.photoLink(entry), { headers: HEADERS }));
    return { type: res.headers.get('content-type') ?? 'image/jpeg', bytes: new Uint8Array(res.bytes) };
  }

  /** Set the photo (PUT the image to the photo link, If-Match its ETag when there is one). */
  async setPhoto(entry: AtomEntry, type: string, bytes: Uint8Array): Promise<void> {
    if (entry.photo === null) throw new DavError('this entry has no photo link', 0, entry.id);
    await this.call(() => this.http.request('PUT', this.photoLink(entry), { headers: { ...HEADERS, 'Content-Type': type, 'If-Match': entry.photoEtag ?? '*' }, body: bytes }));
  }

  async deletePhoto(entry: AtomEntry): Promise<void> {
    if (entry.photo === null || entry.photoEtag === null) return;
    await this.call(() => this.http.request('DELETE', this.photoLink(entry), { headers: { ...HEADERS, 'If-Match': entry.photoEtag! } }));
  }

  /**
   * The batch endpoint (`<feed>/batch`): up to 100 operations in one request, each answered on
   * its own (`batch:status`). Returns, per operation id, the stored entry or the refusal.
   */
  async batch(ops: readonly { id: string; op: 'insert' | 'update' | 'delete'; xml: string; etag?: string }[]): Promise<Map<string, { status: number; entry?: AtomEntry; reason: string }>> {
    if (ops.length > 100) throw new Error('at most 100 operations per batch request');
    const body = `<feed xmlns="${NS_ATOM}" xmlns:batch="${NS_BATCH}" xmlns:gd="http://schemas.google.com/g/2005">${ops.map(batchEntry).join('')}</feed>`;
    const res = await this.call(() => this.http.request('POST', `${this.feedUrl}/batch`, { headers: { ...HEADERS, 'Content-Type': ATOM_TYPE }, body }));
    const out = new Map<string, { status: number; entry?: AtomEntry; reason: string }>();
    for (const e of parseFeed(res.text).entries) {
      const tree = parseXml(e.xml);
      const id = child(tree, NS_BATCH, 'id')?.text.trim();
      const status = child(tree, NS_BATCH, 'status');
      if (id === undefined || status === undefined) continue;
      const code = Number(status.attrs.code ?? '0');
      out.set(id, { status: code, reason: status.attrs.reason ?? '', ...(code < 300 && e.id !== '' ? { entry: e } : {}) });
    }
    return out;
  }
}
