import { Converter } from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { deriveListFields, withoutHonorifics } from '../../../shared/book/derive';
import { foldForSearch, matchedField } from '../../../shared/search';
import { SIMPLIFIED, TRADITIONAL } from '../../../shared/search/han-table';
import { parseVCard } from '../../../shared/vcard';
import type { ContactRow } from '../../../renderer/src/db/schema';
import { upcomingBirthdays } from '../../../renderer/src/features/birthdays/upcoming';
import { nextPosition, typeAhead } from '../../../renderer/src/features/contacts/list-keys';
import { ContactIndex, sectionOf } from '../../../renderer/src/store/contact-index';

const fields = (lines: string) => deriveListFields(parseVCard(`BEGIN:VCARD\r\nVERSION:4.0\r\n${lines.split('\n').join('\r\n')}\r\nEND:VCARD\r\n`));
const row = (id: string, lines: string): ContactRow => ({ id, bookId: 'local', favorite: 0, pending: '', updatedAt: 0, ...fields(lines) });

describe('names in the list', () => {
  it('honorifics never decide the sort key or the section', () => {
    expect(withoutHonorifics('Dr. Zoë Núñez')).toBe('Zoë Núñez');
    expect(withoutHonorifics('Prof. Dr. Ada')).toBe('Ada');
    expect(withoutHonorifics('Mr')).toBe('Mr'); // a name that is only a title stays
    expect(fields('FN:Dr. Zoë Núñez').sortName).toBe('Zoë Núñez');
    expect(fields('FN:Dr. Zoë Núñez\nN:Núñez;Zoë;;Dr.;').sortName).toBe('Zoë Núñez');
    expect(sectionOf(fields('FN:Dr. Zoë Núñez\nN:Núñez;Zoë;;Dr.;').sortName)).toBe('Z');
  });

  it('last-first: “Lovelace, Ada” and a family-name sort key; CJK names keep their own order', () => {
    const ada = fields('FN:Ada Lovelace\nN:Lovelace;Ada;Augusta;;');
    expect(ada.displayNameLast).toBe('Lovelace, Ada Augusta');
    expect(ada.sortNameLast).toBe('Lovelace Ada Augusta');
    const wang = fields('FN:王小明\nN:王;小明;;;');
    expect(wang.displayNameLast).toBe('王小明');
    expect(wang.sortName).toBe('王小明');
  });

  it('sorts by first or by family name, as the settings say', () => {
    const idx = new ContactIndex('en');
    idx.load([row('1', 'FN:Ada Lovelace\nN:Lovelace;Ada;;;'), row('2', 'FN:Alan Turing\nN:Turing;Alan;;;'), row('3', 'FN:Grace Hopper\nN:Hopper;Grace;;;')]);
    expect(idx.query('', null).map((r) => r.id)).toEqual(['1', '2', '3']);
    idx.setSortField('sortNameLast');
    expect(idx.query('', null).map((r) => r.id)).toEqual(['3', '1', '2']);
  });

  it('Simplified Chinese sections are pinyin letters; Traditional keeps the surname', () => {
    expect(sectionOf('王小明', 'zh-CN')).toBe('W');
    expect(sectionOf('張三', 'zh-CN')).toBe('Z');
    expect(sectionOf('陳美玲', 'zh-TW')).toBe('陳');
    expect(sectionOf('Émile', 'zh-CN')).toBe('E');
  });
});

