import { describe, expect, it, vi } from 'vitest';
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

  it('a Þ name, which the list sorts after Z, gets a section of its own: no second “T” header after “Z”', () => {
    const idx = new ContactIndex('en');
    idx.load([row('1', 'Thor Heyerdahl'), row('2', 'Zed Zane'), row('3', 'Þóra Sigurðardóttir')]);
    const { rows, sections } = idx.list('', null);
    expect(rows.map((r) => r.displayName)).toEqual(['Thor Heyerdahl', 'Zed Zane', 'Þóra Sigurðardóttir']);
    const headers = sections.filter((s, i) => i === 0 || s !== sections[i - 1]);
    expect(new Set(headers).size, `headers ${headers.join(' ')}`).toBe(headers.length);
  });

  it('letters the list sorts beside their plain letter stay under its section, in every UI language', () => {
    const beside: [string, string][] = [['Ødegaard', 'O'], ['Ðorđe', 'D'], ['Đurić', 'D'], ['Ħal', 'H'], ['Ławrence', 'L'], ['Æsa', 'A'], ['Œuvre', 'O'], ['Ŧom', 'T'], ['Ŋoma', 'N']];
    for (const locale of ['en', 'fa', 'zh-CN', 'zh-TW']) {
      for (const [name, section] of beside) expect(sectionOf(name, locale), `${name} in ${locale}`).toBe(section);
      expect(sectionOf('Þóra', locale), locale).toBe('Þ');
    }
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
      const kind = rand(5);
      const known = index.get(`c${rand(80)}`);
      if (kind === 0) index.upsert([make(`c${rand(80)}`)]);
      else if (kind === 1) index.remove([`c${rand(80)}`]);
      else if (kind === 2) index.upsert([make(`c${rand(80)}`), make(`c${rand(80)}`)]);
      // Rows that stay where they are (same sort key): a favourite, a deletion waiting, a group, another book.
      else if (known !== undefined) index.upsert([{ ...known, favorite: known.favorite === 1 ? 0 : 1, pending: rand(4) === 0 ? (known.pending === 'deleted' ? '' : 'deleted') : known.pending, bookId: rand(4) === 0 ? (known.bookId === 'a' ? 'b' : 'a') : known.bookId, categories: [`g${rand(3)}`] }]);
      // The rows themselves, not only their ids: a row replaced where it stood is the new one.
      const now = lists().map((l) => ({ rows: l.rows, sections: l.sections }));
      const fresh = new Index('en');
      fresh.load([...index.all()]);
      expect(now, `step ${step}`).toEqual(filters.map(([b, f]) => fresh.list('', b, f)).map((l) => ({ rows: l.rows, sections: l.sections })));
      // A search within a kept list is the same as within a fresh one.
      expect(index.query('a', 'a').map((r) => r.id)).toEqual(fresh.query('a', 'a').map((r) => r.id));
    }
  });

  it('many rows removed at once (an import undone), unknown and repeated ids among them, leave the order, lists, counts and slots made from scratch', () => {
    let seed = 9;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
    const make = (id: string): ContactRow => {
      const fn = `${['Ada', 'Émile', 'Zoë', '王', ''][rand(5)]} ${rand(500)}`;
      const card = parseVCard(`BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${id}\r\nFN:${fn}\r\nN:${fn};;;;\r\nCATEGORIES:g${rand(3)}\r\nEND:VCARD\r\n`);
      return { id, bookId: rand(2) === 0 ? 'a' : 'b', ...deriveListFields(card), favorite: rand(3) === 0 ? (1 as const) : (0 as const), pending: rand(5) === 0 ? ('updated' as const) : ('' as const), updatedAt: 0 };
    };
    const index = new ContactIndex('en');
    index.load(Array.from({ length: 400 }, (_, i) => make(`c${i}`)));
    const lists = () => [index.list('', null, false), index.list('', 'a', false), index.list('', 'b', true)].map((l) => ({ rows: l.rows.map((r) => r.id), sections: l.sections }));
    lists();
    const slot = index.slotOf('c7');
    const groups = index.groupsVersion;
    const gone = [...Array.from({ length: 150 }, () => `c${rand(420)}`), 'c3', 'c3', 'nobody'];
    index.remove(gone);
    const fresh = new ContactIndex('en');
    fresh.load([...index.all()]);
    expect(index.size).toBe(400 - new Set(gone.filter((id) => /^c(\d+)$/.test(id) && Number(id.slice(1)) < 400)).size);
    expect(lists()).toEqual([fresh.list('', null, false), fresh.list('', 'a', false), fresh.list('', 'b', true)].map((l) => ({ rows: l.rows.map((r) => r.id), sections: l.sections })));
    expect(index.pendingIn(new Set(['a', 'b']))).toEqual(fresh.pendingIn(new Set(['a', 'b'])));
    expect(index.groupsVersion).toBeGreaterThan(groups);
    if (index.get('c7') !== undefined) expect(index.slotOf('c7')).toBe(slot);
    // One by one afterwards, as before.
    index.upsert([make('c3'), make('new')]);
    index.remove(['c9']);
    const again = new ContactIndex('en');
    again.load([...index.all()]);
    expect(lists()).toEqual([again.list('', null, false), again.list('', 'a', false), again.list('', 'b', true)].map((l) => ({ rows: l.rows.map((r) => r.id), sections: l.sections })));
  });

  it('many rows at once (past the one-by-one limit), moved, kept in place, new and repeated, give the order and lists made from scratch', () => {
    let seed = 5;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
    const make = (id: string, fn = `${['Ada', 'Émile', 'Zoë', '王', ''][rand(5)]} ${rand(500)}`): ContactRow => {
      const card = parseVCard(`BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${id}\r\nFN:${fn}\r\nN:${fn};;;;\r\nEND:VCARD\r\n`);
      return { id, bookId: rand(2) === 0 ? 'a' : 'b', ...deriveListFields(card), favorite: rand(3) === 0 ? (1 as const) : (0 as const), pending: '', updatedAt: 0 };
    };
    const index = new ContactIndex('en');
    const model = new Map(Array.from({ length: 1500 }, (_, i) => make(`c${i}`)).map((r) => [r.id, r]));
    index.load([...model.values()]);
    index.list('', 'a');
    for (let round = 0; round < 4; round++) {
      const batch: ContactRow[] = [];
      for (let k = 0; k < 700; k++) {
        const id = `c${rand(round === 0 ? 1500 : 1800)}`;
        const known = index.get(id);
        // Round 0 keeps every sort key (a group renamed); the others mix moves, new rows and repeats.
        batch.push(known !== undefined && (round === 0 || rand(2) === 0) ? { ...known, categories: [`r${round}`], favorite: rand(2) === 0 ? 1 : 0 } : make(id));
      }
      index.upsert(batch);
      for (const r of batch) model.set(r.id, r);
      const fresh = new ContactIndex('en');
      fresh.load([...model.values()]);
      expect(index.snapshot(), `round ${round}`).toEqual(fresh.snapshot());
      expect(index.snapshot().length).toBe(index.size);
      for (const [b, f] of [[null, false], ['a', false], ['b', true]] as const) expect(index.list('', b, f), `round ${round} ${b}`).toEqual(fresh.list('', b, f));
      // A group's list by its bit set over the rows' slots: the slots followed the rows.
      const members = new Set([...model.values()].filter((r) => r.favorite === 1).map((r) => r.id));
      const bits = new Uint32Array(Math.ceil(index.slotCount / 32) + 1);
      for (const id of members) bits[index.slotOf(id) >>> 5]! |= 1 << (index.slotOf(id) & 31);
      expect(index.list('', null, false, { key: `fav${round}`, bits }), `round ${round} group`).toEqual(fresh.list('', null, false, { key: 'fav', ids: members }));
    }
  });
  it('a sync’s batches (new rows, rows moved, kept in place, deleted, put in another book, made favourites) with edits between them: the kept lists of all, a book and favourites follow each batch without being made again from every row, and equal lists made from scratch', () => {
    let seed = 21;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
    const make = (id: string, fn = `${['Ada', 'Émile', 'Zoë', '王', '', 'کاوه'][rand(6)]} ${rand(5000)}`): ContactRow => {
      const card = parseVCard(`BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${id}\r\nFN:${fn}\r\nN:${fn};;;;\r\nEND:VCARD\r\n`);
      return { id, bookId: rand(3) === 0 ? 'b' : 'a', ...deriveListFields(card), favorite: rand(4) === 0 ? (1 as const) : (0 as const), pending: '', updatedAt: 0 };
    };
    const index = new ContactIndex('en');
    index.load([]);
    const filters = [[null, false], ['a', false], ['b', true]] as const;
    const made = vi.spyOn(ContactIndex.prototype as unknown as { wholeByRows: () => unknown }, 'wholeByRows');
    try {
      filters.forEach(([b, f]) => index.list('', b, f));
      let next = 0;
      for (let batch = 0; batch < 12; batch++) {
        index.expectMore(batch < 11);
        const rows: ContactRow[] = [];
        for (let k = 0; k < 200; k++) {
          const known = batch > 0 && rand(4) === 0 ? index.get(`c${rand(next)}`) : undefined;
          if (known === undefined) rows.push(make(`c${next++}`));
          else if (rand(2) === 0) rows.push(make(known.id)); // moved (another name)
          // Kept where it stands: a favourite, a deletion waiting, another book.
          else rows.push({ ...known, favorite: known.favorite === 1 ? 0 : 1, pending: rand(3) === 0 ? 'deleted' : known.pending, bookId: rand(3) === 0 ? (known.bookId === 'a' ? 'b' : 'a') : known.bookId });
        }
        made.mockClear();
        index.upsert(rows);
        const now = filters.map(([b, f]) => index.list('', b, f));
        expect(made, `batch ${batch}: a whole list made again from every row`).not.toHaveBeenCalled();
        const fresh = new ContactIndex('en');
        fresh.load([...index.all()]);
        expect(now, `batch ${batch}`).toEqual(filters.map(([b, f]) => fresh.list('', b, f)));
        // A user's edit between batches (one row: the lists follow it by their moves), shown at once.
        const edited = index.get(`c${rand(next)}`)!;
        index.upsert([rand(2) === 0 ? { ...edited, favorite: edited.favorite === 1 ? 0 : 1 } : make(edited.id)]);
        const again = new ContactIndex('en');
        again.load([...index.all()]);
        expect(filters.map(([b, f]) => index.list('', b, f)), `edit after batch ${batch}`).toEqual(filters.map(([b, f]) => again.list('', b, f)));
      }
    } finally {
      made.mockRestore();
    }
  });
});

