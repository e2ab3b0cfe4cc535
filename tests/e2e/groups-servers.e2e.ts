/**
 * Groups made in the window reach real servers in the form each book keeps, and read back the same
 * after a full resync (the account removed and added again): Radicale with CATEGORIES, Xandikos
 * seeded with Apple group cards. A rename reaches the server the same way; deleting the group
 * leaves every contact, here and there. (Google's labels: google.e2e.ts.)
 */
import type { Page } from '@playwright/test';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { startRadicale, startXandikos, type TestServer } from '../servers/servers';
import { expect, test } from './fixtures';
import { contactList, field, listRow, addAccount } from './helpers';

const person = (uid: string, given: string, family: string) => ({ file: `${uid}.vcf`, vcard: `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${given} ${family}\r\nN:${family};${given};;;\r\nEND:VCARD\r\n` });
const PEOPLE = [person('ann', 'Ann', 'Arbor'), person('ben', 'Ben', 'Bolt'), person('cat', 'Cat', 'Cole')];
const appleGroup = (uid: string, name: string, members: string[]) => ({
  file: `${uid}.vcf`,
  vcard: ['BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Apple Inc.//AddressBook 6.1//EN', `N:${name}`, `FN:${name}`, 'X-ADDRESSBOOKSERVER-KIND:group', ...members.map((m) => `X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:${m}`), `UID:${uid}`, 'END:VCARD', ''].join('\r\n'),
});

const groupButton = (page: Page, name: string) => page.getByRole('navigation').locator(`button[data-group="${name}"]`);
const newGroupInServerBook = (page: Page) => page.getByRole('button', { name: /^New group in (?!On this computer)/ });


/** A full resync: the account and its local copy go, and come back from the server alone. */
async function resyncFromScratch(page: Page, s: TestServer): Promise<void> {
  await page.evaluate(async () => {
    for (const a of await window.cardinal.listAccounts()) await window.cardinal.removeAccount(a.id);
    window.dispatchEvent(new Event('cardinal:accounts-changed'));
  });
  await expect(contactList(page)).toHaveCount(0);
  await addAccount(page, s);
}

async function makeTeam(page: Page): Promise<void> {
  await newGroupInServerBook(page).click();
  await field(page, 'Group name').fill('Team');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(groupButton(page, 'Team')).toContainText('0');
  await listRow(page, 'Ann Arbor').dragTo(groupButton(page, 'Team'));
  await expect(groupButton(page, 'Team')).toContainText('1');
  await listRow(page, 'Ben Bolt').click();
  await listRow(page, 'Cat Cole').click({ modifiers: ['ControlOrMeta'] });
  await page.getByRole('toolbar', { name: 'Selected contacts' }).getByRole('button', { name: 'Add to group' }).click();
  await page.getByRole('menuitem', { name: 'Team' }).click();
  await expect(groupButton(page, 'Team')).toContainText('3');
  await expect(contactList(page).getByTestId('mark-pending')).toHaveCount(0, { timeout: 30_000 });
}

