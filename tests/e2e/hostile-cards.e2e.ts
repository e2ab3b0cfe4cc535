/**
 * Hostile cards, imported as a user would import a .vcf someone sent them: script in every field,
 * javascript: and file: URLs, e-mail addresses and numbers that smuggle more into the link, huge
 * photos, an SVG photo with script, photo URIs to this machine. Nothing runs, nothing leaves but
 * the plain address or number, the app stays usable, and nothing of the card is lost.
 */
import type { Page } from '@playwright/test';
import { startRecorder, type Recorder } from '../servers/hostile-server';
import { expect, test } from './fixtures';
import { exportText, importText, listRow } from './helpers';

const SCRIPT = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;
const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;');
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

let recorder: Recorder;
test.beforeAll(async () => {
  recorder = await startRecorder();
  recorder.answer = (_req, res) => res.writeHead(200, { 'Content-Type': 'image/png' }).end(Buffer.from(PNG, 'base64'));
});
test.afterAll(() => recorder.close());

const card = (uid: string, fn: string, lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, `FN:${fn}`, ...lines, 'END:VCARD', ''].join('\r\n');

async function importOne(page: Page, text: string) {
  await importText(page, 'hostile.vcf', text);
  await page.getByRole('button', { name: 'Import 1 new contact', exact: true }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

test('script in every field is shown as text and never runs', async ({ app }) => {
  const { page } = app;
  const s = esc(SCRIPT);
  await importOne(
    page,
    card('xss', `Eve ${s}`, [
      `N:${s};Eve;${s};;`,
      `NICKNAME:${s}`,
      `ORG:${s};${s}`,
      `TITLE:${s}`,
      `ROLE:${s}`,
      `item1.EMAIL:eve@example.org`,
      `item1.X-ABLabel:${s}`,
      `TEL;TYPE="${SCRIPT.replace(/"/g, '')}":+1 555 0100`,
      `ADR:;;${s};${s};;;${s}`,
      `URL:https://example.org/${encodeURIComponent(SCRIPT)}`,
      `NOTE:${s}\\n${s}`,
      `CATEGORIES:${s}`,
      `X-ABRELATEDNAMES:${s}`,
      `IMPP:xmpp:${s}`,
    ]),
  );
  await listRow(page, 'Eve').click();
  await expect(page.getByRole('heading', { name: /^Eve / })).toBeVisible();
  await expect(page.locator('.contact-view').getByText('window.__pwned=1').first()).toBeVisible();
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  // Nothing the card said became markup.
  expect(await page.locator('.contact-view img[onerror], .contact-view script, .contact-list script').count()).toBe(0);
  await page.getByRole('button', { name: 'Edit' }).click();
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  await page.getByRole('button', { name: 'Cancel' }).click();
});

test('javascript: and file: URLs are no links; an e-mail link carries the address only, a phone link the number only', async ({ app }) => {
  const { page, harness } = app;
  await importOne(
    page,
    card('urls', 'Mallory Links', [
      'URL:javascript:window.__pwned=1',
      'URL:JaVaScRiPt:window.__pwned=1',
      'URL:file:///etc/passwd',
      'URL:https://example.org/ok',
      'EMAIL:mallory@example.org?attach=/etc/passwd',
      'EMAIL:plain@example.org',
      'TEL:+1 555 0100;phone-context=evil.example',
    ]),
  );
  await listRow(page, 'Mallory Links').click();
  const view = page.locator('.contact-view');
  for (const text of ['javascript:window.__pwned=1', 'JaVaScRiPt:window.__pwned=1', 'file:///etc/passwd', 'mallory@example.org?attach=/etc/passwd']) {
    await expect(view.getByText(text, { exact: true })).toBeVisible();
    await expect(view.getByRole('button', { name: text, exact: true })).toHaveCount(0);
  }
  await view.getByRole('button', { name: 'plain@example.org', exact: true }).click();
  await view.getByRole('button', { name: '+1 555 0100;phone-context=evil.example', exact: true }).click();
  await view.getByRole('button', { name: 'https://example.org/ok', exact: true }).click();
  if (harness !== null) await expect.poll(() => harness.platform.opened).toEqual(['mailto:plain@example.org', 'tel:+15550100', 'https://example.org/ok']);
  // Whoever asks, the main process hands the OS none of the others.
  for (const url of ['javascript:window.__pwned=1', 'file:///etc/passwd', 'mailto:mallory@example.org?attach=/etc/passwd', 'tel:+15550100;phone-context=evil.example']) {
    const refused = await page.evaluate((u) => window.cardinal.openExternal(u).then(() => 'opened', (e: Error) => e.message), url);
    expect(refused, url).toMatch(/only http\(s\), mailto and tel/);
  }
  if (harness !== null) expect(harness.platform.opened).toHaveLength(3);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('an SVG photo with script is not drawn; a huge photo is not drawn either, and both stay in the card', async ({ app }) => {
  test.setTimeout(180_000); // an 8 MB card through the import worker and the store, on a loaded machine
  const { page } = app;
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"><script>window.__pwned=1</script></svg>').toString('base64');
  await importOne(page, card('svg', 'Sally Svg', [`PHOTO;ENCODING=b;TYPE=SVG+XML:${svg}`]));
  await listRow(page, 'Sally Svg').click();
  await expect(page.getByRole('heading', { name: 'Sally Svg' })).toBeVisible();
  expect(await page.locator('img.avatar').count()).toBe(0); // initials instead
  expect((await exportText(page)).replace(/\r\n /g, '')).toContain(svg);
  // A 6 MB photo (8 MB of base64, inside the card limits, beyond the 5 MB a photo may have): the
  // list and the view stay usable, the photo is not drawn.
  const huge = Buffer.concat([Buffer.from(PNG, 'base64'), Buffer.alloc(6 * 1024 * 1024)]).toString('base64');
  await importOne(page, card('huge', 'Hugo Huge', [`PHOTO;ENCODING=b;TYPE=PNG:${huge}`]));
  await listRow(page, 'Hugo Huge').click();
  await expect(page.getByRole('heading', { name: 'Hugo Huge' })).toBeVisible();
  expect(await page.locator('img.avatar').count()).toBe(0);
  expect((await exportText(page)).replace(/\r\n /g, '')).toContain(huge.slice(0, 2000));
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('a photo URI to this machine is never fetched: not when the list draws the row, not when the contact is shown', async ({ app }) => {
  test.skip(app.harness === null, 'the recorder runs beside the harness');
  const { page } = app;
  recorder.requests.length = 0;
  await importOne(page, card('loop', 'Lola Loopback', [`PHOTO;VALUE=uri:${recorder.url}/p.png`, `X-OTHER-PHOTO:${recorder.url}/q.png`]));
  await expect(listRow(page, 'Lola Loopback')).toBeVisible();
  await listRow(page, 'Lola Loopback').click();
  await expect(page.getByRole('heading', { name: 'Lola Loopback' })).toBeVisible();
  // The view asked the main process, which refused the address; asking once more waits for that answer.
  expect(await page.evaluate((uri) => window.cardinal.loadPhoto('local', uri), `${recorder.url}/p.png`)).toBeNull();
  expect(recorder.requests).toEqual([]);
  expect(await page.locator('img.avatar').count()).toBe(0);
});

test('a photo that cannot be decoded shows the initials, not a broken image; a 1.5 MB one-word note wraps and the pane does not widen', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  const word = 'x'.repeat(1_500_000);
  await importOne(page, card('broken', 'Bad Photo', ['N:Photo;Bad;;;', 'PHOTO;ENCODING=b;TYPE=PNG:!!!!not-base64-at-all!!!!', `NOTE:${word}`]));
  await listRow(page, 'Bad Photo').click();
  await expect(page.getByRole('heading', { name: 'Bad Photo' })).toBeVisible();
  await expect(page.locator('.contact-view .avatar')).toHaveText('BP');
  await expect(page.locator('.contact-view img')).toHaveCount(0);
  const pane = page.locator('.detail-pane');
  const { scroll, client } = await pane.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(scroll).toBeLessThanOrEqual(client + 1);
  const note = await page.locator('.note').evaluate((el) => el.getBoundingClientRect().width);
  expect(note).toBeLessThanOrEqual(1280);
});

test('a name of 3,000 characters is held to a few lines in the contact view: the numbers below it stay in view, the whole name is in its tooltip and its editor', async ({ app }) => {
  const { page } = app;
  const name = Array.from({ length: 300 }, (_, i) => `Name${String(i).padStart(4, '0')}`).join(' ');
  await importOne(page, card('long-name', name, ['N:Long;Name;;;', 'TEL:+1 555 0199']));
  await listRow(page, 'Name0000').click();
  const heading = page.locator('.contact-head h2');
  await expect(heading).toBeVisible();
  await expect(heading).toHaveAttribute('title', name);
  const { height, lines } = await heading.evaluate((el) => ({ height: el.getBoundingClientRect().height, lines: parseFloat(getComputedStyle(el).lineHeight) }));
  expect(height).toBeLessThanOrEqual(lines * 4 + 2);
  await expect(page.locator('.contact-view').getByText('+1 555 0199')).toBeInViewport();
  await page.getByRole('button', { name: 'Edit' }).click();
  await expect(page.getByLabel('Display name', { exact: true })).toHaveValue(name);
});

test('deleting a contact whose name is 5,000 letters without a space: the message is held to a few lines and its Undo stays on screen and works', async ({ app }) => {
  const { page } = app;
  const name = 'A'.repeat(5000);
  await importOne(page, card('long-toast', name, ['N:Long;Toast;;;']));
  await page.getByRole('listbox', { name: 'Contacts' }).getByRole('option').first().click();
  await page.getByRole('listbox', { name: 'Contacts' }).press('Delete');
  const toast = page.locator('.toast');
  await expect(toast).toBeVisible();
  const box = await toast.evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
  const { width, height } = page.viewportSize()!;
  expect(box.left).toBeGreaterThanOrEqual(0);
  expect(box.right).toBeLessThanOrEqual(width);
  expect(box.height).toBeLessThan(height / 4);
  const undo = toast.getByRole('button', { name: 'Undo' });
  await expect(undo).toBeInViewport();
  await undo.click();
  await expect(page.getByRole('listbox', { name: 'Contacts' }).getByRole('option')).toHaveCount(1);
});

test('editing a contact whose name is 5,000 letters without a space: the editor’s heading stays inside the pane, a few lines high, and Save is on screen', async ({ app }) => {
  const { page } = app;
  const name = 'B'.repeat(5000);
  await importOne(page, card('long-edit', name, ['N:Long;Edit;;;']));
  await page.getByRole('listbox', { name: 'Contacts' }).getByRole('option').first().click();
  await page.getByRole('button', { name: 'Edit' }).click();
  const heading = page.locator('.editor-title');
  await expect(heading).toBeVisible();
  const { box, lines, textWidth, ownWidth } = await heading.evaluate((el) => ({ box: el.getBoundingClientRect().toJSON() as DOMRect, lines: parseFloat(getComputedStyle(el).lineHeight), textWidth: el.scrollWidth, ownWidth: el.clientWidth }));
  const { width } = page.viewportSize()!;
  expect(box.right).toBeLessThanOrEqual(width);
  // The text itself does not run past the heading's edge (before: one line 50 times the pane's width).
  expect(textWidth).toBeLessThanOrEqual(ownWidth + 1);
  expect(box.height).toBeLessThanOrEqual(lines * 3 + 2);
  await expect(page.getByLabel('Display name', { exact: true })).toHaveValue(name);
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeInViewport();
});

test('a card of 10,000 NICKNAME lines is refused by its first line and its name, and the cards around it are imported', async ({ app }) => {
  const { page } = app;
  const small = (uid: string, fn: string) => `BEGIN:VCARD\r\nVERSION:4.0\r\nUID:${uid}\r\nFN:${fn}\r\nEND:VCARD\r\n`; // 5 lines
  const big = `BEGIN:VCARD\r\nVERSION:4.0\r\nUID:big\r\nFN:Nick Lots\r\n${'NICKNAME:n\r\n'.repeat(10_000)}END:VCARD\r\n`;
  await importText(page, 'nicknames.vcf', small('a', 'Ada Lovelace') + big + small('g', 'Grace Hopper'));
  const dialog = page.getByRole('dialog', { name: 'Import contacts' });
  await expect(dialog.getByTestId('import-errors')).toHaveText('The card “\u2068Nick Lots\u2069” starting at line 6 has more than 10,000 properties: it is left out, and the other cards are not affected.');
  await dialog.getByRole('button', { name: 'Import 2 new contacts', exact: true }).click();
  await expect(listRow(page, 'Ada Lovelace')).toBeVisible();
  await expect(listRow(page, 'Grace Hopper')).toBeVisible();
  await expect(listRow(page, 'Nick Lots')).toHaveCount(0);
});

test('a broken FN line (no colon) and a nested card: the name is not the broken line, and the summary says which lines were left out or joined', async ({ app }) => {
  const { page } = app;
  const text = [
    'BEGIN:VCARD', 'VERSION:3.0', 'N:;;;;', 'FN Broken no colon', 'EMAIL:bea@example.org', 'NOTE:first', 'second',
    'BEGIN:VCARD', 'VERSION:3.0', 'FN:Nested Person', 'END:VCARD',
    'END:VCARD',
    // A card with nothing left once its broken line is out: not imported, and said.
    'BEGIN:VCARD', 'VERSION:3.0', 'FN Another broken', 'END:VCARD', '',
  ].join('\r\n');
  await importText(page, 'broken.vcf', text);
  const dialog = page.getByRole('dialog', { name: 'Import contacts' });
  await expect(dialog.getByTestId('import-summary')).toHaveText('3 cards in the file: 2 new, 0 already here, 0 differ from a contact with the same UID, 1 could not be read.');
  await expect(dialog.getByTestId('import-stray')).toHaveText('2 cards had lines that could not be read (no colon):');
  await expect(dialog.getByTestId('import-stray-lines').getByRole('listitem')).toHaveText([
    'Line 4: “\u2068FN Broken no colon\u2069” was left out',
    'Line 7: “\u2068second\u2069” was joined to the value above',
    'Line 15: “\u2068FN Another broken\u2069” was left out',
  ]);
  await expect(dialog.getByTestId('import-errors')).toHaveText('The card starting at line 13 holds nothing once its lines without a colon are left out: it is not imported.');
  await dialog.getByRole('button', { name: 'Import 2 new contacts', exact: true }).click();
  await expect(listRow(page, 'bea@example.org')).toBeVisible();
  await expect(listRow(page, 'Nested Person')).toBeVisible();
  await expect(page.getByText(/Broken/)).toHaveCount(0);
});
