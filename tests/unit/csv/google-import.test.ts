import { describe, expect, it } from 'vitest';
import { importCsv, previewCsv } from '../../../shared/csv';
import { csvFixture, draftOf } from './fixtures';

const current = importCsv(csvFixture('google-current.csv'));
const [grace, tsubasa, maryam, acme] = current.cards.map((c) => draftOf(c.vcard));

describe("Google Contacts' current CSV", () => {
  it('is recognised by its header, with its encoding and delimiter', () => {
    const p = previewCsv(csvFixture('google-current.csv'));
    expect([p.format, p.encoding, p.delimiter, p.rowCount]).toEqual(['google', 'utf-8', ',', 5]);
    expect(p.sample[0]?.[0]).toBe('Grace');
  });

  it('gives one card per contact row and reports the row that holds only "* myContacts"', () => {
    expect(current.cards.map((c) => c.row)).toEqual([2, 3, 4, 5]);
    expect(current.errors).toEqual([expect.objectContaining({ row: 6, code: 'empty-row' })]);
  });

  it('splits " ::: " cells into several values that keep the slot\'s label', () => {
    expect(grace!.contact.emails).toEqual([
      { value: 'grace@navy.example', types: ['work'], label: '', pref: true },
      { value: 'grace@home.example', types: ['home'], label: '', pref: false },
      { value: 'amazing.grace@example.org', types: ['home'], label: '', pref: false },
    ]);
    expect(tsubasa!.contact.phones.map((p) => [p.value, p.types])).toEqual([
      ['090-1111-2222', ['cell']],
      ['090-3333-4444', ['cell']],
    ]);
  });

  it("reads Google's label words as types, a custom label as a label and '* ' as the primary one", () => {
    expect(grace!.contact.phones).toEqual([
      { value: '+1 202-555-0100', types: ['cell'], label: '', pref: false },
      { value: '+1 202-555-0101', types: ['work', 'fax'], label: '', pref: false },
      { value: '+1 202-555-0102', types: [], label: 'Batphone', pref: false },
    ]);
    expect(maryam!.contact.emails).toEqual([{ value: 'maryam@example.ir', types: [], label: '', pref: true }]);
    expect(grace!.contact.urls).toEqual([{ value: 'https://example.org/grace', types: [], label: 'Profile', pref: false }]);
  });

  it('makes labels into groups, leaves out "* myContacts" and marks "* starred" as a favourite', () => {
    expect(grace!.contact.categories).toEqual(['Navy', 'Mentors']);
    expect(current.cards.map((c) => c.starred)).toEqual([true, false, false, false]);
    expect(maryam!.contact.categories).toEqual(['خانواده']);
  });

  it('reads names, organisation, events, relation, IM and custom fields into their vCard places', () => {
    expect(grace!.contact).toMatchObject({
      formattedName: 'Rear Adm. Grace Brewster Hopper',
      name: { family: 'Hopper', given: 'Grace', additional: 'Brewster', prefix: 'Rear Adm.', suffix: '' },
      nicknames: ['Amazing Grace'],
      organization: { name: 'US Navy', units: ['Computing'] },
      title: 'Rear Admiral',
      birthday: { year: 1906, month: 12, day: 9 },
      anniversary: { year: 1930, month: 6, day: 15 },
      dates: [{ date: { year: 1943, month: 12, day: 1 }, label: 'Commissioned' }],
      related: [{ value: 'Vincent Hopper', types: ['spouse'], label: '', pref: false }],
      ims: [{ value: 'xmpp:grace@jabber.example', service: 'xmpp', types: ['work'], label: '', pref: false }],
      note: 'Wrote the first compiler, "A-0".\nLiked to hand out nanoseconds (30 cm of wire).',
      addresses: [{ street: '3801 Nebraska Ave NW', locality: 'Washington', region: 'DC', postalCode: '20016', country: 'US', poBox: '', extended: '', types: ['work'], label: '', pref: false }],
    });
    expect(grace!.fileAs).toBe('Hopper, Grace');
    expect(grace!.custom).toEqual([{ label: 'Service number', value: '0-1234567' }]);
  });

  it('keeps a year-less birthday and a 29 February anniversary as they are', () => {
    expect(tsubasa!.contact.birthday).toEqual({ year: null, month: 5, day: 14 });
    expect(maryam!.contact.anniversary).toEqual({ year: 2004, month: 2, day: 29 });
  });

  it('makes the display name from the parts in the order of their script (CJK family name first, no space)', () => {
    expect(tsubasa!.contact.formattedName).toBe('愛川翼');
    expect(tsubasa!.contact.phoneticName).toEqual({ family: 'あいかわ', given: 'つばさ', additional: '' });
    expect(maryam!.contact.formattedName).toBe('مریم میرزاخانی');
    expect(acme!.contact.formattedName).toBe('Acme Plumbing, Inc.');
  });

  it('writes vCards 3.0 with no UID, which the import worker gives them as it does a .vcf card without one', () => {
    for (const c of current.cards) {
      expect(c.vcard.startsWith('BEGIN:VCARD\r\nVERSION:3.0\r\n')).toBe(true);
      expect(c.vcard).not.toMatch(/^UID/m);
    }
    expect(current.vcf).toBe(current.cards.map((c) => c.vcard).join(''));
  });
});

describe("Google's older CSV (UTF-16)", () => {
  const legacy = importCsv(csvFixture('google-legacy-utf16.csv'));
  const [ada, zoe, wang] = legacy.cards.map((c) => draftOf(c.vcard));

  it('is recognised as the older set', () => {
    expect([legacy.format, legacy.encoding]).toEqual(['google-legacy', 'utf-16le']);
  });

  it('reads Group Membership, "* Home" types, Organization 1 and the Outlook-like fields', () => {
    expect(ada!.contact).toMatchObject({
      formattedName: 'Ada Lovelace',
      name: { family: 'Lovelace', given: 'Ada', additional: 'Augusta' },
      categories: ['Friends', 'Coworkers'],
      emails: [{ value: 'ada@example.org', types: ['home'], label: '', pref: true }],
      organization: { name: 'Analytical Society', units: [] },
      title: 'Mathematician',
      role: 'Programmer',
      urls: [{ value: 'https://example.org/ada', label: 'Blog' }],
    });
    expect(ada!.gender).toBe('F');
    expect(ada!.custom).toEqual([
      { label: 'Hobby', value: 'Poetical science' },
      { label: 'Engine', value: 'Analytical' },
    ]);
  });

  it('reads characters no single-byte code page has', () => {
    expect(zoe!.contact.formattedName).toBe('Zoë Ørsted-Šimůnková');
    expect(zoe!.contact.emails.map((e) => e.value)).toEqual(['zoe@example.cz', 'z.simunkova@example.cz']);
    expect(wang!.contact.formattedName).toBe('王小明');
  });

  it('reports an impossible birthday by row and column, and keeps its text as a custom field', () => {
    expect(legacy.errors).toEqual([expect.objectContaining({ row: 4, code: 'bad-date', column: 'Birthday', value: '1990-13-45' })]);
    expect(wang!.contact.birthday).toBeNull();
    expect(wang!.custom).toEqual([{ label: 'Birthday', value: '1990-13-45' }]);
  });
});
