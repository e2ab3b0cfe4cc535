/**
 * The virtualised list: only the rows in view are in the DOM, so 50,000 contacts scroll like 50.
 * Section headers are rows too; offsets are prefix sums, found by binary search on scroll.
 * Keyboard: arrows, Home/End, PageUp/PageDown (Shift extends the selection), type-ahead by name,
 * Enter opens, Delete deletes, Ctrl/Cmd+A selects all. Moving off a changed editor asks first.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { AlertTriangle, ArrowUp, CircleAlert, Star } from 'lucide-react';
import { matchedField } from '../../../../shared/search/match';
import type { ContactRow } from '../../db/schema';
import { useServices } from '../../services';
import { isFavorite } from '../../store/links';
import { useUi } from '../../store/ui';
import { CONTACTS_DRAG_TYPE } from '../groups/actions';
import { useSettings } from '../settings/settings';
import { Avatar } from './Avatar';
import { leaveEditor } from './edit-guard';
import { LIST_KEYS, TYPE_AHEAD_MS, nextPosition, rangeBetween, typeAhead, type ListKey } from './list-keys';

const ROW = 56;
const HEADER = 28;
const OVERSCAN = 8;

/**
 * Where things are, without an object per row: rows are ROW tall, and before the first row of
 * each section a HEADER. A section starts at `starts[k]`; a row's top is its index times ROW plus
 * the headers at or before it. Sections are few, so every lookup is a short binary search, and a
 * query that keeps all 50,000 rows costs one pass over their section letters.
 */
interface Layout {
  starts: Int32Array;
  letters: string[];
  total: number;
}

function layoutOf(sections: readonly string[]): Layout {
  const starts: number[] = [];
  const letters: string[] = [];
  for (let i = 0; i < sections.length; i++) {
    if (i === 0 || sections[i] !== sections[i - 1]) {
      starts.push(i);
      letters.push(sections[i]!);
    }
  }
  return { starts: Int32Array.from(starts), letters, total: sections.length * ROW + starts.length * HEADER };
}

