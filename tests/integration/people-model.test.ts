/**
 * The labels sync under generated interleavings: the user and another client (the phone) make
 * labels, delete them, change members and favourites; syncs run between, some failing (offline,
 * an answer lost after Google did the write), the clock moving on. Invariants: once quiet syncs
 * have run (and after every sync that ran through), both sides hold the same labels and
 * favourites, no name twice, and a membership changed on one side only ends as that side left it
 * (nothing lost).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMembers, createGroup, deleteGroup, GroupError, listGroups, removeMembers } from '../../shared/groups';
import { DavHttp } from '../../electron/dav/http';
import { PeopleClient } from '../../electron/people/client';
import { hexOfResourceName } from '../../electron/people/identity';
import { syncLabels } from '../../electron/people/sync';
import { startFakePeople } from '../servers/fake-people';
import { contact } from '../unit/groups/book';
import { MemoryLabelStore } from '../unit/groups/memory-label-store';

const PEOPLE = ['ada', 'bob', 'cy', 'dan'];
const NAMES = ['Alpha', 'Beta', 'Gamma'];

type Side = 'here' | 'there';
type Op =
  | { kind: 'create'; side: Side; name: string }
  | { kind: 'delete'; side: Side; name: string }
  | { kind: 'member'; side: Side; name: string; who: string; member: boolean }
  | { kind: 'favourite'; side: Side; who: string; on: boolean }
  | { kind: 'sync'; fault: 'none' | 'offline' | 'lose-write' }
  | { kind: 'wait'; minutes: number };

const side = fc.constantFrom<Side>('here', 'there');
const name = fc.constantFrom(...NAMES);
const who = fc.constantFrom(...PEOPLE);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), side, name }),
  fc.record({ kind: fc.constant('delete' as const), side, name }),
  fc.record({ kind: fc.constant('member' as const), side, name, who, member: fc.boolean() }),
  fc.record({ kind: fc.constant('member' as const), side, name, who, member: fc.boolean() }),
  fc.record({ kind: fc.constant('favourite' as const), side, who, on: fc.boolean() }),
  fc.record({ kind: fc.constant('sync' as const), fault: fc.constantFrom<'none' | 'offline' | 'lose-write'>('none', 'none', 'offline', 'lose-write') }),
  fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 30 }) }),
);

async function run(ops: readonly Op[]): Promise<void> {
  const fake = await startFakePeople();
  try {
    const store = new MemoryLabelStore();
    const rn = new Map<string, string>();
    for (const p of PEOPLE) {
      const r = fake.addPerson({ name: p, emails: [`${p}@example.org`] });
      rn.set(p, r);
      store.addCard(p, `/carddav/v1/principals/u/lists/default/${hexOfResourceName(r)}`, contact(hexOfResourceName(r)!, p));
    }
    const byRn = new Map([...rn].map(([k, v]) => [v, k]));
    const there = () => new Map([...fake.groupsByName()].map(([n, ms]) => [n, ms.map((m) => byRn.get(m)!).sort()]));
    const net = { offline: false, lose: false };
    const flaky: typeof fetch = async (input, init) => {
      if (net.offline) throw new TypeError('offline');
      const res = await fetch(input, init);
      if (net.lose && init?.method !== undefined && init.method !== 'GET') {
        net.lose = false;
        throw new TypeError('answer lost');
      }
      return res;
    };
    const token = fake.token();
    const client = new PeopleClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token }, fetch: flaky }), { base: fake.url, sleep: async (ms) => fake.advance(ms) });
    let ids = 0;
    const sync = () => syncLabels({ client, store, now: fake.now, newId: () => `l${++ids}` });
    const hereGroup = (n: string) => listGroups(store.groupBook()).find((g) => g.name === n);
    const thereGroup = (n: string) => [...fake.groupsByName().keys()].includes(n);
    /** Google's groups the model knows of (made there, or linked here after a sync). */
    const knownRns = new Set<string>();
    const thereRn = (n: string) => [...knownRns].find((r) => fake.group(r)?.name === n && fake.group(r)?.deleted === false);

    /** For "nothing lost": (label, person) → the sides that changed it and its last value; labels ever deleted. */
    const touched = new Map<string, { member: boolean; sides: Set<Side> }>();
    const deleted = new Set<string>();
    const apply = (o: Op): void => {
      try {
        if (o.kind === 'create') {
          if (o.side === 'here') store.change(createGroup(store.groupBook(), o.name, `g${++ids}`).changes);
          else if (!thereGroup(o.name)) knownRns.add(fake.createGroup(o.name));
        } else if (o.kind === 'delete') {
          deleted.add(o.name);
          if (o.side === 'here') {
            const g = hereGroup(o.name);
            if (g !== undefined) store.change(deleteGroup(store.groupBook(), g.key));
          } else {
            const r = thereRn(o.name);
            if (r !== undefined) fake.deleteGroup(r);
          }
        } else if (o.kind === 'member') {
          const k = `${o.name}/${o.who}`;
          if (o.side === 'here') {
            const g = hereGroup(o.name);
            if (g === undefined) return;
            store.change(o.member ? addMembers(store.groupBook(), g.key, [o.who], () => 'x') : removeMembers(store.groupBook(), g.key, [o.who]));
          } else {
            const r = thereRn(o.name);
            if (r === undefined) return;
            fake.modify(r, o.member ? [rn.get(o.who)!] : [], o.member ? [] : [rn.get(o.who)!]);
          }
          const t = touched.get(k) ?? { member: o.member, sides: new Set<Side>() };
          t.sides.add(o.side);
          t.member = o.member;
          touched.set(k, t);
        } else if (o.kind === 'favourite') {
          if (o.side === 'here') {
            if (o.on) store.favourites.add(o.who);
            else store.favourites.delete(o.who);
          } else fake.modify('contactGroups/starred', o.on ? [rn.get(o.who)!] : [], o.on ? [] : [rn.get(o.who)!]);
        } else if (o.kind === 'wait') fake.advance(o.minutes * 60_000);
      } catch (e) {
        if (!(e instanceof GroupError) && !/already exists/.test((e as Error).message)) throw e;
      }
    };

    for (const o of ops) {
      if (o.kind !== 'sync') {
        apply(o);
        continue;
      }
      net.offline = o.fault === 'offline';
      net.lose = o.fault === 'lose-write';
      const ok = await sync().then(
        () => true,
        () => false,
      );
      net.offline = false;
      net.lose = false;
      for (const l of store.labels) if (l.remote !== null) knownRns.add(l.remote.resourceName);
      // A sync that ran through leaves both sides the same.
      if (ok) expect(store.listed()).toEqual(there());
    }
    // Quiet: the writes marked as unsettled have had their time.
    fake.advance(20 * 60_000);
    await sync();
    await sync();

    expect(store.listed()).toEqual(there());
    expect([...store.favourites].sort()).toEqual(fake.group('contactGroups/starred')!.members.map((m) => byRn.get(m)!).sort());
    const names = store.labels.filter((l) => !l.deleted).map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
    for (const [k, t] of touched) {
      const [n, p] = k.split('/') as [string, string];
      // Changed on one side only, in a label nobody deleted: that side's last word stands.
      if (t.sides.size !== 1 || deleted.has(n)) continue;
      expect({ k, member: (store.listed().get(n) ?? []).includes(p) }).toEqual({ k, member: t.member });
    }
  } finally {
    await fake.close();
  }
}

describe('the labels sync under generated interleavings', () => {
  it('converges, keeps names unique and loses nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 30 }), async (ops) => run(ops)),
      // A fixed seed in npm test, so a run is repeatable; CARDINAL_MODEL_SEED=random explores. Seed
      // 1757418179 found a label deleted there, edited here, then created there again under its name
      // left as two labels here; now one (scenario test in people-sync.test.ts).
      { numRuns: Number(process.env.CARDINAL_MODEL_RUNS ?? 40), ...(process.env.CARDINAL_MODEL_SEED === 'random' ? {} : { seed: Number(process.env.CARDINAL_MODEL_SEED ?? 20261202) }) },
    );
  }, 300_000);
});
