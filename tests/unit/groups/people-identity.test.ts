import { describe, expect, it } from 'vitest';
import { cardPrint, hexOfResourceName, hrefContactId, joinPeople, linkOf, resourceNameOfHex, type CardRef } from '../../../electron/people/identity';
import type { Person } from '../../../electron/people/types';
import { contact } from './book';

const BOOK = '/carddav/v1/principals/ada%40example.com/lists/default/';

const person = (resourceName: string, sourceId: string | null, name: string, emails: string[] = [], phones: string[] = []): Person => ({
  resourceName,
  metadata: sourceId === null ? {} : { sources: [{ type: 'CONTACT', id: sourceId }] },
  names: [{ displayName: name, metadata: { source: { type: 'CONTACT' } } }],
  emailAddresses: emails.map((value) => ({ value })),
  phoneNumbers: phones.map((value) => ({ value })),
});

describe('People resource names and Google CardDAV hrefs', () => {
  it('reads the contact id from a CardDAV href (its last segment, decoded) and from people/c<decimal>', () => {
    expect(hrefContactId(`${BOOK}10c3c60ceff728`)).toBe('10c3c60ceff728');
    expect(hrefContactId('https://www.googleapis.com/carddav/v1/principals/a@b/lists/default/7FCA66FD0ABC9C16/')).toBe('7fca66fd0abc9c16');
    // gcardvault's example ids: the decimal resource name of each and back.
    expect(resourceNameOfHex('7fca66fd0abc9c16')).toBe(`people/c${0x7fca66fd0abc9c16n}`);
    expect(hexOfResourceName(resourceNameOfHex('10c3c60ceff728')!)).toBe('10c3c60ceff728');
    expect(hexOfResourceName('people/115498471234')).toBeNull(); // a profile, not a contact
    expect(resourceNameOfHex('not-hex')).toBeNull();
  });

  it('joins people to cards by source id, then by the decimal name, then by one print both ways', async () => {
    const cards: CardRef[] = [
      { id: 'by-id', href: `${BOOK}10c3c60ceff728`, uid: '10c3c60ceff728' },
      { id: 'by-decimal', href: `${BOOK}2a`, uid: 'x' },
      { id: 'by-print', href: `${BOOK}ffff`, uid: 'y' },
      { id: 'twin-1', href: `${BOOK}aaa1`, uid: 'z1' },
      { id: 'twin-2', href: `${BOOK}aaa2`, uid: 'z2' },
    ];
    const vcards = new Map([
      ['by-print', contact('y', 'Ada Lovelace', 'EMAIL:Ada@Example.org', 'TEL:+44 20 7946 0000')],
      ['twin-1', contact('z1', 'Sam')],
      ['twin-2', contact('z2', 'Sam')],
    ]);
    const people = [
      person('people/c1', '10C3C60CEFF728', 'Whoever'),
      person(`people/c${0x2a}`, null, 'No source'),
      person('people/c999', 'beef', 'Ada Lovelace', ['ada@example.org'], ['+442079460000']),
      person('people/c5', 'c5', 'Sam'),
    ].map((p) => linkOf(p, undefined));
    const asked: string[][] = [];
    const links = await joinPeople(people, cards, async (ids) => {
      asked.push([...ids]);
      return new Map([...vcards].filter(([id]) => ids.includes(id)).map(([id, v]) => [id, cardPrint(v)]));
    });
    expect(links.map((l) => [l.resourceName, l.contactId])).toEqual([
      ['people/c1', 'by-id'],
      [`people/c${0x2a}`, 'by-decimal'],
      ['people/c999', 'by-print'],
      ['people/c5', null], // two cards named Sam, nothing else: no guess
    ]);
    // Only the cards no id claimed were read for prints.
    expect(asked).toEqual([['by-print', 'twin-1', 'twin-2']]);
  });
});
