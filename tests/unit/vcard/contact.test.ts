import { describe, expect, it } from 'vitest';
import { displayName, parseVCard, parseVCards, toContact } from '../../../shared/vcard';
import { fixture } from './fixtures';

describe('the contact view', () => {
  const apple = toContact(parseVCards(fixture('cardinal/apple-labels-yearless.vcf')).cards[0]!.card);

  it('reads structured and phonetic names', () => {
    expect(apple.name).toEqual({ family: 'Appleseed', given: 'Johnny', additional: '', prefix: '', suffix: '' });
    expect(apple.phoneticName).toEqual({ family: 'AP-ul-seed', given: 'JAH-nee', additional: '' });
  });

  it("reads Google's and Apple's itemN.X-ABLabel labels, including the _$!<…>!$_ form", () => {
    expect(apple.phones[0]).toMatchObject({ value: '+1 (555) 123-4567', label: 'Mobile', types: ['cell'] });
    expect(apple.urls[0]).toMatchObject({ value: 'https://example.com/johnny', label: 'blog' });
    expect(apple.emails[0]).toMatchObject({ value: 'johnny@example.com', types: ['internet', 'home'], pref: true, label: '' });
  });

  it('reads X-ABDATE, X-ABRELATEDNAMES, IMPP and a year-less Apple birthday', () => {
    expect(apple.dates).toEqual([expect.objectContaining({ date: { year: 2010, month: 6, day: 1 }, label: 'Anniversary' })]);
    expect(apple.related[0]).toMatchObject({ value: 'Jane Appleseed', label: 'Spouse' });
    expect(apple.ims[0]).toMatchObject({ value: 'skype:johnny.appleseed', service: 'skype' });
    expect(apple.birthday).toEqual({ year: null, month: 4, day: 15 });
  });

  it('reads year-less --MMDD birthdays and 4.0 anniversaries', () => {
    const c = toContact(parseVCard('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\nBDAY:--0203\r\nANNIVERSARY:20090808\r\nEND:VCARD\r\n'));
    expect(c.birthday).toEqual({ year: null, month: 2, day: 3 });
    expect(c.anniversary).toEqual({ year: 2009, month: 8, day: 8 });
  });

  it('keeps a text birthday as text', () => {
    const c = toContact(parseVCard('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\nBDAY;VALUE=text:circa 1800\r\nEND:VCARD\r\n'));
    expect(c.birthday).toEqual({ year: null, month: null, day: null, text: 'circa 1800' });
  });

  it('reads inline and URI photos', () => {
    const inline = toContact(parseVCard('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\n SkZJRg==\r\nEND:VCARD\r\n'));
    expect(inline.photo).toEqual({ uri: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' });
    const uri = toContact(parseVCard('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\nPHOTO:https://example.com/a.png\r\nEND:VCARD\r\n'));
    expect(uri.photo).toEqual({ uri: 'https://example.com/a.png' });
  });

  it('reads 2.1 bare type parameters and organisation units', () => {
    const c = toContact(parseVCard('BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Jo\r\nTEL;HOME;VOICE:123\r\nORG:Acme;R&D;Lab\r\nEND:VCARD\r\n'));
    expect(c.phones[0]).toMatchObject({ value: '123', types: ['home', 'voice'] });
    expect(c.organization).toEqual({ name: 'Acme', units: ['R&D', 'Lab'] });
    expect(displayName(c)).toBe('Jo Doe');
  });

  it('gives each multi-value item a stable id that survives re-ordering of the card', () => {
    const a = toContact(parseVCard('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nEMAIL:a@x\r\nEMAIL:b@x\r\nEND:VCARD\r\n'));
    const b = toContact(parseVCard('BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:b@x\r\nFN:x\r\nEMAIL:a@x\r\nEND:VCARD\r\n'));
    const idOf = (c: typeof a, v: string) => c.emails.find((e) => e.value === v)!.id;
    expect(idOf(a, 'a@x')).toBe(idOf(b, 'a@x'));
    expect(idOf(a, 'a@x')).not.toBe(idOf(a, 'b@x'));
  });
});
