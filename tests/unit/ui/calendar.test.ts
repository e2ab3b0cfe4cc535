import { describe, expect, it } from 'vitest';
import { currentPersianYear, fromPersian, gregorianToPersian, persianMonthLength, persianToGregorian, toPersian } from '../../../renderer/src/features/dates/calendar';
import { fieldOrder, formatDate, formatYear } from '../../../renderer/src/features/dates/format';
import { readDraft } from '../../../renderer/src/features/dates/DateInput';

describe('the Solar Hijri calendar', () => {
  it('۱ فروردین ۱۳۶۰ is 1981-03-21, and back', () => {
    expect(persianToGregorian({ year: 1360, month: 1, day: 1 })).toEqual({ year: 1981, month: 3, day: 21 });
    expect(gregorianToPersian({ year: 1981, month: 3, day: 21 })).toEqual({ year: 1360, month: 1, day: 1 });
  });

  it('round-trips every day of several years, leap years included', () => {
    for (const year of [1399, 1403, 1404]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= persianMonthLength(year, month); day++) {
          const g = persianToGregorian({ year, month, day })!;
          expect(gregorianToPersian(g), `${year}/${month}/${day}`).toEqual({ year, month, day });
        }
      }
    }
  });

  it('knows which Esfand has a 30th day and refuses days that do not exist', () => {
    expect(persianMonthLength(1403, 12)).toBe(30); // a leap year
    expect(persianMonthLength(1404, 12)).toBe(29);
    expect(fromPersian({ year: 1404, month: 12, day: 30 })).toBeNull();
    expect(fromPersian({ year: 1404, month: 7, day: 31 })).toBeNull();
    expect(toPersian(new Date(Date.UTC(2025, 2, 20)))).toEqual({ year: 1403, month: 12, day: 30 });
  });

  it('a year-less date becomes the Gregorian day it falls on in the reference year, and reads back the same', () => {
    expect(persianToGregorian({ year: null, month: 1, day: 1 }, 1403)).toEqual({ year: null, month: 3, day: 20 });
    expect(persianToGregorian({ year: null, month: 1, day: 1 }, 1404)).toEqual({ year: null, month: 3, day: 21 });
    for (let month = 1; month <= 12; month++) {
      const g = persianToGregorian({ year: null, month, day: 10 }, 1404)!;
      expect(gregorianToPersian(g, 1404)).toEqual({ year: null, month, day: 10 });
    }
    expect(currentPersianYear(new Date(Date.UTC(2026, 11, 1)))).toBe(1405);
  });

  it('reads what was typed in any digits; a Solar Hijri date needs month and day', () => {
    expect(readDraft({ year: '۱۳۶۰', month: '1', day: '۱' }, true)).toEqual({ year: 1981, month: 3, day: 21 });
    expect(readDraft({ year: '', month: '', day: '' }, true)).toBeNull();
    expect(readDraft({ year: '1360', month: '', day: '' }, true)).toBe('invalid');
    expect(readDraft({ year: '19x0', month: '3', day: '1' }, false)).toBe('invalid');
    expect(readDraft({ year: '', month: '4', day: '15' }, false)).toEqual({ year: null, month: 4, day: 15 });
  });
});

describe('dates as the region writes them', () => {
  const d = { year: 1990, month: 3, day: 14 };
  it('en-GB: 14 March 1990; en-US: March 14, 1990; ISO when asked; Persian in Solar Hijri', () => {
    expect(formatDate(d, { locale: 'en-GB', style: 'region' })).toBe('14 March 1990');
    expect(formatDate(d, { locale: 'en-US', style: 'region' })).toBe('March 14, 1990');
    expect(formatDate(d, { locale: 'en-US', style: 'iso' })).toBe('1990-03-14');
    expect(formatDate({ year: null, month: 3, day: 14 }, { locale: 'en-GB', style: 'iso' })).toBe('--03-14');
    expect(formatDate(d, { locale: 'fa-IR-u-ca-persian', style: 'region' })).toBe('۲۳ اسفند ۱۳۶۸');
  });
  it('the picker follows the order dates are written in', () => {
    expect(fieldOrder('en-GB')).toEqual(['day', 'month', 'year']);
    expect(fieldOrder('en-US')).toEqual(['month', 'day', 'year']);
    expect(fieldOrder('zh-TW')).toEqual(['year', 'month', 'day']);
  });
});

describe('Persian digits in dates and years', () => {
  const fa = { locale: 'fa-IR-u-ca-persian', style: 'region' as const };
  const latin = /[0-9]/;
  it('a year alone, a partial date and the ISO style are written in Persian digits in the Persian UI, never Latin', () => {
    expect(formatDate({ year: 1981, month: null, day: null }, fa)).toBe('۱۹۸۱');
    expect(formatDate({ year: 1981, month: 3, day: null }, fa)).toBe('۱۹۸۱-۳');
    expect(formatDate({ year: 1981, month: 3, day: 14 }, { ...fa, style: 'iso' })).toBe('۱۹۸۱-۰۳-۱۴');
    expect(formatDate({ year: null, month: 3, day: 14 }, { ...fa, style: 'iso' })).toBe('--۰۳-۱۴');
    for (const d of [{ year: 1981, month: 3, day: 21 }, { year: null, month: 2, day: 29 }, { year: 2000, month: 12, day: 31 }]) expect(formatDate(d, fa)).not.toMatch(latin);
    // English stays as it was.
    expect(formatDate({ year: 1981, month: null, day: null }, { locale: 'en-GB', style: 'region' })).toBe('1981');
  });
  it('a year is the Solar Hijri year of its day in Persian (1981-03-21 is ۱۳۶۰), the Gregorian year in Persian digits without a day', () => {
    expect(formatYear({ year: 1981, month: 3, day: 21 }, 'fa-IR-u-ca-persian')).toBe('۱۳۶۰');
    expect(formatYear({ year: 1981, month: 3, day: 14 }, 'fa-IR-u-ca-persian')).toBe('۱۳۵۹');
    expect(formatYear({ year: 1981, month: null, day: null }, 'fa-IR-u-ca-persian')).toBe('۱۹۸۱');
    expect(formatYear({ year: 1981, month: 3, day: 21 }, 'en-US')).toBe('1981');
    expect(formatYear({ year: 1981, month: 3, day: 21 }, 'zh-TW')).toBe('1981');
  });
});
