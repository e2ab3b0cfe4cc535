/**
 * The trash, a contact's history and undoing a sync (issue 18) against a real Radicale, the
 * server changed from the test with plain HTTP as another client would: a contact deleted on the
 * server goes to the trash here and, restored, is on the server again with every line; an edit
 * made on the server shows in the history property by property as the server's, and restoring
 * the older version puts the old value back on the server; undoing a sync from Recent changes puts
 * every contact it touched back, there too; undoing an import into it removes exactly what it
 * added, there too.
 */
import type { Page } from '@playwright/test';
import { startRadicale, type TestServer } from '../servers/servers';
import { expect, test } from './fixtures';
import { addAccount, card, contactList, listRow } from './helpers';
import { expectAccessible } from './pages';

const detail = (page: Page) => page.getByRole('region', { name: 'Contact details' });

const vcard3 = (uid: string, lines: readonly string[]) => ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, ...lines, 'END:VCARD', ''].join('\r\n');

/** Another client of the server: plain HTTP with the account's password, none of the app's code. */
function otherClient(s: TestServer) {
  const headers = (more: Record<string, string> = {}): Record<string, string> => ({ ...(s.password === '' ? {} : { Authorization: `Basic ${Buffer.from(`${s.user}:${s.password}`).toString('base64')}` }), ...more });
  const url = (file: string) => new URL(file, s.addressBookUrl).href;
  return {
    async get(file: string): Promise<{ status: number; vcard: string; etag: string | null }> {
      const r = await fetch(url(file), { headers: headers() });
      return { status: r.status, vcard: (await r.text()).replace(/\r?\n[ \t]/g, ''), etag: r.headers.get('etag') };
    },
    async put(file: string, vcard: string, etag?: string | null): Promise<void> {
      const r = await fetch(url(file), { method: 'PUT', headers: headers({ 'Content-Type': 'text/vcard; charset=utf-8', ...(etag ? { 'If-Match': etag } : { 'If-None-Match': '*' }) }), body: vcard });
      expect(r.status, `PUT ${file}`).toBeLessThan(300);
    },
    async delete(file: string): Promise<void> {
      const r = await fetch(url(file), { method: 'DELETE', headers: headers() });
      expect(r.status, `DELETE ${file}`).toBeLessThan(300);
    },
    /** Every card of the book, unfolded: Radicale answers a GET of the collection with all of them. */
    async cards(): Promise<string[]> {
      const r = await fetch(s.addressBookUrl, { headers: headers() });
      expect(r.status, 'GET of the address book').toBe(200);
      const text = (await r.text()).replace(/\r?\n[ \t]/g, '');
      return text.split(/(?=^BEGIN:VCARD)/m).filter((c) => c.startsWith('BEGIN:VCARD'));
    },
  };
}

const linesOf = (vcard: string) => vcard.split(/\r?\n/).filter((l) => l !== '');
const byUid = (cards: readonly string[], uid: string) => cards.filter((c) => new RegExp(`^UID:${uid}\\r?$`, 'm').test(c));

async function syncNow(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Sync .* now$/ }).click();
  await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 30_000 });
}

/** A sidebar entry (the window stays 1280 wide here, so the sidebar is there). */
async function openView(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
}

