import { describe, expect, it } from 'vitest';
import { foldForSearch, phoneDigits } from '../../shared/search';
import { foldJoined } from '../../shared/search/normalize';
import { SIMPLIFIED, TRADITIONAL } from '../../shared/search/han-table';

describe('search folding', () => {
  it('ignores case and accents', () => {
    expect(foldForSearch('ZOË Núñez')).toBe(foldForSearch('zoe nunez'));
    expect(foldForSearch('Małgorzata')).toContain('ma');
  });

  it('reads the Latin letters without a decomposition as the letters typed for them: soren finds Søren, strasse Straße', () => {
    const pairs: [string, string][] = [
      ['Søren Ørsted', 'soren orsted'],
      ['Æbeltoft Cæcilie', 'aebeltoft caecilie'],
      ['Œuvre cœur', 'oeuvre coeur'],
      ['Straße ẞ', 'strasse ss'],
      ['Łódź Małgorzata', 'lodz malgorzata'],
      ['Đorđe Đukić', 'dorde dukic'],
      ['Guðrún', 'gudrun'],
      ['Þór', 'thor'],
      ['Işık', 'isik'],
      ['Ħamrun', 'hamrun'],
      ['Ŧ ŧ', 't t'],
      ['Ŋ ŋ', 'n n'],
    ];
    for (const [written, typed] of pairs) expect(foldForSearch(written), written).toBe(typed);
    // The same folding in a run of segments, and a value folded twice folds as once.
    expect(foldJoined(['Søren', 'Straße'], '\u0001')).toBe('\u0001soren\u0001strasse');
    expect(foldForSearch(foldForSearch('Søren Straße Þór'))).toBe(foldForSearch('Søren Straße Þór'));
    // In a long value too, every one of them (one scan, the rest copied between them).
    expect(foldForSearch('Søren Straße '.repeat(50_000))).toBe('soren strasse '.repeat(50_000).trim());
  });

  it('ignores full and half width', () => {
    expect(foldForSearch('ＡＢＣ１２３')).toBe('abc123');
    expect(foldForSearch('ｶﾀｶﾅ')).toBe(foldForSearch('カタカナ'));
  });

  it('matches Persian and Arabic letter variants and digits', () => {
    expect(foldForSearch('علي')).toBe(foldForSearch('علی'));
    expect(foldForSearch('كريم')).toBe(foldForSearch('کریم'));
    expect(foldForSearch('۱۲۳')).toBe('123');
    expect(foldForSearch('١٢٣')).toBe('123');
    expect(foldForSearch('می‌خواهم')).toBe(foldForSearch('میخواهم'));
  });

  it('makes every run of blanks one space and trims the ends, in a value of 300,000 line breaks too', () => {
    const words = Array.from({ length: 300_000 }, (_, i) => `W${i}`);
    expect(foldForSearch(`\n ${words.join('\r\n')}\t `)).toBe(words.join(' ').toLowerCase());
    expect(foldForSearch(`Zoë\u2028\u2029 Ab\u00a0\u00a0c\u3000`)).toBe('zoe ab c');
    expect(foldForSearch(`Ада\u202f\u205f${'Лав '.repeat(50_000)}`)).toBe(`ада ${'лав '.repeat(50_000).trim()}`);
  });

  it('reads Traditional Han as Simplified in long text and outside the Basic Multilingual Plane, and leaves the rest', () => {
    expect(foldForSearch('張三陳'.repeat(100_000))).toBe('张三陈'.repeat(100_000));
    const from = [...TRADITIONAL];
    const to = [...SIMPLIFIED];
    const astral = from.findIndex((ch) => ch.codePointAt(0)! > 0xffff);
    expect(astral).toBeGreaterThanOrEqual(0);
    expect(from[astral]).not.toBe(to[astral]);
    expect(foldForSearch(`a${from[astral]}b`)).toBe(`a${to[astral]}b`);
    expect(foldForSearch('\ud840x張\udc00')).toBe('\ud840x张\udc00');
  });

  it('folds a list of segments as it folds each value, plain ASCII or not', () => {
    const plain = Array.from({ length: 1_000 }, (_, i) => `Nick Name${i}`);
    expect(foldJoined(plain, '\u0002')).toBe(plain.map((v) => `\u0002${foldForSearch(v)}`).join(''));
    const mixed = [...plain, 'ZOË', 'A  B', ' pad', 'tab\tx', '張三', ''];
    expect(foldJoined(mixed, '\u0002')).toBe(mixed.map((v) => `\u0002${foldForSearch(v)}`).join(''));
    expect(foldJoined(mixed, '\u0002')).toContain('\u0002zoe\u0002a b\u0002pad\u0002tab x\u0002张三\u0002');
  });

  it('reduces phone numbers to their digits in any script and format', () => {
    expect(phoneDigits('+1 (555) 010-0100')).toBe('15550100100');
    expect(phoneDigits('۰۹۱۲ ۳۴۵ ۶۷۸۹')).toBe('09123456789');
  });

  it('a phone number short (joined as a string) or long (into a buffer) gives the same digits: ASCII, Arabic-Indic, Persian and full-width ones, nothing else', () => {
    const reference = (t: string) => t.replace(/[\u0660-\u0669]/g, (c) => String(c.charCodeAt(0) - 0x0660)).replace(/[\u06f0-\u06f9]/g, (c) => String(c.charCodeAt(0) - 0x06f0)).replace(/[\uff10-\uff19]/g, (c) => String(c.charCodeAt(0) - 0xff10)).replace(/[^0-9]/g, '');
    const pieces = ['1', '9', ' ', '-', '(', '٣', '۷', '５', 'x', '\ud83d\ude00', '\ud800', '+', '٫'];
    let seed = 5;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
    for (const length of [0, 1, 12, 255, 256, 257, 600]) {
      for (let round = 0; round < 20; round++) {
        let t = '';
        while (t.length < length) t += pieces[rand(pieces.length)]!;
        expect(phoneDigits(t), JSON.stringify(t)).toBe(reference(t));
      }
    }
    expect(phoneDigits('no digits at all')).toBe('');
  });
});
