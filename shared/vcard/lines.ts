/**
 * From input text to logical lines: line endings (CRLF, LF, CR), RFC 6350 §3.2 unfolding (a line
 * starting with a space or tab continues the previous one), vCard 2.1 quoted-printable soft line
 * breaks (a QP value ending in `=` continues on the next line, unless that line is BEGIN:VCARD or
 * END:VCARD), blank lines skipped. Each logical
 * line keeps the 1-based number of its first physical line, so errors can name it.
 */

/** One unfolded line; `tooLong` when it passed the limit (its text is then cut short). */
export interface LogicalLine {
  readonly text: string;
  readonly line: number;
  readonly tooLong: boolean;
}

const QP_MARK = /quoted-printable/i;

/** True when the head (before the first unquoted colon) asks for quoted-printable. */
function isQuotedPrintable(text: string): boolean {
  const colon = headEnd(text);
  return colon > 0 && QP_MARK.test(text.slice(0, colon));
}

/** Index of the colon that ends a content line's name and parameters, or -1. */
export function headEnd(text: string): number {
  const colon = text.indexOf(':');
  if (colon < 0) return -1;
  const quote = text.indexOf('"');
  if (quote < 0 || quote > colon) return colon; // the common case: no quoted parameter before it
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c && quoted) i++; // a backslash-escaped quote inside quotes (non-standard, seen)
    else if (c === 0x22) quoted = !quoted;
    else if (c === 0x3a && !quoted) return i;
  }
  // No colon outside quotes (an unbalanced quote, or every colon inside quotes): the first colon.
  // A line with a colon is always a content line, so what a value holds never decides whether the
  // line above it was one.
  return colon;
}

/** BEGIN:VCARD or END:VCARD (any case, trailing blanks, a group): never the continuation of a value. */
function isCardMarker(physical: string): boolean {
  // Cheap rejection first (this runs on every soft break): too short or too long, or ending in an
  // ASCII character that is neither the d of VCARD nor blank (what trim takes off).
  if (physical.length > 40 || physical.length < 9) return false;
  const c = physical.charCodeAt(physical.length - 1);
  if (c < 0x80 && c !== 0x20 && (c < 0x09 || c > 0x0d) && (c | 0x20) !== 0x64) return false;
  const t = physical.trim().toUpperCase();
  return t === 'BEGIN:VCARD' || t === 'END:VCARD' || t.endsWith('.BEGIN:VCARD') || t.endsWith('.END:VCARD');
}

/**
 * Calls `onLine` for each logical line, in order. A callback rather than a generator or an array:
 * this is the hottest loop of the codec and allocates nothing per line but the line's text.
 * Whether a logical line is quoted-printable is decided once, from its head, and its last
 * character is tracked as lines are added: the joined text is never searched again, so a value of
 * many soft line breaks costs linear time.
 */
export function forEachLogicalLine(input: string, maxLineLength: number, onLine: (text: string, line: number, tooLong: boolean) => void, firstLine = 1): void {
  let text: string | null = null;
  let startLine = 0;
  let tooLong = false;
  /** Quoted-printable: null until first asked (most lines never need the answer). */
  let qp: boolean | null = null;
  /** Last character code of `text`. */
  let last = -1;
  let pos = 0;
  let lineNo = firstLine - 1;
  const n = input.length;
  let nextLf = input.indexOf('\n');
  let nextCr = input.indexOf('\r');
  const flush = (): void => {
    if (text !== null) onLine(tooLong ? text.slice(0, 200) : text, startLine, tooLong);
    text = null;
  };
  while (pos < n) {
    // Find the end of this physical line with indexOf, remembering both searches between lines.
    if (nextLf !== -1 && nextLf < pos) nextLf = input.indexOf('\n', pos);
    if (nextCr !== -1 && nextCr < pos) nextCr = input.indexOf('\r', pos);
    let end = nextLf === -1 ? (nextCr === -1 ? n : nextCr) : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
    if (end < pos) end = n;
    const physical = input.slice(pos, end);
    lineNo++;
    pos = end < n && input.charCodeAt(end) === 0x0d && input.charCodeAt(end + 1) === 0x0a ? end + 2 : end + 1;

    const first = physical.charCodeAt(0);
    if (text !== null && (first === 0x20 || first === 0x09)) {
      if (!tooLong) {
        if (text.length + physical.length - 1 > maxLineLength) tooLong = true;
        else if (physical.length > 1) {
          text += physical.slice(1);
          last = physical.charCodeAt(physical.length - 1);
        }
      }
      continue;
    }
    if (text !== null && physical.length > 0 && last === 0x3d /* = */ && !isCardMarker(physical) && (qp ??= isQuotedPrintable(text))) {
      // Keep the soft break itself in the raw value: it is part of the QP text (the decoder drops
      // it) and the serializer writes it back as it was.
      if (!tooLong) {
        if (text.length + physical.length + 2 > maxLineLength) tooLong = true;
        else {
          text += '\r\n' + physical;
          last = physical.charCodeAt(physical.length - 1);
        }
      }
      continue;
    }
    flush();
    // Blank (or whitespace-only) lines separate nothing; only a line starting with a blank can be one.
    if (physical.length === 0 || ((first === 0x20 || first === 0x09) && physical.trim().length === 0)) continue;
    startLine = lineNo;
    tooLong = physical.length > maxLineLength;
    text = tooLong ? physical.slice(0, 200) : physical;
    qp = null;
    last = text.charCodeAt(text.length - 1);
  }
  flush();
}
