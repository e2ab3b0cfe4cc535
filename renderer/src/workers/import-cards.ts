/**
 * The .vcf import worker's work, apart from the worker so that tests and the fuzz harness run it:
 * parse, then each card through `importedCard` (UID, list fields, content key). Each card is read
 * on its own: one card that cannot be read (whatever it throws) is reported with its line like a
 * parse error, and the rest of the file still comes in. Lines without a colon the parser joined to
 * the value above or left out are handed back too (`stray`), for the summary to say; a card left
 * with nothing in it once they are out is not imported (an error of its own).
 */
import { parseVCards, type VCard, type VCardParseError } from '../../../shared/vcard';
import { importedCard, type ImportedCard } from './imported-cards';

export type { ImportedCard };

/** A line without a colon: joined to the value above as a line break, or left out. */
export interface StrayLine {
  readonly line: number;
  readonly repair: 'joined' | 'left-out';
  /** The line, cut to 40 characters. */
  readonly text: string;
}

export interface StrayLines {
  /** Cards that had such lines. */
  readonly cards: number;
  /** The first of them, in file order. */
  readonly lines: readonly StrayLine[];
  /** How many more lines there were (past the parser's 100 a card, not counted). */
  readonly more: number;
}

/** Text outside any card (junk between cards, a line before the first): left out, said by its first line. */
export interface OutsideText {
  /** The first stretches of it in file order: the line each begins at, its first 40 characters (control characters shown as �). */
  readonly lines: readonly { readonly line: number; readonly text: string }[];
  /** How many more stretches there were. */
  readonly more: number;
}

export interface ImportParseResult {
  cards: ImportedCard[];
  errors: VCardParseError[];
  /** A part of a file that ended inside a card (import-split.ts). */
  unfinished?: boolean;
  /** Lines without a colon in the cards read (none for a CSV). */
  stray?: StrayLines;
  /** Text outside any card, left out (the parser's `missing-begin` errors, not in `errors`: it is no card). */
  outside?: OutsideText;
}

/** How many stray lines the summary lists. */
export const STRAY_LISTED = 20;

/** Properties that carry nothing of a contact (what every writer adds). */
const BOOKKEEPING = new Set(['VERSION', 'UID', 'PRODID', 'REV']);

/** Whether a card holds anything beyond bookkeeping and empty values (`N:;;;;`). */
function hasContent(card: VCard): boolean {
  return card.properties.some((p) => !BOOKKEEPING.has(p.name.toUpperCase()) && /[^;,\s]/.test(p.value));
}

/** `firstLine`: the line number of the bytes' first line (a part of a file: import-split.ts). */
export function importCards(bytes: Uint8Array, read: (card: VCard, line: number) => ImportedCard = importedCard, firstLine = 1): ImportParseResult {
  const result = parseVCards(bytes, {}, firstLine);
  const cards: ImportedCard[] = [];
  const errors: VCardParseError[] = result.errors.filter((e) => e.code !== 'missing-begin');
  const outside = outsideText(result.errors);
  const lines: StrayLine[] = [];
  let strayCards = 0;
  let more = 0;
  for (const { card, line, warnings } of result.cards) {
    const stray = warnings.filter((w) => w.repair !== undefined);
    if (stray.length > 0) {
      strayCards++;
      for (const w of stray) {
        if (lines.length < STRAY_LISTED) lines.push({ line: w.line, repair: w.repair!, text: w.text ?? '' });
        else more++;
      }
      if (stray.some((w) => w.repair === 'left-out') && !hasContent(card)) {
        errors.push({ code: 'nothing-left', line, message: `the card starting at line ${line} holds nothing once its lines without a colon are left out` });
        continue;
      }
    }
    try {
      cards.push(read(card, line));
    } catch (e) {
      errors.push({ code: 'bad-line', line, message: `card starting at line ${line} could not be read: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { cards, errors, ...(strayCards > 0 ? { stray: { cards: strayCards, lines, more } } : {}), ...(outside !== undefined ? { outside } : {}), ...(result.unfinished === true ? { unfinished: true } : {}) };
}

/** The parser's reports of text outside a card as the summary lists them: the first STRAY_LISTED, the rest counted. */
export function outsideText(errors: readonly VCardParseError[]): OutsideText | undefined {
  const found = errors.filter((e) => e.code === 'missing-begin');
  if (found.length === 0) return undefined;
  // eslint-disable-next-line no-control-regex
  const shown = (text: string) => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd');
  return { lines: found.slice(0, STRAY_LISTED).map((e) => ({ line: e.line, text: shown(e.text ?? '') })), more: Math.max(0, found.length - STRAY_LISTED) };
}
