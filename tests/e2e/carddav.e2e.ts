/** A CardDAV account end to end: real Radicale, the app in the harness. */
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { generateCard } from '../bench/corpus';
import { startRadicale, type TestServer } from '../servers/servers';
import type { Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';
import { contactList, exportText, field, listRow } from './helpers';
import { captureDialogVariants, captureScreen } from './pages';

let server: TestServer;

test.beforeAll(async () => {
  server = await startRadicale();
  await server.seed(Array.from({ length: 1000 }, (_, i) => ({ file: `seed-${i}.vcf`, vcard: generateCard(i) })));
});
test.afterAll(() => server.stop());

/**
 * Add the account through the dialog, by mouse: the "Add account" menu, address, user, password,
 * Connect, then the book to sync. Playwright's click refuses a button something else lies over,
 * so this also proves nothing covers the dialog (0.1's list rows did, at 1280×800).
 */
async function addAccount(page: Page, s: TestServer, shots?: string): Promise<void> {
  await openAddAccount(page, 'CardDAV server…');
  await page.getByLabel('Server address or e-mail').fill(s.baseUrl);
  await page.getByLabel('User name').fill(s.user);
  await page.getByLabel('Password').fill(s.password);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('checkbox', { name: 'Contacts' })).toBeChecked();
  if (shots !== undefined) await captureScreen(page, 'carddav-books', shots);
  await page.getByRole('dialog').getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const narrow = (page.viewportSize()?.width ?? 1280) < 1000;
  if (narrow) await page.getByRole('button', { name: 'Show address books' }).click();
  await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 120_000 });
  if (narrow) await page.keyboard.press('Escape');
}

