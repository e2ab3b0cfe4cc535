/**
 * The virtualised list: only the rows in view are in the DOM, so 50,000 contacts scroll like 50.
 * Section headers are rows too; offsets are prefix sums, found by binary search on scroll.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ContactRow } from '../db/schema';
import { useServices } from '../services';
import { sectionOf } from '../store/contact-index';
import { useUi } from '../store/ui';
import { Avatar } from './Avatar';

const ROW = 56;
const HEADER = 28;
const OVERSCAN = 8;

type Item = { kind: 'header'; letter: string } | { kind: 'row'; row: ContactRow; index: number };

export function ContactList({ rows, onOpen, onDelete }: { rows: readonly ContactRow[]; onOpen: (id: string) => void; onDelete: (ids: readonly string[]) => void }) {
  const { t } = useServices();
  const selected = useUi((s) => s.selected);
  const select = useUi((s) => s.select);
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  const { items, offsets, total } = useMemo(() => {
    const items: Item[] = [];
    let last = '';
    rows.forEach((row, index) => {
      const letter = sectionOf(row.sortName);
      if (letter !== last) {
        items.push({ kind: 'header', letter });
        last = letter;
      }
      items.push({ kind: 'row', row, index });
    });
    const offsets = new Float64Array(items.length + 1);
    items.forEach((it, i) => {
      offsets[i + 1] = offsets[i]! + (it.kind === 'header' ? HEADER : ROW);
    });
    return { items, offsets, total: offsets[items.length]! };
  }, [rows]);

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

  // Keep the focused row in view when the selection moves by keyboard.
  const focusId = selected[selected.length - 1];
  useEffect(() => {
    const el = viewport.current;
    if (el === null || focusId === undefined) return;
    const i = items.findIndex((it) => it.kind === 'row' && it.row.id === focusId);
    if (i < 0) return;
    const top = offsets[i]!;
    const bottom = offsets[i + 1]!;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (bottom > el.scrollTop + el.clientHeight) el.scrollTop = bottom - el.clientHeight;
  }, [focusId, items, offsets]);

  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (offsets[mid + 1]! <= scrollTop) lo = mid + 1;
    else hi = mid;
  }
  const start = Math.max(0, lo - OVERSCAN);
  let end = lo;
  while (end < items.length && offsets[end]! < scrollTop + height) end++;
  end = Math.min(items.length, end + OVERSCAN);

  const click = (row: ContactRow, index: number, e: React.MouseEvent) => {
    if (e.metaKey || e.ctrlKey) {
      select(selected.includes(row.id) ? selected.filter((id) => id !== row.id) : [...selected, row.id]);
    } else if (e.shiftKey && selected.length > 0) {
      const anchor = rows.findIndex((r) => r.id === selected[0]);
      const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
      const range = rows.slice(a, b + 1).map((r) => r.id);
      select([selected[0]!, ...range.filter((id) => id !== selected[0])]);
    } else select([row.id]);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const current = rows.findIndex((r) => r.id === focusId);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = Math.min(rows.length - 1, Math.max(0, current + (e.key === 'ArrowDown' ? 1 : -1)));
      const row = rows[next];
      if (row !== undefined) select([row.id]);
    } else if (e.key === 'Enter' && focusId !== undefined) {
      e.preventDefault();
      onOpen(focusId);
    } else if ((e.key === 'Delete' || e.key === 'Backspace') && selected.length > 0) {
      e.preventDefault();
      onDelete(selected);
    } else if (e.key === 'a' && (e.metaKey || e.ctrlKey)) {
      e.preventDefault();
      select(rows.map((r) => r.id));
    }
  };

  return (
    <div
      ref={viewport}
      className="list-viewport"
      role="listbox"
      aria-label={t('list.label')}
      aria-multiselectable="true"
      aria-activedescendant={focusId === undefined ? undefined : `row-${focusId}`}
      tabIndex={0}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div style={{ blockSize: total, position: 'relative' }}>
        {items.slice(start, end).map((it, k) => {
          const i = start + k;
          const style = { insetBlockStart: offsets[i]!, blockSize: it.kind === 'header' ? HEADER : ROW };
          if (it.kind === 'header') {
            return (
              <div key={`h-${it.letter}`} className="list-section" style={style} role="presentation">
                {it.letter}
              </div>
            );
          }
          const { row } = it;
          const isSelected = selected.includes(row.id);
          return (
            <div
              key={row.id}
              id={`row-${row.id}`}
              className={`list-row${isSelected ? ' selected' : ''}`}
              style={style}
              role="option"
              aria-selected={isSelected}
              onClick={(e) => click(row, it.index, e)}
              onDoubleClick={() => onOpen(row.id)}
            >
              <Avatar name={row.displayName} photo={row.photo} size={36} />
              <span className="list-text">
                <span className="list-name">
                  <bdi>{row.displayName || t('list.noName')}</bdi>
                </span>
                <span className="list-sub">
                  <bdi>{row.org || row.email || row.phone}</bdi>
                </span>
              </span>
              {row.favorite === 1 ? (
                <span className="list-star" aria-label={t('books.favorites')}>
                  ★
                </span>
              ) : null}
              {row.flag === 'conflict' ? (
                <span className="list-mark conflict" title={t('sync.markConflict')} aria-label={t('sync.markConflict')} data-testid="mark-conflict">
                  ⚠
                </span>
              ) : row.flag === 'error' ? (
                <span className="list-mark error" title={t('sync.markError')} aria-label={t('sync.markError')} data-testid="mark-error">
                  !
                </span>
              ) : row.pending !== '' ? (
                <span className="list-mark pending" title={t('sync.markPending')} aria-label={t('sync.markPending')} data-testid="mark-pending">
                  ↑
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
    </div>
  );
}
