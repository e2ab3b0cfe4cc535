/**
 * printContacts and calendarFile: what the main process accepts from the window, checked before
 * anything is laid out, printed or written.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/core/dispatch';
import { createRequestHandlers } from '../../../electron/core/handlers';
import { PendingStoreRequests } from '../../../electron/core/store-port';
import { NodePlatform } from '../../../electron/platform/node-platform';
import type { Platform } from '../../../electron/platform/platform';
import { SyncManager } from '../../../electron/sync/manager';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The Node platform posing as Electron (or not), recording what it is asked to print. */
function setup(shell: 'harness' | 'electron') {
  const dataDir = mkdtempSync(join(tmpdir(), 'cardinal-print-'));
  dirs.push(dataDir);
  const base = new NodePlatform({ dataDir, version: '1.0.0', locale: 'en-US', onOpenExternal: () => {} });
  const printed: { html: string; options: { action: string; fileName: string; title: string } }[] = [];
  const dialog = { saveAs: null as string | null };
  const p: Platform = Object.create(base, {
    shell: { value: shell },
    printDocument: {
      value: async (html: string, options: { action: 'pdf' | 'print'; fileName: string; title: string }) => {
        printed.push({ html, options });
        return options.action === 'pdf' ? 'saved' : 'printed';
      },
    },
    showSaveDialog: { value: async () => dialog.saveAs },
  }) as Platform;
  const handlers = createRequestHandlers(p, new SyncManager({ platform: p, store: new PendingStoreRequests(() => {}), emit: () => {}, intervalMinutes: 0, google: { client: null } }));
  return { p: { printed, set saveAs(v: string | null) { dialog.saveAs = v; }, get saveAs() { return dialog.saveAs; } }, handlers, dataDir };
}

const TEXTS = { name: 'نام', phones: 'تلفن', emails: 'ایمیل', addresses: 'نشانی', websites: 'وب', birthday: 'زادروز', anniversary: 'سالگرد', note: 'یادداشت', none: 'هیچ', 'type.cell': 'همراه', 'type.home': 'خانه', 'type.work': 'کار', 'type.fax': 'دورنگار', 'type.pager': 'پیجر', 'type.other': 'دیگر' };
const SARA = 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:سارا کریمی\r\nTEL:+98 21 1234 5678\r\nEND:VCARD\r\n';
const good = {
  action: 'pdf',
  fileName: 'دفترچه.pdf',
  layout: 'phone-list',
  lang: 'fa',
  title: 'فهرست تلفن',
  paper: 'A4',
  texts: TEXTS,
};

type Handlers = ReturnType<typeof setup>['handlers'];

/** The cards sent as the window sends them, a slice per addPrintCards; the job's id. */
async function sendCards(handlers: Handlers, cards: readonly string[], slice = 1000): Promise<string> {
  let jobId: string | null = null;
  for (let i = 0; i === 0 || i < cards.length; i += slice) {
    const reply = await dispatch(handlers, 'addPrintCards', [jobId, cards.slice(i, i + slice)]);
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    jobId = reply.value as string;
  }
  return jobId!;
}

/** A request for a job of these cards, sent first. */
async function job(handlers: Handlers, cards: readonly string[] = [SARA]) {
  return { ...good, jobId: await sendCards(handlers, cards), count: cards.length };
}

