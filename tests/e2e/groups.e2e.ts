/**
 * Groups in the window (issue 17), on this computer's book (CATEGORIES): create one, add members by
 * dragging rows and by multi-select, rename it, filter by it, find it by search, tick it in the
 * editor, delete it — and every contact stays.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { card, contactList, exportText, field, importCards, listRow } from './helpers';

const PEOPLE = [
  card('g1', 'FN:Ada Lovelace\nN:Lovelace;Ada;;;'),
  card('g2', 'FN:Bob Babbage\nN:Babbage;Bob;;;'),
  card('g3', 'FN:Carol Somerville\nN:Somerville;Carol;;;'),
  card('g4', 'FN:Dave Herschel\nN:Herschel;Dave;;;'),
].join('');

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
  // The group in view, nothing selected: Export writes its members.
  await groupButton(page, 'Chess club').click();
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