test.describe('trash and history on Radicale', () => {
  let server: TestServer | null = null;
  test.afterEach(async () => {
    await server?.stop();
    server = null;
  });

  test('a contact deleted on the server goes to the trash after a sync; restored, it is on the server again with every line', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    test.setTimeout(120_000);
    server = await startRadicale();
    const ann = vcard3('ann', ['FN:Ann Arbor', 'N:Arbor;Ann;;;', 'EMAIL;TYPE=work:ann@example.org', 'TEL;TYPE=cell:+1 202 555 0147', 'ORG:Arbor & Co', 'NOTE:Met at the fair', 'X-FROM-PHONE:kept by the server']);
    await server.seed([
      { file: 'ann.vcf', vcard: ann },
      { file: 'ben.vcf', vcard: vcard3('ben', ['FN:Ben Bolt', 'N:Bolt;Ben;;;']) },
    ]);
    const other = otherClient(server);
    const { page } = app;
    await addAccount(page, server);
    await expect(contactList(page).getByRole('option')).toHaveCount(2);

    await other.delete('ann.vcf');
    await syncNow(page);
    await expect(listRow(page, 'Ann Arbor')).toHaveCount(0);
    await expect(listRow(page, 'Ben Bolt')).toHaveCount(1);

    await openView(page, 'Trash');
    const trash = page.getByRole('list', { name: 'Trash' });
    await expect(trash.getByRole('listitem')).toHaveCount(1);
    await expect(trash.getByRole('listitem')).toContainText('Ann Arbor');
    await expect(trash.getByRole('listitem')).toContainText(`Deleted on ${server.user} · ${new URL(server.baseUrl).host}`);
    await expectAccessible(page, 'the trash with a contact the server deleted');
    await page.getByRole('button', { name: 'Restore Ann Arbor' }).click();
    await expect(page.getByText('Ann Arbor is back')).toBeVisible();
    await expect(page.getByText('The trash is empty.')).toBeVisible();
    await openView(page, 'All contacts');
    await expect(listRow(page, 'Ann Arbor')).toHaveCount(1);

    // The restore is a change made here: it syncs, and the server has the card again, every line of it.
    const s = otherClient(server);
    await expect.poll(async () => byUid(await s.cards(), 'ann').length, { timeout: 30_000 }).toBe(1);
    await expect(contactList(page).getByTestId('mark-pending')).toHaveCount(0, { timeout: 30_000 });
    const back = linesOf(byUid(await s.cards(), 'ann')[0]!);
    for (const line of linesOf(ann).filter((l) => !l.startsWith('VERSION:'))) expect(back, `the server's card keeps “${line}”`).toContain(line);
    // The next sync sees its own write come back: no copy, no second trip to the trash.
    await syncNow(page);
    await expect(contactList(page).getByRole('option')).toHaveCount(2);
    expect(byUid(await s.cards(), 'ann')).toHaveLength(1);
    await openView(page, 'Trash');
    await expect(page.getByText('The trash is empty.')).toBeVisible();
  });

  test('an edit made on the server shows in the history as the server’s, property by property; restoring the older version puts it back on the server', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    test.setTimeout(120_000);
    server = await startRadicale();
    await server.seed([{ file: 'sam.vcf', vcard: vcard3('sam', ['FN:Sam Server', 'N:Server;Sam;;;', 'TITLE:Original title', 'TEL:+44 20 7946 0000', 'X-KEPT:yes']) }]);
    const other = otherClient(server);
    const { page } = app;
    await addAccount(page, server);

    const before = await other.get('sam.vcf');
    expect(before.status).toBe(200);
    await other.put('sam.vcf', before.vcard.replace('TITLE:Original title', 'TITLE:Remote title').replace('X-KEPT:yes', 'X-KEPT:yes\r\nEMAIL:sam@example.org'), before.etag);
    await syncNow(page);
    await listRow(page, 'Sam Server').click();
    await expect(detail(page).getByText('Remote title')).toBeVisible();
    await expect(detail(page).getByText('sam@example.org')).toBeVisible();

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'History of Sam Server' });
    const versions = dialog.getByRole('list', { name: 'Versions' }).locator(':scope > li');
    await expect(versions).toHaveCount(2);
    const latest = versions.nth(0);
    await expect(latest.getByRole('heading')).toHaveText('Changed on the server');
    await expect(latest).toContainText(`on ${server.user} · ${new URL(server.baseUrl).host}`);
    await expect(latest.locator('.history-change')).toHaveCount(2);
    const title = latest.locator('.history-change').filter({ hasText: 'Job title' });
    await expect(title.locator('del')).toHaveText('Original title');
    await expect(title.locator('ins')).toHaveText('Remote title');
    const email = latest.locator('.history-change').filter({ hasText: 'E-mail' });
    await expect(email.locator('ins')).toHaveText('sam@example.org');
    await expect(email.locator('del')).toHaveCount(0);
    await expectAccessible(page, 'the history with a version from the server');

    await dialog.getByRole('button', { name: /^Restore this version \(/ }).click();
    await expect(versions).toHaveCount(3);
    await expect(versions.nth(0).getByRole('heading')).toHaveText('Restored');
    await expect(versions.nth(0)).toContainText('on this computer');
    await page.keyboard.press('Escape');
    await expect(detail(page).getByText('Original title')).toBeVisible();

    // The restore syncs: the server's card has the old value again, and the e-mail it did not have.
    await expect.poll(async () => (await other.get('sam.vcf')).vcard, { timeout: 30_000 }).toMatch(/^TITLE:Original title\r?$/m);
    const now = (await other.get('sam.vcf')).vcard;
    expect(now).not.toContain('Remote title');
    expect(now).not.toContain('sam@example.org');
    expect(now).toMatch(/^TEL[;:].*\+44 20 7946 0000\r?$/m);
    expect(now).toMatch(/^X-KEPT:yes\r?$/m);
    // The next sync sees its own write come back: no new version, the old value stays.
    await expect(contactList(page).getByTestId('mark-pending')).toHaveCount(0, { timeout: 30_000 });
    await syncNow(page);
    await expect(detail(page).getByText('Original title')).toBeVisible();
    await page.getByRole('button', { name: 'History', exact: true }).click();
    await expect(versions).toHaveCount(3);
    await expect(versions.nth(0).getByRole('heading')).toHaveText('Restored');
  });

  test('undoing a sync from Recent changes puts back what it changed, added and deleted, and the server follows', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    test.setTimeout(120_000);
    server = await startRadicale();
    const cleo = vcard3('cleo', ['FN:Cleo Changed', 'N:Changed;Cleo;;;', 'TITLE:Before the sync']);
    const dora = vcard3('dora', ['FN:Dora Deleted', 'N:Deleted;Dora;;;', 'EMAIL:dora@example.org', 'X-KEPT:dora']);
    await server.seed([
      { file: 'cleo.vcf', vcard: cleo },
      { file: 'dora.vcf', vcard: dora },
      { file: 'eve.vcf', vcard: vcard3('eve', ['FN:Eve Untouched', 'N:Untouched;Eve;;;']) },
    ]);
    const other = otherClient(server);
    const { page } = app;
    await addAccount(page, server);
    await expect(contactList(page).getByRole('option')).toHaveCount(3);

    // Another client changes one card, deletes one and adds one; this computer syncs them.
    const c = await other.get('cleo.vcf');
    await other.put('cleo.vcf', c.vcard.replace('TITLE:Before the sync', 'TITLE:After the sync'), c.etag);
    await other.delete('dora.vcf');
    await other.put('fred.vcf', vcard3('fred', ['FN:Fred Added', 'N:Added;Fred;;;']));
    await syncNow(page);
    await expect(listRow(page, 'Fred Added')).toHaveCount(1);
    await expect(listRow(page, 'Dora Deleted')).toHaveCount(0);

    // Meanwhile the other client goes on: a note on the changed card, which the undo must not drop.
    const later = await other.get('cleo.vcf');
    await other.put('cleo.vcf', later.vcard.replace('TITLE:After the sync', 'TITLE:After the sync\r\nNOTE:Written later'), later.etag);

    await openView(page, 'Recent changes');
    const runs = page.getByRole('list', { name: 'Runs' });
    const run = runs.getByRole('listitem').first();
    await expect(run).toContainText(`Sync with \u2068${server.user} · ${new URL(server.baseUrl).host}\u2069`);
    await expect(run).toContainText('1 added · 1 changed · 1 deleted');
    await expectAccessible(page, 'recent changes with a sync');
    await run.getByRole('button', { name: /^Undo/ }).click();
    await expect(page.getByText('2 contacts are back as they were · 1 contact it added is in the Trash')).toBeVisible();
    await expect(run).toContainText('Undone');

    await openView(page, 'All contacts');
    await expect(listRow(page, 'Fred Added')).toHaveCount(0);
    await expect(listRow(page, 'Dora Deleted')).toHaveCount(1);
    await listRow(page, 'Cleo Changed').click();
    await expect(detail(page).getByText('Before the sync')).toBeVisible();

    // The undo is edits made here: they sync, and the server is as it was before that sync.
    await expect
      .poll(async () => {
        const cards = await other.cards();
        return { fred: byUid(cards, 'fred').length, dora: byUid(cards, 'dora').length, cleo: byUid(cards, 'cleo').map((x) => /^TITLE:Before the sync\r?$/m.test(x)) };
      }, { timeout: 30_000 })
      .toEqual({ fred: 0, dora: 1, cleo: [true] });
    // The undo is merged with what the server did after the run: the later note stays.
    expect(byUid(await other.cards(), 'cleo')[0]).toMatch(/^NOTE:Written later\r?$/m);
    await expect(contactList(page).getByTestId('mark-pending')).toHaveCount(0, { timeout: 30_000 });
    const cards = await other.cards();
    const doraBack = linesOf(byUid(cards, 'dora')[0]!);
    for (const line of linesOf(dora).filter((l) => !l.startsWith('VERSION:'))) expect(doraBack, `the server's card keeps “${line}”`).toContain(line);
    expect(byUid(cards, 'eve')).toHaveLength(1);
    // Here too: the old title and the server's later note, which the history shows as the server's.
    await listRow(page, 'Cleo Changed').click();
    await expect(detail(page).getByText('Before the sync')).toBeVisible();
    await expect(detail(page).getByText('Written later')).toBeVisible();
    await page.getByRole('button', { name: 'History', exact: true }).click();
    const latest = page.getByRole('dialog', { name: 'History of Cleo Changed' }).getByRole('list', { name: 'Versions' }).locator(':scope > li').first();
    await expect(latest.getByRole('heading')).toHaveText('Changed on the server');
    await expect(latest.locator('.history-change').filter({ hasText: 'Note' }).locator('ins')).toHaveText('Written later');
    await page.keyboard.press('Escape');

    // The next sync brings nothing new: no new run, nothing changes here.
    await openView(page, 'Recent changes');
    await expect(runs.getByRole('listitem').first()).toContainText('Undone');
    const runCount = await runs.getByRole('listitem').count();
    await syncNow(page);
    await expect(runs.getByRole('listitem')).toHaveCount(runCount);
    await expect(runs.getByRole('listitem').first()).toContainText('Undone');
    await openView(page, 'All contacts');
    await expect(contactList(page).getByRole('option')).toHaveCount(3);
    await expect(listRow(page, 'Fred Added')).toHaveCount(0);
    // What the undo deleted waits in the trash; what it brought back left it.
    await openView(page, 'Trash');
    const trash = page.getByRole('list', { name: 'Trash' });
    await expect(trash.getByRole('listitem')).toHaveCount(1);
    await expect(trash.getByRole('listitem')).toContainText('Fred Added');
  });
  test('undoing an import into a Radicale book removes exactly what it added, on the server too', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    test.setTimeout(120_000);
    server = await startRadicale();
    await server.seed([{ file: 'eve.vcf', vcard: vcard3('eve', ['FN:Eve Before', 'N:Before;Eve;;;']) }]);
    const other = otherClient(server);
    const { page } = app;
    await addAccount(page, server);
    const text = card('imp-1', 'FN:Ivy Imported\nN:Imported;Ivy;;;') + card('imp-2', 'FN:Ian Imported\nN:Imported;Ian;;;');
    await page.getByTestId('import-input').setInputFiles({ name: 'two.vcf', mimeType: 'text/vcard', buffer: Buffer.from(text, 'utf8') });
    await page.getByLabel('Import into').selectOption({ label: 'Contacts' });
    await page.getByRole('button', { name: 'Import 2 new contacts', exact: true }).click();
    await expect(contactList(page).getByRole('option')).toHaveCount(3);
    await expect.poll(async () => (await other.cards()).length, { timeout: 30_000 }).toBe(3);

    await openView(page, 'Recent changes');
    const run = page.getByRole('list', { name: 'Runs' }).getByRole('listitem').filter({ hasText: 'Import of \u2068two.vcf\u2069' });
    await expect(run).toContainText('2 added · 0 changed · 0 deleted');
    await run.getByRole('button', { name: /^Undo/ }).click();
    await expect(page.getByText('2 contacts it added are in the Trash')).toBeVisible();
    await openView(page, 'All contacts');
    await expect(contactList(page).getByRole('option')).toHaveCount(1);
    await expect(listRow(page, 'Eve Before')).toHaveCount(1);
    await expect.poll(async () => (await other.cards()).map((c) => /^UID:(.*?)\r?$/m.exec(c)?.[1]), { timeout: 30_000 }).toEqual(['eve']);
    await syncNow(page);
    await expect(contactList(page).getByRole('option')).toHaveCount(1);
  });

  test('Recent changes opens on the book of the latest run: an import into this computer just made is there, beside a server account', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    server = await startRadicale();
    await server.seed([{ file: 'eve.vcf', vcard: vcard3('eve', ['FN:Eve Before', 'N:Before;Eve;;;']) }]);
    const { page } = app;
    await addAccount(page, server);
    await page.getByTestId('import-input').setInputFiles({ name: 'local.vcf', mimeType: 'text/vcard', buffer: Buffer.from(card('loc-1', 'FN:Lou Local\nN:Local;Lou;;;'), 'utf8') });
    await page.getByLabel('Import into').selectOption({ label: 'On this computer' });
    await page.getByRole('button', { name: 'Import 1 new contact', exact: true }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await openView(page, 'Recent changes');
    await expect(page.getByRole('combobox', { name: 'Address book' })).toHaveValue('local');
    await expect(page.getByRole('list', { name: 'Runs' }).getByRole('listitem').first()).toContainText('Import of \u2068local.vcf\u2069');
  });
});
