import { describe, expect, it } from 'vitest';
import { foldForSearch, phoneDigits } from '../../shared/search';
import { SIMPLIFIED, TRADITIONAL } from '../../shared/search/han-table';

describe('search folding', () => {
  it('ignores case and accents', () => {
    expect(foldForSearch('ZOË Núñez')).toBe(foldForSearch('zoe nunez'));
    expect(foldForSearch('Małgorzata')).toContain('ma');
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

  it('reduces phone numbers to their digits in any script and format', () => {
    expect(phoneDigits('+1 (555) 010-0100')).toBe('15550100100');
    expect(phoneDigits('۰۹۱۲ ۳۴۵ ۶۷۸۹')).toBe('09123456789');
  });
});
