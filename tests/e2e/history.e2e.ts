/**
 * The trash, a contact's history and undoing a whole import (issue 18), on this computer's book:
 * delete (the 10-second undo still works), find the contact in the trash, restore it, delete
 * another forever after the question; edit a contact and see the change property by property,
 * restore the older version; undo the import from Recent changes. Each screen in light, dark and
 * Persian at both sizes, through the accessibility gate.
 */
import type { Page } from '@playwright/test';
import { translator, type Translate } from '../../renderer/src/i18n';
import { expect, test } from './fixtures';
import { card, contactList, field, importCards, listRow } from './helpers';
import { captureDialogVariants, captureScreen, chooseLanguage, openSettings } from './pages';

const PEOPLE = [
  card('h1', 'FN:Ada Lovelace\nN:Lovelace;Ada;;;\nEMAIL:ada@example.org\nX-CUSTOM:kept'),
  card('h2', 'FN:Bob Babbage\nN:Babbage;Bob;;;'),
  card('h3', 'FN:Carol Somerville\nN:Somerville;Carol;;;\nTEL:+44 20 7946 0000'),
].join('');

const detail = (page: Page) => page.getByRole('region', { name: 'Contact details' });

/** A sidebar entry; below 1000 px the sidebar is a drawer, opened first. */
async function openView(page: Page, name: string): Promise<void> {
  // By the window's width, not by whether the drawer button is seen this instant: just after a
  // resize the layout may not have followed yet (it did not, once, under load).
  if ((page.viewportSize()?.width ?? 1280) < 1000) await page.locator('#drawer-button').click();
  await page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
}

/** Shoot a view in light, dark and Persian (`open` goes to it in the language given); left light and English. */
async function captureViewVariants(page: Page, name: string, open: (t: Translate) => Promise<void>): Promise<void> {
  for (const variant of ['light', 'dark', 'persian'] as const) {
    await page.emulateMedia({ colorScheme: variant === 'dark' ? 'dark' : 'light' });
    if (variant === 'persian') await chooseLanguage(page, 'فارسی');
    await open(translator(variant === 'persian' ? 'fa' : 'en'));
    await captureScreen(page, name, variant);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await openSettings(page);
  await page.getByRole('dialog').getByRole('combobox').first().selectOption({ value: '' });
  await page.keyboard.press('Escape');
}

test('a deleted contact waits in the trash: the undo still works, then found by search, restored with every line; another deleted forever after the question', async ({ app }) => {
  const { page } = app;
  await importCards(page, PEOPLE, 3);

  // The 10-second undo, as before.
  await listRow(page, 'Ada Lovelace').click();
  await contactList(page).press('Delete');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(listRow(page, 'Ada Lovelace')).toBeVisible();

  for (const name of ['Ada Lovelace', 'Bob Babbage']) {
    await listRow(page, name).click();
    await contactList(page).press('Delete');
    await expect(listRow(page, name)).toHaveCount(0);
  }
  await openView(page, 'Trash');
  const trash = page.getByRole('list', { name: 'Trash' });
  await expect(trash.getByRole('listitem')).toHaveCount(2);
  await expect(page.getByText('2 deleted contacts')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search the trash' }).fill('lovel');
  await expect(trash.getByRole('listitem')).toHaveCount(1);
  await page.getByRole('searchbox', { name: 'Search the trash' }).fill('');
  await captureViewVariants(page, 'trash', async (t) => {
    await openView(page, t('books.trash'));
    await expect(page.getByRole('list', { name: t('books.trash') }).getByRole('listitem')).toHaveCount(2);
  });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole('button', { name: 'Restore Ada Lovelace' }).click();
  await expect(page.getByText('Ada Lovelace is back')).toBeVisible();
  await expect(trash.getByRole('listitem')).toHaveCount(1);

  await page.getByRole('button', { name: 'Delete forever: Bob Babbage' }).click();
  const question = page.getByRole('alertdialog', { name: 'Delete Bob Babbage forever?' });
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: 'Delete forever' }).click();
  await expect(page.getByText('The trash is empty.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Empty trash' })).toBeDisabled();

  await openView(page, 'All contacts');
  await listRow(page, 'Ada Lovelace').click();
  await expect(detail(page).getByText('ada@example.org')).toBeVisible();
  await expect(listRow(page, 'Bob Babbage')).toHaveCount(0);
});

