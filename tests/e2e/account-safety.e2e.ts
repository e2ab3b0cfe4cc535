/**
 * The add-account dialog's two safety steps, in the window: a discovery that leads to another
 * server asks first (naming it, and saying the password would go there), and a computer without
 * a keyring says so and offers to remember the password until Cardinal quits. Both are shot in
 * light, dark and Persian at both sizes, through the accessibility gate (test-results/screens/).
 */
import type { Page } from '@playwright/test';
import { hostileCard, startHostileServer, startRecorder, type HostileServer, type Recorder } from '../servers/hostile-server';
import { expect, test } from './fixtures';
import { captureScreen, chooseLanguage, openSettings } from './pages';

let server: HostileServer;
let elsewhere: Recorder;
test.beforeAll(async () => {
  server = await startHostileServer();
  elsewhere = await startRecorder();
});
test.afterAll(async () => {
  await server.close();
  await elsewhere.close();
});

/** The dialog in light and dark, at both sizes. */
async function screens(page: Page, name: string): Promise<void> {
  await captureScreen(page, name, 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await captureScreen(page, name, 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The sidebar's "Add account" menu, then the CardDAV item, then the address, user and password. */
async function fillAccount(page: Page, url: string, words = { menu: 'Add account', item: 'CardDAV server…', url: 'Server address or e-mail', user: 'User name', password: 'Password' }): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: words.menu }).click();
  await page.getByRole('menuitem', { name: words.item }).click();
  await page.getByLabel(words.url).fill(url);
  await page.getByLabel(words.user).fill(server.user);
  await page.getByLabel(words.password, { exact: true }).fill(server.password);
}

