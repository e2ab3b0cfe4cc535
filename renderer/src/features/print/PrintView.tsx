/**
 * The print view: the laid-out document in place of the window, as it will be on paper, with
 * Print, Save as PDF (Electron) and Close. Its stylesheet is added as a constructed stylesheet
 * (the window's CSP allows no inline style) for as long as the view is shown. In the harness Print
 * is window.print (whose dialog saves PDFs too); in Electron the main process prints the same
 * cards from a window of its own (printContacts), or saves them as a PDF.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { FileDown, Printer, X } from 'lucide-react';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { ToastBar } from '../common/Toast';
import type { PrintJob } from './print-job';
import { usePrintJob } from './print-job';

export function PrintView({ job }: { job: PrintJob }) {
  const { t } = useServices();
  const [electron, setElectron] = useState(false);
  const [busy, setBusy] = useState(false);
  const close = useRef<HTMLButtonElement>(null);
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
  const done = () => usePrintJob.getState().show(null);
  const viaMain = async (action: 'pdf' | 'print') => {
    setBusy(true);
    try {
      const outcome = await window.cardinal.printContacts({ ...job.request, action });
      if (outcome === 'saved') useUi.getState().showToast(t('print.savedPdf'));
    } catch (e) {
      useUi.getState().showToast(t('print.failed', { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="print-view" lang={job.doc.lang} dir={job.doc.dir} data-testid="print-view">
      <header className="print-head">
      <div className="print-toolbar" role="toolbar" aria-label={t('print.title')} onKeyDown={(e) => e.key === 'Escape' && done()}>
        <button type="button" className="primary" disabled={busy} onClick={() => (electron ? void viaMain('print') : window.print())}>
          <Printer aria-hidden="true" size={16} />
          {t('print.print')}
        </button>
        {electron ? (
          <button type="button" disabled={busy} onClick={() => void viaMain('pdf')}>
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
      </div>
      </header>
      {/* The layout's HTML is made by shared/print from escaped text only: no markup of the cards' own. */}
      <div className="print-page" dangerouslySetInnerHTML={{ __html: job.doc.body }} />
      <ToastBar />
    </div>
  );
}
