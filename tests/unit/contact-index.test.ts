import { describe, expect, it } from 'vitest';
import { ContactIndex, sectionOf } from '../../renderer/src/store/contact-index';
import { deriveListFields } from '../../shared/book/derive';
import { parseVCard } from '../../shared/vcard';
import { setSearchRegion } from '../../shared/search/query';
import type { ContactRow } from '../../renderer/src/db/schema';

const row = (id: string, fn: string, extra = ''): ContactRow => ({
  id,
  bookId: 'local',
  favorite: 0,
  pending: '',
  updatedAt: 0,
  ...deriveListFields(parseVCard(`BEGIN:VCARD\r\nVERSION:4.0\r\nFN:${fn}\r\n${extra}END:VCARD\r\n`)),
});

describe('the in-memory list', () => {
  it('sorts with the locale’s collation and keeps order across edits', () => {
    const idx = new ContactIndex('en');
    idx.load([row('1', 'zoë'), row('2', 'Émile'), row('3', 'adam'), row('4', 'Zack')]);
    expect(idx.query('', null).map((r) => r.displayName)).toEqual(['adam', 'Émile', 'Zack', 'zoë']);
    idx.upsert([row('3', 'Zz Top')]);
    expect(idx.query('', null).map((r) => r.id)).toEqual(['2', '4', '1', '3']);
    idx.remove(['4']);
    expect(idx.query('', null).map((r) => r.id)).toEqual(['2', '1', '3']);
  });

  it('finds names with or without accents, by phone however formatted, and Persian with the other yeh', () => {
    const idx = new ContactIndex('en');
    idx.load([row('1', 'Zoë Núñez'), row('2', 'Bob', 'TEL:+1 (555) 010-0100\r\n'), row('3', 'علی کریمی')]);
    expect(idx.query('zoe nunez', null).map((r) => r.id)).toEqual(['1']);
    expect(idx.query('555-0100', null).map((r) => r.id)).toEqual(['2']);
    expect(idx.query('علي', null).map((r) => r.id)).toEqual(['3']);
    expect(idx.query('nobody', null)).toEqual([]);
  });

  it('a phone number searched the national way (09123456789) finds it written the international way (+98 912 345 6789) and back, in the region the app knows', async () => {
    setSearchRegion('IR');
    try {
      const idx = new ContactIndex('fa');
      idx.load([row('1', 'Sara', 'TEL:+98 912 345 6789\r\n'), row('2', 'Reza', 'TEL:0935 111 2233\r\n'), row('3', 'Other', 'TEL:+1 555 010 0100\r\n')]);
      for (const pass of ['row by row', 'indexed']) {
        if (pass === 'indexed') await idx.whenIndexed();
        expect(idx.query('09123456789', null).map((r) => r.id), pass).toEqual(['1']);
        expect(idx.query('0912 345 6789', null).map((r) => r.id), pass).toEqual(['1']);
        expect(idx.query('+989351112233', null).map((r) => r.id), pass).toEqual(['2']);
        expect(idx.query('0098 935 111 2233', null).map((r) => r.id), pass).toEqual(['2']);
        expect(idx.query('+98 935 111', null).map((r) => r.id), pass).toEqual(['2']); // still being typed
        expect(idx.query('0912345', null).map((r) => r.id), pass).toEqual(['1']);
        expect(idx.query('555-0100', null).map((r) => r.id), pass).toEqual(['3']);
      }
    } finally {
      setSearchRegion('');
    }
  });

  it('a number written with the international prefix 00 (00989121234567) finds it written with + (+98 912 123 4567) and back, in a region whose prefix is not 00 and in none', async () => {
    for (const region of ['US', '']) {
      setSearchRegion(region);
      try {
        const idx = new ContactIndex('en');
        idx.load([row('1', 'Sara', 'TEL:+98 912 123 4567\r\n'), row('2', 'Reza', 'TEL:0098 935 111 2233\r\n'), row('3', 'Other', 'TEL:+1 555 010 0100\r\n')]);
        for (const pass of ['row by row', 'indexed']) {
          if (pass === 'indexed') await idx.whenIndexed();
          const where = `${pass}, region ${region || 'none'}`;
          expect(idx.query('00989121234567', null).map((r) => r.id), where).toEqual(['1']);
          expect(idx.query('0098 912 123 4567', null).map((r) => r.id), where).toEqual(['1']);
          expect(idx.query('+98 935 111 2233', null).map((r) => r.id), where).toEqual(['2']);
          expect(idx.query('+989351112233', null).map((r) => r.id), where).toEqual(['2']);
          expect(idx.query('0015550100100', null).map((r) => r.id), where).toEqual(['3']);
        }
      } finally {
        setSearchRegion('');
      }
    }
  });

  it('a query with letters and digits (nick7777) does not find a row by the digits of its phone number alone', async () => {
    const idx = new ContactIndex('en');
    idx.load([row('1', 'Bob', 'TEL:+1 555 777 7777\r\n'), row('2', 'Nicholas', 'NICKNAME:nick7777\r\n'), row('3', 'Ann', 'TEL:+1 555 010 0100\r\n')]);
    for (const pass of ['row by row', 'indexed']) {
      if (pass === 'indexed') await idx.whenIndexed();
      expect(idx.query('nick7777', null).map((r) => r.id), pass).toEqual(['2']);
      expect(idx.query('bob7777', null).map((r) => r.id), pass).toEqual([]);
      expect(idx.query('ann 0100', null).map((r) => r.id), pass).toEqual([]);
      expect(idx.query('7777', null).map((r) => r.id), pass).toEqual(['1', '2']);
      expect(idx.query('(555) 777-7777', null).map((r) => r.id), pass).toEqual(['1']);
    }
  });

  it('indexes sections by folded first letter', () => {
    expect(sectionOf('Émile')).toBe('E');
    expect(sectionOf('王小明')).toBe('王');
    expect(sectionOf('123')).toBe('#');
    expect(sectionOf('')).toBe('#');
  });
});

