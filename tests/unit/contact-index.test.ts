import { describe, expect, it } from 'vitest';
import { ContactIndex, sectionOf } from '../../renderer/src/store/contact-index';
import { deriveListFields } from '../../shared/book/derive';
import { parseVCard } from '../../shared/vcard';
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

  it('indexes sections by folded first letter', () => {
    expect(sectionOf('Émile')).toBe('E');
    expect(sectionOf('王小明')).toBe('王');
    expect(sectionOf('123')).toBe('#');
    expect(sectionOf('')).toBe('#');
  });
});
