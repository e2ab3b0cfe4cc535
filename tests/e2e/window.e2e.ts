/**
 * The window's behaviour: the one modal (focus in, trapped, Esc, focus back, one at a time, the
 * backdrop over everything), the unsaved-changes question everywhere an editor can be left,
 * keyboard-only work, settings kept across a reload, the look of disabled and hover-only controls.
 */
import { expect, test } from './fixtures';
import { card, contactList, exportText, field, importCards, listRow } from './helpers';
import { openSettings } from './pages';

const PEOPLE = [card('a', 'FN:Ada Lovelace\nN:Lovelace;Ada;;;\nTEL:+44 20 7946 0000\nBDAY:1990-03-14'), card('b', 'FN:Alan Turing\nN:Turing;Alan;;;'), card('c', 'FN:Grace Hopper\nN:Hopper;Grace;;;')].join('');

test.describe('the modal', () => {
  test('Settings opens as a modal: focus inside, Tab stays inside, Esc closes, focus returns to the button', async ({ app }) => {
    const { page } = app;
    await importCards(page, PEOPLE, 3);
    const button = page.getByRole('navigation').getByRole('button', { name: 'Settings' });
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Language')).toBeFocused();
    // The rest of the window is inert: the browser's modal dialog is in the top layer.
    expect(await page.evaluate(() => document.querySelector('dialog')!.matches(':modal'))).toBe(true);
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.querySelector('dialog')!.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.querySelector('dialog')!.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(button).toBeFocused();
  });

  test('the backdrop covers the whole window, sidebar included, and a second dialog never opens over the first', async ({ app }) => {
    const { page } = app;
    await importCards(page, PEOPLE, 3);
    await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
    await page.getByRole('menuitem', { name: 'CardDAV server…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a CardDAV account' });
    await expect(dialog).toBeVisible();
    // What is at the window's corners and under the sidebar is the dialog's backdrop, not the page.
    for (const [x, y] of [
      [5, 5],
      [100, 400],
      [1275, 795],
    ] as const) {
      expect(await page.evaluate(([px, py]) => document.elementFromPoint(px!, py!)?.tagName, [x, y])).toBe('DIALOG');
    }
    await page.keyboard.press('Control+Comma'); // a shortcut while a dialog is open does nothing
    await expect(page.getByRole('dialog')).toHaveCount(1);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
  });

  test('the add-account menu works from the keyboard and Esc gives the focus back to its button', async ({ app }) => {
    const { page } = app;
    await importCards(page, PEOPLE, 3);
    const menuButton = page.getByRole('navigation').getByRole('button', { name: 'Add account' });
    await menuButton.focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('menuitem', { name: 'Google account…' })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('menuitem', { name: 'Workspace shared contacts…' })).toBeFocused();
    await page.keyboard.press('End');
    await expect(page.getByRole('menuitem', { name: 'CardDAV server…' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toHaveCount(0);
    await expect(menuButton).toBeFocused();
    // Only one button for the three kinds of account.
    await expect(page.getByRole('navigation').getByRole('button', { name: /Google|CardDAV|Workspace/ })).toHaveCount(0);
  });
});

test.describe('editing never loses work', () => {
  test('another contact: Cancel stays, Save saves and moves on', async ({ app }) => {
    const { page } = app;
    await importCards(page, PEOPLE, 3);
    await listRow(page, 'Ada Lovelace').click();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await field(page, 'Job title').fill('Countess');
    await listRow(page, 'Alan Turing').click();
    const ask = page.getByRole('alertdialog', { name: 'Save your changes?' });
    await expect(ask).toBeVisible();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await expect(field(page, 'Job title')).toHaveValue('Countess'); // nothing lost
    await listRow(page, 'Alan Turing').click();
    await ask.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('heading', { name: 'Alan Turing' })).toBeVisible();
    await listRow(page, 'Ada Lovelace').click();
    await expect(page.getByText('Countess')).toBeVisible();
  });

  test('a search, a new contact, another book and Esc each ask; Discard drops the edit', async ({ app }) => {
    const { page } = app;
    await importCards(page, PEOPLE, 3);
    await listRow(page, 'Ada Lovelace').click();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await field(page, 'Job title').fill('Countess');
    const ask = page.getByRole('alertdialog', { name: 'Save your changes?' });
    await page.getByRole('searchbox', { name: 'Search contacts' }).fill('turing');
    await expect(ask).toBeVisible();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('searchbox', { name: 'Search contacts' })).toHaveValue(''); // the search waited
    await page.keyboard.press('Control+n');
    await expect(ask).toBeVisible();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('navigation').getByRole('button', { name: 'Favourites' }).click();
    await expect(ask).toBeVisible();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await field(page, 'Job title').press('Escape');
    await expect(ask).toBeVisible();
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await expect(page.getByRole('heading', { name: 'Ada Lovelace' })).toBeVisible();
    await expect(page.getByText('Countess')).toHaveCount(0);
  });

  test('Save in the question with a bad field keeps the editor open, the field focused', async ({ app }) => {
    const { page } = app;
    await importCards(page, PEOPLE, 3);
    await listRow(page, 'Ada Lovelace').click();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('button', { name: 'Add E-mail' }).click();
    await field(page, 'E-mail 1').fill('not-an-address');
    await listRow(page, 'Alan Turing').click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Save' }).click();
    await expect(field(page, 'E-mail 1')).toBeFocused();
    await expect(page.getByRole('heading', { name: 'Edit Ada Lovelace' })).toBeVisible();
  });

  test('leaving the window (closing, reloading) with an unsaved edit asks first (beforeunload)', async ({ app }) => {
    const { page } = app;
    await importCards(page, PEOPLE, 3);
    await listRow(page, 'Ada Lovelace').click();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await field(page, 'Job title').fill('Countess');
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.type();
      void d.dismiss(); // Stay on the page
    });
    await page.evaluate(() => window.location.reload()).catch(() => {});
    await expect.poll(() => asked).toBe('beforeunload');
    await expect(field(page, 'Job title')).toHaveValue('Countess'); // stayed: nothing lost
  });

  test('Save and Cancel stay in view while the form scrolls; disabled buttons look disabled', async ({ app }) => {
    const { page } = app;
    await page.setViewportSize({ width: 800, height: 600 });
    await importCards(page, PEOPLE, 3);
    await listRow(page, 'Ada Lovelace').click();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await field(page, 'Notes').scrollIntoViewIfNeeded();
    await expect(page.getByRole('button', { name: 'Save' })).toBeInViewport();
    await field(page, 'Given name').scrollIntoViewIfNeeded();
    await expect(page.getByRole('button', { name: 'Cancel' })).toBeInViewport();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
    await page.getByRole('menuitem', { name: 'CardDAV server…' }).click();
    const connect = page.getByRole('button', { name: 'Connect' });
    await expect(connect).toBeDisabled();
    expect(Number(await connect.evaluate((b) => getComputedStyle(b).opacity))).toBeLessThan(0.6);
  });
});

