/**
 * Layout and focus findings from a stranger's test of the window: values written left to right in
 * a Persian list, focus after a save, the bulk bar, the sidebar's group rows and scrolling area,
 * the drawer button's state.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { translator } from '../../renderer/src/i18n';
import { addAccount, card, contactList, importCards, listRow } from './helpers';
import { captureScreen, chooseLanguage, expectAccessible } from './pages';
import { startRadicale, startXandikos, type TestServer } from '../servers/servers';

type Box = { x: number; y: number; width: number; height: number };
const intersects = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const fa = translator('fa');

async function importInPersian(page: Page, text: string, count: number): Promise<void> {
  await chooseLanguage(page, 'فارسی');
  await importCards(page, text, count, fa('import.run', { count }));
}

/** The x of the first and last visible character of the element's text. */
async function charEdges(el: Locator): Promise<{ text: string; first: number; last: number }> {
  return el.evaluate((node) => {
    const text = node.firstChild as Text;
    const value = text.data;
    const at = (i: number) => {
      const r = document.createRange();
      r.setStart(text, i);
      r.setEnd(text, i + 1);
      return r.getBoundingClientRect().x;
    };
    return { text: value, first: at(0), last: at(value.length - 1) };
  });
}

test('in Persian, a list row’s phone number and e-mail read left to right, “+” first', async ({ app }) => {
  const { page } = app;
  await importInPersian(page, card('p1', 'FN:Phone Only\nTEL:+98 912 000 1111') + card('p2', 'FN:Mail Only\nEMAIL:mail@example.ir'), 2);
  const list = page.getByRole('listbox', { name: fa('list.label') });
  const phone = list.getByRole('option', { name: /Phone Only/ }).locator('.list-sub bdi');
  await expect(phone).toHaveText('+98 912 000 1111');
  await expect(phone).toHaveAttribute('dir', 'ltr');
  const p = await charEdges(phone);
  expect(p.first, 'the “+” is drawn left of the last digit').toBeLessThan(p.last);
  const mail = list.getByRole('option', { name: /Mail Only/ }).locator('.list-sub bdi');
  await expect(mail).toHaveAttribute('dir', 'ltr');
  const m = await charEdges(mail);
  expect(m.first).toBeLessThan(m.last);
});

test('after saving the editor (Save or Enter), the focus is on the saved contact’s view, not lost', async ({ app }) => {
  const { page } = app;
  await importCards(page, card('f1', 'FN:Ada Lovelace\nN:Lovelace;Ada;;;'), 1);
  await listRow(page, 'Ada Lovelace').click();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByLabel('Middle name', { exact: true }).fill('Augusta');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('button', { name: 'Edit', exact: true })).toBeVisible();
  const inDetail = () => page.evaluate(() => document.activeElement !== document.body && document.activeElement?.closest('.detail-pane') !== null);
  await expect.poll(inDetail).toBe(true);
  // Enter in a field saves as well.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByLabel('Middle name', { exact: true }).fill('');
  await page.getByLabel('Middle name', { exact: true }).press('Enter');
  await expect(page.getByRole('button', { name: 'Edit', exact: true })).toBeVisible();
  await expect.poll(inDetail).toBe(true);
  // A new contact: the focus goes to its view once it is stored.
  await page.getByRole('button', { name: 'New contact' }).first().click();
  await page.getByLabel('Given name', { exact: true }).fill('Grace');
  await page.getByLabel('Given name', { exact: true }).press('Enter');
  await expect(page.getByRole('heading', { name: 'Grace' })).toBeVisible();
  await expect.poll(inDetail).toBe(true);
});

