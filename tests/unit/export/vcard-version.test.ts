import { describe, expect, it } from 'vitest';
import { convertVCard } from '../../../shared/export';
import { parseVCard, parseVCards, propertyLine, serializeVCard, toContact, type Contact, type VCard } from '../../../shared/vcard';
import { loadFixtures } from '../vcard/fixtures';

const card = (lines: string[]): VCard => parseVCard(`BEGIN:VCARD\r\n${lines.join('\r\n')}\r\nEND:VCARD\r\n`);
const lines = (c: VCard) => c.properties.map(propertyLine);
/**
 * The contact view without what a version change respells by design: the version, the item ids
 * (hashes of the property as written), KIND:individual (4.0's default, which 3.0 has no word for)
 * and the tel: scheme of 4.0 phone URIs (3.0 writes the number as text).
 */
const view = (c: VCard): Omit<Contact, 'version'> => {
  const { version: _v, ...rest } = JSON.parse(JSON.stringify(toContact(c), (k, v: unknown) => (k === 'id' ? undefined : v))) as Contact;
  return { ...rest, kind: rest.kind === 'individual' ? '' : rest.kind, phones: rest.phones.map((p) => ({ ...p, value: p.value.replace(/^tel:/i, '') })) };
};

describe('vCard 3.0 → 4.0', () => {
  const v3 = card([
    'VERSION:3.0',
    'FN:Ann Lee',
    'N:Lee;Ann;;;',
    'SORT-STRING:Lee',
    'TEL;TYPE=cell,pref:+1 555 0100',
    'EMAIL;TYPE=INTERNET,HOME:ann@example.org',
    'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ',
    'BDAY;X-APPLE-OMIT-YEAR=1604:1604-05-14',
    'X-ANNIVERSARY:2004-02-29',
    'X-GENDER:Female',
    'ADR;TYPE=home:;;1 Main St;Springfield;;12345;USA',
    'LABEL;TYPE=home:1 Main St\\nSpringfield 12345',
    'item1.X-ABRELATEDNAMES;TYPE=spouse:Bob Lee',
    'item1.X-ABLabel:_$!<Spouse>!$_',
    'X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/ann',
    'GEO:37.386013;-122.082932',
  ]);
  const v4 = convertVCard(v3, '4.0');

  it('rewrites what 4.0 spells differently', () => {
    expect(lines(v4)).toEqual([
      'VERSION:4.0',
      'FN:Ann Lee',
      'N;SORT-AS="Lee":Lee;Ann;;;',
      'TEL;TYPE=cell;PREF=1:+1 555 0100',
      'EMAIL;TYPE=INTERNET,HOME:ann@example.org',
      'PHOTO:data:image/jpeg;base64,/9j/4AAQ',
      'BDAY:--0514',
      'ANNIVERSARY:20040229',
      'GENDER:F',
      'ADR;TYPE=home;LABEL=1 Main St^nSpringfield 12345:;;1 Main St;Springfield;;12345;USA', // RFC 6868 ^n
      'item1.RELATED;TYPE=spouse;VALUE=text:Bob Lee',
      'item1.X-ABLabel:_$!<Spouse>!$_',
      'X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/ann',
      'GEO:geo:37.386013,-122.082932',
    ]);
  });

  it('reads back as the same contact', () => {
    expect(view(v4)).toEqual(view(v3));
  });

  it('turns Apple group cards into KIND and MEMBER', () => {
    const group = card(['VERSION:3.0', 'FN:Family', 'N:Family;;;;', 'X-ADDRESSBOOKSERVER-KIND:group', 'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:1234']);
    expect(lines(convertVCard(group, '4.0'))).toEqual(['VERSION:4.0', 'FN:Family', 'N:Family;;;;', 'KIND:group', 'MEMBER:urn:uuid:1234']);
  });

  it('decodes 2.1 on the way: bare types, quoted-printable, charsets, base64 photos', () => {
    const v21 = card(['VERSION:2.1', 'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;', 'TEL;HOME;VOICE:+49 30 1234', 'NOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0Aline two', 'PHOTO;JPEG;ENCODING=BASE64:/9j/4AAQ']);
    const v4 = convertVCard(v21, '4.0');
    expect(lines(v4)).toEqual(['VERSION:4.0', 'FN:Jürgen Müller', 'N:Müller;Jürgen;;;', 'TEL;TYPE=home,voice:+49 30 1234', 'NOTE:line one\\nline two', 'PHOTO:data:image/jpeg;base64,/9j/4AAQ']);
    expect(view(v4)).toEqual({ ...view(v21), formattedName: 'Jürgen Müller', note: 'line one\nline two' });
  });
});

