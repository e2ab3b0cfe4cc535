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
  /** The 1-based line of the file the row starts on (a cell with line breaks makes rows and lines differ). */
  readonly line: number;
  readonly cells: readonly string[];
}

/**
 * `bad-quotes`: Papa Parse found a quote out of place in a row of one line. `run-together`: a
 * quote that is not closed where it should be made several lines of the file one row (Papa
 * Parse says so when the quote is never closed or closed before a letter; when a later quote
 * closes it cleanly nothing says so, and the row is found by its cell: lines in it that are rows
 * of the file themselves, with most of a row's delimiters). Neither row is imported.
 */
export interface CsvTableProblem {
  readonly row: number;
  readonly code: 'bad-quotes' | 'run-together';
  /** The lines the row spans: `line` where the quote is, `endLine` where its row ends. */
  readonly line: number;
  readonly endLine: number;
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
  const lines: number[] = [];
  let line = 1 + rowOffset;
  result.data.forEach((cells, i) => {
    lines.push(line);
    const start = line;
    line += 1 + cells.reduce((n, c) => n + lineBreaks(c), 0);
    if (cells.every((c) => c.trim() === '')) return; // blank lines and rows of empty cells
    rows.push({ row: i + 1 + rowOffset, line: start, cells });
  });
  const width = result.data[0]?.length ?? 0;
  const problems: CsvTableProblem[] = [];
  const quoted = new Set<number>();
  for (const e of result.errors) {
    if (e.type !== 'Quotes' || e.row === undefined || quoted.has(e.row)) continue;
    quoted.add(e.row);
    const start = lines[e.row] ?? line;
    const end = lastLine(result.data[e.row] ?? [], start);
    problems.push({ row: e.row + 1 + rowOffset, code: end > start ? 'run-together' : 'bad-quotes', line: start, endLine: end, message: e.message });
  }
  result.data.forEach((cells, i) => {
    if (quoted.has(i) || !cells.some((c) => holdsRows(c, used, width))) return;
    const start = lines[i]!;
    const end = lastLine(cells, start);
    problems.push({ row: i + 1 + rowOffset, code: 'run-together', line: start, endLine: end, message: `a quoted cell holds lines that are rows of the file (lines ${start}–${end})` });
  });
  problems.sort((a, b) => a.row - b.row);
  return { delimiter: used, rows, problems };
}

const LINE_BREAK = /\r\n|\n|\r/g;

/** The last line a row starting on `start` has text on (a quote never closed takes the file's last line break in too). */
function lastLine(cells: readonly string[], start: number): number {
  const breaks = cells.reduce((n, c) => n + lineBreaks(c), 0);
  return start + breaks - (/(\r\n|\n|\r)$/.test(cells.at(-1) ?? '') ? 1 : 0);
}

function lineBreaks(cell: string): number {
  if (!cell.includes('\n') && !cell.includes('\r')) return 0;
  return cell.match(LINE_BREAK)?.length ?? 0;
}

/**
 * A cell with lines in it that are rows of the file: some line (after the first, which the cell
 * starts in the middle of) with at least three quarters of the delimiters a row has (and at least
 * two) between two or more cells with text. A note or an address over several lines has a comma
 * or so per line, not a row's worth; a cell that really holds such lines is taken for rows run
 * together and not imported (said so, never silently).
 */
function holdsRows(cell: string, delimiter: CsvDelimiter, width: number): boolean {
  if (width < 3 || lineBreaks(cell) === 0) return false;
  const least = Math.max(2, Math.ceil((width - 1) * 0.75));
  return cell
    .split(LINE_BREAK)
    .slice(1)
    .some((l) => {
      const parts = l.split(delimiter);
      return parts.length - 1 >= least && parts.filter((p) => p.trim() !== '').length >= 2;
    });
}

/**
 * Rows to CSV text: every cell quoted (as Google and Outlook write theirs), CRLF line ends.
 * Cells starting with =, +, -, @ are not escaped: phone numbers start with "+", and both
 * importers read the cell as text.
 */
export function writeCsvTable(header: readonly string[], rows: readonly (readonly string[])[], delimiter: CsvDelimiter = ','): string {
  return `${Papa.unparse({ fields: [...header], data: rows.map((r) => [...r]) }, { quotes: true, delimiter, newline: '\r\n' })}\r\n`;
}
