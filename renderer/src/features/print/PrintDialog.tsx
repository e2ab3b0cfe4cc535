/**
 * Print: a phone list (names, numbers, e-mail addresses) or full cards, of all contacts, a book or
 * the group in view or the selection, on A4 or Letter. Preview lays them out in the UI language, in
 * a worker that reads the cards itself (the window sends their ids; progress shown, Stop or closing
 * the dialog ends it), and opens the print view, from which they are printed or saved as PDF.
 */
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { PrintLayout } from '../../../../shared/print';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { FormActions } from '../common/FormActions';
import { Modal } from '../common/Modal';
import { shownScopeIds, type ExportScope } from '../export/scope';
import { linkEntries } from '../export/as-shown';
import { appRegion } from '../duplicates/finder';
import { useScopeChoice } from '../export/ScopeChoice';
import { Choice } from '../settings/SettingsDialog';
import { makePrintJob, PrintCancelled, usePrintJob } from './print-job';

type Progress = { readonly phase: 'read' | 'layout'; readonly done: number; readonly total: number };

/**
 * The progress line, with a state of its own: the worker's progress (a message every 500 cards)
 * re-renders this line only, not the dialog and its scope choice.
 */
function PrintProgress({ sinkRef }: { sinkRef: RefObject<((p: Progress | null) => void) | null> }) {
  const { t } = useServices();
  const [progress, setProgress] = useState<Progress | null>(null);
  useLayoutEffect(() => {
    sinkRef.current = setProgress;
    return () => {
      sinkRef.current = null;
    };
  }, [sinkRef]);
  return progress === null ? null : (
    <p role="status" data-testid="print-progress">
      {t(progress.phase === 'read' ? 'print.reading' : 'print.layingOut', { done: progress.done, total: progress.total })}
    </p>
  );
}

export function PrintDialog({ scope: initial, onClose }: { scope: ExportScope; onClose: () => void }) {
  const s = useServices();
  const { t } = s;
  const [layout, setLayout] = useState<PrintLayout>('phone-list');
  const [paper, setPaper] = useState<'A4' | 'Letter'>(s.dates.locale.endsWith('-US') || s.dates.locale.endsWith('-CA') ? 'Letter' : 'A4');
  const [busy, setBusy] = useState(false);
  const progressRef = useRef<((p: Progress | null) => void) | null>(null);
  const setProgress = (p: Progress | null) => progressRef.current?.(p);
  const [error, setError] = useState<string | null>(null);
  const running = useRef<AbortController | null>(null);
  // Closing the dialog stops a layout under way.
  useEffect(() => () => running.current?.abort(), []);
  const { scope, count, name: scopeName, picker } = useScopeChoice(initial);
  const preview = async () => {
    setBusy(true);
    setError(null);
    const control = new AbortController();
    running.current = control;
    // Marks for `npm run bench -- print`: the cards read (in the worker), the layout back from it.
    performance.mark('cardinal:print-start');
    try {
      // The click's task ends here (the dialog shows it is busy); the ids are gathered in the next.
      await new Promise((r) => setTimeout(r, 0));
      // Only ids go to the worker, with the links among them (a linked contact prints as one card: as-shown.ts).
      const ids = shownScopeIds(s, scope);
      const source = { store: s.repo.db.name, ids, links: s.links.empty ? [] : linkEntries(ids, s.links.linkOf), region: await appRegion() };
      if (control.signal.aborted) return;
      const where = scopeName ?? (scope.kind === 'selection' ? t('print.selection') : t('books.all'));
      const title = t(layout === 'phone-list' ? 'print.title.phoneList' : 'print.title.cards', { where });
      setProgress({ phase: 'read', done: 0, total: ids.length });
      const job = await makePrintJob(source, { layout, lang: s.lang, title, paper, t, signal: control.signal, progress: (phase, done, total) => setProgress({ phase, done, total }) });
      performance.mark('cardinal:print-laid-out');
      usePrintJob.getState().show(job);
      useUi.getState().closeDialog();
    } catch (e) {
      if (!(e instanceof PrintCancelled)) setError(t('print.failed', { message: (e as Error).message }));
    } finally {
      if (running.current === control) running.current = null;
      setBusy(false);
      setProgress(null);
    }
  };
  const stop = () => running.current?.abort();

  return (
    <Modal
      title={t('print.title')}
      error={error}
      onSubmit={() => void preview()}
      onClose={onClose}
      actions={
        <FormActions submit={t('print.preview')} busy={busy} disabled={count === 0} onCancel={onClose}>
          {busy ? (
            <button type="button" onClick={stop}>
              {t('print.stop')}
            </button>
          ) : null}
        </FormActions>
      }
    >
      <div className="form-stack">
        <PrintProgress sinkRef={progressRef} />
        <Choice<PrintLayout>
          legend={t('print.layout')}
          value={layout}
          options={[
            { value: 'phone-list', label: t('print.layout.phoneList') },
            { value: 'cards', label: t('print.layout.cards') },
          ]}
          onChange={setLayout}
        />
        {picker}
        <Choice<'A4' | 'Letter'>
          legend={t('print.paper')}
          value={paper}
          options={[
            { value: 'A4', label: 'A4' },
            { value: 'Letter', label: 'Letter' },
          ]}
          onChange={setPaper}
        />
      </div>
    </Modal>
  );
}
