import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { birthdayCalendar, eventUid, type CalendarContact } from '../../../shared/calendar';

const vcard = (fn: string, ...lines: string[]) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${fn}\r\n${lines.map((l) => `${l}\r\n`).join('')}END:VCARD\r\n`;

const contacts: CalendarContact[] = [
  { id: 'urn:uuid:grace', vcard: vcard('Grace Hopper', 'BDAY:1906-12-09', 'X-ANNIVERSARY:1930-06-15') },
  { id: 'urn:uuid:leap', vcard: vcard('Leap; Day, Person', 'BDAY:1996-02-29') },
  { id: 'urn:uuid:yearless', vcard: vcard('Tsubasa', 'BDAY:--0514') },
  { id: 'urn:uuid:yearless-leap', vcard: vcard('No-year leapling', 'BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29') },
  { id: 'urn:uuid:partial', vcard: vcard('Only a year', 'BDAY:1980') },
  { id: 'urn:uuid:none', vcard: vcard('No dates') },
  { id: 'مریم', vcard: vcard('مریم میرزاخانی', 'BDAY:1977-05-12') },
];

const options = {
  name: 'Birthdays',
  now: new Date(Date.UTC(2026, 11, 1, 10, 15, 0)),
  title: (kind: 'birthday' | 'anniversary', name: string, date: { year: number | null }) => (kind === 'birthday' ? `${name}'s birthday${date.year === null ? '' : ` (${date.year})`}` : `${name}'s anniversary`),
};

const calendar = birthdayCalendar(contacts, options);
const vcalendar = new ICAL.Component(ICAL.parse(calendar.text));
const events = vcalendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
const byUid = new Map(events.map((e) => [e.uid, e]));

/** The dates (YYYY-MM-DD) an event falls on in a year, expanded by ical.js. */
function occurrencesIn(uid: string, year: number): string[] {
  const e = byUid.get(uid)!;
  const it = e.iterator();
  const out: string[] = [];
  for (let next = it.next(); next !== null && next.year <= year; next = it.next()) {
    if (next.year === year) out.push(next.toString());
  }
  return out;
}

describe('the birthdays calendar', () => {
  it('parses with ical.js as a calendar with its name', () => {
    expect(vcalendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(vcalendar.getFirstPropertyValue('x-wr-calname')).toBe('Birthdays');
  });

  it('has one yearly all-day event per birthday and anniversary, and says which dates it could not use', () => {
    expect(calendar.events).toBe(6);
    expect(events).toHaveLength(6);
    for (const e of events) {
      expect(e.startDate.isDate).toBe(true);
      expect(e.isRecurring()).toBe(true);
      expect(e.component.getFirstPropertyValue('rrule')?.toString()).toMatch(/^FREQ=YEARLY/);
    }
    expect(calendar.skipped).toEqual([{ id: 'urn:uuid:partial', kind: 'birthday', reason: 'partial-date' }]);
  });

  it('starts a birthday on the day of birth and repeats it every year', () => {
    const grace = byUid.get(eventUid('urn:uuid:grace', 'birthday'))!;
    expect(grace.startDate.toString()).toBe('1906-12-09');
    expect(grace.endDate.toString()).toBe('1906-12-10');
    expect(grace.summary).toBe("Grace Hopper's birthday (1906)");
    expect(occurrencesIn(grace.uid, 2025)).toEqual(['2025-12-09']);
    expect(byUid.get(eventUid('urn:uuid:grace', 'anniversary'))!.summary).toBe("Grace Hopper's anniversary");
  });

  it('keeps 29 February in leap years and moves it to 28 February in the others', () => {
    const leap = eventUid('urn:uuid:leap', 'birthday');
    expect(occurrencesIn(leap, 2024)).toEqual(['2024-02-29']);
    expect(occurrencesIn(leap, 2025)).toEqual(['2025-02-28']);
    expect(occurrencesIn(leap, 2100)).toEqual(['2100-02-28']); // not a leap year
    expect(occurrencesIn(leap, 2000)).toEqual(['2000-02-29']);
  });

  it('starts year-less birthdays in 2000, 29 February included, with no year in the title', () => {
    const yearless = byUid.get(eventUid('urn:uuid:yearless', 'birthday'))!;
    expect(yearless.startDate.toString()).toBe('2000-05-14');
    expect(yearless.summary).toBe("Tsubasa's birthday");
    expect(occurrencesIn(yearless.uid, 2026)).toEqual(['2026-05-14']);
    const leapling = eventUid('urn:uuid:yearless-leap', 'birthday');
    expect(byUid.get(leapling)!.startDate.toString()).toBe('2000-02-29');
    expect(occurrencesIn(leapling, 2027)).toEqual(['2027-02-28']);
    expect(occurrencesIn(leapling, 2028)).toEqual(['2028-02-29']);
  });

  it('escapes text and folds long lines so the title reads back exactly', () => {
    expect(byUid.get(eventUid('urn:uuid:leap', 'birthday'))!.summary).toBe("Leap; Day, Person's birthday (1996)");
    expect(calendar.text).toContain('SUMMARY:Leap\\; Day\\, Person');
    const long = 'Ü'.repeat(60);
    const text = birthdayCalendar([{ id: 'x', vcard: vcard(long, 'BDAY:2001-01-01') }], options).text;
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!).summary).toBe(`${long}'s birthday (2001)`);
  });

  it('gives each contact and kind the same UID every time, so a subscribed calendar updates in place', () => {
    const again = birthdayCalendar([...contacts].reverse(), { ...options, now: new Date(Date.UTC(2027, 0, 1)) });
    const uids = (text: string) => new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => v.getFirstPropertyValue('uid')).sort();
    expect(uids(again.text)).toEqual(uids(calendar.text));
    expect(new Set(uids(calendar.text)).size).toBe(6);
    expect(eventUid('مریم', 'birthday')).toBe('birthday-%D9%85%D8%B1%DB%8C%D9%85@birthdays.cardinal');
  });

  it('writes CRLF line ends and a DTSTAMP from the time given', () => {
    expect(calendar.text.split('\r\n').every((l) => !l.includes('\n'))).toBe(true);
    expect(calendar.text).toContain('DTSTAMP:20261201T101500Z');
  });
});
