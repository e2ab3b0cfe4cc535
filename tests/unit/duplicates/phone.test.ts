import { describe, expect, it } from 'vitest';
import { emailKey, phoneKey, regionOfLocale } from '../../../shared/duplicates';

describe('phone numbers as keys', () => {
  it('reads national numbers in the region given, international ones anywhere', () => {
    const key = '+49891234567';
    expect(phoneKey('089 1234567', 'DE')).toBe(key);
    expect(phoneKey('+49 (0)89 1234-567', 'DE')).toBe(key);
    expect(phoneKey('tel:+49-89-1234567', 'US')).toBe(key);
    expect(phoneKey('0049 89 1234567', 'DE')).toBe(key);
    expect(phoneKey('(555) 010-0100', 'US')).toBe('+15550100100');
    expect(phoneKey('020 7946 0000', 'GB')).toBe(phoneKey('+44 (0)20 7946 0000', 'DE'));
  });

  it('reads the international prefix 00 as + in every region, also where the prefix is another (US: 011) and with no region', () => {
    for (const region of ['US', 'IR', 'DE', '']) {
      expect(phoneKey('00989121234567', region), region).toBe('+989121234567');
      expect(phoneKey('0098 912 123 4567', region), region).toBe(phoneKey('+98 912 123 4567', region));
    }
    expect(phoneKey('011 98 912 123 4567', 'US')).toBe('+989121234567');
  });

  it('reads digits of any script', () => {
    expect(phoneKey('۰۹۱۲ ۳۴۵ ۶۷۸۹', 'IR')).toBe(phoneKey('+98 912 345 6789', 'US'));
  });

  it('the same national digits in another region are another number', () => {
    expect(phoneKey('089 1234567', 'DE')).not.toBe(phoneKey('089 1234567', 'IT'));
  });

  it('keeps the extension, so two extensions of one office stay apart', () => {
    expect(phoneKey('+1 555 010 0100 x12', 'US')).toBe('+15550100100;ext=12');
    expect(phoneKey('+1 555 010 0100 ext. 13', 'US')).not.toBe(phoneKey('+1 555 010 0100 x12', 'US'));
  });

  it('gives no key to a number too short to identify anyone; keeps digits of one it cannot place', () => {
    expect(phoneKey('112', 'DE')).toBe('');
    expect(phoneKey('1234', 'US')).toBe('');
    expect(phoneKey('0123 456 789', '')).toBe('#0123456789');
  });

  it('takes the region from the OS locale', () => {
    expect(regionOfLocale('en-US')).toBe('US');
    expect(regionOfLocale('de-AT')).toBe('AT');
    expect(regionOfLocale('fa')).toBe('IR');
    expect(regionOfLocale('zh-TW')).toBe('TW');
    expect(regionOfLocale('not a locale')).toBe('');
  });
});

describe('e-mail addresses as keys', () => {
  it('case-folds, trims and drops mailto:', () => {
    expect(emailKey(' John.Smith@Example.COM ')).toBe('john.smith@example.com');
    expect(emailKey('mailto:ada@example.org')).toBe('ada@example.org');
    expect(emailKey('not an address')).toBe('');
  });
});