describe('printContacts', () => {
  it('lays the cards out in main (right to left for Persian) and prints that document, with a safe .pdf name', async () => {
    const { p, handlers } = setup('electron');
    expect(await dispatch(handlers, 'printContacts', [await job(handlers)])).toEqual({ ok: true, value: 'saved' });
    expect(p.printed).toHaveLength(1);
    const { html, options } = p.printed[0]!;
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(html).toContain('سارا کریمی');
    expect(html).not.toContain('<script');
    expect(options).toEqual({ action: 'pdf', fileName: 'دفترچه.pdf', title: 'فهرست تلفن' });
    await dispatch(handlers, 'printContacts', [{ ...(await job(handlers)), fileName: '../../etc/passwd' }]);
    expect(p.printed[1]!.options.fileName).toBe('etc passwd.pdf');
  });

  it('refuses what is not a print request: HTML instead of cards, unknown fields, bad enums, odd language tags, missing words', async () => {
    const { p, handlers } = setup('electron');
    const good = await job(handlers);
    const bad = [
      { ...good, html: '<script>alert(1)</script>' },
      { ...good, action: 'save' },
      { ...good, layout: 'poster' },
      { ...good, paper: 'A3' },
      { ...good, lang: 'fa"><script>' },
      { ...good, texts: { ...TEXTS, extra: 'x' } },
      { ...good, texts: { name: 'Name' } },
      { ...good, vcards: [SARA] },
      { ...good, jobId: 'not-a-job' },
      { ...good, count: -1 },
      { ...good, title: 'x'.repeat(301) },
    ];
    for (const request of bad) expect(await dispatch(handlers, 'printContacts', [request])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await dispatch(handlers, 'printContacts', [])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(p.printed).toEqual([]);
  });

  it('lays 5,000 cards out in slices: main answers another request before the layout is done', async () => {
    const { p, handlers } = setup('electron');
    const many = Array.from({ length: 5000 }, (_, i) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person ${i}\r\nTEL:+1 202 555 ${String(i).padStart(4, '0')}\r\nEND:VCARD\r\n`);
    const order: string[] = [];
    const request = await job(handlers, many);
    const printing = dispatch(handlers, 'printContacts', [request]).then(() => order.push('printed'));
    const info = dispatch(handlers, 'getAppInfo', []).then(() => order.push('getAppInfo'));
    await Promise.all([printing, info]);
    expect(order).toEqual(['getAppInfo', 'printed']);
    expect(p.printed[0]!.html.match(/<tr>/g)).toHaveLength(5001); // the header row and every card
  });

  it('is not available in the harness, which prints with window.print', async () => {
    const { handlers } = setup('harness');
    expect(await dispatch(handlers, 'addPrintCards', [null, [SARA]])).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(await dispatch(handlers, 'printContacts', [{ ...good, jobId: crypto.randomUUID(), count: 1 }])).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });
});

describe('addPrintCards: a print job sent in slices', () => {
  const card = (i: number) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person ${i}\r\nTEL:+1 202 555 ${String(i).padStart(4, '0')}\r\nEND:VCARD\r\n`;

  it('gathers the slices of one job in order and prints them once; the job is gone after', async () => {
    const { p, handlers } = setup('electron');
    const cards = Array.from({ length: 2500 }, (_, i) => card(i));
    const jobId = await sendCards(handlers, cards);
    expect(await dispatch(handlers, 'printContacts', [{ ...good, jobId, count: 2500 }])).toEqual({ ok: true, value: 'saved' });
    const html = p.printed[0]!.html;
    expect(html.match(/<tr>/g)).toHaveLength(2501);
    expect(html.indexOf('Person 1000<')).toBeGreaterThan(0);
    expect(await dispatch(handlers, 'printContacts', [{ ...good, jobId, count: 2500 }])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(p.printed).toHaveLength(1);
  });

  it('prints nothing when a slice was lost (the count differs), and refuses a job it never opened', async () => {
    const { p, handlers } = setup('electron');
    const jobId = await sendCards(handlers, [card(1), card(2)]);
    expect(await dispatch(handlers, 'printContacts', [{ ...good, jobId, count: 3 }])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await dispatch(handlers, 'addPrintCards', [crypto.randomUUID(), [card(3)]])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(p.printed).toEqual([]);
  });

  it('refuses a slice of more than 2,000 cards, or one that is not cards', async () => {
    const { handlers } = setup('electron');
    expect(await dispatch(handlers, 'addPrintCards', [null, Array.from({ length: 2001 }, (_, i) => card(i))])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await dispatch(handlers, 'addPrintCards', [null, 'BEGIN:VCARD'])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await dispatch(handlers, 'addPrintCards', [null, [42]])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await dispatch(handlers, 'addPrintCards', ['../x', [card(1)]])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });
});

describe('calendarFile', () => {
  const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';

  it('in the harness: says it is not available and writes nothing', async () => {
    const { handlers } = setup('harness');
    expect(await dispatch(handlers, 'calendarFile', [{ action: 'state' }])).toEqual({ ok: true, value: { path: null, available: false } });
    expect(await dispatch(handlers, 'calendarFile', [{ action: 'write', text: ics }])).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('writes only calendar text, only to the file the user chose, and stops when asked', async () => {
    const { p, handlers, dataDir } = setup('electron');
    expect(await dispatch(handlers, 'calendarFile', [{ action: 'write', text: ics }])).toMatchObject({ ok: false, error: { code: 'not-configured' } });
    p.saveAs = join(dataDir, 'birthdays.ics');
    expect(await dispatch(handlers, 'calendarFile', [{ action: 'choose', defaultName: 'Birthdays.ics' }])).toEqual({ ok: true, value: { path: p.saveAs, available: true } });
    expect(await dispatch(handlers, 'calendarFile', [{ action: 'write', text: 'not a calendar' }])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await dispatch(handlers, 'calendarFile', [{ action: 'write', text: ics, path: '/etc/passwd' }])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await dispatch(handlers, 'calendarFile', [{ action: 'write', text: ics }])).toMatchObject({ ok: true });
    expect(readFileSync(p.saveAs, 'utf8')).toBe(ics);
    expect(await dispatch(handlers, 'calendarFile', [{ action: 'stop' }])).toEqual({ ok: true, value: { path: null, available: true } });
    expect(await dispatch(handlers, 'calendarFile', [{ action: 'write', text: ics }])).toMatchObject({ ok: false, error: { code: 'not-configured' } });
  });
});
