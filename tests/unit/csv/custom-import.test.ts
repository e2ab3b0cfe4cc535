import { describe, expect, it } from 'vitest';
import { choiceId, customFieldTarget, importCsv, MAPPING_CHOICES, previewCsv, type ColumnMapping } from '../../../shared/csv';
import { writeCsvTable } from '../../../shared/csv/table';
import { csvFixture, draftOf } from './fixtures';

const utf8 = (text: string) => new TextEncoder().encode(text);
const choice = (id: string) => MAPPING_CHOICES.find((c) => c.id === id)!.target;

describe('a CSV in no known format, through the column mapping', () => {
  it('proposes a mapping from Polish headers, after an Excel "sep=;" line, in windows-1250', () => {
    const p = previewCsv(csvFixture('excel-pl-semicolon-1250.csv'));
    expect([p.format, p.encoding, p.delimiter, p.rowCount]).toEqual(['custom', 'windows-1250', ';', 2]);
    expect(p.header).toEqual(['Imię', 'Nazwisko', 'Telefon', 'E-mail', 'Miasto', 'Urodziny', 'Uwagi']);
    expect(p.mapping.columns.map(choiceId)).toEqual(['name.given', 'name.family', 'phone', 'email', 'address.locality', 'birthday', 'note']);
    expect(p.mapping.dateOrder).toBe('dmy');
    expect(p.sample[0]).toEqual(['Michał', 'Łukasiewicz', '+48 22 123 45 67', 'michal@example.pl', 'Wrocław', '24.12.1975', 'Zażółć gęślą jaźń; dzwonić po 17']);
  });

  it('imports it with the proposed mapping: day-first dates, a semicolon inside a quoted cell', () => {
    const result = importCsv(csvFixture('excel-pl-semicolon-1250.csv'));
    const [michal] = result.cards.map((c) => draftOf(c.vcard));
    expect(result.errors).toEqual([]);
    expect(michal!.contact).toMatchObject({
      formattedName: 'Michał Łukasiewicz',
      birthday: { year: 1975, month: 12, day: 24 },
      note: 'Zażółć gęślą jaźń; dzwonić po 17',
      addresses: [{ locality: 'Wrocław' }],
    });
    expect(result.cards[0]!.row).toBe(3); // the sep= line is row 1, the header row 2
  });

  it('reads a tab-separated Cyrillic list in windows-1251', () => {
    const p = previewCsv(csvFixture('list-ru-tab-1251.tsv'));
    expect([p.encoding, p.delimiter]).toEqual(['windows-1251', '\t']);
    expect(p.mapping.columns.map(choiceId)).toEqual(['name.given', 'name.family', 'phone.cell', 'email', 'birthday', 'org.name']);
    const [sergey] = importCsv(csvFixture('list-ru-tab-1251.tsv')).cards.map((c) => draftOf(c.vcard));
    expect(sergey!.contact).toMatchObject({ formattedName: 'Сергей Королёв', birthday: { year: 1907, month: 1, day: 12 }, organization: { name: 'ОКБ-1' } });
  });

  it('applies a mapping the user changed: a column left out, another read as a work phone', () => {
    const bytes = utf8('Name,Handy,Büro,Internal id\nAnn Lee,+1 555 0100,+1 555 0199,A-17\n');
    const p = previewCsv(bytes);
    expect(p.mapping.columns.map(choiceId)).toEqual(['name.full', 'phone.cell', '', '']);
    expect(p.mapping.columns[3]).toEqual(customFieldTarget('Internal id')); // nothing dropped unless the user says so
    const edited: ColumnMapping = { ...p.mapping, columns: [p.mapping.columns[0]!, p.mapping.columns[1]!, choice('phone.work'), null] };
    const [ann] = importCsv(bytes, { mapping: edited }).cards.map((c) => draftOf(c.vcard));
    expect(ann!.contact.phones.map((x) => [x.value, x.types])).toEqual([
      ['+1 555 0100', ['cell']],
      ['+1 555 0199', ['work']],
    ]);
    expect(ann!.custom).toEqual([]);
  });

  it('recognises columns by what they hold when the header says nothing', () => {
    const p = previewCsv(utf8('Wer,Kontakt,Nummer\nAnn,ann@example.org,+49 30 1234567\nBob,bob@example.org,0171 2345678\n'));
    expect(p.mapping.columns.map(choiceId)).toEqual(['', 'email', 'phone']);
  });

  it('reads a file with no header row: every row is a contact, columns are named by number', () => {
    const bytes = utf8('Ann Lee,ann@example.org,+1 555 0100\nBob Roe,bob@example.org,+1 555 0101\n');
    const p = previewCsv(bytes);
    expect(p.mapping.hasHeader).toBe(false);
    expect(p.header).toEqual(['Column 1', 'Column 2', 'Column 3']);
    expect(p.rowCount).toBe(2);
    const mapping: ColumnMapping = { ...p.mapping, columns: [choice('name.full'), choice('email'), choice('phone')] };
    const result = importCsv(bytes, { mapping });
    expect(result.cards.map((c) => [c.row, draftOf(c.vcard).contact.formattedName])).toEqual([
      [1, 'Ann Lee'],
      [2, 'Bob Roe'],
    ]);
  });

  it('takes a file sharing a few of Google\'s headers for a spreadsheet, so its other columns are kept', () => {
    const p = previewCsv(utf8('First Name,Last Name,Birthday,Phone,Team\nAnn,Lee,5/14/1980,555-0100,Blue\n'));
    expect(p.mapping.format).toBe('custom');
    expect(p.mapping.dateOrder).toBe('mdy');
    expect(p.mapping.columns.map(choiceId)).toEqual(['name.given', 'name.family', 'birthday', 'phone', '']);
    const [ann] = importCsv(utf8('First Name,Last Name,Birthday,Phone,Team\nAnn,Lee,5/14/1980,555-0100,Blue\n')).cards.map((c) => draftOf(c.vcard));
    expect(ann!.contact.birthday).toEqual({ year: 1980, month: 5, day: 14 });
    expect(ann!.custom).toEqual([{ label: 'Team', value: 'Blue' }]);
  });

  it('reports a row with a broken quote and skips it rather than guess where its cells are', () => {
    const result = importCsv(utf8('Name,Email\nAnn,ann@example.org\n"Bob, "the builder,bob@example.org\nCy,cy@example.org\n'));
    expect(result.errors.map((e) => [e.row, e.code, e.line, e.endLine])).toContainEqual([3, 'run-together', 3, 4]);
    expect(result.cards.map((c) => draftOf(c.vcard).contact.formattedName)).toEqual(['Ann']);
  });

  it('takes the comma of a quoted header even when a cell below is full of semicolons', () => {
    // Papa Parse's own guess read this (the shape fast-check found) as one column split on ";".
    const header = ['First Name', 'Last Name', 'Organization Name', 'Birthday', 'Notes', 'Labels', ...['E-mail', 'Phone'].flatMap((w) => [1, 2, 3].flatMap((n) => [`${w} ${n} - Label`, `${w} ${n} - Value`]))];
    const blank = Array<string>(12).fill('');
    const p = previewCsv(utf8(writeCsvTable(header, [['a', ';a', '', '', ';\n;a', '* myContacts', ...blank], ['a', '', '', '', '', '* myContacts', ...blank]])));
    expect([p.delimiter, p.header.length, p.format]).toEqual([',', 18, 'google']);
  });

  it('reports a file with a header and no rows', () => {
    expect(importCsv(utf8('First Name,Last Name\n')).errors).toEqual([expect.objectContaining({ row: 0, code: 'no-data' })]);
  });

  it('reports a row whose imported columns are all empty, by its spreadsheet row number', () => {
    const result = importCsv(utf8('Name,Email,Ignored\nAnn,ann@example.org,\n,,x\n'), {
      mapping: { format: 'custom', columns: [choice('name.full'), choice('email'), null], dateOrder: 'ymd', hasHeader: true },
    });
    expect(result.errors).toEqual([expect.objectContaining({ row: 3, code: 'empty-row' })]);
  });

  it('builds every card with the vCard core, so each parses back to the draft it was made from', async () => {
    const { readRow } = await import('../../../shared/csv/row-reader');
    const { draftToCard } = await import('../../../shared/csv/card-builder');
    const { serializeVCard } = await import('../../../shared/vcard');
    for (const file of ['google-current.csv', 'google-legacy-utf16.csv', 'outlook-en.csv', 'outlook-de.csv', 'outlook-fr.csv']) {
      const p = previewCsv(csvFixture(file));
      const rows = [p.sample[0]!, p.sample[1]!];
      for (const cells of rows) {
        const { draft } = readRow(cells, p.header, p.mapping);
        const back = draftOf(serializeVCard(draftToCard(draft)));
        expect(back).toEqual(JSON.parse(JSON.stringify(draft, (k, v: unknown) => (k === 'id' ? undefined : v))));
      }
    }
  });
});
