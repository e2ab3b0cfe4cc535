/**
 * Editing never loses work: the open editor registers itself here, and everything that would
 * leave it (another contact, a new one, another book, a search, closing the window) goes through
 * `leaveEditor`. With unsaved changes that asks Save / Discard / Cancel first.
 */
import { useUi } from '../../store/ui';

export interface OpenEditor {
  isDirty(): boolean;
  /** Save as the Save button would; false when the form has errors (they are shown, the first focused). */
  save(): Promise<boolean>;
}

let open: OpenEditor | null = null;

/** Register the editor while it is mounted; returns the unregister function. */
export function registerEditor(editor: OpenEditor): () => void {
  open = editor;
  return () => {
    if (open === editor) open = null;
  };
}

export function hasUnsavedEdit(): boolean {
  return open?.isDirty() ?? false;
}

/** Run `proceed` now when nothing would be lost, else after the user's answer (never on Cancel). */
export function leaveEditor(proceed: () => void): void {
  if (!hasUnsavedEdit()) {
    proceed();
    return;
  }
  useUi.getState().openDialog({ kind: 'unsaved', proceed });
}

/** The dialog's Save: save, and go on only if it worked. */
export async function saveOpenEditor(): Promise<boolean> {
  return open === null ? true : open.save();
}

/** A function that asks before it runs, for handlers that leave the editor. */
export function guarded<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args) => leaveEditor(() => fn(...args));
}
