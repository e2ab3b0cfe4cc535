/**
 * CSV text ↔ rows of cells, through Papa Parse. The delimiter is the one the file uses among
 * comma, semicolon (Excel in most of Europe) and tab (Excel's "Unicode text"), or the one an
 * Excel `sep=;` first line declares. Rows keep their 1-based row number as a spreadsheet shows
 * it, so an error can point at the row the user sees.
 */
import Papa from 'papaparse';

export const CSV_DELIMITERS = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export interface CsvRow {
  /** 1-based, counting the header row and blank rows, as a spreadsheet numbers them. */
  readonly row: number;
  readonly cells: readonly string[];
}

export interface CsvTableProblem {
  readonly row: number;
  readonly code: 'bad-quotes';
  readonly message: string;
}

export interface CsvTable {
  readonly delimiter: CsvDelimiter;
  /** Every non-blank row, the header (if any) first. */
  readonly rows: readonly CsvRow[];
  readonly problems: readonly CsvTableProblem[];
}

const SEP_LINE = /^\s*"?sep=([,;\t])"?\s*(\r\n|\n|\r|$)/i;

/**
 * The delimiter that splits the first rows into the most columns, the same number in nearly every
 * row. (Papa Parse's own guess can be led astray by delimiters inside quoted cells: a quoted
 * header with a ";" in a cell below was read as one column.)
 */
function guessDelimiter(text: string): CsvDelimiter {
  let best: CsvDelimiter = ',';
  let bestWidth = 1;
  for (const d of CSV_DELIMITERS) {
    const rows = Papa.parse(text, { delimiter: d, header: false, skipEmptyLines: 'greedy', preview: 20 }).data;
    const width = rows[0]?.length ?? 0;
    const steady = rows.filter((r) => r.length === width).length >= rows.length * 0.8;
    if (steady && width > bestWidth) {
      best = d;
      bestWidth = width;
    }
  }
  return best;
}

/** Split CSV text into rows. `delimiter` forces one; otherwise it is detected. */
export function parseCsvTable(text: string, delimiter?: CsvDelimiter): CsvTable {
  let body = text;
  let declared: CsvDelimiter | undefined;
  let rowOffset = 0;
  const sep = SEP_LINE.exec(body);
  if (sep !== null) {
    declared = sep[1] as CsvDelimiter;
    body = body.slice(sep[0].length);
    rowOffset = 1;
  }
  const used = delimiter ?? declared ?? guessDelimiter(body);
  const result = Papa.parse(body, { delimiter: used, header: false, skipEmptyLines: false });
  const rows: CsvRow[] = [];
  result.data.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return; // blank lines and rows of empty cells
    rows.push({ row: i + 1 + rowOffset, cells });
  });
  const problems: CsvTableProblem[] = result.errors
    .filter((e) => e.type === 'Quotes')
    .map((e) => ({ row: (e.row ?? 0) + 1 + rowOffset, code: 'bad-quotes', message: e.message }));
  return { delimiter: used, rows, problems };
}

/**
 * Rows to CSV text: every cell quoted (as Google and Outlook write theirs), CRLF line ends.
 * Cells starting with =, +, -, @ are not escaped: phone numbers start with "+", and both
 * importers read the cell as text.
 */
export function writeCsvTable(header: readonly string[], rows: readonly (readonly string[])[], delimiter: CsvDelimiter = ','): string {
  return `${Papa.unparse({ fields: [...header], data: rows.map((r) => [...r]) }, { quotes: true, delimiter, newline: '\r\n' })}\r\n`;
}
