/**
 * CSV → Cardinal → CSV → Cardinal: what a format can hold comes back unchanged, and what it
 * cannot is in the export's loss list.
 */
import { describe, expect, it } from 'vitest';
import { decodeCsvBytes, exportGoogleCsv, exportOutlookCsv, importCsv, previewCsv, summarizeLosses, type CsvExport, type OutlookLanguage } from '../../../shared/csv';
import { csvFixture, draftOf, manifestFiles } from './fixtures';

const drafts = (bytes: Uint8Array) => importCsv(bytes).cards.map((c) => draftOf(c.vcard));
const cardsOf = (bytes: Uint8Array) => importCsv(bytes).cards.map((c) => ({ vcard: c.vcard, favorite: c.starred }));

describe('round trips through the same format', () => {
  it.each(['google-current.csv', 'excel-pl-semicolon-1250.csv', 'list-ru-tab-1251.tsv'])('%s → Google CSV → Cardinal changes nothing and loses nothing', (file) => {
    const first = importCsv(csvFixture(file));
    const out = exportGoogleCsv(first.cards.map((c) => ({ vcard: c.vcard, favorite: c.starred })));
    expect(out.losses).toEqual([]);
    const again = importCsv(out.bytes);
    expect(again.format).toBe('google');
    expect(again.errors).toEqual([]);
    expect(again.cards.map((c) => draftOf(c.vcard))).toEqual(first.cards.map((c) => draftOf(c.vcard)));
    expect(again.cards.map((c) => c.starred)).toEqual(first.cards.map((c) => c.starred));
  });

  it.each([
    ['outlook-en.csv', 'en'],
    ['outlook-de.csv', 'de'],
    ['outlook-fr.csv', 'fr'],
  ] as const)('%s → Outlook CSV (%s) → Cardinal changes nothing and loses nothing', (file, language: OutlookLanguage) => {
    const first = drafts(csvFixture(file));
    const out = exportOutlookCsv(cardsOf(csvFixture(file)), { language });
    expect(out.losses).toEqual([]);
    const again = importCsv(out.bytes);
    expect([again.format, again.encoding]).toEqual([`outlook-${language}`, 'utf-8']);
    expect(again.cards.map((c) => draftOf(c.vcard))).toEqual(first);
  });

  it('the older Google set → the current one: everything but the fields the current set has no column for', () => {
    const first = drafts(csvFixture('google-legacy-utf16.csv'));
    const out = exportGoogleCsv(cardsOf(csvFixture('google-legacy-utf16.csv')));
    // "Ada Lovelace" beside the parts Ada, Augusta, Lovelace: the current set keeps only the parts.
    expect(summarizeLosses(out.losses)).toEqual([
      { kind: 'formatted-name', count: 1, contacts: ['Ada Lovelace'] },
      { kind: 'role', count: 1, contacts: ['Ada Lovelace'] },
      { kind: 'gender', count: 1, contacts: ['Ada Lovelace'] },
    ]);
    const again = drafts(out.bytes);
    const ada = (d: (typeof first)[number]) => ({ ...d, gender: '', contact: { ...d.contact, formattedName: 'Ada Augusta Lovelace', role: '' } });
    expect(again).toEqual(first.map((d) => (d.contact.formattedName === 'Ada Lovelace' ? ada(d) : d)));
  });
});

describe('across formats', () => {
  it('Google CSV → Outlook CSV lists what Outlook cannot hold, per contact', () => {
    const out = exportOutlookCsv(cardsOf(csvFixture('google-current.csv')), { language: 'en' });
    const summary = Object.fromEntries(summarizeLosses(out.losses).map((s) => [s.kind, s.contacts]));
    expect(summary).toEqual({
      // Grace's custom-labelled phone goes to Other Phone; Tsubasa's second mobile to Radio Phone.
      labels: ['Rear Adm. Grace Brewster Hopper', '愛川翼'],
      'yearless-birthday': ['愛川翼'],
      nickname: ['Rear Adm. Grace Brewster Hopper'],
      'phonetic-name': ['愛川翼'],
      'file-as': ['Rear Adm. Grace Brewster Hopper'],
      ims: ['Rear Adm. Grace Brewster Hopper'],
      dates: ['Rear Adm. Grace Brewster Hopper'],
      'custom-fields': ['Rear Adm. Grace Brewster Hopper'],
    });
  });

  it('Outlook CSV → Google CSV keeps every field Outlook had but the gender, which the current set has no column for', () => {
    const first = drafts(csvFixture('outlook-de.csv'));
    const out = exportGoogleCsv(cardsOf(csvFixture('outlook-de.csv')));
    expect(out.losses).toEqual([{ kind: 'gender', contact: 'Herr Jürgen Müller', detail: 'M' }]);
    expect(drafts(out.bytes)).toEqual(first.map((d) => ({ ...d, gender: '' })));
  });
});