/** The group renamed here, then the list filtered by it: its three contacts. */
async function renameAndFilter(page: Page, from: string, to: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${from}` }).click();
  await page.getByRole('menuitem', { name: 'Rename group' }).click();
  await field(page, 'Group name').fill(to);
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(groupButton(page, to)).toContainText('3');
  await groupButton(page, to).click();
  await expect(contactList(page).getByRole('option')).toHaveCount(3);
  await page.getByRole('button', { name: 'All contacts' }).click();
}

/** The group deleted here: its contacts stay, and nothing is left to send. */
async function deleteGroup(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Delete group' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('3 contacts stay');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete group' }).click();
  await expect(groupButton(page, name)).toHaveCount(0);
  await expect(contactList(page).getByRole('option')).toHaveCount(3);
  await expect(contactList(page).getByTestId('mark-pending')).toHaveCount(0, { timeout: 30_000 });
}

async function serverCards(s: TestServer): Promise<string[]> {
  const client = new CardDavClient(new DavHttp({ auth: s.password === '' ? { kind: 'none' } : { kind: 'basic', user: s.user, password: s.password } }));
  const hrefs = (await client.listEtags(s.addressBookUrl)).map((e) => e.href);
  return (await client.multiget(s.addressBookUrl, hrefs)).cards.map((c) => c.vcard.replace(/\r?\n[ \t]/g, ''));
}

test.describe('groups on real servers', () => {
  let server: TestServer | null = null;
  test.afterEach(async () => {
    await server?.stop();
    server = null;
  });

  test('Radicale keeps a group made here as CATEGORIES; it reads back the same after a full resync, a rename renames it there, and deleting it leaves the contacts', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    test.setTimeout(120_000);
    server = await startRadicale();
    await server.seed(PEOPLE);
    const { page } = app;
    await addAccount(page, server);
    await makeTeam(page);
    const cards = await serverCards(server);
    expect(cards.filter((c) => /^CATEGORIES:Team$/m.test(c))).toHaveLength(3);
    expect(cards.some((c) => /KIND:group/i.test(c))).toBe(false);

    await resyncFromScratch(page, server);
    await expect(groupButton(page, 'Team')).toContainText('3');
    await groupButton(page, 'Team').click();
    await expect(contactList(page).getByRole('option')).toHaveCount(3);
    await page.getByRole('button', { name: 'All contacts' }).click();

    // Renamed: each member's CATEGORIES name it anew on the server.
    await renameAndFilter(page, 'Team', 'Team A');
    await expect(contactList(page).getByTestId('mark-pending')).toHaveCount(0, { timeout: 30_000 });
    const renamed = await serverCards(server);
    expect(renamed.filter((c) => /^CATEGORIES:Team A$/m.test(c))).toHaveLength(3);
    expect(renamed.some((c) => /^CATEGORIES:Team$/m.test(c))).toBe(false);

    // Deleted: the contacts stay, here and on the server, without the category.
    await deleteGroup(page, 'Team A');
    const after = await serverCards(server);
    expect(after).toHaveLength(3);
    expect(after.some((c) => /CATEGORIES/.test(c))).toBe(false);
  });

  test('Xandikos seeded with Apple group cards gets a group made here as an Apple group card; it reads back the same after a full resync, a rename renames the card, and deleting it deletes only the card', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    test.setTimeout(120_000);
    server = await startXandikos();
    await server.seed([...PEOPLE, appleGroup('chess', 'Chess', ['ann'])]);
    const { page } = app;
    await addAccount(page, server);
    await expect(groupButton(page, 'Chess')).toContainText('1');
    await expect(contactList(page).getByRole('option')).toHaveCount(3); // the group card is no contact
    await makeTeam(page);
    // The group card is no list row: its upload is seen on the server.
    const s = server;
    await expect.poll(async () => (await serverCards(s)).some((c) => /^FN:Team$/m.test(c)), { timeout: 30_000 }).toBe(true);
    const cards = await serverCards(server);
    const team = cards.find((c) => /^FN:Team$/m.test(c));
    expect(team).toMatch(/^X-ADDRESSBOOKSERVER-KIND:group$/m);
    for (const uid of ['ann', 'ben', 'cat']) expect(team).toMatch(new RegExp(`^X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:${uid}$`, 'mi'));
    expect(cards.filter((c) => /CATEGORIES/.test(c))).toHaveLength(0);

    await resyncFromScratch(page, server);
    await expect(groupButton(page, 'Team')).toContainText('3');
    await expect(groupButton(page, 'Chess')).toContainText('1');

    // Renamed: the group card's name on the server, its members the same.
    await renameAndFilter(page, 'Team', 'Team A');
    const s2 = server;
    await expect.poll(async () => (await serverCards(s2)).some((c) => /^FN:Team A$/m.test(c)), { timeout: 30_000 }).toBe(true);
    const renamed = (await serverCards(server)).find((c) => /^FN:Team A$/m.test(c));
    for (const uid of ['ann', 'ben', 'cat']) expect(renamed).toMatch(new RegExp(`^X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:${uid}$`, 'mi'));

    // Deleted: the group card goes from the server; the three contacts and Chess stay.
    await deleteGroup(page, 'Team A');
    await expect.poll(async () => (await serverCards(s2)).some((c) => /^FN:Team A$/m.test(c)), { timeout: 30_000 }).toBe(false);
    const after = await serverCards(server);
    expect(after.filter((c) => !/KIND:group/i.test(c))).toHaveLength(3);
    expect(after.filter((c) => /^FN:Chess$/m.test(c))).toHaveLength(1);
    await expect(groupButton(page, 'Chess')).toContainText('1');
  });
});