test('an edit shows in the contact’s history property by property, and the older version is restored as a new edit', async ({ app }) => {
  const { page } = app;
  await importCards(page, PEOPLE, 3);
  await listRow(page, 'Carol Somerville').click();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await field(page, 'Phone 1').fill('+44 20 7946 0999');
  await field(page, 'Job title').fill('Astronomer');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(detail(page).getByText('Astronomer')).toBeVisible();

  await page.getByRole('button', { name: 'History', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'History of Carol Somerville' });
  const versions = dialog.getByRole('list', { name: 'Versions' }).locator(':scope > li');
  await expect(versions).toHaveCount(2);
  await expect(versions.nth(0)).toContainText('Edited');
  await expect(versions.nth(0)).toContainText('on this computer');
  await expect(versions.nth(0)).toContainText('Job title');
  await expect(versions.nth(0).locator('ins')).toContainText(['Astronomer', '+44 20 7946 0999']);
  await expect(versions.nth(0).locator('del')).toContainText(['+44 20 7946 0000']);
  await expect(versions.nth(1)).toContainText('Imported');
  await page.keyboard.press('Escape');

  await captureDialogVariants(page, 'history', async (t) => {
    await page.getByRole('button', { name: t('history.open'), exact: true }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
  });

  await page.getByRole('button', { name: 'History', exact: true }).click();
  await dialog.getByRole('button', { name: /^Restore this version \(/ }).click();
  await expect(versions).toHaveCount(3);
  await expect(versions.nth(0)).toContainText('Restored');
  await page.keyboard.press('Escape');
  await expect(detail(page).getByText('+44 20 7946 0000')).toBeVisible();
  await expect(detail(page).getByText('Astronomer')).toHaveCount(0);
});

test('undoing an import from Recent changes removes exactly what it added; the contacts from before stay', async ({ app }) => {
  const { page } = app;
  await importCards(page, card('k1', 'FN:Kept Before\nN:Before;Kept;;;'), 1);
  await importCards(page, PEOPLE, 3);
  await expect(contactList(page).getByRole('option')).toHaveCount(4);

  await openView(page, 'Recent changes');
  const runs = page.getByRole('list', { name: 'Runs' });
  await expect(runs.getByRole('listitem')).toHaveCount(2);
  await expect(runs.getByRole('listitem').first()).toContainText('3 added');
  await captureViewVariants(page, 'recent-changes', async (t) => {
    await openView(page, t('books.changes'));
    await expect(page.getByRole('list', { name: t('changes.list') }).getByRole('listitem')).toHaveCount(2);
  });
  await page.setViewportSize({ width: 1280, height: 800 });

  await runs.getByRole('listitem').first().getByRole('button', { name: /^Undo/ }).click();
  await expect(page.getByText('3 contacts it added are in the Trash')).toBeVisible();
  await expect(runs.getByRole('listitem').first()).toContainText('Undone');
  await openView(page, 'All contacts');
  await expect(contactList(page).getByRole('option')).toHaveCount(1);
  await expect(listRow(page, 'Kept Before')).toBeVisible();
  await openView(page, 'Trash');
  await expect(page.getByRole('list', { name: 'Trash' }).getByRole('listitem')).toHaveCount(3);
});

test('undoing an import whose contacts were edited since asks first, says how many, and Cancel changes nothing', async ({ app }) => {
  const { page } = app;
  await importCards(page, PEOPLE, 3);
  await listRow(page, 'Bob Babbage').click();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await field(page, 'Job title').fill('Engineer');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(detail(page).getByText('Engineer')).toBeVisible();

  await openView(page, 'Recent changes');
  const run = page.getByRole('list', { name: 'Runs' }).getByRole('listitem').first();
  const undo = run.getByRole('button', { name: /^Undo/ });
  await undo.click();
  const ask = page.getByRole('alertdialog');
  await expect(ask).toContainText('1 contact this run touched was changed again after it');
  await page.keyboard.press('Escape');
  await expect(ask).toHaveCount(0);
  await captureDialogVariants(page, 'undo-run-later', async (t) => {
    await openView(page, t('books.changes'));
    await page.getByRole('list', { name: t('changes.list') }).getByRole('listitem').first().getByRole('button').click();
    await expect(page.getByRole('alertdialog')).toBeVisible();
  });
  await openView(page, 'Recent changes');
  await undo.click();
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(run).not.toContainText('Undone');
  await openView(page, 'All contacts');
  await expect(contactList(page).getByRole('option')).toHaveCount(3);

  await openView(page, 'Recent changes');
  await undo.click();
  await ask.getByRole('button', { name: 'Undo anyway' }).click();
  await expect(page.getByText('3 contacts it added are in the Trash')).toBeVisible();
  await expect(run).toContainText('Undone');
  await openView(page, 'All contacts');
  await expect(contactList(page).getByRole('option')).toHaveCount(0);
});
