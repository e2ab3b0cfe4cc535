/**
 * The Electron shell itself, through Playwright's `_electron`: runs only where the Electron binary
 * is installed (`CARDINAL_E2E=electron npm run test:e2e`); in the harness run these are skipped.
 */
import { _electron, type ElectronApplication } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, target, test } from './fixtures';
import { listRow } from './helpers';

const root = fileURLToPath(new URL('../..', import.meta.url));

test.describe('the Electron shell', () => {
  test.skip(target !== 'electron', 'needs the Electron binary: CARDINAL_E2E=electron npm run test:e2e');

  test('the window runs without Node, on cardinal://app, under the CSP (inline script blocked)', async ({ app }) => {
    const { page } = app;
    expect(page.url()).toBe('cardinal://app/index.html');
    // No Node in the page, and the contract as the only bridge.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    const inline = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.head.append(s);
      return (window as unknown as { __inline?: number }).__inline;
    });
    expect(inline).toBeUndefined();
  });

  test('navigation and new windows are denied; http(s) links go to the OS instead', async ({ app }) => {
    const { page } = app;
    const electronApp = (page.context() as unknown as { _electronApp?: ElectronApplication })._electronApp;
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe('cardinal://app/index.html');
    await page.evaluate(() => window.open('https://example.com/', '_blank'));
    await page.waitForTimeout(500);
    if (electronApp !== undefined) expect(electronApp.windows()).toHaveLength(1);
  });

  test('a .vcf given on the command line is imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cardinal-electron-'));
    const file = join(dir, 'from-cli.vcf');
    writeFileSync(file, 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:cli\r\nFN:Command Line Person\r\nEND:VCARD\r\n');
    const electronApp = await _electron.launch({ args: [root, file], env: { ...process.env, CARDINAL_DATA_DIR: join(dir, 'data') } });
    try {
      const page = await electronApp.firstWindow();
      await page.getByRole('button', { name: 'Import 1 new contact' }).click();
      await expect(listRow(page, 'Command Line Person')).toBeVisible();
      // Sandboxed and isolated: no Node in the page, and the bridge cannot be replaced.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    } finally {
      await electronApp.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
