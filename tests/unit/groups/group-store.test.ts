import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ContactRepo } from '../../../renderer/src/db/repo';
import { LOCAL_BOOK_ID } from '../../../renderer/src/db/schema';
import { ContactIndex } from '../../../renderer/src/store/contact-index';
import { GroupStore } from '../../../renderer/src/store/groups';
import { scopeIds } from '../../../renderer/src/features/export/scope';
import { parseVCard } from '../../../shared/vcard';
import { deriveListFields } from '../../../shared/book/derive';
import { foldName } from '../../../shared/groups/members';
import type { ContactRow } from '../../../renderer/src/db/schema';

const card = (fn: string, extra = '') => parseVCard(`BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${fn}\r\nFN:${fn}\r\nN:${fn};;;;\r\n${extra}END:VCARD\r\n`);
let n = 0;

async function setup(bookId = LOCAL_BOOK_ID, kind: 'local' | 'carddav' = 'local') {
  const repo = await ContactRepo.open(`groups-${++n}-${Date.now()}`);
  if (bookId !== LOCAL_BOOK_ID) await repo.db.books.put({ id: bookId, name: 'Work', kind, version: '3.0', createdAt: 0 });
  const index = new ContactIndex('en');
  const groups = await GroupStore.open(repo, index);
  const add = async (c: ReturnType<typeof card>) => {
    const s = await repo.create(bookId, c);
    index.upsert([s.row]);
    return s.row.id;
  };
  return { repo, index, groups, add };
}

