import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printHtml, printLayout, printLayoutInSlices, type PrintTextKey } from '../../../shared/print';

const FA: Record<PrintTextKey, string> = {
  name: 'نام', phones: 'تلفن‌ها', emails: 'ایمیل‌ها', addresses: 'نشانی‌ها', websites: 'وب‌سایت‌ها', birthday: 'تولد', anniversary: 'سالگرد', note: 'یادداشت', none: 'مخاطبی نیست',
  'type.cell': 'همراه', 'type.home': 'خانه', 'type.work': 'محل کار', 'type.fax': 'فکس', 'type.pager': 'پیجر', 'type.other': 'دیگر',
};
const EN: Record<PrintTextKey, string> = {
  name: 'Name', phones: 'Phones', emails: 'E-mail', addresses: 'Addresses', websites: 'Websites', birthday: 'Birthday', anniversary: 'Anniversary', note: 'Note', none: 'No contacts',
  'type.cell': 'mobile', 'type.home': 'home', 'type.work': 'work', 'type.fax': 'fax', 'type.pager': 'pager', 'type.other': 'other',
};

const card = (...lines: string[]) => `BEGIN:VCARD\r\nVERSION:3.0\r\n${lines.map((l) => `${l}\r\n`).join('')}END:VCARD\r\n`;
const book = [
  card('FN:مریم میرزاخانی', 'N:میرزاخانی;مریم;;;', 'TEL;TYPE=cell:+98 912 345 6789', 'TEL;TYPE=work:+98 21 6616 0000', 'EMAIL:maryam@example.ir', 'ORG:دانشگاه استنفورد', 'BDAY:1977-05-12'),
  card('FN:علی رضایی', 'TEL;TYPE=home:021-8888-7777', 'EMAIL:ali.rezaei@example.ir'),
  card('FN:آرش کمانگیر', 'TEL;TYPE=cell:+98 935 000 1122'),
  card('FN:王小明', 'TEL:+86 138 0013 8000', 'EMAIL:wang@example.cn'),
  card('FN:Grace Hopper', 'TEL;TYPE=work:+1 202 555 0100', 'EMAIL:grace@navy.example', 'NOTE:<script>alert(1)</script>'),
  card('FN:بی‌شماره', 'NOTE:no phone or e-mail'),
];

