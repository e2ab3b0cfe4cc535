/**
 * Lays out a print job off the UI thread (features/print/print-job.ts): 50,000 cards read, sorted
 * and written as the print document's HTML (its rows or cards apart, for the print view to show a
 * slice at a time), with progress as the cards are read. The cards come in slices (`cards`
 * messages, then `layout`) and the rows or cards go back in slices (`items`, then `done`), so the
 * window never copies all of them in one task. The window cancels by terminating the worker.
 */
import { printLayoutPieces, type PrintDocument, type PrintLayout, type PrintTextKey } from '../../../shared/print';

export interface PrintLayoutRequest {
  readonly layout: PrintLayout;
  readonly lang: string;
  readonly title: string;
  readonly paper: 'A4' | 'Letter';
  readonly texts: Readonly<Record<PrintTextKey, string>>;
}

export type PrintWorkerMessage = { readonly kind: 'cards'; readonly vcards: readonly string[] } | ({ readonly kind: 'layout' } & PrintLayoutRequest);

export type PrintLayoutReply =
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  | { readonly kind: 'items'; readonly items: readonly string[] }
  | { readonly kind: 'done'; readonly doc: PrintDocument; readonly container: string }
  | { readonly kind: 'failed'; readonly message: string };

/** Rows or cards a reply carries. */
export const ITEMS_PER_REPLY = 2000;

const post = (reply: PrintLayoutReply) => self.postMessage(reply);
let vcards: string[] = [];

self.onmessage = (event: MessageEvent<PrintWorkerMessage>) => {
  const r = event.data;
  if (r.kind === 'cards') {
    vcards.push(...r.vcards);
    return;
  }
  try {
    const pieces = printLayoutPieces(vcards, { layout: r.layout, lang: r.lang, title: r.title, paper: r.paper, text: (k) => r.texts[k], progress: (done, total) => post({ kind: 'progress', done, total }) });
    vcards = [];
    for (let i = 0; i < pieces.items.length; i += ITEMS_PER_REPLY) post({ kind: 'items', items: pieces.items.slice(i, i + ITEMS_PER_REPLY) });
    post({ kind: 'done', doc: pieces.doc, container: pieces.container });
  } catch (e) {
    vcards = [];
    post({ kind: 'failed', message: (e as Error).message });
  }
};
