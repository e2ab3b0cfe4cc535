/**
 * The print job on screen: the laid-out document (shown in the print view, which takes the place
 * of the window until closed), laid out and kept in a worker (workers/print.worker.ts) that reads
 * the cards itself, and the request Electron's main process prints from. The window holds the
 * document's frame and the counts; rows, cards and vCards are asked of the worker a slice at a time.
 */
import { create } from 'zustand';
import type { PrintDocument, PrintLayout, PrintTextKey } from '../../../../shared/print';
import type { PrintLayoutReply, PrintSource, PrintWorkerMessage } from '../../workers/print-layout-job';
import type { CardinalApi, PrintOutcome, PrintRequest } from '../../../../shared/ipc/contract';
import type { Language, MessageKey, Translate } from '../../i18n';

export interface PrintJob {
  /** The document with its list empty; the rows or cards go into `container`, a slice at a time. */
  readonly doc: PrintDocument;
  readonly container: string;
  /** How many rows or cards the layout has (`items` gives them). */
  readonly count: number;
  /** How many contacts it was made from (`cards` gives their vCards). */
  readonly cardCount: number;
  readonly request: PrintJobRequest;
  /** Rows or cards `from`–`to`, as one piece of HTML (joined by newlines). */
  items(from: number, to: number): Promise<string>;
  /** The vCards `from`–`to` laid out (a linked contact's as one): what main prints from. */
  cards(from: number, to: number): Promise<readonly string[]>;
  /** Ends the worker that keeps the job; asking anything after rejects. */
  close(): void;
}

/** What Electron's main process prints from: the request but for its job (the cards go first). */
export type PrintJobRequest = Omit<PrintRequest, 'action' | 'jobId' | 'count'>;

/** Cards per `addPrintCards` message. */
export const CARDS_PER_IPC = 1000;

/**
 * Print (or save as PDF) in Electron's main process: the cards are asked of the job's worker and
 * go over a slice per message (the window answers meanwhile), then the request names the job they
 * are in.
 */
export async function printInMain(api: Pick<CardinalApi, 'addPrintCards' | 'printContacts'>, job: Pick<PrintJob, 'request' | 'cardCount' | 'cards'>, action: PrintRequest['action']): Promise<PrintOutcome> {
  let jobId: string | null = null;
  for (let i = 0; i === 0 || i < job.cardCount; i += CARDS_PER_IPC) {
    jobId = await api.addPrintCards(jobId, i < job.cardCount ? await job.cards(i, Math.min(job.cardCount, i + CARDS_PER_IPC)) : []);
  }
  return api.printContacts({ ...job.request, action, jobId: jobId!, count: job.cardCount });
}

export const usePrintJob = create<{ job: PrintJob | null; show(job: PrintJob | null): void }>()((set) => ({
  job: null,
  show: (job) =>
    set((was) => {
      // The job shown before is done with: its worker ends.
      if (was.job !== null && was.job !== job) was.job.close();
      return { job };
    }),
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

/** The layout's request: the file name and the layout's words in the UI language. */
export function printJobRequest(o: PrintJobOptions): PrintJobRequest {
  const texts = Object.fromEntries(Object.entries(TEXT_KEYS).map(([k, key]) => [k, o.t(key)])) as Record<PrintTextKey, string>;
  return { fileName: `${o.title}.pdf`, layout: o.layout, lang: o.lang, title: o.title, paper: o.paper, texts };
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

const defaultWorker: PrintWorkerFactory = () => new Worker(new URL('../../workers/print.worker.ts', import.meta.url), { type: 'module' }) as ReturnType<PrintWorkerFactory>;

/** What the dialog shows while the worker works: the cards read, then laid out. */
export type PrintProgress = (phase: 'read' | 'layout', done: number, total: number) => void;

/**
 * A print job of these contacts (named by id: the worker reads their cards from the window's
 * IndexedDB) in the UI language (its sorting, dates, direction and fonts), laid out in a worker so
 * the window stays responsive for 50,000 cards: `progress` as the cards are read and laid out;
 * `signal` stops the worker (the promise rejects with PrintCancelled). The worker lives on with
 * the job, answering for slices, until `close`.
 */
export function makePrintJob(source: PrintSource, o: PrintJobOptions & { readonly progress?: PrintProgress; readonly signal?: AbortSignal; readonly worker?: PrintWorkerFactory }): Promise<PrintJob> {
  const request = printJobRequest(o);
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted === true) {
      reject(new PrintCancelled());
      return;
    }
    const worker = (o.worker ?? defaultWorker)();
    let ended: Error | null = null;
    let nextRequest = 1;
    const waiting = new Map<number, { resolve(v: never): void; reject(e: Error): void }>();
    const end = (e: Error) => {
      if (ended !== null) return;
      ended = e;
      worker.terminate();
      o.signal?.removeEventListener('abort', stop);
      for (const w of waiting.values()) w.reject(e);
      waiting.clear();
      reject(e);
    };
    const stop = () => end(new PrintCancelled());
    o.signal?.addEventListener('abort', stop, { once: true });
    const ask = <T>(kind: 'items' | 'cards', from: number, to: number) =>
      new Promise<T>((res, rej) => {
        if (ended !== null) {
          rej(ended);
          return;
        }
        const id = nextRequest++;
        waiting.set(id, { resolve: res as (v: never) => void, reject: rej });
        worker.postMessage({ kind, request: id, from, to } satisfies PrintWorkerMessage);
      });
    const answer = (id: number, value: unknown, error?: Error) => {
      const w = waiting.get(id);
      waiting.delete(id);
      if (error !== undefined) w?.reject(error);
      else w?.resolve(value as never);
    };
    worker.onmessage = (e) => {
      const reply = e.data;
      if (reply.kind === 'progress') {
        if (reply.phase === 'read' && reply.done === reply.total) performance.mark('cardinal:print-read');
        o.progress?.(reply.phase, reply.done, reply.total);
      } else if (reply.kind === 'items') answer(reply.request, reply.html);
      else if (reply.kind === 'cards') answer(reply.request, reply.vcards);
      else if (reply.kind === 'ready') {
        // Laid out: no Stop from here on; the job ends the worker when closed.
        o.signal?.removeEventListener('abort', stop);
        resolve({
          doc: reply.doc,
          container: reply.container,
          count: reply.items,
          cardCount: reply.cards,
          request,
          items: (from, to) => ask<string>('items', from, to),
          cards: (from, to) => ask<readonly string[]>('cards', from, to),
          close: () => end(new PrintCancelled()),
        });
      } else if (reply.request !== undefined) answer(reply.request, null, new Error(reply.message));
      else end(new Error(reply.message));
    };
    worker.onerror = (e) => end(new Error(e.message));
    worker.postMessage({ kind: 'layout', ...source, layout: o.layout, lang: o.lang, title: o.title, paper: o.paper, texts: request.texts } satisfies PrintWorkerMessage);
    performance.mark('cardinal:print-sent');
  });
}
