/**
 * Which field a search matched, for the list to say so ("City: Zürich" under the name): the first
 * query word that is not in the name, organisation or e-mail the row shows anyway, and the field
 * it was found in, as written. Computed only for the rows on screen.
 */
import { foldForSearch } from './normalize';
import { splitSegments, type SegmentKind } from './segments';

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

/** The field to name for this row and query, or null when what matched is already in view. */
export function matchedField(search: string, details: string, query: string): FieldMatch | null {
  const words = foldForSearch(query).split(' ').filter((w) => w !== '');
  if (words.length === 0) return null;
  const folded = splitSegments(search);
  const shown = folded.filter((s) => SHOWN.has(s.kind));
  const hidden = folded.filter((s) => !SHOWN.has(s.kind));
  const originals = splitSegments(details);
  for (const word of words) {
    if (shown.some((s) => s.value.includes(word))) continue;
    const k = hidden.findIndex((s) => s.value.includes(word));
    if (k < 0) continue;
    const original = originals[k];
    if (original === undefined) return null;
    return { kind: original.kind, text: original.kind === 'note' ? excerpt(original.value, word) : original.value };
  }
  return null;
}
