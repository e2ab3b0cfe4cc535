/**
 * Groups made in the window reach real servers in the form each book keeps, and read back the same
 * after a full resync (the account removed and added again): Radicale with CATEGORIES, Xandikos
 * seeded with Apple group cards.
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

  test('Radicale keeps a group made here as CATEGORIES; it reads back the same after a full resync', async ({ app }) => {
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
  });

  test('Xandikos seeded with Apple group cards gets a group made here as an Apple group card; it reads back the same after a full resync', async ({ app }) => {
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
  });
});
