/**
 * A large .vcf into this computer's book (issue 20): its new cards are written while the file is
 * still read and the summary is open, and show nowhere until Import. The window gone with the
 * summary open (a reload, as a crash would leave it) or the summary closed leaves the book as it
 * was; Import brings every new card, once, a card repeated far apart in the file (in different
 * parts of the read) counted as repeated in the file, not as already here.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { card, contactList, importCards } from './helpers';
import { expectAccessible } from './pages';

const N = 3000;
// About 400 bytes a card: over 1 MB, so the file is read in parts and written ahead.
const note = 'NOTE:' + 'A note long enough to make the file large. '.repeat(7);
const person = (i: number) => card(`bulk-${i}`, `FN:Bulkperson ${String(i).padStart(5, '0')}\nN:Bulkperson;${i};;;\n${note}`);
// The first card again at the end: the same card twice in one file, in its first and last part.
const FILE = [...Array.from({ length: N }, (_, i) => person(i)), person(0)].join('');

async function openBig(page: Page): Promise<void> {
  await page.getByTestId('import-input').setInputFiles({ name: 'big.vcf', mimeType: 'text/vcard', buffer: Buffer.from(FILE, 'utf8') });
  await expect(page.getByTestId('import-summary')).toContainText(`${(N + 1).toLocaleString('en')} cards in the file: ${N.toLocaleString('en')} new, 0 already here, 1 repeated in the file`, { timeout: 60_000 });
}

async function found(page: Page, query: string): Promise<number> {
  const search = page.getByRole('searchbox', { name: 'Search contacts' });
  await search.fill(query);
  await page.waitForTimeout(300);
  const n = await contactList(page).getByRole('option').count();
  await search.fill('');
  return n;
}

test('a large .vcf written ahead: nothing of it after a reload with the summary open or after closing it; Import brings each new card once', async ({ app }) => {
  const { page } = app;
  test.setTimeout(180_000);
  await importCards(page, card('kim', 'FN:Kim Keep\nN:Keep;Kim;;;'), 1);

  // The window goes away with the summary open, its cards written ahead: the next start takes them out.
  await openBig(page);
  await page.waitForTimeout(1500);
  await page.reload();
  await expect(contactList(page).getByRole('option')).toHaveCount(1);
  expect(await found(page, 'Bulkperson')).toBe(0);

  // Closed: taken out.
  await openBig(page);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.waitForTimeout(1500);
  await page.reload();
  await expect(contactList(page).getByRole('option')).toHaveCount(1);
  expect(await found(page, 'Bulkperson')).toBe(0);

  // Imported: every new card once, there after a reload too, the import one run in Recent changes.
  await openBig(page);
  await page.getByRole('button', { name: `Import ${N.toLocaleString('en')} new contacts`, exact: true }).click();
  await expect(page.getByText(new RegExp(`^${N.toLocaleString('en')} contacts imported`))).toBeVisible({ timeout: 60_000 });
  expect(await found(page, 'Bulkperson 00000')).toBe(1);
  expect(await found(page, 'Bulkperson 02999')).toBe(1);
  await page.reload();
  await expect(contactList(page).getByRole('option').first()).toBeVisible();
  expect(await found(page, 'Bulkperson 00000')).toBe(1);
  expect(await found(page, 'Bulkperson 01500')).toBe(1);
  expect(await found(page, 'Kim Keep')).toBe(1);
});

test('a large .vcf opens its dialog at once, saying it is read, with a progress indicator; Close there stops the reading and adds nothing', async ({ app }) => {
  const { page } = app;
  test.setTimeout(180_000);
  await importCards(page, card('kim', 'FN:Kim Keep\nN:Keep;Kim;;;'), 1);
  await page.getByTestId('import-input').setInputFiles({ name: 'big.vcf', mimeType: 'text/vcard', buffer: Buffer.from(FILE, 'utf8') });
  const dialog = page.getByRole('dialog', { name: 'Import contacts' });
  await expect(dialog.getByRole('status')).toHaveText('Reading \u2068big.vcf\u2069…');
  await expect(dialog.getByRole('progressbar', { name: 'Reading the file' })).toBeVisible();
  await expectAccessible(page, 'the import dialog while its file is read');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.waitForTimeout(3000);
  // No summary comes after it, nothing of the file is in the book, and the next file is read as usual.
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect(await found(page, 'Bulkperson')).toBe(0);
  await importCards(page, card('lee', 'FN:Lee Later\nN:Later;Lee;;;'), 1);
  await page.reload();
  await expect(contactList(page).getByRole('option')).toHaveCount(2);
  expect(await found(page, 'Bulkperson')).toBe(0);
});
