import { describe, expect, it } from 'vitest';
import { applyEdit, newCard, parseVCard, serializeVCard, toContact, type Contact } from '../../../shared/vcard';

const GOOGLE = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Lovelace;Ada;;;',
  'FN:Ada Lovelace',
  'item1.EMAIL;TYPE=INTERNET:ada@example.org',
  'item1.X-ABLabel:Analytical',
  'TEL;TYPE=CELL:+44 20 7946 0000',
  'X-UNKNOWN;X-P=1:keep me\\, exactly',
  'item2.X-ABDATE:1833-06-05',
  'item2.X-ABLabel:Met Babbage',
  'NOTE:first line\\nsecond line',
  'END:VCARD',
  '',
].join('\r\n');

const lines = (text: string): string[] => text.split('\r\n');

describe('applyEdit patches only what changed', () => {
  it('changing the title adds one line and leaves every other line as it was, in order', () => {
    const card = parseVCard(GOOGLE);
    const before = toContact(card);
    const after: Contact = { ...before, title: 'Analyst' };
    const out = lines(serializeVCard(applyEdit(card, before, after)));
    expect(out.filter((l) => !lines(GOOGLE).includes(l))).toEqual(['TITLE:Analyst']);
    expect(out.filter((l) => l !== 'TITLE:Analyst')).toEqual(lines(GOOGLE));
  });

  it('changing one e-mail rewrites that line only and keeps its group and label', () => {
    const card = parseVCard(GOOGLE);
    const before = toContact(card);
    const after: Contact = { ...before, emails: [{ ...before.emails[0]!, value: 'ada@analytical.engine' }] };
    const out = serializeVCard(applyEdit(card, before, after));
    expect(out).toContain('item1.EMAIL;TYPE=INTERNET:ada@analytical.engine\r\n');
    expect(out).toContain('item1.X-ABLabel:Analytical\r\n');
    expect(out).toContain('X-UNKNOWN;X-P=1:keep me\\, exactly\r\n');
  });

  it('a custom label on a new phone creates a fresh itemN group', () => {
    const card = parseVCard(GOOGLE);
    const before = toContact(card);
    const after: Contact = { ...before, phones: [...before.phones, { id: '', value: '+1 555 0100', types: ['work'], label: 'Lab', pref: false }] };
    const edited = applyEdit(card, before, after);
    const out = serializeVCard(edited);
    expect(out).toContain('item3.TEL;TYPE=work:+1 555 0100\r\nitem3.X-ABLabel:Lab\r\n');
    // Added after the existing phone, not at the end of the card.
    expect(out.indexOf('item3.TEL')).toBeGreaterThan(out.indexOf('TEL;TYPE=CELL'));
    expect(out.indexOf('item3.TEL')).toBeLessThan(out.indexOf('X-UNKNOWN'));
    expect(toContact(edited).phones[1]).toMatchObject({ value: '+1 555 0100', label: 'Lab' });
  });

  it('removing a labelled e-mail removes its group companions too', () => {
    const card = parseVCard(GOOGLE);
    const before = toContact(card);
    const out = serializeVCard(applyEdit(card, before, { ...before, emails: [] }));
    expect(out).not.toContain('item1.');
    expect(out).toContain('item2.X-ABLabel:Met Babbage');
  });

  it('a new contact filled from the empty form (whose UID is blank) keeps the new card’s UID', () => {
    const card = newCard('urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e', '4.0');
    const form = { ...toContact(card), uid: '' };
    const after: Contact = { ...form, formattedName: 'Nina Newcard', name: { ...form.name, given: 'Nina', family: 'Newcard' } };
    expect(serializeVCard(applyEdit(card, toContact(card), after))).toContain('UID:urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e');
  });

  it('an unchanged view writes back the identical card', () => {
    const card = parseVCard(GOOGLE);
    const view = toContact(card);
    expect(serializeVCard(applyEdit(card, view, view))).toBe(GOOGLE);
  });

  it('a year-less birthday is written as --MMDD and read back year-less', () => {
    const card = parseVCard(GOOGLE);
    const before = toContact(card);
    const edited = applyEdit(card, before, { ...before, birthday: { year: null, month: 12, day: 10 } });
    expect(serializeVCard(edited)).toContain('BDAY:--1210\r\n');
    expect(toContact(edited).birthday).toEqual({ year: null, month: 12, day: 10 });
  });

  it('applies only the user’s change on top of a card that changed meanwhile (sync landed)', () => {
    const card = parseVCard(GOOGLE);
    const before = toContact(card);
    // The server changed the phone while the editor was open.
    const newer = parseVCard(GOOGLE.replace('+44 20 7946 0000', '+44 20 7946 9999'));
    const after: Contact = { ...before, formattedName: 'Augusta Ada King' };
    const c = toContact(applyEdit(newer, before, after));
    expect(c.formattedName).toBe('Augusta Ada King');
    expect(c.phones.map((p) => p.value)).toEqual(['+44 20 7946 9999']);
  });

  it('writes multi-line notes and non-ASCII text as quoted-printable UTF-8 in a 2.1 card', () => {
    const card = parseVCard('BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Jo\r\nEND:VCARD\r\n');
    const before = toContact(card);
    const edited = applyEdit(card, before, { ...before, note: 'Zoë\nsecond', formattedName: 'Zoë' });
    const out = serializeVCard(edited);
    expect(out).toContain('NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Zo=C3=AB=0Asecond');
    expect(out).toContain('FN;CHARSET=UTF-8:Zoë');
    expect(toContact(parseVCard(out)).note).toBe('Zoë\nsecond');
  });

  it('builds a complete new contact from an empty card', () => {
    const card = newCard('uid-1', '4.0');
    const before = toContact(card);
    const after: Contact = {
      ...before,
      formattedName: 'Ada Lovelace',
      name: { family: 'Lovelace', given: 'Ada', additional: '', prefix: '', suffix: '' },
      organization: { name: 'Analytical Engines', units: ['Research'] },
      emails: [{ id: '', value: 'ada@example.org', types: ['work'], label: '', pref: true }],
      addresses: [{ id: '', poBox: '', extended: '', street: '12 St James’s Sq', locality: 'London', region: '', postalCode: 'SW1Y', country: 'UK', types: ['home'], label: '', pref: false }],
      ims: [{ id: '', value: 'ada@jabber.example', service: 'xmpp', types: [], label: '', pref: false }],
      categories: ['friends', 'math'],
      nicknames: ['Enchantress'],
      anniversary: { year: 1835, month: 7, day: 8 },
    };
    const c = toContact(applyEdit(card, before, after));
    expect(c).toMatchObject({
      uid: 'uid-1',
      formattedName: 'Ada Lovelace',
      organization: { name: 'Analytical Engines', units: ['Research'] },
      categories: ['friends', 'math'],
      nicknames: ['Enchantress'],
      anniversary: { year: 1835, month: 7, day: 8 },
    });
    expect(c.emails[0]).toMatchObject({ value: 'ada@example.org', types: ['work'], pref: true });
    expect(c.addresses[0]).toMatchObject({ street: '12 St James’s Sq', locality: 'London', country: 'UK' });
    expect(c.ims[0]).toMatchObject({ value: 'xmpp:ada@jabber.example', service: 'xmpp' });
  });
});

describe('an edit never writes a card that cannot be read back', () => {
  it('a note that would make its line longer than the reader accepts is refused, and the card stays as it was', () => {
    const big = 'x'.repeat(10 * 1024 * 1024 - 100);
    const text = `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nell\r\nNOTE:${big}\r\nEND:VCARD\r\n`;
    const card = parseVCard(text);
    const before = toContact(card);
    expect(() => applyEdit(card, before, { ...before, note: `${before.note}${' and more'.repeat(20)}` })).toThrow(/longer than/);
    expect(serializeVCard(card)).toBe(serializeVCard(parseVCard(text)));
    // Within the limit, the same edit goes through and reads back.
    const edited = applyEdit(card, before, { ...before, note: `${before.note}!` });
    expect(toContact(parseVCard(serializeVCard(edited))).note.length).toBe(big.length + 1);
  });
});
