/**
 * Right to left and other scripts: Persian dates picked and shown in the Solar Hijri calendar and
 * stored Gregorian; values in another script isolated; Chinese conventions; search across
 * Simplified and Traditional characters and the field that matched.
 */
import { translator } from '../../renderer/src/i18n';
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import { card, contactList, exportText, field, importCards, listRow } from './helpers';
import { chooseLanguage } from './pages';

const fa = translator('fa');

test('Persian: a birthday picked as ۱ فروردین ۱۳۶۰ is stored as 1981-03-21 and shown back in Solar Hijri', async ({ app }) => {
  const { page } = app;
  await chooseLanguage(page, 'فارسی');
  await page.getByRole('button', { name: fa('action.new') }).click();
  await field(page, fa('field.given')).fill('Ada');
  await page.getByLabel(fa('date.month', { field: fa('field.birthday') })).selectOption({ label: 'فروردین' });
  await page.getByLabel(fa('date.day', { field: fa('field.birthday') })).fill('۱');
  await page.getByLabel(fa('date.year', { field: fa('field.birthday') })).fill('۱۳۶۰');
  await page.getByRole('button', { name: fa('action.save') }).click();
  await expect(page.getByText('۱ فروردین ۱۳۶۰')).toBeVisible();
  const vcf = await exportText(page, /^برون‌بری/);
  expect(vcf).toContain('BDAY:19810321');
  // Editing shows the Solar Hijri date it was picked as, not the Gregorian numbers.
  await page.getByRole('button', { name: fa('action.edit'), exact: true }).click();
  await expect(page.getByLabel(fa('date.year', { field: fa('field.birthday') }))).toHaveValue('۱۳۶۰');
  await expect(page.getByLabel(fa('date.day', { field: fa('field.birthday') }))).toHaveValue('۱');
});

test('Persian: a year-less Solar Hijri birthday says which Gregorian day it is kept as, and is kept as that day', async ({ app }) => {
  const { page } = app;
  await chooseLanguage(page, 'فارسی');
  await page.getByRole('button', { name: fa('action.new') }).click();
  await field(page, fa('field.given')).fill('Sara');
  await page.getByLabel(fa('date.month', { field: fa('field.birthday') })).selectOption({ label: 'فروردین' });
  await page.getByLabel(fa('date.day', { field: fa('field.birthday') })).fill('1');
  // 1 Farvardin is 20 or 21 March depending on the year (21 March in 1404–1406): the window says so.
  const hint = page.getByText(/بدون سال، این تاریخ به‌صورت ۲[۰۱] مارس میلادی ذخیره می‌شود/);
  await expect(hint).toBeVisible();
  await page.getByRole('button', { name: fa('action.save') }).click();
  await expect(page.getByText('۱ فروردین')).toBeVisible();
  expect(await exportText(page, /^برون‌بری/)).toMatch(/BDAY:--032[01]/);
});

test('Persian: a date that does not exist in Solar Hijri (31 Mehr) is refused at its field', async ({ app }) => {
  const { page } = app;
  await chooseLanguage(page, 'فارسی');
  await page.getByRole('button', { name: fa('action.new') }).click();
  await field(page, fa('field.given')).fill('Reza');
  await page.getByLabel(fa('date.month', { field: fa('field.birthday') })).selectOption({ label: 'مهر' });
  await page.getByLabel(fa('date.day', { field: fa('field.birthday') })).fill('۳۱');
  await page.getByRole('button', { name: fa('action.save') }).click();
  await expect(page.getByLabel(fa('date.month', { field: fa('field.birthday') }))).toHaveAccessibleDescription(fa('invalid.date'));
});

test('right to left: Latin names, phone numbers and e-mail addresses are isolated and read left to right', async ({ app }) => {
  const { page } = app;
  await chooseLanguage(page, 'فارسی');
  await importCards(page, card('r', 'FN:Ada Lovelace\nTEL:+44 20 7946 0000\nEMAIL:ada@example.org'), 1, fa('import.run', { count: 1 }));
  const row = page.getByRole('listbox').getByRole('option', { name: /Ada Lovelace/ });
  await expect(row.locator('bdi').first()).toHaveText('Ada Lovelace');
  await row.click();
  for (const value of ['+44 20 7946 0000', 'ada@example.org']) {
    const el = page.getByRole('button', { name: value, exact: true }).locator('bdi');
    await expect(el).toHaveAttribute('dir', 'ltr');
    expect(await el.evaluate((e) => getComputedStyle(e).direction)).toBe('ltr');
  }
  // The number's groups stay in order on screen: "+44" is left of "0000".
  const box = await page.getByRole('button', { name: '+44 20 7946 0000', exact: true }).boundingBox();
  expect(box!.height).toBeLessThan(30);
  const ink = await inkOrder(page.getByRole('button', { name: '+44 20 7946 0000', exact: true }), '+44 20 7946 0000');
  expect(ink.first).toBeLessThan(ink.last);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
});

/**
 * Where the first and the last character of `text` are drawn, in page x: measured per character
 * (Range.getClientRects), so it is the glyph order on screen, not a computed style.
 */
async function inkOrder(scope: Locator, text: string): Promise<{ first: number; last: number }> {
  return scope.evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
      const at = (n.textContent ?? '').indexOf(wanted);
      if (at < 0) continue;
      const x = (i: number) => {
        const range = document.createRange();
        range.setStart(n, i);
        range.setEnd(n, i + 1);
        return range.getClientRects()[0]!.x;
      };
      return { first: x(at), last: x(at + wanted.length - 1) };
    }
    throw new Error(`"${wanted}" is not on screen`);
  }, text);
}