describe('the group store', () => {
  it('lists a book’s CATEGORIES as groups with their members, and filters the list by one', async () => {
    const { index, groups, add } = await setup();
    const ada = await add(card('Ada', 'CATEGORIES:Family\r\n'));
    await add(card('Bob'));
    const g = groups.groups(LOCAL_BOOK_ID);
    expect(g.map((x) => [x.name, x.memberIds])).toEqual([['Family', [ada]]]);
    const rows = index.query('', LOCAL_BOOK_ID, false, { key: g[0]!.key, bits: groups.bits(LOCAL_BOOK_ID, g[0]!.key) });
    expect(rows.map((r) => r.displayName)).toEqual(['Ada']);
  });

  it('creates an empty group, adds and removes members, renames it; deleting it leaves every contact', async () => {
    const { repo, index, groups, add } = await setup();
    const ada = await add(card('Ada'));
    const bob = await add(card('Bob'));
    const key = await groups.create(LOCAL_BOOK_ID, 'Friends');
    expect(groups.groups(LOCAL_BOOK_ID).map((g) => [g.name, g.memberIds.length])).toEqual([['Friends', 0]]);
    await groups.addMembers(LOCAL_BOOK_ID, key, [ada, bob]);
    expect((await repo.getCard(ada))!.vcard).toContain('CATEGORIES:Friends');
    await groups.removeMembers(LOCAL_BOOK_ID, key, [bob]);
    expect(groups.memberIds(LOCAL_BOOK_ID, key)).toEqual([ada]);
    await groups.rename(LOCAL_BOOK_ID, key, 'Pals');
    const [pals] = groups.groups(LOCAL_BOOK_ID);
    expect(pals!.name).toBe('Pals');
    await groups.remove(LOCAL_BOOK_ID, pals!.key);
    expect(groups.groups(LOCAL_BOOK_ID)).toEqual([]);
    expect(index.query('', LOCAL_BOOK_ID).map((r) => r.displayName)).toEqual(['Ada', 'Bob']);
    expect((await repo.getCard(ada))!.vcard).not.toContain('CATEGORIES');
  });

  it('an export scope of a group takes its members in list order, not a contact waiting for deletion, nothing for a group that is gone', async () => {
    const { index, groups, add } = await setup();
    const zoe = await add(card('Zoe', 'CATEGORIES:Team\r\n'));
    await add(card('Bob'));
    const ada = await add(card('Ada', 'CATEGORIES:Team\r\n'));
    const cy = await add(card('Cy', 'CATEGORIES:Team\r\n'));
    const [team] = groups.groups(LOCAL_BOOK_ID);
    const scope = { kind: 'group' as const, bookId: LOCAL_BOOK_ID, key: team!.key };
    expect(scopeIds(index, groups, scope)).toEqual([ada, cy, zoe]);
    index.upsert([{ ...index.get(cy)!, pending: 'deleted' }]);
    expect(scopeIds(index, groups, scope)).toEqual([ada, zoe]);
    expect(scopeIds(index, groups, { ...scope, key: 'name:gone' })).toEqual([]);
  });

  it('remembers an empty group across a restart', async () => {
    const { repo, index, groups } = await setup();
    await groups.create(LOCAL_BOOK_ID, 'Later');
    const again = await GroupStore.open(repo, index);
    expect(again.groups(LOCAL_BOOK_ID).map((g) => g.name)).toEqual(['Later']);
  });

  it('makes a Nextcloud book’s first group an Apple group card, queued for upload and never shown as a contact', async () => {
    const { repo, index, groups, add } = await setup('nc', 'carddav');
    groups.setSignals('nc', { account: 'carddav', url: 'https://cloud.example.org/remote.php/dav/addressbooks/users/ada/contacts/' });
    const ada = await add(card('Ada'));
    const key = await groups.create('nc', 'Chess club');
    await groups.addMembers('nc', key, [ada]);
    const [g] = groups.groups('nc');
    expect(g).toMatchObject({ name: 'Chess club', memberIds: [ada], card: { form: 'apple' } });
    const groupCard = await repo.getCard(g!.card!.id);
    expect(groupCard!.vcard).toContain('X-ADDRESSBOOKSERVER-KIND:group');
    expect(groupCard!.vcard).toMatch(/X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:Ada/i);
    expect(index.get(g!.card!.id)!.pending).toBe('created');
    expect(index.query('', 'nc').map((r) => r.displayName)).toEqual(['Ada']);
    expect(groups.setting('nc')).toMatchObject({ storage: 'apple-cards', decidedBy: 'cards' });
  });

  it('uses CATEGORIES for a new group in a book of another CardDAV server, and the member edit is a pending upload', async () => {
    const { repo, index, groups, add } = await setup('dav', 'carddav');
    groups.setSignals('dav', { account: 'carddav', url: 'https://dav.example.org/ada/contacts/' });
    const ada = await add(card('Ada'));
    const synced = { ...index.get(ada)!, pending: '' as const }; // as if uploaded
    await repo.db.contacts.put(synced);
    index.upsert([synced]);
    const key = await groups.create('dav', 'Work');
    await groups.addMembers('dav', key, [ada]);
    expect(index.get(ada)).toMatchObject({ categories: ['Work'], pending: 'updated' });
  });

  it('keeps a book’s group cards as its storage once seen, though its server would default to CATEGORIES', async () => {
    const { groups, add } = await setup('dav', 'carddav');
    await add(parseVCard('BEGIN:VCARD\r\nVERSION:4.0\r\nUID:g\r\nFN:Team\r\nKIND:group\r\nEND:VCARD\r\n'));
    expect(groups.setting('dav').storage).toBe('vcard4-cards');
    const ada = await add(card('Ada'));
    await groups.create('dav', 'Other');
    const other = groups.groups('dav').find((g) => g.name === 'Other')!;
    expect(other.card?.form).toBe('vcard4');
    await groups.addMembers('dav', other.key, [ada]);
    expect(groups.groupsOf(ada).map((g) => g.name)).toEqual(['Other']);
  });

  it('finds a group card’s members by the group’s name', async () => {
    const { index, groups, add } = await setup();
    await add(card('Ada'));
    await add(card('Bob'));
    await add(parseVCard('BEGIN:VCARD\r\nVERSION:3.0\r\nUID:g\r\nFN:Chess club\r\nX-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:Bob\r\nEND:VCARD\r\n'));
    const also = groups.matchingMembers('chess', null);
    expect(index.query('chess', null, false, null, also).map((r) => r.displayName)).toEqual(['Bob']);
    expect(index.query('chess', null).map((r) => r.displayName)).toEqual([]);
  });

  it('lists a book’s groups again after an edit that touches groups, not after one that does not (a name)', async () => {
    const { index, groups, add } = await setup();
    const ada = await add(card('Ada', 'CATEGORIES:Family\r\n'));
    const before = groups.groups(LOCAL_BOOK_ID);
    index.upsert([{ ...index.get(ada)!, displayName: 'Ada L.' }]);
    expect(groups.groups(LOCAL_BOOK_ID)).toBe(before);
    index.upsert([{ ...index.get(ada)!, categories: ['Family', 'Work'] }]);
    expect(groups.groups(LOCAL_BOOK_ID).map((g) => g.name)).toEqual(['Family', 'Work']);
  });

  it('a contact joining, leaving or making a CATEGORIES group is patched into the listed groups: the other groups are the same objects, and every step equals a fresh listing', async () => {
    const { index, groups, add, repo } = await setup();
    const names = ['Chess', 'Family', 'Work', 'Zoë', 'Ünits'];
    let seed = 7;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await add(card(`P${i}`, i % 3 === 0 ? `CATEGORIES:${names[i % names.length]}\r\n` : '')));
    // One Apple group card naming two contacts by UID: its group stays right while CATEGORIES move around it.
    await add(parseVCard('BEGIN:VCARD\r\nVERSION:3.0\r\nUID:g\r\nFN:Card group\r\nX-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:P1\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:P2\r\nEND:VCARD\r\n'));
    const shape = (list: readonly { key: string; name: string; memberIds: readonly string[] }[]) => list.map((g) => ({ key: g.key, name: g.name, members: [...g.memberIds] }));
    groups.groups(LOCAL_BOOK_ID);
    let patched = 0;
    for (let step = 0; step < 150; step++) {
      const id = ids[rand(ids.length)]!;
      const row = index.get(id)!;
      const before = groups.groups(LOCAL_BOOK_ID);
      const kind = rand(10);
      const categories = kind < 8 ? (row.categories.includes(names[rand(names.length)]!) ? row.categories.filter((_, i) => i !== 0) : [...row.categories, names[rand(names.length)]!]) : row.categories;
      const next = { ...row, categories: [...new Set(categories)], pending: kind === 9 ? (row.pending === 'deleted' ? ('' as const) : ('deleted' as const)) : row.pending };
      index.upsert([next]);
      const now = groups.groups(LOCAL_BOOK_ID);
      const fresh = await GroupStore.open(repo, index);
      expect(shape(now), `step ${step}`).toEqual(shape(fresh.groups(LOCAL_BOOK_ID)));
      for (const g of fresh.groups(LOCAL_BOOK_ID)) {
        const members = new Set(g.memberIds);
        expect(index.query('', LOCAL_BOOK_ID, false, { key: g.key, bits: groups.bits(LOCAL_BOOK_ID, g.key) }).map((r) => r.id), `${g.name} at step ${step}`).toEqual(index.query('', LOCAL_BOOK_ID).filter((r) => members.has(r.id)).map((r) => r.id));
      }
      if (now !== before && now.some((g) => before.includes(g))) patched++;
    }
    // Most steps were patched in place (a group that went, or a deletion of a member of the card group, lists the book again).
    expect(patched).toBeGreaterThan(75);
  });

  it('a contact deleted and restored in one batch (the same id twice, the last row live) stays in its CATEGORIES groups, as a fresh listing has it', async () => {
    const { index, groups, add, repo } = await setup();
    const ada = await add(card('Ada', 'CATEGORIES:Family\r\n'));
    const bob = await add(card('Bob', 'CATEGORIES:Family\r\n'));
    expect(groups.groups(LOCAL_BOOK_ID).map((g) => [g.name, g.memberIds])).toEqual([['Family', [ada, bob]]]);
    const row = index.get(bob)!;
    index.upsert([{ ...row, pending: 'deleted' }, row]);
    const fresh = await GroupStore.open(repo, index);
    expect(fresh.groups(LOCAL_BOOK_ID).map((g) => [g.name, g.memberIds])).toEqual([['Family', [ada, bob]]]);
    const [g] = groups.groups(LOCAL_BOOK_ID);
    expect([g!.name, g!.memberIds, groups.memberCount(g!)]).toEqual(['Family', [ada, bob], 2]);
  });

  it('a CATEGORIES group renamed only in case (“friends” → “Friends”) shows its new name once the cards are written, as a fresh listing does', async () => {
    const { repo, index, groups, add } = await setup();
    await add(card('Ada', 'CATEGORIES:friends\r\n'));
    await add(card('Bob', 'CATEGORIES:friends\r\n'));
    const [g] = groups.groups(LOCAL_BOOK_ID);
    await groups.rename(LOCAL_BOOK_ID, g!.key, 'Friends');
    expect((await repo.allRows()).map((r) => r.categories)).toEqual([['Friends'], ['Friends']]);
    expect(groups.groups(LOCAL_BOOK_ID).map((x) => [x.name, x.memberIds.length])).toEqual([['Friends', 2]]);
    const fresh = await GroupStore.open(repo, index);
    expect(fresh.groups(LOCAL_BOOK_ID).map((x) => x.name)).toEqual(['Friends']);
  });

  it('many rows at once (a group renamed, a selection joining or leaving) are patched in one go, and each batch equals a fresh listing', async () => {
    const { index, groups, add, repo } = await setup();
    const names = ['Chess', 'Family', 'Work', 'Zoë'];
    let seed = 3;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await add(card(`P${i}`, i % 2 === 0 ? `CATEGORIES:${names[i % names.length]}\r\n` : '')));
    const shape = (list: readonly { key: string; name: string; memberIds: readonly string[] }[]) => list.map((g) => ({ key: g.key, name: g.name, members: [...g.memberIds] }));
    groups.groups(LOCAL_BOOK_ID);
    let patched = 0;
    for (let step = 0; step < 40; step++) {
      const before = groups.groups(LOCAL_BOOK_ID);
      const kind = rand(3);
      const rows = ids.map((id) => index.get(id)!);
      if (kind === 0) {
        // A rename: every member's CATEGORIES name the group anew.
        const from = before[rand(before.length)];
        if (from === undefined) continue;
        const to = `${from.name}+`;
        index.upsert(rows.filter((r) => r.categories.includes(from.name)).map((r) => ({ ...r, categories: r.categories.map((c) => (c === from.name ? to : c)) })));
      } else {
        const name = kind === 1 ? names[rand(names.length)]! : (before[rand(Math.max(1, before.length))]?.name ?? 'New');
        const chosen = rows.filter(() => rand(3) === 0);
        index.upsert(chosen.map((r) => ({ ...r, categories: r.categories.includes(name) ? r.categories.filter((c) => c !== name) : [...r.categories, name] })));
      }
      const now = groups.groups(LOCAL_BOOK_ID);
      const fresh = await GroupStore.open(repo, index);
      expect(shape(now), `step ${step}`).toEqual(shape(fresh.groups(LOCAL_BOOK_ID)));
      for (const g of fresh.groups(LOCAL_BOOK_ID)) {
        const members = new Set(g.memberIds);
        expect(index.query('', LOCAL_BOOK_ID, false, { key: g.key, bits: groups.bits(LOCAL_BOOK_ID, g.key) }).map((r) => r.id), `${g.name} at step ${step}`).toEqual(index.query('', LOCAL_BOOK_ID).filter((r) => members.has(r.id)).map((r) => r.id));
      }
      if (now !== before && now.some((g) => before.includes(g))) patched++;
    }
    expect(patched).toBeGreaterThan(20);
  });

  it('an import of 600 contacts into listed groups (an existing one and one it makes) patches them in list order from the membership bits, without 600 × log 600 name compares, and equals a fresh listing', async () => {
    const { index, groups, add, repo } = await setup();
    for (let i = 0; i < 20; i++) await add(card(`Had ${String(i).padStart(2, '0')}`, i % 2 === 0 ? 'CATEGORIES:Family\r\n' : ''));
    groups.groups(LOCAL_BOOK_ID);
    let seed = 11;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
    // The import's rows, in file order (not list order), written at once as runImport does.
    const rows = [];
    for (let i = 0; i < 600; i++) {
      const s = await repo.create(LOCAL_BOOK_ID, card(`N${rand(100_000)} ${i}`, i % 3 === 0 ? 'CATEGORIES:Family,Chess\r\n' : 'CATEGORIES:Chess\r\n'));
      rows.push(s.row);
    }
    let compares = 0;
    const compareIds = index.compareIds;
    index.compareIds = (a, b) => (compares++, compareIds(a, b));
    index.upsert(rows);
    index.compareIds = compareIds;
    expect(compares).toBeLessThan(600);
    const shape = (list: readonly { key: string; name: string; memberIds: readonly string[] }[]) => list.map((g) => ({ key: g.key, name: g.name, members: [...g.memberIds] }));
    const fresh = await GroupStore.open(repo, index);
    expect(shape(groups.groups(LOCAL_BOOK_ID))).toEqual(shape(fresh.groups(LOCAL_BOOK_ID)));
    const family = groups.groups(LOCAL_BOOK_ID).find((g) => g.name === 'Family')!;
    expect(family.memberIds).toEqual(index.query('', LOCAL_BOOK_ID).filter((r) => r.categories.includes('Family')).map((r) => r.id));
    expect(family.memberIds).toHaveLength(10 + 200);
  });
  it('a first sync of 30 batches of 500 into a book whose every contact is in two groups: each batch’s patch looks at its own rows alone (the last as few as the first), the sidebar reads no member list, a user’s edit between batches shows at once, and after the last batch the groups equal a fresh listing', async () => {
    const { repo, index, groups } = await setup('dav', 'carddav');
    groups.setSignals('dav', { account: 'carddav', url: 'https://dav.example.org/ada/contacts/' });
    let seed = 5;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
    const base = deriveListFields(parseVCard('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nEND:VCARD\r\n'));
    const row = (i: number): ContactRow => {
      const name = `N${String(rand(1_000_000)).padStart(6, '0')} ${i}`;
      return { ...base, id: `c${i}`, bookId: 'dav', favorite: 0, pending: '', updatedAt: 0, uid: `u${i}`, displayName: name, sortName: name.toLowerCase(), sortNameLast: name.toLowerCase(), categories: ['friends', 'work'] };
    };
    // What the book's rows say, from scratch: each CATEGORIES name's live members.
    const fromScratch = () => {
      const out = new Map<string, Set<string>>();
      for (const r of index.all()) {
        if (r.bookId !== 'dav' || r.pending === 'deleted') continue;
        for (const c of r.categories) {
          let s = out.get(foldName(c));
          if (s === undefined) out.set(foldName(c), (s = new Set()));
          s.add(r.id);
        }
      }
      return out;
    };
    groups.groups('dav'); // the sidebar lists the book's (no) groups before the first batch
    let gets = 0;
    const get = index.get.bind(index);
    index.get = (id) => (gets++, get(id));
    let listed = 0;
    const idsOfSlots = index.idsOfSlots.bind(index);
    index.idsOfSlots = (bits) => (listed++, idsOfSlots(bits));
    let next = 0;
    for (let b = 0; b < 30; b++) {
      const batch = Array.from({ length: 500 }, () => row(next++));
      index.expectMore(b < 29);
      gets = 0;
      index.upsert(batch);
      // The patch looked at the batch's own 500 rows, a few times each, not at the members already in.
      expect(gets, `batch ${b}: rows looked up`).toBeLessThanOrEqual(3 * 500);
      // A user's edit between batches: a contact leaves "work", joins "Chess", or is deleted.
      const edited = index.get(`c${rand(next)}`)!;
      const kind = rand(3);
      index.upsert([kind === 0 ? { ...edited, categories: edited.categories.filter((c) => c !== 'work') } : kind === 1 ? { ...edited, categories: [...edited.categories, 'Chess'] } : { ...edited, pending: 'deleted' }]);
      // What the sidebar draws: each group's name and count, right at once.
      listed = 0;
      const shown = new Map(groups.groups('dav').map((g) => [foldName(g.name), groups.memberCount(g)]));
      expect(listed, `batch ${b}: the sidebar made a member list`).toBe(0);
      expect(shown, `batch ${b}`).toEqual(new Map([...fromScratch()].map(([f, ids]) => [f, ids.size])));
    }
    index.get = get;
    index.idsOfSlots = idsOfSlots;
    const shape = (list: readonly { key: string; name: string; memberIds: readonly string[] }[]) => list.map((g) => ({ key: g.key, name: g.name, members: [...g.memberIds] }));
    const fresh = await GroupStore.open(repo, index);
    expect(shape(groups.groups('dav'))).toEqual(shape(fresh.groups('dav')));
    const work = groups.groups('dav').find((g) => g.name === 'work')!;
    expect(work.memberIds).toEqual(index.query('', 'dav').filter((r) => r.categories.includes('work')).map((r) => r.id));
    expect(index.query('', 'dav', false, { key: work.key, bits: groups.bits('dav', work.key) }).map((r) => r.id)).toEqual(work.memberIds);
  }, 30_000);
  it('a sync of 10 batches into a book without groups walks its cards for their storage once, not every batch; a contact with CATEGORIES then decides it', async () => {
    const { index, groups } = await setup('dav', 'carddav');
    groups.setSignals('dav', { account: 'carddav', url: 'https://dav.example.org/ada/contacts/' });
    const base = deriveListFields(parseVCard('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nEND:VCARD\r\n'));
    const row = (i: number, categories: string[] = []): ContactRow => ({ ...base, id: `c${i}`, bookId: 'dav', favorite: 0, pending: '', updatedAt: 0, uid: `u${i}`, displayName: `P${i}`, sortName: `p${i}`, sortNameLast: `p${i}`, categories });
    let walks = 0;
    const snapshot = index.snapshot.bind(index);
    index.snapshot = () => (walks++, snapshot());
    for (let b = 0; b < 10; b++) {
      index.expectMore(b < 9);
      index.upsert(Array.from({ length: 100 }, (_, k) => row(b * 100 + k)));
      // What the sidebar asks after each batch.
      expect(groups.groups('dav')).toEqual([]);
      expect(groups.setting('dav').decidedBy).toBe('server');
    }
    expect(walks).toBeLessThanOrEqual(2);
    index.snapshot = snapshot;
    index.upsert([row(5, ['Chess'])]);
    expect(groups.setting('dav')).toMatchObject({ storage: 'categories', decidedBy: 'cards' });
    expect(groups.groups('dav').map((g) => [g.name, groups.memberCount(g)])).toEqual([['Chess', 1]]);
  });
});
