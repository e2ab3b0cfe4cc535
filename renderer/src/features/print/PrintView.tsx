/**
 * The print view: the laid-out document in place of the window, as it will be on paper, with
 * Print, Save as PDF (Electron) and Close. Its stylesheet is added as a constructed stylesheet
 * (the window's CSP allows no inline style) for as long as the view is shown; its rows or cards
 * are put in 200 per task (a phone list's as a table body each; off-screen bodies and cards skip
 * layout: content-visibility), Print waits for all. In the harness Print
 * is window.print (whose dialog saves PDFs too); in Electron the main process prints the same
 * cards from a window of its own (printContacts), or saves them as a PDF.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { FileDown, Printer, X } from 'lucide-react';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { ToastBar } from '../common/Toast';
import type { PrintJob } from './print-job';
import { printInMain, usePrintJob } from './print-job';

/** Rows or cards put in the view per task. */
const SLICE = 200;

export function PrintView({ job }: { job: PrintJob }) {
  const { t } = useServices();
  const [electron, setElectron] = useState(false);
  const [busy, setBusy] = useState(false);
  const close = useRef<HTMLButtonElement>(null);
  const pageRef = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(0);
  const complete = shown >= job.items.length;
  useEffect(() => {
    void window.cardinal.getAppInfo().then((info) => setElectron(info.shell === 'electron'), () => {});
  }, []);
  useLayoutEffect(() => {
    const sheet = new CSSStyleSheet();
    // The page is paper: white, whatever the window's theme.
    sheet.replaceSync(`${job.doc.css}\nhtml, body { color: #000; background: #fff; }`);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    close.current?.focus();
    return () => {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }, [job]);
  // The rows or cards go in a slice per task, so 50,000 of them never hold the window for long:
  // Close and Escape answer while the view fills; Print waits for the whole document.
  useLayoutEffect(() => {
    const page = pageRef.current;
    if (page === null) return;
    // The layout's HTML is made by shared/print from escaped text only: no markup of the cards' own.
    performance.mark('cardinal:print-shown');
    page.innerHTML = job.doc.body;
    const target = page.querySelector(job.container);
    // A phone list's slice is a table body of its own: on screen each body is a block that skips
    // layout while out of view (styles.css), so a slice costs its parsing, not a layout of every
    // row put in before it; on paper they are one table again, its header on every page.
    const table = job.container === 'tbody' ? (target?.parentElement ?? null) : null;
    let next = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const step = () => {
      const end = Math.min(job.items.length, next + SLICE);
      const html = job.items.slice(next, end).join('\n');
      if (table !== null) table.insertAdjacentHTML('beforeend', `<tbody class="print-slice">${html}</tbody>`);
      else target?.insertAdjacentHTML('beforeend', html);
      next = end;
      setShown(next);
      if (next < job.items.length) timer = setTimeout(step, 0);
      else performance.mark('cardinal:print-filled');
    };
    setShown(0);
    if (job.items.length > 0) step();
    else performance.mark('cardinal:print-filled');
    return () => {
      clearTimeout(timer);
      page.replaceChildren();
    };
  }, [job]);
  const done = () => usePrintJob.getState().show(null);
  const viaMain = async (action: 'pdf' | 'print') => {
    setBusy(true);
    try {
      const outcome = await printInMain(window.cardinal, job.request, action);
      if (outcome === 'saved') useUi.getState().showToast((tr) => tr('print.savedPdf'));
    } catch (e) {
      useUi.getState().showToast((tr) => tr('print.failed', { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="print-view" lang={job.doc.lang} dir={job.doc.dir} data-testid="print-view" aria-busy={!complete || undefined}>
      <header className="print-head">
      <div className="print-toolbar" role="toolbar" aria-label={t('print.title')} onKeyDown={(e) => e.key === 'Escape' && done()}>
        <button type="button" className="primary" disabled={busy || !complete} onClick={() => (electron ? void viaMain('print') : window.print())}>
          <Printer aria-hidden="true" size={16} />
          {t('print.print')}
        </button>
        {electron ? (
          <button type="button" disabled={busy || !complete} onClick={() => void viaMain('pdf')}>
            <FileDown aria-hidden="true" size={16} />
            {t('print.savePdf')}
          </button>
        ) : (
          <span className="muted print-hint">{t('print.pdfHint')}</span>
        )}
        <button type="button" ref={close} onClick={done}>
          <X aria-hidden="true" size={16} />
          {t('action.close')}
        </button>
        {complete ? null : (
          <span className="muted" role="status" data-testid="print-filling">
            {t('print.showing', { done: shown, total: job.items.length })}
          </span>
        )}
      </div>
      </header>
      <div className="print-page" ref={pageRef} />
      <ToastBar />
    </div>
  );
}
