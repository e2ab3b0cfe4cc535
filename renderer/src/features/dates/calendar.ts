/**
 * The Solar Hijri (Persian) calendar, through Intl's `persian` calendar only: a date picked as
 * ۱ فروردین ۱۳۶۰ is stored as the Gregorian 1981-03-21, and Gregorian dates are shown back in it.
 *
 * A year-less Solar Hijri date has no fixed Gregorian day (1 Farvardin is 20, 21 or 22 March,
 * depending on the year). Cardinal stores it as the Gregorian day it falls on in the current
 * Solar Hijri year, shows it back through the same year, and says so where it is picked.
 */
import type { DateValue } from '../../../../shared/vcard';

export interface YMD {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const PERSIAN = new Intl.DateTimeFormat('en-US-u-ca-persian-nu-latn', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });

/** The Solar Hijri date of a UTC day. */
export function toPersian(date: Date): YMD {
  const parts = PERSIAN.formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

/** The Gregorian day 1 Farvardin of this Solar Hijri year falls on (March 19–22 of year + 621). */
function nowruz(year: number): Date {
  for (let d = 19; d <= 23; d++) {
    const p = toPersian(utc(year + 621, 3, d));
    if (p.year === year && p.month === 1 && p.day === 1) return utc(year + 621, 3, d);
  }
  throw new Error(`no Nowruz found for ${year}`);
}

/** Days in a Solar Hijri month: 31 for the first six, 30 for the next five, 29 or 30 for Esfand. */
export function persianMonthLength(year: number | null, month: number): number {
  if (month <= 6) return 31;
  if (month <= 11) return 30;
  if (year === null) return 30;
  return toPersian(new Date(nowruz(year + 1).getTime() - 86_400_000)).day;
}

/** The Gregorian day of a Solar Hijri date, or null when the date does not exist (31 Mehr). */
export function fromPersian(p: YMD): Date | null {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > persianMonthLength(p.year, p.month)) return null;
  const offset = (p.month <= 6 ? (p.month - 1) * 31 : 186 + (p.month - 7) * 30) + p.day - 1;
  const date = new Date(nowruz(p.year).getTime() + offset * 86_400_000);
  const back = toPersian(date);
  return back.year === p.year && back.month === p.month && back.day === p.day ? date : null;
}

/** The Solar Hijri year of today, the reference for year-less dates. */
export function currentPersianYear(today = new Date()): number {
  return toPersian(utc(today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate())).year;
}

/**
 * A stored date as picked in the Solar Hijri calendar. Year-less: the Gregorian month and day
 * read in the reference year (the current one); null month/day stay null.
 */
export function gregorianToPersian(v: DateValue, referenceYear = currentPersianYear()): { year: number | null; month: number | null; day: number | null } {
  if (v.month === null || v.day === null) return { year: null, month: null, day: null };
  if (v.year !== null) {
    const p = toPersian(utc(v.year, v.month, v.day));
    return { year: p.year, month: p.month, day: p.day };
  }
  const start = nowruz(referenceYear);
  const startMd = (start.getUTCMonth() + 1) * 100 + start.getUTCDate();
  let gy = v.month * 100 + v.day >= startMd ? referenceYear + 621 : referenceYear + 622;
  // 29 February: the nearest leap year after it.
  while (v.month === 2 && v.day === 29 && utc(gy, 2, 29).getUTCMonth() !== 1) gy++;
  const p = toPersian(utc(gy, v.month, v.day));
  return { year: null, month: p.month, day: p.day };
}

/**
 * A Solar Hijri pick as the Gregorian date stored; null when it is no date. Year-less picks become
 * the Gregorian month-day of that date in the reference year (30 Esfand: in the next year that has it).
 */
export function persianToGregorian(p: { year: number | null; month: number; day: number }, referenceYear = currentPersianYear()): DateValue | null {
  if (p.year !== null) {
    const g = fromPersian({ year: p.year, month: p.month, day: p.day });
    return g === null ? null : { year: g.getUTCFullYear(), month: g.getUTCMonth() + 1, day: g.getUTCDate() };
  }
  for (let y = referenceYear; y < referenceYear + 5; y++) {
    const g = fromPersian({ year: y, month: p.month, day: p.day });
    if (g !== null) return { year: null, month: g.getUTCMonth() + 1, day: g.getUTCDate() };
    if (p.month !== 12 || p.day !== 30) return null;
  }
  return null;
}
