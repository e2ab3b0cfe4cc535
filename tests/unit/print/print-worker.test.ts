/**
 * The print layout runs in a worker that reads the cards itself (renderer/src/workers/
 * print-layout-job.ts), not on the UI thread: here the worker's job runs in-thread behind a fake
 * Worker (messages copied as postMessage copies them), over the window's database in
 * fake-indexeddb, so what the window sends (ids, never cards) and gets (progress, the document's
 * frame, slices asked for, a cancel) is checked without a browser.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { printLayout } from '../../../shared/print';
import { parseVCard, toContact } from '../../../shared/vcard';
import { makePrintJob, PrintCancelled, type PrintWorkerFactory } from '../../../renderer/src/features/print/print-job';
import { translator } from '../../../renderer/src/i18n';
import { CardinalDB } from '../../../renderer/src/db/schema';
import { PrintLayoutJob, SCAN_FROM, type PrintLayoutReply, type PrintSource } from '../../../renderer/src/workers/print-layout-job';

const STORE = 'print-worker-test';

/** A Worker whose script is the print worker's job, run on this thread a tick after each message. */
function fakeWorker(log: string[], sent: unknown[] = [], reads: string[] = []): PrintWorkerFactory {
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
        const copy = structuredClone(message);
        sent.push(copy);
        setTimeout(() => {
          if (!terminated) void job.handle(copy as never); // a real worker is gone: what was sent is never read
        }, 0);
      },
    };
    const job = new PrintLayoutJob(
      (reply) => {
        const copy = structuredClone(reply);
        if (!terminated) w.onmessage?.({ data: copy } as MessageEvent<PrintLayoutReply>);
      },
      (store) => {
        const db = new CardinalDB(store);
        const bulkGet = db.cards.bulkGet.bind(db.cards);
        vi.spyOn(db.cards, 'bulkGet').mockImplementation((keys) => {
          reads.push(`by id ${keys.length}`);
          return bulkGet(keys);
        });
        const toCollection = db.cards.toCollection.bind(db.cards);
        vi.spyOn(db.cards, 'toCollection').mockImplementation(() => {
          reads.push('in key order');
          return toCollection();
        });
        return db;
      },
    );
    return w;
  };
}

