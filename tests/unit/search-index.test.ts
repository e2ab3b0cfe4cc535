import { describe, expect, it } from 'vitest';
import { deriveListFields } from '../../shared/book/derive';
import { asciiDigits, foldForSearch, phoneDigits } from '../../shared/search/normalize';
import { members } from '../../shared/search/row-set';
import { TokenIndexBuilder } from '../../shared/search/token-index';
import { parseVCard } from '../../shared/vcard';
import type { ContactRow } from '../../renderer/src/db/schema';
import { ContactIndex } from '../../renderer/src/store/contact-index';

// Search is checked against the plainest statement of what it means: every folded query word is
// in the row's search text, or the query is a phone number (digits and its punctuation) and its
// digits (three or more) are in one of its phone numbers.
function expected(rows: readonly ContactRow[], q: string): string[] {
  const folded = foldForSearch(q);
  const words = folded === '' ? [] : folded.split(' ');
  const digits = phoneDigits(q);
  return rows.filter((r) => words.length === 0 || words.every((w) => r.search.includes(w)) || (digits.length >= 3 && /^[+＋]?[\d\s().\-/]+$/.test(asciiDigits(q.normalize('NFKC')).trim()) && r.phones.includes(digits))).map((r) => r.id);
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const GIVEN = ['Ada', 'Grace', 'Zoë', 'José', 'Małgorzata', 'سارا', 'علی', '小明', '美玲', 'Søren', 'Ｔａｒｏ', "O'Brien"];
const FAMILY = ['Lovelace', 'Hopper', 'Núñez', 'Kowalska', 'کریمی', '王', '陳', '張', 'Kierkegaard', 'Smith-Jones'];
const CITY = ['London', 'Zürich', 'تهران', '台北', 'São Paulo', 'Lagos'];
const NOTES = ['Met at the conference, talked about CardDAV; follow up.', 'owes me a book', 'e-mail first!', '۱۲ اردیبهشت', ''];

function card(i: number, r: () => number): ContactRow {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const given = pick(GIVEN);
  const family = pick(FAMILY);
  const n = String(i).padStart(5, '0');
  const lines = [
    `FN:${given} ${family}`,
    `N:${family};${given};;;`,
    `ORG:Works ${i % 13}`,
    `EMAIL:${given.toLowerCase()}.${n}@example.org`,
    `TEL:+1 (555) ${n.slice(0, 3)}-${n.slice(2)}`,
    r() < 0.5 ? `TEL:۰۹۱۲ ۳۴۵ ${n.slice(1)}` : '',
    `ADR:;;${i % 50} Long Street;${pick(CITY)};;${10000 + i};`,
    r() < 0.7 ? `CATEGORIES:${pick(['friends', 'chess club', 'family'])}` : '',
    `NOTE:${pick(NOTES)}`,
  ].filter((l) => l !== '' && l !== 'NOTE:');
  return { id: `c${n}`, bookId: i % 5 === 0 ? 'work' : 'local', favorite: i % 7 === 0 ? 1 : 0, pending: '', updatedAt: 0, ...deriveListFields(parseVCard(`BEGIN:VCARD\r\nVERSION:4.0\r\n${lines.join('\r\n')}\r\nEND:VCARD\r\n`)) };
}

function book(count: number, seed = 1): ContactRow[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => card(i, r));
}

/** Queries people type: pieces of the rows' own text (with punctuation, digits, any script), and words no row has. */
function queries(rows: readonly ContactRow[], count: number, seed = 2): string[] {
  const r = rng(seed);
  const out = ['', ' ', 'a', 'e', '@', '.', '-', "'", ',', '王', '张', '陈', 'zoe', 'ZOË', 'nunez', 'علي', 'كريمي', '555', '(555) 000', '555-00', '۰۹۱۲', '0912', 'chess', 'chess club', 'example.org', '@example', 'o’brien', "o'brien", 'smith-j', 'taro', 'nobody', 'q', 'zz', 'long street 1', '1', 'conference, talked', 'friends family'];
  while (out.length < count) {
    const text = rows[Math.floor(r() * rows.length)]!.details + ' ' + rows[Math.floor(r() * rows.length)]!.displayName;
    const from = Math.floor(r() * text.length);
    const piece = text.slice(from, from + 1 + Math.floor(r() * 9)).replace(/\p{Cc}/gu, ' '); // the fields' marks: a query never holds them
    out.push(r() < 0.3 ? `${piece} ${out[Math.floor(r() * out.length)]!}` : piece);
  }
  return out;
}

