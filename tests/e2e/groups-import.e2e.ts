/**
 * Groups through files (issue 17): a .vcf carrying an Apple group card, a vCard 4 KIND:group card
 * and CATEGORIES gives the target book those groups, in the book's own storage, with the imported
 * contacts as members (joining a group of the same name already there); a Google CSV's labels do
 * the same; and an export of a book, a group or a selection carries the groups with it.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { startRadicale, startXandikos, type TestServer } from '../servers/servers';
import { expect, test } from './fixtures';
import { card, contactList, exportText, importCards, listRow, addAccount } from './helpers';
import { captureDialogVariants } from './pages';

const person = (uid: string, given: string, family: string, extra = '') => card(uid, `FN:${given} ${family}\nN:${family};${given};;;${extra === '' ? '' : `\n${extra}`}`);
const appleGroup = (uid: string, name: string, members: string[]) =>
  ['BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Apple Inc.//AddressBook 6.1//EN', `N:${name}`, `FN:${name}`, 'X-ADDRESSBOOKSERVER-KIND:group', ...members.map((m) => `X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:${m}`), `UID:${uid}`, 'END:VCARD', ''].join('\r\n');
const vcard4Group = (uid: string, name: string, members: string[]) => ['BEGIN:VCARD', 'VERSION:4.0', 'KIND:group', `FN:${name}`, ...members.map((m) => `MEMBER:urn:uuid:${m}`), `UID:${uid}`, 'END:VCARD', ''].join('\r\n');

/** Three contacts, Ben also in "Chess" by CATEGORIES; "Family" as an Apple group card, "Team" as a vCard 4 one. */
const FILE = [
  person('ann', 'Ann', 'Arbor'),
  person('ben', 'Ben', 'Bolt', 'CATEGORIES:Chess'),
  person('cat', 'Cat', 'Cole'),
  appleGroup('fam', 'Family', ['ann', 'ben']),
  vcard4Group('team', 'Team', ['ben', 'cat']),
].join('');

const groupButton = (page: Page, name: string) => page.getByRole('navigation').locator(`button[data-group="${name}"]`);

async function openImport(page: Page, text: string, name = 'groups.vcf', mimeType = 'text/vcard'): Promise<void> {
  await page.getByTestId('import-input').setInputFiles({ name, mimeType, buffer: Buffer.from(text, 'utf8') });
  await expect(page.getByTestId('import-summary')).toBeVisible();
}

async function expectGroups(page: Page, counts: Record<string, number>): Promise<void> {
  for (const [name, n] of Object.entries(counts)) await expect(groupButton(page, name)).toContainText(String(n));
}

/** The group filter shows exactly these contacts. */
async function expectMembers(page: Page, group: string, names: string[]): Promise<void> {
  await groupButton(page, group).click();
  await expect(contactList(page).getByRole('option')).toHaveCount(names.length);
  for (const n of names) await expect(listRow(page, n)).toBeVisible();
  await groupButton(page, group).click(); // the filter off again
}

test('a .vcf with an Apple group card, a vCard 4 group card and CATEGORIES gives this computer’s book those groups, joined by name with one already here', async ({ app }) => {
  const { page } = app;
  // "Family" is here already, with Dee in it.
  await importCards(page, person('dee', 'Dee', 'Dunn', 'CATEGORIES:Family'), 1);
  await expectGroups(page, { Family: 1 });

  await openImport(page, FILE);
  await expect(page.getByTestId('import-summary')).toHaveText('5 cards in the file: 3 new, 0 already here, 0 differ from a contact with the same UID.');
  await expect(page.getByTestId('import-groups')).toHaveText('Groups in the file: 2 new, 1 joining a group already here.');
  await page.keyboard.press('Escape');
  // The summary in light, dark and Persian, at both sizes (each through the accessibility gate).
  await captureDialogVariants(page, 'import-groups', async (t) => {
    await openImport(page, FILE);
    await expect(page.getByTestId('import-groups')).toHaveText(t('import.groups', { created: 2, joined: 1 }));
  });
  await openImport(page, FILE);
  await page.getByRole('button', { name: 'Import 3 new contacts', exact: true }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: '3 contacts imported; 2 groups created, 1 joined.' })).toBeVisible();

  // No group card is a contact; each group has its members.
  await expect(contactList(page).getByRole('option')).toHaveCount(4);
  await expectGroups(page, { Family: 3, Team: 2, Chess: 1 });
  await expectMembers(page, 'Family', ['Ann Arbor', 'Ben Bolt', 'Dee Dunn']);
  await expectMembers(page, 'Team', ['Ben Bolt', 'Cat Cole']);

  // Kept as this book keeps groups (CATEGORIES), across a reload.
  await page.reload();
  await expectGroups(page, { Family: 3, Team: 2, Chess: 1 });
});

