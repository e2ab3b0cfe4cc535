import { describe, expect, it } from 'vitest';
import { exportVCards, FileNamer, safeBaseName } from '../../../shared/export';
import { parseVCards, toContact } from '../../../shared/vcard';

const ann = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nN:Lee;Ann;;;\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\nLOGO;VALUE=uri:https://example.org/logo.png\r\nX-KEEP:me\r\nEND:VCARD\r\n';
const bob = 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bob: "the builder" / Ltd.\r\nEND:VCARD\r\n';

describe('exporting vCards', () => {
  it('writes every card in one file, in the chosen version, photos included', () => {
    const [file, ...rest] = exportVCards([ann, bob], { version: '4.0', photos: true, layout: 'one-file', fileName: 'Family' });
    expect(rest).toEqual([]);
    expect(file!.name).toBe('Family.vcf');
    const cards = parseVCards(file!.text).cards.map((c) => toContact(c.card));
    expect(cards.map((c) => [c.version, c.formattedName, c.photo?.uri])).toEqual([
      ['4.0', 'Ann Lee', 'data:image/jpeg;base64,/9j/4AAQ'],
      ['4.0', 'Bob: "the builder" / Ltd.', undefined],
    ]);
    expect(file!.text).toContain('X-KEEP:me');
  });

  it('leaves photos out when asked, and keeps the rest of the card', () => {
    const [file] = exportVCards([ann], { version: '3.0', photos: false, layout: 'one-file' });
    expect(file!.name).toBe('Contacts.vcf');
    expect(file!.text).not.toContain('PHOTO');
    expect(file!.text).toContain('LOGO;VALUE=uri:https://example.org/logo.png');
  });

  it('writes one file per contact, named after the contact, safe on every OS', () => {
    const files = exportVCards([ann, bob, ann], { version: '3.0', photos: true, layout: 'file-per-contact' });
    expect(files.map((f) => f.name)).toEqual(['Ann Lee.vcf', 'Bob the builder Ltd.vcf', 'Ann Lee (2).vcf']);
    expect(parseVCards(files[1]!.text).cards.map((c) => toContact(c.card).version)).toEqual(['3.0']);
  });

  it('re-imports a 4.0 export of 4.0 cards with nothing changed', () => {
    const [file] = exportVCards([bob], { version: '4.0', photos: true, layout: 'one-file' });
    expect(file!.text).toBe(bob);
  });
});

describe('file names', () => {
  it.each([
    ['Ann <Lee>: "CEO" / R&D | a\\b?*', 'Ann Lee CEO R&D a b'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['Com1', '_Com1'],
    ['  ...hidden  ', 'hidden'],
    ['trailing dots...', 'trailing dots'],
    ['evil\u202Efdp.exe', 'evilfdp.exe'],
    ['', 'contact'],
    ['???', 'contact'],
    ['tab\tand\nnewline', 'tab and newline'],
  ])('%j → %j', (name, safe) => {
    expect(safeBaseName(name)).toBe(safe);
  });

  it('cuts long names at 100 UTF-8 bytes without splitting a character', () => {
    const long = safeBaseName('王'.repeat(40) + '😀'.repeat(10));
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(100);
    expect(long).toBe('王'.repeat(33));
    const emoji = safeBaseName('a' + '😀'.repeat(30));
    expect(emoji).toBe('a' + '😀'.repeat(24));
  });

  it('keeps names unique without regard to case, as macOS and Windows compare them', () => {
    const namer = new FileNamer('.vcf');
    expect(['Ann', 'ann', 'ANN', 'Ann (2)'].map((n) => namer.next(n))).toEqual(['Ann.vcf', 'ann (2).vcf', 'ANN (3).vcf', 'Ann (2) (2).vcf']);
  });
});
