/**
 * The one modal of the app, on the native <dialog> with showModal(): the browser puts it in the
 * top layer (nothing in the page can lie over it, wherever in the tree it is rendered), makes the
 * rest of the window inert and dims all of it with ::backdrop. On top of that: focus goes to the
 * first field (or the element marked data-autofocus), Tab wraps inside the dialog, Esc closes it,
 * and focus returns to where it was before. Dialogs, forms, confirmations and the narrow-window
 * drawer all use it; which one is open is decided by the UI store (one at a time).
 */
import { useEffect, useId, useLayoutEffect, useRef, type ReactNode, type RefObject } from 'react';
import { X } from 'lucide-react';
import { useServices } from '../../services';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
}

/** Where focus goes when a dialog opens: the marked element, else the first field, else the first button. */
function initialFocus(root: HTMLElement): HTMLElement | undefined {
  return (
    root.querySelector<HTMLElement>('[data-autofocus]') ??
    root.querySelector<HTMLElement>('input:not([disabled]):not([type="hidden"]):not([type="checkbox"]):not([type="radio"]), select:not([disabled]), textarea:not([disabled])') ??
    focusables(root).find((el) => !el.classList.contains('modal-close')) ??
    undefined
  );
}

/**
 * Show a <dialog> modally while mounted: focus in, Tab trapped, Esc → onClose, focus back on
 * unmount (to the element focused before, or `fallback` when that one is gone).
 */
export function useModalDialog(ref: RefObject<HTMLDialogElement | null>, onClose: () => void, fallback?: () => HTMLElement | null): void {
  const close = useRef(onClose);
  useLayoutEffect(() => {
    close.current = onClose;
  });
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    initialFocus(dialog)?.focus();
    const onCancel = (e: Event) => {
      // Esc: we close it ourselves, so React stays the owner of what is shown.
      e.preventDefault();
      close.current();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Tab') return;
      const items = focusables(dialog);
      if (items.length === 0) return;
      const first = items[0]!;
      const last = items[items.length - 1]!;
      if (e.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('keydown', onKey);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('keydown', onKey);
      if (dialog.open) dialog.close();
      const back = before !== null && before.isConnected ? before : (fallback?.() ?? null);
      back?.focus();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- opened once per mount; onClose is read through a ref
  }, [ref]);
}

/** Focus goes back to the list when the element that opened a dialog is gone. */
export const listFallback = () => document.getElementById('contact-list');

export interface ModalProps {
  title: string;
  onClose: () => void;
  /** When given, the body is a form and Enter in a field submits it. */
  onSubmit?: () => void;
  /** A failure to show above the buttons (role=alert). */
  error?: string | null;
  /** Dialogs that ask (confirmations) are alertdialogs. */
  role?: 'dialog' | 'alertdialog';
  size?: 'small' | 'medium' | 'wide';
  className?: string;
  /** What the dialog says, for the accessible description. */
  describedBy?: string;
  /** The buttons (a FormActions row): below the scrolling body, so always in view. */
  actions?: ReactNode;
  children: ReactNode;
}

export function Modal({ title, onClose, onSubmit, error = null, role = 'dialog', size = 'medium', className, describedBy, actions, children }: ModalProps) {
  const { t } = useServices();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useModalDialog(ref, onClose, listFallback);
  // A failure takes the focus: the button that was pressed is disabled while busy, and focus
  // would otherwise fall to the page's body, outside the dialog.
  const errorRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (error !== null) errorRef.current?.focus();
  }, [error]);
  const body = (
    <>
      <header className="modal-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <button type="button" className="icon-button modal-close" aria-label={t('action.close')} title={t('action.close')} onClick={onClose}>
          <X aria-hidden="true" size={18} />
        </button>
      </header>
      <div className="modal-body">{children}</div>
      {error !== null ? (
        <p ref={errorRef} className="form-error modal-error" role="alert" tabIndex={-1}>
          {error}
        </p>
      ) : null}
      {actions === undefined ? null : <footer className="modal-foot">{actions}</footer>}
    </>
  );
  return (
    <dialog ref={ref} className={`modal modal-${size}${className === undefined ? '' : ` ${className}`}`} role={role === 'alertdialog' ? 'alertdialog' : undefined} aria-labelledby={`${id}-title`} aria-describedby={describedBy} aria-modal="true">
      {onSubmit === undefined ? (
        <div className="modal-content">{body}</div>
      ) : (
        <form
          className="modal-content"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit();
          }}
        >
          {body}
        </form>
      )}
    </dialog>
  );
}

/** Move focus to the first field inside `ref` (else the dialog's marked or first button) whenever `step` changes (a dialog's next step). */
export function useFocusOnStep(ref: RefObject<HTMLElement | null>, step: unknown): void {
  useEffect(() => {
    if (ref.current === null) return;
    // A step with nothing to fill in (a question): the dialog's marked button, else its first one.
    const dialog = ref.current.closest('dialog');
    (initialFocus(ref.current) ?? (dialog === null ? undefined : initialFocus(dialog)))?.focus();
  }, [ref, step]);
}
