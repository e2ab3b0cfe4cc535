import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeCards, mergeSets, readCardFacts } from '../../../shared/groups';
import { merge, parseVCard, serializeVCard, toContact } from '../../../shared/vcard';
import { vcard } from './book';

const group = (...members: string[]) =>
  vcard('VERSION:3.0', 'UID:G', 'N:Team', 'FN:Team', 'X-ADDRESSBOOKSERVER-KIND:group', ...members.map((m) => `X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:${m}`));
const membersOf = (text: string) => readCardFacts('g', parseVCard(text)).members;

describe('a group card’s member list merges three ways', () => {
  it('both sides adding a member keeps both', () => {
    const r = mergeCards(group('a', 'b'), group('a', 'b', 'c'), group('a', 'b', 'd'));
    expect(r.conflicts).toEqual([]);
    expect(membersOf(serializeVCard(r.card))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a member both sides removed while one side added another: the vCard merge asks, the group merge does not', () => {
    // Found while building this: shared/vcard's merge pairs a removed line with an added line of the
    // same kind as one edit, so "a out, c in" here against "a out" there reads as an edit against a
    // deletion, and "a out, c in" against "a out, d in" as two rival edits.
    const plain = merge(parseVCard(group('a', 'b')), parseVCard(group('b', 'c')), parseVCard(group('b')));
    expect(plain.conflicts.map((c) => c.property)).toEqual(['X-ADDRESSBOOKSERVER-MEMBER']);
    const rivals = merge(parseVCard(group('a', 'b')), parseVCard(group('b', 'c')), parseVCard(group('b', 'd')));
    expect(rivals.conflicts.map((c) => c.property)).toEqual(['X-ADDRESSBOOKSERVER-MEMBER']);

    const r = mergeCards(group('a', 'b'), group('b', 'c'), group('b'));
    expect(r.conflicts).toEqual([]);
    expect(membersOf(serializeVCard(r.card))).toEqual(['b', 'c']);
    const r2 = mergeCards(group('a', 'b'), group('b', 'c'), group('b', 'd'));
    expect(r2.conflicts).toEqual([]);
    expect(membersOf(serializeVCard(r2.card))).toEqual(['b', 'c', 'd']);
  });

  it('a member removed on one side and another added on the other: both changes in', () => {
    const r = mergeCards(group('a', 'b'), group('b', 'c'), group('a'));
    expect(r.conflicts).toEqual([]);
    expect(membersOf(serializeVCard(r.card))).toEqual(['c']);
  });

  it('categories added on both sides of a contact merge without a question; other properties still do', () => {
    const c = (...l: string[]) => vcard('VERSION:3.0', 'UID:1', 'FN:Ada', ...l);
    const plain = merge(parseVCard(c('CATEGORIES:Family')), parseVCard(c('CATEGORIES:Family,Chess')), parseVCard(c('CATEGORIES:Family,Work')));
    expect(plain.conflicts.map((x) => x.property)).toEqual(['CATEGORIES']);
    const r = mergeCards(c('CATEGORIES:Family', 'NOTE:n'), c('CATEGORIES:Family,Chess', 'NOTE:here'), c('CATEGORIES:Family,Work', 'NOTE:there'));
    expect(toContact(r.card).categories).toEqual(['Family', 'Chess', 'Work']);
    expect(r.conflicts.map((x) => x.property)).toEqual(['NOTE']);
  });

  it('leaves the card’s other lines as the vCard merge has them, member lines where they stood', () => {
    const base = group('a');
    const local = group('a').replace('FN:Team', 'FN:Team A');
    const r = serializeVCard(mergeCards(base, local, group('a', 'z')).card);
    expect(r).toBe(group('a', 'z').replace('FN:Team', 'FN:Team A'));
  });

  it('writes a member the other side added in this card’s own member property', () => {
    const v4 = (...m: string[]) => vcard('VERSION:4.0', 'UID:G', 'KIND:group', 'FN:T', ...m.map((x) => `MEMBER:urn:uuid:${x}`));
    const remote = v4('a').replace('END:VCARD', 'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:b\r\nEND:VCARD');
    const text = serializeVCard(mergeCards(v4('a'), v4('a'), remote).card);
    expect(text).toContain('MEMBER:urn:uuid:b');
    expect(text).not.toContain('X-ADDRESSBOOKSERVER-MEMBER');
  });
});

describe('the set merge (generated)', () => {
  const ids = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 7 });
  it('keeps every addition of either side, drops every removal of either side, and agrees whichever side is which', () => {
    fc.assert(
      fc.property(ids, ids, ids, (base, local, remote) => {
        const m = new Set(mergeSets(base, local, remote, (x) => x));
        for (const x of local) if (!base.includes(x)) expect(m.has(x)).toBe(true);
        for (const x of remote) if (!base.includes(x)) expect(m.has(x)).toBe(true);
        for (const x of base) if (!local.includes(x) || !remote.includes(x)) expect(m.has(x)).toBe(false);
        expect([...m].sort()).toEqual(mergeSets(base, remote, local, (x) => x).sort());
      }),
    );
  });

  it('a group card merged with itself changed on one side is that side', () => {
    fc.assert(
      fc.property(ids, ids, (base, side) => {
        expect(membersOf(serializeVCard(mergeCards(group(...base), group(...side), group(...base)).card))).toEqual(side);
        expect([...membersOf(serializeVCard(mergeCards(group(...base), group(...base), group(...side)).card))].sort()).toEqual([...side].sort());
      }),
    );
  });
});
