/**
 * The birthdays and anniversaries calendar: one yearly all-day event per contact and kind, as an
 * .ics file to import or to subscribe to. A subscribed file is re-read whole, so each event's UID
 * is made from the contact and the kind only: the same contact's birthday is the same event every
 * time the file is written, and a calendar updates it in place instead of adding a copy.
 *
 * - Year-less dates (`--0514`) start in 2000: some year is needed for DTSTART, and a leap year
 *   makes a year-less 29 February possible. Titles carry no age when the year is unknown.
 * - 29 February repeats as `FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1`, the last day of February: 29
 *   February in leap years, 28 February in others. A plain yearly rule on the 29th would fall
 *   only in leap years (RFC 5545 §3.3.10 drops recurrences on days that do not exist), so the
 *   birthday would vanish three years in four. A negative BYMONTHDAY is plain RFC 5545, which
 *   calendar engines expand (the tests check it with ical.js, Thunderbird's engine); 28 February
 *   is also the day most people keep such a birthday in common years.
 */
import { nameInOrder } from '../book/derive';
import { displayName, parseVCard, toContact, type DateValue } from '../vcard';
import { icsDate, icsLines, icsText, icsUtc, type IcsProperty } from './ics';

export type CalendarEventKind = 'birthday' | 'anniversary';

export interface CalendarContact {
  /** Stable per contact: the card's UID, or the store's id for a card without one. */
  readonly id: string;
  readonly vcard: string;
}

export interface BirthdayCalendarOptions {
  /** The calendar's name (X-WR-CALNAME), in the UI language. */
  readonly name: string;
  /** When the file is written (DTSTAMP); passed in so the output is reproducible. */
  readonly now: Date;
  /** The event's title in the UI language, e.g. "Ann Lee's birthday". */
  readonly title: (kind: CalendarEventKind, contactName: string, date: DateValue) => string;
  readonly kinds?: readonly CalendarEventKind[];
}

export interface SkippedDate {
  readonly id: string;
  readonly kind: CalendarEventKind;
  /** The date has no day or no month (a year alone, "1980-05"), or is text ("circa 1800"). */
  readonly reason: 'partial-date';
}

export interface BirthdayCalendar {
  readonly text: string;
  readonly events: number;
  readonly skipped: readonly SkippedDate[];
}

export const YEARLESS_START_YEAR = 2000;

/** A UID from the contact's id and the kind: stable, and safe in any calendar's UID field. */
export function eventUid(id: string, kind: CalendarEventKind): string {
  const safe = [...new TextEncoder().encode(id)].map((b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  return `${kind}-${safe}@birthdays.cardinal`;
}

function nextDay(year: number, month: number, day: number): [number, number, number] {
  const d = new Date(Date.UTC(year, month - 1, day + 1));
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

function event(id: string, kind: CalendarEventKind, date: DateValue, shown: string, options: BirthdayCalendarOptions): IcsProperty[] | null {
  if (date.month === null || date.day === null || date.text !== undefined) return null;
  const year = date.year ?? YEARLESS_START_YEAR;
  const leapDay = date.month === 2 && date.day === 29;
  const [endY, endM, endD] = nextDay(year, date.month, date.day);
  return [
    { name: 'BEGIN', value: 'VEVENT' },
    { name: 'UID', value: eventUid(id, kind) },
    { name: 'DTSTAMP', value: icsUtc(options.now) },
    { name: 'DTSTART', params: ';VALUE=DATE', value: icsDate(year, date.month, date.day) },
    { name: 'DTEND', params: ';VALUE=DATE', value: icsDate(endY, endM, endD) },
    { name: 'RRULE', value: leapDay ? 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1' : 'FREQ=YEARLY' },
    { name: 'SUMMARY', value: icsText(options.title(kind, shown, date)) },
    { name: 'CATEGORIES', value: kind === 'birthday' ? 'BIRTHDAY' : 'ANNIVERSARY' },
    // Free time: a birthday does not make anyone busy.
    { name: 'TRANSP', value: 'TRANSPARENT' },
    { name: 'END', value: 'VEVENT' },
  ];
}

/** The .ics text for these contacts' birthdays and anniversaries. */
export function birthdayCalendar(contacts: readonly CalendarContact[], options: BirthdayCalendarOptions): BirthdayCalendar {
  const kinds = options.kinds ?? ['birthday', 'anniversary'];
  const body: IcsProperty[] = [];
  const skipped: SkippedDate[] = [];
  let events = 0;
  for (const { id, vcard } of contacts) {
    const c = toContact(parseVCard(vcard));
    const shown = c.formattedName.trim() || nameInOrder(c) || displayName(c);
    for (const kind of kinds) {
      const date = kind === 'birthday' ? c.birthday : c.anniversary;
      if (date === null) continue;
      const lines = event(id, kind, date, shown, options);
      if (lines === null) skipped.push({ id, kind, reason: 'partial-date' });
      else {
        body.push(...lines);
        events++;
      }
    }
  }
  const text = icsLines([
    { name: 'BEGIN', value: 'VCALENDAR' },
    { name: 'VERSION', value: '2.0' },
    { name: 'PRODID', value: '-//Cardinal//Birthdays//EN' },
    { name: 'CALSCALE', value: 'GREGORIAN' },
    { name: 'METHOD', value: 'PUBLISH' },
    { name: 'X-WR-CALNAME', value: icsText(options.name) },
    ...body,
    { name: 'END', value: 'VCALENDAR' },
  ]);
  return { text, events, skipped };
}
