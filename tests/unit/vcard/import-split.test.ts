/**
 * A large .vcf read in parts by two import workers (renderer/src/workers/import-split.ts): what
 * the parts give, joined, is what reading the file whole gives, with the file's line numbers in
 * every card and error; a cut that would fall inside a card is never kept.
 */
import { describe, expect, it } from 'vitest';
import { importCards, type ImportParseResult } from '../../../renderer/src/workers/import-cards';
import { importParts, joinParts, SPLIT_MIN_BYTES } from '../../../renderer/src/workers/import-split';

const enc = new TextEncoder();
const card = (i: number, eol = '\r\n') => ['BEGIN:VCARD', 'VERSION:3.0', `UID:u-${i}`, `FN:Person ${i}`, `N:${i};Person;;;`, `TEL:+49 30 ${1000 + i}`, `NOTE:a note long enough to make the file large ${'x'.repeat(200)}`, 'END:VCARD'].join(eol) + eol;

/** Cards and errors as a reader sees them (line, text, error code and message). */
const seen = (r: Pick<ImportParseResult, 'cards' | 'errors' | 'stray' | 'outside'>) => ({ cards: r.cards.map((c) => [c.line, c.vcard]), errors: r.errors.map((e) => [e.line, e.code, e.message]), stray: r.stray, outside: r.outside });

function inParts(bytes: Uint8Array): ReturnType<typeof joinParts> {
  const parts = importParts(bytes, 2);
  return joinParts(parts.map((p) => importCards(bytes.subarray(p.start, p.end), undefined, p.firstLine)));
}

describe('a .vcf read in two parts', () => {
  it('gives the cards and errors of the whole file, in its order and with its line numbers (broken cards on both sides of the cut)', () => {
    const cards = Array.from({ length: 5000 }, (_, i) => card(i));
    // Broken cards early, late and right after the middle: a line that is no content line, a card without its END.
    cards[10] = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bad-1\r\nthis is no content line\r\nEND:VCARD\r\n';
    cards[2600] = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bad-2\r\nFN:Broken\r\nN\r\nEND:VCARD\r\n';
    cards[4990] = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bad-3\r\nFN:No end\r\n';
    // Lines without a colon (stray lines, listed by the summary) before and after the cut.
    cards[20] = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:s-1\r\nFN:Stray one\r\nNOTE:first\r\na stray line\r\nEND:VCARD\r\n';
    cards[3000] = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:s-2\r\nFN:Stray two\r\nNOTE:second\r\nanother stray line\r\nEND:VCARD\r\n';
    const bytes = enc.encode(cards.join(''));
    expect(bytes.length).toBeGreaterThan(SPLIT_MIN_BYTES);
    const parts = importParts(bytes, 2);
    expect(parts).toHaveLength(2);
    expect(parts[1]!.firstLine).toBeGreaterThan(1);
    expect(new TextDecoder().decode(bytes.subarray(parts[1]!.start, parts[1]!.start + 11))).toBe('BEGIN:VCARD');
    const whole = importCards(bytes);
    expect(whole.errors.length).toBeGreaterThan(0);
    expect(whole.stray!.cards).toBeGreaterThanOrEqual(2);
    expect(seen(inParts(bytes)!)).toEqual(seen(whole));
  });

  it('counts lines as the parser does when the file ends its lines with LF alone', () => {
    const bytes = enc.encode(Array.from({ length: 5000 }, (_, i) => card(i, '\n')).join('') + 'stray text after the last card\n');
    expect(importParts(bytes, 2)).toHaveLength(2);
    const whole = importCards(bytes);
    expect(whole.errors).toEqual([]);
    expect(whole.outside?.lines.map((l) => l.text)).toEqual(['stray text after the last card']);
    expect(seen(inParts(bytes)!)).toEqual(seen(whole));
  });

  it('is read whole again when the cut fell inside a card (cards nested in one card, as Android writes them)', () => {
    const inner = Array.from({ length: 5000 }, (_, i) => card(i)).join('');
    const bytes = enc.encode(`BEGIN:VCARD\r\nVERSION:3.0\r\nUID:outer\r\nFN:Outer\r\n${inner}END:VCARD\r\n`);
    const parts = importParts(bytes, 2);
    expect(parts).toHaveLength(2);
    const results = parts.map((p) => importCards(bytes.subarray(p.start, p.end), undefined, p.firstLine));
    expect(results[0]!.unfinished).toBe(true);
    expect(joinParts(results)).toBeNull();
  });

  it('reads a small file, a UTF-16 file and a file with nowhere to cut in one part', () => {
    expect(importParts(enc.encode(card(1)), 2)).toEqual([{ start: 0, end: card(1).length, firstLine: 1 }]);
    const big = Array.from({ length: 5000 }, (_, i) => card(i)).join('');
    const utf16 = new Uint8Array(2 + big.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < big.length; i++) utf16[2 + i * 2] = big.charCodeAt(i);
    expect(importParts(utf16, 2)).toHaveLength(1);
    // One card of a megabyte and more: no card starts after the middle.
    expect(importParts(enc.encode(`BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big\r\nNOTE:${'y'.repeat(SPLIT_MIN_BYTES)}\r\nEND:VCARD\r\n`), 2)).toHaveLength(1);
    expect(importParts(enc.encode(big), 1)).toHaveLength(1);
  });

  it('keeps the file’s limit on cards across the parts', () => {
    const bytes = enc.encode(Array.from({ length: 5000 }, (_, i) => card(i)).join(''));
    const parts = importParts(bytes, 2);
    const joined = joinParts(
      parts.map((p) => importCards(bytes.subarray(p.start, p.end), undefined, p.firstLine)),
      4000,
    )!;
    expect(joined.cards).toHaveLength(4000);
    expect(joined.errors.map((e) => [e.code, e.line])).toEqual([['too-many-cards', joined.cards.at(-1)!.line + 8]]);
  });
});

