import { describe, expect, it } from 'vitest';
import { foldForSearch, phoneDigits } from '../../shared/search';

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

  it('reduces phone numbers to their digits in any script and format', () => {
    expect(phoneDigits('+1 (555) 010-0100')).toBe('15550100100');
    expect(phoneDigits('۰۹۱۲ ۳۴۵ ۶۷۸۹')).toBe('09123456789');
  });
});
