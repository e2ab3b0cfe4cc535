import { describe, expect, it } from 'vitest';
import { importCsv, previewCsv } from '../../../shared/csv';
import { csvFixture, draftOf } from './fixtures';

describe('Outlook CSV in English (windows-1252)', () => {
  const result = importCsv(csvFixture('outlook-en.csv'));
  const [john, renee] = result.cards.map((c) => draftOf(c.vcard));

  it('is recognised with its code page', () => {
    expect([result.format, result.encoding, result.delimiter]).toEqual(['outlook-en', 'windows-1252', ',']);
  });

  it("takes each phone column's kind from the column's name", () => {
    expect(john!.contact.phones.map((p) => [p.value, p.types, p.label])).toEqual([
      ['(425) 555-0110', [], 'Assistant'],
      ['(425) 555-0101', ['work', 'fax'], ''],
      ['(425) 555-0100', ['work'], ''],
      ['(425) 555-0199', ['home'], ''],
      ['(425) 555-0123', ['cell'], ''],
    ]);
    expect(renee!.contact.phones.map((p) => [p.value, p.types, p.pref])).toEqual([
      ['+46 70 123 45 67', ['other'], false],
      ['+46 8 123 456 78', [], true],
    ]);
  });

  it('joins Street, Street 2 and Street 3 into the street, one line each', () => {
    expect(john!.contact.addresses).toEqual([
      { poBox: '', extended: '', street: '1 Microsoft Way\nBuilding 7', locality: 'Redmond', region: 'WA', postalCode: '98052', country: 'United States of America', types: ['work'], label: '', pref: false },
      { poBox: '', extended: '', street: '42 Lake View Rd', locality: 'Kirkland', region: 'WA', postalCode: '98033', country: 'United States of America', types: ['home'], label: '', pref: false },
    ]);
  });

  it("reads month-first dates, and Outlook's placeholders (0/0/00, Unspecified, Normal, False, its own Initials) as nothing", () => {
    expect(john!.contact.birthday).toEqual({ year: 1975, month: 12, day: 9 });
    expect(john!.contact.anniversary).toEqual({ year: 2001, month: 6, day: 21 });
    expect(renee!.contact.birthday).toBeNull();
    expect(renee!.gender).toBe('');
    expect(renee!.custom).toEqual([]);
    expect(john!.custom).toEqual([
      { label: 'Hobby', value: 'Sailing' },
      { label: 'User 1', value: 'Key account' },
    ]);
  });

  it('reads spouse, children, manager, gender, profession and categories', () => {
    expect(john!.contact.related.map((r) => [r.value, r.types, r.label])).toEqual([
      ['Emma', ['child'], ''],
      ['Liam', ['child'], ''],
      ['Ann Boss', [], 'Manager'],
      ['Jane Smith', ['spouse'], ''],
    ]);
    expect([john!.gender, john!.contact.role, john!.contact.categories]).toEqual(['M', 'Sales', ['Business', 'VIP']]);
  });

  it('keeps the notes with their line break and windows-1252 characters', () => {
    expect(john!.contact.note).toBe('Met at the café in Zürich — prefers "JQ".\nBudget: 5,000 €.');
  });

  it('leaves out an Exchange directory name given as the e-mail address, and says so', () => {
    expect(renee!.contact.emails.map((e) => e.value)).toEqual(['renee@fabrikam.example']);
    expect(result.errors).toEqual([expect.objectContaining({ row: 3, code: 'exchange-address', column: 'E-mail Address' })]);
  });
});

describe('Outlook CSV in German (windows-1252)', () => {
  const result = importCsv(csvFixture('outlook-de.csv'));
  const [juergen, annaLena] = result.cards.map((c) => draftOf(c.vcard));

  it('is recognised by its German headers, with no errors', () => {
    expect([result.format, result.encoding, result.errors]).toEqual(['outlook-de', 'windows-1252', []]);
  });

  it('reads the German columns into the same places as the English ones', () => {
    expect(juergen!.contact).toMatchObject({
      formattedName: 'Herr Jürgen Müller',
      name: { prefix: 'Herr', given: 'Jürgen', family: 'Müller' },
      organization: { name: 'Müller & Söhne GmbH', units: ['Einkauf'] },
      title: 'Prokurist',
      birthday: { year: 1968, month: 5, day: 14 },
      categories: ['Geschäftlich', 'Lieferanten'],
      note: 'Grüße an die Familie. Bevorzugt Anrufe vormittags.',
      addresses: [{ street: 'Hauptstraße 5', locality: 'München', region: 'Bayern', postalCode: '80331', country: 'Deutschland', types: ['work'] }],
      related: [{ value: 'Gisela Müller', types: ['spouse'] }],
      urls: [{ value: 'https://mueller-soehne.example' }],
    });
    expect(juergen!.gender).toBe('M');
  });

  it('reads "Mobiltelefon 2", which stands where the English set has Radio Phone', () => {
    expect(juergen!.contact.phones.find((p) => p.value === '+49 151 9876543')).toEqual({ value: '+49 151 9876543', types: [], label: 'Radio', pref: false });
  });

  it('reads day-first dotted dates and German placeholders (0.0.00, Keine Angabe, Aus)', () => {
    expect(annaLena!.contact.anniversary).toEqual({ year: 2015, month: 10, day: 3 });
    expect(annaLena!.contact.birthday).toBeNull();
    expect([annaLena!.gender, annaLena!.custom]).toEqual(['', []]);
    expect(annaLena!.contact.name).toMatchObject({ given: 'Anna-Lena', additional: 'Marie', family: 'Weiß' });
  });
});

describe('Outlook CSV in French (UTF-8 with BOM)', () => {
  const result = importCsv(csvFixture('outlook-fr.csv'));
  const [helene, francois] = result.cards.map((c) => draftOf(c.vcard));

  it('is recognised by its French headers', () => {
    expect([result.format, result.encoding, result.errors]).toEqual(['outlook-fr', 'utf-8', []]);
  });

  it('reads the first "Titre" as the name prefix and the second as the job title', () => {
    expect(helene!.contact.name.prefix).toBe('Mme');
    expect(helene!.contact.title).toBe('Avocate');
    expect(helene!.contact.formattedName).toBe('Mme Hélène Lefèvre');
  });

  it('reads "Anniversaire" as the birthday, day first', () => {
    expect(helene!.contact.birthday).toEqual({ year: 1985, month: 7, day: 14 });
    expect(helene!.contact.anniversary).toBeNull();
  });

  it('reads the French phone, e-mail, address and gender columns', () => {
    expect(helene!.contact.phones.map((p) => [p.value, p.types])).toEqual([
      ['+33 1 42 14 20 00', ['work']],
      ['+33 6 12 34 56 78', ['cell']],
    ]);
    expect(helene!.contact.emails.map((e) => e.value)).toEqual(['helene.lefevre@cabinet.example']);
    expect(helene!.gender).toBe('F');
    expect(francois!.contact.addresses[0]).toMatchObject({ street: "3 rue de l'Église", locality: 'Lyon', postalCode: '69002', types: ['home'] });
    expect(francois!.contact.related).toEqual([{ value: 'Chloé', types: ['child'], label: '', pref: false }]);
  });

  it('proposes the mapping it imports with', () => {
    const p = previewCsv(csvFixture('outlook-fr.csv'));
    expect(p.mapping.format).toBe('outlook-fr');
    expect(p.mapping.columns[0]).toEqual({ kind: 'single', field: 'name.prefix' });
    expect(p.mapping.columns[7]).toEqual({ kind: 'single', field: 'title' });
  });
});
