#!/usr/bin/env node
// Renders build/icon.svg to the PNG sizes each platform wants (Linux takes build/icons/NxN.png;
// electron-builder makes the Windows .ico and macOS .icns from build/icon.png, 1024 px). Uses
// Debian's Chromium through playwright-core; run after changing the SVG, commit the PNGs.
import { chromium } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const svg = readFileSync(`${root}build/icon.svg`, 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CARDINAL_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
mkdirSync(`${root}build/icons`, { recursive: true });
for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${root}build/icons/${size}x${size}.png`, png);
  if (size === 1024) writeFileSync(`${root}build/icon.png`, png);
}
await browser.close();
console.log('icons written to build/icons and build/icon.png');
