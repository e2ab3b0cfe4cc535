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
 * many soft line breaks costs linear time. With `onRun`, consecutive lines without a colon (see
 * StrayRun) are handed to it in one call instead of one `onLine` call each.
 */
export function forEachLogicalLine(
  input: string,
  maxLineLength: number,
  onLine: (text: string, line: number, tooLong: boolean) => void,
  onRun?: (run: StrayRun) => void,
  firstLine = 1,
): void {
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
  /** strayRun's own searches (see Seek), kept from one run to the next. */
  const seek: Seek = { lf: -2, cr: -2, colon: -2 };
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
          last = physical.charCodeAt(physical.length - 1);
          // The soft-broken lines after it (a value of 300,000 of them) taken in one step.
          const run = last === 0x3d ? softBreakRun(input, end, pos, maxLineLength - text.length - physical.length - 2) : null;
          if (run === null) text += '\r\n' + physical;
          else {
            const joined = input.slice(end - physical.length, run.end);
            text += '\r\n' + (run.crlf ? joined : joined.replace(/\r\n|\r|\n/g, '\r\n'));
            last = run.last;
            lineNo += run.count;
            pos = run.next;
          }
        }
      }
      continue;
    }
    flush();
    // Blank (or whitespace-only) lines separate nothing; only a line starting with a blank can be one.
    if (physical.length === 0 || ((first === 0x20 || first === 0x09) && physical.trim().length === 0)) continue;
    startLine = lineNo;
    tooLong = physical.length > maxLineLength;
    if (onRun !== undefined && !tooLong && first !== 0x20 && first !== 0x09 && physical.indexOf(':') < 0) {
      const run = strayRun(input, end - physical.length, end, pos, lineNo, physical.length, maxLineLength, seek);
      if (run !== null) {
        onRun(run);
        lineNo += run.count - 1;
        pos = run.next;
        continue;
      }
    }
    text = tooLong ? physical.slice(0, 200) : physical;
    qp = null;
    last = text.charCodeAt(text.length - 1);
  }
  flush();
}

/**
 * Consecutive physical lines without a colon, each a logical line of its own (none continued by a
 * fold, none blank, none over the line limit): the lines a parser joins to the value above. Given
 * whole, so that 300,000 of them are read in one pass rather than as 300,000 logical lines.
 */
export interface StrayRun {
  readonly input: string;
  /** input[start, end): the lines, with the line endings (CRLF, LF or CR) between them. */
  readonly start: number;
  readonly end: number;
  /** 1-based number of the first line; the others follow one by one. */
  readonly line: number;
  /** How many lines (2 or more). */
  readonly count: number;
  /** Their characters, line endings left out. */
  readonly chars: number;
  /** Where reading goes on after the run (after its last line's ending). */
  readonly next: number;
  /** Start and end of each of the first lines (up to BOUNDS_KEPT), two numbers a line: what a parser reads of them line by line (its warnings) needs no second search. */
  readonly bounds: readonly number[];
}

const BOUNDS_KEPT = 128;
/** A line of a run is searched a character at a time up to this length, past it by indexOf. */
const SHORT_LINE = 64;

/**
 * The next line feed, carriage return and colon at or after the last place each was looked for
 * from (-1: none up to the end; -2: not looked for yet). Each is looked for again only once the
 * reading has passed it, so the searches of all runs cover the input once.
 */
interface Seek {
  lf: number;
  cr: number;
  colon: number;
}

/**
 * The run of stray lines starting with the physical line at input[start, end) (one without a
 * colon; `next` is where the line after it starts), or null when no line after it joins the run.
 * A line continued by a fold on the line after it is left out (it is not a logical line by itself).
 * Short lines are read a character at a time (300,000 lines of one `=`); a long one's end and colon
 * are found by indexOf (a run of two lines of 600,000 characters).
 */
