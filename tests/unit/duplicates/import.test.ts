import { describe, expect, it } from 'vitest';
import { findImportDuplicates } from '../../../shared/duplicates';
import { cardPrint, currentStoredKeys, duplicateKeys } from '../../../shared/duplicates/keys';
import { parseVCard } from '../../../shared/vcard';
import { importCards } from '../../../renderer/src/workers/import-cards';
import { importedCard } from '../../../renderer/src/workers/imported-cards';
import { contact } from './cards';

describe('keys made with an import', () => {
  it('each card read by the import worker carries the keys the finder makes from the text it stores, for the region given, with that text’s print', () => {
    const file = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dr. Ada Lovelace\r\nEMAIL:ADA@Example.org\r\nTEL:030 1234567\r\nEND:VCARD\r\n';
    const [read] = importCards(new TextEncoder().encode(file), (c, line) => importedCard(c, line, false, 'DE')).cards;
    // The stored text has a UID the file lacked; the keys are of that text.
    expect(read!.keys).toEqual({ of: cardPrint(read!.vcard), keys: duplicateKeys(parseVCard(read!.vcard), 'DE') });
    expect(read!.keys!.keys).toMatchObject({ emails: ['ada@example.org'], phones: ['+49301234567'], name: ['ada', 'lovelace'] });
    expect(currentStoredKeys(read!.keys, read!.vcard, 'DE')).toEqual(read!.keys!.keys);
    // For another region, or once the text changed, they are not current.
    expect(currentStoredKeys(read!.keys, read!.vcard, 'US')).toBeUndefined();
    expect(currentStoredKeys(read!.keys, read!.vcard.replace('Ada', 'Adam'), 'DE')).toBeUndefined();
    // Without a region (the tests' and fuzzers' reading), none are made.
    expect(importCards(new TextEncoder().encode(file)).cards[0]!.keys).toBeUndefined();
  });
});

describe('duplicates on import', () => {
  const book = [
    contact('apple', ['FN:Apple Computer AG', 'ORG:Apple Computer AG', 'TEL;TYPE=WORK:+41 44 123 45 67', 'URL:https://apple.example']),
    contact('ada', ['FN:Ada Lovelace', 'EMAIL:ada@example.org']),
    contact('grace', ['FN:Grace Hopper', 'TEL:+1 555 010 0100']),
  ];

  it('an incoming "Apple Computer AG" is offered against the one already there, not silently added', () => {
    const incoming = [contact('in-apple', ['ORG:Apple Computer AG', 'TEL:044 123 45 67'], 'file', 'CH')];
    const [match, ...rest] = findImportDuplicates(incoming, book);
    expect(rest).toEqual([]);
    expect(match!.incoming).toBe('in-apple');
    expect(match!.existing.map((p) => p.b)).toEqual(['apple']);
    expect(match!.existing[0]!.a).toBe('in-apple');
    expect(match!.existing[0]!.reasons.map((r) => r.code)).toEqual(['same-phone', 'same-name']);
  });

  it('several incoming cards each get their own matches, best first; a new person gets none', () => {
    const incoming = [
      contact('in-new', ['FN:Alan Turing', 'EMAIL:alan@example.org'], 'file'),
      contact('in-ada', ['FN:Ada Lovelace', 'EMAIL:ADA@example.org'], 'file'),
      contact('in-grace', ['FN:Grace Hopper'], 'file'),
    ];
    const matches = findImportDuplicates(incoming, book);
    expect(matches.map((m) => m.incoming)).toEqual(['in-ada', 'in-grace']);
    expect(matches[0]!.existing[0]!.score).toBe(100);
    expect(matches[1]!.existing[0]!.score).toBe(50);
  });

  it('never pairs two incoming cards or two existing ones', () => {
    const incoming = [contact('x1', ['FN:Ngozi Okafor'], 'file'), contact('x2', ['FN:Ngozi Okafor'], 'file')];
    const existing = [contact('y1', ['FN:Søren Kierkegaard']), contact('y2', ['FN:Soren Kierkegaard'])];
    expect(findImportDuplicates(incoming, existing)).toEqual([]);
  });
});
