/**
 * Lays out a print job off the UI thread (features/print/print-job.ts): 50,000 cards read, sorted
 * and written as the print document's HTML (its rows or cards apart, for the print view to show a
 * slice at a time), with progress as the cards are read. The window
 * cancels by terminating the worker.
 */
import { printLayoutPieces, type PrintLayout, type PrintPieces, type PrintTextKey } from '../../../shared/print';

export interface PrintLayoutRequest {
  readonly vcards: readonly string[];
  readonly layout: PrintLayout;
  readonly lang: string;
  readonly title: string;
  readonly paper: 'A4' | 'Letter';
  readonly texts: Readonly<Record<PrintTextKey, string>>;
}

export type PrintLayoutReply = { readonly kind: 'progress'; readonly done: number; readonly total: number } | { readonly kind: 'done'; readonly pieces: PrintPieces } | { readonly kind: 'failed'; readonly message: string };

const post = (reply: PrintLayoutReply) => self.postMessage(reply);

self.onmessage = (event: MessageEvent<PrintLayoutRequest>) => {
  const r = event.data;
  try {
    const pieces = printLayoutPieces(r.vcards, { layout: r.layout, lang: r.lang, title: r.title, paper: r.paper, text: (k) => r.texts[k], progress: (done, total) => post({ kind: 'progress', done, total }) });
    post({ kind: 'done', pieces });
  } catch (e) {
    post({ kind: 'failed', message: (e as Error).message });
  }
};
