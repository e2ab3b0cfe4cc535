import { useId, type ReactNode } from 'react';
import { useServices } from '../services';

/** A modal form: the backdrop, the labelled dialog, its title and the error line. */
export function FormDialog({
  title,
  error = null,
  onSubmit,
  className,
  children,
}: {
  title: string;
  error?: string | null;
  onSubmit: () => void;
  className?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className="dialog-backdrop">
      <form
        className={className === undefined ? 'dialog' : `dialog ${className}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <h2 id={`${id}-title`}>{title}</h2>
        {error !== null ? (
          <p className="form-errors" role="alert">
            {error}
          </p>
        ) : null}
        {children}
      </form>
    </div>
  );
}

/** A form's buttons: the one that submits, any others, and Cancel last. */
export function FormActions({ submit, disabled = false, onCancel, children }: { submit: string; disabled?: boolean; onCancel: () => void; children?: ReactNode }) {
  const { t } = useServices();
  return (
    <div className="form-actions">
      <button type="submit" className="primary" disabled={disabled}>
        {submit}
      </button>
      {children}
      <button type="button" onClick={onCancel}>
        {t('action.cancel')}
      </button>
    </div>
  );
}
