/**
 * The labels sync of one Google account against the fake People API, with the store in memory:
 * both directions, both sides changing at once, offline and lost answers, expired tokens, quota.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addMembers, createGroup, deleteGroup, listGroups, removeMembers, renameGroup } from '../../shared/groups';
import { NetworkError } from '../../electron/dav/errors';
import { DavHttp } from '../../electron/dav/http';
import { PeopleClient } from '../../electron/people/client';
import { hexOfResourceName } from '../../electron/people/identity';
import { syncLabels } from '../../electron/people/sync';
import { startFakePeople, type FakePeople, type PeopleQuirks } from '../servers/fake-people';
import { contact } from '../unit/groups/book';
import { MemoryLabelStore } from '../unit/groups/memory-label-store';

const BOOK = '/carddav/v1/principals/ada%40example.com/lists/default/';
const DAY = 24 * 3600_000;

interface World {
  fake: FakePeople;
  store: MemoryLabelStore;
  /** Card id (the person's name) → resource name. */
  rn: Map<string, string>;
  sync: () => ReturnType<typeof syncLabels>;
  /** Make fetch fail (offline) or drop answers of matching requests after the server did them. */
  net: { offline: boolean; loseAnswer: RegExp | null };
  /** The user's group actions, as the window makes them. */
  user: {
    create(name: string, members?: string[]): string;
    add(name: string, ids: string[]): void;
    remove(name: string, ids: string[]): void;
    rename(name: string, to: string): void;
    remove_group(name: string): void;
  };
  /** Google's labels: name → member card ids. */
  there(): Map<string, string[]>;
}

let world: World | null = null;
afterEach(async () => {
  await world?.fake.close();
  world = null;
});

async function start(names: string[] = ['ada', 'bob', 'cy', 'dan'], quirks: Partial<PeopleQuirks> = {}): Promise<World> {
  const fake = await startFakePeople({ quirks });
  const store = new MemoryLabelStore();
  const rn = new Map<string, string>();
  for (const n of names) {
    const r = fake.addPerson({ name: n, emails: [`${n}@example.org`] });
    rn.set(n, r);
    const id = hexOfResourceName(r)!;
    store.addCard(n, `${BOOK}${id}`, contact(id, n, `EMAIL:${n}@example.org`));
  }
  const net = { offline: false, loseAnswer: null as RegExp | null };
  const flaky: typeof fetch = async (input, init) => {
    if (net.offline) throw new TypeError('fetch failed');
    const res = await fetch(input, init);
    if (net.loseAnswer !== null && net.loseAnswer.test(String(input))) {
      net.loseAnswer = null;
      throw new TypeError('the connection dropped before the answer');
    }
    return res;
  };
  const token = fake.token();
  const client = new PeopleClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token }, fetch: flaky }), { base: fake.url, sleep: async (ms) => fake.advance(ms) });
  let next = 0;
  const keyOf = (name: string) => listGroups(store.groupBook()).find((g) => g.name === name)!.key;
  const w: World = {
    fake,
    store,
    rn,
    net,
    sync: () => syncLabels({ client, store, now: fake.now, newId: () => `l${++next}` }),
    user: {
      create(name, members = []) {
        const made = createGroup(store.groupBook(), name, `u${++next}`);
        store.change(made.changes);
        if (members.length > 0) store.change(addMembers(store.groupBook(), made.key, members, () => 'x'));
        return made.key;
      },
      add: (name, ids) => store.change(addMembers(store.groupBook(), keyOf(name), ids, () => 'x')),
      remove: (name, ids) => store.change(removeMembers(store.groupBook(), keyOf(name), ids)),
      rename: (name, to) => store.change(renameGroup(store.groupBook(), keyOf(name), to)),
      remove_group: (name) => store.change(deleteGroup(store.groupBook(), keyOf(name))),
    },
    there() {
      const back = new Map([...rn].map(([k, v]) => [v, k]));
      return new Map([...fake.groupsByName()].map(([n, ms]) => [n, ms.map((m) => back.get(m) ?? m).sort()]));
    },
  };
  world = w;
  return w;
}

const m = (entries: [string, string[]][]) => new Map(entries.map(([k, v]) => [k, [...v].sort()]));

