/**
 * A button that opens a menu (the ARIA menu button pattern): Enter, Space or ArrowDown open it on
 * the first item, arrows move, Home/End jump, Esc or Tab close it and focus returns to the button;
 * a click outside closes it.
 *
 * `beside`: the menu opens next to the button, past the end of its row (in the top layer, as a
 * popover, so no scrolling pane clips it), not under it: a sidebar group's menu then covers
 * none of the sidebar (the groups below, "New group"). Where the window has no room there it
 * opens toward the row's start; it is kept inside the window, and a scroll or resize closes it.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

/** Space between the button and a menu beside it, and kept from the window's edges, in px. */
const GAP = 4;

/** Where a menu beside `anchor` goes, as logical insets from the window's start and top. */
function besidePlacement(anchor: DOMRect, menu: { width: number; height: number }, rtl: boolean): { start: number; top: number } {
  const width = window.innerWidth;
  // The button's edges counted from the window's inline start (the right in RTL).
  const from = rtl ? width - anchor.right : anchor.left;
  const to = rtl ? width - anchor.left : anchor.right;
  let start = to + GAP;
  if (start + menu.width > width - GAP) start = Math.max(GAP, from - GAP - menu.width);
  const top = Math.max(GAP, Math.min(anchor.top, window.innerHeight - GAP - menu.height));
  return { start, top };
}

export interface MenuItem {
  readonly key: string;
  readonly label: string;
  readonly icon?: ReactNode;
  readonly onSelect: () => void;
}

export function MenuButton({ label, icon, items, className, ariaLabel, beside = false }: { label: string; icon?: ReactNode; items: readonly MenuItem[]; className?: string; /** For a button that shows only its icon. */ ariaLabel?: string; beside?: boolean }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const focusItem = (i: number) => menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]')[(i + items.length) % items.length]?.focus();

  useEffect(() => {
    if (!open) return;
    focusItem(0);
    const outside = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- focus the first item once per opening
  }, [open]);

  // Beside the button: shown in the top layer and placed before it is painted.
  useLayoutEffect(() => {
    const el = menu.current;
    if (!open || !beside || el === null || button.current === null) return;
    el.showPopover();
    const rtl = getComputedStyle(button.current).direction === 'rtl';
    const { start, top } = besidePlacement(button.current.getBoundingClientRect(), el.getBoundingClientRect(), rtl);
    el.style.insetInlineStart = `${start}px`;
    el.style.insetBlockStart = `${top}px`;
    const away = (e: Event) => {
      if (!(e.target instanceof Node && el.contains(e.target))) setOpen(false);
    };
    window.addEventListener('resize', away);
    window.addEventListener('scroll', away, true);
    return () => {
      window.removeEventListener('resize', away);
      window.removeEventListener('scroll', away, true);
    };
  }, [open, beside]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const all = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = all.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') focusItem(at + 1);
    else if (e.key === 'ArrowUp') focusItem(at - 1);
    else if (e.key === 'Home') focusItem(0);
    else if (e.key === 'End') focusItem(items.length - 1);
    else if (e.key === 'Escape') {
      // Only the menu closes, not a dialog around it.
      e.stopPropagation();
      close(true);
    } else if (e.key === 'Tab') close(false);
    else return;
    if (e.key !== 'Tab') e.preventDefault();
  };
  return (
    <div className={`menu-button${className === undefined ? '' : ` ${className}`}`}>
      <button
        ref={button}
        type="button"
        id={`${id}-button`}
        aria-haspopup="menu"
        aria-label={ariaLabel}
        title={ariaLabel}
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {icon}
        {label}
      </button>
      {open ? (
        <ul ref={menu} id={`${id}-menu`} role="menu" aria-labelledby={`${id}-button`} className={beside ? 'menu menu-beside' : 'menu'} popover={beside ? 'manual' : undefined} onKeyDown={onMenuKey}>
          {items.map((item) => (
            <li key={item.key} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                onClick={() => {
                  close(true);
                  item.onSelect();
                }}
              >
                {item.icon}
                <span className="menu-label">{item.label}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