describe('search', () => {
  it('finds addresses, groups, custom labels, related people and notes', () => {
    const idx = new ContactIndex('en');
    idx.load([
      row('a', 'FN:Ada\nADR:;;12 Long Street;Zürich;;;CH'),
      row('b', 'FN:Bob\nCATEGORIES:Chess club'),
      row('c', 'FN:Cy\nitem1.EMAIL:cy@example.org\nitem1.X-ABLabel:Allotment'),
      row('d', 'FN:Di\nRELATED:Edsger Dijkstra'),
      row('e', 'FN:Ed\nNOTE:owes me a book'),
    ]);
    expect(idx.query('zurich', null).map((r) => r.id)).toEqual(['a']);
    expect(idx.query('long street', null).map((r) => r.id)).toEqual(['a']);
    expect(idx.query('chess', null).map((r) => r.id)).toEqual(['b']);
    expect(idx.query('allotment', null).map((r) => r.id)).toEqual(['c']);
    expect(idx.query('dijkstra', null).map((r) => r.id)).toEqual(['d']);
    expect(idx.query('book', null).map((r) => r.id)).toEqual(['e']);
    // A query never matches across two fields.
    expect(idx.query('chd', null)).toEqual([]);
  });

  it('“soren” finds Søren, “strasse” a Straße in the address (named as written), “lodz” Łódź; sections take one letter (Æ under A)', () => {
    const idx = new ContactIndex('en');
    idx.load([
      row('s', 'FN:Søren Kierkegaard'),
      row('a', 'FN:Ada\nADR:;;12 Hauptstraße;Berlin;;;DE'),
      row('l', 'FN:Łukasz\nORG:Łódź Works'),
      row('e', 'FN:Ærøskøbing Ferry'),
    ]);
    expect(idx.query('soren', null).map((r) => r.id)).toEqual(['s']);
    expect(idx.query('Søren', null).map((r) => r.id)).toEqual(['s']);
    expect(idx.query('hauptstrasse', null).map((r) => r.id)).toEqual(['a']);
    expect(idx.query('lodz', null).map((r) => r.id)).toEqual(['l']);
    expect(idx.query('aeroskobing', null).map((r) => r.id)).toEqual(['e']);
    const a = row('a', 'FN:Ada\nADR:;;12 Hauptstraße;Berlin;;;DE');
    expect(matchedField(a.search, a.details, 'strasse')).toEqual({ kind: 'address', text: '12 Hauptstraße, Berlin, DE' });
    const n = row('n', 'FN:Nora\nNOTE:Lives on the Große Straße near the old mill by the river.');
    expect(matchedField(n.search, n.details, 'strasse')?.text).toBe('…on the Große Straße near the old mill…');
    expect(sectionOf('Ærøskøbing')).toBe('A');
    expect(sectionOf('Łukasz')).toBe('L');
    expect(sectionOf('Øystein')).toBe('O');
  });

  it('typing on narrows the last word’s rows and finds exactly what a fresh search finds', () => {
    const rows = Array.from({ length: 400 }, (_, i) => row(String(i), `FN:Person ${i}\nADR:;;${i} Long Street;${['London', 'Lagos', 'Lima'][i % 3]};;;`));
    const typed = new ContactIndex('en');
    typed.load(rows);
    const fresh = new ContactIndex('en');
    fresh.load(rows);
    for (const q of ['l', 'lo', 'lon', 'lond', 'london', 'london 1', 'london 12']) {
      const expected = fresh.query(q, null).map((r) => r.id);
      expect(typed.query(q, null).map((r) => r.id), q).toEqual(expected);
      fresh.load(rows); // a new index each time: nothing remembered
    }
  });

  it('names the field that matched, as written, unless the row shows it already', () => {
    const r = row('a', 'FN:Ada Lovelace\nADR:;;12 Long Street;Zürich;;;CH\nNOTE:Wrote the first published program for the engine.');
    expect(matchedField(r.search, r.details, 'zurich')).toEqual({ kind: 'address', text: '12 Long Street, Zürich, CH' });
    expect(matchedField(r.search, r.details, 'ada zurich')).toEqual({ kind: 'address', text: '12 Long Street, Zürich, CH' });
    expect(matchedField(r.search, r.details, 'published')?.text).toBe('Wrote the first published program for the engine.');
    expect(matchedField(r.search, r.details, 'ada')).toBeNull();
  });

  it('a match in a card’s second e-mail names that e-mail, not the first the row shows; one in the shown e-mail names nothing', () => {
    const r = row('m', 'FN:Many Mails\n' + Array.from({ length: 2000 }, (_, i) => `EMAIL:person${i}@example.org`).join('\n'));
    expect(matchedField(r.search, r.details, 'person1234@', r.email)).toEqual({ kind: 'email', text: 'person1234@example.org' });
    expect(matchedField(r.search, r.details, 'person0@', r.email)).toBeNull();
    // A row that shows its organisation shows no e-mail: a match in the first is named too.
    const o = row('o', 'FN:Ada Lovelace\nORG:Analytical Engines\nEMAIL:ada@example.org');
    expect(matchedField(o.search, o.details, 'ada@', '')).toEqual({ kind: 'email', text: 'ada@example.org' });
  });

  it('folds Traditional to Simplified Han with OpenCC’s table: 張 and 张 match', () => {
    expect(foldForSearch('張三')).toBe(foldForSearch('张三'));
    expect(foldForSearch('臺灣')).toBe(foldForSearch('台湾'));
    const idx = new ContactIndex('zh-TW');
    idx.load([row('z', 'FN:張三')]);
    expect(idx.query('张', null).map((r) => r.id)).toEqual(['z']);
  });

  it('the generated table agrees with opencc-js character by character', () => {
    const t2s = Converter({ from: 't', to: 'cn' });
    const from = [...TRADITIONAL];
    const to = [...SIMPLIFIED];
    expect(from.length).toBe(to.length);
    let agree = 0;
    from.forEach((ch, i) => {
      if (t2s(ch) === to[i]) agree++;
    });
    // Taiwan and Hong Kong variants fold further than plain Traditional → Simplified.
    expect(agree / from.length).toBeGreaterThan(0.97);
    for (const [tr, si] of [['張', '张'], ['陳', '陈'], ['黃', '黄'], ['劉', '刘'], ['趙', '赵'], ['鄭', '郑']]) expect(to[from.indexOf(tr!)]).toBe(si);
  });
});

