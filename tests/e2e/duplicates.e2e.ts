/**
 * Duplicates: an import whose cards duplicate three contacts is offered for review (not merged,
 * not silently added as strangers); a review with per-property choices merges into one contact
 * that keeps every e-mail, number and unknown X- property; one undo puts both cards back; "Not
 * duplicates" sets a group aside; the sidebar's Duplicates finds them again. On Radicale the
 * server holds one card after the sync. The review screen in light, dark and Persian at both sizes.
 */
import type { Page } from '@playwright/test';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { startRadicale, type TestServer } from '../servers/servers';
import { expect, test } from './fixtures';
import { card, contactList, importCards, listRow, addAccount } from './helpers';
import { captureScreen, chooseLanguage, openSettings } from './pages';

const EXISTING = [
  card('ada-1', 'FN:Ada Lovelace\nN:Lovelace;Ada;;;\nORG:Analytical Engines\nEMAIL;TYPE=work:ada@example.org\nTEL;TYPE=cell:+44 20 7946 0000\nX-CUSTOM:kept from the first'),
  card('alan-1', 'FN:Alan Turing\nN:Turing;Alan;;;\nEMAIL:alan@example.org'),
  card('grace-1', 'FN:Grace Hopper\nN:Hopper;Grace;;;\nTEL:+1 757 555 0100'),
  card('kat-1', 'FN:Katherine Johnson\nN:Johnson;Katherine;;;\nEMAIL:katherine@example.org'),
].join('');

const DUPLICATES = [
  card('ada-2', 'FN:Ada Lovelace\nN:Lovelace;Ada;;;\nORG:Engines Ltd\nEMAIL;TYPE=home:ADA@example.org\nEMAIL:countess@example.org\nTEL:+44 20 7946 0001\nX-OTHER-APP:kept from the second\nNOTE:Likes poetry'),
  card('alan-2', 'FN:Alan Turing\nN:Turing;Alan;;;\nEMAIL:Alan@Example.org\nTEL:+44 1908 640404'),
  card('grace-2', 'FN:Dr. Grace Hopper\nTEL:(757) 555-0100\nORG:US Navy'),
  card('emile', 'FN:Émile Zola\nN:Zola;Émile;;;'),
].join('');

/** The stored vCards, read from the page's IndexedDB as the app keeps them (visible rows only). */
async function storedCards(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('cardinal');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['contacts', 'cards']);
          const rows = tx.objectStore('contacts').getAll();
          const cards = tx.objectStore('cards').getAll();
          tx.oncomplete = () => {
            const visible = new Set((rows.result as { id: string; pending: string }[]).filter((r) => r.pending !== 'deleted').map((r) => r.id));
            resolve((cards.result as { id: string; vcard: string }[]).filter((c) => visible.has(c.id)).map((c) => c.vcard.replace(/\r\n[ \t]/g, '')));
            open.result.close();
          };
        };
      }),
  );
}

