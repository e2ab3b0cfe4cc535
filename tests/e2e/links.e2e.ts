/**
 * Linked contacts (issue 18: merging across books is a link shown as one contact, never a
 * deletion on the other server), against a real Radicale and this computer's book: the same
 * person in both is found by Duplicates across books and linked; the list shows one row; its view
 * shows both cards under their books; an edit of each card goes to that card only, and after the
 * sync the server holds its one card with only the intended change; starred, both cards are (one
 * row in Favourites, the star in each book's view); shared and exported, it is
 * one card with both cards' items; Unlink separates them (its
 * undo links them again); deleting the linked contact asks which cards, and deleting only this
 * computer's leaves the server's card on the server; restored from the trash after a reload, it is
 * linked again. The review, the linked view and the delete
 * question in light, dark and Persian at both sizes, through the accessibility gate. Across two
 * servers (Radicale and Xandikos): each server keeps its one card with only the edit made to it,
 * and removing one account leaves the other's card a contact of its own.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { parseVCards, toContact } from '../../shared/vcard';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { startRadicale, startXandikos, type TestServer } from '../servers/servers';
import { translator, type Translate } from '../../renderer/src/i18n';
import { expect, test } from './fixtures';
import { addAccount, card, contactList, exportText, field, importCards, listRow } from './helpers';
import { captureDialogVariants, captureScreen, chooseLanguage, openSettings } from './pages';

const vcard3 = (uid: string, lines: readonly string[]) => ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, ...lines, 'END:VCARD', ''].join('\r\n');
const SERVER_ANN = vcard3('ann-server', ['FN:Ann Arbor', 'N:Arbor;Ann;;;', 'EMAIL;TYPE=work:ann@arbor.example', 'TEL;TYPE=cell:+1 202 555 0147', 'X-FROM-PHONE:kept by the server']);
const LOCAL_ANN = card('ann-local', 'FN:Ann Arbor\nN:Arbor;Ann;;;\nEMAIL:ANN@arbor.example\nEMAIL:ann@home.example\nX-LOCAL-ONLY:yes');

const EN = translator('en');
const unfold = (v: string) => v.replace(/\r?\n[ \t]/g, '');
const linesOf = (vcard: string) => vcard.split(/\r?\n/).filter((l) => l !== '' && !l.startsWith('VERSION:'));

/** Every card of the server's book, as another client reads it (a listing, then a multiget), unfolded. */
async function serverCards(s: TestServer): Promise<string[]> {
  const client = new CardDavClient(new DavHttp({ auth: s.password === '' ? { kind: 'none' } : { kind: 'basic', user: s.user, password: s.password } }));
  const hrefs = (await client.listEtags(s.addressBookUrl)).map((e) => e.href);
  return (await client.multiget(s.addressBookUrl, hrefs)).cards.map((c) => unfold(c.vcard));
}

/** This computer's cards as stored in the page (visible rows only). */
async function localCards(page: Page): Promise<string[]> {
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
            const visible = new Set((rows.result as { id: string; pending: string; bookId: string }[]).filter((r) => r.pending !== 'deleted' && r.bookId === 'local').map((r) => r.id));
            resolve((cards.result as { id: string; vcard: string }[]).filter((c) => visible.has(c.id)).map((c) => c.vcard.replace(/\r\n[ \t]/g, '')));
            open.result.close();
          };
        };
      }),
  );
}

async function syncNow(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Sync .* now$/ }).click();
  await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 30_000 });
}

/** The account panel of a server (by its host). */
const accountOf = (page: Page, s: TestServer) => page.getByTestId('account').filter({ hasText: new URL(s.baseUrl).host });

/** Sync one account now and wait for it to say so. */
async function syncAccount(page: Page, s: TestServer): Promise<void> {
  const panel = accountOf(page, s);
  await panel.getByRole('button', { name: /^Sync .* now$/ }).click();
  await expect(panel.getByTestId('sync-status')).toContainText('Synced', { timeout: 30_000 });
}

/** A second CardDAV account beside the first (its own panel's status shows its first sync). */
const addSecondAccount = (page: Page, s: TestServer) => addAccount(page, s, accountOf(page, s).getByTestId('sync-status'));