const vcards = Array.from({ length: 4500 }, (_, i) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person ${String(4499 - i).padStart(4, '0')}\r\nTEL;TYPE=cell:+1 202 555 ${String(i).padStart(4, '0')}\r\nBDAY:1981-03-${String((i % 28) + 1).padStart(2, '0')}\r\nEND:VCARD\r\n`);
const ids = vcards.map((_, i) => `c${String(i).padStart(5, '0')}`);
const t = translator('fa');
const card = (uid: string, lines: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\n${lines.split('\n').join('\r\n')}\r\nEND:VCARD\r\n`;
const here = card('ann-local', 'FN:Ann Arbor\nEMAIL:ann@home.example');
const server = card('ann-server', 'FN:Annie Arbor\nEMAIL;TYPE=work:ann@arbor.example\nTEL;TYPE=cell:+1 202 555 0147');
const ben = card('ben', 'FN:Ben Bolt\nTEL:+1 202 555 0100');

const source = (of: readonly string[], links: PrintSource['links'] = []): PrintSource => ({ store: STORE, ids: of, links, region: 'US' });
/** Every row or card of a job, asked in slices as the view asks. */
async function allItems(job: { count: number; items(from: number, to: number): Promise<string> }, slice = 200): Promise<string> {
  const parts: string[] = [];
  for (let i = 0; i < job.count; i += slice) parts.push(await job.items(i, Math.min(job.count, i + slice)));
  return parts.join('\n');
}

let db: CardinalDB;
beforeAll(async () => {
  db = new CardinalDB(STORE);
  await db.open();
  const row = (id: string, vcard: string) => ({ id, bookId: 'local', vcard, base: '', href: '', etag: '' });
  await db.cards.bulkPut([...vcards.map((v, i) => row(ids[i]!, v)), row('here', here), row('server', server), row('ben', ben)]);
});
afterAll(() => db.close());

describe('the print layout in a worker that reads the cards itself', () => {
  it('the window sends 4,500 ids and no card; the worker reads them in key order, lays them out with progress, and keeps the rows, giving the view the slices it asks for', async () => {
    const log: string[] = [];
    const sent: unknown[] = [];
    const reads: string[] = [];
    const progress: string[] = [];
    const job = await makePrintJob(source(ids), { layout: 'cards', lang: 'fa', title: 'کارت‌ها', paper: 'A4', t, worker: fakeWorker(log, sent, reads), progress: (phase, done) => progress.push(`${phase} ${done}`) });
    expect(ids.length).toBeGreaterThanOrEqual(SCAN_FROM);
    expect(reads).toContain('in key order');
    expect(reads.filter((r) => r.startsWith('by id'))).toEqual([]); // not 4,500 single reads
    expect(JSON.stringify(sent)).not.toContain('BEGIN:VCARD');
    expect(progress.filter((p) => p.startsWith('read')).at(-1)).toBe('read 4500');
    expect(progress.filter((p) => p.startsWith('layout'))).toEqual(['layout 500', 'layout 1000', 'layout 1500', 'layout 2000', 'layout 2500', 'layout 3000', 'layout 3500', 'layout 4000', 'layout 4500', 'layout 4500']);
    expect(job.container).toBe('.grid');
    expect(job.count).toBe(4500);
    expect(job.cardCount).toBe(4500);
    expect(job.doc.dir).toBe('rtl');
    // The view's slices, put together, are the document printLayout makes at once.
    const direct = printLayout(vcards, { layout: 'cards', lang: 'fa', title: 'کارت‌ها', paper: 'A4', text: (k) => job.request.texts[k] });
    expect({ ...job.doc, body: job.doc.body.replace('<div class="grid">\n', `<div class="grid">\n${await allItems(job)}`) }).toEqual(direct);
    const [first, second] = (await job.items(0, 2)).split('\n');
    expect(first).toContain('Person 0000');
    expect(second).toContain('Person 0001');
    // What main prints from in Electron: the cards laid out, asked for a slice at a time.
    expect(await job.cards(0, 2)).toEqual(vcards.slice(0, 2));
    expect((await job.cards(4000, 5000)).length).toBe(500);
    expect(job.request).toMatchObject({ layout: 'cards', lang: 'fa', paper: 'A4', fileName: 'کارت‌ها.pdf' });
    expect(job.request).not.toHaveProperty('vcards');
    // The worker lives as long as the job: closing it ends the worker, and nothing more is answered.
    expect(log).toEqual([]);
    job.close();
    expect(log).toEqual(['terminated']);
    await expect(job.items(0, 10)).rejects.toBeInstanceOf(PrintCancelled);
  });

  it('a selection of a few is read by id, in its order; a contact deleted meanwhile is left out', async () => {
    const reads: string[] = [];
    const job = await makePrintJob(source(['ben', 'gone', ids[7]!]), { layout: 'phone-list', lang: 'en', title: 'Phones', paper: 'Letter', t: translator('en'), worker: fakeWorker([], [], reads) });
    expect(reads).toEqual(['by id 3']);
    expect(job.cardCount).toBe(2);
    expect(await job.cards(0, 10)).toEqual([ben, vcards[7]]);
    expect(job.count).toBe(2);
    const rows = await allItems(job);
    expect(rows).toContain('Ben Bolt');
    expect(rows).toContain('Person 4492');
    job.close();
  });

  it('a linked contact prints as one card: the shown card’s name, every card’s e-mails and numbers', async () => {
    const links: PrintSource['links'] = [
      ['here', 'L', 'server'],
      ['server', 'L', 'server'],
    ];
    const job = await makePrintJob(source(['here', 'ben', 'server'], links), { layout: 'phone-list', lang: 'en', title: 'Phones', paper: 'A4', t: translator('en'), worker: fakeWorker([]) });
    expect(job.cardCount).toBe(2);
    expect(job.count).toBe(2);
    const rows = await allItems(job);
    expect(rows).toContain('Annie Arbor');
    expect(rows).not.toContain('Ann Arbor<');
    expect(rows).toContain('ann@home.example');
    expect(rows).toContain('ann@arbor.example');
    const one = toContact(parseVCard((await job.cards(0, 2)).find((v) => v.includes('ann-server'))!));
    expect(one.emails.map((e) => e.value).sort()).toEqual(['ann@arbor.example', 'ann@home.example']);
    job.close();
  });

  it('Stop ends the worker: the job is not made, the promise says it was cancelled', async () => {
    const log: string[] = [];
    const control = new AbortController();
    const job = makePrintJob(source(ids), { layout: 'phone-list', lang: 'en', title: 'Phones', paper: 'Letter', t: translator('en'), worker: fakeWorker(log), signal: control.signal, progress: () => log.push('progress') });
    control.abort();
    await expect(job).rejects.toBeInstanceOf(PrintCancelled);
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['terminated']); // nothing came back after the stop
    // Already stopped: no worker is started at all.
    const again = makePrintJob(source(ids), { layout: 'phone-list', lang: 'en', title: 'Phones', paper: 'Letter', t: translator('en'), worker: fakeWorker(log), signal: control.signal });
    await expect(again).rejects.toBeInstanceOf(PrintCancelled);
    expect(log).toEqual(['terminated']);
  });
});
