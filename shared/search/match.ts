/**
 * Which field a search matched, for the list to say so ("City: Zürich" under the name): the first
 * query word that is not in the name, organisation or e-mail the row shows anyway, and the field
 * it was found in, as written. Computed only for the rows on screen, by walking the row's text
 * from each hit to its segment's mark (no splitting of every row drawn into arrays).
 */
import { foldForSearch } from './normalize';
import { parseQuery } from './query';
import { kindOpenedBy, type SegmentKind } from './segments';

export interface FieldMatch {
  readonly kind: SegmentKind;
  /** The field's text as written (a note: the words around the match). */
  readonly text: string;
}

const SHOWN: ReadonlySet<SegmentKind> = new Set(['name', 'organization', 'email']);

function excerpt(note: string, word: string): string {
  const words = note.split(/\s+/u);
  const at = words.findIndex((w) => foldForSearch(w).includes(word));
  if (at < 0) return note.length > 60 ? `${note.slice(0, 60)}…` : note;
  const from = Math.max(0, at - 3);
  const part = words.slice(from, at + 5).join(' ');
  return `${from > 0 ? '…' : ''}${part}${at + 5 < words.length ? '…' : ''}`;
}

/** Where the segment holding position `at` opens (its mark). */
function markBefore(text: string, at: number): number {
  let i = at;
  while (i >= 0 && kindOpenedBy(text.charCodeAt(i)) === undefined) i--;
  return i;
}

/** The end of the segment opened at `mark`: the next mark, or the end of the text. */
function segmentEnd(text: string, mark: number): number {
  let i = mark + 1;
  while (i < text.length && kindOpenedBy(text.charCodeAt(i)) === undefined) i++;
  return i;
}

/**
 * The first segment holding `word` among those the row does not show (its mark in `search`), or
 * -1 when a shown one holds it too (or none does). Of the e-mails only `shownEmail` (folded; the
 * one the row's second line shows, if any) counts as shown: a match in another of a card's
 * e-mails is named.
 */
function hiddenHolder(search: string, word: string, shownEmail: string | undefined): number {
  let hidden = -1;
  for (let at = search.indexOf(word); at >= 0; ) {
    const mark = markBefore(search, at);
    const kind = kindOpenedBy(search.charCodeAt(mark));
    if (kind === undefined) return -1; // text without a mark: not segmented
    const end = segmentEnd(search, mark);
    if (kind === 'email' && shownEmail !== undefined) {
      if (search.slice(mark + 1, end) === shownEmail) return -1;
    } else if (SHOWN.has(kind)) return -1;
    if (hidden < 0) hidden = mark;
    at = search.indexOf(word, end);
  }
  return hidden;
}

/**
 * The field to name for this row and query, or null when what matched is already in view.
 * `shownEmail`: the e-mail the row shows ('' for none: it shows its organisation or phone); left
 * out, every e-mail counts as shown. A match in another e-mail is named by its searched text
 * (folded: e-mails are kept as written only in the card).
 */
export function matchedField(search: string, details: string, query: string, shownEmail?: string): FieldMatch | null {
  const shown = shownEmail === undefined ? undefined : foldForSearch(shownEmail);
  for (const word of parseQuery(query).typed) {
    const mark = hiddenHolder(search, word, shown);
    if (mark < 0) continue;
    if (kindOpenedBy(search.charCodeAt(mark)) === 'email') return { kind: 'email', text: search.slice(mark + 1, segmentEnd(search, mark)) };
    // `details` holds the hidden segments as written, in the same order: find the same one.
    let k = 0;
    for (let i = 0; i < mark; i++) {
      const kind = kindOpenedBy(search.charCodeAt(i));
      if (kind !== undefined && !SHOWN.has(kind)) k++;
    }
    let open = -1;
    for (let i = 0; i < details.length && open < 0; i++) if (kindOpenedBy(details.charCodeAt(i)) !== undefined && k-- === 0) open = i;
    if (open < 0) return null;
    const kind = kindOpenedBy(details.charCodeAt(open))!;
    const value = details.slice(open + 1, segmentEnd(details, open));
    return { kind, text: kind === 'note' ? excerpt(value, word) : value };
  }
  return null;
}
