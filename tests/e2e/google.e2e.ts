/**
 * Google end to end in the harness: the fake Google (tests/servers/fake-google.ts) stands in for
 * Google's servers. The consent URL the app hands to the "system browser" is opened in a second page
 * of the same browser; pressing Allow there redirects to the app's loopback listener, which
 * completes the sign-in. Then the first sync, a search, an edit, and the change on the fake server.
 */
import { startFakeGoogle, type FakeGoogle } from '../servers/fake-google';
import { expect, test } from './fixtures';
import { contactList, field } from './helpers';
import { captureScreen, chooseLanguage, openSettings } from './pages';

let google: FakeGoogle;
const saved: Record<string, string | undefined> = {};

test.beforeAll(async () => {
  google = await startFakeGoogle();
  // The harness's main-process core reads Google's endpoints and client from the environment.
  for (const [k, v] of Object.entries(google.env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const names = ['Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Ada Lovelace'];
  names.forEach((n, i) => google.put(`seed${i}`, `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:seed${i}\r\nFN:${n}\r\nN:${n.split(' ')[1]};${n.split(' ')[0]};;;\r\nEND:VCARD\r\n`));
});
test.afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await google.close();
});

test('sign in with Google in a second page, sync, find a contact, edit it, and see it on the server', async ({ app }) => {
  test.skip(app.harness === null, 'the fake Google runs beside the harness');
  const { page, harness } = app;
  await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('menuitem', { name: 'Google account…' }).click();
  // The OAuth client is an optional advanced setting here (Cardinal has one): folded, not a warning.
  await expect(page.getByRole('dialog').locator('details.advanced[open]')).toHaveCount(0);
  await expect(page.getByRole('dialog').getByRole('alert')).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign in with Google' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Waiting for your browser' })).toBeVisible();

  // The "system browser": the URL the app asked the OS to open, in a second page.
  await expect.poll(() => harness!.platform.opened.find((u) => u.startsWith(`${google.url}/o/oauth2/v2/auth`))).toBeTruthy();
  const consentUrl = harness!.platform.opened.find((u) => u.startsWith(`${google.url}/o/oauth2/v2/auth`))!;
  const params = new URL(consentUrl).searchParams;
  expect(params.get('code_challenge_method')).toBe('S256');
  expect(params.get('scope')).toContain('https://www.googleapis.com/auth/carddav');
  expect(params.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  const consent = await page.context().newPage();
  await consent.goto(consentUrl);
  await consent.getByRole('button', { name: 'Allow' }).click();
  await expect(consent.getByText('You can close this tab')).toBeVisible();
  await consent.close();

  // Signed in: the account and its book, synced.
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('account')).toContainText(google.email);
  await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 30_000 });
  const accounts = await page.evaluate(() => window.cardinal.listAccounts());
  for (const t of google.issued) expect(JSON.stringify(accounts)).not.toContain(t);

  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('hopper');
  await contactList(page).getByRole('option').first().click();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(page.getByText('Names typed here stay on this computer')).toContainText('Google labels, and they sync');
  await field(page, 'Job title').fill('Rear Admiral');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => google.card('seed0')?.vcard ?? '', { timeout: 30_000 }).toContain('TITLE:Rear Admiral');

  // The user revokes Cardinal's access: "Sign in again" goes to the browser's sign-in, never a password field.
  google.revokeAll();
  await page.getByRole('button', { name: /^Sync .* now$/ }).click();
  await expect(page.getByTestId('sync-status')).toContainText('Google no longer accepts this sign-in', { timeout: 30_000 });
  const before = harness!.platform.opened.length;
  await page.getByTestId('account').getByRole('button', { name: 'Sign in again', exact: true }).click();
  await expect.poll(() => harness!.platform.opened.slice(before).find((u) => u.startsWith(`${google.url}/o/oauth2/v2/auth`))).toBeTruthy();
  await expect(page.locator('input[type="password"]')).toHaveCount(0);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const again = await page.context().newPage();
  await again.goto(harness!.platform.opened.slice(before).find((u) => u.startsWith(`${google.url}/o/oauth2/v2/auth`))!);
  await again.getByRole('button', { name: 'Allow' }).click();
  await expect(again.getByText('You can close this tab')).toBeVisible();
  await again.close();
  await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 30_000 });
  app.consoleErrors.length = 0; // the refused requests after the revocation are expected
});