describe('the list keyboard', () => {
  it('moves by arrows, Home, End and pages, within the list', () => {
    expect(nextPosition('ArrowDown', -1, 10, 5)).toBe(0);
    expect(nextPosition('ArrowDown', 9, 10, 5)).toBe(9);
    expect(nextPosition('ArrowUp', 0, 10, 5)).toBe(0);
    expect(nextPosition('End', 3, 10, 5)).toBe(9);
    expect(nextPosition('Home', 3, 10, 5)).toBe(0);
    expect(nextPosition('PageDown', 3, 10, 5)).toBe(8);
    expect(nextPosition('PageDown', 8, 10, 5)).toBe(9);
    expect(nextPosition('PageUp', 3, 10, 5)).toBe(0);
    expect(nextPosition('Home', -1, 0, 5)).toBe(-1);
  });

  it('type-ahead finds the first name with the typed prefix, ignoring case and accents', () => {
    const keys = ['Ada', 'Alan', 'Émile', 'Grace', 'Zoë', ''];
    const c = new Intl.Collator('en', { sensitivity: 'base' });
    expect(typeAhead(keys.length, (i) => keys[i]!, 'al', c)).toBe(1);
    expect(typeAhead(keys.length, (i) => keys[i]!, 'e', c)).toBe(2);
    expect(typeAhead(keys.length, (i) => keys[i]!, 'zo', c)).toBe(4);
    expect(typeAhead(keys.length, (i) => keys[i]!, 'q', c)).toBe(-1);
  });
});

describe('upcoming birthdays', () => {
  it('the next 30 days, soonest first, year-less included, 29 February on the 28th in other years', () => {
    const today = new Date(2027, 1, 20); // 20 February 2027
    const rows = [row('a', 'FN:A\nBDAY:1990-02-25'), row('b', 'FN:B\nBDAY:--0221'), row('c', 'FN:C\nBDAY:2000-02-29'), row('d', 'FN:D\nBDAY:--0401'), row('e', 'FN:E\nBDAY:--0220')];
    const up = upcomingBirthdays(rows, today);
    expect(up.map((u) => [u.row.id, u.inDays, u.turns])).toEqual([
      ['e', 0, null],
      ['b', 1, null],
      ['a', 5, 37],
      ['c', 8, 27],
    ]);
  });
});
