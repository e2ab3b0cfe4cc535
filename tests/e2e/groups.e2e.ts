/**
 * Groups in the window (issue 17), on this computer's book (CATEGORIES): create one, add members by
 * dragging rows and by multi-select, rename it, filter by it, find it by search, tick it in the
 * editor, delete it — and every contact stays.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { card, contactList, exportText, field, importCards, listRow } from './helpers';
import { expectAccessible } from './pages';

const CARDS = [
  card('g1', 'FN:Ada Lovelace\nN:Lovelace;Ada;;;'),
  card('g2', 'FN:Bob Babbage\nN:Babbage;Bob;;;'),
  card('g3', 'FN:Carol Somerville\nN:Somerville;Carol;;;'),
  card('g4', 'FN:Dave Herschel\nN:Herschel;Dave;;;'),
];
const PEOPLE = CARDS.join('');

const groupButton = (page: Page, name: string) => page.getByRole('navigation').locator(`button[data-group="${name}"]`);

test('create a group, add three contacts by drag, multi-select and the editor, rename, filter, search, delete: the contacts stay', async ({ app }) => {
  const { page } = app;
  await importCards(page, PEOPLE, 4);

  await page.getByRole('button', { name: 'New group in On this computer' }).click();
  await field(page, 'Group name').fill('Chess');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(groupButton(page, 'Chess')).toContainText('0');

  // A row dragged onto the group joins it.
  await listRow(page, 'Ada Lovelace').dragTo(groupButton(page, 'Chess'));
  await expect(groupButton(page, 'Chess')).toContainText('1');

  // Two selected rows, through the bulk bar.
  await listRow(page, 'Bob Babbage').click();
  await listRow(page, 'Carol Somerville').click({ modifiers: ['ControlOrMeta'] });
  const bar = page.getByRole('toolbar', { name: 'Selected contacts' });
  await bar.getByRole('button', { name: 'Add to group' }).click();
  await page.getByRole('menuitem', { name: 'Chess' }).click();
  await expect(groupButton(page, 'Chess')).toContainText('3');

  await page.getByRole('button', { name: 'Actions for Chess' }).click();
  await page.getByRole('menuitem', { name: 'Rename group' }).click();
  await field(page, 'Group name').fill('Chess club');
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(groupButton(page, 'Chess club')).toContainText('3');

  await groupButton(page, 'Chess club').click();
  await expect(contactList(page).getByRole('option')).toHaveCount(3);
  await expect(listRow(page, 'Dave Herschel')).toHaveCount(0);

  await page.getByRole('button', { name: 'All contacts' }).click();
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('chess');
  await expect(contactList(page).getByRole('option')).toHaveCount(3);
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('');

  // The editor's picker.
  await listRow(page, 'Dave Herschel').click();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByRole('group', { name: 'Member of' }).getByLabel('Chess club').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(groupButton(page, 'Chess club')).toContainText('4');
  // The group in view, one of its contacts open (opening is not selecting): Export writes all its members.
  await groupButton(page, 'Chess club').click();
  await listRow(page, 'Dave Herschel').click();
  await expect(page.getByRole('heading', { name: 'Dave Herschel' })).toBeVisible();
  await expect(page.getByRole('navigation').getByRole('button', { name: 'Export', exact: true })).toBeVisible();
  const vcf = await exportText(page);
  expect(vcf.match(/CATEGORIES:Chess club/g)).toHaveLength(4);

  await page.getByRole('button', { name: 'Actions for Chess club' }).click();
  await page.getByRole('menuitem', { name: 'Delete group' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('4 contacts stay');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete group' }).click();
  await expect(groupButton(page, 'Chess club')).toHaveCount(0);
  await expect(contactList(page).getByRole('option')).toHaveCount(4);
});

test('the bulk bar favourites the selection and removes it from a group', async ({ app }) => {
  const { page } = app;
  await importCards(page, PEOPLE.replace(/FN:Ada/, 'CATEGORIES:Team\r\nFN:Ada').replace(/FN:Bob/, 'CATEGORIES:Team\r\nFN:Bob'), 4);
  await expect(groupButton(page, 'Team')).toContainText('2');
  await listRow(page, 'Ada Lovelace').click();
  await listRow(page, 'Bob Babbage').click({ modifiers: ['Shift'] });
  const bar = page.getByRole('toolbar', { name: 'Selected contacts' });
  await bar.getByRole('button', { name: 'Add to favourites' }).click();
  await page.getByRole('button', { name: 'Favourites', exact: true }).click();
  await expect(contactList(page).getByRole('option')).toHaveCount(2);
  await page.getByRole('button', { name: 'All contacts' }).click();
  await listRow(page, 'Ada Lovelace').click();
  await listRow(page, 'Bob Babbage').click({ modifiers: ['Shift'] });
  await bar.getByRole('button', { name: 'Remove from group' }).click();
  await page.getByRole('menuitem', { name: 'Team' }).click();
  await expect(groupButton(page, 'Team')).toHaveCount(0);
  await expect(contactList(page).getByRole('option')).toHaveCount(4);
});

// The group's name is isolated (U+2068 … U+2069) in the scope's label.
const GROUP_CHESS = 'The group \u2068Chess\u2069 (2)';

test('filtered by a group of two of three contacts, Export writes exactly those two cards (as vCard 4.0, imported again with nothing changed) and Print offers the group', async ({ app }) => {
  const { page } = app;
  await importCards(page, CARDS.slice(0, 3).join(''), 3);
  await page.getByRole('button', { name: 'New group in On this computer' }).click();
  await field(page, 'Group name').fill('Chess');
  await page.getByRole('button', { name: 'Create group' }).click();
  await listRow(page, 'Ada Lovelace').click();
  await listRow(page, 'Carol Somerville').click({ modifiers: ['ControlOrMeta'] });
  await page.getByRole('toolbar', { name: 'Selected contacts' }).getByRole('button', { name: 'Add to group' }).click();
  await page.getByRole('menuitem', { name: 'Chess' }).click();
  await expect(groupButton(page, 'Chess')).toContainText('2');
  await groupButton(page, 'Chess').click();
  await expect(contactList(page).getByRole('option')).toHaveCount(2);

  await page.getByRole('button', { name: /^Export/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Export contacts' });
  await expect(dialog.getByRole('radio', { name: GROUP_CHESS })).toBeChecked();
  await expect(dialog.getByTestId('export-count')).toContainText('2');
  await expectAccessible(page, 'the export dialog on a group');
  await dialog.getByRole('radio', { name: /^vCard 4\.0/ }).check();
  await dialog.getByRole('button', { name: 'Next' }).click();
  const review = page.getByRole('dialog', { name: 'Before saving' });
  await expect(review.getByTestId('export-review')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), review.locator('button[type="submit"]').click()]);
  expect(download.suggestedFilename()).toBe('Chess.vcf');
  const vcf = readFileSync((await download.path())!, 'utf8');
  expect(vcf.match(/BEGIN:VCARD/g)).toHaveLength(2);
  expect(vcf).toContain('FN:Ada Lovelace');
  expect(vcf).toContain('FN:Carol Somerville');
  expect(vcf).not.toContain('Bob Babbage');
  expect(vcf.match(/^CATEGORIES:Chess\r?$/gm)).toHaveLength(2);
  // The group as vCard 4.0, imported again: nothing changed.
  await page.getByTestId('import-input').setInputFiles({ name: 'Chess.vcf', mimeType: 'text/vcard', buffer: Buffer.from(vcf, 'utf8') });
  await expect(page.getByTestId('import-summary')).toHaveText('2 cards in the file: 0 new, 2 already here, 0 differ from a contact with the same UID.');
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.keyboard.press('Control+p');
  const print = page.getByRole('dialog', { name: 'Print' });
  await expect(print.getByRole('radio', { name: GROUP_CHESS })).toBeChecked();
  await expectAccessible(page, 'the print dialog on a group');
  await print.getByRole('radio', { name: 'Full cards' }).check();
  await print.getByRole('button', { name: 'Preview' }).click();
  const view = page.getByTestId('print-view');
  await expect(view.getByRole('heading', { level: 1 })).toHaveText('Chess: cards');
  await expect(view).toContainText('Ada Lovelace');
  await expect(view).toContainText('Carol Somerville');
  await expect(view).not.toContainText('Bob Babbage');
});

test('a 300-character group name is cut with “…” in the bulk bar’s “Add to group” menu; the menu stays inside the window', async ({ app }) => {
  const { page } = app;
  const long = `Long${'L'.repeat(296)}`;
  await importCards(page, card('l1', `FN:Lou Long\nN:Long;Lou;;;\nCATEGORIES:${long}`) + card('l2', 'FN:Max Short\nN:Short;Max;;;'), 2);
  await listRow(page, 'Lou Long').click();
  await listRow(page, 'Max Short').click({ modifiers: ['ControlOrMeta'] });
  await page.getByRole('toolbar', { name: 'Selected contacts' }).getByRole('button', { name: 'Add to group' }).click();
  const item = page.getByRole('menuitem', { name: long });
  await expect(item).toBeVisible();
  const width = page.viewportSize()!.width;
  const menu = (await page.getByRole('menu').boundingBox())!;
  expect(menu.x).toBeGreaterThanOrEqual(0);
  expect(menu.x + menu.width).toBeLessThanOrEqual(width);
  await item.click();
  await expect(groupButton(page, long)).toContainText('2');
});