test('a sign-in that refuses the contacts scope: the account says labels are not synced and why; signing in again with it clears that', async ({ app }) => {
  test.skip(app.harness === null, 'the fake Google runs beside the harness');
  const { page, harness } = app;
  const consentIn = async (from: number, untick: boolean) => {
    await expect.poll(() => harness!.platform.opened.slice(from).find((u) => u.startsWith(`${google.url}/o/oauth2/v2/auth`))).toBeTruthy();
    const consent = await page.context().newPage();
    await consent.goto(harness!.platform.opened.slice(from).find((u) => u.startsWith(`${google.url}/o/oauth2/v2/auth`))!);
    // Google's granular consent: the user unticks "contacts" (labels) and keeps "carddav".
    if (untick) await consent.getByLabel('https://www.googleapis.com/auth/contacts', { exact: true }).uncheck();
    await consent.getByRole('button', { name: 'Allow' }).click();
    await expect(consent.getByText('You can close this tab')).toBeVisible();
    await consent.close();
  };
  await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('menuitem', { name: 'Google account…' }).click();
  const before = harness!.platform.opened.length;
  await page.getByRole('button', { name: 'Sign in with Google' }).click();
  await consentIn(before, true);
  await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 30_000 });
  const notice = page.getByTestId('labels-refused');
  await expect(notice).toHaveText(/^Labels are not synced: this sign-in does not let Cardinal use your Google contact labels\./);
  await expect(contactList(page).getByRole('option')).not.toHaveCount(0); // the cards synced all the same

  // The account in light, dark and Persian, in the wide window and in the narrow one's drawer.
  for (const variant of ['light', 'dark', 'persian'] as const) {
    await page.emulateMedia({ colorScheme: variant === 'dark' ? 'dark' : 'light' });
    if (variant === 'persian') await chooseLanguage(page, 'فارسی');
    await expect(notice).toBeVisible();
    await captureScreen(page, 'account-labels-refused', variant, { only: 0 });
    await page.setViewportSize({ width: 800, height: 600 });
    await page.locator('#drawer-button').click();
    await expect(page.getByRole('dialog').getByTestId('labels-refused')).toBeVisible();
    await captureScreen(page, 'account-labels-refused', variant, { only: 1 });
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await openSettings(page);
  await page.getByRole('dialog').getByRole('combobox').first().selectOption({ value: '' });
  await page.keyboard.press('Escape');

  // Sign in again, this time allowing it: labels sync, the notice goes.
  const again = harness!.platform.opened.length;
  await page.getByTestId('account').getByRole('button', { name: 'Sign in again', exact: true }).click();
  await consentIn(again, false);
  await expect(notice).toHaveCount(0, { timeout: 30_000 });
});

test('add the Workspace directory, find a supplier by search, edit it, and see the change on the server', async ({ app }) => {
  test.skip(app.harness === null, 'the fake Google runs beside the harness');
  const { page, harness } = app;
  google.sharedPut('acme', '<gd:name><gd:fullName>Acme Supplies</gd:fullName></gd:name><gd:email rel="http://schemas.google.com/g/2005#work" address="sales@acme.example"/><gd:extendedProperty name="erp-id" value="A-17"/>');
  google.sharedPut('globex', '<gd:name><gd:fullName>Globex Corporation</gd:fullName></gd:name>');
  await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('menuitem', { name: 'Workspace shared contacts…' }).click();
  await page.getByLabel('Workspace domain').fill(google.domain);
  await page.getByRole('button', { name: 'Sign in with Google' }).click();
  const isShared = (u: string) => u.startsWith(`${google.url}/o/oauth2/v2/auth`) && new URL(u).searchParams.get('scope')!.includes('https://www.google.com/m8/feeds');
  await expect.poll(() => harness!.platform.opened.find(isShared)).toBeTruthy();
  const consent = await page.context().newPage();
  await consent.goto(harness!.platform.opened.find(isShared)!);
  await consent.getByRole('button', { name: 'Allow' }).click();
  await expect(consent.getByText('You can close this tab')).toBeVisible();
  await consent.close();

  await expect(page.getByTestId('account')).toContainText(`Workspace ${google.domain}`);
  await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 30_000 });
  await page.getByRole('navigation').getByRole('button', { name: google.domain, exact: true }).click();
  await expect(page.getByText('2 contacts', { exact: true })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('acme');
  await contactList(page).getByRole('option').first().click();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  // Workspace keeps no groups: the editor's Groups field says they stay here.
  await expect(page.getByText('Workspace shared contacts have no groups in Google’s API: groups stay on this computer.')).toBeVisible();
  await field(page, 'Job title').fill('Preferred supplier');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => google.shared('acme')?.children ?? '', { timeout: 30_000 }).toContain('<gd:orgTitle>Preferred supplier</gd:orgTitle>');
  // What the window does not model went back untouched.
  expect(google.shared('acme')!.children).toContain('<gd:extendedProperty name="erp-id" value="A-17"/>');
});

