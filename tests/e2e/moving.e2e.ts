/**
 * Moving in and out (issue 19) in the window: CSV imports (Google, German Outlook in
 * windows-1252, any other CSV through the column mapping), every export format read back, the
 * print view as a PDF rendered to PNG, sharing one contact as a QR code, and the dialogs in the
 * screenshot sweep (light, dark, Persian; 1280×800 and 800×600).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import ICAL from 'ical.js';
import jsQR from 'jsqr';
import { importCsv } from '../../shared/csv';
import { parseVCards, toContact, type Contact } from '../../shared/vcard';
import { expect, test } from './fixtures';
import { card, contactList, importCards, listRow } from './helpers';
import { SHOTS, captureDialogVariants, captureScreen, chooseLanguage } from './pages';

const FIXTURES = new URL('../fixtures/csv/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));

async function importFile(page: Page, name: string, buffer: Buffer, mimeType = 'text/csv'): Promise<void> {
  await page.getByTestId('import-input').setInputFiles({ name, mimeType, buffer });
}

/** What a CSV holds, read by the core, as comparable facts per contact. */
function facts(bytes: Uint8Array): string[] {
  return parseVCards(importCsv(bytes).vcf)
    .cards.map(({ card: c }) => toContact(c))
    .map((c: Contact) => [c.name.family, c.name.given, c.organization.name, ...c.emails.map((e) => e.value), ...c.phones.map((p) => p.value)].join('|'))
    .sort();
}

/**
 * Open Export, pick a format (by its label), and which contacts (`scope`: the radio's label) and
 * photos in or out if asked, go to the review, save; the downloaded files.
 */