test('Persian: phone numbers and e-mail addresses are drawn left to right in list rows, the detail view and the search match', async ({ app }) => {
  const { page } = app;
  await chooseLanguage(page, 'فارسی');
  await importCards(
    page,
    [
      card('p', 'FN:سارا کریمی\nTEL:+98 21 1234 5678'),
      card('w', 'FN:王小明\nTEL:+886 2 1234 5678\nitem1.TEL:+98 912 123 4567\nitem1.X-ABLabel:Tehran 021'),
      card('e', 'FN:Ada Lovelace\nEMAIL:ada@example.org'),
    ].join(''),
    3,
    fa('import.run', { count: 3 }),
  );
  const list = page.getByRole('listbox');
  await expect(list.getByRole('option')).toHaveCount(3);
  for (const [name, value] of [
    ['سارا کریمی', '+98 21 1234 5678'],
    ['王小明', '+886 2 1234 5678'],
    ['Ada Lovelace', 'ada@example.org'],
  ] as const) {
    const row = list.getByRole('option', { name: new RegExp(name) });
    const { first, last } = await inkOrder(row.locator('.list-sub'), value);
    expect(first, `${value} in the row of ${name}: its first character is drawn left of its last`).toBeLessThan(last);
    await row.click();
    const shown = await inkOrder(page.getByRole('main').getByRole('button', { name: value, exact: true }), value);
    expect(shown.first, `${value} in the detail view`).toBeLessThan(shown.last);
  }
  // The field that matched, shown in the row: a label with digits in it.
  await page.getByRole('searchbox').fill('tehran');
  const match = list.getByRole('option', { name: /王小明/ }).getByTestId('match');
  await expect(match).toContainText('Tehran 021');
  const m = await inkOrder(match, 'Tehran 021');
  expect(m.first).toBeLessThan(m.last);
  // The editor's inputs for numbers and addresses run left to right.
  await page.getByRole('searchbox').fill('');
  await list.getByRole('option', { name: /سارا کریمی/ }).click();
  await page.getByRole('button', { name: fa('action.edit'), exact: true }).click();
  const input = page.locator('input[type="tel"]').first();
  await expect(input).toHaveValue('+98 21 1234 5678');
  expect(await input.evaluate((e) => getComputedStyle(e).direction)).toBe('ltr');
});

test('Chinese: the editor asks the family name first, and Simplified Chinese lists names under their pinyin letter', async ({ app }) => {
  const { page } = app;
  await chooseLanguage(page, '简体中文');
  await importCards(page, [card('w', 'FN:王小明\nN:王;小明;;;'), card('z', 'FN:張三\nN:張;三;;;'), card('l', 'FN:李四\nN:李;四;;;')].join(''), 3, '导入 3 位新联系人');
  await expect(page.locator('.list-section')).toHaveText(['L', 'W', 'Z']);
  await page.getByRole('listbox').getByRole('option', { name: /王小明/ }).click();
  await page.getByRole('button', { name: '编辑', exact: true }).click();
  await expect(field(page, '姓')).toBeFocused();
});

test.describe('search', () => {
  test('finds addresses, groups, custom labels and notes, and says which field matched', async ({ app }) => {
    const { page } = app;
    await importCards(
      page,
      [
        card('1', 'FN:Ada Lovelace\nADR:;;12 St James’s Square;London;;;UK'),
        card('2', 'FN:Grace Hopper\nCATEGORIES:Navy friends'),
        card('3', 'FN:Alan Turing\nitem1.TEL:+44 1908 640404\nitem1.X-ABLabel:Bletchley hut'),
        card('4', 'FN:Émile Zola\nNOTE:Met him at the Dreyfus meeting in Paris.'),
      ].join(''),
      4,
    );
    const search = page.getByRole('searchbox', { name: 'Search contacts' });
    for (const [query, name, shown] of [
      ['london', 'Ada Lovelace', 'Address: 12 St James’s Square, London, UK'],
      ['james', 'Ada Lovelace', 'Address:'],
      ['navy', 'Grace Hopper', 'Group: Navy friends'],
      ['bletchley', 'Alan Turing', 'Label: Bletchley hut'],
      ['dreyfus', 'Émile Zola', 'Notes: …him at the Dreyfus meeting in Paris.'],
    ] as const) {
      await search.fill(query);
      await expect(contactList(page).getByRole('option')).toHaveCount(1);
      await expect(listRow(page, name).getByTestId('match')).toContainText(shown);
    }
    await search.fill('ada');
    await expect(listRow(page, 'Ada Lovelace').getByTestId('match')).toHaveCount(0); // the name is in view already
  });

  test('张 finds 張 and 陳 finds 陈: Simplified and Traditional Chinese fold together', async ({ app }) => {
    const { page } = app;
    await importCards(page, [card('t', 'FN:張三'), card('s', 'FN:陈美玲')].join(''), 2);
    const search = page.getByRole('searchbox', { name: 'Search contacts' });
    await search.fill('张');
    await expect(contactList(page).getByRole('option')).toHaveCount(1);
    await expect(listRow(page, '張三')).toBeVisible();
    await search.fill('陳美');
    await expect(listRow(page, '陈美玲')).toBeVisible();
  });
});