test('Google labels are the book’s groups: one made on Google shows here (at sign-in and after a later sync); one made here, given three contacts by drag and multi-select, renamed and filtered by, is that label there; deleting it leaves the contacts', async ({ app }) => {
  test.skip(app.harness === null, 'the fake Google runs beside the harness');
  const { page, harness } = app;
  google.put('a1b2c3', 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a1b2c3\r\nFN:Edsger Dijkstra\r\nN:Dijkstra;Edsger;;;\r\nEND:VCARD\r\n');
  google.put('d4e5f6', 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:d4e5f6\r\nFN:Barbara Liskov\r\nN:Liskov;Barbara;;;\r\nEND:VCARD\r\n');
  // Hex ids, as Google's: the fake People API has a person for each (personOf).
  google.put('b7c8d9', 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b7c8d9\r\nFN:Frances Allen\r\nN:Allen;Frances;;;\r\nEND:VCARD\r\n');
  google.put('e0f1a2', 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:e0f1a2\r\nFN:Radia Perlman\r\nN:Perlman;Radia;;;\r\nEND:VCARD\r\n');
  const award = google.people.createGroup('Turing award');
  google.people.modify(award, [google.personOf('a1b2c3')], []);

  await page.getByRole('navigation').getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('menuitem', { name: 'Google account…' }).click();
  harness!.platform.opened.length = 0;
  await page.getByRole('button', { name: 'Sign in with Google' }).click();
  await expect.poll(() => harness!.platform.opened.find((u) => u.startsWith(`${google.url}/o/oauth2/v2/auth`))).toBeTruthy();
  const consentUrl = harness!.platform.opened.find((u) => u.startsWith(`${google.url}/o/oauth2/v2/auth`))!;
  expect(new URL(consentUrl).searchParams.get('scope')).toContain('https://www.googleapis.com/auth/contacts');
  const consent = await page.context().newPage();
  await consent.goto(consentUrl);
  await consent.getByRole('button', { name: 'Allow' }).click();
  await expect(consent.getByText('You can close this tab')).toBeVisible();
  await consent.close();
  await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 30_000 });

  const group = (name: string) => page.getByRole('navigation').locator(`button[data-group="${name}"]`);
  await expect(group('Turing award')).toContainText('1');
  await page.getByRole('button', { name: `New group in ${google.email}` }).click();
  await field(page, 'Group name').fill('Labs');
  await page.getByRole('button', { name: 'Create group' }).click();
  await contactList(page).getByRole('option', { name: /Barbara Liskov/ }).dragTo(group('Labs'));
  await expect(group('Labs')).toContainText('1');
  await expect.poll(() => google.people.groupsByName().get('Labs') ?? [], { timeout: 30_000 }).toEqual([google.personOf('d4e5f6')]);

  // Two more through the multi-selection's bar.
  await contactList(page).getByRole('option', { name: /Edsger Dijkstra/ }).click();
  await contactList(page).getByRole('option', { name: /Frances Allen/ }).click({ modifiers: ['ControlOrMeta'] });
  await page.getByRole('toolbar', { name: 'Selected contacts' }).getByRole('button', { name: 'Add to group' }).click();
  await page.getByRole('menuitem', { name: 'Labs' }).click();
  await expect(group('Labs')).toContainText('3');
  const three = [google.personOf('d4e5f6'), google.personOf('a1b2c3'), google.personOf('b7c8d9')].sort();
  await expect.poll(() => google.people.groupsByName().get('Labs') ?? [], { timeout: 30_000 }).toEqual(three);

  // Renamed here: the label is renamed on Google, its members the same.
  await page.getByRole('button', { name: 'Actions for Labs' }).click();
  await page.getByRole('menuitem', { name: 'Rename group' }).click();
  await field(page, 'Group name').fill('Labs and friends');
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(group('Labs and friends')).toContainText('3');
  await expect.poll(() => [...google.people.groupsByName().keys()].filter((n) => n.startsWith('Labs')), { timeout: 30_000 }).toEqual(['Labs and friends']);
  expect(google.people.groupsByName().get('Labs and friends')).toEqual(three);

  // Filtered by it: its three contacts.
  await group('Labs and friends').click();
  await expect(contactList(page).getByRole('option')).toHaveCount(3);
  await expect(contactList(page).getByRole('option', { name: /Barbara Liskov/ })).toHaveCount(1);
  await page.getByRole('button', { name: 'All contacts' }).click();

  // A label made on Google after the first sync comes with the next one.
  const late = google.people.createGroup('Made on Google later');
  google.people.modify(late, [google.personOf('e0f1a2')], []);
  await page.getByRole('button', { name: /^Sync .* now$/ }).first().click();
  await expect(group('Made on Google later')).toContainText('1', { timeout: 30_000 });

  // Deleted here: the label goes on Google; every contact stays, here and there.
  const rows = await contactList(page).getByRole('option').count();
  await page.getByRole('button', { name: 'Actions for Labs and friends' }).click();
  await page.getByRole('menuitem', { name: 'Delete group' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('3 contacts stay');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete group' }).click();
  await expect(group('Labs and friends')).toHaveCount(0);
  await expect.poll(() => google.people.groupsByName().has('Labs and friends'), { timeout: 30_000 }).toBe(false);
  await expect(contactList(page).getByRole('option')).toHaveCount(rows);
  for (const id of ['a1b2c3', 'd4e5f6', 'b7c8d9']) expect(google.card(id)).toBeDefined();
  expect(google.people.groupsByName().get('Made on Google later')).toEqual([google.personOf('e0f1a2')]);
});
