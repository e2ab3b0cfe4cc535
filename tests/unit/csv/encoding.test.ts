import { describe, expect, it } from 'vitest';
import { decodeCsvBytes, detectEncoding, encodeCsvText } from '../../../shared/csv';
import { csvFixture } from './fixtures';

const cp = (text: string, table: Record<string, number>) => Uint8Array.from([...text].map((ch) => table[ch] ?? ch.charCodeAt(0)));

describe('reading the encoding of a CSV file', () => {
  it.each([
    ['google-current.csv', 'utf-8', false],
    ['google-legacy-utf16.csv', 'utf-16le', true],
    ['outlook-en.csv', 'windows-1252', false],
    ['outlook-de.csv', 'windows-1252', false],
    ['outlook-fr.csv', 'utf-8', true],
    ['excel-pl-semicolon-1250.csv', 'windows-1250', false],
    ['list-ru-tab-1251.tsv', 'windows-1251', false],
  ])('%s is %s (BOM: %s)', (file, encoding, bom) => {
    expect(detectEncoding(csvFixture(file))).toEqual({ encoding, bom });
  });

  it('reads UTF-16 without a BOM in either byte order from its zero bytes', () => {
    const text = 'First Name,Last Name\r\nZoë,Šimůnková\r\n';
    const le = new Uint8Array(text.length * 2);
    const be = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      le[2 * i] = c & 0xff;
      le[2 * i + 1] = c >> 8;
      be[2 * i] = c >> 8;
      be[2 * i + 1] = c & 0xff;
    }
    expect(decodeCsvBytes(le)).toEqual({ text, encoding: 'utf-16le', bom: false });
    expect(decodeCsvBytes(be)).toEqual({ text, encoding: 'utf-16be', bom: false });
  });

  it('reads windows-1252 0x80–0x9F as € — and curly quotes, not as invisible C1 controls (Node reads them so)', () => {
    const decoded = decodeCsvBytes(csvFixture('outlook-en.csv'));
    expect(decoded.text).toContain('café in Zürich — prefers ""JQ""');
    expect(decoded.text).toContain('5,000 €');
    expect(/[\u0080-\u009f]/.test(decoded.text)).toBe(false);
    expect(decodeCsvBytes(Uint8Array.of(0x93, 0x41, 0x94, 0x85)).text).toBe('“A”…');
  });

  it('tells Polish in windows-1250 from Western text by the letters each reading makes', () => {
    const polish = cp('Michał Łukasiewicz, Wrocław, Zażółć gęślą jaźń', { ł: 0xb3, Ł: 0xa3, ż: 0xbf, ó: 0xf3, ć: 0xe6, ę: 0xea, ś: 0x9c, ą: 0xb9, ź: 0x9f, ń: 0xf1 });
    expect(decodeCsvBytes(polish)).toEqual({ text: 'Michał Łukasiewicz, Wrocław, Zażółć gęślą jaźń', encoding: 'windows-1250', bom: false });
    const french = cp('Hélène Lefèvre, Société Générale, François', { é: 0xe9, è: 0xe8, ç: 0xe7 });
    expect(decodeCsvBytes(french).encoding).toBe('windows-1252');
  });

  it('lets the user read the file in another encoding than the guessed one', () => {
    const bytes = csvFixture('list-ru-tab-1251.tsv');
    expect(decodeCsvBytes(bytes).text).toContain('Королёв');
    expect(decodeCsvBytes(bytes, 'windows-1252').text).not.toContain('Королёв');
  });

  it('drops a UTF-8 BOM even when the user picks a code page for the rest', () => {
    const bytes = Uint8Array.of(0xef, 0xbb, 0xbf, 0x41, 0x2c, 0x42);
    expect(decodeCsvBytes(bytes, 'windows-1252').text).toBe('A,B');
  });
});

describe('writing a CSV file in an encoding', () => {
  it('writes UTF-8 with a BOM by default for Outlook, and plain UTF-8 when asked', () => {
    expect([...encodeCsvText('Ä', 'utf-8-bom').bytes]).toEqual([0xef, 0xbb, 0xbf, 0xc3, 0x84]);
    expect([...encodeCsvText('Ä', 'utf-8').bytes]).toEqual([0xc3, 0x84]);
  });

  it('writes windows-1252 byte for byte, and names the characters it cannot hold', () => {
    const out = encodeCsvText('Müller € “x” 王 😀', 'windows-1252');
    expect(decodeCsvBytes(out.bytes, 'windows-1252').text).toBe('Müller € “x” ? ?');
    expect(out.unencodable).toEqual(['王', '😀']);
  });
});
