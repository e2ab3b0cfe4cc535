/**
 * A list of fixed-height rows of which only those in view (and a few around) are rendered, as the
 * contact list does, so a trash of 50,000 contacts scrolls like a short one.
 */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

const OVERSCAN = 6;

export function VirtualRows<T>({ items, rowHeight, label, keyOf, render }: { items: readonly T[]; rowHeight: number; label: string; keyOf: (item: T) => string; render: (item: T) => ReactNode }) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  useLayoutEffect(() => {
    const el = viewport.current;
    if (el === null) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const end = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  return (
    <div ref={viewport} className="list-viewport virtual-rows" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <ul className="virtual-list" aria-label={label} style={{ blockSize: items.length * rowHeight }}>
        {items.slice(start, end).map((item, i) => (
          <li key={keyOf(item)} className="virtual-row" style={{ insetBlockStart: (start + i) * rowHeight, blockSize: rowHeight }}>
            {render(item)}
          </li>
        ))}
      </ul>
    </div>
  );
}
