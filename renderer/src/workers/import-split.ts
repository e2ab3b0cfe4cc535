/**
 * A large .vcf read by several import workers at once (one per core): its bytes cut where one
 * card ends and the next begins, each part parsed on its own with the file's line numbers, the
 * results joined in file order. A part that ends inside a card or another component (a cut
 * inside a nested card) means the cut was wrong: the caller then reads the file whole.
 */
import { DEFAULT_LIMITS, type VCardParseError } from '../../../shared/vcard';
import { STRAY_LISTED, type OutsideText, type StrayLines } from './import-cards';
import type { ImportedCard } from './imported-cards';

/** Smaller files are read in one part: a second worker costs more than it saves. */
export const SPLIT_MIN_BYTES = 1 << 20;
/** How far past its place a cut looks for a card's start before giving up. */
const SEARCH_BYTES = 1 << 20;

export interface ImportPart {
  /** Bytes [start, end) of the file. */
  start: number;
  end: number;
  /** The file's line number of the part's first line. */
  firstLine: number;
}

const BEGIN = [...'BEGIN:VCARD'].map((c) => c.charCodeAt(0));
const END = [...'END:VCARD'].map((c) => c.charCodeAt(0));
const LF = 0x0a;
const CR = 0x0d;

function matches(bytes: Uint8Array, at: number, word: readonly number[]): boolean {
  if (at < 0 || at + word.length > bytes.length) return false;
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word[i]) return false;
  return true;
}

/** A cut at `lf + 1`: "END:VCARD" ends the line before, "BEGIN:VCARD" is the whole line after. */
function cutsHere(bytes: Uint8Array, lf: number): boolean {
  const next = lf + 1 + BEGIN.length;
  if (!matches(bytes, lf + 1, BEGIN) || (next < bytes.length && bytes[next] !== CR && bytes[next] !== LF)) return false;
  const lineEnd = lf > 0 && bytes[lf - 1] === CR ? lf - 1 : lf;
  return matches(bytes, lineEnd - END.length, END) && (lineEnd - END.length === 0 || bytes[lineEnd - END.length - 1] === LF || bytes[lineEnd - END.length - 1] === CR);
}

/** Physical lines in bytes [from, to), counted as the parser counts them (LF, CR LF, or a lone CR). */
function linesIn(bytes: Uint8Array, from: number, to: number): number {
  // One plain loop: about a millisecond a megabyte (an indexOf a line costs several times that).
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if (b === LF || (b === CR && bytes[i + 1] !== LF)) n++;
  }
  return n;
}

/**
 * The parts a file is read in: one for a small file, a UTF-16 one (its line ends are two bytes)
 * or one without a place to cut; else `parts` parts of about equal size, each starting with a
 * card's BEGIN:VCARD right after another's END:VCARD.
 */
export function importParts(bytes: Uint8Array, parts: number): ImportPart[] {
  const whole = [{ start: 0, end: bytes.length, firstLine: 1 }];
  if (parts < 2 || bytes.length < SPLIT_MIN_BYTES) return whole;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.subarray(0, 512).includes(0)) return whole;
  const cuts: number[] = [];
  for (let k = 1; k < parts; k++) {
    const from = Math.max(Math.floor((bytes.length * k) / parts), (cuts.at(-1) ?? 0) + 1);
    let cut = -1;
    for (let lf = bytes.indexOf(LF, from); lf !== -1 && lf < from + SEARCH_BYTES; lf = bytes.indexOf(LF, lf + 1)) {
      if (cutsHere(bytes, lf)) {
        cut = lf + 1;
        break;
      }
    }
    if (cut === -1) break;
    cuts.push(cut);
  }
  if (cuts.length === 0) return whole;
  const out: ImportPart[] = [];
  let start = 0;
  let firstLine = 1;
  for (const end of [...cuts, bytes.length]) {
    out.push({ start, end, firstLine });
    firstLine += linesIn(bytes, start, end);
    start = end;
  }
  return out;
}

export interface PartResult {
  cards: ImportedCard[];
  errors: VCardParseError[];
  unfinished?: boolean;
  stray?: StrayLines;
  outside?: OutsideText;
}

/**
 * The parts' results as one file's, in file order; null if a part but the last ended inside a
 * card (the cut was wrong: read the file whole). Past `maxCards` cards the rest are left out, as
 * the parser leaves them out of a whole file.
 */
export function joinParts(results: readonly PartResult[], maxCards = DEFAULT_LIMITS.maxCards): { cards: ImportedCard[]; errors: VCardParseError[]; stray?: StrayLines; outside?: OutsideText } | null {
  if (results.slice(0, -1).some((r) => r.unfinished === true)) return null;
  const cards = results.flatMap((r) => r.cards);
  const errors = results.flatMap((r) => r.errors.filter((e) => e.code !== 'too-many-cards'));
  const over = cards[maxCards];
  if (over !== undefined || results.some((r) => r.errors.some((e) => e.code === 'too-many-cards'))) {
    const line = over?.line ?? results.flatMap((r) => r.errors).find((e) => e.code === 'too-many-cards')!.line;
    errors.push({ code: 'too-many-cards', line, message: `more than ${maxCards} cards; the rest were not read` });
  }
  errors.sort((a, b) => a.line - b.line);
  // The stray lines as one file's: the first STRAY_LISTED in file order, the rest counted.
  const strays = results.flatMap((r) => (r.stray === undefined ? [] : [r.stray]));
  const lines = strays.flatMap((x) => x.lines);
  const stray: StrayLines | undefined =
    strays.length === 0 ? undefined : { cards: strays.reduce((n, x) => n + x.cards, 0), lines: lines.slice(0, STRAY_LISTED), more: strays.reduce((n, x) => n + x.more, 0) + Math.max(0, lines.length - STRAY_LISTED) };
  // Text outside any card as one file's, likewise.
  const outsides = results.flatMap((r) => (r.outside === undefined ? [] : [r.outside]));
  const stretches = outsides.flatMap((x) => x.lines);
  const outside: OutsideText | undefined = outsides.length === 0 ? undefined : { lines: stretches.slice(0, STRAY_LISTED), more: outsides.reduce((n, x) => n + x.more, 0) + Math.max(0, stretches.length - STRAY_LISTED) };
  return { cards: cards.slice(0, maxCards), errors, ...(stray !== undefined ? { stray } : {}), ...(outside !== undefined ? { outside } : {}) };
}
