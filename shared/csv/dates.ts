/**
 * Dates as CSV files write them: Google's ISO dates and year-less "--05-14", Outlook's dates in
 * the installation's short format ("5/14/1980", "14.05.1980", "14/05/1980"), and spreadsheets'
 * of either kind. Two-digit years are read as 1930–2029.
 */
import type { DateValue } from '../vcard';
import type { OutlookLanguage } from './outlook-columns';
import type { DateOrder } from './targets';

const ISO = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$/;
const YEARLESS = /^--(\d{2})-?(\d{2})$/;
const NUMERIC = /^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})\.?$/;
const DAY_MONTH = /^(\d{1,2})[./-](\d{1,2})\.?$/;

function real(year: number | null, month: number, day: number): DateValue | null {
  const d = new Date(Date.UTC(year ?? 2000, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? { year, month, day } : null;
}

function fullYear(text: string): number {
  const n = Number(text);
  if (text.length > 2) return n;
  return n < 30 ? 2000 + n : 1900 + n;
}

/** A CSV date cell → a date (year null when it has none); null when it is not a date. */
export function parseCsvDate(raw: string, order: DateOrder): DateValue | null {
  const v = raw.trim();
  let m = ISO.exec(v);
  if (m !== null) return real(Number(m[1]), Number(m[2]), Number(m[3]));
  m = YEARLESS.exec(v);
  if (m !== null) return real(null, Number(m[1]), Number(m[2]));
  m = NUMERIC.exec(v);
  if (m !== null) {
    const [a, b, c] = [m[1]!, m[2]!, m[3]!];
    if (a.length === 4) return real(Number(a), Number(b), Number(c)); // 1980/05/14 whatever the order
    if (order === 'mdy') return real(fullYear(c), Number(a), Number(b));
    return real(fullYear(c), Number(b), Number(a));
  }
  m = DAY_MONTH.exec(v);
  if (m !== null && order !== 'ymd') {
    const [a, b] = [Number(m[1]), Number(m[2])];
    return order === 'mdy' ? real(null, a, b) : real(null, b, a);
  }
  return null;
}

const two = (n: number) => String(n).padStart(2, '0');

/** A date as Google's CSV writes it: 1980-05-14, or --05-14 without a year. */
export function googleDate(d: DateValue): string | null {
  if (d.month === null || d.day === null || d.text !== undefined) return null;
  return d.year === null ? `--${two(d.month)}-${two(d.day)}` : `${String(d.year).padStart(4, '0')}-${two(d.month)}-${two(d.day)}`;
}

/** A date in Outlook's short format for its language; null when Outlook cannot hold it (no year). */
export function outlookDate(d: DateValue, language: OutlookLanguage): string | null {
  if (d.year === null || d.month === null || d.day === null || d.text !== undefined) return null;
  if (language === 'en') return `${d.month}/${d.day}/${d.year}`;
  if (language === 'de') return `${d.day}.${d.month}.${d.year}`;
  return `${two(d.day)}/${two(d.month)}/${d.year}`;
}
