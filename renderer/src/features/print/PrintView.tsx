/**
 * The print view: the laid-out document in place of the window, as it will be on paper, with
 * Print, Save as PDF (Electron) and Close. Its stylesheet is added as a constructed stylesheet
 * (the window's CSP allows no inline style) for as long as the view is shown; its rows or cards
 * are asked of the print worker and put in 200 per task (a phone list's as a table body each;
 * off-screen bodies and cards skip layout: content-visibility), the first 600 when it opens, more
 * as it is scrolled, all before the harness prints (Print, or Ctrl/Cmd+P). In the harness Print
 * is window.print (whose dialog saves PDFs too); in Electron the main process prints the same
 * cards (asked of the worker 1,000 at a time) from a window of its own (printContacts), or saves
 * them as a PDF.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { FileDown, Printer, X } from 'lucide-react';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { ToastBar } from '../common/Toast';
import type { PrintJob } from './print-job';
import { PrintCancelled, printInMain, usePrintJob } from './print-job';

/** Rows or cards put in the view per task. */
const SLICE = 200;
/** Slices put in when the view opens; the rest follow as the view is scrolled to its end, and all before printing. */
const FIRST_SLICES = 3;
/** How near the end of what is shown (px) scrolling must come for the next slices to go in. */
const AHEAD = '3000px';

/**
 * The rows or cards put into the view a slice per task, each asked of the print worker (which
 * keeps them): the first few when the view opens, more as it is scrolled near its end, all of
 * them before the harness prints. 50,000 rows (1.8 million nodes) are only made when printed,
 * never to show the top of the list; in Electron printing goes through main and the window never
 * holds them all. One slice is asked at a time; the next is asked as soon as one is in.
 */
class Filler {
  private next = 0;
  private asking = false;
  private wanted = FIRST_SLICES * SLICE;
  private waiters: { resolve(): void; reject(e: Error): void }[] = [];
  private isOpen = false;
  private stopped = false;

  constructor(
    private readonly job: PrintJob,
    private readonly target: Element | null,
    private readonly table: Element | null,
    private readonly shown: (n: number) => void,
    private readonly failed: (e: Error) => void,
  ) {}

  get done(): number {
    return this.next;
  }

  /** The first slices are in (before, the end of the page is in view only because the page is empty). */
  get opened(): boolean {
    return this.isOpen;
  }

  private put(html: string, end: number): void {
    const start = performance.now();
    if (this.table !== null) this.table.insertAdjacentHTML('beforeend', `<tbody class="print-slice">${html}</tbody>`);
    else this.target?.insertAdjacentHTML('beforeend', html);
    // How long the slice took to put in (the print bench reads it beside the long tasks).
    performance.measure('cardinal:print-slice', { start });
    this.next = end;
  }

  private step(): void {
    if (this.stopped || this.asking) return;
    const end = Math.min(this.job.count, this.next + SLICE, Math.max(this.wanted, this.next));
    if (end <= this.next) return;
    this.asking = true;
    this.job.items(this.next, end).then(
      (html) => {
        this.asking = false;
        if (this.stopped) return;
        this.put(html, end);
        this.settle();
      },
      (e: Error) => {
        this.asking = false;
        if (this.stopped) return;
        for (const w of this.waiters.splice(0)) w.reject(e);
        this.failed(e);
      },
    );
  }

  /** After a slice: the count shown, the marks, the waiters told, the next slice asked. */
  private settle(): void {
    const total = this.job.count;
    this.shown(this.next);
    if (!this.isOpen && this.next >= Math.min(total, FIRST_SLICES * SLICE)) {
      this.isOpen = true;
      performance.mark('cardinal:print-opened');
    }
    if (this.next >= total) {
      performance.mark('cardinal:print-filled');
      for (const w of this.waiters.splice(0)) w.resolve();
    } else if (this.next < this.wanted) this.step();
  }

  /** Put in rows up to `count` (a slice per task). */
  want(count: number): void {
    this.wanted = Math.max(this.wanted, Math.min(count, this.job.count));
    this.step();
  }

