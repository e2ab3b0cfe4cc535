/**
 * Page helpers for the window's screens and dialogs: open settings, change a setting, run the
 * accessibility gate, write the screenshots of a screen in every size.
 */
import { readFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { translator, type Translate } from '../../renderer/src/i18n';
import { expect } from './fixtures';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHOTS = `${ROOT}test-results/screens/`;
export const README_SHOTS = `${ROOT}docs/screenshots/`;

export const SIZES = [
  { width: 1280, height: 800 },
  { width: 800, height: 600 },
] as const;

/** Open Settings with its shortcut, as a keyboard user would. */
export async function openSettings(page: Page): Promise<void> {
  await expect(page.getByRole('main')).toBeVisible(); // the window has opened its store
  await page.keyboard.press('Control+Comma');
  await expect(page.getByRole('dialog')).toBeVisible();
}

/** Pick the UI language in Settings (by its own name) and close Settings. */
export async function chooseLanguage(page: Page, language: 'English' | 'فارسی' | '繁體中文' | '简体中文'): Promise<void> {
  await openSettings(page);
  await page.getByRole('dialog').getByRole('combobox').first().selectOption({ label: language });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

const AXE = readFileSync(`${ROOT}node_modules/axe-core/axe.min.js`, 'utf8');

/**
 * Rules left off, each with its reason (the README lists them too):
 * - none.
 */
const DISABLED_RULES: Record<string, string> = {};

/** The accessibility gate: axe-core on the page as it is now; every violation fails, with its nodes. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline script) does not apply.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async (disabled) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; help: string; nodes: { target: string[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { rules: Object.fromEntries(disabled.map((id) => [id, { enabled: false }])), resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n')}`);
  }, Object.keys(DISABLED_RULES));
  expect(violations, `axe violations on ${where}`).toEqual([]);
}

/**
 * Write the screen as it is now at every size (1280×800 and 800×600) into test-results/screens/,
 * after the accessibility gate at each. `readme` also copies one size into docs/screenshots/;
 * `only` keeps to one size (a menu of the sidebar, which a narrow window folds into the drawer).
 */
export async function captureScreen(page: Page, name: string, variant: string, options: { readme?: { file: string; size: 0 | 1 }; only?: 0 | 1 } = {}): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const before = page.viewportSize();
  for (const [k, size] of SIZES.entries()) {
    if (options.only !== undefined && options.only !== k) continue;
    await page.setViewportSize(size);
    await page.waitForTimeout(150); // the layout's media queries settle
    await expectAccessible(page, `${name} (${variant}, ${size.width}×${size.height})`);
    await page.screenshot({ path: `${SHOTS}${name}-${variant}-${size.width}x${size.height}.png` });
    if (options.readme !== undefined && options.readme.size === k) {
      mkdirSync(README_SHOTS, { recursive: true });
      await page.screenshot({ path: `${README_SHOTS}${options.readme.file}` });
    }
  }
  if (before !== null) await page.setViewportSize(before);
}

/**
 * Shoot a dialog in light, dark and Persian: `open` opens it (given the translator of the
 * language in use); it is closed with Esc after each. The window is left light and English.
 */
export async function captureDialogVariants(page: Page, name: string, open: (t: Translate) => Promise<void>): Promise<void> {
  for (const variant of ['light', 'dark', 'persian'] as const) {
    await page.emulateMedia({ colorScheme: variant === 'dark' ? 'dark' : 'light' });
    if (variant === 'persian') await chooseLanguage(page, 'فارسی');
    await open(translator(variant === 'persian' ? 'fa' : 'en'));
    await captureScreen(page, name, variant);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await openSettings(page);
  await page.getByRole('dialog').getByRole('combobox').first().selectOption({ value: '' });
  await page.keyboard.press('Escape');
}
