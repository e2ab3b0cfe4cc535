/** vCard dates, including year-less ones (`--MMDD`, Apple's 1604 with X-APPLE-OMIT-YEAR). */

export interface DateValue {
  /** null for a year-less date. */
  readonly year: number | null;
  readonly month: number | null;
  readonly day: number | null;
  /** A value that is not a date (`VALUE=text:circa 1800`), shown as written. */
  readonly text?: string;
}

const FULL = /^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$/;
const YEARLESS = /^--(\d{2})-?(\d{2})$/;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;
const YEAR_ONLY = /^(\d{4})$/;
const DAY_ONLY = /^---(\d{2})$/;

function valid(month: number | null, day: number | null): boolean {
  return (month === null || (month >= 1 && month <= 12)) && (day === null || (day >= 1 && day <= 31));
}

const digit = (v: string, i: number): number => {
  const d = v.charCodeAt(i) - 0x30;
  return d >= 0 && d <= 9 ? d : -1;
};

/** The number of `count` ASCII digits at `at`, or -1. */
function digits(v: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = digit(v, i);
    if (d < 0) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** FULL's commonest forms, `YYYY-MM-DD` and `YYYYMMDD`, read without a regular expression; null for any other. */
function fullDate(v: string, omitYear: string | undefined): DateValue | null {
  const dashed = v.length === 10 && v.charCodeAt(4) === 0x2d && v.charCodeAt(7) === 0x2d;
  if (!dashed && v.length !== 8) return null;
  const year = digits(v, 0, 4);
  const month = digits(v, dashed ? 5 : 4, 2);
  const day = digits(v, dashed ? 8 : 6, 2);
  if (year < 0 || month < 0 || day < 0 || !valid(month, day)) return null;
  return { year: omitYear !== undefined && omitYear === v.slice(0, 4) ? null : year, month, day };
}

export function parseDate(raw: string, omitYear?: string): DateValue {
  const v = raw.trim();
  const common = fullDate(v, omitYear);
  if (common !== null) return common;
  let m = FULL.exec(v);
  if (m !== null) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (valid(month, day)) return { year: omitYear === m[1] ? null : year, month, day };
  }
  m = YEARLESS.exec(v) ?? MONTH_DAY.exec(v);
  if (m !== null && valid(Number(m[1]), Number(m[2]))) return { year: null, month: Number(m[1]), day: Number(m[2]) };
  m = YEAR_MONTH.exec(v);
  if (m !== null && valid(Number(m[2]), null)) return { year: Number(m[1]), month: Number(m[2]), day: null };
  m = YEAR_ONLY.exec(v);
  if (m !== null) return { year: Number(m[1]), month: null, day: null };
  m = DAY_ONLY.exec(v);
  if (m !== null && valid(null, Number(m[1]))) return { year: null, month: null, day: Number(m[1]) };
  return { year: null, month: null, day: null, text: v };
}

const two = (n: number): string => String(n).padStart(2, '0');

/** The value to write: `YYYY-MM-DD` (3.0) / `YYYYMMDD` (4.0), or `--MMDD` without a year. */
export function formatDate(date: DateValue, version: '2.1' | '3.0' | '4.0'): string {
  if (date.text !== undefined) return date.text;
  const { year, month, day } = date;
  if (year !== null && month !== null && day !== null) {
    return version === '4.0' ? `${year}${two(month)}${two(day)}` : `${year}-${two(month)}-${two(day)}`;
  }
  if (year === null && month !== null && day !== null) return `--${two(month)}${two(day)}`;
  if (year !== null && month !== null) return `${year}-${two(month)}`;
  if (year !== null) return String(year);
  if (day !== null) return `---${two(day)}`;
  return '';
}

export function sameDate(a: DateValue | null, b: DateValue | null): boolean {
  if (a === null || b === null) return a === b;
  return a.year === b.year && a.month === b.month && a.day === b.day && a.text === b.text;
}

/** A calendar check for a date the user typed: 31 February is refused, 29 February with no year is not. */
export function isRealDate(date: DateValue): boolean {
  if (date.text !== undefined) return true;
  const { year, month, day } = date;
  if (month === null || day === null) return valid(month, day);
  const y = year ?? 2000; // a leap year, so --0229 is allowed
  const d = new Date(Date.UTC(y, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
