/**
 * A fake of Google's People API (https://people.googleapis.com/v1), the label calls only, written
 * from Google's reference pages (contactGroups list/get/create/update/delete,
 * contactGroups.members.modify, people.connections.list, the ContactGroup and Person resources).
 * No real peer can play Google here. Standalone on 127.0.0.1, or mounted beside the fake Google
 * (`handle`) with its token check. What the pages say, it does:
 * - sync tokens chain from a full listing and expire 7 days after it (`EXPIRED_SYNC_TOKEN`);
 *   deleted groups and people come back in incremental listings with `metadata.deleted`;
 * - writes reach sync listings after a propagation delay ("several minutes"; `propagationMs`);
 * - user group names are unique (409 on a duplicate); only user groups, myContacts and starred
 *   take members; a contact is not removed from its last group; at most 1,000 names per modify;
 * - the first page of a full listing has a small quota of its own (429); page and sync tokens
 *   must come with the first call's other parameters.
 * Its quirks are switches (`quirks`), and it keeps what happened for the tests (`requests`).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface PeopleQuirks {
  /** An expired sync token: 400 FAILED_PRECONDITION with EXPIRED_SYNC_TOKEN, or (as some clients report) 410. */
  expiredStatus: 400 | 410;
  /** The next `count` requests answer 429, with Retry-After when `retryAfter` is set. */
  throttle: { count: number; retryAfter: number | null };
  /** First pages of full listings allowed per minute (0: no limit); past it, 429 without Retry-After. */
  firstPageQuota: number;
  /** Milliseconds before a write shows in sync-token listings. */
  propagationMs: number;
  /** Member reads (get) lag writes by `propagationMs` too (not documented; off by default). */
  lagMemberReads: boolean;
  /** A group's etag stays when only its members change (not documented; the client checks memberCount too). */
  stableEtagOnMembers: boolean;
  /** The most member names a get returns, whatever maxMembers asks. */
  maxMembersCap: number | null;
  /** A write that overlaps another answers 409 ABORTED (Google: send a user's writes one at a time). */
  rejectConcurrentMutations: boolean;
  /** Each answer waits this long (so overlapping writes can be seen). */
  latencyMs: number;
  /** The OAuth client's Cloud project has the People API off: 403 PERMISSION_DENIED, reason SERVICE_DISABLED. */
  apiDisabled: boolean;
}

const DEFAULT_QUIRKS: PeopleQuirks = {
  expiredStatus: 400,
  throttle: { count: 0, retryAfter: null },
  firstPageQuota: 0,
  propagationMs: 0,
  lagMemberReads: false,
  stableEtagOnMembers: false,
  maxMembersCap: null,
  rejectConcurrentMutations: true,
  latencyMs: 0,
  apiDisabled: false,
};

const CONTACTS_SCOPE = 'https://www.googleapis.com/auth/contacts';
const TOKEN_LIFE = 7 * 24 * 3600_000;

interface Versioned {
  /** The change counter at the last change, and when it happened. */
  seq: number;
  changedAt: number;
  deleted: boolean;
}

interface Group extends Versioned {
  id: string;
  name: string;
  system: boolean;
  etag: string;
  members: Set<string>;
  /** Member sets by time, for lagging reads. */
  history: { at: number; members: string[] }[];
}

interface PersonRecord extends Versioned {
  resourceName: string;
  sourceId: string;
  etag: string;
  name: string;
  emails: string[];
  phones: string[];
}

export interface FakePeople {
  /** The API base, `http://127.0.0.1:<port>/v1` (standalone). */
  readonly url: string;
  readonly quirks: PeopleQuirks;
  /** Serve a request under /v1 if it is one of ours (for mounting); false when it is not. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** An access token for the fake's user, with these scopes (default: contacts). */
  token(scopes?: readonly string[]): string;
  now(): number;
  advance(ms: number): void;
  /** Another client's hand (the phone, contacts.google.com). */
  addPerson(p: { sourceId?: string; name: string; emails?: string[]; phones?: string[] }): string;
  deletePerson(resourceName: string): void;
  createGroup(name: string): string;
  renameGroup(resourceName: string, name: string): void;
  deleteGroup(resourceName: string): void;
  modify(resourceName: string, add: readonly string[], remove: readonly string[]): void;
  /** A group as stored (deleted ones too), or undefined. */
  group(resourceName: string): { name: string; members: string[]; etag: string; deleted: boolean } | undefined;
  /** User groups, not deleted, by name. */
  groupsByName(): Map<string, string[]>;
  readonly requests: { method: string; path: string; query: URLSearchParams; status: number }[];
  /** Most writes in flight at once, seen so far. */
  readonly maxConcurrentWrites: number;
  close(): Promise<void>;
}