test('keyboard only: create, edit, search and delete', async ({ app }) => {
  const { page } = app;
  await importCards(page, PEOPLE, 3);
  // Create: Ctrl+N puts the cursor in the first name; Enter in a field saves.
  await page.keyboard.press('Control+n');
  await expect(field(page, 'Given name')).toBeFocused();
  await page.keyboard.type('Katherine');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(field(page, 'Family name')).toBeFocused();
  await page.keyboard.type('Johnson');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Katherine Johnson' })).toBeVisible();
  // Search: Ctrl+F, type, ArrowDown to the first result; Enter edits with the cursor in the editor.
  await page.keyboard.press('Control+f');
  await expect(page.getByRole('searchbox', { name: 'Search contacts' })).toBeFocused();
  await page.keyboard.type('johnson');
  await page.keyboard.press('ArrowDown');
  await expect(contactList(page)).toBeFocused();
  await expect(listRow(page, 'Katherine Johnson')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(field(page, 'Given name')).toBeFocused();
  await field(page, 'Job title').focus();
  await page.keyboard.type('Mathematician');
  await page.keyboard.press('Enter');
  await expect(page.getByText('Mathematician')).toBeVisible();
  // Delete: back to the list (Ctrl+F, ArrowDown), Delete, and Undo is there.
  await page.keyboard.press('Control+f');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Delete');
  await expect(page.getByText('“Katherine Johnson” deleted.')).toBeVisible();
  await expect(listRow(page, 'Katherine Johnson')).toHaveCount(0);
  expect(await exportText(page)).not.toContain('Katherine');
});

test('the list: Home, End, PageDown, PageUp, Shift+Arrow extends, type-ahead jumps by name', async ({ app }) => {
  const { page } = app;
  const names = Array.from({ length: 40 }, (_, i) => `${String.fromCharCode(65 + (i % 26))}person ${String(i).padStart(2, '0')}`);
  await importCards(page, names.map((n, i) => card(`k${i}`, `FN:${n}`)).join(''), 40);
  const list = contactList(page);
  await listRow(page, 'Aperson 00').click();
  await list.press('End');
  await expect(listRow(page, 'Zperson 25')).toHaveAttribute('aria-selected', 'true');
  await list.press('Home');
  await expect(listRow(page, 'Aperson 00')).toHaveAttribute('aria-selected', 'true');
  await list.press('PageDown');
  await expect(list.locator('[aria-selected="true"]')).toHaveCount(1);
  const afterPage = await list.locator('[aria-selected="true"]').textContent();
  expect(afterPage).not.toContain('Aperson 00');
  await list.press('PageUp');
  await expect(listRow(page, 'Aperson 00')).toHaveAttribute('aria-selected', 'true');
  await list.press('Shift+ArrowDown');
  await list.press('Shift+ArrowDown');
  await expect(list.locator('[aria-selected="true"]')).toHaveCount(3);
  await expect(page.getByText('3 contacts selected.')).toBeVisible();
  await list.pressSequentially('mp');
  await expect(listRow(page, 'Mperson 12')).toHaveAttribute('aria-selected', 'true');
  await expect(list.locator('[aria-selected="true"]')).toHaveCount(1);
});

test.describe('settings', () => {
  test('theme, name order, sort order and date style are kept across a reload', async ({ app }) => {
    const { page } = app;
    await importCards(page, PEOPLE, 3);
    await openSettings(page);
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByRole('radio', { name: 'Dark' }).check();
    await dialog.getByRole('radio', { name: 'Family name first (Lovelace, Ada)' }).check();
    await dialog.getByRole('radio', { name: 'Family name', exact: true }).check();
    await dialog.getByRole('radio', { name: /^ISO 8601/ }).check();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    // Sorted by family name: Hopper, Lovelace, Turing; shown "Family, Given".
    await expect(contactList(page).getByRole('option').first()).toContainText('Hopper, Grace');
    await expect(contactList(page).getByRole('option').last()).toContainText('Turing, Alan');
    await listRow(page, 'Lovelace, Ada').click();
    await expect(page.getByText('1990-03-14')).toBeVisible();
    await openSettings(page);
    await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();
    await expect(page.getByRole('radio', { name: /^ISO 8601/ })).toBeChecked();
  });
});

test.describe('an en-GB system', () => {
  test.use({ osLocale: 'en-GB' });
  test('dates follow the region: 14 March 1990, not March 14, 1990', async ({ app }) => {
    const { page } = app;
    await importCards(page, PEOPLE, 3);
    await listRow(page, 'Ada Lovelace').click();
    await expect(page.getByText('14 March 1990')).toBeVisible();
  });
});

test('the look: copy buttons on hover or focus, empty fields have no row, a map link for addresses, upcoming birthdays', async ({ app }) => {
  const { page, harness } = app;
  const soon = new Date(Date.now() + 5 * 86_400_000);
  const md = `${String(soon.getMonth() + 1).padStart(2, '0')}${String(soon.getDate()).padStart(2, '0')}`;
  await importCards(page, card('m', `FN:Maud Map\nEMAIL:\nTEL:+1 555 0100\nADR:;;1 Main Street;Springfield;;;USA\nBDAY:--${md}`), 1);
  await listRow(page, 'Maud Map').click();
  await expect(page.getByRole('region', { name: 'E-mail' })).toHaveCount(0); // EMAIL had no value
  const copy = page.getByRole('button', { name: /^Copy Phone/ });
  expect(Number(await copy.evaluate((b) => getComputedStyle(b).opacity))).toBe(0);
  await page.getByRole('button', { name: '+1 555 0100' }).hover();
  await expect.poll(async () => Number(await copy.evaluate((b) => getComputedStyle(b).opacity))).toBe(1);
  await page.getByRole('region', { name: 'Address' }).getByRole('button', { name: 'Map' }).click();
  if (harness !== null) await expect.poll(() => harness.platform.opened.at(-1)).toBe('https://www.openstreetmap.org/search?query=1%20Main%20Street%2C%20Springfield%2C%20USA');
  await page.getByRole('navigation').getByRole('button', { name: 'Upcoming birthdays' }).click();
  await expect(page.getByRole('list', { name: 'Upcoming birthdays' }).getByRole('button')).toContainText('Maud Map');
  await expect(page.getByRole('list', { name: 'Upcoming birthdays' })).toContainText('in 5 days');
});
