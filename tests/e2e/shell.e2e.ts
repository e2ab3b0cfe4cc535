import { expect, target, test } from './fixtures';

test('the app opens on the local address book and reaches the core through window.cardinal', async ({ app }) => {
  const { page } = app;
  // A first launch: the three ways to begin.
  await expect(page.getByRole('heading', { name: 'Welcome to Cardinal' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Choose a file…' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('button', { name: 'Add account' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New contact' })).toBeVisible();
  const info = await page.evaluate(() => window.cardinal.getAppInfo());
  expect(info).toMatchObject({ name: 'Cardinal', shell: target });
});

test('window.cardinal exposes only the contract, and it cannot be replaced', async ({ app }) => {
  const shape = await app.page.evaluate(() => {
    const keys = Object.keys(window.cardinal).sort();
    let replaced = false;
    try {
      (window as unknown as { cardinal: unknown }).cardinal = {};
      replaced = Object.keys(window.cardinal).length === 0;
    } catch {
      replaced = false;
    }
    return { keys, replaced };
  });
  expect(shape.keys).toEqual([
    'addCardDavAccount',
    'addPrintCards',
    'addSharedContacts',
    'calendarFile',
    'cancelGoogleSignIn',
    'chooseExportFolder',
    'confirmDeletions',
    'continueDiscovery',
    'discoverCardDav',
    'forgetDiscovery',
    'getAppInfo',
    'googleSetup',
    'keepRemoved',
    'keepSecretsInMemory',
    'listAccounts',
    'loadPhoto',
    'localChanged',
    'onHostConnection',
    'onMenu',
    'onOpenFiles',
    'onSyncStatus',
    'openExternal',
    'printContacts',
    'removeAccount',
    'secretStorage',
    'serveStore',
    'setGoogleClient',
    'signInGoogle',
    'syncNow',
    'syncStatuses',
    'takeOpenedFiles',
    'updateAccount',
    'writeExportFiles',
  ]);
  expect(shape.replaced).toBe(false);
});

test('openExternal hands web and mail links to the OS and refuses other schemes with a typed error', async ({ app }) => {
  const { page, harness } = app;
  await page.evaluate(() => window.cardinal.openExternal('mailto:ada@example.org'));
  const refused = await page.evaluate(() =>
    window.cardinal.openExternal('file:///etc/passwd').then(
      () => null,
      (e: Error & { code?: string }) => ({ code: e.code, message: e.message }),
    ),
  );
  expect(refused?.code).toBe('invalid-argument');
  const wrongType = await page.evaluate(() =>
    (window.cardinal.openExternal as unknown as (x: unknown) => Promise<void>)(42).then(
      () => null,
      (e: Error & { code?: string }) => e.code,
    ),
  );
  expect(wrongType).toBe('invalid-argument');
  if (harness !== null) expect(harness.platform.opened).toEqual(['mailto:ada@example.org']);
});

test('the main process can ask the renderer store and gets its answer', async ({ app }) => {
  test.skip(app.harness === null, 'the store port is driven from the harness host here');
  await expect(app.page.getByRole('button', { name: 'New contact' })).toBeVisible();
  await expect(app.harness!.store.request('getStoreStats')).resolves.toEqual({ contacts: 0 });
});

test('the page runs under the strict Content-Security-Policy: inline script is blocked', async ({ app }) => {
  const { page } = app;
  const ran = await page.evaluate(async () => {
    const w = window as unknown as { __inline?: boolean };
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true';
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 50));
    return w.__inline === true;
  });
  expect(ran).toBe(false);
  if (app.harness !== null) {
    // Chromium reports the blocked script: that report is the point of this test.
    expect(app.consoleErrors.some((e) => e.includes('Content Security Policy'))).toBe(true);
    app.consoleErrors.splice(0, app.consoleErrors.length);
  }
});