describe('text outside any card', () => {
  let seed = 7;
  const junk = (n: number) => Uint8Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed & 255));
  const join = (chunks: Uint8Array[]) => {
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let o = 0;
    for (const c of chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  };

  it('between good cards (4 KB of binary junk, a 5 MB line without a colon) is said by its line and left out, never counted as a card', () => {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < 100; i++) {
      chunks.push(enc.encode(card(i)));
      if (i === 30) chunks.push(junk(4096), enc.encode('\r\n'));
      if (i === 60) chunks.push(enc.encode(`${'x'.repeat(5_000_000)}\r\n`));
    }
    const bytes = join(chunks);
    for (const r of [importCards(bytes), inParts(bytes)!]) {
      expect(r.cards).toHaveLength(100);
      expect(r.errors).toEqual([]);
      expect(r.outside?.lines.map((l) => l.line)).toEqual([31 * 8 + 1, expect.any(Number)]);
      expect(r.outside!.lines[1]!.text).toBe('x'.repeat(40));
      // eslint-disable-next-line no-control-regex
      expect(r.outside!.lines[0]!.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
      expect(r.outside!.more).toBe(0);
    }
  });

  it('in many places, over parts, lists the first 20 in file order and counts the rest', () => {
    const cards = Array.from({ length: 5000 }, (_, i) => card(i) + (i % 200 === 0 ? `junk ${i}\r\n` : ''));
    const bytes = enc.encode(cards.join(''));
    expect(importParts(bytes, 2)).toHaveLength(2);
    const whole = importCards(bytes);
    const parts = inParts(bytes)!;
    expect(whole.outside?.lines.map((l) => l.text)).toEqual(Array.from({ length: 20 }, (_, k) => `junk ${k * 200}`));
    expect(whole.outside?.more).toBe(5);
    expect(parts.outside).toEqual(whole.outside);
    expect(parts.errors).toEqual([]);
  });
});
