/**
 * Which format a CSV is in, and the column mapping that reads it. Each known format is tried on
 * the header row; the one that names the most columns wins if it names enough of them. Any other
 * CSV gets a mapping proposed column by column (aliases.ts), which the user can change.
 */
import { looksLikeData, proposeTarget } from './aliases';
import { googleTarget, isLegacyGoogleHeader, normalizeHeader } from './google-columns';
import { outlookHeaderIndex, type OutlookLanguage } from './outlook-columns';
import type { ColumnMapping, ColumnTarget, CsvFormatId, DateOrder } from './targets';

/**
 * A file is taken for a known format when that format names nearly all its columns (its own
 * exports name every one). A spreadsheet that merely shares a few headers ("First Name",
 * "Birthday") is read column by column instead, so its other columns are not left out.
 */
const ENOUGH = 0.9;

const OUTLOOK: readonly { format: CsvFormatId; language: OutlookLanguage; dateOrder: DateOrder }[] = [
  { format: 'outlook-en', language: 'en', dateOrder: 'mdy' },
  { format: 'outlook-de', language: 'de', dateOrder: 'dmy' },
  { format: 'outlook-fr', language: 'fr', dateOrder: 'dmy' },
];

function googleMapping(header: readonly string[]): ColumnMapping & { matched: number } {
  const columns = header.map(googleTarget);
  const legacy = header.some(isLegacyGoogleHeader);
  return { format: legacy ? 'google-legacy' : 'google', columns, dateOrder: 'ymd', hasHeader: true, matched: columns.filter((c) => c !== null).length };
}

const outlookIndexes = new Map(OUTLOOK.map((o) => [o.language, outlookHeaderIndex(o.language, normalizeHeader)]));

function outlookMapping(header: readonly string[], language: OutlookLanguage, format: CsvFormatId, dateOrder: DateOrder): ColumnMapping & { matched: number } {
  const index = outlookIndexes.get(language)!;
  const seen = new Map<string, number>();
  const columns = header.map((h): ColumnTarget | null => {
    const key = normalizeHeader(h);
    const candidates = index.get(key);
    if (candidates === undefined) return null;
    // The n-th column with a repeated name is the n-th column of that name (French "Titre").
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return candidates[Math.min(n, candidates.length - 1)]!.target;
  });
  return { format, columns, dateOrder, hasHeader: true, matched: columns.filter((c) => c !== null).length };
}

/** Numeric dates in the sample: a first number above 12 means day first, a second above 12 month first. */
export function guessDateOrder(values: readonly string[]): DateOrder {
  let dmy = 0;
  let mdy = 0;
  for (const v of values) {
    const m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})$/.exec(v.trim());
    if (m === null) continue;
    if (Number(m[1]) > 12) dmy++;
    else if (Number(m[2]) > 12) mdy++;
    else if (v.includes('.')) dmy++; // dotted dates are day-first wherever they are written
  }
  return dmy > mdy ? 'dmy' : mdy > 0 ? 'mdy' : 'ymd';
}

/** What Google's or Outlook's sets mean by a header, for a column of a file in neither. */
function knownTarget(header: string): ColumnTarget | null {
  const google = googleTarget(header);
  if (google !== null) return google;
  for (const index of outlookIndexes.values()) {
    const col = index.get(normalizeHeader(header))?.[0];
    if (col !== undefined) return col.target;
  }
  return null;
}

function customMapping(header: readonly string[], sampleRows: readonly (readonly string[])[]): ColumnMapping {
  const hasHeader = !looksLikeData(header);
  const rows = hasHeader ? sampleRows : [header, ...sampleRows];
  const columns = header.map((h, i) => (hasHeader ? proposeTarget(h, rows.map((r) => r[i] ?? ''), knownTarget) : proposeTarget('', rows.map((r) => r[i] ?? ''), () => null)));
  const dateColumns = columns.flatMap((c, i) => (c?.kind === 'single' && (c.field === 'birthday' || c.field === 'anniversary') ? rows.map((r) => r[i] ?? '') : []));
  return { format: 'custom', columns, dateOrder: guessDateOrder(dateColumns), hasHeader };
}

/** The mapping for a CSV: its known format's, else one proposed from its header and first rows. */
export function proposeMapping(header: readonly string[], sampleRows: readonly (readonly string[])[]): ColumnMapping {
  const candidates = [googleMapping(header), ...OUTLOOK.map((o) => outlookMapping(header, o.language, o.format, o.dateOrder))];
  const best = candidates.reduce((a, b) => (b.matched > a.matched ? b : a));
  const named = header.filter((h) => h.trim() !== '').length;
  if (best.matched > 0 && best.matched >= named * ENOUGH) {
    const { matched: _matched, ...mapping } = best;
    return mapping;
  }
  return customMapping(header, sampleRows);
}
