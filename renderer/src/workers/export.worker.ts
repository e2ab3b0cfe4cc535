/**
 * Runs an export off the UI thread (features/export/export-run.ts): the cards of a 50,000-contact
 * book converted, written as CSV or as a calendar, and their losses summed up.
 */
import { runExport, type ExportRequest, type ExportResult } from '../features/export/export-run';

export type ExportReply = { ok: true; result: ExportResult } | { ok: false; message: string };

self.onmessage = (event: MessageEvent<ExportRequest>) => {
  let reply: ExportReply;
  try {
    reply = { ok: true, result: runExport(event.data) };
  } catch (e) {
    reply = { ok: false, message: (e as Error).message };
  }
  self.postMessage(reply);
};
