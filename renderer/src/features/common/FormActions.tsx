import type { ReactNode } from 'react';
import { useServices } from '../../services';

/**
 * A form's buttons, the same in every form: the one that submits first, any others, Cancel last.
 * In a dialog it is the footer; in the contact editor it sticks to the bottom of the pane, so Save
 * and Cancel stay in view while the form scrolls.
 */
export function FormActions({
  submit,
  disabled = false,
  busy = false,
  danger = false,
  autofocus = false,
  onCancel,
  cancelLabel,
  children,
}: {
  submit: string;
  disabled?: boolean;
  busy?: boolean;
  /** A destructive action: shown as such, and focus starts on Cancel. */
  danger?: boolean;
  /** Focus starts on the submit button (the safe answer of a question). */
  autofocus?: boolean;
  onCancel: () => void;
  cancelLabel?: string;
  children?: ReactNode;
}) {
  const { t } = useServices();
  return (
    <div className="form-actions">
      <button type="submit" className={danger ? 'primary danger' : 'primary'} disabled={disabled || busy} aria-busy={busy || undefined} data-autofocus={(autofocus && !danger) || undefined}>
        {submit}
      </button>
      {children}
      <button type="button" onClick={onCancel} data-autofocus={danger || undefined}>
        {cancelLabel ?? t('action.cancel')}
      </button>
    </div>
  );
}