/** How many sections start at or before row i. */
function headersThrough(starts: Int32Array, i: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const rowTop = (l: Layout, i: number) => i * ROW + headersThrough(l.starts, i) * HEADER;

/** The sections whose header sits among rows [start, end): the one of the first row, and those starting there. */
function headersIn(l: Layout, start: number, end: number): number[] {
  const out: number[] = [];
  for (let at = Math.max(0, headersThrough(l.starts, start) - 1); at < l.starts.length && l.starts[at]! < end; at++) out.push(at);
  return out;
}

/** The first row whose bottom is below `y`. */
function rowAt(l: Layout, count: number, y: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rowTop(l, mid) + ROW <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function ContactList({ rows, sections, onOpen, onDelete }: { rows: readonly ContactRow[]; sections: readonly string[]; onOpen: (id: string) => void; onDelete: (ids: readonly string[]) => void }) {
  const { t, index, links } = useServices();
  const selected = useUi((s) => s.selected);
  const query = useUi((s) => s.query);
  const nameOrder = useSettings((s) => s.nameOrder);
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const typed = useRef({ text: '', at: 0 });
  const select = (ids: readonly string[]) => leaveEditor(() => useUi.getState().select(ids));

  const layout = useMemo(() => layoutOf(sections), [sections]);

  // A mark for the benchmark (time from page load to the first painted list).
  useEffect(() => {
    if (performance.getEntriesByName('cardinal:list-painted').length === 0) requestAnimationFrame(() => performance.mark('cardinal:list-painted'));
  }, []);

  useLayoutEffect(() => {
    const el = viewport.current;
    if (el === null) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const positionOf = (id: string | undefined) => (id === undefined ? -1 : rows.findIndex((r) => r.id === id));
  const focusId = selected[selected.length - 1];
  const focusIndex = useMemo(() => positionOf(focusId), [rows, focusId]); // eslint-disable-line react-hooks/exhaustive-deps

  // Keep the focused row in view when the selection moves (by keyboard, or to a new contact once
  // its row is there), not when rows come or go around it: a sync or an import that adds contacts
  // leaves the view where the user put it (below).
  const shownFocus = useRef<{ id: string | undefined; found: boolean }>({ id: undefined, found: false });
  useEffect(() => {
    const el = viewport.current;
    const before = shownFocus.current;
    shownFocus.current = { id: focusId, found: focusIndex >= 0 };
    if (el === null || focusIndex < 0 || (before.id === focusId && before.found)) return;
    const top = rowTop(layout, focusIndex);
    const first = layout.starts[headersThrough(layout.starts, focusIndex) - 1] === focusIndex;
    if (top < el.scrollTop) el.scrollTop = Math.max(0, top - (first ? HEADER : 0));
    else if (top + ROW > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW - el.clientHeight;
  }, [focusId, focusIndex, layout]);

  // Scroll anchoring: the row at the top of the view stays there when rows are added or removed
  // above it (the browser's own anchoring does not see absolutely placed rows). At the very top,
  // or after the search or the book changed the rows, the view is left as it is.
  const anchor = useRef<{ id: string; offset: number; query: string } | null>(null);
  const remember = (el: HTMLDivElement) => {
    const i = rowAt(layout, rows.length, el.scrollTop);
    const r = rows[i];
    anchor.current = r === undefined || el.scrollTop <= 0 ? null : { id: r.id, offset: el.scrollTop - rowTop(layout, i), query };
  };
  useLayoutEffect(() => {
    const el = viewport.current;
    const a = anchor.current;
    if (el === null || a === null || a.query !== query) return;
    const i = rows.findIndex((r) => r.id === a.id);
    if (i < 0) return;
    const want = rowTop(layout, i) + a.offset;
    if (Math.abs(want - el.scrollTop) >= 1) {
      el.scrollTop = want;
      setScrollTop(el.scrollTop);
    }
  }, [rows, layout, query]);

  const start = Math.max(0, rowAt(layout, rows.length, scrollTop) - OVERSCAN);
  let end = start;
  while (end < rows.length && rowTop(layout, end) < scrollTop + height) end++;
  end = Math.min(rows.length, end + OVERSCAN);

  const click = (row: ContactRow, i: number, e: React.MouseEvent) => {
    if (e.metaKey || e.ctrlKey) {
      select(selected.includes(row.id) ? selected.filter((id) => id !== row.id) : [...selected, row.id]);
    } else if (e.shiftKey && selected.length > 0) {
      const anchor = Math.max(0, positionOf(selected[0]));
      const [a, b] = rangeBetween(anchor, i);
      const range = rows.slice(a, b + 1).map((r) => r.id);
      select([selected[0]!, ...range.filter((id) => id !== selected[0])]);
    } else {
      select([row.id]);
      useUi.getState().setDetailOpen(true);
    }
  };

  const moveTo = (next: number, extend: boolean) => {
    const row = rows[next];
    if (row === undefined) return;
    if (extend && selected.length > 0) {
      const found = positionOf(selected[0]);
      const anchor = found < 0 ? next : found;
      const [a, b] = rangeBetween(anchor, next);
      const ids = rows.slice(a, b + 1).map((r) => r.id);
      // The anchor first, the focus last: the order Shift+click and the detail pane rely on.
      select([selected[0]!, ...ids.filter((id) => id !== selected[0] && id !== row.id), ...(row.id === selected[0] ? [] : [row.id])]);
    } else select([row.id]);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const mod = e.metaKey || e.ctrlKey;
    if (LIST_KEYS.has(e.key) && !mod && !e.altKey) {
      e.preventDefault();
      const page = Math.max(1, Math.floor(height / ROW) - 1);
      moveTo(nextPosition(e.key as ListKey, focusIndex, rows.length, page), e.shiftKey);
    } else if (e.key === 'Enter' && focusId !== undefined) {
      e.preventDefault();
      onOpen(focusId);
    } else if ((e.key === 'Delete' || e.key === 'Backspace') && selected.length > 0) {
      e.preventDefault();
      onDelete(selected);
    } else if (e.key.toLowerCase() === 'a' && mod) {
      e.preventDefault();
      select(rows.map((r) => r.id));
    } else if (e.key.length === 1 && !mod && !e.altKey && e.key !== ' ') {
      // Type-ahead: letters typed within a moment make one prefix.
      const now = performance.now();
      typed.current = { text: now - typed.current.at < TYPE_AHEAD_MS ? typed.current.text + e.key : e.key, at: now };
      const collator = new Intl.Collator(index.locale, { sensitivity: 'base' });
      const found = typeAhead(rows.length, (i) => index.keyOf(rows[i]!), typed.current.text, collator);
      if (found >= 0) {
        e.preventDefault();
        moveTo(found, false);
      }
    }
  };

  const nameOf = (row: ContactRow) => (nameOrder === 'last-first' ? (row.displayNameLast ?? row.displayName) : row.displayName) || t('list.noName');

  return (
    <div
      ref={viewport}
      id="contact-list"
      className="list-viewport"
      role="listbox"
      aria-label={t('list.label')}
      aria-multiselectable="true"
      aria-activedescendant={focusId === undefined || focusIndex < 0 ? undefined : `row-${focusId}`}
      tabIndex={0}
      onScroll={(e) => {
        setScrollTop(e.currentTarget.scrollTop);
        remember(e.currentTarget);
      }}
      onKeyDown={onKeyDown}
    >
      <div style={{ blockSize: layout.total, position: 'relative' }}>
        {headersIn(layout, start, end).map((at) => (
          <div key={`h-${at}`} className="list-section" style={{ insetBlockStart: layout.starts[at]! * ROW + at * HEADER, blockSize: HEADER }} role="presentation" aria-hidden="true">
            {layout.letters[at]}
          </div>
        ))}
        {rows.slice(start, end).map((row, k) => {
          const i = start + k;
          const style = { insetBlockStart: rowTop(layout, i), blockSize: ROW };
          const isSelected = selected.includes(row.id);
          const match = query === '' ? null : matchedField(row.search, row.details ?? '', query, row.org === '' ? row.email : '');
          const name = nameOf(row);
          return (
            <div
              key={row.id}
              id={`row-${row.id}`}
              className={`list-row${isSelected ? ' selected' : ''}${row.id === focusId ? ' focused' : ''}`}
              style={style}
              role="option"
              aria-selected={isSelected}
              onClick={(e) => click(row, i, e)}
              draggable
              onDragStart={(e) => {
                // The selection when the row is in it, else the row alone: dropped on a group, they join it.
                e.dataTransfer.setData(CONTACTS_DRAG_TYPE, JSON.stringify(isSelected ? selected : [row.id]));
                e.dataTransfer.effectAllowed = 'copy';
              }}
              onDoubleClick={() => onOpen(row.id)}
            >
              <Avatar name={row.displayName} photo={row.photo} size={36} />
              <span className="list-text">
                <span className="list-name">
                  <bdi>{name}</bdi>
                </span>
                <span className="list-sub" data-testid={match === null ? undefined : 'match'}>
                  {match === null ? (
                    <bdi dir={row.org === '' ? 'ltr' : undefined}>{row.org || row.email || row.phone}</bdi>
                  ) : (
                    <>
                      {t('match.field', { field: t(`match.${match.kind}`) })} <bdi>{match.text}</bdi>
                    </>
                  )}
                </span>
              </span>
              {isFavorite(row.id, links.linkOf, (id) => index.get(id)) ? <Star className="list-star" aria-label={t('books.favorites')} role="img" size={16} fill="currentColor" /> : null}
              {row.flag === 'conflict' ? (
                <span className="list-mark conflict" title={t('sync.markConflict')} role="img" aria-label={t('sync.markConflict')} data-testid="mark-conflict">
                  <AlertTriangle aria-hidden="true" size={16} />
                </span>
              ) : row.flag === 'error' ? (
                <span className="list-mark error" title={t('sync.markError')} role="img" aria-label={t('sync.markError')} data-testid="mark-error">
                  <CircleAlert aria-hidden="true" size={16} />
                </span>
              ) : row.pending !== '' ? (
                <span className="list-mark pending" title={t('sync.markPending')} role="img" aria-label={t('sync.markPending')} data-testid="mark-pending">
                  <ArrowUp aria-hidden="true" size={16} />
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
    </div>
  );
}
