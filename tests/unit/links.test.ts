/**
 * Linked contacts (store/links.ts), the logic apart from the store: a link read against the list
 * (members deleted drop out, one left is no link), joining links, and a view's rows with each
 * link once (its chosen card, or the card the view shows; a search that finds a hidden card finds
 * the link; the count counts it once).
 */
import { describe, expect, it } from 'vitest';
import { ContactIndex } from '../../renderer/src/store/contact-index';
import { CannotLink, collapseLinked, joinLinks, liveLink, oncePerLink, viewLinks, type LinkRecord, type LiveLink } from '../../renderer/src/store/links';
import { deriveListFields } from '../../shared/book/derive';
import { parseVCard } from '../../shared/vcard';
import type { ContactRow } from '../../renderer/src/db/schema';

const row = (id: string, bookId: string, fn: string, extra = '', more: Partial<ContactRow> = {}): ContactRow => ({
  id,
  bookId,
  favorite: 0,
  pending: '',
  updatedAt: 0,
  ...deriveListFields(parseVCard(`BEGIN:VCARD\r\nVERSION:4.0\r\nFN:${fn}\r\n${extra}END:VCARD\r\n`)),
  ...more,
});

const rec = (id: string, members: string[], primary = members[0]!): LinkRecord => ({ id, members, primary, at: 0 });

/** The list as the window asks for it: the index's answer, then each link once. */
function shown(idx: ContactIndex, links: readonly LinkRecord[], q = '', bookId: string | null = null, favoritesOnly = false): ContactRow[] {
  const byContact = new Map(links.flatMap((l) => l.members.map((m) => [m, l] as const)));
  const linkOf = (id: string): LiveLink | null => {
    const l = byContact.get(id);
    return l === undefined ? null : liveLink(l, (x) => idx.get(x));
  };
  const whole = idx.list('', bookId, favoritesOnly);
  const found = idx.list(q, bookId, favoritesOnly);
  const compare = (a: ContactRow, b: ContactRow) => idx.compareIds(a.id, b.id);
  const live = links.flatMap((l) => linkOf(l.members[0]!) ?? []);
  const out = collapseLinked(found, viewLinks(whole, live, (id) => idx.get(id), compare), compare);
  expect(out.sections).toHaveLength(out.rows.length);
  return out.rows;
}

describe('a link read against the list', () => {
  const idx = new ContactIndex('en');
  idx.load([row('a', 'local', 'Ann Lee'), row('b', 'dav', 'Ann Lee'), row('c', 'google', 'Ann L.'), row('gone', 'dav', 'X', '', { pending: 'deleted' })]);

  it('keeps the members still listed and the chosen one when it is there', () => {
    expect(liveLink(rec('L', ['a', 'b', 'c'], 'b'), (id) => idx.get(id))).toEqual({ id: 'L', members: ['a', 'b', 'c'], primary: 'b' });
  });

  it('drops a member deleted on its server, and the chosen name falls to the first left', () => {
    expect(liveLink(rec('L', ['x', 'a', 'c'], 'x'), (id) => idx.get(id))).toEqual({ id: 'L', members: ['a', 'c'], primary: 'a' });
    // A deletion still waiting for its server counts as gone.
    expect(liveLink(rec('L', ['gone', 'a', 'b'], 'gone'), (id) => idx.get(id))?.members).toEqual(['a', 'b']);
  });

  it('is no link with one card left', () => {
    expect(liveLink(rec('L', ['a', 'x']), (id) => idx.get(id))).toBeNull();
    expect(liveLink(rec('L', ['a', 'gone']), (id) => idx.get(id))).toBeNull();
  });
});

describe('making a link', () => {
  const books = new Map([
    ['a', 'local'],
    ['b', 'dav'],
    ['c', 'google'],
    ['d', 'dav'],
  ]);
  const bookOf = (id: string) => books.get(id);

  it('joins a link one of the cards is already in, and says which it replaces', () => {
    const { record, replaces } = joinLinks([rec('L1', ['a', 'b']), rec('L2', ['x', 'y'])], ['c', 'b'], 'c', 'N', 5, bookOf);
    expect(record).toEqual({ id: 'N', members: ['c', 'b', 'a'], primary: 'c', at: 5 });
    expect(replaces).toEqual(['L1']);
  });

  it('leaves out cards of a joined link that are gone meanwhile', () => {
    expect(joinLinks([rec('L1', ['a', 'gone'])], ['a', 'b'], 'a', 'N', 0, bookOf).record.members).toEqual(['a', 'b']);
  });

  it('refuses cards of one book only (those are merged), a card that is gone, or one card', () => {
    expect(() => joinLinks([], ['b', 'd'], 'b', 'N', 0, bookOf)).toThrow(CannotLink);
    expect(() => joinLinks([], ['a', 'gone'], 'a', 'N', 0, bookOf)).toThrow(CannotLink);
    expect(() => joinLinks([], ['a'], 'a', 'N', 0, bookOf)).toThrow(CannotLink);
  });

  it('takes the first card for the name when the chosen one is not among them', () => {
    expect(joinLinks([], ['a', 'b'], 'zzz', 'N', 0, bookOf).record.primary).toBe('a');
  });
});

