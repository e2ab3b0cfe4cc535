/**
 * Upcoming birthdays: the rows whose birthday falls within the next days (today included), each
 * with how many days until it and the age they turn when the year is known. 29 February is kept
 * on 28 February in years without it.
 */
import type { ContactRow } from '../../db/schema';

export interface Upcoming {
  readonly row: ContactRow;
  /** 0 today, 1 tomorrow, … */
  readonly inDays: number;
  /** The day it falls on (UTC midnight of the local date). */
  readonly date: Date;
  /** The age turned on that day, when the birth year is known. */
  readonly turns: number | null;
}

const DAY = 86_400_000;

function occurrence(month: number, day: number, year: number): Date {
  const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
  return month === 2 && day === 29 && !leap ? new Date(Date.UTC(year, 1, 28)) : new Date(Date.UTC(year, month - 1, day));
}

export function upcomingBirthdays(rows: Iterable<ContactRow>, today: Date, days = 30): Upcoming[] {
  const start = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  const out: Upcoming[] = [];
  for (const row of rows) {
    const m = /^(?:(\d{4})-|--)(\d{2})-(\d{2})$/.exec(row.birthday ?? '');
    if (m === null || row.pending === 'deleted') continue;
    const month = Number(m[2]);
    const day = Number(m[3]);
    let date = occurrence(month, day, today.getFullYear());
    if (date.getTime() < start) date = occurrence(month, day, today.getFullYear() + 1);
    const inDays = Math.round((date.getTime() - start) / DAY);
    if (inDays > days) continue;
    out.push({ row, inDays, date, turns: m[1] === undefined ? null : date.getUTCFullYear() - Number(m[1]) });
  }
  return out.sort((a, b) => a.inDays - b.inDays || a.row.displayName.localeCompare(b.row.displayName));
}
