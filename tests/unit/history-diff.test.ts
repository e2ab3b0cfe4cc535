import { describe, expect, it } from 'vitest';
import { diffCards, historyTypeWord } from '../../renderer/src/features/history/diff';
import { translator } from '../../renderer/src/i18n';

const card = (lines: string, version = '4.0') => `BEGIN:VCARD\r\nVERSION:${version}\r\nUID:d1\r\n${lines.split('\n').join('\r\n')}\r\nEND:VCARD\r\n`;

describe('what changed between two versions, property by property', () => {
  it('names the changed value of one property among others that stayed, removed and added', () => {
    const changes = diffCards(card('FN:Ada\nTEL;TYPE=cell:+44 1\nTEL:+44 2\nEMAIL:ada@example.org'), card('FN:Ada\nTEL;TYPE=cell:+44 1\nTEL:+44 3\nEMAIL:ada@example.org'));
    expect(changes).toEqual([{ name: 'TEL', removed: ['+44 2'], added: ['+44 3'] }]);
  });

  it('reads values as the contact view does: unescaped text, structured parts joined, types named', () => {
    const changes = diffCards(card('FN:Ada'), card('FN:Ada\nNOTE:one\\, two\\nthree\nADR;TYPE=home:;;1 Main St;Springfield;;12345;US'));
    expect(changes).toEqual([
      { name: 'ADR', removed: [], added: ['1 Main St Springfield 12345 US (home)'] },
      { name: 'NOTE', removed: [], added: ['one, two\nthree'] },
    ]);
  });

  it('names a value’s types in the window’s language, as the contact view does (Persian: کار, not work); an unknown type as written', () => {
    const changes = diffCards(card('FN:Ada'), card('FN:Ada\nTEL;TYPE=work:+98 21 1\nEMAIL;TYPE=x-school:ada@example.org'), 'photo', historyTypeWord(translator('fa')));
    expect(changes).toEqual([
      { name: 'EMAIL', removed: [], added: ['ada@example.org (x-school)'] },
      { name: 'TEL', removed: [], added: ['+98 21 1 (کار)'] },
    ]);
  });

  it('is no change when only what a server rewrites moved: order, folding, REV, PRODID, the version', () => {
    const before = card('FN:Ada\nEMAIL:ada@example.org\nNOTE:a long note');
    const after = card('PRODID:-//Server//EN\nREV:20260101T000000Z\nNOTE:a long~ note\nEMAIL:ada@example.org\nFN:Ada').replace('~', '\r\n ');
    expect(diffCards(before, after)).toEqual([]);
  });

  it('keeps an unknown X- property by its name, and tells two photos apart without their bytes', () => {
    const changes = diffCards(card('FN:Ada\nPHOTO:data:image/png;base64,AAAA'), card('FN:Ada\nPHOTO:data:image/png;base64,BBBB\nX-CUSTOM:kept'), 'photo');
    expect(changes.map((c) => c.name)).toEqual(['PHOTO', 'X-CUSTOM']);
    expect(changes[0]!.removed[0]).toMatch(/^photo #/);
    expect(changes[0]!.removed[0]).not.toBe(changes[0]!.added[0]);
  });

  it('shows every property of the first version as added', () => {
    expect(diffCards(null, card('FN:Ada\nEMAIL:ada@example.org')).map((c) => [c.name, c.added])).toEqual([
      ['FN', ['Ada']],
      ['EMAIL', ['ada@example.org']],
      ['UID', ['d1']],
    ]);
  });
});