describe('the phone list', () => {
  const doc = printLayout(book, { layout: 'phone-list', lang: 'fa', title: 'فهرست تلفن', text: (k) => FA[k] });

  it('is right to left in Persian, sorted in Persian order, one row per contact with a number or address', () => {
    expect([doc.lang, doc.dir]).toEqual(['fa', 'rtl']);
    const names = [...doc.body.matchAll(/<div class="name"><bdi>([^<]*)<\/bdi>/g)].map((m) => m[1]!);
    expect(names).toEqual([...names].sort(new Intl.Collator('fa').compare));
    expect(names).toHaveLength(5);
    expect(names.indexOf('آرش کمانگیر')).toBeLessThan(names.indexOf('علی رضایی'));
  });

  it('keeps phone numbers and addresses left to right inside the right-to-left page', () => {
    expect(doc.body).toContain('<span class="kind">همراه</span><span class="ltr number" dir="ltr">+98 912 345 6789</span>');
    expect(doc.body).toContain('<span class="ltr" dir="ltr">maryam@example.ir</span>');
    expect(doc.css).toContain('unicode-bidi: isolate');
  });

  it('uses logical CSS properties only, so the layout mirrors by itself', () => {
    expect(doc.css).not.toMatch(/\b(margin|padding|border)-(left|right)\b|text-align: (left|right)|float:/);
  });

  it('picks fonts for the language: Arabic-script fonts first in Persian, CJK by variant', () => {
    expect(doc.css).toMatch(/font: 10.5pt\/1.4 Vazirmatn, "Noto Naskh Arabic"/);
    expect(printLayout(book, { layout: 'phone-list', lang: 'zh-TW', title: 't', text: (k) => EN[k] }).css).toMatch(/font: [^;]*"Noto Sans CJK TC"/);
  });

  it('escapes everything from the cards: a note cannot become markup', () => {
    const cards = printLayout(book, { layout: 'cards', lang: 'en', title: 'All <cards>', text: (k) => EN[k] });
    expect(cards.body).not.toContain('<script>');
    expect(cards.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(cards.body).toContain('<h1>All &lt;cards&gt;</h1>');
    expect(printHtml(cards)).not.toMatch(/<script/i);
  });
});

describe('full cards', () => {
  it('show every field with its label, dates in the language', () => {
    const en = printLayout(book, { layout: 'cards', lang: 'en', title: 'Cards', text: (k) => EN[k] });
    expect([en.dir, (en.body.match(/<article>/g) ?? []).length]).toEqual(['ltr', 6]);
    expect(en.body).toContain('<dt>Birthday</dt><dd>May 12, 1977</dd>');
    const fa = printLayout(book, { layout: 'cards', lang: 'fa', title: 'کارت‌ها', text: (k) => FA[k] });
    expect(fa.body).toContain(`<dt>تولد</dt><dd>${new Intl.DateTimeFormat('fa', { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(1977, 4, 12))}</dd>`);
  });

  it('laid out in slices (main) it is the same document as at once (the worker), pausing between slices', async () => {
    const many = Array.from({ length: 4500 }, (_, i) => card(`FN:مخاطب ${i}`, `TEL:+98 912 000 ${String(i).padStart(4, '0')}`, 'BDAY:1981-03-21'));
    let pauses = 0;
    for (const layout of ['phone-list', 'cards'] as const) {
      const o = { layout, lang: 'fa', title: 'فهرست', text: (k: PrintTextKey) => FA[k] };
      expect(await printLayoutInSlices(many, o, async () => void (pauses += 1))).toEqual(printLayout(many, o));
    }
    expect(pauses).toBe(2 * (9 + 2)); // every 500 read, every 2,000 written
  });

  it('a birthday with only a year prints in Persian digits on a Persian card (۱۹۸۰, not 1980)', () => {
    const fa = printLayout([card('FN:یاسمن', 'BDAY:1980')], { layout: 'cards', lang: 'fa', title: 'کارت‌ها', text: (k) => FA[k] });
    expect(fa.body).toContain('<dd>۱۹۸۰</dd>');
    const en = printLayout([card('FN:Yasmin', 'BDAY:1980')], { layout: 'cards', lang: 'en', title: 'Cards', text: (k) => FA[k] });
    expect(en.body).toContain('<dd>1980</dd>');
  });
});

const chromium = process.env.CARDINAL_CHROMIUM ?? '/usr/bin/chromium';

describe('a Persian phone list printed to PDF by Chromium', () => {
  it('renders script-free HTML to a PDF whose pages convert to images and carry the numbers', () => {
    expect(existsSync(chromium), `${chromium} is needed (scripts/prepare-test-env.mjs installs it)`).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'cardinal-print-'));
    const many = Array.from({ length: 60 }, (_, i) => card(`FN:مخاطب شماره ${i + 1}`, `TEL;TYPE=cell:+98 912 000 ${String(i).padStart(4, '0')}`, `EMAIL:user${i}@example.ir`));
    const html = printHtml(printLayout([...book, ...many], { layout: 'phone-list', lang: 'fa', title: 'فهرست تلفن', text: (k) => FA[k] }));
    expect(html).not.toMatch(/<script/i);
    writeFileSync(join(dir, 'list.html'), html);
    execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${join(dir, 'list.pdf')}`, `file://${join(dir, 'list.html')}`], { stdio: 'ignore', timeout: 60_000 });
    const info = execFileSync('pdfinfo', [join(dir, 'list.pdf')], { encoding: 'utf8' });
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeGreaterThanOrEqual(2); // the header repeats on each page
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'list.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('+98 912 345 6789');
    expect(text).toContain('user59@example.ir');
    execFileSync('pdftoppm', ['-png', '-r', '60', join(dir, 'list.pdf'), join(dir, 'page')]);
    expect(readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png')).length).toBeGreaterThanOrEqual(2);
    // Kept for a person to look at: CARDINAL_PRINT_DIR=... npx vitest run tests/unit/print
    if (process.env.CARDINAL_PRINT_DIR !== undefined) execFileSync('cp', ['-r', `${dir}/.`, process.env.CARDINAL_PRINT_DIR]);
  }, 90_000);
});