describe('the files themselves', () => {
  const google: CsvExport = exportGoogleCsv(cardsOf(csvFixture('google-current.csv')));

  it("writes Google's current header, with as many numbered slots as the fullest contact needs", () => {
    const header = google.text.slice(0, google.text.indexOf('\r\n'));
    expect(header.startsWith('"First Name","Middle Name","Last Name","Phonetic First Name"')).toBe(true);
    expect(header).toContain('"E-mail 3 - Label","E-mail 3 - Value","Phone 1 - Label"');
    expect(header).not.toContain('E-mail 4');
    expect(previewCsv(google.bytes).format).toBe('google');
  });

  it("writes Google's labels: '* myContacts', '* starred', ' ::: ' between groups, '* Work' for the primary address", () => {
    const row = google.text.split('\r\n')[1]!;
    expect(row).toContain('"Navy ::: Mentors ::: * myContacts ::: * starred"');
    expect(row).toContain('"* Work","grace@navy.example"');
    expect(google.bytes[0]).toBe(0x22); // no BOM: Google writes none
  });

  it('writes Outlook\'s columns in each language\'s own order, every one of them', () => {
    for (const language of ['en', 'de', 'fr'] as const) {
      const out = exportOutlookCsv([], { language });
      const sourceHeader = decodeCsvBytes(csvFixture(`outlook-${language}.csv`)).text.split('\r\n')[0];
      const header = out.text.split('\r\n')[0];
      expect(header).toBe(sourceHeader);
    }
  });

  it("writes Outlook's dates in its language's short form and its e-mail type and display name", () => {
    const de = exportOutlookCsv(cardsOf(csvFixture('outlook-de.csv')), { language: 'de' }).text;
    expect(de).toContain('"14.5.1968"');
    expect(de).toContain('"SMTP","Herr Jürgen Müller (j.mueller@mueller-soehne.example)"');
    const en = exportOutlookCsv(cardsOf(csvFixture('outlook-en.csv')), { language: 'en' }).text;
    expect(en).toContain('"12/9/1975"');
    const fr = exportOutlookCsv(cardsOf(csvFixture('outlook-fr.csv')), { language: 'fr' }).text;
    expect(fr).toContain('"14/07/1985"');
  });

  it('writes windows-1252 for an old Outlook when asked, and names the contacts whose characters it cannot hold', () => {
    const cards = [...cardsOf(csvFixture('outlook-de.csv')), ...cardsOf(csvFixture('google-current.csv'))];
    const out = exportOutlookCsv(cards, { language: 'de', encoding: 'windows-1252' });
    const unencodable = out.losses.filter((l) => l.kind === 'unencodable-characters').map((l) => [l.contact, l.detail]);
    expect(unencodable).toEqual([
      ['愛川翼', '翼愛川有限会社建工業'], // each character once, in the order met
      ['مریم میرزاخانی', 'مریزاخندشگهستفو'],
    ]);
    const again = importCsv(out.bytes);
    expect([again.encoding, again.format]).toEqual(['windows-1252', 'outlook-de']);
    expect(draftOf(again.cards[0]!.vcard).contact.formattedName).toBe('Herr Jürgen Müller');
  });

  it('every fixture in the manifest is read by these tests', () => {
    expect(manifestFiles().sort()).toEqual(
      ['excel-pl-semicolon-1250.csv', 'google-current.csv', 'google-legacy-utf16.csv', 'list-ru-tab-1251.tsv', 'outlook-de.csv', 'outlook-en.csv', 'outlook-fr.csv'].sort(),
    );
  });
});

describe('a card made in Cardinal', () => {
  const made = [
    'BEGIN:VCARD',
    'VERSION:4.0',
    'UID:urn:uuid:5b1c',
    'FN:Ann Lee',
    'N:Lee;Ann;;;',
    'NICKNAME:Annie',
    'TEL;TYPE=cell;PREF=1:+1 555 0100',
    'item1.TEL:+1 555 0101',
    'item1.X-ABLabel:Studio',
    'EMAIL;TYPE=work:ann@example.org',
    'BDAY:--0514',
    'IMPP:skype:ann.lee',
    'PHOTO:data:image/jpeg;base64,/9j/4AAQ',
    'X-SOCIALPROFILE;TYPE=mastodon:https://example.social/@ann',
    'CATEGORIES:Friends',
    'END:VCARD',
    '',
  ].join('\r\n');

  it('→ Google CSV → Cardinal keeps what Google holds and lists the rest', () => {
    const out = exportGoogleCsv([{ vcard: made, favorite: true }]);
    expect(out.losses.map((l) => [l.kind, l.detail])).toEqual([
      ['other-properties', 'X-SOCIALPROFILE'],
      ['photo', ''],
    ]);
    const [again] = importCsv(out.bytes).cards;
    const d = draftOf(again!.vcard);
    expect(again!.starred).toBe(true);
    expect(d.contact).toMatchObject({
      formattedName: 'Ann Lee',
      nicknames: ['Annie'],
      birthday: { year: null, month: 5, day: 14 },
      categories: ['Friends'],
      phones: [
        { value: '+1 555 0100', types: ['cell'], label: '', pref: true },
        { value: '+1 555 0101', types: [], label: 'Studio', pref: false },
      ],
      emails: [{ value: 'ann@example.org', types: ['work'] }],
      ims: [{ value: 'skype:ann.lee', service: 'skype' }],
      photo: null,
    });
  });

  it('→ Outlook CSV → Cardinal lists the year-less birthday, nickname, IM and label Outlook cannot hold', () => {
    const out = exportOutlookCsv([{ vcard: made }], { language: 'en' });
    expect(summarizeLosses(out.losses).map((s) => s.kind)).toEqual(['other-properties', 'yearless-birthday', 'labels', 'nickname', 'ims', 'photo']);
    const d = draftOf(importCsv(out.bytes).cards[0]!.vcard);
    expect(d.contact.phones.map((p) => p.value)).toEqual(['+1 555 0100', '+1 555 0101']);
    expect(d.contact.birthday).toBeNull();
  });
});
