/** Generated inputs: any bytes read without throwing; any table and any Google-format contact survive a round trip. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportGoogleCsv, importCsv, previewCsv } from '../../../shared/csv';
import { parseCsvTable, writeCsvTable } from '../../../shared/csv/table';
import { parseVCards } from '../../../shared/vcard';
import { draftOf } from './fixtures';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('generated CSV input', () => {
  it('any bytes: the preview and the import end with cards that parse, never an exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1500 }), (bytes) => {
        previewCsv(bytes);
        const result = importCsv(bytes);
        expect(parseVCards(result.vcf).errors).toEqual([]);
        expect(parseVCards(result.vcf).cards).toHaveLength(result.cards.length);
      }),
      { numRuns: 300 },
    );
  });

  it('any text in CSV shape (quotes, delimiters, line breaks in cells): the same cells come back', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Ü', '王', ' ', ',', ';', '\t', '"', '\n', '\r\n', ':::', '😀', '='), maxLength: 8 });
    // Not a cell holding a line that looks like a row of the file itself (two delimiters between
    // cells with text): that is how rows run together by a broken quote are told (table.ts), and
    // such a cell is reported rather than imported.
    const rowLike = (d: string) => (c: string) => c.split(/\r\n|\n|\r/).slice(1).some((l) => l.split(d).length >= 3 && l.split(d).filter((p) => p.trim() !== '').length >= 2);
    fc.assert(
      fc.property(fc.constantFrom(',' as const, ';' as const, '\t' as const), fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 6 }), (delimiter, generated) => {
        const rows = generated.filter((r) => !r.some(rowLike(delimiter)));
        const text = writeCsvTable(['a', 'b', 'c'], rows, delimiter);
        const table = parseCsvTable(text, delimiter);
        const expected = [['a', 'b', 'c'], ...rows.filter((r) => r.some((c) => c.trim() !== ''))];
        expect(table.rows.map((r) => r.cells)).toEqual(expected);
        expect(table.problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('any contact in Google\'s columns: CSV → Cardinal → CSV → Cardinal gives the same contact and reports no loss', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'B', 'é', 'ß', 'ł', 'Ж', 'ی', '王', ' ', ',', ';', '"', '\\', '-', '1'), minLength: 1, maxLength: 10 }).map((s) => s.trim()).filter((s) => s !== '');
    const label = fc.constantFrom('Home', 'Work', 'Mobile', 'Other', '* Home', 'Work Fax', 'Pager', 'Main', 'Batphone', '');
    const contact = fc.record({
      given: text,
      family: fc.option(text, { nil: '' }),
      org: fc.option(text, { nil: '' }),
      note: fc.option(fc.tuple(text, text).map(([a, b]) => `${a}\n${b}`), { nil: '' }),
      labels: fc.array(text, { maxLength: 3 }),
      emails: fc.array(fc.tuple(label, fc.stringMatching(/^[a-z]{1,6}@[a-z]{1,6}\.example$/)), { maxLength: 3 }),
      phones: fc.array(fc.tuple(label, fc.stringMatching(/^\+?[0-9 ]{3,12}[0-9]$/)), { maxLength: 3 }),
      birthday: fc.option(fc.constantFrom('1980-05-14', '--02-29', '2000-12-31'), { nil: '' }),
    });
    fc.assert(
      fc.property(fc.array(contact, { minLength: 1, maxLength: 4 }), (contacts) => {
        const slots = (n: number, word: string) => Array.from({ length: n }, (_, i) => [`${word} ${i + 1} - Label`, `${word} ${i + 1} - Value`]).flat();
        const header = ['First Name', 'Last Name', 'Organization Name', 'Birthday', 'Notes', 'Labels', ...slots(3, 'E-mail'), ...slots(3, 'Phone')];
        const rows = contacts.map((c) => {
          const items = (list: [string, string][]) => Array.from({ length: 3 }, (_, i) => list[i] ?? ['', '']).flat();
          return [c.given, c.family, c.org, c.birthday, c.note, [...c.labels, '* myContacts'].join(' ::: '), ...items(c.emails), ...items(c.phones)];
        });
        const first = importCsv(utf8(writeCsvTable(header, rows)));
        expect(first.format).toBe('google');
        const out = exportGoogleCsv(first.cards.map((c) => ({ vcard: c.vcard })));
        expect(out.losses).toEqual([]);
        const again = importCsv(out.bytes);
        expect(again.cards.map((c) => draftOf(c.vcard))).toEqual(first.cards.map((c) => draftOf(c.vcard)));
      }),
      { numRuns: 150 },
    );
  });
});
