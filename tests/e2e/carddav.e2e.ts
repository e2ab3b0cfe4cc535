/** A CardDAV account end to end: real Radicale, the app in the harness. */
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { generateCard } from '../bench/corpus';
import { startRadicale, type TestServer } from '../servers/servers';
import { expect, test } from './fixtures';
import { contactList, field, listRow } from './helpers';

let server: TestServer;

test.beforeAll(async () => {
  server = await startRadicale();
  await server.seed(Array.from({ length: 1000 }, (_, i) => ({ file: `seed-${i}.vcf`, vcard: generateCard(i) })));
});
test.afterAll(() => server.stop());

test('add a Radicale account through the UI, sync 1,000 contacts, edit one and see it on the server', async ({ app }) => {
  test.skip(app.harness === null, 'the server runs beside the harness');
  test.setTimeout(180_000);
  const { page } = app;
  await page.getByRole('button', { name: 'Add CardDAV account…' }).click();
  await page.getByLabel('Server address').fill(server.baseUrl);
  await page.getByLabel('User name').fill(server.user);
  await page.getByLabel('Password').fill(server.password);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 120_000 });
  await page.getByRole('navigation').getByRole('button', { name: 'Contacts', exact: true }).click();
  await expect(page.getByText('1,000 contacts', { exact: true })).toBeVisible();

  // The password stays in the main process.
  const accounts = await page.evaluate(() => window.cardinal.listAccounts());
  expect(JSON.stringify(accounts)).not.toContain(server.password);
  expect(accounts[0]).toMatchObject({ user: 'alice', books: [expect.objectContaining({ name: 'Contacts' })] });

  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('person000007');
  await contactList(page).getByRole('option').first().click();
  await page.getByRole('button', { name: 'Edit' }).click();
  await field(page, 'Job title').fill('Edited in Cardinal');
  await page.getByRole('button', { name: 'Save' }).click();

  const client = new CardDavClient(new DavHttp({ auth: { kind: 'basic', user: server.user, password: server.password } }));
  await expect
    .poll(async () => (await client.get(new URL('seed-7.vcf', server.addressBookUrl).href)).vcard, { timeout: 30_000 })
    .toContain('TITLE:Edited in Cardinal');
  await expect(listRow(page, '.')).toHaveCount(1);
});
