/**
 * The print job on screen: the laid-out document (shown in the print view, which takes the place
 * of the window until closed), laid out in a worker (workers/print.worker.ts), and the request
 * Electron's main process prints from.
 */
import { create } from 'zustand';
import type { PrintDocument, PrintLayout, PrintTextKey } from '../../../../shared/print';
import type { PrintLayoutReply, PrintWorkerMessage } from '../../workers/print.worker';
import type { CardinalApi, PrintOutcome, PrintRequest } from '../../../../shared/ipc/contract';
import type { Language, MessageKey, Translate } from '../../i18n';

export interface PrintJob {
  /** The document with its list empty; `items` (rows or cards) go into `container`, a slice at a time. */
  readonly doc: PrintDocument;
  readonly container: string;
  readonly items: readonly string[];
  readonly request: PrintJobRequest;
}

/** What Electron's main process prints from: the request but for its job, and the cards it sends first. */
export type PrintJobRequest = Omit<PrintRequest, 'action' | 'jobId' | 'count'> & { readonly vcards: readonly string[] };

/** Cards per `addPrintCards` message. */
export const CARDS_PER_IPC = 1000;

/**
 * Print (or save as PDF) in Electron's main process: the cards go over a slice per message, a task
 * apart (the window answers meanwhile), then the request names the job they are in.
 */
export async function printInMain(api: Pick<CardinalApi, 'addPrintCards' | 'printContacts'>, request: PrintJobRequest, action: PrintRequest['action']): Promise<PrintOutcome> {
  const { vcards, ...rest } = request;
  let jobId: string | null = null;
  for (let i = 0; i === 0 || i < vcards.length; i += CARDS_PER_IPC) {
    if (i > 0) await new Promise((r) => setTimeout(r, 0));
    jobId = await api.addPrintCards(jobId, vcards.slice(i, i + CARDS_PER_IPC));
  }
  return api.printContacts({ ...rest, action, jobId: jobId!, count: vcards.length });
}

export const usePrintJob = create<{ job: PrintJob | null; show(job: PrintJob | null): void }>()((set) => ({
  job: null,
  show: (job) => set({ job }),
}));

const TEXT_KEYS: Record<PrintTextKey, MessageKey> = {
  name: 'print.text.name',
  phones: 'print.text.phones',
  emails: 'print.text.emails',
  addresses: 'print.text.addresses',
  websites: 'print.text.websites',
  birthday: 'print.text.birthday',
  anniversary: 'print.text.anniversary',
  note: 'print.text.note',
  none: 'print.text.none',
  'type.cell': 'print.text.cell',
  'type.home': 'print.text.home',
  'type.work': 'print.text.work',
  'type.fax': 'print.text.fax',
  'type.pager': 'print.text.pager',
  'type.other': 'print.text.other',
};

export interface PrintJobOptions {
  readonly layout: PrintLayout;
  readonly lang: Language;
  readonly title: string;
  readonly paper: 'A4' | 'Letter';
  readonly t: Translate;
}

/** What the layout is made from: the cards and the layout's words in the UI language. */
export function printJobRequest(vcards: readonly string[], o: PrintJobOptions): PrintJob['request'] {
  const texts = Object.fromEntries(Object.entries(TEXT_KEYS).map(([k, key]) => [k, o.t(key)])) as Record<PrintTextKey, string>;
  return { fileName: `${o.title}.pdf`, layout: o.layout, lang: o.lang, title: o.title, paper: o.paper, texts, vcards };
}

/** A layout cancelled by the user (the worker was stopped). */
export class PrintCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'PrintCancelled';
  }
}

/** The worker the layout runs in; replaced by tests (a worker that runs in the same thread). */
export type PrintWorkerFactory = () => Pick<Worker, 'postMessage' | 'terminate'> & { onmessage: ((e: MessageEvent<PrintLayoutReply>) => void) | null; onerror: ((e: ErrorEvent) => void) | null };

/** Cards a message to the worker carries. */
const CARDS_PER_MESSAGE = 2000;

const defaultWorker: PrintWorkerFactory = () => new Worker(new URL('../../workers/print.worker.ts', import.meta.url), { type: 'module' }) as ReturnType<PrintWorkerFactory>;

/**
 * A print job for these cards in the UI language (its sorting, dates, direction and fonts), laid
 * out in a worker so the window stays responsive for 50,000 cards: `progress` as the cards are
 * read; `signal` stops the worker (the promise rejects with PrintCancelled). Cards go to the
 * worker, and rows or cards come back, a slice per message.
 */
export function makePrintJob(vcards: readonly string[], o: PrintJobOptions & { readonly progress?: (done: number, total: number) => void; readonly signal?: AbortSignal; readonly worker?: PrintWorkerFactory }): Promise<PrintJob> {
  const request = printJobRequest(vcards, o);
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted === true) {
      reject(new PrintCancelled());
      return;
    }
    const worker = (o.worker ?? defaultWorker)();
    const stop = () => {
      worker.terminate();
      reject(new PrintCancelled());
    };
    o.signal?.addEventListener('abort', stop, { once: true });
    const finish = () => {
      o.signal?.removeEventListener('abort', stop);
      worker.terminate();
    };
    const items: string[] = [];
    worker.onmessage = (e) => {
      const reply = e.data;
      if (reply.kind === 'progress') o.progress?.(reply.done, reply.total);
      else if (reply.kind === 'items') items.push(...reply.items);
      else if (reply.kind === 'done') {
        finish();
        resolve({ doc: reply.doc, container: reply.container, items, request });
      } else {
        finish();
        reject(new Error(reply.message));
      }
    };
    worker.onerror = (e) => {
      finish();
      reject(new Error(e.message));
    };
    // The cards go over a slice per task: copying 50,000 of them (30 MB) at once would hold the window.
    const send = async () => {
      for (let i = 0; i < vcards.length; i += CARDS_PER_MESSAGE) {
        if (i > 0) await new Promise((r) => setTimeout(r, 0));
        if (o.signal?.aborted === true) return;
        worker.postMessage({ kind: 'cards', vcards: vcards.slice(i, i + CARDS_PER_MESSAGE) } satisfies PrintWorkerMessage);
      }
      worker.postMessage({ kind: 'layout', layout: o.layout, lang: o.lang, title: o.title, paper: o.paper, texts: request.texts } satisfies PrintWorkerMessage);
      performance.mark('cardinal:print-sent');
    };
    void send();
  });
}