function strayRun(input: string, start: number, end: number, next: number, line: number, length: number, maxLineLength: number, seek: Seek): StrayRun | null {
  const n = input.length;
  let count = 1;
  let chars = length;
  let runEnd = end;
  let q = next;
  let prevEnd = runEnd;
  let prevQ = q;
  let prevChars = chars;
  const bounds = [start, end];
  while (q < n) {
    const c0 = input.charCodeAt(q);
    if (c0 === 0x20 || c0 === 0x09) {
      // A fold: the line before it goes on, so it is not one of the run.
      if (count === 1) return null;
      count--;
      runEnd = prevEnd;
      q = prevQ;
      chars = prevChars;
      if (bounds.length > 2 * count) bounds.length = 2 * count;
      break;
    }
    if (c0 === 0x0a || c0 === 0x0d) break; // a blank line: read as usual
    let i = q;
    let c = 0;
    const short = Math.min(n, q + SHORT_LINE);
    while (i < short) {
      c = input.charCodeAt(i);
      if (c === 0x3a || c === 0x0a || c === 0x0d) break;
      i++;
    }
    if (i === short && i < n) {
      // A long line: its end and its first colon, if any, by indexOf.
      if (seek.lf !== -1 && seek.lf < i) seek.lf = input.indexOf('\n', i);
      if (seek.cr !== -1 && seek.cr < i) seek.cr = input.indexOf('\r', i);
      if (seek.colon !== -1 && seek.colon < i) seek.colon = input.indexOf(':', i);
      const e = seek.lf === -1 ? (seek.cr === -1 ? n : seek.cr) : seek.cr === -1 ? seek.lf : Math.min(seek.lf, seek.cr);
      if (seek.colon !== -1 && seek.colon < e) {
        i = seek.colon;
        c = 0x3a;
      } else {
        i = e;
        c = i < n ? input.charCodeAt(i) : 0;
      }
    }
    if ((i < n && c === 0x3a) || i - q > maxLineLength) break;
    prevEnd = runEnd;
    prevQ = q;
    prevChars = chars;
    count++;
    chars += i - q;
    runEnd = i;
    if (bounds.length < 2 * BOUNDS_KEPT) bounds.push(q, i);
    q = i < n && c === 0x0d && input.charCodeAt(i + 1) === 0x0a ? i + 2 : i + 1;
  }
  if (count < 2) return null;
  return { input, start, end: runEnd, line, count, chars, next: q, bounds };
}

/**
 * The lines that go on a quoted-printable value after a soft break (the line ending at input[end],
 * `next` the start of the line after it), as the loop above would take them one by one: each not
 * blank, not a fold, not a card marker, within `room` characters with a CRLF before each, and
 * taken while the one before it ends in `=`. Null when there is none. `crlf` when every line
 * ending from `end` on is a CRLF (the text is then the input's as it is).
 */
function softBreakRun(input: string, end: number, next: number, room: number): { end: number; next: number; count: number; last: number; crlf: boolean } | null {
  const n = input.length;
  let crlf = input.charCodeAt(end) === 0x0d && input.charCodeAt(end + 1) === 0x0a;
  let count = 0;
  let runEnd = end;
  let last = 0x3d;
  let q = next;
  let used = 0;
  while (q < n && last === 0x3d) {
    const c0 = input.charCodeAt(q);
    if (c0 === 0x20 || c0 === 0x09 || c0 === 0x0a || c0 === 0x0d) break;
    let i = q;
    while (i < n) {
      const c = input.charCodeAt(i);
      if (c === 0x0a || c === 0x0d) break;
      i++;
    }
    const len = i - q;
    if (used + len + 2 > room || (len >= 9 && len <= 40 && isCardMarker(input.slice(q, i)))) break;
    used += len + 2;
    count++;
    runEnd = i;
    last = input.charCodeAt(i - 1);
    const pair = i < n && input.charCodeAt(i) === 0x0d && input.charCodeAt(i + 1) === 0x0a;
    q = pair ? i + 2 : i + 1;
    if (!pair && last === 0x3d) crlf = false; // (said of a line ending the run may not reach: then only a needless replace)
  }
  if (count === 0) return null;
  return { end: runEnd, next: q, count, last, crlf };
}

/** Each line of a run with its number, in order, until `f` returns false. */
export function forEachRunLine(run: StrayRun, f: (text: string, line: number) => boolean | void): void {
  const { input, end, bounds } = run;
  let pos = run.start;
  for (let k = 0; k < run.count; k++) {
    let i: number;
    if (2 * k < bounds.length) {
      pos = bounds[2 * k]!;
      i = bounds[2 * k + 1]!;
    } else {
      i = pos;
      while (i < end) {
        const c = input.charCodeAt(i);
        if (c === 0x0a || c === 0x0d) break;
        i++;
      }
    }
    if (f(input.slice(pos, i), run.line + k) === false) return;
    pos = i < end && input.charCodeAt(i) === 0x0d && input.charCodeAt(i + 1) === 0x0a ? i + 2 : i + 1;
  }
}
