/**
 * CSV import: bytes → a preview (encoding, delimiter, format, header, first rows, proposed
 * mapping) → vCards and a per-row error list. The vCards are what a .vcf import reads, so the
 * window's import takes them the same way (`vcf` through the import worker: UIDs added, the
 * summary, identical and changed cards sorted out against the book).
 */
import { serializeVCard } from '../vcard';
import { draftToCard } from './card-builder';
import { decodeCsvBytes, type CsvEncoding, type EncodingDoubt } from './encoding';
import { proposeMapping } from './mapping';
import { readRow, type RowProblemCode } from './row-reader';
import { parseCsvTable, type CsvDelimiter, type CsvRow } from './table';
import type { ColumnMapping, CsvFormatId } from './targets';

export interface CsvReadOptions {
  /** Read the bytes in this encoding instead of the detected one. */
  readonly encoding?: CsvEncoding;
  readonly delimiter?: CsvDelimiter;
}

export interface CsvPreview {
  readonly encoding: CsvEncoding;
  readonly delimiter: CsvDelimiter;
  readonly format: CsvFormatId;
  /** The column names (the first row; "Column N" when the file has no header row). */
  readonly header: readonly string[];
  /** The first rows of data, for the mapping step's preview. */
  readonly sample: readonly (readonly string[])[];
  /** Rows of data in the file. */
  readonly rowCount: number;
  readonly mapping: ColumnMapping;
  /** When the encoding was not certain: the one detected (`encoding` may be the user's choice) and why (the import says so and offers the others). */
  readonly detected?: CsvEncoding;
  readonly doubt?: EncodingDoubt;
  /** Rows with broken quotes, `run-together` ones spanning several lines of the file: shown before anything is imported. */
  readonly quoteProblems: readonly CsvRowError[];
}

export type CsvErrorCode = RowProblemCode | 'bad-quotes' | 'run-together' | 'empty-row' | 'no-data' | 'too-many-rows';

export interface CsvRowError {
  /** The row as a spreadsheet numbers it (the header is row 1); 0 for the file as a whole. */
  readonly row: number;
  /** For quotes: the lines of the file the row spans (`run-together`: several rows of the file read as one). */
  readonly line?: number;
  readonly endLine?: number;
  readonly code: CsvErrorCode;
  /** The column's header, when the error is in one cell. */
  readonly column?: string;
  readonly value?: string;
  /** An English sentence for logs; the UI words it from `code`, `column` and `value`. */
  readonly message: string;
}

export interface CsvCard {
  /** vCard 3.0 text, without a UID (the import adds one). */
  readonly vcard: string;
  readonly row: number;
  /** Google's "* starred": the import makes it a favourite. */
  readonly starred: boolean;
}

export interface CsvImportResult {
  readonly format: CsvFormatId;
  readonly encoding: CsvEncoding;
  readonly delimiter: CsvDelimiter;
  readonly cards: readonly CsvCard[];
  /** Every card, in row order, as one .vcf text: what the .vcf import path reads. */
  readonly vcf: string;
  /** Rows not imported (`empty-row`, `bad-quotes`, ...) and cells read with a warning (`bad-date`, kept as a custom field). */
  readonly errors: readonly CsvRowError[];
}

/** The most data rows one file may have (four times the 50,000-contact books Cardinal is built for); the rest are reported. */
export const MAX_ROWS = 200_000;
const SAMPLE_ROWS = 5;

interface Table {
  encoding: CsvEncoding;
  detected?: CsvEncoding;
  doubt?: EncodingDoubt;
  delimiter: CsvDelimiter;
  header: readonly string[];
  data: readonly CsvRow[];
  errors: CsvRowError[];
}

function readTable(bytes: Uint8Array, options: CsvReadOptions, hasHeader: boolean | undefined): Table {
  const decoded = decodeCsvBytes(bytes, options.encoding);
  const table = parseCsvTable(decoded.text, options.delimiter);
  const errors: CsvRowError[] = table.problems.map((p) => ({ row: p.row, code: p.code, line: p.line, endLine: p.endLine, message: `row ${p.row} (lines ${p.line}–${p.endLine}): ${p.message}` }));
  const [first, ...rest] = table.rows;
  const header = first?.cells ?? [];
  const doubt = decoded.doubt === undefined || decoded.detected === undefined ? {} : { detected: decoded.detected, doubt: decoded.doubt };
  return { encoding: decoded.encoding, ...doubt, delimiter: table.delimiter, header, data: hasHeader === false && first !== undefined ? table.rows : rest, errors };
}

const columnNames = (width: number): string[] => Array.from({ length: width }, (_, i) => `Column ${i + 1}`);

/** Read a CSV far enough to show what it is and how its columns would be read. */
export function previewCsv(bytes: Uint8Array, options: CsvReadOptions = {}): CsvPreview {
  const table = readTable(bytes, options, undefined);
  const sample = table.data.slice(0, SAMPLE_ROWS).map((r) => r.cells);
  const mapping = proposeMapping(table.header, sample);
  const header = mapping.hasHeader ? table.header : columnNames(table.header.length);
  const shown = mapping.hasHeader ? sample : [table.header, ...sample].slice(0, SAMPLE_ROWS);
  const doubt = table.doubt === undefined || table.detected === undefined ? {} : { detected: table.detected, doubt: table.doubt };
  return { encoding: table.encoding, ...doubt, delimiter: table.delimiter, format: mapping.format, header, sample: shown, rowCount: table.data.length + (mapping.hasHeader ? 0 : 1), mapping, quoteProblems: table.errors };
}

/** Import a CSV with a mapping (the proposed one when none is given). */
export function importCsv(bytes: Uint8Array, options: CsvReadOptions & { readonly mapping?: ColumnMapping } = {}): CsvImportResult {
  const proposed = options.mapping ?? previewCsv(bytes, options).mapping;
  const table = readTable(bytes, options, proposed.hasHeader);
  const header = proposed.hasHeader ? table.header : columnNames(Math.max(table.header.length, proposed.columns.length));
  const errors = [...table.errors];
  const cards: CsvCard[] = [];
  if (table.data.length === 0) errors.push({ row: 0, code: 'no-data', message: 'the file has no rows of contacts' });
  const quoted = new Set(table.errors.map((e) => e.row));
  for (const { row, cells } of table.data.slice(0, MAX_ROWS)) {
    if (quoted.has(row)) continue; // a row whose quotes are broken has its cells shifted (or other rows in it): not guessed at
    const read = readRow(cells, header, proposed);
    for (const p of read.problems) errors.push({ row, code: p.code, column: p.column, value: p.value, message: `row ${row}, ${p.column}: ${p.code} "${p.value}"` });
    if (!read.hasContent) {
      errors.push({ row, code: 'empty-row', message: `row ${row}: nothing in the columns that are imported` });
      continue;
    }
    cards.push({ vcard: serializeVCard(draftToCard(read.draft)), row, starred: read.starred });
  }
  if (table.data.length > MAX_ROWS) {
    const row = table.data[MAX_ROWS]!.row;
    errors.push({ row, code: 'too-many-rows', message: `rows from ${row} on were not read: more than ${MAX_ROWS} contacts in one file` });
  }
  errors.sort((a, b) => a.row - b.row);
  return { format: proposed.format, encoding: table.encoding, delimiter: table.delimiter, cards, vcf: cards.map((c) => c.vcard).join(''), errors };
}
