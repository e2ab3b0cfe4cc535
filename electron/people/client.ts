/**
 * The People API's label calls (https://people.googleapis.com/v1) on DavHttp, so they get the
 * same timeouts, size cap, Bearer with one refresh after a 401, and typed errors as the CardDAV
 * and GData clients. Google asks for a user's mutations one at a time: every write here waits for
 * the one before. A 429 or 503 is waited out (Retry-After, else a growing pause) a few times before
 * it reaches the caller, since the first page of a full listing has a small quota of its own.
 */
import { ServerError, ServiceUnavailable } from '../dav/errors';
import type { DavHttp } from '../dav/http';
import { z } from 'zod';
import { peopleError } from './errors';
import {
  GROUP_NAME,
  PERSON_NAME,
  contactGroupSchema,
  listConnectionsSchema,
  listGroupsSchema,
  modifyMembersSchema,
  type ContactGroup,
  type Person,
} from './types';

export const PEOPLE_API = 'https://people.googleapis.com/v1';

const GROUP_FIELDS = 'name,groupType,memberCount,metadata';
const PERSON_FIELDS = 'metadata,names,emailAddresses,phoneNumbers';
/** contactGroups.members.modify takes at most 1,000 names per request, additions and removals together. */
export const MODIFY_LIMIT = 1000;

export interface PeopleClientOptions {
  /** The API's base (tests: the fake's address). */
  base?: string;
  /** How many times a 429/503 is waited out before it is thrown (default 4). */
  retries?: number;
  /** The longest wait taken here; a longer Retry-After goes to the caller (the scheduler waits). */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Page sizes (tests use small ones to see paging). */
  pageSize?: number;
}

export interface Listing<T> {
  readonly items: T[];
  /** The token for the next incremental listing. */
  readonly syncToken: string | null;
}

export class PeopleClient {
  private readonly base: string;
  private readonly retries: number;
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pageSize: number;
  /** The last write sent: the next one starts after it settles. */
  private writing: Promise<unknown> = Promise.resolve();
  /** Requests that answered 429/503 and were waited out (the report shows them). */
  throttled = 0;

  constructor(
    private readonly http: DavHttp,
    opts: PeopleClientOptions = {},
  ) {
    this.base = (opts.base ?? PEOPLE_API).replace(/\/+$/, '');
    this.retries = opts.retries ?? 4;
    this.maxWaitMs = opts.maxWaitMs ?? 60_000;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.pageSize = opts.pageSize ?? 1000;
  }

