import { describe, expect, it } from 'vitest';
import { addMembers, createGroup, deleteGroup, GroupError, listGroups, removeMembers, renameGroup, type GroupStorage } from '../../../shared/groups';
import { contact, TestBook, vcard } from './book';

const people = () => ({
  ada: contact('u-ada', 'Ada', 'item1.EMAIL:ada@example.org', 'item1.X-ABLabel:lab', 'X-CUSTOM;X-P=1:keep me'),
  bob: contact('u-bob', 'Bob'),
  cy: contact('u-cy', 'Cy'),
});

const names = (b: TestBook) => listGroups(b.book()).map((g) => [g.name, g.memberIds]);

/** Every line of the card except those named, as written. */
const otherLines = (text: string, ...skip: string[]) => text.split('\r\n').filter((l) => !skip.some((s) => l.toUpperCase().startsWith(s)));

describe.each<GroupStorage>(['categories', 'apple-cards', 'vcard4-cards', 'google-labels', 'local-only'])('groups kept as %s', (storage) => {
  it('create, add three, rename, remove one, delete: the contacts stay, only their group lines change', () => {
    const b = new TestBook(storage, people());
    const before = new Map(b.texts);
    const { key, changes } = createGroup(b.book(), 'Chess club', 'g1');
    b.apply(changes);
    expect(names(b)).toEqual([['Chess club', []]]);

    b.apply(addMembers(b.book(), listGroups(b.book())[0]!.key, ['ada', 'bob', 'cy'], b.newId));
    const [g] = listGroups(b.book());
    expect(g!.name).toBe('Chess club');
    expect(g!.memberIds).toEqual(['ada', 'bob', 'cy']);
    if (storage !== 'categories' && storage !== 'local-only') expect(g!.key).toBe(key);

    b.apply(renameGroup(b.book(), g!.key, 'Chess'));
    b.apply(removeMembers(b.book(), listGroups(b.book())[0]!.key, ['bob']));
    expect(names(b)).toEqual([['Chess', ['ada', 'cy']]]);
    // Ada's card: only CATEGORIES differs from what it was, if anything.
    expect(otherLines(b.texts.get('ada')!, 'CATEGORIES')).toEqual(otherLines(before.get('ada')!, 'CATEGORIES'));

    b.apply(deleteGroup(b.book(), listGroups(b.book())[0]!.key));
    expect(names(b)).toEqual([]);
    for (const id of ['ada', 'bob', 'cy']) expect(b.texts.get(id)).toBe(before.get(id));
  });

  it('refuses an empty name and a name another group has (case aside)', () => {
    const b = new TestBook(storage, people());
    b.apply(createGroup(b.book(), 'Family', 'g1').changes);
    expect(() => createGroup(b.book(), '  ', 'g2')).toThrow(GroupError);
    try {
      createGroup(b.book(), 'family ', 'g2');
      expect.unreachable();
    } catch (e) {
      expect((e as GroupError).code).toBe('duplicate-name');
    }
  });
});

describe('one list of groups whatever form they are in', () => {
  it('lists a group card and a category of the same name as one group, and edits both', () => {
    const b = new TestBook('apple-cards', {
      ...people(),
      g: vcard('VERSION:3.0', 'UID:G1', 'N:Family', 'FN:Family', 'X-ADDRESSBOOKSERVER-KIND:group', 'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:U-ADA', 'X-ADDRESSBOOKSERVER-MEMBER:mailto:list@example.org'),
      dan: contact('u-dan', 'Dan', 'CATEGORIES:family,Work'),
    });
    const groups = listGroups(b.book());
    expect(groups.map((g) => [g.key, g.name, g.memberIds, g.inCategories, g.external])).toEqual([
      ['card:g1', 'Family', ['ada', 'dan'], true, 1],
      ['name:work', 'Work', ['dan'], true, 0],
    ]);
    b.apply(renameGroup(b.book(), 'card:g1', 'Kin'));
    expect(b.texts.get('dan')).toContain('CATEGORIES:Kin,Work');
    expect(b.texts.get('g')).toContain('FN:Kin');
    expect(b.texts.get('g')).toContain('N:Kin;;;;');
    b.apply(removeMembers(b.book(), 'card:g1', ['ada', 'dan']));
    expect(b.texts.get('g')).not.toContain('U-ADA');
    expect(b.texts.get('g')).toContain('X-ADDRESSBOOKSERVER-MEMBER:mailto:list@example.org');
    expect(b.texts.get('dan')).toContain('CATEGORIES:Work');
    b.apply(deleteGroup(b.book(), 'card:g1'));
    expect(b.texts.has('g')).toBe(false);
    expect([...b.texts.keys()].sort()).toEqual(['ada', 'bob', 'cy', 'dan']);
  });

  it('gives a contact without a UID one before a group card names it', () => {
    const b = new TestBook('vcard4-cards', { nouid: vcard('VERSION:3.0', 'FN:No Uid', 'N:Uid;No;;;') });
    b.apply(createGroup(b.book(), 'Team', 'g').changes);
    b.apply(addMembers(b.book(), 'card:g', ['nouid'], () => 'fresh-uid'));
    expect(b.texts.get('nouid')).toContain('UID:fresh-uid');
    expect(listGroups(b.book())[0]!.memberIds).toEqual(['nouid']);
    expect(b.texts.get('card-g')).toContain('MEMBER:urn:uuid:fresh-uid');
  });

  it('keeps an empty group of a CATEGORIES book in the setting until it has members', () => {
    const b = new TestBook('categories', people());
    b.apply(createGroup(b.book(), 'Later', 'x').changes);
    expect(b.setting.empty).toEqual(['Later']);
    b.apply(addMembers(b.book(), 'name:later', ['bob'], b.newId));
    expect(b.setting.empty).toEqual([]);
    expect(b.texts.get('bob')).toContain('CATEGORIES:Later');
  });

  it('never adds a group card or a card of another book as a member', () => {
    const b = new TestBook('apple-cards', { ...people(), g: vcard('VERSION:3.0', 'UID:G2', 'FN:Other', 'X-ADDRESSBOOKSERVER-KIND:group') });
    b.apply(createGroup(b.book(), 'Team', 't').changes);
    b.apply(addMembers(b.book(), 'card:t', ['g', 'elsewhere', 'ada'], b.newId));
    expect(listGroups(b.book()).find((g) => g.key === 'card:t')!.memberIds).toEqual(['ada']);
  });

  it('says a group is gone when it is', () => {
    const b = new TestBook('categories', people());
    expect(() => addMembers(b.book(), 'name:nothing', ['ada'], b.newId)).toThrow(/no longer exists/);
  });
});