async function importDuplicates(page: Page): Promise<void> {
  await importCards(page, EXISTING, 4);
  await page.getByTestId('import-input').setInputFiles({ name: 'again.vcf', mimeType: 'text/vcard', buffer: Buffer.from(DUPLICATES, 'utf8') });
  const summary = page.getByRole('dialog', { name: 'Import contacts' });
  await expect(summary.getByTestId('import-likely')).toHaveText('3 of the new cards look like contacts you have.');
  await expect(summary.getByRole('checkbox', { name: 'Review them after importing' })).toBeChecked();
  await summary.getByRole('button', { name: 'Import 4 new contacts', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Duplicates' })).toBeVisible();
}

const dupDialog = (page: Page) => page.getByRole('dialog', { name: 'Duplicates' });

test.describe('duplicates', () => {
  test('an import that duplicates three contacts is offered for review; a merge with choices keeps every e-mail, number and X- property; undo brings both back', async ({ app }) => {
    const { page } = app;
    await importDuplicates(page);
    // Imported, not merged: every card is in the list until the user reviews it.
    await expect(contactList(page).getByRole('option')).toHaveCount(8);
    const dialog = dupDialog(page);
    await expect(dialog.getByTestId('dup-summary')).toContainText('3 imported contacts look like contacts you have');
    await expect(dialog.getByTestId('dup-cluster')).toHaveCount(3);
    const ada = dialog.getByTestId('dup-cluster').filter({ hasText: 'Ada Lovelace' });
    await expect(ada).toContainText('Same e-mail address: ada@example.org');
    await expect(ada).toContainText(/Score \d+/);

    await ada.getByRole('button', { name: /^Review/ }).click();
    const review = page.getByRole('dialog', { name: 'Merge 2 contacts' });
    await expect(review.getByTestId('dup-review')).toBeVisible();
    // Organisation differs: one radio per card, the card that stays (the contact that was here
    // before the import, though the imported one is fuller) chosen; the user takes the other.
    const org = review.locator('[data-field="ORG"]');
    await expect(org.getByRole('radio')).toHaveCount(2);
    await expect(org.getByRole('radio', { name: 'Analytical Engines' })).toBeChecked();
    await org.getByRole('radio', { name: 'Engines Ltd' }).check();
    // The same address in another case is one item; every other one is kept, X- properties too.
    const items = review.getByTestId('dup-item');
    await expect(items.filter({ hasText: /ada@example\.org/i })).toHaveCount(1);
    await expect(items.filter({ hasText: 'countess@example.org' })).toHaveCount(1);
    await expect(items.filter({ hasText: 'X-CUSTOM' })).toHaveCount(1);
    await expect(items.filter({ hasText: 'X-OTHER-APP' })).toHaveCount(1);
    await review.getByRole('button', { name: 'Merge into one contact' }).click();

    await expect(dupDialog(page).getByTestId('dup-cluster')).toHaveCount(2);
    await expect(dupDialog(page).getByTestId('dup-summary')).toContainText('2 contacts merged into “Ada Lovelace”.');
    // "Not duplicates" sets a group aside.
    await dupDialog(page).getByRole('button', { name: /^Alan Turing · Alan Turing are not duplicates/ }).click();
    await expect(dupDialog(page).getByTestId('dup-cluster')).toHaveCount(1);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await expect(listRow(page, 'Ada Lovelace')).toHaveCount(1);
    const merged = (await storedCards(page)).filter((c) => c.includes('FN:Ada Lovelace'));
    expect(merged).toHaveLength(1);
    const text = merged[0]!;
    expect(text).toMatch(/^ORG:Engines Ltd$/m);
    expect(text).not.toMatch(/Analytical Engines/);
    expect(text).toMatch(/ada@example\.org/i);
    expect(text).toMatch(/countess@example\.org/);
    expect(text).toMatch(/\+44 20 7946 0000/);
    expect(text).toMatch(/\+44 20 7946 0001/);
    expect(text).toMatch(/^X-CUSTOM:kept from the first$/m);
    expect(text).toMatch(/^X-OTHER-APP:kept from the second$/m);
    expect(text).toMatch(/^NOTE:Likes poetry$/m);

    await listRow(page, 'Ada Lovelace').click();
    await expect(page.getByRole('main')).toContainText('Engines Ltd');
    await expect(page.getByRole('main')).toContainText('countess@example.org');

    // One undo: both cards as they were.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(listRow(page, 'Ada Lovelace')).toHaveCount(2);
    const back = (await storedCards(page)).filter((c) => c.includes('FN:Ada Lovelace'));
    expect(back.some((c) => /^ORG:Analytical Engines$/m.test(c) && /^X-CUSTOM:kept from the first$/m.test(c) && !c.includes('countess'))).toBe(true);
    expect(back.some((c) => /^ORG:Engines Ltd$/m.test(c) && c.includes('countess'))).toBe(true);

    // The sidebar finds them again; the pair set aside stays aside this session.
    await page.getByRole('navigation').getByRole('button', { name: 'Duplicates' }).click();
    const found = dupDialog(page);
    await expect(found.getByTestId('dup-summary')).toContainText('2 groups of contacts look like one person each');
    await expect(found.getByTestId('dup-cluster').filter({ hasText: 'Ada Lovelace' })).toHaveCount(1);
    await expect(found.getByTestId('dup-cluster').filter({ hasText: 'Grace Hopper' })).toHaveCount(1);
    await expect(found.getByTestId('dup-cluster').filter({ hasText: 'Alan Turing' })).toHaveCount(0);
  });

  test('a duplicate an import brought, merged later from the sidebar, keeps the contact the user had: undoing that import leaves it in the list', async ({ app }) => {
    const { page } = app;
    await importCards(page, card('mine', 'FN:Anna Müller\nN:Müller;Anna;;;\nEMAIL:anna.mueller@example.com'), 1);
    await page.getByTestId('import-input').setInputFiles({ name: 'later.vcf', mimeType: 'text/vcard', buffer: Buffer.from(card('theirs', 'FN:Anna Müller\nN:Müller;Anna;;;\nEMAIL:ANNA.Mueller@Example.COM\nTEL:+49 89 1234567\nORG:Acme\nTITLE:Engineer\nX-IMPORTED:yes'), 'utf8') });
    const summary = page.getByRole('dialog', { name: 'Import contacts' });
    await summary.getByRole('checkbox', { name: 'Review them after importing' }).uncheck();
    await summary.getByRole('button', { name: 'Import 1 new contact', exact: true }).click();
    await expect(contactList(page).getByRole('option')).toHaveCount(2);

    await page.getByRole('navigation').getByRole('button', { name: 'Duplicates' }).click();
    await dupDialog(page).getByTestId('dup-cluster').filter({ hasText: 'Anna Müller' }).getByRole('button', { name: /^Review/ }).click();
    await page.getByRole('dialog', { name: 'Merge 2 contacts' }).getByRole('button', { name: 'Merge into one contact' }).click();
    await expect(dupDialog(page).getByTestId('dup-summary')).toContainText('2 contacts merged into “Anna Müller”.');
    // The count follows the merge: one contact left of two.
    await expect(dupDialog(page)).toContainText('No likely duplicates among 1 contact.');
    await expect(dupDialog(page).locator('.dup-count')).toHaveText('1 contact');
    await page.keyboard.press('Escape');
    // The contact the user had stays (its UID), with the imported card's details in it.
    const merged = (await storedCards(page)).filter((c) => c.includes('FN:Anna Müller'));
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatch(/^UID:mine$/m);
    expect(merged[0]).toMatch(/^X-IMPORTED:yes$/m);
    // Its history names the merge, and the card merged away is in the Trash as merged into it.
    await listRow(page, 'Anna Müller').click();
    await page.getByRole('button', { name: 'History', exact: true }).click();
    const versions = page.getByRole('dialog', { name: 'History of Anna Müller' }).getByRole('list', { name: 'Versions' }).locator(':scope > li');
    await expect(versions.nth(0)).toContainText('Merged');
    await expect(versions.nth(0).locator('ins')).toContainText(['+49 89 1234567']);
    await page.keyboard.press('Escape');
    await page.getByRole('navigation').getByRole('button', { name: 'Trash', exact: true }).click();
    await expect(page.getByRole('list', { name: 'Trash' }).getByRole('listitem')).toContainText(['Merged into Anna Müller']);

    await page.getByRole('navigation').getByRole('button', { name: 'Recent changes', exact: true }).click();
    const run = page.getByRole('list', { name: 'Runs' }).getByRole('listitem').filter({ hasText: 'Import of \u2068later.vcf\u2069' });
    await run.getByRole('button', { name: /^Undo/ }).click();
    // The card it added was merged away since: the undo asks first.
    await page.getByRole('alertdialog').getByRole('button', { name: 'Undo anyway' }).click();
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    await page.getByRole('navigation').getByRole('button', { name: 'All contacts', exact: true }).click();
    await expect(listRow(page, 'Anna Müller')).toHaveCount(1);
    expect((await storedCards(page)).filter((c) => /^UID:mine$/m.test(c))).toHaveLength(1);
  });

  test('the review screen in light, dark and Persian, at 1280×800 and 800×600, passes the accessibility gate', async ({ app }) => {
    test.setTimeout(120_000);
    const { page } = app;
    await importDuplicates(page);
    await page.keyboard.press('Escape');
    for (const variant of ['light', 'dark', 'persian'] as const) {
      await page.emulateMedia({ colorScheme: variant === 'dark' ? 'dark' : 'light' });
      if (variant === 'persian') await chooseLanguage(page, 'فارسی');
      const fa = variant === 'persian';
      await page.getByRole('navigation').getByRole('button', { name: fa ? 'تکراری‌ها' : 'Duplicates' }).click();
      await expect(page.getByTestId('dup-cluster')).toHaveCount(3);
      await captureScreen(page, 'duplicates', variant);
      await page.getByTestId('dup-cluster').filter({ hasText: 'Ada Lovelace' }).getByRole('button', { name: fa ? /^بازبینی/ : /^Review/ }).click();
      await expect(page.getByTestId('dup-field').first()).toBeVisible();
      await captureScreen(page, 'duplicates-review', variant, variant === 'light' ? { readme: { file: 'duplicates.png', size: 0 } } : {});
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toHaveCount(0);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await openSettings(page);
    await page.getByRole('dialog').getByRole('combobox').first().selectOption({ value: '' });
    await page.keyboard.press('Escape');
  });
});

async function serverCards(s: TestServer): Promise<string[]> {
  const client = new CardDavClient(new DavHttp({ auth: s.password === '' ? { kind: 'none' } : { kind: 'basic', user: s.user, password: s.password } }));
  const hrefs = (await client.listEtags(s.addressBookUrl)).map((e) => e.href);
  return (await client.multiget(s.addressBookUrl, hrefs)).cards.map((c) => c.vcard.replace(/\r?\n[ \t]/g, ''));
}


test.describe('duplicates on a server', () => {
  let server: TestServer | null = null;
  test.afterEach(async () => {
    await server?.stop();
    server = null;
  });

  test('a merge in a Radicale book leaves one card on the server after the sync, holding both cards’ details', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    test.setTimeout(120_000);
    server = await startRadicale();
    const vcard3 = (uid: string, lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, ...lines, 'END:VCARD', ''].join('\r\n');
    await server.seed([
      { file: 'ann-1.vcf', vcard: vcard3('ann-1', ['FN:Ann Arbor', 'N:Arbor;Ann;;;', 'EMAIL:ann@example.org', 'X-FROM-PHONE:yes']) },
      { file: 'ann-2.vcf', vcard: vcard3('ann-2', ['FN:Ann Arbor', 'N:Arbor;Ann;;;', 'EMAIL:ANN@example.org', 'TEL:+1 202 555 0147', 'ORG:Arbor & Co']) },
      { file: 'ben.vcf', vcard: vcard3('ben', ['FN:Ben Bolt', 'N:Bolt;Ben;;;']) },
    ]);
    const { page } = app;
    await addAccount(page, server);
    await expect(contactList(page).getByRole('option')).toHaveCount(3);

    await page.getByRole('navigation').getByRole('button', { name: 'Duplicates' }).click();
    const dialog = dupDialog(page);
    await expect(dialog.getByTestId('dup-cluster')).toHaveCount(1);
    await dialog.getByRole('button', { name: /^Review/ }).click();
    await page.getByRole('button', { name: 'Merge into one contact' }).click();
    await expect(dupDialog(page).getByTestId('dup-cluster')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(listRow(page, 'Ann Arbor')).toHaveCount(1);

    // The normal sync: one card updated, the other deleted there.
    await expect(contactList(page).getByTestId('mark-pending')).toHaveCount(0, { timeout: 30_000 });
    const s = server;
    await expect.poll(async () => (await serverCards(s)).filter((c) => c.includes('FN:Ann Arbor')).length, { timeout: 30_000 }).toBe(1);
    const ann = (await serverCards(server)).find((c) => c.includes('FN:Ann Arbor'))!;
    expect(ann).toMatch(/ann@example\.org/i);
    expect(ann).toMatch(/\+1 202 555 0147/);
    expect(ann).toMatch(/^ORG:Arbor & Co$/m);
    expect(ann).toMatch(/^X-FROM-PHONE:yes$/m);
    expect((await serverCards(server)).filter((c) => c.includes('FN:Ben Bolt'))).toHaveLength(1);
  });
});