/** The sidebar's Duplicates, every book, across books; the review of the one group. */
async function openLinkReview(page: Page, t: Translate): Promise<void> {
  const nav = page.getByRole('navigation');
  if (!(await nav.isVisible())) await page.locator('#drawer-button').click();
  await page.getByRole('navigation').getByRole('button', { name: t('dup.open'), exact: true }).click();
  const dialog = page.getByRole('dialog', { name: t('dup.title') });
  await dialog.getByRole('checkbox', { name: t('dup.acrossBooks') }).check();
  await expect(dialog.getByTestId('dup-cluster')).toHaveCount(1);
  await dialog.getByTestId('dup-cluster').getByRole('button', { name: new RegExp(`^${t('dup.review')}`) }).click();
  await expect(page.getByRole('dialog', { name: t('link.reviewTitle', { count: 2 }) }).getByTestId('dup-review')).toBeVisible();
}

const linkedView = (page: Page) => page.getByTestId('linked-view');
const cardIn = (page: Page, local: boolean) => linkedView(page).locator(local ? '[data-testid="linked-card"][data-book="local"]' : '[data-testid="linked-card"]:not([data-book="local"])');

test.describe('linked contacts across books', () => {
  let server: TestServer | null = null;
  test.afterEach(async () => {
    await server?.stop();
    server = null;
  });

  test('a duplicate across Radicale and this computer is linked as one row; an edit of each card goes to that card only; the server keeps its one card; unlink; deleting asks which cards', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    test.setTimeout(180_000);
    server = await startRadicale();
    await server.seed([
      { file: 'ann.vcf', vcard: SERVER_ANN },
      { file: 'ben.vcf', vcard: vcard3('ben', ['FN:Ben Bolt', 'N:Bolt;Ben;;;']) },
    ]);
    const { page } = app;
    await importCards(page, LOCAL_ANN, 1);
    await addAccount(page, server);
    await expect(listRow(page, 'Ann Arbor')).toHaveCount(2);
    await expect(page.locator('.list-count')).toHaveText('3 contacts');

    // Within each book there is nothing to merge; across books, one group, offered as a link.
    await page.getByRole('navigation').getByRole('button', { name: 'Duplicates', exact: true }).click();
    await expect(page.getByTestId('dup-cluster')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await openLinkReview(page, EN);
    const review = page.getByRole('dialog', { name: 'Link 2 contacts' });
    await expect(review.getByRole('button', { name: 'Merge into one contact' })).toHaveCount(0);
    await expect(review).toContainText('no card is changed or deleted on any server');
    // The name shown: the server's card (already on a server, the fuller one) unless chosen otherwise.
    await expect(review.getByRole('radio', { name: /^Show the name of Card/ })).toHaveCount(2);
    await review.getByRole('button', { name: 'Link as one contact' }).click();
    await expect(page.getByTestId('dup-summary')).toContainText('2 cards linked as “Ann Arbor”.');
    await expect(page.getByTestId('dup-cluster')).toHaveCount(0);
    await page.keyboard.press('Escape');

    // One row, counted once; found by a word only one of the cards has.
    await expect(listRow(page, 'Ann Arbor')).toHaveCount(1);
    await expect(page.locator('.list-count')).toHaveText('2 contacts');
    await page.getByRole('searchbox', { name: 'Search contacts' }).fill('home.example');
    await expect(contactList(page).getByRole('option')).toHaveCount(1);
    await page.getByRole('searchbox', { name: 'Search contacts' }).fill('202 555 0147');
    await expect(contactList(page).getByRole('option')).toHaveCount(1);
    await page.getByRole('searchbox', { name: 'Search contacts' }).fill('');

    // Its view: both cards, each under its book, each field of each.
    await listRow(page, 'Ann Arbor').click();
    await expect(linkedView(page)).toBeVisible();
    await expect(linkedView(page).getByTestId('linked-card')).toHaveCount(2);
    await expect(cardIn(page, true)).toContainText('In “On this computer”');
    await expect(cardIn(page, true)).toContainText('ann@home.example');
    await expect(cardIn(page, false)).toContainText('+1 202 555 0147');

    // An edit of the server's card: only that card changes.
    await cardIn(page, false).getByRole('button', { name: /^Edit in / }).click();
    await expect(page.getByTestId('linked-editing')).toBeVisible();
    await field(page, 'Job title').fill('Chief engineer');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(linkedView(page)).toBeVisible();
    await expect(cardIn(page, false)).toContainText('Chief engineer');
    await expect(cardIn(page, true)).not.toContainText('Chief engineer');
    // An edit of this computer's card: only that one.
    await cardIn(page, true).getByRole('button', { name: 'Edit in “On this computer”' }).click();
    await field(page, 'Notes').fill('Met at the fair');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(cardIn(page, true)).toContainText('Met at the fair');
    await expect(cardIn(page, false)).not.toContainText('Met at the fair');

    // After the sync the server holds its one card, every line of it, with only the new title.
    await syncNow(page);
    const s = server;
    await expect.poll(async () => (await serverCards(s)).find((c) => c.includes('UID:ann-server'))?.includes('TITLE:Chief engineer') ?? false, { timeout: 30_000 }).toBe(true);
    const onServer = await serverCards(server);
    expect(onServer).toHaveLength(2);
    const ann = linesOf(onServer.find((c) => c.includes('UID:ann-server'))!);
    for (const line of linesOf(SERVER_ANN)) expect(ann, `the server's card keeps “${line}”`).toContain(line);
    expect(ann.filter((l) => !linesOf(SERVER_ANN).includes(l) && !/^(REV|PRODID):/.test(l))).toEqual(['TITLE:Chief engineer']);
    expect(onServer.join('')).not.toContain('Met at the fair');
    expect(onServer.join('')).not.toContain('ann@home.example');
    const local = (await localCards(page)).filter((c) => c.includes('FN:Ann Arbor'));
    expect(local).toHaveLength(1);
    expect(local[0]).toMatch(/^NOTE:Met at the fair$/m);
    expect(local[0]).toMatch(/^X-LOCAL-ONLY:yes$/m);
    expect(local[0]).not.toContain('Chief engineer');
    await expect(listRow(page, 'Ann Arbor')).toHaveCount(1);

    // A favourite as one person: the star does both cards; the Favourites view lists it once.
    await linkedView(page).getByRole('button', { name: 'Add to favourites' }).click();
    await expect(linkedView(page).getByRole('button', { name: 'Remove from favourites' })).toHaveAttribute('aria-pressed', 'true');
    await expect(listRow(page, 'Ann Arbor').getByRole('img', { name: 'Favourites' })).toBeVisible();
    await page.getByRole('navigation').getByRole('button', { name: 'Favourites', exact: true }).click();
    await expect(contactList(page).getByRole('option')).toHaveCount(1);
    await page.getByRole('navigation').getByRole('button', { name: 'On this computer', exact: true }).click();
    await expect(listRow(page, 'Ann Arbor').getByRole('img', { name: 'Favourites' })).toBeVisible();
    await page.getByRole('navigation').getByRole('button', { name: 'All contacts', exact: true }).click();
    await listRow(page, 'Ann Arbor').click();

    // Shared and exported as the one contact it is shown as: one card with both cards' e-mails, number and note.
    await linkedView(page).getByRole('button', { name: 'Share', exact: true }).click();
    const share = page.getByRole('dialog', { name: 'Share Ann Arbor' });
    const [shared] = await Promise.all([page.waitForEvent('download'), share.getByRole('button', { name: 'Save .vcf' }).click()]);
    await page.keyboard.press('Escape');
    // Export takes the view (one open contact is no selection): Ben and the linked Ann, once.
    const exported = await exportText(page);
    expect(parseVCards(exported).cards.map((c) => toContact(c.card).formattedName).sort()).toEqual(['Ann Arbor', 'Ben Bolt']);
    for (const text of [readFileSync((await shared.path())!, 'utf8'), exported]) {
      const cards = parseVCards(text).cards.map((c) => toContact(c.card)).filter((c) => c.formattedName === 'Ann Arbor');
      expect(cards).toHaveLength(1);
      expect(cards[0]!.emails.map((e) => e.value.toLowerCase()).sort()).toEqual(['ann@arbor.example', 'ann@home.example']);
      expect(cards[0]!.phones.map((p) => p.value)).toEqual(['+1 202 555 0147']);
      expect(cards[0]!.title).toBe('Chief engineer');
      expect(cards[0]!.note).toBe('Met at the fair');
    }

    // Unlink: two contacts again, no card changed; its undo links them again.
    await page.getByRole('button', { name: 'Unlink' }).click();
    await expect(listRow(page, 'Ann Arbor')).toHaveCount(2);
    await expect(page.locator('.list-count')).toHaveText('3 contacts');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(listRow(page, 'Ann Arbor')).toHaveCount(1);

    // Linked after a reload too (kept on this computer).
    await page.reload();
    await expect(listRow(page, 'Ann Arbor')).toHaveCount(1);
    await expect(page.locator('.list-count')).toHaveText('2 contacts');

    // Deleting asks which cards: only this computer's goes; the server's stays, there too.
    await listRow(page, 'Ann Arbor').click();
    await linkedView(page).getByRole('button', { name: 'Delete', exact: true }).click();
    const ask = page.getByRole('alertdialog', { name: 'Delete this linked contact?' });
    await expect(ask.getByRole('checkbox')).toHaveCount(2);
    await ask.getByRole('checkbox', { name: /in “On this computer”/ }).check();
    await ask.getByRole('checkbox', { name: /^(?!.*On this computer)/ }).uncheck();
    await ask.getByRole('button', { name: 'Delete 1 card' }).click();
    await expect(listRow(page, 'Ann Arbor')).toHaveCount(1);
    await expect(linkedView(page)).toHaveCount(0);
    expect((await localCards(page)).filter((c) => c.includes('FN:Ann Arbor'))).toHaveLength(0);
    await syncNow(page);
    expect((await serverCards(server)).filter((c) => c.includes('UID:ann-server'))).toHaveLength(1);

    // Restored from the trash after a restart: linked again, as one row, after another restart too.
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Trash', exact: true }).click();
    await page.getByRole('button', { name: 'Restore Ann Arbor' }).click();
    await expect(page.getByText('Ann Arbor is back')).toBeVisible();
    await page.getByRole('navigation').getByRole('button', { name: 'All contacts', exact: true }).click();
    await expect(listRow(page, 'Ann Arbor')).toHaveCount(1);
    await expect(page.locator('.list-count')).toHaveText('2 contacts');
    await page.reload();
    await expect(listRow(page, 'Ann Arbor')).toHaveCount(1);
    await listRow(page, 'Ann Arbor').click();
    await expect(linkedView(page).getByTestId('linked-card')).toHaveCount(2);
    await expect(cardIn(page, true)).toContainText('Met at the fair');
  });

  test('across Radicale and Xandikos: linked, each card edited, each server keeps its card with only its own edit; removing one account leaves the other card alone', async ({ app }) => {
    test.skip(app.harness === null, 'the servers run beside the harness');
    test.setTimeout(240_000);
    const radicale = await startRadicale();
    server = radicale;
    const xandikos = await startXandikos();
    try {
      const R_ANN = vcard3('ann-r', ['FN:Ann Arbor', 'N:Arbor;Ann;;;', 'EMAIL:ann@arbor.example', 'TEL;TYPE=work:+1 202 555 0147', 'X-ONLY-RADICALE:yes']);
      const X_ANN = vcard3('ann-x', ['FN:Ann Arbor', 'N:Arbor;Ann;;;', 'EMAIL:Ann@Arbor.example', 'TEL;TYPE=cell:+1 303 555 0199', 'X-ONLY-XANDIKOS:yes']);
      await radicale.seed([{ file: 'ann-r.vcf', vcard: R_ANN }, { file: 'ben.vcf', vcard: vcard3('ben', ['FN:Ben Bolt', 'N:Bolt;Ben;;;']) }]);
      await xandikos.seed([{ file: 'ann-x.vcf', vcard: X_ANN }, { file: 'cat.vcf', vcard: vcard3('cat', ['FN:Cat Cole', 'N:Cole;Cat;;;']) }]);
      const { page } = app;
      await addAccount(page, radicale);
      await addSecondAccount(page, xandikos);
      await expect(listRow(page, 'Ann Arbor')).toHaveCount(2);
      await openLinkReview(page, EN);
      await page.getByRole('button', { name: 'Link as one contact' }).click();
      await expect(page.getByTestId('dup-cluster')).toHaveCount(0);
      await page.keyboard.press('Escape');
      await expect(listRow(page, 'Ann Arbor')).toHaveCount(1);
      await expect(page.locator('.list-count')).toHaveText('3 contacts');

      await listRow(page, 'Ann Arbor').click();
      const onR = linkedView(page).getByTestId('linked-card').filter({ hasText: '+1 202 555 0147' });
      const onX = linkedView(page).getByTestId('linked-card').filter({ hasText: '+1 303 555 0199' });
      await expect(onR).toHaveCount(1);
      await expect(onX).toHaveCount(1);
      await onR.getByRole('button', { name: /^Edit in / }).click();
      await field(page, 'Job title').fill('Chief engineer');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(onR).toContainText('Chief engineer');
      await onX.getByRole('button', { name: /^Edit in / }).click();
      await field(page, 'Notes').fill('Met at the fair');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(onX).toContainText('Met at the fair');
      await expect(onR).not.toContainText('Met at the fair');

      // Each server: its two cards still, its Ann with every line and only its own edit.
      const added = async (s: TestServer, uid: string, seeded: string) => {
        const cards = await serverCards(s);
        const mine = cards.find((c) => c.includes(`UID:${uid}`));
        if (cards.length !== 2 || mine === undefined) return null;
        const lines = linesOf(mine);
        if (!linesOf(seeded).every((l) => lines.includes(l))) return null;
        return lines.filter((l) => !linesOf(seeded).includes(l) && !/^(REV|PRODID):/.test(l));
      };
      await syncAccount(page, radicale);
      await syncAccount(page, xandikos);
      await expect.poll(() => added(radicale, 'ann-r', R_ANN), { timeout: 30_000 }).toEqual(['TITLE:Chief engineer']);
      await expect.poll(() => added(xandikos, 'ann-x', X_ANN), { timeout: 30_000 }).toEqual(['NOTE:Met at the fair']);

      // Unlinked and linked again (its undo): still nothing for either server.
      await linkedView(page).getByRole('button', { name: 'Unlink' }).click();
      await expect(listRow(page, 'Ann Arbor')).toHaveCount(2);
      await page.getByRole('button', { name: 'Undo' }).click();
      await expect(listRow(page, 'Ann Arbor')).toHaveCount(1);
      await syncAccount(page, radicale);
      await syncAccount(page, xandikos);
      expect(await added(radicale, 'ann-r', R_ANN)).toEqual(['TITLE:Chief engineer']);
      expect(await added(xandikos, 'ann-x', X_ANN)).toEqual(['NOTE:Met at the fair']);

      // Xandikos's account removed: Radicale's Ann is a contact of its own, also after a reload.
      const xHost = new URL(xandikos.baseUrl).host;
      await page.getByRole('button', { name: `Remove ${xHost}`, exact: true }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Remove account', exact: true }).click();
      await expect(contactList(page).getByRole('option')).toHaveCount(2);
      await listRow(page, 'Ann Arbor').click();
      await expect(linkedView(page)).toHaveCount(0);
      await expect(page.getByRole('main')).toContainText('Chief engineer');
      await page.reload();
      await expect(listRow(page, 'Ann Arbor')).toHaveCount(1);
      expect(await added(radicale, 'ann-r', R_ANN)).toEqual(['TITLE:Chief engineer']);
    } finally {
      await xandikos.stop();
    }
  });

  test('the link review, the linked contact and the delete question in light, dark and Persian, at 1280×800 and 800×600, pass the accessibility gate', async ({ app }) => {
    test.skip(app.harness === null, 'the server runs beside the harness');
    test.setTimeout(180_000);
    server = await startRadicale();
    await server.seed([{ file: 'ann.vcf', vcard: SERVER_ANN }]);
    const { page } = app;
    await importCards(page, LOCAL_ANN, 1);
    await addAccount(page, server);
    await expect(listRow(page, 'Ann Arbor')).toHaveCount(2);
    await captureDialogVariants(page, 'link-review', (t) => openLinkReview(page, t));
    await openLinkReview(page, EN);
    await page.getByRole('button', { name: 'Link as one contact' }).click();
    await page.keyboard.press('Escape');
    await expect(listRow(page, 'Ann Arbor')).toHaveCount(1);
    await listRow(page, 'Ann Arbor').click();
    for (const variant of ['light', 'dark', 'persian'] as const) {
      await page.emulateMedia({ colorScheme: variant === 'dark' ? 'dark' : 'light' });
      if (variant === 'persian') await chooseLanguage(page, 'فارسی');
      await expect(linkedView(page)).toBeVisible();
      await captureScreen(page, 'linked-contact', variant, variant === 'light' ? { readme: { file: 'linked.png', size: 0 } } : {});
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await openSettings(page);
    await page.getByRole('dialog').getByRole('combobox').first().selectOption({ value: '' });
    await page.keyboard.press('Escape');
    await captureDialogVariants(page, 'link-delete', async (t) => {
      // A narrow window shows the list or the contact: the contact's view is open.
      await expect(linkedView(page)).toBeVisible();
      await linkedView(page).getByRole('button', { name: t('action.delete'), exact: true }).click();
      await expect(page.getByRole('alertdialog', { name: t('link.deleteTitle') })).toBeVisible();
    });
  });
});
