/**
 * A card as it comes back from a CSV Cardinal writes: written as Google's or Outlook's CSV and
 * read again. A CSV carries no UID, and each format keeps only some of a card (Outlook no e-mail
 * kinds, Google no display name beside the name parts), so a card read from such a file is
 * compared with a contact here as that contact would come back through the same format: the
 * same after the round trip is the same contact (the import's "already here").
 */
import { contentKey } from '../book/identity';
import { parseVCard } from '../vcard';
import { exportGoogleCsv } from './export-google';
import { exportOutlookCsv } from './export-outlook';
import { importCsv } from './import';
import type { CsvFormatId } from './targets';

/** The formats Cardinal writes: the others (Google's older set, a CSV mapped by hand) have no round trip. */
export function hasRoundTrip(format: CsvFormatId): boolean {
  return format === 'google' || format === 'outlook-en' || format === 'outlook-de' || format === 'outlook-fr';
}

/**
 * Each vCard written in `format` and read back, in one file for all of them: the card as the
 * import would read it (no UID), or null when nothing of it comes back (a row with nothing in it,
 * or a format Cardinal does not write).
 */
export function csvRoundTrip(format: CsvFormatId, vcards: readonly string[]): (string | null)[] {
  if (!hasRoundTrip(format) || vcards.length === 0) return vcards.map(() => null);
  const cards = vcards.map((vcard) => ({ vcard }));
  const out = format === 'google' ? exportGoogleCsv(cards) : exportOutlookCsv(cards, { language: format === 'outlook-de' ? 'de' : format === 'outlook-fr' ? 'fr' : 'en' });
  const back: (string | null)[] = vcards.map(() => null);
  // Row 1 is the header: the card at index i is row i + 2 (a row with nothing in it is no card).
  for (const c of importCsv(out.bytes).cards) if (c.row >= 2 && c.row - 2 < back.length) back[c.row - 2] = c.vcard;
  return back;
}

/** The content keys (shared/book/identity.ts) of the cards `csvRoundTrip` gives back: what the import compares. */
export function csvRoundTripKeys(format: CsvFormatId, vcards: readonly string[]): (string | null)[] {
  return csvRoundTrip(format, vcards).map((v) => (v === null ? null : contentKey(parseVCard(v))));
}