  private async call<T>(method: string, path: string, schema: z.ZodType<T>, opts: { body?: unknown; withToken?: boolean } = {}): Promise<T> {
    const url = `${this.base}${path}`;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.http.request(method, url, {
          headers: { Accept: 'application/json', ...(opts.body !== undefined ? { 'Content-Type': 'application/json; charset=utf-8' } : {}) },
          ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        });
        return parse(res.text, schema, url, res.status);
      } catch (raw) {
        const e = peopleError(raw, opts.withToken === true);
        if (!(e instanceof ServiceUnavailable) || attempt >= this.retries) throw e;
        const wait = e.retryAfter !== null ? e.retryAfter * 1000 : Math.min(this.maxWaitMs, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        if (wait > this.maxWaitMs) throw e;
        this.throttled++;
        await this.sleep(wait);
      }
    }
  }

  /** One write at a time for this account, whatever the caller does. */
  private write<T>(run: () => Promise<T>): Promise<T> {
    const next = this.writing.then(run, run);
    this.writing = next.catch(() => undefined);
    return next;
  }

  /**
   * contactGroups.list, every page: all groups, or (with a token) those changed since it, deleted
   * ones with `metadata.deleted`. Throws `ExpiredSyncToken` (errors.ts) when Google no longer takes the token.
   */
  async listGroups(syncToken: string | null): Promise<Listing<ContactGroup>> {
    const items: ContactGroup[] = [];
    let pageToken: string | null = null;
    for (let page = 0; page < 10_000; page++) {
      const q = new URLSearchParams({ pageSize: String(this.pageSize), groupFields: GROUP_FIELDS });
      if (syncToken !== null) q.set('syncToken', syncToken);
      if (pageToken !== null) q.set('pageToken', pageToken);
      const res = await this.call('GET', `/contactGroups?${q}`, listGroupsSchema, { withToken: syncToken !== null });
      items.push(...(res.contactGroups ?? []));
      pageToken = res.nextPageToken ?? null;
      if (pageToken === null) return { items, syncToken: res.nextSyncToken ?? null };
    }
    throw new ServerError('contactGroups.list did not end', 502, this.base);
  }

  /** contactGroups.get with up to `maxMembers` member names. */
  async getGroup(resourceName: string, maxMembers: number): Promise<ContactGroup> {
    const q = new URLSearchParams({ maxMembers: String(Math.max(0, Math.floor(maxMembers))), groupFields: GROUP_FIELDS });
    return await this.call('GET', `/${checked(resourceName, GROUP_NAME)}?${q}`, contactGroupSchema);
  }

  createGroup(name: string): Promise<ContactGroup> {
    return this.write(() => this.call('POST', '/contactGroups', contactGroupSchema, { body: { contactGroup: { name }, readGroupFields: GROUP_FIELDS } }));
  }

  renameGroup(resourceName: string, name: string): Promise<ContactGroup> {
    const rn = checked(resourceName, GROUP_NAME);
    return this.write(() => this.call('PUT', `/${rn}`, contactGroupSchema, { body: { contactGroup: { resourceName: rn, name }, updateGroupFields: 'name', readGroupFields: GROUP_FIELDS } }));
  }

  /** Delete a label. Its contacts stay (deleteContacts=false, said aloud). */
  deleteGroup(resourceName: string): Promise<void> {
    const rn = checked(resourceName, GROUP_NAME);
    return this.write(async () => {
      await this.call('DELETE', `/${rn}?deleteContacts=false`, emptySchema);
    });
  }

  /**
   * contactGroups.members.modify, in requests of at most 1,000 names. Returns the names Google did
   * not find and those it would not remove from their last group.
   */
  async modifyMembers(resourceName: string, add: readonly string[], remove: readonly string[]): Promise<{ notFound: string[]; cannotRemoveLast: string[] }> {
    const rn = checked(resourceName, GROUP_NAME);
    for (const n of [...add, ...remove]) checked(n, PERSON_NAME);
    const notFound: string[] = [];
    const cannotRemoveLast: string[] = [];
    const ops = [...add.map((n) => ({ n, add: true })), ...remove.map((n) => ({ n, add: false }))];
    for (let i = 0; i < ops.length; i += MODIFY_LIMIT) {
      const chunk = ops.slice(i, i + MODIFY_LIMIT);
      const body = { resourceNamesToAdd: chunk.filter((o) => o.add).map((o) => o.n), resourceNamesToRemove: chunk.filter((o) => !o.add).map((o) => o.n) };
      const res = await this.write(() => this.call('POST', `/${rn}/members:modify`, modifyMembersSchema, { body }));
      notFound.push(...(res.notFoundResourceNames ?? []));
      cannotRemoveLast.push(...(res.canNotRemoveLastContactGroupResourceNames ?? []));
    }
    return { notFound, cannotRemoveLast };
  }

  /**
   * people.connections.list for the join to CardDAV cards (names, e-mail addresses, phone numbers
   * and the CONTACT source id), every page; with a token, changes only (deleted people marked).
   */
  async listPeople(syncToken: string | null): Promise<Listing<Person>> {
    const items: Person[] = [];
    let pageToken: string | null = null;
    for (let page = 0; page < 10_000; page++) {
      // Every page repeats the first call's parameters, as Google requires with page and sync tokens.
      const q = new URLSearchParams({ personFields: PERSON_FIELDS, pageSize: String(this.pageSize), requestSyncToken: 'true', sources: 'READ_SOURCE_TYPE_CONTACT' });
      if (syncToken !== null) q.set('syncToken', syncToken);
      if (pageToken !== null) q.set('pageToken', pageToken);
      const res = await this.call('GET', `/people/me/connections?${q}`, listConnectionsSchema, { withToken: syncToken !== null });
      items.push(...(res.connections ?? []));
      pageToken = res.nextPageToken ?? null;
      if (pageToken === null) return { items, syncToken: res.nextSyncToken ?? null };
    }
    throw new ServerError('people.connections.list did not end', 502, this.base);
  }
}

/** contactGroups.delete answers an empty object. */
const emptySchema = z.object({});

function checked(name: string, form: RegExp): string {
  // Names go into request paths: one of another form (a bug, or a record tampered with) is not sent.
  if (!form.test(name)) throw new RangeError(`refusing a resource name of an unexpected form: ${name.slice(0, 80)}`);
  return name;
}

/** The answer's JSON, checked; something else is the server's fault, worth another try later. */
function parse<T>(text: string, schema: z.ZodType<T>, url: string, status: number): T {
  let json: unknown;
  try {
    json = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ServerError(`the People API answered ${status} with something that is not JSON`, 502, url);
  }
  const r = schema.safeParse(json);
  if (!r.success) throw new ServerError(`the People API’s answer is not of the form its reference gives (${r.error.issues[0]?.path.join('.') ?? ''})`, 502, url);
  return r.data;
}

