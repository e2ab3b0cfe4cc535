/**
 * Failures in the user's words: the account dialog never shows a channel name, a validator's
 * "(argument 0.url)" or "fetch failed", but what happened and to which host.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { translator } from '../../renderer/src/i18n';
import { card, field, importCards, listRow } from './helpers';
import { captureScreen, chooseLanguage } from './pages';

async function tryAddress(page: Page, address: string): Promise<string> {
  await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('menuitem', { name: 'CardDAV server…' }).click();
  await page.getByLabel('Server address or e-mail').fill(address);
  await page.getByLabel('User name').fill('alice');
  await page.getByLabel('Password').fill('secret');
  await page.getByRole('button', { name: 'Connect' }).click();
  const message = page.getByRole('dialog').getByRole('alert').or(page.getByRole('dialog').locator('.field-error'));
  await expect(message.first()).toBeVisible({ timeout: 30_000 });
  const text = (await message.first().textContent()) ?? '';
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  return text;
}

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

test.beforeEach(async ({ app }) => {
  await importCards(app.page, card('x', 'FN:Someone'), 1);
});

test('a server that is not running: “could not reach 127.0.0.1:… (connection refused)”', async ({ app }) => {
  const closed = createServer();
  const port = await listen(closed);
  await new Promise((resolve) => closed.close(resolve)); // nothing listens there now
  const text = await tryAddress(app.page, `http://127.0.0.1:${port}`);
  expect(text).toContain(`Could not reach 127.0.0.1:${port} (connection refused)`);
  expect(text).not.toMatch(/fetch failed|discoverCardDav|argument/);
});

test('a connect error takes the focus (the Connect button was disabled while busy; focus fell to the page)', async ({ app }) => {
  const { page } = app;
  const closed = createServer();
  const port = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
  await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('menuitem', { name: 'CardDAV server…' }).click();
  await page.getByLabel('Server address or e-mail').fill(`http://127.0.0.1:${port}`);
  await page.getByLabel('User name').fill('alice');
  await page.getByLabel('Password').fill('secret');
  await page.getByLabel('Password').press('Enter');
  const alert = page.getByRole('dialog').getByRole('alert');
  await expect(alert).toContainText('Could not reach');
  await expect(alert).toBeFocused();
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(false);
});

test('the dialog says plain http to this computer needs no “allow unencrypted” box, as the code allows it (and README says)', async ({ app }) => {
  const { page } = app;
  await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('menuitem', { name: 'CardDAV server…' }).click();
  const box = page.getByRole('checkbox', { name: 'Allow an unencrypted (http) connection' });
  await expect(box).not.toBeChecked();
  await expect(box).toHaveAccessibleDescription(/Not needed for a server on this computer \(127\.0\.0\.1, localhost, \[::1\]\)/);
});

test('port 1, which fetch never connects to, is named as such rather than “fetch failed”', async ({ app }) => {
  const text = await tryAddress(app.page, 'http://127.0.0.1:1');
  expect(text).toContain('Could not reach 127.0.0.1:1: that port is reserved');
  expect(text).not.toMatch(/fetch failed|discoverCardDav|argument/);
});

test('a web server that is not CardDAV: “no CardDAV server found for …”', async ({ app }) => {
  const server = createServer((_req, res) => res.writeHead(404).end('not here'));
  const port = await listen(server);
  try {
    const text = await tryAddress(app.page, `http://127.0.0.1:${port}/`);
    expect(text).toContain(`No CardDAV server found for 127.0.0.1:${port}`);
  } finally {
    server.close();
  }
});

test('a certificate that is not valid: “the certificate is not valid”', async ({ app }) => {
  const dir = mkdtempSync(join(tmpdir(), 'cardinal-cert-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.writeHead(207).end());
  const port = await listen(server as unknown as Server);
  try {
    const text = await tryAddress(app.page, `https://127.0.0.1:${port}/`);
    expect(text).toContain(`Could not connect securely to 127.0.0.1:${port}: the certificate is not valid.`);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an address that is none: said at the field, before anything is sent', async ({ app }) => {
  const text = await tryAddress(app.page, 'not an address');
  expect(text).toBe('Give the server’s address (https://dav.example.com) or your e-mail address.');
});

test('the harness host stops: a banner says so, an edit is kept here, a request says why it failed; the host back, the banner goes', async ({ app }) => {
  test.skip(app.harness === null, 'an Electron window closes with its main process');
  test.setTimeout(90_000);
  const { page, harness } = app;
  const en = translator('en');
  const fa = translator('fa');
  const banner = page.getByTestId('host-gone');
  await expect(banner).toHaveCount(0);
  harness!.goAway();
  await expect(banner).toHaveText(en('host.gone'));
  await expect(banner).toHaveAttribute('role', 'alert');
  await captureScreen(page, 'host-gone', 'light');
  // The contacts are the window's: an edit is saved here while the host is away.
  await listRow(page, 'Someone').click();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await field(page, 'Job title').fill('Edited offline');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Edited offline', { exact: true })).toBeVisible();
  // A request that needs the host fails at once, in words (never a hang, never "the server has a problem").
  await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('menuitem', { name: 'CardDAV server…' }).click();
  await page.getByLabel('Server address or e-mail').fill('http://127.0.0.1:1');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toHaveText(en('error.hostGone'));
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await chooseLanguage(page, 'فارسی');
  await expect(banner).toHaveText(fa('host.gone'));
  await captureScreen(page, 'host-gone', 'persian');
  harness!.comeBack();
  // The bridge tries again at most 10 s apart.
  await expect(banner).toHaveCount(0, { timeout: 20_000 });
  await expect.poll(() => page.evaluate(async () => (await window.cardinal.getAppInfo()).version)).not.toBe('');
  app.consoleErrors.length = 0; // the page's refused WebSocket connections are expected
});

test('a page kept from before the host was started again (a new key) says to open the new address, and stops trying', async ({ app }) => {
  test.skip(app.harness === null, 'an Electron window closes with its main process');
  const { page, harness } = app;
  const banner = page.getByTestId('host-gone');
  await expect(banner).toHaveCount(0);
  harness!.newKey();
  await expect(banner).toHaveText(translator('en')('host.stale'));
  await captureScreen(page, 'host-stale', 'light', { only: 1 });
  // No attempt after that: the host sees no new socket from this page.
  await page.waitForTimeout(2500);
  expect(harness!.connections()).toBe(0);
  // The address it printed works, with the same contacts.
  await page.goto(harness!.url);
  await expect(banner).toHaveCount(0);
  await expect(listRow(page, 'Someone')).toBeVisible();
  app.consoleErrors.length = 0; // the refused WebSocket connection is expected
});