describe('Google labels through the People API', () => {
  it('a label made on Google appears here after a sync, with its members; "starred" becomes the favourites', async () => {
    const w = await start();
    const g = w.fake.createGroup('Climbing');
    w.fake.modify(g, [w.rn.get('ada')!, w.rn.get('cy')!], []);
    w.fake.modify('contactGroups/starred', [w.rn.get('bob')!], []);
    const report = await w.sync();
    expect(w.store.listed()).toEqual(m([['Climbing', ['ada', 'cy']]]));
    expect([...w.store.favourites]).toEqual(['bob']);
    expect(report.full).toEqual({ people: true, groups: true });
    expect(report.unmatched).toBe(0);
  });

  it('a group made here with three members is a label on Google; renamed and deleted there too; its contacts stay', async () => {
    const w = await start();
    w.user.create('Chess', ['ada', 'bob', 'cy']);
    const r1 = await w.sync();
    expect(r1.created).toBe(1);
    expect(w.there()).toEqual(m([['Chess', ['ada', 'bob', 'cy']]]));
    w.user.rename('Chess', 'Chess club');
    w.user.remove('Chess club', ['bob']);
    await w.sync();
    expect(w.there()).toEqual(m([['Chess club', ['ada', 'cy']]]));
    w.user.remove_group('Chess club');
    await w.sync();
    expect(w.there()).toEqual(new Map());
    expect(w.store.labels).toEqual([]);
    expect(w.fake.group('contactGroups/myContacts')!.members).toHaveLength(4);
    expect(w.store.book.size).toBe(4);
  });

  it('favourites made here are starred on Google, and unstarring there reaches here', async () => {
    const w = await start();
    await w.sync();
    w.store.favourites.add('dan');
    await w.sync();
    expect(w.fake.group('contactGroups/starred')!.members).toEqual([w.rn.get('dan')]);
    w.fake.modify('contactGroups/starred', [w.rn.get('ada')!], [w.rn.get('dan')!]);
    await w.sync();
    expect([...w.store.favourites]).toEqual(['ada']);
  });

  it('members changed on both sides at once: every change of either side is in, on both sides', async () => {
    const w = await start();
    w.user.create('Team', ['ada', 'bob']);
    await w.sync();
    w.user.add('Team', ['cy']);
    w.user.remove('Team', ['ada']);
    w.fake.modify(w.store.labels[0]!.remote!.resourceName, [w.rn.get('dan')!], [w.rn.get('bob')!]);
    await w.sync();
    expect(w.store.listed()).toEqual(m([['Team', ['cy', 'dan']]]));
    expect(w.there()).toEqual(m([['Team', ['cy', 'dan']]]));
    // And quiet afterwards: nothing more to send or take.
    const quiet = await w.sync();
    expect([quiet.added, quiet.removed, quiet.pulled]).toEqual([0, 0, 0]);
  });

  it('renamed on both sides: this computer’s name is sent, and the report says so', async () => {
    const w = await start();
    w.user.create('Work');
    await w.sync();
    w.fake.renameGroup(w.store.labels[0]!.remote!.resourceName, 'Job');
    w.user.rename('Work', 'Office');
    const r = await w.sync();
    expect(w.there()).toEqual(m([['Office', []]]));
    expect(r.conflicts).toEqual([{ kind: 'renamed-both', label: 'Office', theirs: 'Job' }]);
  });

  it('deleted here but changed there stays; changed here but deleted there is made again', async () => {
    const w = await start();
    w.user.create('Kept', ['ada']);
    w.user.create('Again', ['bob']);
    await w.sync();
    const kept = w.store.labels.find((l) => l.name === 'Kept')!.remote!.resourceName;
    const again = w.store.labels.find((l) => l.name === 'Again')!.remote!.resourceName;
    w.user.remove_group('Kept');
    w.fake.modify(kept, [w.rn.get('cy')!], []);
    w.user.add('Again', ['dan']);
    w.fake.deleteGroup(again);
    const r = await w.sync();
    expect(w.store.listed()).toEqual(m([['Again', ['bob', 'dan']], ['Kept', ['ada', 'cy']]]));
    expect(w.there()).toEqual(w.store.listed());
    expect(r.conflicts.map((c) => c.kind).sort()).toEqual(['changed-here-deleted-there', 'deleted-here-changed-there']);
  });

  it('deleted on Google, changed here, then made again on Google under its name: one label here and there, with both sides’ members (model seed 1757418179)', async () => {
    const w = await start();
    w.user.create('Beta', ['bob']);
    await w.sync();
    const first = [...w.fake.groupsByName().keys()];
    expect(first).toEqual(['Beta']);
    const old = w.store.labels[0]!.remote!.resourceName;
    w.fake.deleteGroup(old);
    w.user.add('Beta', ['ada']);
    const again = w.fake.createGroup('Beta');
    w.fake.modify(again, [w.rn.get('cy')!], []);
    await w.sync();
    await w.sync();
    expect(w.store.labels.filter((l) => !l.deleted).map((l) => l.name)).toEqual(['Beta']);
    expect(w.store.listed()).toEqual(m([['Beta', ['ada', 'bob', 'cy']]]));
    expect(w.there()).toEqual(m([['Beta', ['ada', 'bob', 'cy']]]));
  });

  it('a label deleted on Google goes here too; its contacts stay', async () => {
    const w = await start();
    w.user.create('Old', ['ada']);
    await w.sync();
    w.fake.deleteGroup(w.store.labels[0]!.remote!.resourceName);
    await w.sync();
    expect(w.store.labels).toEqual([]);
    expect(w.store.book.has('ada')).toBe(true);
  });

  it('edits made offline wait, survive, and go when Google is back', async () => {
    const w = await start();
    await w.sync();
    w.user.create('Trip', ['ada', 'cy']);
    w.net.offline = true;
    await expect(w.sync()).rejects.toBeInstanceOf(NetworkError);
    expect(w.store.listed()).toEqual(m([['Trip', ['ada', 'cy']]]));
    w.user.add('Trip', ['dan']);
    w.net.offline = false;
    await w.sync();
    expect(w.there()).toEqual(m([['Trip', ['ada', 'cy', 'dan']]]));
  });

  it('a lost answer to a member change is not mistaken for a change on Google', async () => {
    const w = await start();
    w.user.create('Band', ['ada']);
    await w.sync();
    w.user.add('Band', ['bob']);
    w.net.loseAnswer = /members:modify/;
    await expect(w.sync()).rejects.toBeInstanceOf(NetworkError);
    // Google has Bob (the write landed); the user then takes him out again before the next sync.
    expect(w.there()).toEqual(m([['Band', ['ada', 'bob']]]));
    w.user.remove('Band', ['bob']);
    await w.sync();
    expect(w.store.listed()).toEqual(m([['Band', ['ada']]]));
    expect(w.there()).toEqual(m([['Band', ['ada']]]));
  });

  it('a lost answer to a create makes no second label: the next sync joins the one Google made', async () => {
    const w = await start();
    w.user.create('Solo', ['ada']);
    w.net.loseAnswer = /\/v1\/contactGroups\?|\/v1\/contactGroups$/;
    await expect(w.sync()).rejects.toBeInstanceOf(NetworkError);
    await w.sync();
    expect(w.there()).toEqual(m([['Solo', ['ada']]]));
    expect(w.store.labels).toHaveLength(1);
  });

  it('Google’s reads lagging its writes take nothing away here', async () => {
    const w = await start(undefined, { propagationMs: 5 * 60_000, lagMemberReads: true });
    w.user.create('Lag', ['ada']);
    await w.sync();
    w.user.add('Lag', ['bob']);
    await w.sync();
    // Within the delay, Google's member list still lacks Bob: he stays here, and is asked for again.
    w.fake.advance(60_000);
    await w.sync();
    expect(w.store.listed()).toEqual(m([['Lag', ['ada', 'bob']]]));
    w.fake.advance(10 * 60_000);
    await w.sync();
    expect(w.store.listed()).toEqual(m([['Lag', ['ada', 'bob']]]));
    expect(w.there()).toEqual(m([['Lag', ['ada', 'bob']]]));
  });

  it('a token older than 7 days means a full listing, and nothing is lost', async () => {
    const w = await start();
    w.user.create('Week', ['ada']);
    await w.sync();
    w.fake.advance(8 * DAY);
    w.fake.modify(w.store.labels[0]!.remote!.resourceName, [w.rn.get('bob')!], []);
    w.user.add('Week', ['cy']);
    const r = await w.sync();
    expect(r.full).toEqual({ people: true, groups: true });
    expect(w.store.listed()).toEqual(m([['Week', ['ada', 'bob', 'cy']]]));
    expect(w.there()).toEqual(w.store.listed());
  });

  it('a token Google refuses before its time (410) falls back to a full listing', async () => {
    const w = await start(undefined, { expiredStatus: 410 });
    w.user.create('Early', ['ada']);
    await w.sync();
    // Google's chain is older than this computer believes: it refuses the token.
    w.fake.advance(7 * DAY + 60_000);
    w.store.state = { ...w.store.state, groupsFullAt: w.fake.now() - 1000, peopleFullAt: w.fake.now() - 1000 };
    w.user.add('Early', ['bob']);
    const r = await w.sync();
    expect(w.fake.requests.filter((q) => q.status === 410).length).toBe(2);
    expect(r.full).toEqual({ people: true, groups: true });
    expect(w.there()).toEqual(m([['Early', ['ada', 'bob']]]));
  });

  it('429s with Retry-After are waited out', async () => {
    const w = await start(undefined, { throttle: { count: 3, retryAfter: 2 } });
    w.user.create('Busy', ['ada']);
    await w.sync();
    expect(w.there()).toEqual(m([['Busy', ['ada']]]));
  });

  it('a card not on Google yet waits, and joins its label once it is', async () => {
    const w = await start();
    w.store.addCard('eve', '', contact('local-eve', 'Eve', 'EMAIL:eve@example.org'));
    w.user.create('New', ['eve', 'ada']);
    const r = await w.sync();
    expect(r.waiting).toBe(1);
    expect(w.there()).toEqual(m([['New', ['ada']]]));
    // The CardDAV run uploads Eve: Google made a person for her.
    const eve = w.fake.addPerson({ name: 'Eve', emails: ['eve@example.org'] });
    w.rn.set('eve', eve);
    w.store.book.set('eve', { href: `${BOOK}${hexOfResourceName(eve)}`, vcard: contact(hexOfResourceName(eve)!, 'Eve', 'EMAIL:eve@example.org') });
    await w.sync();
    expect(w.there()).toEqual(m([['New', ['ada', 'eve']]]));
  });

  it('a user’s edit while the sync runs is kept', async () => {
    const w = await start();
    w.user.create('Live', ['ada']);
    await w.sync();
    w.fake.modify(w.store.labels[0]!.remote!.resourceName, [w.rn.get('bob')!], []);
    w.store.onApply = () => w.user.add('Live', ['dan']);
    await w.sync();
    expect(w.store.listed()).toEqual(m([['Live', ['ada', 'bob', 'dan']]]));
    await w.sync();
    expect(w.there()).toEqual(m([['Live', ['ada', 'bob', 'dan']]]));
  });

  it('a rename Google refuses (the name is taken) gives the label back its name, and says so', async () => {
    const w = await start();
    w.user.create('A');
    await w.sync();
    w.fake.createGroup('B');
    await w.sync();
    // Two labels here now; the user renames A to what B is called, differently spelt.
    w.store.labels = w.store.labels.map((l) => (l.name === 'A' ? { ...l, name: 'B' } : l));
    const r = await w.sync();
    expect(r.conflicts).toEqual([{ kind: 'name-taken', label: 'A', refused: 'B' }]);
    expect(w.store.labels.map((l) => l.name).sort()).toEqual(['A', 'B']);
  });

  it('a member change that keeps the etag is still seen, by the member count', async () => {
    const w = await start(undefined, { stableEtagOnMembers: true });
    w.user.create('Count', ['ada']);
    await w.sync();
    w.fake.modify(w.store.labels[0]!.remote!.resourceName, [w.rn.get('bob')!], []);
    await w.sync();
    expect(w.store.listed()).toEqual(m([['Count', ['ada', 'bob']]]));
  });

  it('a member list Google cuts short (maxMembers capped) takes additions, never removals', async () => {
    const w = await start(['ada', 'bob', 'cy', 'dan', 'eve'], { maxMembersCap: 3 });
    const g = w.fake.createGroup('Capped');
    w.fake.modify(g, ['ada', 'bob', 'cy', 'dan'].map((n) => w.rn.get(n)!), []);
    await w.sync();
    const first = w.store.listed().get('Capped')!;
    expect(first).toHaveLength(3);
    // Google now holds five; the list it gives is still three long.
    w.fake.modify(g, [w.rn.get('eve')!], []);
    await w.sync();
    const second = w.store.listed().get('Capped')!;
    expect(second.length).toBeGreaterThanOrEqual(3);
    for (const id of first) expect(second).toContain(id);
    expect(w.fake.group(g)!.members).toHaveLength(5);
  });
});
