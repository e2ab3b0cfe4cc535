/**
 * Lays out a print job off the UI thread and keeps it (print-layout-job.ts): the window sends the
 * contacts' ids, this worker reads their cards from the window's IndexedDB, lays them out and
 * answers the view's requests for slices of rows or cards, and Electron's for the cards, until
 * the window terminates it (the print view closed, Stop).
 */
import { PrintLayoutJob, type PrintWorkerMessage } from './print-layout-job';

const job = new PrintLayoutJob((reply) => self.postMessage(reply));

self.onmessage = (event: MessageEvent<PrintWorkerMessage>) => void job.handle(event.data);
