/**
 * From input text to logical lines: line endings (CRLF, LF, CR), RFC 6350 §3.2 unfolding (a line
 * starting with a space or tab continues the previous one), vCard 2.1 quoted-printable soft line
 * breaks (a QP value ending in `=` continues on the next line), blank lines skipped. Each logical
 * line keeps the 1-based number of its first physical line, so errors can name it.
 */

export interface LogicalLine {
  text: string;
  line: number;
  /** Longer than the limit: the text is cut and the card it belongs to must be refused. */
  tooLong: boolean;
}

const QP_MARK = /quoted-printable/i;

/** True when the head (before the first unquoted colon) asks for quoted-printable. */
function isQuotedPrintable(text: string): boolean {
  const colon = headEnd(text);
  return colon > 0 && QP_MARK.test(text.slice(0, colon));
}

/** Index of the colon that ends a content line's name and parameters, or -1. */
export function headEnd(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c && quoted) i++; // a backslash-escaped quote inside quotes (non-standard, seen)
    else if (c === 0x22) quoted = !quoted;
    else if (c === 0x3a && !quoted) return i;
  }
  // An unbalanced quote must not hide the colon: fall back to the first one.
  return quoted ? text.indexOf(':') : -1;
}

export function* logicalLines(input: string, maxLineLength: number): Generator<LogicalLine> {
  let current: LogicalLine | null = null;
  let pos = 0;
  let lineNo = 0;
  const n = input.length;
  while (pos < n) {
    // Find the end of this physical line by hand: faster than split() on large inputs and it never
    // holds a second copy of the whole text.
    let end = pos;
    while (end < n) {
      const c = input.charCodeAt(end);
      if (c === 0x0a || c === 0x0d) break;
      end++;
    }
    const physical = input.slice(pos, end);
    lineNo++;
    if (end < n && input.charCodeAt(end) === 0x0d && input.charCodeAt(end + 1) === 0x0a) pos = end + 2;
    else pos = end + 1;

    const first = physical.charCodeAt(0);
    if (current !== null && (first === 0x20 || first === 0x09)) {
      append(current, physical.slice(1), maxLineLength);
      continue;
    }
    if (current !== null && physical.length > 0 && current.text.endsWith('=') && isQuotedPrintable(current.text)) {
      // Keep the soft break itself in the raw value: it is part of the QP text (the decoder drops
      // it) and the serializer writes it back as it was.
      append(current, '\r\n' + physical, maxLineLength);
      continue;
    }
    if (current !== null) yield current;
    current = null;
    if (physical.length === 0 || physical.trim().length === 0) continue;
    current = { text: '', line: lineNo, tooLong: false };
    append(current, physical, maxLineLength);
  }
  if (current !== null) yield current;
}

function append(line: LogicalLine, text: string, max: number): void {
  if (line.tooLong) return;
  if (line.text.length + text.length > max) {
    line.tooLong = true;
    line.text = line.text.slice(0, 200);
    return;
  }
  line.text += text;
}