  start(): void {
    if (this.job.count === 0) this.settle();
    else this.step();
  }

  /** Every row in, a slice per task; resolves when they are. */
  all(): Promise<void> {
    if (this.next >= this.job.count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.want(this.job.count);
    });
  }

  stop(): void {
    this.stopped = true;
  }
}

export function PrintView({ job }: { job: PrintJob }) {
  const { t } = useServices();
  const [electron, setElectron] = useState(false);
  const [busy, setBusy] = useState(false);
  const [preparing, setPreparing] = useState(false);
  const close = useRef<HTMLButtonElement>(null);
  const pageRef = useRef<HTMLDivElement>(null);
  const endRef = useRef<HTMLDivElement>(null);
  const filler = useRef<Filler | null>(null);
  const [shown, setShown] = useState(0);
  const complete = shown >= job.count;
  // Busy while the first slices go in (and while all go in before printing), not while the rest wait to be scrolled to.
  const opening = shown < Math.min(job.count, FIRST_SLICES * SLICE);
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
    const fill = new Filler(job, target, table, setShown, (e) => useUi.getState().showToast((tr) => tr('print.failed', { message: e.message })));
    filler.current = fill;
    setShown(0);
    fill.start();
    // Near the end of what is shown: the next slices.
    const observer = new IntersectionObserver(
      (entries) => {
        if (fill.opened && entries.some((e) => e.isIntersecting)) fill.want(fill.done + FIRST_SLICES * SLICE);
      },
      { rootMargin: `0px 0px ${AHEAD} 0px` },
    );
    if (endRef.current !== null) observer.observe(endRef.current);
    return () => {
      fill.stop();
      observer.disconnect();
      filler.current = null;
      page.replaceChildren();
    };
  }, [job]);
  // More as the last slice put in comes into view (the observer only tells of changes).
  useEffect(() => {
    const end = endRef.current;
    if (end === null || complete || opening) return;
    if (end.getBoundingClientRect().top < window.innerHeight + 3000) filler.current?.want(shown + FIRST_SLICES * SLICE);
  }, [shown, complete, opening]);
  const printHere = async () => {
    setPreparing(true);
    try {
      await filler.current?.all();
    } catch {
      return; // the worker failed: said in a toast
    } finally {
      setPreparing(false);
    }
    window.print();
  };
  const done = () => usePrintJob.getState().show(null);
  const viaMain = async (action: 'pdf' | 'print') => {
    setBusy(true);
    try {
      const outcome = await printInMain(window.cardinal, job, action);
      if (outcome === 'saved') useUi.getState().showToast((tr) => tr('print.savedPdf'));
    } catch (e) {
      if (e instanceof PrintCancelled) return; // the view was closed meanwhile: its worker is gone
      useUi.getState().showToast((tr) => tr('print.failed', { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  const print = () => void (electron ? viaMain('print') : printHere());
  // Ctrl/Cmd+P in the view is its Print: the browser's own would print only the rows put in so far.
  const onPrintKey = useRef(print);
  onPrintKey.current = busy || preparing ? () => {} : print;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'p') {
        e.preventDefault();
        onPrintKey.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="print-view" lang={job.doc.lang} dir={job.doc.dir} data-testid="print-view" data-complete={complete || undefined} aria-busy={opening || preparing || undefined}>
      <header className="print-head">
      <div className="print-toolbar" role="toolbar" aria-label={t('print.title')} onKeyDown={(e) => e.key === 'Escape' && done()}>
        <button type="button" className="primary" disabled={busy || preparing} onClick={print}>
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
        {complete ? null : (
          <span className="muted" role="status" data-testid="print-filling">
            {t(preparing ? 'print.preparing' : 'print.showingMore', { done: shown, total: job.count })}
          </span>
        )}
      </div>
      </header>
      {complete ? null : (
        // On paper only: printed from the browser's own menu before every row is in.
        <p className="print-partial">{t('print.partial', { done: shown, total: job.count })}</p>
      )}
      <div className="print-page" ref={pageRef} />
      <div ref={endRef} aria-hidden="true" />
      <ToastBar />
    </div>
  );
}
