/**
 * Every screen and dialog, in light, dark and Persian, at 1280×800 and 800×600: each one through
 * the accessibility gate (axe-core, 0 violations) and written to test-results/screens/; the README
 * set to docs/screenshots/. Dialogs that need a server account are shot in carddav.e2e.ts.
 * Two passing states are held for their shots, by the page, never by a wait: the import dialog's
 * "Reading <file>…" (the file's bytes held back, `holdReading`) and Recent changes' "Undoing… n of
 * m" (the books table held by a transaction of the test's own, `holdUndo`, which the undo's waits for).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { translator } from '../../renderer/src/i18n';
import { card, contactList, importText, listRow } from './helpers';
import { captureScreen, chooseLanguage, openSettings } from './pages';

/** A birthday `days` from today, year-less, as a vCard value. */
function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `--${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
}

export function demoCards(): string {
  return [
    card('s1', `FN:Ada Lovelace\nN:Lovelace;Ada;;;\nORG:Analytical Engines\nTITLE:Mathematician\nEMAIL;TYPE=work:ada@example.org\nTEL;TYPE=cell:+44 20 7946 0000\nADR;TYPE=home:;;12 St James’s Square;London;;SW1Y 4JH;United Kingdom\nBDAY:${inDays(3)}\nCATEGORIES:Friends,Science\nNOTE:Wrote the first published program.`),
    card('s2', 'FN:Dr. Grace Hopper\nN:Hopper;Grace;;Dr.;\nORG:US Navy\nEMAIL:grace@example.org\nBDAY:1906-12-09'),
    card('s3', `FN:王小明\nN:王;小明;;;\nTEL:+886 2 1234 5678\nADR:;;信義路五段7號;台北;;110;台灣\nBDAY:${inDays(12)}`),
    card('s4', 'FN:سارا کریمی\nN:کریمی;سارا;;;\nEMAIL:sara@example.ir\nTEL:+98 21 1234 5678'),
    card('s5', 'FN:Émile Zola\nN:Zola;Émile;;;\nORG:Les Rougon-Macquart\nADR;TYPE=work:;;21 Rue de Bruxelles;Paris;;75009;France'),
    card('s6', 'FN:Alan Turing\nN:Turing;Alan;;;\nORG:Bletchley Park\nEMAIL:alan@example.org\nADR:;;Hut 8;Bletchley;;MK3 6EB;United Kingdom'),
    card('s7', 'FN:Katherine Johnson\nN:Johnson;Katherine;;;\nORG:NASA Langley\nTEL:+1 757 555 0100'),
    card('s8', 'FN:Søren Kierkegaard\nN:Kierkegaard;Søren;;;\nADR:;;Nytorv 2;København;;1450;Danmark'),
  ].join('');
}

/** Hold a file's read (its bytes) until `release`: the import dialog says it is reading the file meanwhile. */
async function holdReading(page: Page): Promise<{ release: () => Promise<void> }> {
  await page.evaluate(() => {
    const read = Blob.prototype.arrayBuffer;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    (window as unknown as { releaseRead: () => void }).releaseRead = () => {
      Blob.prototype.arrayBuffer = read;
      open();
    };
    Blob.prototype.arrayBuffer = function (this: Blob) {
      return gate.then(() => read.call(this));
    };
  });
  return { release: () => page.evaluate(() => (window as unknown as { releaseRead: () => void }).releaseRead()) };
}

/**
 * Hold an undo between its batches: a read-write transaction over the store's books, kept alive by
 * one request after another until `release`. An undo's batches write in transactions that take the
 * books too, so the first waits for it; what the undo reads first (the run) it reads meanwhile.
 */
async function holdUndo(page: Page): Promise<{ release: () => Promise<void> }> {
  await page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name ?? '');
    const name = names.includes('cardinal') ? 'cardinal' : names[0]!;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction('books', 'readwrite');
    const state = { held: true };
    const spin = () => {
      if (state.held) tx.objectStore('books').count().onsuccess = spin;
    };
    spin();
    await new Promise<void>((resolve) => (tx.objectStore('books').count().onsuccess = () => resolve()));
    (window as unknown as { releaseUndo: () => Promise<void> }).releaseUndo = () =>
      new Promise<void>((resolve) => {
        state.held = false;
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
      });
  });
  return { release: () => page.evaluate(() => (window as unknown as { releaseUndo: () => Promise<void> }).releaseUndo()) };
}

type Variant = { name: 'light' | 'dark' | 'persian'; dark: boolean; persian: boolean };
const VARIANTS: Variant[] = [
  { name: 'light', dark: false, persian: false },
  { name: 'dark', dark: true, persian: false },
  { name: 'persian', dark: false, persian: true },
];

/** The button and dialog names in the variant's language, from the app's own catalogues. */
function words(v: Variant) {
  const t = translator(v.persian ? 'fa' : 'en');
  return {
    reading: t('import.readingProgress'),
    changes: t('books.changes'),
    runs: t('changes.list'),
    undo: t('changes.undo'),
    undoing: t('changes.undoingCount', { done: 0, total: 8 }),
    importRun: t('import.run', { count: 8 }),
    edit: t('action.edit'),
    cancel: t('action.cancel'),
    discard: t('unsaved.discard'),
    newContact: t('action.new'),
    save: t('action.save'),
    deleteN: t('action.deleteSelected', { count: 2 }),
    search: t('search.label'),
    birthdays: t('books.birthdays'),
    addAccount: t('account.addMenu'),
    carddav: t('account.add'),
    google: t('google.add'),
    workspace: t('shared.add'),
    connect: t('account.connect'),
    address: t('account.url'),
    middle: t('field.additional'),
    list: t('list.label'),
    drawer: t('action.showSidebar'),
    newGroup: t('groups.newIn', { book: t('books.local') }),
    groupActions: t('groups.actions', { name: 'Friends' }),
    deleteGroup: t('groups.delete'),
  };
}

async function tour(page: Page, v: Variant): Promise<void> {
  const w = words(v);
  const list = () => page.getByRole('listbox', { name: w.list });
  if (v.dark) await page.emulateMedia({ colorScheme: 'dark' });
  if (v.persian) await chooseLanguage(page, 'فارسی');
  await captureScreen(page, 'welcome', v.name);

  // The file read held: the dialog says so, with its progress indicator; then the summary in its place.
  const reading = await holdReading(page);
  await page.getByTestId('import-input').setInputFiles({ name: 'people.vcf', mimeType: 'text/vcard', buffer: Buffer.from(demoCards()) });
  await expect(page.getByRole('dialog').getByRole('progressbar', { name: w.reading })).toBeVisible();
  await expect(page.getByRole('dialog').getByRole('status')).toContainText('people.vcf');
  await captureScreen(page, 'import-reading', v.name);
  await reading.release();
  await expect(page.getByTestId('import-summary')).toBeVisible();
  await captureScreen(page, 'import', v.name);
  await page.getByRole('button', { name: w.importRun, exact: true }).click();
  await expect(list().getByRole('option')).toHaveCount(8);

  await list().getByRole('option', { name: /Ada Lovelace/ }).click();
  await expect(page.getByRole('heading', { name: 'Ada Lovelace' })).toBeVisible();
  await captureScreen(page, 'contact', v.name, { readme: { file: v.name === 'light' ? 'light.png' : v.name === 'dark' ? 'dark.png' : 'persian.png', size: 0 } });
  if (v.name === 'light') await captureScreen(page, 'contact-narrow', v.name, { readme: { file: 'narrow.png', size: 1 } });

  // Groups: the sidebar's, one in view, the dialog that makes one, the delete confirmation.
  await page.getByRole('navigation').locator('button[data-group="Friends"]').click();
  await expect(list().getByRole('option')).toHaveCount(1);
  await captureScreen(page, 'group-filter', v.name);
  await page.getByRole('button', { name: w.newGroup }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await captureScreen(page, 'group-dialog', v.name);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: w.groupActions }).click();
  await page.getByRole('menuitem', { name: w.deleteGroup }).click();
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await captureScreen(page, 'group-delete', v.name);
  await page.keyboard.press('Escape');
  await page.getByRole('navigation').getByRole('button').first().click();

  await page.getByRole('searchbox', { name: w.search }).fill('london');
  await expect(list().getByTestId('match').first()).toBeVisible();
  await captureScreen(page, 'search', v.name);
  await page.getByRole('searchbox', { name: w.search }).fill('');

  await page.getByRole('button', { name: w.birthdays }).click();
  await expect(page.getByRole('list', { name: w.birthdays })).toBeVisible();
  await captureScreen(page, 'birthdays', v.name);
  await page.getByRole('navigation').getByRole('button').first().click();

  await list().getByRole('option', { name: /Ada Lovelace/ }).click();
  await page.getByRole('button', { name: w.edit, exact: true }).click();
  await captureScreen(page, 'editor', v.name);
  await page.getByLabel(w.middle, { exact: true }).fill('Augusta');
  await list().getByRole('option', { name: /Alan Turing/ }).click();
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await captureScreen(page, 'unsaved', v.name);
  await page.getByRole('alertdialog').getByRole('button', { name: w.cancel }).click();
  await page.getByLabel(w.middle, { exact: true }).press('Escape');
  await page.getByRole('alertdialog').getByRole('button', { name: w.discard }).click();

  await page.getByRole('button', { name: w.newContact }).first().click();
  await page.getByRole('button', { name: w.save }).click();
  await expect(page.getByRole('form').getByRole('alert')).toBeVisible();
  await captureScreen(page, 'editor-errors', v.name);
  await page.getByRole('button', { name: w.cancel }).click();

  await list().getByRole('option', { name: /Alan Turing/ }).click();
  await list().getByRole('option', { name: /Émile Zola/ }).click({ modifiers: ['Shift'] });
  await captureScreen(page, 'bulk-bar', v.name);
  await page.getByRole('button', { name: w.deleteN, exact: true }).click();
  await captureScreen(page, 'delete-confirm', v.name);
  await page.getByRole('alertdialog').getByRole('button', { name: w.cancel }).click();

  await openSettings(page);
  await captureScreen(page, 'settings', v.name, v.name === 'light' ? { readme: { file: 'settings.png', size: 0 } } : {});
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: w.addAccount }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  await captureScreen(page, 'add-account-menu', v.name, { only: 0 });
  await page.getByRole('menuitem', { name: w.carddav }).click();
  await captureScreen(page, 'carddav-dialog', v.name, v.name === 'light' ? { readme: { file: 'dialog.png', size: 0 } } : {});
  await page.getByLabel(w.address).fill('http://127.0.0.1:1');
  await page.getByRole('button', { name: w.connect }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toBeVisible();
  await captureScreen(page, 'carddav-error', v.name);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: w.addAccount }).click();
  await page.getByRole('menuitem', { name: w.google }).click();
  await captureScreen(page, 'google-dialog', v.name);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: w.addAccount }).click();
  await page.getByRole('menuitem', { name: w.workspace }).click();
  await captureScreen(page, 'workspace-dialog', v.name);
  await page.keyboard.press('Escape');

  // The drawer exists only in narrow windows.
  await page.setViewportSize({ width: 800, height: 600 });
  await page.getByRole('button', { name: w.drawer }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await captureScreen(page, 'drawer', v.name, { only: 1 });
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Recent changes, the import undone: its progress on the button while the undo is held.
  await page.getByRole('navigation').getByRole('button', { name: w.changes, exact: true }).click();
  const run = page.getByRole('list', { name: w.runs }).getByRole('listitem').first();
  await expect(run).toBeVisible();
  const undo = await holdUndo(page);
  await run.getByRole('button').click();
  await expect(run.getByRole('button')).toHaveText(w.undoing);
  await captureScreen(page, 'undo-progress', v.name);
  await undo.release();
  await expect(run.getByRole('button')).toHaveCount(0);
}

for (const v of VARIANTS) {
  test(`every screen and dialog, ${v.name}: 0 accessibility violations, screenshots at 1280×800 and 800×600`, async ({ app }) => {
    test.skip(app.harness === null, 'screenshots are made from the harness run');
    test.setTimeout(240_000);
    await tour(app.page, v);
  });
}

test('a narrow window shows one pane with a back button, and nothing is clipped', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 700, height: 600 });
  await importText(page, 'p.vcf', demoCards());
  await page.getByRole('button', { name: 'Import 8 new contacts' }).click();
  await listRow(page, 'Ada Lovelace').click();
  await expect(contactList(page)).toHaveCount(0); // the list gave way to the detail
  await expect(page.getByRole('heading', { name: 'Ada Lovelace' })).toBeVisible();
  await captureScreen(page, 'one-pane', 'light');
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(contactList(page)).toBeFocused();
  // The phone number keeps to one line: no digit-by-digit wrapping at the narrowest width.
  await page.setViewportSize({ width: 640, height: 600 });
  await listRow(page, 'Katherine Johnson').click();
  const phone = page.getByRole('button', { name: '+1 757 555 0100' });
  const box = await phone.boundingBox();
  expect(box!.height).toBeLessThan(30);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);
});
