import { describe, expect, it } from 'vitest';
import { decodeCsvBytes, detectEncoding, encodeCsvText } from '../../../shared/csv';
import { csvFixture } from './fixtures';

const cp = (text: string, table: Record<string, number>) => Uint8Array.from([...text].map((ch) => table[ch] ?? ch.charCodeAt(0)));

describe('reading the encoding of a CSV file', () => {
  it.each([
    ['google-current.csv', 'utf-8', false, undefined],
    ['google-legacy-utf16.csv', 'utf-16le', true, undefined],
    ['outlook-en.csv', 'windows-1252', false, 'guessed'],
    ['outlook-de.csv', 'windows-1252', false, 'guessed'],
    ['outlook-fr.csv', 'utf-8', true, undefined],
    ['excel-pl-semicolon-1250.csv', 'windows-1250', false, 'guessed'],
    ['list-ru-tab-1251.tsv', 'windows-1251', false, 'guessed'],
  ])('%s is %s (BOM: %s), %s', (file, encoding, bom, doubt) => {
    const found = detectEncoding(csvFixture(file));
    expect([found.encoding, found.bom, found.doubt?.kind]).toEqual([encoding, bom, doubt]);
  });

  it('reads a UTF-8 file with one stray byte as UTF-8, and says on which line the byte is (it was read as windows-1250, every letter wrong)', () => {
    const text = 'First Name,Last Name,Notes\r\nZoë,Šimůnková,Brno\r\nJosé,Müller,Köln\r\nŁucja,Gęba,x\r\n';
    const good = new TextEncoder().encode(text);
    // A lone windows-1252 "é" (0xE9) pasted into the Notes cell of the third line.
    const at = good.indexOf(0x4b); // "K" of Köln
    const bytes = Uint8Array.from([...good.subarray(0, at), 0xe9, ...good.subarray(at)]);
    expect(detectEncoding(bytes)).toEqual({ encoding: 'utf-8', bom: false, doubt: { kind: 'invalid-utf8', invalidBytes: 1, line: 3 } });
    const decoded = decodeCsvBytes(bytes);
    expect(decoded.text).toContain('Šimůnková');
    expect(decoded.text).toContain('\uFFFDKöln');
    // The user can still choose the code page, and the doubt is kept to say what was detected.
    const chosen = decodeCsvBytes(bytes, 'windows-1250');
    expect([chosen.encoding, chosen.detected, chosen.doubt?.kind]).toEqual(['windows-1250', 'utf-8', 'invalid-utf8']);
  });

  it('reads a file with a UTF-8 BOM and a stray byte as UTF-8, with the doubt', () => {
    const bytes = Uint8Array.of(0xef, 0xbb, 0xbf, 0x41, 0x0a, 0xc3, 0xa9, 0x0a, 0xff, 0x0a);
    expect(detectEncoding(bytes)).toEqual({ encoding: 'utf-8', bom: true, doubt: { kind: 'invalid-utf8', invalidBytes: 1, line: 3 } });
  });

  it('still guesses a code page when the bytes beyond ASCII are mostly not UTF-8 (a real windows-1252 file with one "Ã©" pair)', () => {
    const bytes = cp('Hélène,Société\nGérard,Ã©,Zoë\n', { é: 0xe9, ë: 0xeb, Ã: 0xc3, '©': 0xa9 });
    const found = detectEncoding(bytes);
    expect([found.encoding, found.doubt?.kind, found.doubt?.line]).toEqual(['windows-1252', 'guessed', 1]);
  });

  it('is certain of a file whose bytes are all UTF-8, of UTF-16 and of a BOM', () => {
    expect(detectEncoding(new TextEncoder().encode('a,b\nÄ,ß\n')).doubt).toBeUndefined();
    expect(detectEncoding(csvFixture('google-legacy-utf16.csv')).doubt).toBeUndefined();
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
    expect(decodeCsvBytes(polish)).toMatchObject({ text: 'Michał Łukasiewicz, Wrocław, Zażółć gęślą jaźń', encoding: 'windows-1250', bom: false, doubt: { kind: 'guessed' } });
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