describe('vCard 4.0 → 3.0', () => {
  const v4 = card([
    'VERSION:4.0',
    'KIND:individual',
    'FN:李小龍',
    'N;SORT-AS="Lee,Bruce":李;小龍;;;',
    'TEL;VALUE=uri;TYPE=cell;PREF=1:tel:+852-1234-5678',
    'PHOTO:data:image/png;base64,iVBORw0K',
    'BDAY:--1127',
    'ANNIVERSARY:19660101',
    'GENDER:M',
    'RELATED;TYPE=spouse;VALUE=text:Linda',
    'ADR;TYPE=work;LABEL="Kowloon":;;1 Nathan Rd;Kowloon;;;HK',
    'CLIENTPIDMAP:1;urn:uuid:3df403f4',
    'X-CUSTOM;X-PARAM=1:kept',
  ]);
  const v3 = convertVCard(v4, '3.0');

  it('rewrites what 3.0 spells differently and drops only 4.0 sync identifiers', () => {
    expect(lines(v3)).toEqual([
      'VERSION:3.0',
      'FN:李小龍',
      'N:李;小龍;;;',
      'SORT-STRING:Lee\\, Bruce',
      'TEL;TYPE=cell,pref:+852-1234-5678',
      'PHOTO;ENCODING=b;TYPE=PNG:iVBORw0K',
      'BDAY:--1127',
      'X-ANNIVERSARY:1966-01-01',
      'X-GENDER:M',
      'X-ABRELATEDNAMES;TYPE=spouse:Linda',
      'ADR;TYPE=work:;;1 Nathan Rd;Kowloon;;;HK',
      'LABEL;TYPE=work:Kowloon',
      'X-CUSTOM;X-PARAM=1:kept',
    ]);
  });

  it('reads back as the same contact', () => {
    expect(view(v3)).toEqual(view(v4));
  });

  it('turns KIND:group and MEMBER into the X-ADDRESSBOOKSERVER properties Apple and 3.0 servers read', () => {
    const group = card(['VERSION:4.0', 'KIND:group', 'FN:Team', 'MEMBER:urn:uuid:a', 'MEMBER:urn:uuid:b']);
    expect(lines(convertVCard(group, '3.0'))).toEqual(['VERSION:3.0', 'X-ADDRESSBOOKSERVER-KIND:group', 'FN:Team', 'N:;;;;', 'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:a', 'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:b']);
  });

  it('adds FN and N, which 3.0 requires, from what the card has', () => {
    expect(lines(convertVCard(card(['VERSION:4.0', 'ORG:Acme']), '3.0'))).toEqual(['VERSION:3.0', 'FN:Acme', 'N:;;;;', 'ORG:Acme']);
  });
});

describe('the same version', () => {
  it('gives a card back unchanged, byte for byte', () => {
    const text = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nN:;Ann;;;\r\nitem1.X-WEIRD;x-a="b:c":v\r\nEND:VCARD\r\n';
    expect(serializeVCard(convertVCard(parseVCard(text), '3.0'))).toBe(text);
  });
});

describe('the real-world corpus', () => {
  const cards = loadFixtures()
    .filter((f) => !f.malformed)
    .flatMap((f) => parseVCards(f.bytes).cards.map((c) => ({ file: f.file, card: c.card })));

  it('has the corpus', () => {
    expect(cards.length).toBeGreaterThan(1000);
  });

  it('every card → the other version → back reads as the same contact (FN filled in where it was missing)', () => {
    const different: string[] = [];
    for (const { file, card: c } of cards) {
      const version = toContact(c).version;
      const other = version === '4.0' ? '3.0' : '4.0';
      const there = convertVCard(c, other);
      const back = parseVCard(serializeVCard(convertVCard(there, version === '4.0' ? '4.0' : '3.0')));
      const want = view(convertVCard(c, version === '4.0' ? '4.0' : '3.0'));
      if (JSON.stringify(view(back)) !== JSON.stringify(want)) different.push(file);
    }
    expect(different).toEqual([]);
  });
});
