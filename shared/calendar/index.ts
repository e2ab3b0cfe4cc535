/** The birthdays and anniversaries calendar (.ics). */
export { birthdayCalendar, eventUid, YEARLESS_START_YEAR, type BirthdayCalendar, type BirthdayCalendarOptions, type CalendarContact, type CalendarEventKind, type SkippedDate } from './birthdays';
