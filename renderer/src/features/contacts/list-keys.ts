/**
 * The list's keyboard model, as pure functions of positions: arrows, Home/End, PageUp/PageDown,
 * Shift to extend from the anchor, and type-ahead by name (letters typed within a moment of each
 * other make one prefix).
 */
export type ListKey = 'ArrowDown' | 'ArrowUp' | 'Home' | 'End' | 'PageDown' | 'PageUp';

export const LIST_KEYS: ReadonlySet<string> = new Set<ListKey>(['ArrowDown', 'ArrowUp', 'Home', 'End', 'PageDown', 'PageUp']);

/** Where the focus moves from `current` (−1: none yet) in a list of `count` rows, `page` rows a screen. */
export function nextPosition(key: ListKey, current: number, count: number, page: number): number {
  if (count === 0) return -1;
  const clamp = (i: number) => Math.min(count - 1, Math.max(0, i));
  switch (key) {
    case 'ArrowDown':
      return current < 0 ? 0 : clamp(current + 1);
    case 'ArrowUp':
      return current < 0 ? 0 : clamp(current - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageDown':
      return clamp(Math.max(current, 0) + page);
    case 'PageUp':
      return clamp(Math.max(current, 0) - page);
  }
}

/** The rows from the anchor to the focus, inclusive, in list order. */
export function rangeBetween(anchor: number, focus: number): [number, number] {
  return anchor <= focus ? [anchor, focus] : [focus, anchor];
}

/** How long letters typed count as one prefix. */
export const TYPE_AHEAD_MS = 800;

/**
 * The first row whose sort key starts with the typed prefix (ignoring case and accents, as the
 * list's collation does), by binary search over the sorted rows; -1 when none. Nameless rows
 * (key '') sort last and never match.
 */
export function typeAhead(count: number, keyAt: (i: number) => string, prefix: string, collator: Intl.Collator): number {
  const p = prefix.trim();
  if (p === '') return -1;
  const before = (i: number) => {
    const k = keyAt(i);
    return k !== '' && collator.compare(k.slice(0, p.length), p) < 0;
  };
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo < count && keyAt(lo) !== '' && collator.compare(keyAt(lo).slice(0, p.length), p) === 0 ? lo : -1;
}
