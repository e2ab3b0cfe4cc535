import { describe, expect, it } from 'vitest';
import { canKeepBoth, merge, parseVCard, resolveConflicts, serializeVCard, toContact } from '../../../shared/vcard';

const card = (...props: string[]) => parseVCard(['BEGIN:VCARD', 'VERSION:3.0', 'UID:1', ...props, 'END:VCARD', ''].join('\r\n'));
const BASE = ['FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.org', 'TEL:111', 'NOTE:base note'];

describe('three-way merge by property', () => {
  it('combines changes to different properties without a question', () => {
    const local = card('FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.org', 'TEL:222', 'NOTE:base note');
    const remote = card('FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.org', 'TEL:111', 'NOTE:new remote note');
    const { card: merged, conflicts } = merge(card(...BASE), local, remote);
    expect(conflicts).toEqual([]);
    const c = toContact(merged);
    expect(c.phones.map((p) => p.value)).toEqual(['222']);
    expect(c.note).toBe('new remote note');
  });

  it('combines edits of different values of one multi-value field', () => {
    const local = card(...BASE.map((l) => (l === 'TEL:111' ? 'TEL:111' : l)), 'TEL:333');
    const remote = card(...BASE.map((l) => (l === 'EMAIL:ada@example.org' ? 'EMAIL:ada@analytical.engine' : l)));
    const { card: merged, conflicts } = merge(card(...BASE), local, remote);
    expect(conflicts).toEqual([]);
    const c = toContact(merged);
    expect(c.phones.map((p) => p.value)).toEqual(['111', '333']);
    expect(c.emails.map((e) => e.value)).toEqual(['ada@analytical.engine']);
  });

  it('returns a conflict with both values when both sides changed the same property differently', () => {
    const local = card(...BASE.map((l) => (l.startsWith('FN:') ? 'FN:Ada King' : l)));
    const remote = card(...BASE.map((l) => (l.startsWith('FN:') ? 'FN:Augusta Ada' : l)));
    const { card: merged, conflicts } = merge(card(...BASE), local, remote);
    expect(conflicts).toEqual([{ property: 'FN', base: ['FN:Ada Lovelace'], local: ['FN:Ada King'], remote: ['FN:Augusta Ada'] }]);
    expect(toContact(merged).formattedName).toBe('Ada King'); // local kept in the card until decided
  });

  it('agrees silently when both sides made the same change', () => {
    const both = card(...BASE.map((l) => (l.startsWith('TEL') ? 'TEL:999' : l)));
    expect(merge(card(...BASE), both, both).conflicts).toEqual([]);
  });

  it('keeps an edit made on one side to a property the other side deleted, and says so', () => {
    const local = card(...BASE.filter((l) => !l.startsWith('NOTE')));
    const remote = card(...BASE.map((l) => (l.startsWith('NOTE') ? 'NOTE:edited remotely' : l)));
    const { card: merged, conflicts } = merge(card(...BASE), local, remote);
    expect(toContact(merged).note).toBe('edited remotely');
    expect(conflicts).toEqual([expect.objectContaining({ property: 'NOTE', local: null, remote: ['NOTE:edited remotely'] })]);
  });

  it('sees through a server that re-serialises: parameter case and order, groups renumbered', () => {
    const base = card('FN:A', 'item1.EMAIL;TYPE=INTERNET;TYPE=HOME:a@x', 'item1.X-ABLabel:Private', 'TEL:1');
    const remote = card('FN:A', 'TEL:1', 'item7.EMAIL;type=home,internet:a@x', 'item7.X-ABLabel:Private');
    const local = card('FN:A', 'item1.EMAIL;TYPE=INTERNET;TYPE=HOME:a@x', 'item1.X-ABLabel:Private', 'TEL:2');
    const { card: merged, conflicts } = merge(base, local, remote);
    expect(conflicts).toEqual([]);
    const c = toContact(merged);
    expect(c.emails).toHaveLength(1);
    expect(c.emails[0]).toMatchObject({ value: 'a@x', label: 'Private' });
    expect(c.phones.map((p) => p.value)).toEqual(['2']);
  });

  it('keeps additions from both sides, and gives clashing new groups distinct names', () => {
    const local = card(...BASE, 'item1.URL:https://local.example', 'item1.X-ABLabel:Blog');
    const remote = card(...BASE, 'item1.URL:https://remote.example', 'item1.X-ABLabel:Work');
    const { card: merged, conflicts } = merge(card(...BASE), local, remote);
    expect(conflicts).toEqual([]);
    const urls = toContact(merged).urls.map((u) => [u.value, u.label]);
    expect(urls).toEqual([
      ['https://local.example', 'Blog'],
      ['https://remote.example', 'Work'],
    ]);
    expect(serializeVCard(merged)).toMatch(/item2\.URL/);
  });

  it('takes the remote REV and PRODID without calling it a conflict', () => {
    const local = card(...BASE, 'REV:2024-01-01T00:00:00Z');
    const remote = card(...BASE, 'REV:2024-02-02T00:00:00Z');
    const base = card(...BASE, 'REV:2023-01-01T00:00:00Z');
    const { card: merged, conflicts } = merge(base, local, remote);
    expect(conflicts).toEqual([]);
    expect(serializeVCard(merged)).toContain('REV:2024-02-02T00:00:00Z');
  });

  it('an address this computer holds as the synced version did (an edit took it out, a merge put it back) gives way to another client removing it (model seed 29001524)', () => {
    // State-based: the card here is compared with the synced version, not with its states between.
    const base = card('FN:R1', 'EMAIL:v1@x.example', 'EMAIL:v4@x.example');
    const local = card('FN:R1', 'EMAIL:v11@x.example', 'EMAIL:v4@x.example');
    const remote = card('FN:R1', 'EMAIL:v9@x.example');
    const { card: merged, conflicts } = merge(base, local, remote);
    expect(conflicts).toEqual([{ property: 'EMAIL', base: ['EMAIL:v1@x.example'], local: ['EMAIL:v11@x.example'], remote: ['EMAIL:v9@x.example'] }]);
    expect(toContact(merged).emails.map((e) => e.value)).toEqual(['v11@x.example']);
  });

  it('a merge here that changed only a card\'s other address is an edit of EMAIL: against another client\'s change of the addresses it is a conflict (model seed 1)', () => {
    const base = card('FN:R1', 'EMAIL:v1@x.example', 'EMAIL:v4@x.example');
    const local = card('FN:R1', 'EMAIL:v1@x.example', 'EMAIL:v11@x.example');
    const remote = card('FN:R1', 'EMAIL:v14@x.example');
    const { card: merged, conflicts } = merge(base, local, remote);
    expect(conflicts).toEqual([{ property: 'EMAIL', base: ['EMAIL:v4@x.example'], local: ['EMAIL:v11@x.example'], remote: null }]);
    expect(toContact(merged).emails.map((e) => e.value)).toEqual(['v14@x.example', 'v11@x.example']);
  });

  it('two different additions of a single-valued property conflict instead of doubling it', () => {
    const base = card('FN:A');
    const { card: merged, conflicts } = merge(base, card('FN:A', 'BDAY:2000-01-01'), card('FN:A', 'BDAY:2000-02-02'));
    expect(conflicts).toEqual([expect.objectContaining({ property: 'BDAY' })]);
    expect(serializeVCard(merged).match(/BDAY/g)).toHaveLength(1);
  });
});