async function exportAs(page: Page, format: RegExp, options: { perContact?: boolean; language?: string; scope?: RegExp; photos?: boolean; count?: string } = {}): Promise<{ name: string; bytes: Buffer }[]> {
  await page.getByRole('navigation').getByRole('button', { name: /^Export/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Export contacts' });
  await dialog.getByRole('radio', { name: format }).check();
  if (options.scope !== undefined) await dialog.getByRole('radio', { name: options.scope }).check();
  if (options.photos !== undefined) await dialog.getByRole('checkbox', { name: 'Include photos' }).setChecked(options.photos);
  if (options.count !== undefined) await expect(dialog.getByTestId('export-count')).toHaveText(options.count);
  if (options.language !== undefined) await dialog.getByLabel('Outlook’s language (column names)').selectOption(options.language);
  if (options.perContact === true) await dialog.getByRole('radio', { name: 'One file per contact' }).check();
  await dialog.getByRole('button', { name: 'Next' }).click();
  const review = page.getByRole('dialog', { name: 'Before saving' });
  await expect(review.getByTestId('export-review')).toBeVisible();
  const save = review.locator('button[type="submit"]');
  const expected = Number((await save.textContent())?.match(/\d+/)?.[0] ?? '1');
  const downloads: { name: string; bytes: Buffer }[] = [];
  const got = new Promise<void>((resolve) => {
    page.on('download', async (d) => {
      downloads.push({ name: d.suggestedFilename(), bytes: readFileSync((await d.path())!) });
      if (downloads.length === expected) resolve();
    });
  });
  await save.click();
  await got;
  page.removeAllListeners('download');
  return downloads;
}

test('a Google Contacts CSV is recognised and imported with its " ::: " values; importing it again adds nothing', async ({ app }) => {
  const { page } = app;
  await importFile(page, 'contacts.csv', fixture('google-current.csv'));
  const dialog = page.getByRole('dialog', { name: 'Import contacts' });
  await expect(dialog.getByTestId('import-format')).toHaveText('Google Contacts CSV');
  await expect(dialog.getByTestId('import-summary')).toContainText('4 new');
  await expect(dialog.getByTestId('import-errors')).toContainText('Row');
  await dialog.getByRole('button', { name: 'Import 4 new contacts' }).click();
  await expect(listRow(page, 'Grace')).toBeVisible();
  await expect(listRow(page, 'مریم')).toBeVisible();
  await importFile(page, 'contacts.csv', fixture('google-current.csv'));
  await expect(page.getByTestId('import-summary')).toContainText('0 new, 4 already here');
  await page.getByRole('button', { name: 'Cancel' }).click();
});

test('a German Outlook CSV in windows-1252 is recognised, its umlauts and day-first birthday read right', async ({ app }) => {
  const { page } = app;
  await importFile(page, 'Kontakte.CSV', fixture('outlook-de.csv'), 'application/vnd.ms-excel');
  const dialog = page.getByRole('dialog', { name: 'Import contacts' });
  await expect(dialog.getByTestId('import-format')).toHaveText('Outlook CSV (German)');
  await dialog.getByRole('button', { name: 'Import 2 new contacts' }).click();
  await listRow(page, 'Jürgen Müller').click();
  await expect(page.getByRole('heading', { name: 'Jürgen Müller' })).toBeVisible();
  await expect(page.getByText('Hauptstraße 5')).toBeVisible();
  await expect(page.getByText('May 14, 1968')).toBeVisible();
  await expect(listRow(page, 'Anna-Lena')).toContainText('Weiß');
});

test('a UTF-8 Google CSV with one stray byte is read as UTF-8 and says so; another encoding chosen reads the names again, and back', async ({ app }) => {
  const { page } = app;
  const good = fixture('google-current.csv');
  const at = good.indexOf('Computing');
  // One windows-1252 "é" in Grace's department: before, the whole file was read as windows-1250.
  const bytes = Buffer.concat([good.subarray(0, at), Buffer.from([0xe9]), good.subarray(at)]);
  await importFile(page, 'contacts.csv', bytes);
  const dialog = page.getByRole('dialog', { name: 'Import contacts' });
  await expect(dialog.getByTestId('import-format')).toHaveText('Google Contacts CSV');
  await expect(dialog.getByLabel('Character encoding')).toHaveValue('utf-8');
  await expect(dialog.getByTestId('csv-encoding-doubt')).toContainText('1 byte in this file is not UTF-8 (the first on line 2)');
  const names = dialog.getByTestId('csv-first-contacts');
  await expect(names).toContainText('愛川');
  await dialog.getByLabel('Character encoding').selectOption('windows-1250');
  await expect(dialog.getByLabel('Character encoding')).toHaveValue('windows-1250');
  await expect(names).not.toContainText('愛川');
  await expect(names).toContainText('Grace');
  await expect(dialog.getByTestId('csv-encoding-doubt')).toBeVisible();
  await dialog.getByLabel('Character encoding').selectOption('utf-8');
  await expect(names).toContainText('愛川');
  await dialog.getByRole('button', { name: 'Import 4 new contacts' }).click();
  await expect(listRow(page, 'مریم')).toBeVisible();
});

test('a broken quote that runs rows together is said with its lines, in the mapping step and the summary; none of those rows is imported', async ({ app }) => {
  const { page } = app;
  const text = 'Name,Email,Phone,City\nAnn Lee,ann@example.org,1,Oslo\nBob Ray,"bob@example.org,2,Rome\nCid Orr,cid@example.org,3,Lima\nDan Poe,dan@example.org,4,Kyiv\n';
  await importFile(page, 'list.csv', Buffer.from(text));
  const map = page.getByRole('dialog', { name: 'Choose what each column holds' });
  await expect(map.getByTestId('csv-run-together')).toContainText('3 lines were not imported');
  await expect(map.getByTestId('csv-quote-problems')).toContainText('Lines 3–5 were read as one row: a quote opened on line 3');
  await map.getByRole('button', { name: 'Continue' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import contacts' });
  await expect(dialog.getByTestId('import-summary')).toHaveText('4 cards in the file: 1 new, 0 already here, 0 differ from a contact with the same UID, 3 could not be read.');
  await expect(dialog.getByTestId('csv-run-together')).toBeVisible();
  await expect(dialog.getByTestId('import-errors')).toContainText('Lines 3–5 were read as one row');
  await dialog.getByRole('button', { name: 'Import 1 new contact' }).click();
  await expect(listRow(page, 'Ann Lee')).toBeVisible();
  await expect(contactList(page).getByText('Bob Ray')).toHaveCount(0);
});

test('an empty CSV, or one with a header row alone, says nothing can be imported and why; no mapping step, nothing added', async ({ app }) => {
  const { page } = app;
  for (const [name, text] of [['empty.csv', ''], ['header.csv', 'Name,Email,Phone\n']] as const) {
    await importFile(page, name, Buffer.from(text));
    const dialog = page.getByRole('dialog', { name: 'Import contacts' });
    await expect(dialog.getByTestId('import-summary')).toHaveText('Nothing can be imported from this file: it holds no rows of contacts.');
    await expect(page.getByRole('dialog', { name: 'Choose what each column holds' })).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
  }
  await expect(contactList(page).getByRole('option')).toHaveCount(0);
});

test('any other CSV goes through the column mapping, with its first rows shown; a changed column is imported as chosen', async ({ app }) => {
  const { page } = app;
  await importFile(page, 'kontakty.csv', fixture('excel-pl-semicolon-1250.csv'));
  const map = page.getByRole('dialog', { name: 'Choose what each column holds' });
  await expect(map).toBeVisible();
  await expect(map.getByLabel('Character encoding')).toHaveValue('windows-1250');
  await expect(map.getByLabel('Columns separated by')).toHaveValue(';');
  const table = map.getByTestId('csv-mapping');
  await expect(table.getByRole('rowheader', { name: 'Imię' })).toBeVisible();
  await expect(table).toContainText('Łukasiewicz');
  await expect(table).toContainText('Zażółć gęślą jaźń; dzwonić po 17');
  await expect(map.getByLabel('Import “Imię” as')).toHaveValue('name.given');
  await expect(map.getByLabel('Import “Telefon” as')).toHaveValue('phone');
  await map.getByLabel('Import “Telefon” as').selectOption('phone.cell');
  await map.getByLabel('Import “Uwagi” as').selectOption('');
  await map.getByRole('button', { name: 'Continue' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import contacts' });
  await expect(dialog.getByTestId('import-format')).toHaveText('CSV read with your column choices');
  await dialog.getByRole('button', { name: 'Import 2 new contacts' }).click();
  await listRow(page, 'Michał Łukasiewicz').click();
  await expect(page.getByText('Wrocław')).toBeVisible();
  await expect(page.getByText('December 24, 1975')).toBeVisible();
  await expect(page.getByText('Zażółć')).toHaveCount(0); // the column left out
  await expect(page.getByRole('main')).toContainText(/Mobile|mobile/);
});

test('round trips: vCard 4.0, 3.0 and one file per contact; Google and Outlook CSV (CSV → Cardinal → CSV → Cardinal); the birthdays calendar', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  const cards = [
    card('m1', 'FN:Ada Lovelace\nN:Lovelace;Ada;;;\nORG:Analytical Engines\nEMAIL;TYPE=work:ada@example.org\nTEL;TYPE=cell:+44 20 7946 0000\nBDAY:1815-12-10\nNICKNAME:Countess'),
    card('m2', 'FN:سارا کریمی\nN:کریمی;سارا;;;\nTEL:+98 21 1234 5678\nBDAY:--0229'),
    card('m3', 'FN:王小明\nN:王;小明;;;\nEMAIL:wang@example.tw\nBDAY:1980'),
  ].join('');
  await importCards(page, cards, 3);

  // vCard 4.0 of cards stored as 4.0: re-imported, nothing changed.
  const [v4] = await exportAs(page, /^vCard 4\.0/);
  expect(v4!.name).toBe('Contacts.vcf');
  await page.getByTestId('import-input').setInputFiles({ name: 'back.vcf', mimeType: 'text/vcard', buffer: v4!.bytes });
  await expect(page.getByTestId('import-summary')).toHaveText('3 cards in the file: 0 new, 3 already here, 0 differ from a contact with the same UID.');
  await page.getByRole('button', { name: 'Cancel' }).click();

  const [v3] = await exportAs(page, /^vCard 3\.0/);
  expect(v3!.bytes.toString('utf8').match(/VERSION:3\.0/g)).toHaveLength(3);
  const each = await exportAs(page, /^vCard 4\.0/, { perContact: true });
  expect(each.map((f) => f.name).sort()).toEqual(['Ada Lovelace.vcf', 'سارا کریمی.vcf', '王小明.vcf'].sort());

  // Google CSV: the review names what the format cannot hold, before saving.
  await page.getByRole('button', { name: /^Export/ }).click();
  await page.getByRole('dialog').getByRole('radio', { name: 'Google Contacts CSV' }).check();
  await page.getByRole('dialog').getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('export-losses-none').or(page.getByTestId('export-losses'))).toBeVisible();
  await page.keyboard.press('Escape');

  // Cardinal's own Google and Outlook CSV imported back into the same book: a CSV has no UID,
  // and each format respells the cards (Outlook keeps no e-mail kinds, a birthday with no year
  // is left out), yet every contact is already here.
  for (const [format, language] of [['Google Contacts CSV', undefined], ['Outlook CSV', 'en'], ['Outlook CSV', 'de']] as const) {
    const [csv] = await exportAs(page, new RegExp(`^${format}$`), language === undefined ? {} : { language });
    await importFile(page, `back-${language ?? 'google'}.csv`, csv!.bytes);
    await expect(page.getByTestId('import-summary')).toHaveText('3 cards in the file: 0 new, 3 already here, 0 differ from a contact with the same UID.');
    await page.getByRole('button', { name: 'Cancel' }).click();
  }

  // The calendar: ical.js reads one yearly event per full date; the year alone is left out.
  const [ics] = await exportAs(page, /calendar/);
  expect(ics!.name).toBe('Birthdays.ics');
  const events = new ICAL.Component(ICAL.parse(ics!.bytes.toString('utf8'))).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  expect(events.map((e) => e.summary).sort()).toEqual(['Ada Lovelace’s birthday (born 1815)', 'سارا کریمی’s birthday']);
  // One yearly event per birthday, from the day of birth (29 February with no year: from 2000).
  const rules = events.map((e) => ({ summary: e.summary, start: e.startDate.toString(), allDay: e.startDate.isDate, freq: (e.component.getFirstPropertyValue('rrule') as ICAL.Recur | null)?.freq }));
  expect(rules.sort((a, b) => a.start.localeCompare(b.start))).toEqual([
    { summary: 'Ada Lovelace’s birthday (born 1815)', start: '1815-12-10', allDay: true, freq: 'YEARLY' },
    { summary: 'سارا کریمی’s birthday', start: '2000-02-29', allDay: true, freq: 'YEARLY' },
  ]);
});

/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

test('export choices clicked through: the selection, or all contacts from the same dialog; photos left out, or kept', async ({ app }) => {
  const { page } = app;
  await importCards(page, [
    card('x1', `FN:Ada Lovelace\nN:Lovelace;Ada;;;\nEMAIL:ada@example.org\nPHOTO:data:image/png;base64,${PNG}`),
    card('x2', 'FN:Ben Bolt\nN:Bolt;Ben;;;\nTEL:+1 202 555 0100'),
    card('x3', 'FN:Cat Cole\nN:Cole;Cat;;;\nTEL:+1 202 555 0101'),
  ].join(''), 3);
  const uids = (f: { bytes: Buffer }) => [...f.bytes.toString('utf8').matchAll(/^UID:(.*?)\r?$/gm)].map((m) => m[1]).sort();
  // Two selected rows: the dialog offers (and starts from) them.
  await listRow(page, 'Ada Lovelace').click();
  await listRow(page, 'Cat Cole').click({ modifiers: ['ControlOrMeta'] });
  const [two] = await exportAs(page, /^vCard 4\.0/, { scope: /^The 2 selected contacts$/, count: '2 contacts will be exported.' });
  expect(uids(two!)).toEqual(['x1', 'x3']);
  // The same selection, but all contacts chosen in the dialog.
  const [all] = await exportAs(page, /^vCard 4\.0/, { scope: /^All contacts \(3\)$/, count: '3 contacts will be exported.' });
  expect(uids(all!)).toEqual(['x1', 'x2', 'x3']);
  // Photos: kept by default, left out when unticked (in 3.0 too), and the rest of the card stays.
  expect(all!.bytes.toString('utf8')).toContain(PNG.slice(0, 40));
  for (const format of [/^vCard 4\.0/, /^vCard 3\.0/]) {
    const [bare] = await exportAs(page, format, { scope: /^All contacts/, photos: false });
    const text = bare!.bytes.toString('utf8');
    expect(text).not.toMatch(/^PHOTO/m);
    expect(text).toContain('ada@example.org');
    expect(uids(bare!)).toEqual(['x1', 'x2', 'x3']);
  }
  const [kept] = await exportAs(page, /^vCard 3\.0/, { scope: /^All contacts/, photos: true });
  expect(kept!.bytes.toString('utf8')).toMatch(/^PHOTO/m);
});

for (const [file, format, language] of [
  ['google-current.csv', 'Google Contacts CSV', undefined],
  ['outlook-de.csv', 'Outlook CSV', 'de'],
] as const) {
  test(`CSV → Cardinal → CSV → Cardinal: ${format}${language === undefined ? '' : ` (${language})`} keeps what the format holds`, async ({ app }) => {
    const { page } = app;
    const original = new Uint8Array(fixture(file));
    await importFile(page, file, Buffer.from(original));
    await page.getByRole('dialog').getByRole('button', { name: /^Import \d+ new/ }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    const [csv] = await exportAs(page, new RegExp(`^${format}$`), language === undefined ? {} : { language });
    expect(facts(new Uint8Array(csv!.bytes))).toEqual(facts(original));
    await importFile(page, `again-${file}`, csv!.bytes);
    await expect(page.getByTestId('import-summary')).toContainText(`0 new, ${facts(original).length} already here`);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });
}

/** Every page of a PDF as pdftoppm renders it, in grey (PGM: a short header, then one byte a pixel, 0 black). */
function pageImages(pdf: string, prefix: string, dpi: number): { width: number; height: number; at: (x: number, y: number) => number }[] {
  execFileSync('pdftoppm', ['-gray', '-r', String(dpi), pdf, prefix]);
  const dir = join(prefix, '..');
  const base = prefix.slice(dir.length + 1);
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${base}-`) && f.endsWith('.pgm'))
    .sort((a, b) => Number(/-(\d+)\.pgm$/.exec(a)![1]) - Number(/-(\d+)\.pgm$/.exec(b)![1]))
    .map((f) => {
      const bytes = readFileSync(join(dir, f));
      const head = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 40).toString('latin1'))!;
      const [width, height, offset] = [Number(head[1]), Number(head[2]), head[0].length];
      return { width, height, at: (x: number, y: number) => bytes[offset + y * width + x]! };
    });
}

/**
 * The first row, from `from` down, where ink (< 230) covers most of the page's width: the line
 * under the header (on the first page the header's black rule; where Chromium repeats the header
 * on a later page, it draws the collapsed border as the rows' grey one).
 */
function ruleRow(p: ReturnType<typeof pageImages>[number], from = 0): { y: number; left: number; right: number } | null {
  for (let y = from; y < p.height; y++) {
    let left = -1;
    let right = -1;
    let dark = 0;
    for (let x = 0; x < p.width; x++) {
      if (p.at(x, y) < 230) {
        dark += 1;
        if (left < 0) left = x;
        right = x;
      }
    }
    if (dark > p.width * 0.6) return { y, left, right };
  }
  return null;
}

/** The extent of the ink (< 160) in rows y0..y1. */
function inkBetween(p: ReturnType<typeof pageImages>[number], y0: number, y1: number): { left: number; right: number } | null {
  let left = p.width;
  let right = -1;
  for (let y = Math.max(0, y0); y < y1; y++) {
    for (let x = 0; x < p.width; x++) {
      if (p.at(x, y) < 160) {
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
  }
  return right < 0 ? null : { left, right };
}

test('print: a Persian phone list as a PDF over several pages, each page checked as an image (right to left, the header on each); Print calls window.print in the harness', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  // 40 more contacts than fit on one A4 page, so the list runs over pages.
  const many = Array.from({ length: 40 }, (_, i) => card(`pm${i}`, `FN:مخاطب شماره ${i + 1}\nTEL;TYPE=cell:+98 912 000 ${String(i).padStart(4, '0')}\nTEL;TYPE=home:+98 21 5555 ${String(i).padStart(4, '0')}\nEMAIL:user${i}@example.ir`));
  await importCards(page, [
    card('p1', 'FN:سارا کریمی\nN:کریمی;سارا;;;\nEMAIL:sara@example.ir\nTEL;TYPE=cell:+98 21 1234 5678'),
    card('p2', 'FN:王小明\nN:王;小明;;;\nTEL:+886 2 1234 5678'),
    card('p3', 'FN:Ada Lovelace\nN:Lovelace;Ada;;;\nTEL;TYPE=work:+44 20 7946 0000\nEMAIL:ada@example.org'),
    ...many,
  ].join(''), 43);
  await chooseLanguage(page, 'فارسی');
  await page.keyboard.press('Control+p');
  const dialog = page.getByRole('dialog', { name: 'چاپ' });
  await dialog.getByRole('button', { name: 'پیش‌نمایش' }).click();
  const view = page.getByTestId('print-view');
  await expect(view).toHaveAttribute('dir', 'rtl');
  await expect(view).not.toHaveAttribute('aria-busy');
  await expect(view.getByRole('heading', { level: 1 })).toHaveText('همهٔ مخاطبان: فهرست تلفن');
  await expect(view.getByRole('table')).toContainText('سارا کریمی');
  await expect(view.getByRole('table')).toContainText('王小明');
  await expect(view.locator('tbody tr')).toHaveCount(43);
  // Numbers stay left to right inside the right-to-left page.
  const number = view.locator('.number').first();
  const [plus, nine] = await number.evaluate((e) => {
    const at = (i: number) => {
      const r = document.createRange();
      r.setStart(e.firstChild!, i);
      r.setEnd(e.firstChild!, i + 1);
      return r.getBoundingClientRect().left;
    };
    return [at(0), at(1)];
  });
  expect(plus).toBeLessThan(nine); // "+98 …" reads left to right, the plus first
  await captureScreen(page, 'print-view', 'persian');

  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void ((window as unknown as { printed: number }).printed += 1);
  });
  await view.getByRole('button', { name: 'چاپ…' }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);

  mkdirSync(SHOTS, { recursive: true });
  const pdf = join(SHOTS, 'print-phone-list-fa.pdf');
  await page.pdf({ path: pdf, format: 'A4' });
  const pages = Number(execFileSync('pdfinfo', [pdf]).toString().match(/Pages:\s+(\d+)/)?.[1]);
  expect(pages).toBeGreaterThanOrEqual(2);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
  expect(text).toContain('王小明');
  expect(text).toMatch(/سارا|ﺳﺎﺭﺍ/);
  expect(text).toContain('user39@example.ir'); // the last contact: nothing cut off
  expect(text).not.toContain('چاپ…'); // the toolbar is not printed
  expect(text).not.toContain('imported'); // nor a toast

  // The pages as pictures (pdftoppm; PNGs beside them for a person to look at).
  execFileSync('pdftoppm', ['-png', '-r', '70', pdf, join(SHOTS, 'print-phone-list-fa')]);
  const images = pageImages(pdf, join(SHOTS, 'print-phone-list-fa-grey'), 100);
  expect(images).toHaveLength(pages);
  for (const [k, image] of images.entries()) {
    // Each page begins with the table's header (names, phones, e-mail), a line across the page under it.
    const rule = ruleRow(image);
    expect(rule, `page ${k + 1}: the line under the header`).not.toBeNull();
    expect(rule!.y, `page ${k + 1}: the header at the top`).toBeLessThan(image.height * (k === 0 ? 0.2 : 0.1));
    // The header's words sit right to left: "نام" (names) starts at the right edge of the rule,
    // the e-mail column's short heading ends well inside its left edge.
    const words = inkBetween(image, rule!.y - 25, rule!.y - 2)!;
    expect(rule!.right - words.right, `page ${k + 1}: the names' heading at the right`).toBeLessThan(12);
    expect(words.left - rule!.left, `page ${k + 1}: the left edge empty`).toBeGreaterThan(40);
    // And rows below it.
    expect(inkBetween(image, rule!.y + 5, image.height * 0.5), `page ${k + 1}: rows`).not.toBeNull();
  }
  // The title on the first page, above the header, at the right.
  const first = images[0]!;
  const title = inkBetween(first, 0, ruleRow(first)!.y - 40)!;
  expect(first.width - title.right).toBeLessThan(title.left);

  await view.getByRole('toolbar').getByRole('button', { name: 'بستن' }).click();
  await expect(page.getByTestId('print-view')).toHaveCount(0);
  await expect(contactList(page).or(page.getByRole('listbox'))).toBeVisible();
});

test('print of a long list: the view opens with its first 600 rows, more come as it is scrolled, and Print puts every row in before window.print', async ({ app }) => {
  test.setTimeout(180_000);
  const { page } = app;
  const many = Array.from({ length: 1300 }, (_, i) => card(`long${i}`, `FN:Person ${String(i).padStart(4, '0')}\nTEL:+1 202 555 ${String(i).padStart(4, '0')}`));
  await importCards(page, many.join(''), 1300);
  await page.keyboard.press('Control+p');
  await page.getByRole('dialog', { name: 'Print' }).getByRole('button', { name: 'Preview' }).click();
  const view = page.getByTestId('print-view');
  await expect(view).not.toHaveAttribute('aria-busy');
  const rows = view.locator('tbody tr');
  await expect(rows).toHaveCount(600);
  await expect(view.getByTestId('print-filling')).toHaveText('Showing 600 of 1,300: more as you scroll, all of them when printed.');
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect.poll(() => rows.count()).toBeGreaterThan(600);
  await page.evaluate(() => {
    window.print = () => void ((window as unknown as { rowsPrinted: number }).rowsPrinted = document.querySelectorAll('[data-testid="print-view"] tbody tr').length);
  });
  await view.getByRole('toolbar').getByRole('button', { name: 'Print…' }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { rowsPrinted?: number }).rowsPrinted)).toBe(1300);
  await expect(view).toHaveAttribute('data-complete', 'true');
  await expect(view.getByTestId('print-filling')).toHaveCount(0);
  await expect(view.locator('tbody tr').last()).toContainText('Person 1299');
  // Scrolled to the end, the toolbar stays above the rows (they once covered it, Close unclickable).
  await view.getByRole('toolbar').getByRole('button', { name: 'Close' }).click();
  await expect(view).toHaveCount(0);
});

test('share: the QR code decodes (jsQR) to a vCard of the contact; Save .vcf downloads the whole card', async ({ app }) => {
  const { page } = app;
  await importCards(page, card('q1', 'FN:Ada Lovelace\nN:Lovelace;Ada;;;\nORG:Analytical Engines\nEMAIL:ada@example.org\nTEL;TYPE=cell:+44 20 7946 0000\nNOTE:Wrote the first program.\nPHOTO:data:image/png;base64,iVBORw0KGgo='), 1);
  await listRow(page, 'Ada Lovelace').click();
  await page.getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share Ada Lovelace' });
  const qr = dialog.getByRole('img', { name: 'QR code with the contact card of Ada Lovelace' });
  await expect(qr).toBeVisible();
  await expect(dialog.getByTestId('share-dropped')).toContainText('the photo, the note');
  const { width, height, data } = await qr.evaluate(async (img: HTMLImageElement) => {
    const side = 600;
    const canvas = document.createElement('canvas');
    canvas.width = side;
    canvas.height = side;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0, side, side);
    // The pixels as base64: 1.4 million numbers as a JSON array took over a minute to come back on a loaded machine.
    const pixels = ctx.getImageData(0, 0, side, side).data;
    let binary = '';
    for (let i = 0; i < pixels.length; i += 0x8000) binary += String.fromCharCode(...pixels.subarray(i, i + 0x8000));
    return { width: side, height: side, data: btoa(binary) };
  });
  const decoded = jsQR(new Uint8ClampedArray(Buffer.from(data, 'base64')), width, height);
  expect(decoded).not.toBeNull();
  const contact = toContact(parseVCards(decoded!.data).cards[0]!.card);
  expect(contact.formattedName).toBe('Ada Lovelace');
  expect(contact.phones.map((p) => p.value)).toEqual(['+44 20 7946 0000']);
  expect(contact.emails.map((e) => e.value)).toEqual(['ada@example.org']);
  expect(decoded!.data).not.toContain('PHOTO');
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Save .vcf' }).click()]);
  expect(download.suggestedFilename()).toBe('Ada Lovelace.vcf');
  expect(readFileSync((await download.path())!, 'utf8')).toContain('NOTE:Wrote the first program.');
});