/** The sidebar's one "Add account" menu (in the drawer when the window is narrow). */
async function openAddAccount(page: Page, item: string): Promise<void> {
  if ((page.viewportSize()?.width ?? 1280) < 1000) await page.getByRole('button', { name: 'Show address books' }).click();
  await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

test('add a Radicale account through the UI, sync 1,000 contacts, edit one and see it on the server', async ({ app }) => {
  test.skip(app.harness === null, 'the server runs beside the harness');
  test.setTimeout(180_000);
  const { page } = app;
  await addAccount(page, server, 'light');
  await page.getByRole('navigation').getByRole('button', { name: 'Contacts', exact: true }).click();
  await expect(page.getByText('1,000 contacts', { exact: true })).toBeVisible();

  // The password stays in the main process.
  const accounts = await page.evaluate(() => window.cardinal.listAccounts());
  expect(JSON.stringify(accounts)).not.toContain(server.password);
  expect(accounts[0]).toMatchObject({ user: 'alice', books: [expect.objectContaining({ name: 'Contacts' })] });

  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('person000007');
  await contactList(page).getByRole('option').first().click();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await field(page, 'Job title').fill('Edited in Cardinal');
  await page.getByRole('button', { name: 'Save' }).click();

  const client = new CardDavClient(new DavHttp({ auth: { kind: 'basic', user: server.user, password: server.password } }));
  await expect
    .poll(async () => (await client.get(new URL('seed-7.vcf', server.addressBookUrl).href)).vcard, { timeout: 30_000 })
    .toContain('TITLE:Edited in Cardinal');
  await expect(listRow(page, '.')).toHaveCount(1);
});

test.describe('conflicts and offline edits', () => {
  let small: TestServer;
  test.beforeEach(async () => {
    small = await startRadicale();
    await small.seed([
      { file: 'sam.vcf', vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:sam\r\nFN:Sam Conflict\r\nN:Conflict;Sam;;;\r\nTITLE:Original title\r\nEND:VCARD\r\n' },
      { file: 'olga.vcf', vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:olga\r\nFN:Olga Offline\r\nN:Offline;Olga;;;\r\nEND:VCARD\r\n' },
    ]);
  });
  test.afterEach(() => small.stop());

  const serverCard = (file: string) => new CardDavClient(new DavHttp({ auth: { kind: 'basic', user: small.user, password: small.password } })).get(new URL(file, small.addressBookUrl).href);

  test('both sides change the job title: the contact is marked, both versions are shown, and the choice reaches the server', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    const { page } = app;
    await addAccount(page, small);
    // Another client changes the title on the server; this computer changes it too before syncing.
    const client = new CardDavClient(new DavHttp({ auth: { kind: 'basic', user: small.user, password: small.password } }));
    const url = new URL('sam.vcf', small.addressBookUrl).href;
    const before = await client.get(url);
    await client.put(url, before.vcard.replace('TITLE:Original title', 'TITLE:Remote title'), { ifMatch: before.etag });
    await listRow(page, 'Sam Conflict').click();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await field(page, 'Job title').fill('Local title');
    await page.getByRole('button', { name: 'Save' }).click();

    await expect(listRow(page, 'Sam Conflict').getByTestId('mark-conflict')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('conflict-banner')).toBeVisible();
    // The account says a decision waits, not that a change waits to be sent.
    await expect(page.getByTestId('sync-conflicts')).toHaveText('1 contact changed here and on the server waits for your decision');
    await expect(page.getByTestId('sync-pending')).toHaveCount(0);
    // In a narrow window, where the account's panel is folded away, the drawer button says so.
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 800, height: 600 });
    await expect(page.getByTestId('drawer-attention')).toBeVisible();
    await page.setViewportSize(size);
    expect((await serverCard('sam.vcf')).vcard).toContain('TITLE:Remote title'); // nothing overwritten meanwhile
    await captureDialogVariants(page, 'conflict', async (t) => {
      await page.getByRole('button', { name: t('conflict.resolve') }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
    });
    await page.getByRole('button', { name: 'Compare and decide…' }).click();
    const row = page.getByTestId('conflict-row');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Job title');
    await expect(row).toContainText('Local title');
    await expect(row).toContainText('Remote title');
    await row.getByRole('radio', { name: 'Remote title' }).check();
    await page.screenshot({ path: fileURLToPath(new URL('../../docs/screenshots/conflict.png', import.meta.url)) });
    await page.getByRole('button', { name: 'Save and sync' }).click();

    await expect(page.getByTestId('conflict-banner')).toHaveCount(0);
    await expect(page.getByText('Remote title')).toBeVisible();
    await expect(listRow(page, 'Sam Conflict').getByTestId('mark-conflict')).toHaveCount(0);
    await expect.poll(async () => (await serverCard('sam.vcf')).vcard, { timeout: 30_000 }).not.toContain('Local title');
    await expect(listRow(page, 'Sam Conflict').getByTestId('mark-pending')).toHaveCount(0, { timeout: 30_000 });
    await page.setViewportSize({ width: 800, height: 600 });
    await expect(page.getByTestId('drawer-attention')).toHaveCount(0);
    await page.setViewportSize(size);
  });

  test('both sides change the note: “Keep both” is a choice of its own under both values, not the server’s, and both notes reach the server', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    const { page } = app;
    await addAccount(page, small);
    const client = new CardDavClient(new DavHttp({ auth: { kind: 'basic', user: small.user, password: small.password } }));
    const url = new URL('sam.vcf', small.addressBookUrl).href;
    // A note both sides know first; then each side changes it.
    const first = await client.get(url);
    await client.put(url, first.vcard.replace('TITLE:Original title\r\n', 'TITLE:Original title\r\nNOTE:Original note\r\n'), { ifMatch: first.etag });
    await page.getByRole('button', { name: /^Sync .* now$/ }).click();
    await listRow(page, 'Sam Conflict').click();
    await expect(page.getByText('Original note')).toBeVisible({ timeout: 30_000 });
    const before = await client.get(url);
    await client.put(url, before.vcard.replace('NOTE:Original note', 'NOTE:Remote note'), { ifMatch: before.etag });
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await field(page, 'Notes').fill('Local note');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(listRow(page, 'Sam Conflict').getByTestId('mark-conflict')).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Compare and decide…' }).click();
    const row = page.getByTestId('conflict-row');
    await expect(row).toContainText('Remote note');
    await expect(row).not.toContainText('Keep both');
    await page.getByRole('dialog').getByRole('radio', { name: 'Keep both' }).check();
    await page.getByRole('button', { name: 'Save and sync' }).click();
    await expect.poll(async () => (await serverCard('sam.vcf')).vcard, { timeout: 30_000 }).toMatch(/NOTE:Local note[\s\S]*NOTE:Remote note|NOTE:Remote note[\s\S]*NOTE:Local note/);
  });

  test('a contact created with Ctrl+N and saved reaches Radicale with a UID (it refused a card without one), and its export carries it', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    const { page } = app;
    await addAccount(page, small);
    await page.getByRole('navigation').getByRole('button', { name: 'Contacts', exact: true }).click();
    await page.keyboard.press('Control+n');
    await field(page, 'Given name').fill('Nina');
    await field(page, 'Family name').fill('Newcard');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('heading', { name: 'Nina Newcard' })).toBeVisible();
    const client = new CardDavClient(new DavHttp({ auth: { kind: 'basic', user: small.user, password: small.password } }));
    const nina = async () => {
      const hrefs = (await client.listEtags(small.addressBookUrl)).map((e) => e.href);
      return (await client.multiget(small.addressBookUrl, hrefs)).cards.find((c) => c.vcard.includes('FN:Nina Newcard'))?.vcard ?? '';
    };
    await expect.poll(nina, { timeout: 30_000 }).toMatch(/^UID:urn:uuid:[0-9a-f-]{36}\r?$/m);
    await expect(listRow(page, 'Nina Newcard').getByTestId('mark-pending')).toHaveCount(0, { timeout: 30_000 });
    await expect(listRow(page, 'Nina Newcard').getByTestId('mark-error')).toHaveCount(0);
    const uid = /^UID:(.*?)\r?$/m.exec(await nina())![1]!;
    expect(await exportText(page)).toContain(`UID:${uid}`);
  });

  test('an edit made while the server is down is marked, survives a reload, and is sent when the server is back', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    const { page } = app;
    await addAccount(page, small);
    await small.pause();
    await listRow(page, 'Olga Offline').click();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await field(page, 'Job title').fill('Written offline');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(listRow(page, 'Olga Offline').getByTestId('mark-pending')).toBeVisible();
    await expect(page.getByTestId('sync-pending')).toHaveText('1 change waiting to be sent');
    await expect(page.getByTestId('sync-status')).toContainText('Offline', { timeout: 30_000 });

    await page.reload();
    await expect(listRow(page, 'Olga Offline').getByTestId('mark-pending')).toBeVisible();
    await small.resume();
    await page.getByRole('button', { name: /^Sync .* now$/ }).click();
    await expect(listRow(page, 'Olga Offline').getByTestId('mark-pending')).toHaveCount(0, { timeout: 30_000 });
    expect((await serverCard('olga.vcf')).vcard).toContain('TITLE:Written offline');
    app.consoleErrors.length = 0; // the failed requests while the server was down are expected
  });

  test('a sync with nothing to do draws no animation and changes no row of the list; a card changed on the server after it shows', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    const { page } = app;
    await addAccount(page, small);
    await expect(listRow(page, 'Olga Offline')).toBeVisible();
    // Every frame while the sync runs: the animations running, and whether the list changed.
    await page.evaluate(() => {
      const w = window as unknown as { seen: { animations: number; listChanges: number } };
      w.seen = { animations: 0, listChanges: 0 };
      new MutationObserver((records) => (w.seen.listChanges += records.length)).observe(document.querySelector('[role="listbox"]')!, { subtree: true, childList: true, characterData: true, attributes: true });
      const frame = () => {
        w.seen.animations = Math.max(w.seen.animations, document.getAnimations().length);
        requestAnimationFrame(frame);
      };
      frame();
    });
    await page.evaluate(() => window.cardinal.syncNow(null));
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { seen: unknown }).seen)).toEqual({ animations: 0, listChanges: 0 });

    const client = new CardDavClient(new DavHttp({ auth: { kind: 'basic', user: small.user, password: small.password } }));
    const url = new URL('olga.vcf', small.addressBookUrl).href;
    const before = await client.get(url);
    await client.put(url, before.vcard.replace('FN:Olga Offline', 'FN:Olga Online').replace('N:Offline;Olga;;;', 'N:Online;Olga;;;'), { ifMatch: before.etag });
    await page.evaluate(() => window.cardinal.syncNow(null));
    await expect(listRow(page, 'Olga Online')).toBeVisible();
    await expect(listRow(page, 'Olga Offline')).toHaveCount(0);
  });

  test('Sync pressed while the harness host is gone says why it did nothing, and the status does not blame the server', async ({ app }) => {
    test.skip(app.harness === null, 'an Electron window closes with its main process');
    const { page, harness } = app;
    await addAccount(page, small);
    harness!.goAway();
    await expect(page.getByTestId('host-gone')).toBeVisible();
    await page.getByRole('button', { name: /^Sync .* now$/ }).click();
    await expect(page.getByRole('status').filter({ hasText: 'background process is not running' })).toBeVisible();
    await expect(page.getByTestId('sync-status')).not.toContainText(/server|Offline/);
    harness!.comeBack();
    await expect(page.getByTestId('host-gone')).toHaveCount(0, { timeout: 20_000 });
    app.consoleErrors.length = 0; // the page's refused WebSocket connections are expected
  });
});