test('the bulk bar has padding and its buttons never overlap, at 800×600 and 1280×800, in Persian too', async ({ app }) => {
  const { page } = app;
  await importCards(page, card('b1', 'FN:Alan Turing\nCATEGORIES:Friends') + card('b2', 'FN:Émile Zola\nCATEGORIES:Friends'), 2);
  await listRow(page, 'Alan Turing').click();
  await listRow(page, 'Émile Zola').click({ modifiers: ['Shift'] });
  const check = async (where: string) => {
    const bar = page.locator('.bulk-bar');
    await expect(bar.first()).toBeVisible();
    const barBox = (await bar.first().boundingBox())!;
    const boxes = await bar.first().locator(':scope > span, :scope > button, :scope > .menu-button > button').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as Box));
    expect(boxes.length, where).toBeGreaterThanOrEqual(6);
    for (let i = 0; i < boxes.length; i++) {
      const b = boxes[i]!;
      expect(b.x, `${where}: item ${i} inside the bar with padding`).toBeGreaterThanOrEqual(barBox.x + 4);
      expect(b.x + b.width, `${where}: item ${i} inside the bar with padding`).toBeLessThanOrEqual(barBox.x + barBox.width - 4);
      for (let k = i + 1; k < boxes.length; k++) expect(intersects(b, boxes[k]!), `${where}: items ${i} and ${k} overlap`).toBe(false);
    }
  };
  // After a resize the layout's media queries take a moment to settle: the check is retried until
  // it holds (or fails after 5 s); a bar measured mid-change once failed this on a loaded machine.
  for (const size of [{ width: 800, height: 600 }, { width: 1280, height: 800 }]) {
    await page.setViewportSize(size);
    await expect(() => check(`${size.width}×${size.height}`)).toPass({ timeout: 5_000 });
  }
  await chooseLanguage(page, 'فارسی');
  for (const size of [{ width: 800, height: 600 }, { width: 1280, height: 800 }]) {
    await page.setViewportSize(size);
    await expect(() => check(`Persian ${size.width}×${size.height}`)).toPass({ timeout: 5_000 });
  }
});

test('a sidebar group’s “···” button sits at the end of the group’s row, and its menu opens on top', async ({ app }) => {
  const { page } = app;
  await importCards(page, card('g1', 'FN:Alan Turing\nCATEGORIES:Friends'), 1);
  const nav = page.getByRole('navigation');
  const group = (await nav.locator('button[data-group="Friends"]').boundingBox())!;
  const more = page.getByRole('button', { name: 'Actions for Friends' });
  const menuBox = (await more.boundingBox())!;
  expect(menuBox.y, 'on the same line').toBeLessThan(group.y + group.height);
  expect(menuBox.y + menuBox.height).toBeGreaterThan(group.y);
  expect(menuBox.x, 'after the group, at the row’s end').toBeGreaterThanOrEqual(group.x + group.width - 1);
  await more.click();
  const rename = page.getByRole('menuitem', { name: 'Rename' });
  const topmost = await rename.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
  });
  expect(topmost, 'the menu is drawn over the rows under it').toBe(true);
  await page.keyboard.press('Escape');
  // Right to left: the button is at the row's end, the left.
  await chooseLanguage(page, 'فارسی');
  const faGroup = (await nav.locator('button[data-group="Friends"]').boundingBox())!;
  const faMore = (await page.getByRole('button', { name: fa('groups.actions', { name: 'Friends' }) }).boundingBox())!;
  expect(faMore.y).toBeLessThan(faGroup.y + faGroup.height);
  expect(faMore.x + faMore.width).toBeLessThanOrEqual(faGroup.x + 1);
});

test('a sidebar group’s menu covers none of the sidebar (the groups below, “New group”) and stays in the window, at 1280×800 and 800×600, left to right and right to left', async ({ app }) => {
  const { page } = app;
  await importCards(page, card('m1', 'FN:Alan Turing\nCATEGORIES:Friends,Science') + card('m2', 'FN:Ada Lovelace\nCATEGORIES:Science'), 2);
  for (const lang of ['en', 'fa'] as const) {
    if (lang === 'fa') await chooseLanguage(page, 'فارسی');
    const t = translator(lang);
    for (const size of [{ width: 1280, height: 800 }, { width: 800, height: 600 }]) {
      await page.setViewportSize(size);
      const nav = page.getByRole('navigation');
      const drawer = page.getByRole('button', { name: t('action.showSidebar') });
      if (size.width < 1000) await drawer.click();
      await expect(nav.locator('button[data-group="Science"]')).toBeVisible();
      const more = page.getByRole('button', { name: t('groups.actions', { name: 'Friends' }) });
      await more.click();
      const menu = page.getByRole('menu');
      await expect(menu).toBeVisible();
      await expect(page.getByRole('menuitem', { name: t('groups.rename') })).toBeFocused();
      const box = (await menu.boundingBox())!;
      const where = `${lang} ${size.width}×${size.height}`;
      for (const covered of [nav.locator('button[data-group="Science"]'), page.getByRole('button', { name: t('groups.newIn', { book: t('books.local') }) }), nav.locator('button[data-group="Friends"]')]) {
        expect(intersects(box, (await covered.boundingBox())!), `${where}: the menu lies over ${await covered.textContent()}`).toBe(false);
      }
      expect(box.x, where).toBeGreaterThanOrEqual(0);
      expect(box.y, where).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, where).toBeLessThanOrEqual(size.width);
      expect(box.y + box.height, where).toBeLessThanOrEqual(size.height);
      for (const item of await page.getByRole('menuitem').all()) {
        const topmost = await item.evaluate((el) => {
          const r = el.getBoundingClientRect();
          return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
        });
        expect(topmost, `${where}: ${await item.textContent()} can be clicked`).toBe(true);
      }
      await expectAccessible(page, `group menu (${where})`);
      await page.screenshot({ path: `test-results/screens/group-menu-${lang}-${size.width}x${size.height}.png` });
      await page.keyboard.press('Escape');
      await expect(page.getByRole('menu')).toHaveCount(0);
      await expect(more).toBeFocused();
      if (size.width < 1000) await page.keyboard.press('Escape');
    }
  }
});