type Send = (status: number, body: unknown, headers?: Record<string, string>) => void;

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
    readonly reason?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export async function startFakePeople(opts: { quirks?: Partial<PeopleQuirks>; authorize?: (token: string) => readonly string[] | null; standalone?: boolean } = {}): Promise<FakePeople> {
  const quirks: PeopleQuirks = { ...DEFAULT_QUIRKS, ...opts.quirks };
  let offset = 0;
  const now = () => Date.now() + offset;
  let seq = 0;
  const tokens = new Map<string, readonly string[]>();
  const groups = new Map<string, Group>();
  const people = new Map<string, PersonRecord>();
  const requests: FakePeople['requests'] = [];
  const firstPages: number[] = [];
  let writesInFlight = 0;
  let maxConcurrentWrites = 0;

  const etag = () => randomBytes(9).toString('base64');
  const touch = (v: Versioned) => {
    v.seq = ++seq;
    v.changedAt = now();
  };
  const snapshot = (g: Group) => g.history.push({ at: now(), members: [...g.members] });

  const makeGroup = (id: string, name: string, system: boolean): Group => {
    const g: Group = { id, name, system, etag: etag(), members: new Set(), history: [], seq: 0, changedAt: 0, deleted: false };
    touch(g);
    snapshot(g);
    groups.set(`contactGroups/${id}`, g);
    return g;
  };
  for (const s of ['myContacts', 'starred', 'friends', 'family', 'coworkers']) makeGroup(s, s, true);

  const membersChanged = (g: Group) => {
    if (!quirks.stableEtagOnMembers) g.etag = etag();
    touch(g);
    snapshot(g);
  };

  const userGroupNamed = (name: string, except?: Group) => [...groups.values()].find((g) => !g.system && !g.deleted && g !== except && g.name === name);

  const api = {
    createGroup(name: string): Group {
      if (name.trim() === '') throw new ApiError(400, 'INVALID_ARGUMENT', 'Contact group name must not be empty.');
      if (userGroupNamed(name) !== undefined) throw new ApiError(409, 'ALREADY_EXISTS', 'Contact group name already exists.');
      return makeGroup(randomBytes(6).toString('hex'), name, false);
    },
    renameGroup(g: Group, name: string): Group {
      if (g.system) throw new ApiError(400, 'FAILED_PRECONDITION', 'Cannot update a system contact group.');
      if (userGroupNamed(name, g) !== undefined) throw new ApiError(409, 'ALREADY_EXISTS', 'Contact group name already exists.');
      g.name = name;
      g.etag = etag();
      touch(g);
      return g;
    },
    deleteGroup(g: Group, deleteContacts: boolean): void {
      if (g.system) throw new ApiError(400, 'FAILED_PRECONDITION', 'Cannot delete a system contact group.');
      if (deleteContacts) for (const m of g.members) api.deletePerson(m);
      g.deleted = true;
      g.members.clear();
      touch(g);
      snapshot(g);
    },
    modify(g: Group, add: readonly string[], remove: readonly string[]): { notFoundResourceNames?: string[]; canNotRemoveLastContactGroupResourceNames?: string[] } {
      if (add.length + remove.length > 1000) throw new ApiError(400, 'INVALID_ARGUMENT', 'Too many resource names: at most 1000.');
      if (add.length > 0 && g.system && g.id !== 'myContacts' && g.id !== 'starred') throw new ApiError(400, 'FAILED_PRECONDITION', 'Cannot add contacts to a deprecated system contact group.');
      const notFound: string[] = [];
      const lastGroup: string[] = [];
      let changed = false;
      for (const rn of add) {
        if (!people.has(rn) || people.get(rn)!.deleted) notFound.push(rn);
        else if (!g.members.has(rn)) {
          g.members.add(rn);
          changed = true;
        }
      }
      for (const rn of remove) {
        if (!people.has(rn) || people.get(rn)!.deleted) {
          notFound.push(rn);
          continue;
        }
        if (!g.members.has(rn)) continue;
        const others = [...groups.values()].filter((x) => x !== g && !x.deleted && x.members.has(rn) && (!x.system || x.id === 'myContacts'));
        if (others.length === 0) {
          lastGroup.push(rn);
          continue;
        }
        g.members.delete(rn);
        changed = true;
      }
      if (changed) membersChanged(g);
      return {
        ...(notFound.length > 0 ? { notFoundResourceNames: notFound } : {}),
        ...(lastGroup.length > 0 ? { canNotRemoveLastContactGroupResourceNames: lastGroup } : {}),
      };
    },
    deletePerson(rn: string): void {
      const p = people.get(rn);
      if (p === undefined || p.deleted) return;
      p.deleted = true;
      touch(p);
      for (const g of groups.values()) if (g.members.delete(rn)) membersChanged(g);
    },
  };

  /** What a sync-token listing may show now: changes older than the propagation delay. */
  const visible = (v: Versioned) => v.changedAt + quirks.propagationMs <= now();
  /** The newest change counter such that every change up to it is visible (the next token's place). */
  const horizon = () => {
    let h = seq;
    for (const v of [...groups.values(), ...people.values()]) if (!visible(v)) h = Math.min(h, v.seq - 1);
    return h;
  };

  const groupJson = (g: Group, members?: number) => {
    const names = [...(quirks.lagMemberReads ? lagged(g) : g.members)];
    return {
      resourceName: `contactGroups/${g.id}`,
      etag: g.etag,
      metadata: { updateTime: new Date(g.changedAt).toISOString(), ...(g.deleted ? { deleted: true } : {}) },
      groupType: g.system ? 'SYSTEM_CONTACT_GROUP' : 'USER_CONTACT_GROUP',
      name: g.name,
      formattedName: g.system ? g.name.replace(/^./, (c) => c.toUpperCase()) : g.name,
      // A lagging read is an older snapshot throughout: its count agrees with its names.
      memberCount: quirks.lagMemberReads ? names.length : g.members.size,
      ...(members !== undefined && members > 0 ? { memberResourceNames: names.slice(0, Math.min(members, quirks.maxMembersCap ?? Infinity)) } : {}),
    };
  };
  const lagged = (g: Group): string[] => {
    const at = now() - quirks.propagationMs;
    let best = g.history[0]!;
    for (const h of g.history) if (h.at <= at) best = h;
    return best.members;
  };
  const personJson = (p: PersonRecord) =>
    p.deleted
      ? { resourceName: p.resourceName, etag: p.etag, metadata: { deleted: true } }
      : {
          resourceName: p.resourceName,
          etag: p.etag,
          metadata: { sources: [{ type: 'CONTACT', id: p.sourceId, etag: p.etag }] },
          names: [{ displayName: p.name, metadata: { source: { type: 'CONTACT', id: p.sourceId } } }],
          emailAddresses: p.emails.map((value) => ({ value, metadata: { source: { type: 'CONTACT', id: p.sourceId } } })),
          phoneNumbers: p.phones.map((value) => ({ value, metadata: { source: { type: 'CONTACT', id: p.sourceId } } })),
        };

  // Tokens: what the listing is (its own parameters), where it stands, when its chain began.
  const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const decode = (t: string): { seq: number; fullAt: number; kind: string; params?: string; offset?: number } => {
    try {
      return JSON.parse(Buffer.from(t, 'base64url').toString('utf8')) as { seq: number; fullAt: number; kind: string };
    } catch {
      throw new ApiError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.');
    }
  };

  /** A listing of `items` (with incremental and paging rules shared by groups and people). */
  function list<T extends Versioned>(kind: string, q: URLSearchParams, all: T[], json: (t: T) => unknown, defaultSize: number, key: string, params: string): unknown {
    const size = Math.min(1000, Math.max(1, Number(q.get('pageSize') ?? defaultSize) || defaultSize));
    const pageToken = q.get('pageToken');
    const syncToken = q.get('syncToken');
    let since: number | null = null;
    let fullAt = now();
    if (syncToken !== null) {
      const t = decode(syncToken);
      if (t.kind !== kind) throw new ApiError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.');
      if (now() - t.fullAt > TOKEN_LIFE) {
        throw new ApiError(quirks.expiredStatus, quirks.expiredStatus === 410 ? 'GONE' : 'FAILED_PRECONDITION', 'Sync token is expired. Clear local cache and retry call without the sync token.', 'EXPIRED_SYNC_TOKEN');
      }
      since = t.seq;
      fullAt = t.fullAt;
    }
    let start = 0;
    let upTo = horizon();
    if (pageToken !== null) {
      const p = decode(pageToken);
      if (p.kind !== `${kind}-page` || p.params !== params) throw new ApiError(400, 'INVALID_ARGUMENT', 'Parameters must match the first call of the listing.');
      start = p.offset ?? 0;
      upTo = p.seq;
      fullAt = p.fullAt;
    } else if (syncToken === null && quirks.firstPageQuota > 0) {
      const minute = now() - 60_000;
      while (firstPages.length > 0 && firstPages[0]! < minute) firstPages.shift();
      if (firstPages.length >= quirks.firstPageQuota) throw new ApiError(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Full sync first page requests'.", 'RATE_LIMIT_EXCEEDED');
      firstPages.push(now());
    }
    const chosen = all
      .filter((v) => (since === null ? !v.deleted : v.seq > since && v.seq <= upTo))
      .sort((a, b) => a.seq - b.seq);
    const page = chosen.slice(start, start + size);
    const more = start + size < chosen.length;
    const body: Record<string, unknown> = { [key]: page.map(json), totalItems: chosen.length };
    if (more) body.nextPageToken = encode({ kind: `${kind}-page`, params, offset: start + size, seq: upTo, fullAt });
    else if (kind === 'groups' || q.get('requestSyncToken') === 'true') body.nextSyncToken = encode({ kind, seq: since === null ? upTo : Math.max(since, upTo), fullAt });
    return body;
  }

  function bearer(req: IncomingMessage): readonly string[] {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const scopes = m === null ? null : opts.authorize !== undefined ? opts.authorize(m[1]!) : (tokens.get(m[1]!) ?? null);
    if (scopes === null) throw new ApiError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    return scopes;
  }

  const groupOf = (id: string): Group => {
    const g = groups.get(`contactGroups/${id}`);
    if (g === undefined || g.deleted) throw new ApiError(404, 'NOT_FOUND', 'Requested entity was not found.');
    return g;
  };

  async function route(req: IncomingMessage, url: URL, body: string, send: Send): Promise<void> {
    const method = req.method ?? 'GET';
    const scopes = bearer(req);
    if (!scopes.includes(CONTACTS_SCOPE) && !(method === 'GET' && scopes.includes(`${CONTACTS_SCOPE}.readonly`))) {
      throw new ApiError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT');
    }
    if (quirks.apiDisabled) {
      throw new ApiError(403, 'PERMISSION_DENIED', 'People API has not been used in project 123456789 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/people.googleapis.com/overview?project=123456789 then retry.', 'SERVICE_DISABLED');
    }
    if (quirks.throttle.count > 0) {
      quirks.throttle.count--;
      throw new ApiError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', 'RATE_LIMIT_EXCEEDED', quirks.throttle.retryAfter === null ? {} : { 'Retry-After': String(quirks.throttle.retryAfter) });
    }
    const json = (): Record<string, unknown> => {
      try {
        return body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
      } catch {
        throw new ApiError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
      }
    };
    const p = url.pathname;
    const q = url.searchParams;
    if (p === '/v1/contactGroups' && method === 'GET') {
      return send(200, list('groups', q, [...groups.values()], (g) => groupJson(g), 30, 'contactGroups', `${q.get('groupFields') ?? ''}|${q.get('pageSize') ?? ''}`));
    }
    if (p === '/v1/people/me/connections' && method === 'GET') {
      if ((q.get('personFields') ?? '') === '') throw new ApiError(400, 'INVALID_ARGUMENT', 'personFields mask is required. Please specify one or more valid paths.');
      const params = ['personFields', 'pageSize', 'sources', 'requestSyncToken'].map((k) => q.getAll(k).join(',')).join('|');
      return send(200, list('people', q, [...people.values()], personJson, 100, 'connections', params));
    }
    const write = method !== 'GET';
    if (write) {
      if (writesInFlight > 0 && quirks.rejectConcurrentMutations) throw new ApiError(409, 'ABORTED', 'The operation was aborted: mutate requests for the same user must be sent one at a time.');
      writesInFlight++;
      maxConcurrentWrites = Math.max(maxConcurrentWrites, writesInFlight);
    }
    try {
      if (quirks.latencyMs > 0) await new Promise((r) => setTimeout(r, quirks.latencyMs));
      if (p === '/v1/contactGroups' && method === 'POST') {
        const cg = (json().contactGroup ?? {}) as { name?: string };
        return send(200, groupJson(api.createGroup(String(cg.name ?? ''))));
      }
      const modify = /^\/v1\/contactGroups\/([A-Za-z0-9_-]+)\/members:modify$/.exec(p);
      if (modify !== null && method === 'POST') {
        const b = json() as { resourceNamesToAdd?: string[]; resourceNamesToRemove?: string[] };
        return send(200, api.modify(groupOf(modify[1]!), b.resourceNamesToAdd ?? [], b.resourceNamesToRemove ?? []));
      }
      const one = /^\/v1\/contactGroups\/([A-Za-z0-9_-]+)$/.exec(p);
      if (one !== null) {
        const g = groupOf(one[1]!);
        if (method === 'GET') return send(200, groupJson(g, Number(q.get('maxMembers') ?? '0')));
        if (method === 'PUT') {
          const cg = (json().contactGroup ?? {}) as { name?: string };
          return send(200, groupJson(api.renameGroup(g, String(cg.name ?? ''))));
        }
        if (method === 'DELETE') {
          api.deleteGroup(g, q.get('deleteContacts') === 'true');
          return send(200, {});
        }
      }
      throw new ApiError(404, 'NOT_FOUND', `No route for ${method} ${p}.`);
    } finally {
      if (write) writesInFlight--;
    }
  }

  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith('/v1/contactGroups') && !url.pathname.startsWith('/v1/people/')) return false;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send: Send = (status, body, headers = {}) => {
        requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, status });
        res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(body));
      };
      route(req, url, Buffer.concat(chunks).toString('utf8'), send).catch((e: unknown) => {
        if (e instanceof ApiError) {
          const details = e.reason === undefined ? [] : [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: e.reason, domain: 'googleapis.com' }];
          send(e.code, { error: { code: e.code, message: e.message, status: e.status, details } }, e.headers);
        } else send(500, { error: { code: 500, message: (e as Error).message, status: 'INTERNAL' } });
      });
    });
    return true;
  };

  let server: Server | null = null;
  let base = '';
  if (opts.standalone !== false) {
    server = createServer((req, res) => {
      if (!handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  }

  const existing = (rn: string) => {
    const g = groups.get(rn);
    if (g === undefined) throw new Error(`no group ${rn}`);
    return g;
  };

  return {
    url: base,
    quirks,
    handle,
    token(scopes = [CONTACTS_SCOPE]) {
      const t = `ya29.people-${randomBytes(12).toString('hex')}`;
      tokens.set(t, scopes);
      return t;
    },
    now,
    advance(ms) {
      offset += ms;
    },
    addPerson(p) {
      const sourceId = p.sourceId ?? randomBytes(7).toString('hex').replace(/^0+/, '1');
      const rn = `people/c${BigInt(`0x${sourceId}`).toString(10)}`;
      const rec: PersonRecord = { resourceName: rn, sourceId, etag: `%${etag()}`, name: p.name, emails: p.emails ?? [], phones: p.phones ?? [], seq: 0, changedAt: 0, deleted: false };
      touch(rec);
      people.set(rn, rec);
      const mine = existing('contactGroups/myContacts');
      mine.members.add(rn);
      membersChanged(mine);
      return rn;
    },
    deletePerson: (rn) => api.deletePerson(rn),
    createGroup: (name) => `contactGroups/${api.createGroup(name).id}`,
    renameGroup: (rn, name) => void api.renameGroup(existing(rn), name),
    deleteGroup: (rn) => api.deleteGroup(existing(rn), false),
    modify: (rn, add, remove) => void api.modify(existing(rn), add, remove),
    group(rn) {
      const g = groups.get(rn);
      return g === undefined ? undefined : { name: g.name, members: [...g.members], etag: g.etag, deleted: g.deleted };
    },
    groupsByName() {
      return new Map([...groups.values()].filter((g) => !g.system && !g.deleted).map((g) => [g.name, [...g.members].sort()]));
    },
    requests,
    get maxConcurrentWrites() {
      return maxConcurrentWrites;
    },
    close: () => new Promise<void>((resolve) => (server === null ? resolve() : server.close(() => resolve()))),
  };
}