test.describe('the account dialogs by mouse, at 1280×800 and 800×600', () => {
  let small: TestServer;
  test.beforeEach(async () => {
    small = await startRadicale();
    await small.seed([{ file: 'one.vcf', vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:one\r\nFN:Only One\r\nEND:VCARD\r\n' }]);
  });
  test.afterEach(() => small.stop());

  for (const size of [
    { width: 1280, height: 800 },
    { width: 800, height: 600 },
  ]) {
    test(`${size.width}×${size.height}: add, edit and remove an account, and import into its book, every button clicked by mouse`, async ({ app }) => {
      test.skip(app.harness === null, 'the server runs beside the harness');
      const { page } = app;
      await page.setViewportSize(size);
      await addAccount(page, small);
      // Edit: the dialog, its Save.
      if (size.width < 1000) await page.getByRole('button', { name: 'Show address books' }).click();
      await page.getByRole('button', { name: /^Edit 127\.0\.0\.1/ }).click();
      await expect(page.getByRole('dialog', { name: 'Edit account' })).toBeVisible();
      // The server address cannot be changed here, and the field says why.
      await expect(page.getByLabel('Server address or e-mail')).toHaveAttribute('readonly', '');
      await expect(page.getByLabel('Server address or e-mail')).toHaveAccessibleDescription(/stays as it was added/);
      await page.getByLabel('Sync automatically').selectOption('30');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByRole('dialog')).toHaveCount(0);
      await expect.poll(async () => (await page.evaluate(() => window.cardinal.listAccounts()))[0]?.intervalMinutes).toBe(30);

      // Import: the dialog names the file and lets the user pick the account's book.
      await page.getByTestId('import-input').setInputFiles({ name: 'friends.vcf', mimeType: 'text/vcard', buffer: Buffer.from('BEGIN:VCARD\r\nVERSION:3.0\r\nUID:imp\r\nFN:Imported Friend\r\nEND:VCARD\r\n') });
      await expect(page.getByTestId('import-file')).toHaveText('friends.vcf');
      await page.getByLabel('Import into').selectOption({ label: 'Contacts' });
      await page.getByRole('button', { name: 'Import 1 new contact' }).click();
      await expect(page.getByRole('dialog')).toHaveCount(0);
      const client = new CardDavClient(new DavHttp({ auth: { kind: 'basic', user: small.user, password: small.password } }));
      await expect.poll(async () => (await client.listEtags(small.addressBookUrl)).length, { timeout: 30_000 }).toBe(2);

      // Remove: the question, Cancel, then Remove.
      if (size.width < 1000) await page.getByRole('button', { name: 'Show address books' }).click();
      await page.getByRole('button', { name: /^Remove 127\.0\.0\.1/ }).click();
      const ask = page.getByRole('alertdialog');
      await expect(ask).toBeVisible();
      await ask.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByRole('dialog')).toHaveCount(0);
      if (size.width < 1000) await page.getByRole('button', { name: 'Show address books' }).click();
      await page.getByRole('button', { name: /^Remove 127\.0\.0\.1/ }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Remove account' }).click();
      await expect(page.getByTestId('account')).toHaveCount(0);
    });
  }

  test('the server refuses the saved password: “Sign in again” asks for the password (required, saying why, never “leave empty to keep”), and signing in syncs again', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    test.setTimeout(120_000);
    const { page } = app;
    await addAccount(page, small);
    // The password changed on the server: what is saved here is now refused.
    await page.evaluate(async () => {
      const [account] = await window.cardinal.listAccounts();
      await window.cardinal.updateAccount(account!.id, { password: 'not-the-password-any-more' });
    });
    await expect(page.getByTestId('sync-status')).toContainText('did not accept', { timeout: 30_000 });
    const host = new URL(small.baseUrl).host;
    await captureDialogVariants(page, 'sign-in-again', async (t) => {
      await page.getByTestId('account').getByRole('button', { name: t('account.signInAgain'), exact: true }).click();
      const dialog = page.getByRole('dialog');
      await expect(dialog).toBeVisible();
      await expect(dialog.getByTestId('sign-in-reason')).toHaveText(t('account.passwordRefused', { host: `\u2068${host}\u2069`, user: `\u2068${small.user}\u2069` }));
      await expect(dialog.getByLabel(t('account.password'), { exact: true })).toBeFocused();
      await expect(dialog.getByLabel(t('account.newPassword'))).toHaveCount(0);
      await expect(dialog.getByRole('button', { name: t('account.signInAgain'), exact: true })).toBeDisabled();
    });
    await page.getByTestId('account').getByRole('button', { name: 'Sign in again', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Sign in to \u2068${host}\u2069 again` });
    // A wrong password: the server refuses it too, and the dialog stays open saying so.
    await dialog.getByLabel('Password', { exact: true }).fill('still-wrong');
    await dialog.getByRole('button', { name: 'Sign in again', exact: true }).click();
    await expect(dialog.getByRole('alert')).toContainText('did not accept this password either', { timeout: 30_000 });
    await expect(dialog.getByRole('alert')).toContainText(host);
    await expect(dialog.getByLabel('Password', { exact: true })).toHaveValue('');
    await dialog.getByLabel('Password', { exact: true }).fill(small.password);
    await dialog.getByRole('button', { name: 'Sign in again', exact: true }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 30_000 });
    // Editing the account that works again: a new password may stay empty there.
    await page.getByRole('button', { name: `Edit ${host}` }).click();
    await expect(page.getByRole('dialog').getByLabel('New password (leave empty to keep)')).toBeVisible();
    await page.keyboard.press('Escape');
    app.consoleErrors.length = 0; // the refused requests are expected
  });

  test('the account dialogs in light, dark and Persian: 0 accessibility violations, screenshots', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    test.setTimeout(180_000);
    const { page } = app;
    await addAccount(page, small);
    await captureDialogVariants(page, 'edit-account', async (t) => {
      await page.getByRole('button', { name: t('account.editFor', { account: new URL(small.baseUrl).host }) }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
    });
    await captureDialogVariants(page, 'remove-account', async (t) => {
      await page.getByRole('button', { name: t('account.removeFor', { account: new URL(small.baseUrl).host }) }).click();
      await expect(page.getByRole('alertdialog')).toBeVisible();
    });
    await captureDialogVariants(page, 'carddav-books', async (t) => {
      await page.getByRole('navigation').getByRole('button', { name: t('account.addMenu') }).click();
      await page.getByRole('menuitem', { name: t('account.add') }).click();
      await page.getByLabel(t('account.url')).fill(small.baseUrl);
      await page.getByLabel(t('account.user')).fill(small.user);
      await page.getByLabel(t('account.password')).fill(small.password);
      await page.getByRole('button', { name: t('account.connect') }).click();
      await expect(page.getByRole('checkbox')).toBeChecked();
    });
  });
});
