import { useState } from 'react';
import { useServices } from '../services';
import { useUi } from '../store/ui';
import { FormActions, FormDialog } from './FormDialog';
import { runImport, type ImportPreview } from './import';

/** The summary of an import before anything is written, and the user's choice. */
export function ImportDialog({ preview, bookId, onClose }: { preview: ImportPreview; bookId: string; onClose: () => void }) {
  const s = useServices();
  const { t } = s;
  const [busy, setBusy] = useState(false);
  const lineNumber = new Intl.NumberFormat(s.lang, { useGrouping: false });
  const bad = preview.errors.filter((e) => e.code !== 'other-component');
  const run = async (update: boolean) => {
    setBusy(true);
    try {
      const n = await runImport(s, preview, bookId, update);
      useUi.getState().showToast(t('import.done', { count: n }));
    } catch (e) {
      // Batches already written stay (each is one transaction); say what failed.
      useUi.getState().showToast(t('import.failed', { name: preview.fileName, message: (e as Error).message }));
    }
    onClose();
  };
  return (
    <FormDialog title={t('import.title')} onSubmit={() => void run(false)}>
      <p data-testid="import-summary">
        {t('import.summary', { total: preview.total, new: preview.fresh.length, identical: preview.identical, conflicting: preview.conflicting.length })}
      </p>
      {bad.length > 0 ? (
        <>
          <p>{t('import.bad', { count: bad.length })}</p>
          <ul className="import-errors" data-testid="import-errors">
            {bad.map((e) => (
              <li key={`${e.line}-${e.code}`}>{t('import.badLine', { line: lineNumber.format(e.line), message: e.message })}</li>
            ))}
          </ul>
        </>
      ) : null}
      <FormActions submit={t('import.run', { count: preview.fresh.length })} disabled={busy || preview.fresh.length === 0} onCancel={onClose}>
        {preview.conflicting.length > 0 ? (
          <button type="button" disabled={busy} onClick={() => void run(true)}>
            {t('import.runWithUpdates', { count: preview.conflicting.length })}
          </button>
        ) : null}
      </FormActions>
    </FormDialog>
  );
}