test.describe('with a server account', () => {
  let server: TestServer;
  test.beforeAll(async () => {
    server = await startRadicale();
    await server.seed([{ file: 'a.vcf', vcard: card('r1', 'FN:Alan Turing\nCATEGORIES:Friends,Science,Work') }]);
  });
  test.afterAll(() => server.stop());

  test('in the Persian drawer at 800×600, the account’s status lines are not hidden behind the Import/Export section', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    const { page } = app;
    await page.setViewportSize({ width: 800, height: 600 });
    await page.getByRole('button', { name: 'Show address books' }).click();
    await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
    await page.getByRole('menuitem', { name: 'CardDAV server…' }).click();
    await page.getByLabel('Server address or e-mail').fill(server.baseUrl);
    await page.getByLabel('User name').fill(server.user);
    await page.getByLabel('Password').fill(server.password);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Add account' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await chooseLanguage(page, 'فارسی');
    await page.locator('#drawer-button').click();
    const drawer = page.getByRole('dialog');
    await expect(drawer.getByTestId('sync-status')).toBeVisible();
    await page.waitForTimeout(1000); // the first sync settles
    const scroll = drawer.locator('.sidebar-scroll');
    await scroll.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.screenshot({ path: 'test-results/polish-drawer.png' });
    const actions = (await drawer.locator('.sidebar-actions').boundingBox())!;
    const scrollBox = (await scroll.boundingBox())!;
    // Every line of the account's panel, scrolled to the end, ends above the bottom section.
    const account = drawer.locator('.sidebar-sync');
    const lines = await account.locator('p, small, span, [data-testid="sync-status"]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as Box).filter((b) => b.height > 0));
    expect(lines.length).toBeGreaterThan(0);
    for (const b of lines) {
      expect(b.y + b.height, 'a status line ends above the bottom section').toBeLessThanOrEqual(actions.y + 0.5);
      expect(b.y + b.height, 'and inside the scrolling area').toBeLessThanOrEqual(scrollBox.y + scrollBox.height + 0.5);
    }
    await expectAccessible(page, 'the Persian drawer with an account');
  });
});

/** The sidebar's entries whose text is cut (wider than the room it has, or an ellipsis drawn). */
async function cutEntries(sidebar: Locator): Promise<string[]> {
  return sidebar.locator('.nav-item').evaluateAll((items) =>
    items.flatMap((item) => {
      const label = item.querySelector<HTMLElement>('.nav-label') ?? (item as HTMLElement);
      return label.scrollWidth > label.clientWidth + 1 || item.scrollWidth > item.clientWidth + 1 ? [label.textContent ?? ''] : [];
    }),
  );
}