describe('the search index', () => {
  it('finds exactly what searching every row finds, for pasted and typed queries', async () => {
    const rows = book(600);
    const idx = new ContactIndex('en');
    idx.load(rows);
    await idx.whenIndexed();
    const sorted = idx.query('', null);
    for (const q of queries(rows, 400)) {
      expect(idx.query(q, null).map((r) => r.id), q).toEqual(expected(sorted, q));
      // Typed a character at a time: each keystroke narrows from what the last ones found.
      for (let i = 1; i < q.length; i += 3) expect(idx.query(q.slice(0, i), null).map((r) => r.id), q.slice(0, i)).toEqual(expected(sorted, q.slice(0, i)));
    }
  });

  it('answers before it is built, and the same after', async () => {
    const rows = book(300, 5);
    const idx = new ContactIndex('en');
    idx.load(rows);
    const qs = queries(rows, 60, 6);
    const before = qs.map((q) => idx.query(q, null).map((r) => r.id));
    await idx.whenIndexed();
    expect(qs.map((q) => idx.query(q, null).map((r) => r.id))).toEqual(before);
  });

  it('a row added after the build is found at once, in its place in the list', async () => {
    const rows = book(300, 3);
    const idx = new ContactIndex('en');
    idx.load(rows);
    await idx.whenIndexed();
    const added = { ...card(9999, rng(4)), id: 'new', ...deriveListFields(parseVCard('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Quimby\r\nEMAIL:ada@quimby.example\r\nEND:VCARD\r\n')) };
    idx.upsert([added]);
    expect(idx.query('quimby', null).map((r) => r.id)).toEqual(['new']);
    const sorted = idx.query('', null);
    for (const q of ['ada', 'a', 'quimby.ex', '@']) expect(idx.query(q, null).map((r) => r.id), q).toEqual(expected(sorted, q));
  });

  it('a row changed after the build is found by its new text and no longer by its old; a removed one not at all', async () => {
    const rows = book(300, 7);
    const idx = new ContactIndex('en');
    idx.load(rows);
    await idx.whenIndexed();
    const target = rows[42]!;
    const renamed = { ...target, ...deriveListFields(parseVCard('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Xavier Quimby\r\nTEL:+44 20 7946 0991\r\nEND:VCARD\r\n')) };
    idx.upsert([renamed]);
    expect(idx.query('quimby', null).map((r) => r.id)).toEqual([target.id]);
    expect(idx.query('2079460991', null).map((r) => r.id)).toEqual([target.id]);
    expect(idx.query(target.search.slice(1).split(' ')[0]!, null).map((r) => r.id)).not.toContain(target.id);
    idx.remove([rows[7]!.id]);
    expect(idx.query(rows[7]!.displayName, null).map((r) => r.id)).not.toContain(rows[7]!.id);
    const sorted = idx.query('', null);
    for (const q of queries(rows, 80, 8)) expect(idx.query(q, null).map((r) => r.id), q).toEqual(expected(sorted, q));
  });

  it('after many changes it builds itself again, and still finds exactly what it should', async () => {
    const rows = book(700, 9);
    const idx = new ContactIndex('en');
    idx.load(rows);
    await idx.whenIndexed();
    const first = idx.lastBuild;
    // Every row changed, in batches as a sync applies them: past the rebuild threshold (500) after
    // the sixth, and the last batch comes after that build began, so it is searched one by one.
    const r = rng(10);
    const changed = rows.map((row, i) => ({ ...card(i + 1000, r), id: row.id }));
    for (let b = 0; b < changed.length; b += 100) idx.upsert(changed.slice(b, b + 100));
    await idx.whenIndexed();
    expect(idx.lastBuild).not.toBe(first);
    const sorted = idx.query('', null);
    for (const q of queries(sorted, 120, 11)) expect(idx.query(q, null).map((x) => x.id), q).toEqual(expected(sorted, q));
  });

  it('while a sync’s batches come it is built again a few times, not after every batch, and finds every row all along', async () => {
    const rows = book(6000, 14);
    const idx = new ContactIndex('en');
    idx.load([]);
    await idx.whenIndexed();
    const builds = new Set<unknown>();
    for (let b = 0; b < rows.length; b += 500) {
      idx.expectMore(b + 500 < rows.length);
      idx.upsert(rows.slice(b, b + 500));
      // Between batches the page is idle (the next one is on its way): a build started may finish.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await idx.whenIndexed();
      if (idx.lastBuild !== null) builds.add(idx.lastBuild);
      const sorted = idx.query('', null);
      for (const q of queries(sorted, 6, b)) expect(idx.query(q, null).map((x) => x.id), q).toEqual(expected(sorted, q));
    }
    // Past a sixteenth of the list changed, it would be built after nearly every batch (11 of 12).
    expect(builds.size).toBeGreaterThan(0);
    expect(builds.size).toBeLessThanOrEqual(4);
  });

  it('keeps the filters: a book, favourites, hidden deletions', async () => {
    const rows = book(200, 12).map((r, i) => (i % 11 === 0 ? { ...r, pending: 'deleted' as const } : r));
    const idx = new ContactIndex('en');
    idx.load(rows);
    await idx.whenIndexed();
    const sorted = idx.snapshot();
    for (const q of ['', 'a', 'long street', 'friends', '555']) {
      const want = expected(sorted, q);
      const shown = (keep: (r: ContactRow) => boolean) => sorted.filter((r) => want.includes(r.id) && r.pending !== 'deleted' && keep(r)).map((r) => r.id);
      expect(idx.query(q, null).map((r) => r.id), q).toEqual(shown(() => true));
      expect(idx.query(q, 'work').map((r) => r.id), q).toEqual(shown((r) => r.bookId === 'work'));
      expect(idx.query(q, null, true).map((r) => r.id), q).toEqual(shown((r) => r.favorite === 1));
    }
  });

  it('follows a new sort order without being built again', async () => {
    const rows = book(200, 13);
    const idx = new ContactIndex('en');
    idx.load(rows);
    await idx.whenIndexed();
    const built = idx.lastBuild;
    idx.setSortField('sortNameLast');
    expect(idx.query('a', null).map((r) => r.id)).toEqual(expected(idx.snapshot(), 'a'));
    expect(idx.lastBuild).toBe(built);
  });
});

