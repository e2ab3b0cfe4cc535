/**
 * The app under test: the browser harness in Debian's Chromium by default, or the real Electron
 * app with CARDINAL_E2E=electron (where the Electron binary is installed). Tests use `app.page`
 * and do not care which.
 */
import { test as base, _electron, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness, type Harness } from '../harness/host';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const target: 'harness' | 'electron' = process.env.CARDINAL_E2E === 'electron' ? 'electron' : 'harness';

export interface AppUnderTest {
  page: Page;
  /** The harness host, when running in the browser; null under Electron. */
  harness: Harness | null;
  /** Errors the page logged; any left at the end fail the test. A test expecting one removes it. */
  consoleErrors: string[];
}

export const test = base.extend<{ app: AppUnderTest; osLocale: string }>({
  /** The operating system's locale the harness reports (the UI language and date region follow it). */
  osLocale: ['en-US', { option: true }],
  app: async ({ browser, osLocale, viewport }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cardinal-e2e-'));
    if (target === 'electron') {
      const electronApp = await _electron.launch({ args: [root], env: { ...process.env, CARDINAL_DATA_DIR: dataDir } });
      const page = await electronApp.firstWindow();
      await use({ page, harness: null, consoleErrors: [] });
      await electronApp.close();
    } else {
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
      const harness = await startHarness({
        rendererDir: join(root, 'dist', 'renderer'),
        bridgeFile: join(root, 'dist', 'harness', 'bridge.js'),
        dataDir,
        version: pkg.version,
        locale: osLocale,
        onOpenExternal: () => {},
      });
      const context = await browser.newContext({ locale: osLocale, viewport: viewport ?? { width: 1280, height: 800 } });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      await page.goto(harness.url);
      await use({ page, harness, consoleErrors: problems });
      await context.close();
      await harness.close();
      if (problems.length > 0) {
        rmSync(dataDir, { recursive: true, force: true });
        throw new Error(`the page logged errors:\n${problems.join('\n')}`);
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
