/** The People API client against the fake People API (written from Google's reference pages). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Conflict, NotFound, ServerError, ServiceUnavailable } from '../../electron/dav/errors';
import { DavHttp } from '../../electron/dav/http';
import { PeopleClient } from '../../electron/people/client';
import { ExpiredSyncToken, PeopleRefused } from '../../electron/people/errors';
import { startFakePeople, type FakePeople } from '../servers/fake-people';

const DAY = 24 * 3600_000;

describe('the People API client', () => {
  let fake: FakePeople;
  let waits: number[];
  const client = (opts: { token?: string; pageSize?: number; fetch?: typeof fetch } = {}) => {
    const token = opts.token ?? fake.token();
    const http = new DavHttp({ auth: { kind: 'bearer', token: async () => token }, ...(opts.fetch !== undefined ? { fetch: opts.fetch } : {}) });
    return new PeopleClient(http, { base: fake.url, pageSize: opts.pageSize ?? 1000, sleep: async (ms) => void waits.push(ms) });
  };

  beforeEach(async () => {
    fake = await startFakePeople();
    waits = [];
  });
  afterEach(() => fake.close());

  it('lists every group over pages, then only what changed since the token (deletions marked)', async () => {
    const a = fake.createGroup('Alpha');
    const b = fake.createGroup('Beta');
    const c = client({ pageSize: 2 });
    const first = await c.listGroups(null);
    expect(first.items.map((g) => g.name).sort()).toEqual(['Alpha', 'Beta', 'coworkers', 'family', 'friends', 'myContacts', 'starred']);
    expect(fake.requests.filter((r) => r.path === '/v1/contactGroups').length).toBe(4);
    fake.renameGroup(a, 'Alpha 2');
    fake.deleteGroup(b);
    const next = await c.listGroups(first.syncToken);
    expect(next.items.map((g) => [g.resourceName, g.name, g.metadata?.deleted ?? false])).toEqual([
      [a, 'Alpha 2', false],
      [b, 'Beta', true],
    ]);
    expect((await c.listGroups(next.syncToken)).items).toEqual([]);
  });

  it('reads members up to maxMembers; makes, renames and deletes labels (never their contacts)', async () => {
    const c = client();
    const ada = fake.addPerson({ name: 'Ada' });
    const bob = fake.addPerson({ name: 'Bob' });
    const g = await c.createGroup('Chess');
    expect(g.groupType).toBe('USER_CONTACT_GROUP');
    expect(await c.modifyMembers(g.resourceName, [ada, bob, 'people/c42'], [])).toEqual({ notFound: ['people/c42'], cannotRemoveLast: [] });
    expect((await c.getGroup(g.resourceName, 1)).memberResourceNames).toHaveLength(1);
    expect((await c.getGroup(g.resourceName, 10)).memberResourceNames?.sort()).toEqual([ada, bob].sort());
    await expect(c.createGroup('Chess')).rejects.toBeInstanceOf(Conflict);
    expect((await c.renameGroup(g.resourceName, 'Chess club')).name).toBe('Chess club');
    await c.deleteGroup(g.resourceName);
    expect(fake.requests.find((r) => r.method === 'DELETE')!.query.get('deleteContacts')).toBe('false');
    await expect(c.getGroup(g.resourceName, 10)).rejects.toBeInstanceOf(NotFound);
    expect(fake.group('contactGroups/myContacts')!.members.sort()).toEqual([ada, bob].sort());
  });

  it('sends more than 1,000 member changes in requests of at most 1,000', async () => {
    const people = Array.from({ length: 1200 }, (_, i) => fake.addPerson({ name: `P${i}` }));
    const c = client();
    const g = await c.createGroup('Big');
    await c.modifyMembers(g.resourceName, people, []);
    expect(fake.group(g.resourceName)!.members).toHaveLength(1200);
    expect(fake.requests.filter((r) => r.path.endsWith('members:modify')).length).toBe(2);
  });

  it('sends one write at a time even when asked for several at once', async () => {
    fake.quirks.latencyMs = 30;
    const c = client();
    const made = await Promise.all(['A', 'B', 'C', 'D'].map((n) => c.createGroup(n)));
    expect(made.map((g) => g.name)).toEqual(['A', 'B', 'C', 'D']);
    expect(fake.maxConcurrentWrites).toBe(1);
  });

  it('lists people with the CONTACT source id, then changes only (a deleted person marked)', async () => {
    const ada = fake.addPerson({ sourceId: '10c3c60ceff728', name: 'Ada', emails: ['ada@example.org'] });
    const c = client();
    const first = await c.listPeople(null);
    expect(first.items[0]!.metadata?.sources?.[0]).toMatchObject({ type: 'CONTACT', id: '10c3c60ceff728' });
    expect(first.items[0]!.resourceName).toBe(`people/c${0x10c3c60ceff728n}`);
    fake.deletePerson(ada);
    const next = await c.listPeople(first.syncToken);
    expect(next.items.map((p) => [p.resourceName, p.metadata?.deleted])).toEqual([[ada, true]]);
  });

  it.each([400, 410] as const)('says a sync token Google no longer takes (answered %i) is expired, 7 days after its full listing', async (status) => {
    fake.quirks.expiredStatus = status;
    const c = client();
    const first = await c.listGroups(null);
    fake.advance(6 * DAY);
    const mid = await c.listGroups(first.syncToken);
    fake.advance(2 * DAY);
    await expect(c.listGroups(mid.syncToken)).rejects.toBeInstanceOf(ExpiredSyncToken);
    await expect(c.listPeople((await c.listPeople(null)).syncToken)).resolves.toBeDefined();
  });

  it('waits out a 429 with its Retry-After, and gives up to the caller past its limit', async () => {
    fake.quirks.throttle = { count: 2, retryAfter: 7 };
    const c = client();
    await c.listGroups(null);
    expect(waits).toEqual([7000, 7000]);
    expect(c.throttled).toBe(2);
    fake.quirks.throttle = { count: 10, retryAfter: 3600 };
    await expect(c.listGroups(null)).rejects.toBeInstanceOf(ServiceUnavailable);
  });

  it('backs off when the first page of a full listing is over its own quota, then leaves it to the scheduler; incremental listings go on', async () => {
    fake.quirks.firstPageQuota = 1;
    const http = new DavHttp({ auth: { kind: 'bearer', token: async () => token } });
    const token = fake.token();
    // The pauses pass on the fake's clock.
    const c = new PeopleClient(http, { base: fake.url, sleep: async (ms) => (waits.push(ms), fake.advance(ms)) });
    const first = await c.listGroups(null);
    await expect(c.listGroups(null)).rejects.toBeInstanceOf(ServiceUnavailable);
    expect(waits).toHaveLength(4); // growing pauses, no Retry-After to go by
    expect(waits[3]!).toBeGreaterThan(waits[0]!);
    await expect(c.listGroups(first.syncToken)).resolves.toBeDefined();
    fake.advance(60_000);
    await expect(c.listGroups(null)).resolves.toBeDefined();
  });

  it('says when the sign-in lacks the contacts scope', async () => {
    const c = client({ token: fake.token(['https://www.googleapis.com/auth/carddav']) });
    await expect(c.listGroups(null)).rejects.toSatisfy((e) => e instanceof PeopleRefused && e.refusal === 'scope-missing');
  });

  it('refuses an answer that is not what the reference describes, and a resource name of another form', async () => {
    const broken: typeof fetch = async () => new Response('{"contactGroups": [{"resourceName": "contactGroups/../../x"}]}', { status: 200 });
    await expect(client({ fetch: broken }).listGroups(null)).rejects.toBeInstanceOf(ServerError);
    const html: typeof fetch = async () => new Response('<html>oops</html>', { status: 200 });
    await expect(client({ fetch: html }).listGroups(null)).rejects.toBeInstanceOf(ServerError);
    await expect(client().getGroup('contactGroups/../people/me', 1)).rejects.toBeInstanceOf(RangeError);
  });
});