describe('a view with linked cards', () => {
  const make = () => {
    const idx = new ContactIndex('en');
    idx.load([
      row('a', 'local', 'Ann Lee', 'EMAIL:ann@home.example\r\n'),
      row('b', 'dav', 'Annie Lee', 'EMAIL:ann@work.example\r\nNOTE:met at the conference\r\n', { favorite: 1 }),
      row('c', 'dav', 'Bob Stone'),
      row('d', 'local', 'Zed Brown'),
    ]);
    return idx;
  };

  it('shows one row for the link, the chosen card, and counts it once', () => {
    const idx = make();
    expect(shown(idx, [rec('L', ['a', 'b'], 'b')]).map((r) => r.id)).toEqual(['b', 'c', 'd']);
    expect(shown(idx, [rec('L', ['a', 'b'], 'a')]).map((r) => r.id)).toEqual(['a', 'c', 'd']);
    expect(shown(idx, []).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('in one book shows that book’s card', () => {
    const idx = make();
    expect(shown(idx, [rec('L', ['a', 'b'], 'b')], '', 'local').map((r) => r.id)).toEqual(['a', 'd']);
    expect(shown(idx, [rec('L', ['a', 'b'], 'a')], '', 'dav').map((r) => r.id)).toEqual(['b', 'c']);
  });

  it('in favourites shows the favourite card', () => {
    const idx = make();
    expect(shown(idx, [rec('L', ['a', 'b'], 'a')], '', null, true).map((r) => r.id)).toEqual(['b']);
  });

  it('is found by a word only the hidden card has, shown by its chosen card, in list order', () => {
    const idx = make();
    const links = [rec('L', ['b', 'a'], 'a')];
    expect(shown(idx, links, 'conference').map((r) => r.id)).toEqual(['a']);
    expect(shown(idx, links, 'work.example').map((r) => r.id)).toEqual(['a']);
    // Both cards match: still once.
    expect(shown(idx, links, 'lee').map((r) => r.id)).toEqual(['a']);
    // A word of another contact: the link is not dragged in.
    expect(shown(idx, links, 'stone').map((r) => r.id)).toEqual(['c']);
  });

  it('puts the link’s row in list order when it is brought in by a hidden card’s match', () => {
    const idx = make();
    // Shown as "Zed Brown"'s neighbour: a link whose chosen card sorts last.
    idx.upsert([row('e', 'google', 'Aaron Zed', 'NOTE:zed\r\n')]);
    const out = shown(idx, [rec('L', ['e', 'd'], 'd')], 'zed');
    expect(out.map((r) => r.id)).toEqual(['d']);
    const mixed = shown(idx, [rec('L', ['b', 'c'], 'c')], 'lee');
    // "Ann Lee" (a) then the link shown as "Bob Stone" (c), found through "Annie Lee" (b).
    expect(mixed.map((r) => r.id)).toEqual(['a', 'c']);
  });

  it('after a sync deletes one card of two, the other is a contact of its own again', () => {
    const idx = make();
    const links = [rec('L', ['a', 'b'], 'b')];
    idx.remove(['b']);
    expect(shown(idx, links).map((r) => r.id)).toEqual(['a', 'c', 'd']);
  });

  it('after a sync renames the chosen card, the link sorts by its new name', () => {
    const idx = make();
    const links = [rec('L', ['a', 'b'], 'b')];
    idx.upsert([row('b', 'dav', 'Zoe Lee')]);
    expect(shown(idx, links).map((r) => r.id)).toEqual(['c', 'd', 'b']);
  });
});

describe('a long list with few links, and with many', () => {
  // 3,000 contacts: two links are found by binary search, 1,200 by a map of positions (links.ts `locator`); the same rows either way.
  const idx = new ContactIndex('en');
  idx.load(Array.from({ length: 3000 }, (_, i) => row(`c${i}`, i < 1500 ? 'local' : 'dav', `Person ${String(i % 1500).padStart(4, '0')}${i === 7 || i === 1507 ? ' Zed' : ''}`)));
  const pairs = (n: number) => Array.from({ length: n }, (_, k) => rec(`L${k}`, [`c${k * 1}`, `c${1500 + k}`], `c${1500 + k}`));

  for (const n of [2, 1200]) {
    it(`with ${n} links each is one row (its shown card, in its place), counted once, and a search for a word of its hidden card finds the shown one`, () => {
      const links = pairs(n);
      const all = shown(idx, links);
      expect(all).toHaveLength(3000 - n);
      expect(all.filter((r) => r.displayName.startsWith('Person 0001'))).toEqual([idx.get('c1501')]);
      expect(all.map((r) => r.id)).not.toContain('c1');
      // "Zed" is on c7 and c1507: a link when n > 7, two contacts otherwise.
      expect(shown(idx, links, 'zed').map((r) => r.id)).toEqual(n > 7 ? ['c1507'] : ['c1507', 'c7']);
      expect(shown(idx, [rec('X', ['c7', 'c8'], 'c8')], 'zed').map((r) => r.id)).toEqual(['c1507', 'c8']);
    });
  }
});

describe('birthdays of linked cards', () => {
  it('the same day on two linked cards is listed once, as the shown card; another day, or another person, stays', () => {
    const idx = new ContactIndex('en');
    idx.load([row('a', 'local', 'Ann Lee'), row('b', 'dav', 'Ann Lee'), row('c', 'google', 'Ann L.'), row('d', 'dav', 'Bob')]);
    const link = liveLink(rec('L', ['a', 'b', 'c'], 'b'), (id) => idx.get(id));
    const linkOf = (id: string) => (['a', 'b', 'c'].includes(id) ? link : null);
    const items = [
      { row: idx.get('a')!, inDays: 3 },
      { row: idx.get('d')!, inDays: 3 },
      { row: idx.get('b')!, inDays: 3 },
      { row: idx.get('c')!, inDays: 9 },
    ];
    expect(oncePerLink(items, linkOf, (u) => String(u.inDays)).map((u) => u.row.id)).toEqual(['b', 'd', 'c']);
  });
});