describe('the filters’ lists after an edit', () => {
  it('kept across inserted, changed and removed rows, they equal the lists made from scratch (search within them too)', () => {
    const Index = ContactIndex;
    let seed = 11;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
    const names = ['Ada', 'Bob', 'Émile', 'Zoë', '王', 'کاوه', '', 'Ünal'];
    const make = (id: string) => {
      const fn = `${names[rand(names.length)]} ${rand(100)}`;
      const card = parseVCard(`BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${id}\r\nFN:${fn}\r\nN:${fn};;;;\r\nEND:VCARD\r\n`);
      return { id, bookId: rand(2) === 0 ? 'a' : 'b', ...deriveListFields(card), favorite: rand(3) === 0 ? (1 as const) : (0 as const), pending: rand(8) === 0 ? ('deleted' as const) : ('' as const), updatedAt: 0 } satisfies ContactRow;
    };
    const index = new Index('en');
    index.load(Array.from({ length: 60 }, (_, i) => make(`c${i}`)));
    const filters: [string | null, boolean][] = [[null, false], ['a', false], ['b', true]];
    const lists = () => filters.map(([b, f]) => index.list('', b, f));
    lists();
    for (let step = 0; step < 200; step++) {
      const kind = rand(3);
      if (kind === 0) index.upsert([make(`c${rand(80)}`)]);
      else if (kind === 1) index.remove([`c${rand(80)}`]);
      else index.upsert([make(`c${rand(80)}`), make(`c${rand(80)}`)]);
      const now = lists().map((l) => ({ ids: l.rows.map((r) => r.id), sections: l.sections }));
      const fresh = new Index('en');
      fresh.load([...index.snapshot()]);
      expect(now, `step ${step}`).toEqual(filters.map(([b, f]) => fresh.list('', b, f)).map((l) => ({ ids: l.rows.map((r) => r.id), sections: l.sections })));
      // A search within a kept list is the same as within a fresh one.
      expect(index.query('a', 'a').map((r) => r.id)).toEqual(fresh.query('a', 'a').map((r) => r.id));
    }
  });
});