test('a Google CSV’s labels become groups of the book, “myContacts” none', async ({ app }) => {
  const { page } = app;
  const csv = ['Name,Given Name,Family Name,E-mail 1 - Value,Labels', 'Ann Arbor,Ann,Arbor,ann@example.com,* myContacts ::: Friends', 'Ben Bolt,Ben,Bolt,ben@example.com,Friends ::: Chess ::: * myContacts', 'Cat Cole,Cat,Cole,cat@example.com,* myContacts', ''].join('\r\n');
  await openImport(page, csv, 'google.csv', 'text/csv');
  await expect(page.getByTestId('import-groups')).toHaveText('Groups in the file: 2 new, 0 joining groups already here.');
  await page.getByRole('button', { name: 'Import 3 new contacts', exact: true }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expectGroups(page, { Friends: 2, Chess: 1 });
  await expect(page.getByRole('navigation').locator('button[data-group="myContacts"]')).toHaveCount(0);
});

async function serverCards(s: TestServer): Promise<string[]> {
  const client = new CardDavClient(new DavHttp({ auth: s.password === '' ? { kind: 'none' } : { kind: 'basic', user: s.user, password: s.password } }));
  const hrefs = (await client.listEtags(s.addressBookUrl)).map((e) => e.href);
  return (await client.multiget(s.addressBookUrl, hrefs)).cards.map((c) => c.vcard.replace(/\r?\n[ \t]/g, ''));
}


test.describe('groups imported into a server book', () => {
  let server: TestServer | null = null;
  test.afterEach(async () => {
    await server?.stop();
    server = null;
  });

  test('into a Radicale book the file’s groups go as CATEGORIES, and read back the same after a full resync', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    test.setTimeout(120_000);
    server = await startRadicale();
    const { page } = app;
    await addAccount(page, server);
    await openImport(page, FILE);
    const into = page.getByLabel('Import into');
    await into.selectOption({ label: (await into.locator('option').allInnerTexts()).find((o) => o !== 'On this computer')! });
    await expect(page.getByTestId('import-groups')).toHaveText('Groups in the file: 3 new, 0 joining groups already here.');
    await page.getByRole('button', { name: 'Import 3 new contacts', exact: true }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expectGroups(page, { Family: 2, Team: 2, Chess: 1 });
    await expect(contactList(page).getByRole('option')).toHaveCount(3);

    const s = server;
    await expect.poll(async () => (await serverCards(s)).length, { timeout: 30_000 }).toBe(3);
    await expect(contactList(page).getByTestId('mark-pending')).toHaveCount(0, { timeout: 30_000 });
    const cards = await serverCards(s);
    expect(cards.some((c) => /KIND:group/i.test(c))).toBe(false);
    const cats = (uid: string) => (cards.find((c) => new RegExp(`^UID:${uid}$`, 'm').test(c))?.match(/^CATEGORIES:(.*)$/m)?.[1] ?? '').split(',').sort();
    expect(cats('ann')).toEqual(['Family']);
    expect(cats('ben')).toEqual(['Chess', 'Family', 'Team']);
    expect(cats('cat')).toEqual(['Team']);

    // A full resync: the account and its copy go, and come back from the server alone.
    await page.evaluate(async () => {
      for (const a of await window.cardinal.listAccounts()) await window.cardinal.removeAccount(a.id);
      window.dispatchEvent(new Event('cardinal:accounts-changed'));
    });
    await expect(contactList(page).getByRole('option')).toHaveCount(0);
    await addAccount(page, s);
    await expectGroups(page, { Family: 2, Team: 2, Chess: 1 });
    await expect(listRow(page, 'Ann Arbor')).toBeVisible();
  });

  test('a Xandikos book of Apple group cards exported (the book, a selection) carries its groups; imported into an empty book, the same groups and members', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    test.setTimeout(120_000);
    server = await startXandikos();
    const seed = (uid: string, text: string) => ({ file: `${uid}.vcf`, vcard: text });
    await server.seed([
      seed('ann', person('ann', 'Ann', 'Arbor')),
      seed('ben', person('ben', 'Ben', 'Bolt')),
      seed('cat', person('cat', 'Cat', 'Cole')),
      seed('chess', appleGroup('chess', 'Chess', ['ann', 'ben'])),
      seed('team', appleGroup('team', 'Team', ['cat'])),
    ]);
    const { page } = app;
    await addAccount(page, server);
    await expectGroups(page, { Chess: 2, Team: 1 });

    // One contact open is not a selection: Export offers the whole view.
    await listRow(page, 'Ann Arbor').click();
    await expect(page.getByRole('navigation').getByRole('button', { name: 'Export', exact: true })).toBeVisible();
    // A selection (Ann and Cat): them, and the groups they are in, naming only them.
    await listRow(page, 'Cat Cole').click({ modifiers: ['ControlOrMeta'] });
    await expect(page.getByRole('navigation').getByRole('button', { name: 'Export 2 contacts', exact: true })).toBeVisible();
    const two = await exportText(page, /^Export 2 contacts$/);
    const cards = two.split(/(?=BEGIN:VCARD)/).filter((c) => c.trim() !== '');
    expect(cards).toHaveLength(4);
    expect(cards.find((c) => /^FN:Team\r?$/m.test(c))).toMatch(/urn:uuid:cat/i);
    const chess = cards.find((c) => /^FN:Chess\r?$/m.test(c))!;
    expect(chess).toMatch(/KIND:group/i);
    expect(chess).toMatch(/urn:uuid:ann/i);
    expect(chess).not.toMatch(/urn:uuid:ben/i);
    await page.keyboard.press('Escape');

    // The whole book: every contact and both group cards.
    await page.getByRole('navigation').getByRole('button', { name: 'All contacts' }).click();
    const all = await exportText(page);
    expect(all.split(/(?=BEGIN:VCARD)/).filter((c) => /KIND:group/i.test(c))).toHaveLength(2);

    // Into an empty book on this computer (the account gone): the same groups, the same members.
    await page.evaluate(async () => {
      for (const a of await window.cardinal.listAccounts()) await window.cardinal.removeAccount(a.id);
      window.dispatchEvent(new Event('cardinal:accounts-changed'));
    });
    await expect(contactList(page).getByRole('option')).toHaveCount(0);
    await openImport(page, all, 'book.vcf');
    await expect(page.getByTestId('import-groups')).toHaveText('Groups in the file: 2 new, 0 joining groups already here.');
    await page.getByRole('button', { name: 'Import 3 new contacts', exact: true }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expectGroups(page, { Chess: 2, Team: 1 });
    await expectMembers(page, 'Chess', ['Ann Arbor', 'Ben Bolt']);
    await expectMembers(page, 'Team', ['Cat Cole']);
  });
  test('Export of one address book chosen in the dialog (the book picker): that book’s contacts only, the file named after it', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    test.setTimeout(120_000);
    const { page } = app;
    await importCards(page, person('zed', 'Zed', 'Zane'), 1);
    server = await startXandikos();
    await server.seed([
      { file: 'ann.vcf', vcard: person('ann', 'Ann', 'Arbor') },
      { file: 'ben.vcf', vcard: person('ben', 'Ben', 'Bolt') },
    ]);
    await addAccount(page, server);
    await expect(contactList(page).getByRole('option')).toHaveCount(3);
    const exportBook = async (pick: (options: string[]) => string, count: string) => {
      await page.getByRole('navigation').getByRole('button', { name: 'Export', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Export contacts' });
      await dialog.getByRole('radio', { name: 'One address book' }).check();
      const picker = dialog.getByLabel('Address book', { exact: true });
      const name = pick(await picker.locator('option').allInnerTexts());
      await picker.selectOption({ label: name });
      await expect(dialog.getByTestId('export-count')).toHaveText(count);
      await dialog.getByRole('button', { name: 'Next' }).click();
      const review = page.getByRole('dialog', { name: 'Before saving' });
      await expect(review.getByTestId('export-review')).toBeVisible();
      const [download] = await Promise.all([page.waitForEvent('download'), review.locator('button[type="submit"]').click()]);
      await expect(page.getByRole('dialog')).toHaveCount(0);
      const uids = readFileSync((await download.path())!, 'utf8').match(/^UID:.*$/gm)!.map((u) => u.trim()).sort();
      return { name, file: download.suggestedFilename(), uids };
    };
    const theirs = await exportBook((o) => o.find((b) => b !== 'On this computer')!, '2 contacts will be exported.');
    expect(theirs.uids).toEqual(['UID:ann', 'UID:ben']);
    expect(theirs.file).toBe(`${theirs.name}.vcf`);
    const ours = await exportBook(() => 'On this computer', '1 contact will be exported.');
    expect(ours.uids).toEqual(['UID:zed']);
    expect(ours.file).toBe('On this computer.vcf');
  });
});
