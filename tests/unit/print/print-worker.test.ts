/**
 * The print layout runs in a worker (renderer/src/workers/print.worker.ts), not on the UI thread:
 * here the worker module runs in-thread behind a fake Worker, so what the window gets (progress,
 * the document, a cancel) is checked without a browser.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { printLayout } from '../../../shared/print';
import { makePrintJob, PrintCancelled, type PrintWorkerFactory } from '../../../renderer/src/features/print/print-job';
import { translator } from '../../../renderer/src/i18n';
import type { PrintLayoutReply } from '../../../renderer/src/workers/print.worker';

type Scope = { postMessage(r: PrintLayoutReply): void; onmessage: ((e: MessageEvent) => void) | null };
const scope: Scope = { postMessage: () => {}, onmessage: null };

beforeAll(async () => {
  (globalThis as unknown as { self: Scope }).self = scope;
  await import('../../../renderer/src/workers/print.worker');
});

/** A Worker whose script is the print worker, run on this thread a tick after postMessage. */
function fakeWorker(log: string[], sent: string[] = [], got: string[] = []): PrintWorkerFactory {
  return () => {
    let terminated = false;
    const w: ReturnType<PrintWorkerFactory> = {
      onmessage: null,
      onerror: null,
      terminate: () => {
        terminated = true;
        log.push('terminated');
      },
      postMessage: (message: unknown) => {
        const m = message as { kind: string; vcards?: unknown[] };
        sent.push(m.vcards === undefined ? m.kind : `${m.kind} ${m.vcards.length}`);
        setTimeout(() => {
          if (terminated) return; // a real worker is gone: what was sent is never read
          scope.postMessage = (reply) => {
            if (reply.kind === 'items') got.push(`items ${reply.items.length}`);
            if (!terminated) w.onmessage?.({ data: reply } as MessageEvent<PrintLayoutReply>);
          };
          scope.onmessage?.({ data: message } as MessageEvent);
        }, 0);
      },
    };
    return w;
  };
}

const vcards = Array.from({ length: 4500 }, (_, i) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person ${String(4499 - i).padStart(4, '0')}\r\nTEL;TYPE=cell:+1 202 555 ${String(i).padStart(4, '0')}\r\nBDAY:1981-03-${String((i % 28) + 1).padStart(2, '0')}\r\nEND:VCARD\r\n`);
const t = translator('fa');

describe('the print layout in a worker', () => {
  it('sends the cards to the worker a slice at a time and gets the document back in slices, with progress as the cards are read', async () => {
    const log: string[] = [];
    const progress: number[] = [];
    const sent: string[] = [];
    const got: string[] = [];
    const job = await makePrintJob(vcards, { layout: 'cards', lang: 'fa', title: 'کارت‌ها', paper: 'A4', t, worker: fakeWorker(log, sent, got), progress: (done) => progress.push(done) });
    expect(progress).toEqual([500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 4500]);
    const direct = printLayout(vcards, { layout: 'cards', lang: 'fa', title: 'کارت‌ها', paper: 'A4', text: (k) => job.request.texts[k] });
    // The document with its list empty, and each card apart, for the view to put in a slice at a time.
    expect(job.container).toBe('.grid');
    expect(sent).toEqual(['cards 2000', 'cards 2000', 'cards 500', 'layout']);
    expect(got).toEqual(['items 2000', 'items 2000', 'items 500']);
    expect(job.items).toHaveLength(4500);
    expect({ ...job.doc, body: job.doc.body.replace('<div class="grid">\n', `<div class="grid">\n${job.items.join('\n')}`) }).toEqual(direct);
    expect(job.doc.dir).toBe('rtl');
    expect(job.items[0]).toContain('Person 0000');
    expect(job.items[1]).toContain('Person 0001');
    expect(job.request).toMatchObject({ layout: 'cards', lang: 'fa', paper: 'A4', fileName: 'کارت‌ها.pdf', vcards });
    expect(log).toEqual(['terminated']); // the worker is ended once it has answered
  });

  it('Stop ends the worker: the job is not made, the promise says it was cancelled', async () => {
    const log: string[] = [];
    const control = new AbortController();
    const job = makePrintJob(vcards, { layout: 'phone-list', lang: 'en', title: 'Phones', paper: 'Letter', t: translator('en'), worker: fakeWorker(log), signal: control.signal, progress: () => log.push('progress') });
    control.abort();
    await expect(job).rejects.toBeInstanceOf(PrintCancelled);
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['terminated']); // nothing came back after the stop
    // Already stopped: no worker is started at all.
    const again = makePrintJob(vcards, { layout: 'phone-list', lang: 'en', title: 'Phones', paper: 'Letter', t: translator('en'), worker: fakeWorker(log), signal: control.signal });
    await expect(again).rejects.toBeInstanceOf(PrintCancelled);
    expect(log).toEqual(['terminated']);
  });
});
