/**
 * One export, as the export worker runs it: cards (as stored) → the files to save and what the
 * chosen format cannot hold. Pure, so the worker and the tests run the same code; the cores do
 * the work (shared/export for vCard, shared/csv for Google and Outlook CSV, shared/calendar for
 * the birthdays calendar).
 */
import { birthdayCalendar } from '../../../../shared/calendar';
import { exportGoogleCsv, exportOutlookCsv, summarizeLosses, type CsvLoss, type CsvLossSummary, type OutlookLanguage } from '../../../../shared/csv';
import { checkPhotos, exportVCards, FileNamer, safeBaseName } from '../../../../shared/export';
import { displayName, parseVCard, serializeVCard, toContact } from '../../../../shared/vcard';
import { dateLocale, translator, type Language } from '../../i18n';
import { formatYear } from '../dates/format';

/** `vcard`: each card in the version it is stored in (re-imported, it is found identical). */
export type ExportFormat = 'vcard' | 'vcard-4.0' | 'vcard-3.0' | 'google-csv' | 'outlook-csv' | 'ics';

export interface ExportCardInput {
  /** Stable per contact (the store's id), for the calendar's event UIDs. */
  readonly id: string;
  readonly vcard: string;
  readonly favorite: boolean;
  /** The name the list shows, for the list of losses. */
  readonly name: string;
}

export interface ExportRequest {
  readonly format: ExportFormat;
  readonly cards: readonly ExportCardInput[];
  /** The file's name without extension (the book's name, "Contacts"). */
  readonly baseName: string;
  readonly layout: 'one-file' | 'file-per-contact';
  readonly photos: boolean;
  readonly outlookLanguage: OutlookLanguage;
  /** The UI language: the calendar's name and event titles. */
  readonly lang: Language;
  /** When the file is written (the calendar's DTSTAMP); now when left out. */
  readonly now?: number;
}

export interface ExportFile {
  readonly name: string;
  readonly mime: string;
  readonly bytes: Uint8Array;
}

export interface ExportResult {
  readonly files: ExportFile[];
  /** What the format could not hold, by kind (CSV formats), plus photos left out by choice or because they do not decode. */
  readonly losses: CsvLossSummary[];
  /** Calendar: events written, and dates without a day or month that could not be. */
  readonly events?: number;
  readonly skippedDates?: number;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

function hasPhoto(vcard: string): boolean {
  return parseVCard(vcard).properties.some((p) => p.name.toUpperCase() === 'PHOTO');
}

/** The cards as stored (no version conversion), photos left out if asked. */
function asStored(r: ExportRequest, base: string): { name: string; text: string }[] {
  const texts = r.cards.map((c) => (r.photos ? c.vcard : serializeVCard({ properties: parseVCard(c.vcard).properties.filter((p) => p.name.toUpperCase() !== 'PHOTO') })));
  if (r.layout === 'one-file') return [{ name: `${base}.vcf`, text: texts.join('') }];
  const namer = new FileNamer('.vcf');
  return texts.map((text) => ({ name: namer.next(displayName(toContact(parseVCard(text)))), text }));
}

export function runExport(r: ExportRequest): ExportResult {
  const base = safeBaseName(r.baseName, 'Contacts');
  if (r.format === 'vcard' || r.format === 'vcard-4.0' || r.format === 'vcard-3.0') {
    // A photo whose base64 does not decode is left out (said below), never passed on as a photo.
    const checked = r.photos ? r.cards.map((c) => checkPhotos(c.vcard)) : [];
    const brokenPhotos = r.cards.filter((_, i) => (checked[i]?.dropped ?? 0) > 0);
    if (r.photos) r = { ...r, cards: r.cards.map((c, i) => (checked[i]!.vcard === c.vcard ? c : { ...c, vcard: checked[i]!.vcard })) };
    const files = r.format === 'vcard' ? asStored(r, base) : exportVCards(
      r.cards.map((c) => c.vcard),
      { version: r.format === 'vcard-4.0' ? '4.0' : '3.0', photos: r.photos, layout: r.layout, fileName: base },
    );
    // Leaving photos out is the user's choice, but it is still said before the file is written.
    const withoutPhotos = r.photos ? [] : r.cards.filter((c) => hasPhoto(c.vcard));
    const losses: CsvLossSummary[] = withoutPhotos.length === 0 ? [] : [{ kind: 'photo', count: withoutPhotos.length, contacts: withoutPhotos.map((c) => c.name) }];
    if (brokenPhotos.length > 0) losses.push({ kind: 'broken-photo', count: brokenPhotos.length, contacts: brokenPhotos.map((c) => c.name) });
    return { files: files.map((f) => ({ name: f.name, mime: 'text/vcard;charset=utf-8', bytes: utf8(f.text) })), losses };
  }
  if (r.format === 'ics') {
    const t = translator(r.lang);
    const calendar = birthdayCalendar(r.cards, {
      name: t('calendar.name'),
      now: new Date(r.now ?? Date.now()),
      // A contact with nothing to name it by (only a birthday) is still someone's: "No name", never "Birthday of ".
      title: (kind, name, date) => t(kind === 'birthday' ? 'calendar.birthdayOf' : 'calendar.anniversaryOf', { name: name === '' ? t('list.noName') : name, year: date.year === null ? 0 : formatYear({ year: date.year, month: date.month, day: date.day }, dateLocale(r.lang, r.lang)) }),
    });
    return { files: [{ name: `${safeBaseName(t('calendar.fileName'), 'Birthdays')}.ics`, mime: 'text/calendar;charset=utf-8', bytes: utf8(calendar.text) }], losses: [], events: calendar.events, skippedDates: calendar.skipped.length };
  }
  const cards = r.cards.map((c) => ({ vcard: c.vcard, favorite: c.favorite }));
  const out = r.format === 'google-csv' ? exportGoogleCsv(cards) : exportOutlookCsv(cards, { language: r.outlookLanguage });
  const suffix = r.format === 'google-csv' ? 'Google' : 'Outlook';
  return { files: [{ name: `${base} (${suffix}).csv`, mime: 'text/csv;charset=utf-8', bytes: out.bytes }], losses: summarizeLosses(out.losses as CsvLoss[]) };
}
