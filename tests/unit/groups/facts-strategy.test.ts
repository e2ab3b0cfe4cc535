import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultStorage, detectStorage, readCardFacts, readCardFactsText, resolveSetting, type BookGroupSetting, type CardFacts } from '../../../shared/groups';
import { deriveListFields, groupFields } from '../../../shared/book/derive';
import { parseVCards, toContact } from '../../../shared/vcard';
import { contact, vcard } from './book';

const APPLE_GROUP = vcard(
  'VERSION:3.0',
  'PRODID:-//Apple Inc.//AddressBook 6.1//EN',
  'N:Friends',
  'FN:Friends',
  'X-ADDRESSBOOKSERVER-KIND:group',
  'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:6A3B7C1E-0C2D-4B8F-9E11-2F9F0C7A8B10',
  'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:abc',
  'UID:0F2A9E64-7A9B-4C2B-A4A5-6C1C3E1F1D20',
);

describe('what a card says about groups', () => {
  it('reads an Apple group card: its name, and members by the UID behind urn:uuid (case folded)', () => {
    const f = readCardFactsText('g', APPLE_GROUP);
    expect(f).toEqual({ id: 'g', uid: '0F2A9E64-7A9B-4C2B-A4A5-6C1C3E1F1D20', group: 'apple', name: 'Friends', members: ['6a3b7c1e-0c2d-4b8f-9e11-2f9f0c7a8b10', 'abc'], categories: [] });
  });

  it('reads RFC 6350’s own group examples, keeping the mailto:, xmpp:, sip: and tel: members as they are', () => {
    const text = readFileSync('tests/fixtures/vcards/stalwartlabs__calcard/resources__vcard__rfc.vcf', 'utf8');
    const facts = parseVCards(text).cards.map((c, i) => readCardFacts(String(i), c.card));
    const groups = facts.filter((f) => f.group !== null);
    expect(groups.map((g) => [g.group, g.name])).toEqual([
      ['vcard4', 'The Doe family'],
      ['vcard4', 'Funky distribution list'],
    ]);
    expect(groups[0]!.members).toEqual(['03a0e51f-d1aa-4385-8a53-e29025acd8af', 'b8767877-b4a1-4c70-9acc-505d3819e519']);
    expect(groups[1]!.members).toEqual(['mailto:subscriber1@example.com', 'xmpp:subscriber2@example.com', 'sip:subscriber3@example.com', 'tel:+1-418-555-5555']);
    // John Doe's UID is urn:uuid:03a0…: the same key as the member reference.
    expect(facts.find((f) => f.uid === 'urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af')?.group).toBeNull();
  });

  it('reads CATEGORIES of a contact (several lines, escaped commas) and no members', () => {
    const f = readCardFactsText('c', contact('u1', 'Ada', 'CATEGORIES:Family,Work\\, Berlin', 'CATEGORIES:Family,Chess'));
    expect(f.group).toBeNull();
    expect(f.categories).toEqual(['Family', 'Work, Berlin', 'Chess']);
  });

  it('gives a stored row the same CATEGORIES as its own reading when they come from the contact view (2.1 and 3.0, lower-case names, a long list)', () => {
    const long = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 'a' : `c\\,${i}`)).join(',');
    for (const text of [
      contact('u1', 'Ada', 'CATEGORIES:Family,Work\\, Berlin', 'categories:Family,Chess', 'item1.CATEGORIES:Chess,,x'),
      vcard('VERSION:2.1', 'FN:Bo', 'CATEGORIES:a\\,b,c;d', 'CATEGORIES;CHARSET=UTF-8:c;d,e'),
      contact('u2', 'Cy', `CATEGORIES:${long}`, `CATEGORIES:${long}`),
    ]) {
      const card = parseVCards(text).cards[0]!.card;
      const own = readCardFacts('', card).categories;
      expect(own.length).toBeGreaterThan(2);
      expect(deriveListFields(card).categories).toEqual(own);
      expect(deriveListFields(card, toContact(card)).categories).toEqual(own);
      expect(groupFields(card).categories).toEqual(own);
    }
  });

  it('says nothing about a card it cannot read', () => {
    expect(readCardFactsText('x', 'not a vcard')).toEqual({ id: 'x', uid: '', group: null, name: '', members: [], categories: [] });
  });
});

const facts = (...cards: string[]): CardFacts[] => cards.map((c, i) => readCardFactsText(String(i), c));
const V4_GROUP = vcard('VERSION:4.0', 'UID:g4', 'KIND:group', 'FN:Team', 'MEMBER:urn:uuid:u1');

describe('which storage a book uses', () => {
  it('takes group cards over CATEGORIES, in the form most group cards have', () => {
    expect(detectStorage(facts(contact('u1', 'A', 'CATEGORIES:X'), APPLE_GROUP))).toBe('apple-cards');
    expect(detectStorage(facts(V4_GROUP, V4_GROUP, APPLE_GROUP))).toBe('vcard4-cards');
    expect(detectStorage(facts(contact('u1', 'A', 'CATEGORIES:X')))).toBe('categories');
    expect(detectStorage(facts(contact('u1', 'A')))).toBeNull();
  });

  it('expects Apple group cards of iCloud and Nextcloud, CATEGORIES of other servers', () => {
    expect(defaultStorage({ account: 'carddav', url: 'https://p42-contacts.icloud.com:443/123/carddavhome/card/' })).toBe('apple-cards');
    expect(defaultStorage({ account: 'carddav', url: 'https://cloud.example.org/remote.php/dav/addressbooks/users/ada/contacts/' })).toBe('apple-cards');
    expect(defaultStorage({ account: 'carddav', url: 'https://dav.example.org/ada/', headers: { dav: '1, 3, extended-mkcol, nextcloud-checksum-update, nc-calendar-search' } })).toBe('apple-cards');
    expect(defaultStorage({ account: 'carddav', url: 'https://contacts.example.org/', headers: { server: 'AppleHttpServer/70a91026' } })).toBe('apple-cards');
    expect(defaultStorage({ account: 'carddav', url: 'http://127.0.0.1:5232/alice/contacts/' })).toBe('categories');
    expect(defaultStorage({ account: 'carddav', url: 'https://carddav.fastmail.com/dav/addressbooks/user/ada/Default/' })).toBe('categories');
    expect(defaultStorage({ account: 'google' })).toBe('google-labels');
    expect(defaultStorage({ account: 'gdata' })).toBe('local-only');
    expect(defaultStorage({ account: 'local' })).toBe('categories');
  });

  it('remembers a choice: a server default gives way once the cards show another form; a choice from the cards stays', () => {
    const empty = resolveSetting(null, [], { account: 'carddav', url: 'https://cloud.example.org/remote.php/dav/x/' });
    expect(empty).toEqual({ storage: 'apple-cards', decidedBy: 'server', empty: [] });
    expect(resolveSetting(empty, [], { account: 'carddav' })).toBe(empty);
    const seen = resolveSetting({ ...empty, empty: ['Later'] }, facts(contact('u', 'A', 'CATEGORIES:Club')), { account: 'carddav' });
    expect(seen).toEqual({ storage: 'categories', decidedBy: 'cards', empty: ['Later'] });
    expect(resolveSetting(seen, facts(APPLE_GROUP), { account: 'carddav' })).toBe(seen);
    const user: BookGroupSetting = { storage: 'vcard4-cards', decidedBy: 'user', empty: [] };
    expect(resolveSetting(user, facts(APPLE_GROUP), { account: 'carddav' })).toBe(user);
    expect(resolveSetting(null, facts(APPLE_GROUP), { account: 'google' }).storage).toBe('google-labels');
  });
});
