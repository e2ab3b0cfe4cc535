import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import type { TestServer } from '../servers/servers';
import { expect } from './fixtures';

/** Feed files to the import picker, as a user picking them would. */
export async function importText(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('import-input').setInputFiles({ name, mimeType: 'text/vcard', buffer: Buffer.from(text, 'utf8') });
  await expect(page.getByRole('dialog', { name: 'Import contacts' })).toBeVisible();
}

/** Import cards and confirm the import dialog (`button`: its name in another language). */
export async function importCards(page: Page, text: string, count: number, button?: string): Promise<void> {
  await page.getByTestId('import-input').setInputFiles({ name: 'cards.vcf', mimeType: 'text/vcard', buffer: Buffer.from(text, 'utf8') });
  await page.getByRole('button', { name: button ?? (count === 1 ? 'Import 1 new contact' : `Import ${count.toLocaleString('en')} new contacts`), exact: true }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

/**
 * Click Export (`button`: its name in another language), keep the dialog's choices (vCard 4.0, one
 * file; the selection if there is one, else the view's contacts), go on to the review and save;
 * return the text of the downloaded .vcf.
 */
export async function exportText(page: Page, button: RegExp = /^Export/): Promise<string> {
  await page.getByRole('button', { name: button }).click();
  const dialog = page.getByRole('dialog');
  await dialog.locator('button[type="submit"]').click();
  await expect(dialog.getByTestId('export-review')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.locator('button[type="submit"]').click()]);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  return readFileSync((await download.path())!, 'utf8');
}

export function contactList(page: Page) {
  return page.getByRole('listbox', { name: 'Contacts' });
}

export function listRow(page: Page, name: string) {
  return contactList(page).getByRole('option', { name: new RegExp(name) });
}

export function field(page: Page, label: string) {
  return page.getByLabel(label, { exact: true });
}

/** A one-line vCard 4.0 for tests. */
export function card(uid: string, lines: string): string {
  return `BEGIN:VCARD\r\nVERSION:4.0\r\nUID:${uid}\r\n${lines.split('\n').join('\r\n')}\r\nEND:VCARD\r\n`;
}

/**
 * Add a CardDAV account for a test server through the account dialog, and wait for its first sync
 * (`status`: where that shows; the only account's status unless given, as beside a second account).
 */
export async function addAccount(page: Page, s: TestServer, status: Locator = page.getByTestId('sync-status')): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('menuitem', { name: 'CardDAV server…' }).click();
  await page.getByLabel('Server address or e-mail').fill(s.baseUrl);
  await page.getByLabel('User name').fill(s.user);
  await page.getByLabel('Password').fill(s.password);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('dialog').getByRole('checkbox').first()).toBeChecked();
  await page.getByRole('dialog').getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(status).toContainText('Synced', { timeout: 60_000 });
}