describe('the token index', () => {
  const texts = ['\u0001ada lovelace\u0005ada@example.org', '\u0001grace hopper\u0007friends', '\u0001王小明\u0006臺北, 10000', '\u0001zoe nunez\u000Fmet at the conference, talked'];
  const build = (yieldEvery: () => boolean) => {
    const b = new TokenIndexBuilder(texts);
    let steps = 0;
    while (!b.step(yieldEvery)) steps++;
    return { index: b.finish(), steps };
  };
  const find = (word: string) => [...members(build(() => false).index.textsWith(word))];

  it('finds a word inside a term, across punctuation, never across a space or a field', () => {
    expect(find('velac')).toEqual([0]);
    expect(find('a@example.o')).toEqual([0]);
    expect(find('北,')).toEqual([2]);
    expect(find('conference,')).toEqual([3]);
    expect(find('e,')).toEqual([3]);
    expect(find('adalovelace')).toEqual([]);
    expect(find('hopperfriends')).toEqual([]);
    expect(find('a')).toEqual([0, 1, 3]);
    expect(find('小')).toEqual([2]);
    expect(find(',')).toEqual([2, 3]);
    expect(find('@')).toEqual([0]);
  });

  it('built in as many slices as it is asked to yield, the same index as built at once', () => {
    const sliced = build(() => true);
    expect(sliced.steps).toBeGreaterThan(3);
    for (const w of ['a', 'ada', 'example.org', '10000', '王', 'friends', 'x']) expect([...members(sliced.index.textsWith(w))], w).toEqual(find(w));
  });
});