test('discovery that leads to another server asks first, names it, and sends nothing there when the user declines', async ({ app }) => {
  test.skip(app.harness === null, 'the servers run beside the harness');
  const { page } = app;
  server.script.principalHref = `${elsewhere.url}/principal/`;
  await fillAccount(page, server.url);
  await page.getByRole('button', { name: 'Connect' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a CardDAV account' });
  const iso = (s: string) => `\u2068${s}\u2069`;
  await expect(dialog.getByText(`The server at ${iso(server.url)} sends Cardinal on to another server: ${iso(elsewhere.url)}.`)).toBeVisible();
  await expect(dialog.getByText(`your user name and password will be sent to ${iso(elsewhere.url)}`)).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Continue and send the password' })).toBeEnabled();
  // The safe answer is the primary button, and where the focus is; going there is secondary.
  await expect(dialog.getByRole('button', { name: 'Don’t go there' })).toBeFocused();
  await expect(dialog.getByRole('button', { name: 'Don’t go there' })).toHaveClass(/\bprimary\b/);
  await expect(dialog.getByRole('button', { name: 'Continue and send the password' })).not.toHaveClass(/\bprimary\b/);
  await screens(page, 'origin-move');
  expect(elsewhere.requests).toEqual([]);
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert').first()).toBeVisible();
  expect(elsewhere.requests).toEqual([]);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
});

test('without a keyring the dialog says so; “remember until Cardinal quits” lets the account be added, its password only in memory', async ({ app }) => {
  test.skip(app.harness === null, 'the keyring is switched off in the harness’s platform');
  const { page, harness } = app;
  server.script.principalHref = undefined;
  harness!.platform.setKeyring(false);
  await fillAccount(page, server.url);
  const dialog = page.getByRole('dialog', { name: 'Add a CardDAV account' });
  await expect(dialog.getByText(/no keyring/)).toBeVisible();
  await screens(page, 'no-keyring');
  await dialog.getByRole('button', { name: 'Remember the password until Cardinal quits' }).click();
  await expect(dialog.getByText('Passwords are kept only until Cardinal quits; you will be asked for them again next time.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('checkbox', { name: 'Hostile book' })).toBeChecked();
  await dialog.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect((await page.evaluate(() => window.cardinal.listAccounts())).map((a) => a.serverUrl)).toEqual([server.url]);
  expect(await page.evaluate(() => window.cardinal.secretStorage())).toBe('memory');
});

test('in Persian, both steps read right to left', async ({ app }) => {
  test.skip(app.harness === null, 'the servers run beside the harness');
  const { page, harness } = app;
  await chooseLanguage(page, 'فارسی');
  harness!.platform.setKeyring(false);
  server.script.principalHref = `${elsewhere.url}/principal/`;
  await fillAccount(page, server.url, { menu: 'افزودن حساب', item: 'سرور CardDAV…', url: 'نشانی سرور یا ایمیل', user: 'نام کاربری', password: 'گذرواژه' });
  await expect(page.getByText(/جاکلیدی/)).toBeVisible();
  await captureScreen(page, 'no-keyring', 'persian');
  await page.getByRole('button', { name: 'گذرواژه را تا بسته شدن کاردینال به خاطر بسپار' }).click();
  await page.getByRole('button', { name: 'اتصال' }).click();
  await expect(page.getByText(elsewhere.url, { exact: false }).first()).toBeVisible();
  await captureScreen(page, 'origin-move', 'persian');
  expect(elsewhere.requests).toEqual([]);
});

test('a card the server lists outside the book is refused, and the account says so beside “Synced” (in Persian too), not silently', async ({ app }) => {
  test.skip(app.harness === null, 'the servers run beside the harness');
  const { page } = app;
  server.script.principalHref = undefined;
  server.cards.set('kept.vcf', { etag: '"k1"', vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:kept\r\nFN:Kept Person\r\nEND:VCARD\r\n' });
  server.script.extraHrefs = ['/dav/alice/elsewhere/planted.vcf'];
  try {
    await fillAccount(page, server.url);
    const dialog = page.getByRole('dialog', { name: 'Add a CardDAV account' });
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(dialog.getByRole('checkbox', { name: 'Hostile book' })).toBeChecked();
    await dialog.getByRole('button', { name: 'Add account' }).click();
    await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 30_000 });
    await expect(page.getByTestId('sync-outside')).toHaveText('The server listed 1 contact at an address outside this address book; for your safety it was not synced.');
    await expect(page.getByRole('option', { name: /Kept Person/ })).toBeVisible();
    await expect(page.getByText('Planted')).toHaveCount(0);
    await chooseLanguage(page, 'فارسی');
    await expect(page.getByTestId('sync-outside')).toHaveText('سرور ۱ مخاطب را در نشانی‌ای بیرون از این دفترچهٔ نشانی فهرست کرد؛ برای امنیت شما همگام نشدند.');
  } finally {
    server.script.extraHrefs = undefined;
    server.cards.delete('kept.vcf');
  }
});

test('a card on the server that is not a readable vCard does not stop the book: the others sync, and the account says so beside “Synced”, in Persian too', async ({ app }) => {
  test.skip(app.harness === null, 'the servers run beside the harness');
  const { page } = app;
  server.script.principalHref = undefined;
  server.cards.set('good.vcf', { etag: '"g1"', vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:good\r\nFN:Good Eve\r\nEND:VCARD\r\n' });
  server.cards.set('broken.vcf', { etag: '"b1"', vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:broken\r\nFN:Malformed One\r\nthis line has no colon\r\n' });
  server.cards.set('text.vcf', { etag: '"t1"', vcard: 'not a vcard at all' });
  try {
    await fillAccount(page, server.url);
    const dialog = page.getByRole('dialog', { name: 'Add a CardDAV account' });
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await dialog.getByRole('button', { name: 'Add account' }).click();
    await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 30_000 });
    await expect(page.getByTestId('sync-unreadable')).toHaveText(/^2 cards on the server cannot be read/);
    await expect(page.getByRole('option', { name: /Good Eve/ })).toBeVisible();
    await captureScreen(page, 'account-unreadable-cards', 'light', { only: 0 });
    // At 800×600 the account is in the folded sidebar: the drawer button carries a dot, and says why.
    await page.setViewportSize({ width: 800, height: 600 });
    await expect(page.getByRole('button', { name: 'Show address books (an account needs your attention)' })).toBeVisible();
    await expect(page.getByTestId('drawer-attention')).toBeVisible();
    await captureScreen(page, 'account-unreadable-cards', 'light', { only: 1 });
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect(page.getByTestId('drawer-attention')).toHaveCount(0);
    await chooseLanguage(page, 'فارسی');
    await expect(page.getByTestId('sync-unreadable')).toContainText('۲ کارت روی سرور خوانا نیست');
  } finally {
    for (const n of ['good.vcf', 'broken.vcf', 'text.vcf']) server.cards.delete(n);
  }
});

test('a sync that would remove most of a book asks with “Keep them” beside “Remove them”; kept, they stay here and are back on the server', async ({ app }) => {
  test.skip(app.harness === null, 'the servers run beside the harness');
  const { page } = app;
  server.script.principalHref = undefined;
  const names = ['k1', 'k2', 'k3'];
  for (const n of names) server.cards.set(`${n}.vcf`, { etag: `"${n}"`, vcard: hostileCard(n, `Keeper ${n}`) });
  try {
    await fillAccount(page, server.url);
    const dialog = page.getByRole('dialog', { name: 'Add a CardDAV account' });
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await dialog.getByRole('button', { name: 'Add account' }).click();
    await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 30_000 });
    // Another client removes two of the three.
    server.cards.delete('k1.vcf');
    server.cards.delete('k2.vcf');
    await page.getByRole('button', { name: /^Sync .* now$/ }).click();
    await expect(page.getByTestId('sync-status')).toContainText('This sync would remove 2 of 3 contacts');
    await expect(page.getByRole('button', { name: 'Remove them' })).toBeVisible();
    // The question in light, dark and Persian at both sizes; at 800×600 the drawer shows its
    // buttons without the user scrolling to find them.
    await screens(page, 'mass-removal');
    await chooseLanguage(page, 'فارسی');
    await captureScreen(page, 'mass-removal', 'persian');
    await openSettings(page);
    await page.getByRole('dialog').getByRole('combobox').first().selectOption({ value: '' });
    await page.keyboard.press('Escape');
    // A narrow window folds the account away into the drawer: a banner says a question waits,
    // and Show opens the drawer at it.
    await page.setViewportSize({ width: 800, height: 600 });
    await expect(page.getByTestId('question-banner')).toContainText('waits for your answer');
    await page.getByTestId('question-banner').getByRole('button', { name: 'Show' }).click();
    await expect(page.getByRole('button', { name: 'Keep them' })).toBeFocused();
    await expect(page.getByRole('button', { name: 'Keep them' })).toBeInViewport({ ratio: 1 });
    await expect(page.getByRole('button', { name: 'Remove them' })).toBeInViewport({ ratio: 1 });
    await page.getByRole('button', { name: 'Keep them' }).click();
    await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Keep them' })).toHaveCount(0);
    for (const n of names) await expect(page.getByRole('option', { name: new RegExp(`Keeper ${n}`) })).toBeVisible();
    const there = [...server.cards.values()].map((c) => /FN:([^\r\n]*)/.exec(c.vcard)?.[1]).sort();
    expect(there).toEqual(['Keeper k1', 'Keeper k2', 'Keeper k3']);
  } finally {
    server.cards.clear();
  }
});
