/**
 * Dates as people of the UI's language and the OS's region write them: "14 March 1990" for
 * en-GB, "March 14, 1990" for en-US, 1990年3月14日 in Chinese, ۲۳ اسفند ۱۳۶۸ (Solar Hijri) in
 * Persian; or ISO 8601 when the settings say so.
 */
import type { DateValue } from '../../../../shared/vcard';
import type { DateStyle } from '../settings/settings';
import { currentPersianYear, fromPersian, gregorianToPersian } from './calendar';

export interface DateFormatting {
  /** The locale dates are written in (see i18n dateLocale), with `-u-ca-persian` for Persian. */
  readonly locale: string;
  readonly style: DateStyle;
}

const isPersian = (locale: string) => locale.includes('-ca-persian');

/** A number in the locale's digits (Persian ۱۳۶۰), no grouping, at least `width` digits. */
export function formatDigits(n: number, locale: string, width = 1): string {
  return new Intl.NumberFormat(locale, { useGrouping: false, minimumIntegerDigits: width }).format(n);
}

/**
 * The year of a date as the UI's calendar writes it: in Persian the Solar Hijri year the day falls
 * in (1981-03-14 → ۱۳۵۹), or the Gregorian year in Persian digits when there is no day to convert;
 * elsewhere the year in the language's digits.
 */
export function formatYear(date: { readonly year: number; readonly month: number | null; readonly day: number | null }, locale: string): string {
  if (isPersian(locale) && date.month !== null && date.day !== null) {
    return new Intl.DateTimeFormat(locale, { year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(date.year, date.month - 1, date.day)));
  }
  return formatDigits(date.year, locale);
}

export function formatDate(date: DateValue, f: DateFormatting): string {
  if (date.text !== undefined) return date.text;
  const { year, month, day } = date;
  const pad = (n: number, w = 2) => formatDigits(n, f.locale, w);
  // A partial date (only a year, a month, or both): its numbers, in the UI's digits.
  if (month === null || day === null) return [year, month, day].filter((x) => x !== null).map((x) => formatDigits(x, f.locale)).join('-');
  if (f.style === 'iso') return year === null ? `--${pad(month)}-${pad(day)}` : `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (year !== null) return new Intl.DateTimeFormat(f.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, day)));
  if (isPersian(f.locale)) {
    // Year-less: the Solar Hijri day this Gregorian day is in the current Solar Hijri year.
    const ref = currentPersianYear();
    const p = gregorianToPersian(date, ref);
    const g = fromPersian({ year: ref, month: p.month!, day: p.day! }) ?? fromPersian({ year: ref + 1, month: p.month!, day: p.day! });
    if (g !== null) return new Intl.DateTimeFormat(f.locale, { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(g);
  }
  return new Intl.DateTimeFormat(f.locale, { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, day)));
}

/** The Gregorian day-month as the UI writes it ("21 March" / "۲۱ مارس"), for saying what a pick becomes. */
export function formatGregorianDayMonth(month: number, day: number, lang: string): string {
  return new Intl.DateTimeFormat(`${lang}-u-ca-gregory`, { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, day)));
}

/** The order of day, month and year in this locale's dates ("14 March 1990" → day, month, year). */
export function fieldOrder(locale: string): ('day' | 'month' | 'year')[] {
  const parts = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).formatToParts(new Date(Date.UTC(1990, 2, 14)));
  const order = parts.map((p) => p.type).filter((t): t is 'day' | 'month' | 'year' => t === 'day' || t === 'month' || t === 'year');
  return order.length === 3 ? order : ['month', 'day', 'year'];
}

/** The month names of the calendar the UI picks dates in. */
export function monthNames(locale: string): string[] {
  const fmt = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
  if (!isPersian(locale)) return Array.from({ length: 12 }, (_, i) => fmt.format(new Date(Date.UTC(2000, i, 1))));
  // A day inside each Solar Hijri month of one year.
  return Array.from({ length: 12 }, (_, i) => fmt.format(fromPersian({ year: 1400, month: i + 1, day: 10 })!));
}

export { isPersian };
