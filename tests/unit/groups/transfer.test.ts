import { describe, expect, it } from 'vitest';
import { exportWithGroups, importGroupChanges, listGroups, readCardFactsText, splitImport, uidKey, type GroupStorage } from '../../../shared/groups';
import { parseVCards, serializeVCard } from '../../../shared/vcard';
import { contact, TestBook, vcard } from './book';

/** A file from an Apple device: two contacts, one with a category, and an Apple group card. */
const APPLE_FILE = [
  contact('A-1', 'Ada', 'CATEGORIES:Chess'),
  contact('B-2', 'Bob'),
  vcard('VERSION:3.0', 'UID:GRP-1', 'N:Family', 'FN:Family', 'X-ADDRESSBOOKSERVER-KIND:group', 'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:A-1', 'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:b-2', 'NOTE:made on a Mac'),
].join('');

/** What the import does: split, store the contacts (ids by UID here), then the group writes. */
function importInto(b: TestBook, file: string): void {
  const split = splitImport(
    parseVCards(file).cards.map((c) => c.card),
    b.setting.storage,
  );
  for (const c of split.contacts) {
    const text = serializeVCard(c);
    b.texts.set(`id-${uidKey(readCardFactsText('', text).uid)}`, text);
  }
  b.apply(importGroupChanges(b.book(), split.groups, b.newId));
}

const groupsOf = (b: TestBook) => listGroups(b.book()).map((g) => [g.name, g.memberIds.map((m) => m.replace('id-', '')).sort()]);

describe.each<GroupStorage>(['categories', 'apple-cards', 'vcard4-cards', 'google-labels'])('importing a file with groups into a book kept as %s', (storage) => {
  it('gives the book the file’s groups with their members, and no group card as a contact', () => {
    const b = new TestBook(storage);
    importInto(b, APPLE_FILE);
    expect(groupsOf(b)).toEqual([
      ['Chess', ['a-1']],
      ['Family', ['a-1', 'b-2']],
    ]);
    // Each group in the book's own form (Chess came only as CATEGORIES).
    for (const g of listGroups(b.book())) {
      if (storage === 'apple-cards' || storage === 'vcard4-cards') expect(g.card?.form).toBe(storage === 'apple-cards' ? 'apple' : 'vcard4');
      if (storage === 'google-labels') expect(g.labelId).not.toBeNull();
    }
    const contacts = listGroups(b.book()).flatMap((g) => g.memberIds);
    expect(contacts.every((id) => readCardFactsText(id, b.texts.get(id)!).group === null)).toBe(true);
  });

  it('joins a group of the same name already in the book instead of making a second one', () => {
    const b = new TestBook(storage, { old: contact('OLD', 'Old Friend') });
    importInto(b, APPLE_FILE);
    // A second file naming "family" again (another form, other case), with the old contact.
    importInto(b, vcard('VERSION:4.0', 'UID:g-2', 'KIND:group', 'FN:family', 'MEMBER:urn:uuid:OLD'));
    expect(groupsOf(b)).toEqual([
      ['Chess', ['a-1']],
      ['Family', ['a-1', 'b-2', 'old']],
    ]);
    expect(b.book().cards.filter((c) => c.group !== null).length).toBe(storage === 'apple-cards' || storage === 'vcard4-cards' ? 2 : 0);
  });
});

describe('an Apple group card into an Apple book', () => {
  it('is kept as it came, its other lines included', () => {
    const b = new TestBook('apple-cards');
    importInto(b, APPLE_FILE);
    const card = [...b.texts.values()].find((t) => t.includes('X-ADDRESSBOOKSERVER-KIND'))!;
    expect(card).toContain('NOTE:made on a Mac');
    expect(card).toContain('UID:GRP-1');
  });
});

describe('exporting a selection keeps its groups', () => {
  const book = () => {
    const b = new TestBook('apple-cards', {
      ada: contact('A', 'Ada', 'CATEGORIES:Chess'),
      bob: contact('B', 'Bob'),
      g: vcard('VERSION:3.0', 'UID:G', 'FN:Family', 'X-ADDRESSBOOKSERVER-KIND:group', 'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:A', 'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:B', 'X-ADDRESSBOOKSERVER-MEMBER:mailto:x@example.org'),
    });
    return b;
  };

  it('as the book keeps them: the group card follows, naming the selected members (and those from elsewhere)', () => {
    const out = exportWithGroups(book().book(), ['ada']);
    expect(out).toHaveLength(2);
    expect(out[0]).toContain('CATEGORIES:Chess');
    expect(out[1]).toContain('urn:uuid:A');
    expect(out[1]).not.toContain('urn:uuid:B');
    expect(out[1]).toContain('mailto:x@example.org');
    // The whole book: the group card exactly as it is.
    expect(exportWithGroups(book().book(), ['ada', 'bob'])[2]).toBe(book().texts.get('g'));
  });

  it('as CATEGORIES only: every group a contact is in, no group cards', () => {
    const out = exportWithGroups(book().book(), ['ada', 'bob'], 'categories');
    expect(out).toHaveLength(2);
    expect(out[0]).toContain('CATEGORIES:Chess,Family');
    expect(out[1]).toContain('CATEGORIES:Family');
  });

  it('a Google book’s labels go into CATEGORIES, and read back as the same groups', () => {
    const b = new TestBook('google-labels', { ada: contact('A', 'Ada'), bob: contact('B', 'Bob') });
    b.labels = [{ id: 'l1', name: 'Climbing', members: ['ada'], deleted: false, remote: null }];
    const out = exportWithGroups(b.book(), ['ada', 'bob']);
    expect(out[0]).toContain('CATEGORIES:Climbing');
    const back = new TestBook('categories');
    importInto(back, out.join(''));
    expect(groupsOf(back)).toEqual([['Climbing', ['a']]]);
  });
});
