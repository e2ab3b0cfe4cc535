/**
 * Runs of lines read in one step (issue 16's last hangs: files of 300,000 lone `=` lines): a run
 * of lines without a colon joined to the value above, and a run of quoted-printable soft breaks.
 * Each must give what reading them one line at a time gave: the same logical lines (checked
 * against the reader as it was, below), the same value, the same warnings, the same error at the
 * same line when a limit is passed inside a run. The time they take is the bench's
 * ("stray lines joined to a value"), never asserted here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachLogicalLine, forEachRunLine, headEnd } from '../../../shared/vcard/lines';
import { parseVCard, parseVCards, serializeVCard, toContact } from '../../../shared/vcard';

/** The reader before runs (lines.ts before them), one physical line at a time: the oracle. */
function referenceLines(input: string, maxLineLength: number): [string, number, boolean][] {
  const out: [string, number, boolean][] = [];
  const isCardMarker = (physical: string): boolean => {
    if (physical.length > 40 || physical.length < 9) return false;
    const c = physical.charCodeAt(physical.length - 1);
    if (c < 0x80 && c !== 0x20 && (c < 0x09 || c > 0x0d) && (c | 0x20) !== 0x64) return false;
    const t = physical.trim().toUpperCase();
    return t === 'BEGIN:VCARD' || t === 'END:VCARD' || t.endsWith('.BEGIN:VCARD') || t.endsWith('.END:VCARD');
  };
  const isQuotedPrintable = (text: string): boolean => {
    const colon = headEnd(text);
    return colon > 0 && /quoted-printable/i.test(text.slice(0, colon));
  };
  let text: string | null = null;
  let startLine = 0;
  let tooLong = false;
  let qp: boolean | null = null;
  let last = -1;
  let pos = 0;
  let lineNo = 0;
  const n = input.length;
  const flush = (): void => {
    if (text !== null) out.push([tooLong ? text.slice(0, 200) : text, startLine, tooLong]);
    text = null;
  };
  while (pos < n) {
    let end = pos;
    while (end < n && input[end] !== '\n' && input[end] !== '\r') end++;
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
    if (text !== null && physical.length > 0 && last === 0x3d && !isCardMarker(physical) && (qp ??= isQuotedPrintable(text))) {
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
    if (physical.length === 0 || ((first === 0x20 || first === 0x09) && physical.trim().length === 0)) continue;
    startLine = lineNo;
    tooLong = physical.length > maxLineLength;
    text = tooLong ? physical.slice(0, 200) : physical;
    qp = null;
    last = text.charCodeAt(text.length - 1);
  }
  flush();
  return out;
}

/** The reader as the parser runs it, every run given back line by line. */
function readerLines(input: string, maxLineLength: number): [string, number, boolean][] {
  const out: [string, number, boolean][] = [];
  forEachLogicalLine(
    input,
    maxLineLength,
    (text, line, tooLong) => out.push([text, line, tooLong]),
    (run) => forEachRunLine(run, (text, line) => void out.push([text, line, false])),
  );
  return out;
}

const card = (...lines: string[]) => `BEGIN:VCARD\r\n${lines.join('\r\n')}\r\nEND:VCARD\r\n`;

describe('the line reader with runs', () => {
  it('gives the logical lines the one-line-at-a-time reader gave, on lines of stray text, soft breaks, folds, blanks and markers in any line endings', () => {
    const piece = fc.constantFrom('=', '==', 'x', 'a=', ' folded', '\tfolded', ' ', '', 'NOTE:v', 'NOTE;ENCODING=QUOTED-PRINTABLE:a=', 'TEL;QUOTED-PRINTABLE:1=', 'BEGIN:VCARD', 'END:VCARD', ' END:VCARD', 'item1.END:VCARD', 'VCARD', ':lead', '"q', 'é=', '😀', 'x'.repeat(30), 'x'.repeat(100), `${'y'.repeat(80)}:v`, `${'z'.repeat(70)}=`);
    const eol = fc.constantFrom('\r\n', '\n', '\r');
    const input = fc.array(fc.tuple(piece, fc.integer({ min: 1, max: 6 }), eol), { maxLength: 40 }).map((parts) => parts.map(([p, times, e]) => `${p}${e}`.repeat(times)).join(''));
    fc.assert(
      fc.property(input, fc.constantFrom(10, 40, 90, 1000), fc.boolean(), (text, max, cut) => {
        const t = cut ? text.replace(/(\r\n|\r|\n)$/, '') : text;
        expect(readerLines(t, max)).toEqual(referenceLines(t, max));
      }),
      { numRuns: 3000, seed: 16 },
    );
  });

  it('leaves out of a run the last line when a fold continues it', () => {
    const lines = readerLines('NOTE:a\r\nb\r\nc\r\n d\r\nTEL:1\r\n', 1000);
    expect(lines).toEqual([
      ['NOTE:a', 1, false],
      ['b', 2, false],
      ['cd', 3, false],
      ['TEL:1', 5, false],
    ]);
  });
});

describe('300,000 lone = lines', () => {
  const eols = [
    ['CRLF', '\r\n'],
    ['LF', '\n'],
    ['CR', '\r'],
  ] as const;

  it.each(eols)('joins them to the NOTE above as line breaks, with 100 warnings and one more (%s)', (_name, eol) => {
    const text = ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Ann', 'NOTE:x', ...Array.from({ length: 300_000 }, () => '='), 'TEL:1', 'END:VCARD', ''].join(eol);
    const r = parseVCards(text);
    expect(r.errors).toEqual([]);
    const [parsed] = r.cards;
    expect(parsed!.card.properties.map((p) => p.name)).toEqual(['VERSION', 'FN', 'NOTE', 'TEL']);
    expect(parsed!.card.properties[2]!.value).toBe(`x${'\\n='.repeat(300_000)}`);
    expect(toContact(parsed!.card).note).toBe(`x${'\n='.repeat(300_000)}`);
    expect(parsed!.warnings).toHaveLength(101);
    expect(parsed!.warnings[0]).toEqual({ code: 'bad-line', line: 5, message: 'line without a colon joined to the value above: "="', repair: 'joined', text: '=' });
    expect(parsed!.warnings[99]!.line).toBe(104);
    expect(parsed!.warnings[100]).toEqual({ code: 'bad-line', line: 105, message: 'more lines without a colon were joined to the values above them or left out' });
    expect(parseVCard(serializeVCard(parsed!.card))).toEqual(parsed!.card);
  });

  it('gives an empty value the first line as it is, and the others after a line break', () => {
    const c = parseVCard(card('VERSION:2.1', 'ADR:', ';;1 Main St;Town;;;', '=', '='));
    expect(c.properties.find((p) => p.name === 'ADR')!.value).toBe(';;1 Main St;Town;;;\\n=\\n=');
  });

  it('leaves them out after a single-line property with a value, each counted and warned about as alone', () => {
    const r = parseVCards(card('VERSION:3.0', 'FN:Ann', Array.from({ length: 300_000 }, () => '=').join('\r\n'), 'NOTE:x'));
    expect(r.errors).toEqual([]);
    const [parsed] = r.cards;
    expect(parsed!.card.properties.map((p) => [p.name, p.value])).toEqual([['VERSION', '3.0'], ['FN', 'Ann'], ['NOTE', 'x']]);
    expect(parsed!.warnings).toHaveLength(101);
    expect(parsed!.warnings[0]).toEqual({ code: 'bad-line', line: 4, message: 'line without a colon left out: "="', repair: 'left-out', text: '=' });
    expect(parseVCards(card('VERSION:3.0', 'FN:Ann', ...Array.from({ length: 20 }, () => '=')), { maxCardLength: 25 }).errors).toEqual([
      { code: 'card-too-large', line: 12, message: 'card larger than 25 characters' }, // 11 + 6, then the 9th line
    ]);
  });

  it('gives an empty single-line value the first line only, and leaves the others out', () => {
    const [parsed] = parseVCards(card('VERSION:2.1', 'N:', 'Doe;Ann;;;', '=', '=')).cards;
    expect(parsed!.card.properties.find((p) => p.name === 'N')!.value).toBe('Doe;Ann;;;');
    expect(parsed!.warnings.map((w) => [w.line, w.repair])).toEqual([[4, 'joined'], [5, 'left-out'], [6, 'left-out']]);
  });

  it('joins them to a quoted-printable value as =0A', () => {
    const c = parseVCard(card('VERSION:2.1', 'NOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9', ...Array.from({ length: 1_000 }, () => 'x')));
    expect(toContact(c).note).toBe(`café${'\nx'.repeat(1_000)}`);
  });

  it('refuses the card at the line inside the run where it passes the card size', () => {
    // VERSION:3.0 (11) + NOTE:x (6) + 20 lines of one character: past 30 at the 14th of them (line 17).
    const r = parseVCards(card('VERSION:3.0', 'NOTE:x', ...Array.from({ length: 20 }, () => '=')), { maxCardLength: 30 });
    expect(r.cards).toEqual([]);
    expect(r.errors).toEqual([{ code: 'card-too-large', line: 17, message: 'card larger than 30 characters' }]);
  });

  it('refuses the card at the line inside the run where the joined value passes the line limit', () => {
    // NOTE:x is 6; each line adds \n= (3): past 20 at the 5th line (line 8).
    const r = parseVCards(card('VERSION:3.0', 'NOTE:x', ...Array.from({ length: 20 }, () => '=')), { maxLineLength: 20 });
    expect(r.cards).toEqual([]);
    expect(r.errors).toEqual([{ code: 'line-too-long', line: 8, message: 'line longer than 20 characters' }]);
  });

  it('reports a run outside any card once, at its first line', () => {
    const r = parseVCards(`=\r\n=\r\n=\r\n${card('VERSION:3.0', 'FN:Ann')}`);
    expect(r.errors).toEqual([{ code: 'missing-begin', line: 1, message: 'text outside a card: expected BEGIN:VCARD', text: '=' }]);
    expect(r.cards).toHaveLength(1);
  });
});

describe('300,000 quoted-printable soft breaks', () => {
  it.each([
    ['CRLF', '\r\n'],
    ['LF', '\n'],
  ])('keeps each as a CRLF soft break in the raw value and decodes to the text without them (%s)', (_name, eol) => {
    const text = ['BEGIN:VCARD', 'VERSION:2.1', 'NOTE;ENCODING=QUOTED-PRINTABLE:a=', ...Array.from({ length: 300_000 }, () => '='), 'b', 'END:VCARD', ''].join(eol);
    const r = parseVCards(text);
    expect(r.errors).toEqual([]);
    const note = r.cards[0]!.card.properties.find((p) => p.name === 'NOTE')!;
    expect(note.value).toBe(`a=${'\r\n='.repeat(300_000)}\r\nb`);
    expect(toContact(r.cards[0]!.card).note).toBe('ab');
  });

  it('stops at END:VCARD after a soft break, so the card is kept', () => {
    const r = parseVCards(['BEGIN:VCARD', 'VERSION:2.1', 'NOTE;QUOTED-PRINTABLE:a=', '=', '=', 'END:VCARD', 'BEGIN:VCARD', 'VERSION:2.1', 'FN:Bob', 'END:VCARD', ''].join('\n'));
    expect(r.errors).toEqual([]);
    expect(r.cards.map((c) => c.card.properties.map((p) => p.value))).toEqual([['2.1', 'a=\r\n=\r\n='], ['2.1', 'Bob']]);
  });
});
