import { describe, expect, it } from 'vitest';
import { displayName, parseVCard, parseVCards, propertyIds, propertyKey, serializeVCard, toContact } from '../../../shared/vcard';
import { base36 } from '../../../shared/vcard/base36';
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

  const card = (...lines: string[]) => parseVCard(['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD', ''].join('\r\n'));

  it('labels an item from an X-ABLabel written before it, and the last label of a group wins', () => {
    const c = toContact(card('item1.X-ABLabel:First', 'ITEM1.x-ablabel:Second', 'item1.TEL:123', 'item2.EMAIL:a@x', 'TEL:456', 'item2.X-ABLABEL:_$!<Work>!$_'));
    expect(c.phones.map((p) => p.label)).toEqual(['Second', '']);
    expect(c.emails[0]!.label).toBe('Work');
  });

  it('reads names and parameters in any case alike (tel, Email, type=, Type=)', () => {
    const upper = toContact(card('TEL;TYPE=CELL:1', 'EMAIL;TYPE=INTERNET;TYPE=HOME:a@x', 'X-SKYPE:me'));
    const mixed = toContact(card('tel;type=Cell:1', 'Email;Type=internet;type=Home:a@x', 'x-Skype:me'));
    expect(mixed.phones).toEqual(upper.phones.map((p) => ({ ...p, id: expect.any(String) })));
    expect(mixed.emails[0]!.types).toEqual(['internet', 'home']);
    expect(mixed.ims[0]).toMatchObject({ value: 'me', service: 'skype' });
  });

  it('keeps a property name as spelled in the card, common or not', () => {
    const c = card('Tel:1', 'X-ABLabel:a', 'X-ABLABEL:b', 'EMAILS:c', 'TEL;type=home;TYPE=HOMEx:2');
    expect(c.properties.map((p) => p.name)).toEqual(['VERSION', 'Tel', 'X-ABLabel', 'X-ABLABEL', 'EMAILS', 'TEL']);
    expect(c.properties[5]!.params.map((p) => [p.name, p.values])).toEqual([['type', ['home']], ['TYPE', ['HOMEx']]]);
    expect(serializeVCard(c)).toContain('\r\nTel:1\r\nX-ABLabel:a\r\nX-ABLABEL:b\r\nEMAILS:c\r\nTEL;type=home;TYPE=HOMEx:2\r\n');
  });

  it('reads a preferred item from a pref type or a PREF parameter, and leaves pref out of its types', () => {
    const c = toContact(card('TEL;TYPE=pref,CELL:1', 'TEL;PREF=1;TYPE=HOME:2', 'TEL;HOME;PREF:3', 'TEL;TYPE=WORK:4'));
    expect(c.phones.map((p) => [p.types, p.pref])).toEqual([[['cell'], true], [['home'], true], [['home'], true], [['work'], false]]);
  });

  it('reads dates in their common forms and the rarer ones', () => {
    const bday = (value: string, params = '') => toContact(card(`BDAY${params}:${value}`)).birthday;
    expect(bday('19900512')).toEqual({ year: 1990, month: 5, day: 12 });
    expect(bday(' 1990-05-12 ')).toEqual({ year: 1990, month: 5, day: 12 });
    expect(bday('1990-05-12T10:00:00Z')).toEqual({ year: 1990, month: 5, day: 12 });
    expect(bday('1604-04-15', ';X-APPLE-OMIT-YEAR=1604')).toEqual({ year: null, month: 4, day: 15 });
    expect(bday('1990-13-01')).toEqual({ year: null, month: null, day: null, text: '1990-13-01' });
    expect(bday('1990-0512')).toEqual({ year: 1990, month: 5, day: 12 });
    expect(bday('199005１2')).toEqual({ year: null, month: null, day: null, text: '199005１2' });
  });

  it('gives identical items ids unique by occurrence, the same as propertyIds, past 32 items too', () => {
    const c = card(...Array.from({ length: 40 }, (_, i) => `EMAIL:${i % 3}@x`), 'TEL:1', 'TEL:1');
    const ids = propertyIds(c).filter((id) => id !== '');
    const seen = [...toContact(c).emails, ...toContact(c).phones].map((e) => e.id);
    expect(seen).toEqual(ids);
    expect(new Set(seen).size).toBe(42);
  });

  it('keeps only the first of the one-per-card properties and joins every note', () => {
    const c = toContact(card('FN:A', 'FN:B', 'UID:1', 'UID:2', 'NOTE:one', 'NOTE:two', 'BDAY:20000101', 'BDAY:20010101', 'ORG:X;;Y', 'ORG:Z'));
    expect([c.formattedName, c.uid, c.note, c.birthday?.year, c.organization]).toEqual(['A', '1', 'one\n\ntwo', 2000, { name: 'X', units: ['Y'] }]);
  });

  it('writes an item id as Number#toString(36) writes its hash, at every number of digits', () => {
    for (const x of [0, 35, 36, 1295, 1296, 36 ** 3, 36 ** 4 - 1, 36 ** 4, 36 ** 5, 36 ** 6 - 1, 36 ** 6, 0x7fffffff, 0xffffffff]) expect(base36(x)).toBe(x.toString(36));
  });

  it('gives a property the same id whether or not another kind of property was read with the same parameters first', () => {
    const card = parseVCard('BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;TYPE=WORK,X-ODD:1\r\nEMAIL;TYPE=WORK,X-ODD:1\r\nURL;TYPE=WORK,X-ODD:1\r\nEND:VCARD\r\n');
    const [, tel, email, url] = card.properties;
    // A property of our own making (its own parameter list) is hashed from scratch.
    const fresh = (p: typeof tel) => propertyKey({ ...p!, params: p!.params.map((x) => ({ ...x })) });
    const ids = [tel, email, url].map((p) => propertyKey(p!));
    expect(ids).toEqual([fresh(tel), fresh(email), fresh(url)]);
    expect(new Set(ids).size).toBe(3);
  });
});
