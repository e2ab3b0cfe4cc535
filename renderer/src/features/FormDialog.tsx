import { useId, type ReactNode } from 'react';

/** A modal form: the backdrop, the labelled dialog, its title and the error line (account dialogs). */
export function FormDialog({ title, error, onSubmit, children }: { title: string; error: string | null; onSubmit: () => void; children: ReactNode }) {
  const id = useId();
  return (
    <div className="dialog-backdrop">
      <form
        className="dialog"
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