describe('settling conflicts (the conflict view)', () => {
  const local = card('FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.org', 'TEL:222', 'NOTE:local note', 'X-KEEP:1');
  const remote = card('FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.org', 'TEL:333', 'NOTE:remote note');
  const { card: merged, conflicts } = merge(card(...BASE), local, remote);

  it('keeps this computer’s side, the server’s, or both, where the value stood', () => {
    expect(conflicts.map((c) => c.property)).toEqual(['TEL', 'NOTE']);
    const serverSide = resolveConflicts(merged, conflicts, ['remote', 'remote']);
    expect(toContact(serverSide).phones.map((p) => p.value)).toEqual(['333']);
    expect(toContact(serverSide).note).toBe('remote note');
    expect(serializeVCard(serverSide)).toContain('X-KEEP:1'); // everything else untouched
    const both = resolveConflicts(merged, conflicts, ['both', 'local']);
    expect(toContact(both).phones.map((p) => p.value)).toEqual(['222', '333']);
    expect(toContact(both).note).toBe('local note');
    const order = serializeVCard(both).split('\r\n');
    expect(order.indexOf('TEL:333')).toBe(order.indexOf('TEL:222') + 1);
    expect(serializeVCard(resolveConflicts(merged, conflicts, ['local', 'local']))).toBe(serializeVCard(merged));
  });

  it.each([
    ['ORG', 'ORG:Analytical Engines;Research', 'ORG:Babbage & Co'],
    ['TITLE', 'TITLE:Countess', 'TITLE:Mathematician'],
    ['ROLE', 'ROLE:Author', 'ROLE:Translator'],
    ['X-ANNIVERSARY', 'X-ANNIVERSARY:1835-07-08', 'X-ANNIVERSARY:1835-07-09'],
    ['X-PHONETIC-FIRST-NAME', 'X-PHONETIC-FIRST-NAME:Ay-da', 'X-PHONETIC-FIRST-NAME:Ah-da'],
    ['X-PHONETIC-LAST-NAME', 'X-PHONETIC-LAST-NAME:Love-lace', 'X-PHONETIC-LAST-NAME:Luv-lace'],
    ['X-PHONETIC-MIDDLE-NAME', 'X-PHONETIC-MIDDLE-NAME:King', 'X-PHONETIC-MIDDLE-NAME:Byron'],
  ])('“Keep both” is not offered for %s, which the editor shows once (a second line would be hidden); either side is', (_name, here, there) => {
    for (const base of [[...BASE], [...BASE, `${here.split(':')[0]}:base value`]]) {
      const { conflicts, card: merged } = merge(card(...base), card(...BASE, here), card(...BASE, there));
      expect(conflicts).toHaveLength(1);
      expect(canKeepBoth(conflicts[0]!)).toBe(false);
      const resolved = serializeVCard(resolveConflicts(merged, conflicts, ['remote']));
      expect(resolved).toContain(`${there}\r\n`);
      expect(resolved).not.toContain(`${here}\r\n`);
    }
  });

  it('offers both only for fields a card can have several of', () => {
    expect(conflicts.map(canKeepBoth)).toEqual([true, true]);
    const fn = merge(card(...BASE), card('FN:Ada L.', ...BASE.slice(1)), card('FN:Countess', ...BASE.slice(1))).conflicts;
    expect(fn.map(canKeepBoth)).toEqual([false]);
  });
});