describe('what waits for the server, per book (the accounts’ panels and the drawer dot)', () => {
  const inBook = (id: string, bookId: string, pending: ContactRow['pending'], flag: ContactRow['flag'] = ''): ContactRow => ({ ...row(id, `Person ${id}`), bookId, pending, flag });
  /** The same counts by walking every row: what the index kept must always equal it. */
  const walked = (rows: Iterable<ContactRow>, books: ReadonlySet<string>) => {
    const out = { all: 0, toSend: 0, conflicts: 0 };
    for (const r of rows) {
      if (r.pending === '' || !books.has(r.bookId)) continue;
      out.all++;
      if (r.flag === 'conflict') out.conflicts++;
      else if (r.flag !== 'error') out.toSend++;
    }
    return out;
  };

  it('a conflict arriving, resolved, a refused upload, a deletion and a book’s rows replaced keep each book’s counts right', () => {
    const idx = new ContactIndex('en');
    idx.load([inBook('1', 'dav', 'updated'), inBook('2', 'dav', ''), inBook('3', 'other', 'created'), inBook('4', 'dav', 'updated', 'error')]);
    const dav = new Set(['dav']);
    expect(idx.pendingIn(dav)).toEqual({ all: 2, toSend: 1, conflicts: 0 });
    // A sync finds the card changed on the server too: it waits for the user.
    idx.upsert([inBook('2', 'dav', 'updated', 'conflict')]);
    expect(idx.pendingIn(dav)).toEqual({ all: 3, toSend: 1, conflicts: 1 });
    expect(idx.pendingIn(new Set(['dav', 'other']))).toEqual({ all: 4, toSend: 2, conflicts: 1 });
    // The user decides; the upload goes; a deletion waits to be sent; the refused one goes away.
    idx.upsert([inBook('2', 'dav', 'updated'), inBook('1', 'dav', '')]);
    idx.upsert([inBook('2', 'dav', 'deleted')]);
    idx.remove(['4']);
    expect(idx.pendingIn(dav)).toEqual({ all: 1, toSend: 1, conflicts: 0 });
    // Many rows at once (the merging path), the same id twice among them: the last one counts.
    const many = Array.from({ length: 40 }, (_, i) => inBook(`m${i}`, 'dav', i % 4 === 0 ? 'updated' : '', i % 8 === 0 ? 'conflict' : ''));
    idx.upsert([...many, inBook('m1', 'dav', 'updated', 'conflict')]);
    const all = () => [...idx.all()];
    expect(idx.pendingIn(dav)).toEqual(walked(all(), dav));
    expect(idx.pendingIn(dav).conflicts).toBe(6);
    // The whole list read again (a start, a sync of everything): counted from the new rows only.
    idx.load([inBook('x', 'dav', 'created', 'conflict')]);
    expect(idx.pendingIn(dav)).toEqual({ all: 1, toSend: 0, conflicts: 1 });
    expect(idx.pendingIn(new Set(['other']))).toEqual({ all: 0, toSend: 0, conflicts: 0 });
  });
});

describe('the window told of a sync’s batches', () => {
  it('while more batches are expected, the window is told in a task after the batch’s merge (once for batches landed meanwhile); the last batch and any other change at once', async () => {
    const idx = new ContactIndex('en');
    idx.load([row('1', 'Ada'), row('2', 'Bob')]);
    let told = 0;
    idx.subscribe(() => told++);
    idx.expectMore(true);
    idx.upsert([row('3', 'Cy')]);
    idx.upsert([row('4', 'Dee')]);
    // The rows are in the list at once (a query sees them); the window is told in the next task.
    expect(idx.query('', null).map((r) => r.id)).toEqual(['1', '2', '3', '4']);
    expect(told).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(told).toBe(1);
    // The last batch: told at once, and a telling still waiting is not told again after it.
    idx.upsert([row('5', 'Eve')]);
    idx.expectMore(false);
    idx.upsert([row('6', 'Fay')]);
    expect(told).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(told).toBe(2);
    idx.remove(['1']);
    expect(told).toBe(3);
  });
});