describe('bad input a stranger prints', () => {
  it('a contact with no name, shown by its number, keeps the number left to right on a Persian page (it read "0100 555 202 1+")', () => {
    const noName = card('TEL:+1 202 555 0100');
    for (const layout of ['phone-list', 'cards'] as const) {
      const doc = printLayout([noName, book[0]!], { layout, lang: 'fa', title: 't', text: (k) => FA[k] });
      expect(doc.body).toContain('<bdi dir="ltr">+1 202 555 0100</bdi>');
      expect(doc.body).toContain('<bdi>مریم میرزاخانی</bdi>'); // a name with letters keeps its own direction
    }
  });

  it('a card with a 2,000-character note breaks across columns instead of leaving the first page half empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cardinal-print-'));
    const note = 'یادداشت طولانی with English words and ۱۲۳ numbers. '.repeat(40).slice(0, 2000);
    const cards = [card('FN:Ada Lovelace', 'TEL:+44 20 7946 0000'), card('FN:Grace Hopper', 'TEL:+1 202 555 0100'), card('FN:Leap Day', 'BDAY:1992-02-29'), card('FN:Long Note', `NOTE:${note}`, 'EMAIL:long@example.org')];
    const html = printHtml(printLayout(cards, { layout: 'cards', lang: 'fa', title: 'کارت‌ها', text: (k) => FA[k] }));
    writeFileSync(join(dir, 'cards.html'), html);
    execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${join(dir, 'cards.pdf')}`, `file://${join(dir, 'cards.html')}`], { stdio: 'ignore', timeout: 60_000 });
    const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', join(dir, 'cards.pdf'), '-'], { encoding: 'utf8' });
    expect(first).toContain('Long Note');
    expect(first).toContain('long@example.org');
  }, 90_000);
});

describe('full cards in Traditional Chinese and in Persian printed to PDF by Chromium', () => {
  const ZH: Record<PrintTextKey, string> = {
    name: '姓名', phones: '電話', emails: '電子郵件', addresses: '地址', websites: '網站', birthday: '生日', anniversary: '紀念日', note: '備註', none: '沒有聯絡人',
    'type.cell': '手機', 'type.home': '住家', 'type.work': '公司', 'type.fax': '傳真', 'type.pager': '呼叫器', 'type.other': '其他',
  };
  const cards = [
    card('FN:陳美玲', 'N:陳;美玲;;;', 'TEL;TYPE=cell:+886 912 345 678', 'EMAIL:meiling@example.tw', 'ADR;TYPE=home:;;忠孝東路四段 100 號;台北市;;106;台灣', 'BDAY:1981-03-21', 'NOTE:喜歡烏龍茶'),
    card('FN:مریم میرزاخانی', 'TEL;TYPE=work:+98 21 6616 0000', 'BDAY:1977-05-12', 'NOTE:ریاضی‌دان'),
    card('FN:Ada Lovelace', 'TEL;TYPE=home:+44 20 7946 0000', 'BDAY:--12-10'),
  ];

  it.each([
    ['zh-TW', ZH, ['陳美玲', '忠孝東路四段', '1981年3月21日', '喜歡烏龍茶']],
    ['fa', FA, ['+98 21 6616 0000', '+886 912 345 678']],
  ] as const)('%s: the cards come out as text in their own script, dates as the language writes them', (lang, words, expected) => {
    const dir = mkdtempSync(join(tmpdir(), 'cardinal-print-'));
    const html = printHtml(printLayout(cards, { layout: 'cards', lang, title: lang === 'fa' ? 'کارت‌ها' : '聯絡人卡片', text: (k) => words[k] }));
    writeFileSync(join(dir, `cards-${lang}.html`), html);
    execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${join(dir, `cards-${lang}.pdf`)}`, `file://${join(dir, `cards-${lang}.html`)}`], { stdio: 'ignore', timeout: 60_000 });
    const text = execFileSync('pdftotext', ['-layout', join(dir, `cards-${lang}.pdf`), '-'], { encoding: 'utf8' });
    for (const w of expected) expect(text).toContain(w);
    if (lang === 'fa') expect(text).not.toMatch(/19(77|81)/); // Solar Hijri years in Persian digits
    execFileSync('pdftoppm', ['-png', '-r', '60', join(dir, `cards-${lang}.pdf`), join(dir, `cards-${lang}`)]);
    expect(readdirSync(dir).some((f) => f.endsWith('.png'))).toBe(true);
    if (process.env.CARDINAL_PRINT_DIR !== undefined) execFileSync('cp', ['-r', `${dir}/.`, process.env.CARDINAL_PRINT_DIR]);
  }, 90_000);
});