test.describe('with two server accounts', () => {
  const servers: TestServer[] = [];
  test.afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  test('no sidebar entry is cut (“Upcoming birthd…”), in English and Persian, at 1280×800 and in the drawer at 800×600', async ({ app }) => {
    test.skip(app.harness === null, 'the servers run beside the harness');
    test.setTimeout(120_000);
    const { page } = app;
    servers.push(await startRadicale(), await startXandikos());
    const [radicale, xandikos] = servers as [TestServer, TestServer];
    await addAccount(page, radicale);
    const panelOf = (s: TestServer) => page.getByTestId('account').filter({ hasText: new URL(s.baseUrl).host });
    await addAccount(page, xandikos, panelOf(xandikos).getByTestId('sync-status'));
    await expect(page.getByTestId('account')).toHaveCount(2);
    // Groups under this computer's book: the sidebar is taller than the window, so it scrolls (its scrollbar takes room).
    await importCards(page, card('g1', 'FN:Grace Groups\nCATEGORIES:Family,Friends,Work,Chess club,Neighbours,Book club'), 1);
    for (const [variant, lang] of [['light', 'en'], ['persian', 'fa']] as const) {
      if (lang === 'fa') await chooseLanguage(page, 'فارسی');
      const t = translator(lang);
      await page.setViewportSize({ width: 1280, height: 800 });
      const sidebar = page.getByRole('navigation');
      await expect(sidebar.getByRole('button', { name: t('books.birthdays'), exact: true })).toBeVisible();
      expect(await cutEntries(sidebar), `${lang} at 1280×800`).toEqual([]);
      // Headless Chromium's scrollbars take no room; a desktop's classic one (Windows, most Linux
      // desktops), shown once the accounts make the sidebar scroll, takes about 17 px: give that away too.
      await sidebar.locator('.sidebar-scroll').evaluate((el: HTMLElement) => (el.style.paddingInlineEnd = 'calc(0.75rem + 17px)'));
      expect(await cutEntries(sidebar), `${lang} at 1280×800 beside a classic scrollbar`).toEqual([]);
      await captureScreen(page, 'sidebar-two-accounts', variant, { only: 0 });
      await page.setViewportSize({ width: 800, height: 600 });
      await page.locator('#drawer-button').click();
      const drawer = page.getByRole('dialog').getByRole('navigation');
      await expect(drawer.getByRole('button', { name: t('books.birthdays'), exact: true })).toBeVisible();
      expect(await cutEntries(drawer), `${lang} in the drawer at 800×600`).toEqual([]);
      await captureScreen(page, 'sidebar-two-accounts', variant, { only: 1 });
      await page.keyboard.press('Escape');
    }
  });
});

test('the drawer button says whether the drawer is open (aria-expanded, aria-controls)', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 800, height: 600 });
  await importCards(page, card('e1', 'FN:Alan Turing'), 1);
  const button = page.locator('#drawer-button');
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  await expect(button).toHaveAttribute('aria-controls', 'drawer');
  await expectAccessible(page, 'the drawer button, closed');
  await button.click();
  await expect(page.locator('dialog#drawer')).toBeVisible();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  await expect(button).toBeFocused();
  await expect(contactList(page)).toBeVisible();
});

test('a message on screen follows a change of language: the delete’s message and its Undo are in Persian once Persian is chosen, and Undo still works', async ({ app }) => {
  const { page } = app;
  await importCards(page, card('t1', 'FN:Toast Person\nN:Person;Toast;;;'), 1);
  await listRow(page, 'Toast Person').click();
  await contactList(page).press('Delete');
  const toast = page.getByRole('status').filter({ hasText: 'Toast Person' });
  await expect(toast).toContainText('“Toast Person” deleted.');
  await chooseLanguage(page, 'فارسی');
  await expect(toast).toContainText(fa('toast.deletedOne', { name: 'Toast Person' }));
  await toast.getByRole('button', { name: fa('action.undo') }).click();
  await expect(page.getByRole('option', { name: /Toast Person/ })).toBeVisible();
});

test('Import… chosen from the drawer of a narrow window shows the summary at once (the drawer closes), not behind it', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 800, height: 600 });
  await page.locator('#drawer-button').click();
  await expect(page.locator('#drawer')).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await page.locator('#drawer').getByRole('button', { name: 'Import…' }).click();
  await (await chooser).setFiles({ name: 'narrow.vcf', mimeType: 'text/vcard', buffer: Buffer.from(card('n1', 'FN:Narrow Window')) });
  await expect(page.getByRole('dialog', { name: 'Import contacts' })).toBeVisible();
  await expect(page.locator('#drawer')).toHaveCount(0);
  await page.getByRole('button', { name: 'Import 1 new contact' }).click();
  await expect(listRow(page, 'Narrow Window')).toBeVisible();
});