test('the moving-in-and-out dialogs in light, dark and Persian: 0 accessibility violations, screenshots', async ({ app }) => {
  test.skip(app.harness === null, 'screenshots are made from the harness run');
  test.setTimeout(240_000);
  const { page } = app;
  await importCards(page, [card('d1', 'FN:Ada Lovelace\nN:Lovelace;Ada;;;\nTEL:+44 20 7946 0000\nBDAY:1815-12-10\nPHOTO:data:image/png;base64,iVBORw0KGgo='), card('d2', 'FN:سارا کریمی\nN:کریمی;سارا;;;\nTEL:+98 21 1234 5678')].join(''), 2);
  await captureDialogVariants(page, 'csv-mapping', async () => {
    await importFile(page, 'kontakty.csv', fixture('excel-pl-semicolon-1250.csv'));
    await expect(page.getByTestId('csv-mapping')).toBeVisible();
  });
  await captureDialogVariants(page, 'csv-import-encoding', async () => {
    const good = fixture('google-current.csv');
    const at = good.indexOf('Computing');
    await importFile(page, 'contacts.csv', Buffer.concat([good.subarray(0, at), Buffer.from([0xe9]), good.subarray(at)]));
    await expect(page.getByTestId('csv-encoding-doubt')).toBeVisible();
  });
  await captureDialogVariants(page, 'export', async (t) => {
    await page.getByRole('button', { name: t('action.export'), exact: true }).click();
    await page.getByRole('dialog').getByRole('radio', { name: t('export.format.google') }).check();
  });
  await captureDialogVariants(page, 'export-review', async (t) => {
    await page.getByRole('button', { name: t('action.export'), exact: true }).click();
    await page.getByRole('dialog').getByRole('radio', { name: t('export.format.outlook') }).check();
    await page.getByRole('dialog').getByRole('button', { name: t('export.next') }).click();
    await expect(page.getByTestId('export-review')).toBeVisible();
  });
  await captureDialogVariants(page, 'print', async (t) => {
    await page.getByRole('button', { name: t('print.open') }).click();
    await expect(page.getByRole('dialog', { name: t('print.title') })).toBeVisible();
  });
  await captureDialogVariants(page, 'share', async (t) => {
    await page.getByRole('option', { name: /Ada Lovelace/ }).click();
    await page.getByRole('button', { name: t('action.share') }).click();
    await expect(page.getByTestId('share-qr')).toBeVisible();
  });
  await page.getByRole('button', { name: 'Upcoming birthdays' }).click();
  await captureScreen(page, 'birthdays-calendar-link', 'light');
});

test('the birthdays calendar file kept on disk: the harness says it is not available', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('main')).toBeVisible();
  await page.keyboard.press('Control+Comma');
  await expect(page.getByRole('dialog').getByTestId('calendar-file')).toContainText('Not available here');
  await expect(page.getByRole('dialog').getByTestId('calendar-file').getByRole('button')).toHaveCount(0);
});
