/**
 * A linked contact (cards of two books shown as one, store/links.ts) exported, printed and shared
 * as the one contact the window shows (features/export/as-shown.ts): one card with the shown
 * card's name and every card's numbers and addresses, in the link's place, counted once.
 */
import { describe, expect, it } from 'vitest';
import { asShown, countAsShown, linkedCard, withLinkedCards } from '../../../renderer/src/features/export/as-shown';
import { runExport, type ExportCardInput } from '../../../renderer/src/features/export/export-run';
import type { LiveLink } from '../../../renderer/src/store/links';
import { parseVCard, parseVCards, toContact } from '../../../shared/vcard';

const card = (uid: string, version: string, lines: string) => `BEGIN:VCARD\r\nVERSION:${version}\r\nUID:${uid}\r\n${lines.split('\n').join('\r\n')}\r\nEND:VCARD\r\n`;

const here: ExportCardInput = { id: 'here', name: 'Ann Arbor', favorite: false, vcard: card('ann-local', '4.0', 'FN:Ann Arbor\nN:Arbor;Ann;;;\nEMAIL:ann@home.example\nNOTE:Met at the fair') };
const server: ExportCardInput = { id: 'server', name: 'Annie Arbor', favorite: true, vcard: card('ann-server', '3.0', 'FN:Annie Arbor\nN:Arbor;Annie;;;\nEMAIL;TYPE=work:ann@arbor.example\nTEL;TYPE=cell:+1 202 555 0147\nTITLE:Chief engineer') };
const ben: ExportCardInput = { id: 'ben', name: 'Ben Bolt', favorite: false, vcard: card('ben', '4.0', 'FN:Ben Bolt\nTEL:+1 202 555 0100') };

const LINK: LiveLink = { id: 'L', members: ['here', 'server'], primary: 'server' };
const linkOf = (id: string): LiveLink | null => (LINK.members.includes(id) ? LINK : null);

describe('a linked contact exported, printed and shared as one', () => {
  it('all contacts: the two linked cards are one card in the shown card’s place, with its name and every card’s e-mails, numbers and notes', () => {
    const out = asShown([here, ben, server], linkOf, 'US');
    expect(out.map((e) => e.id)).toEqual(['ben', 'server']);
    const one = out[1]!;
    expect(one.name).toBe('Annie Arbor');
    const contact = toContact(parseVCard(one.vcard));
    expect(contact.formattedName).toBe('Annie Arbor');
    expect(contact.emails.map((e) => e.value).sort()).toEqual(['ann@arbor.example', 'ann@home.example']);
    expect(contact.phones.map((p) => p.value)).toEqual(['+1 202 555 0147']);
    expect(contact.title).toBe('Chief engineer');
    expect(contact.note).toContain('Met at the fair');
    // The shown card's own identity and version.
    expect(one.vcard).toMatch(/^UID:ann-server$/m);
    expect(one.vcard).toMatch(/^VERSION:3.0$/m);
  });

  it('the exported file holds one contact for the link, and a favourite if any of its cards is', () => {
    const cards = asShown([server, here], linkOf, 'US');
    expect(cards).toHaveLength(1);
    expect(cards[0]!.favorite).toBe(true);
    const file = new TextDecoder().decode(runExport({ format: 'vcard', cards, baseName: 'Contacts', layout: 'one-file', photos: true, outlookLanguage: 'en', lang: 'en', now: 0 }).files[0]!.bytes);
    expect(parseVCards(file).cards).toHaveLength(1);
    expect(file).toContain('ann@home.example');
    expect(file).toContain('+1 202 555 0147');
  });

  it('a selected linked contact (its shown card) takes every card of the link, counted once', () => {
    expect(withLinkedCards(['ben', 'server'], linkOf)).toEqual(['ben', 'server', 'here']);
    expect(countAsShown(['here', 'ben', 'server'], linkOf)).toBe(2);
    expect(countAsShown(['server'], linkOf)).toBe(1);
  });

  it('a group card of the export that names a card folded into the link names the one card instead, once', () => {
    const friends: ExportCardInput = { id: 'g', name: 'Friends', favorite: false, vcard: card('grp', '4.0', 'KIND:group\nFN:Friends\nMEMBER:urn:uuid:ann-local\nMEMBER:urn:uuid:ann-server\nMEMBER:urn:uuid:ben') };
    const apple: ExportCardInput = { id: 'a', name: 'Club', favorite: false, vcard: card('club', '3.0', 'X-ADDRESSBOOKSERVER-KIND:group\nFN:Club\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ANN-LOCAL') };
    const out = asShown([here, ben, server, friends, apple], linkOf, 'US');
    const group = parseVCard(out.find((e) => e.id === 'g')!.vcard);
    expect(group.properties.filter((p) => p.name === 'MEMBER').map((p) => p.value)).toEqual(['urn:uuid:ann-server', 'urn:uuid:ben']);
    expect(out.find((e) => e.id === 'a')!.vcard).toMatch(/^X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ann-server$/m);
    // Every member named is a card of the file.
    const uids = new Set(out.map((e) => /^UID:(.*)$/m.exec(e.vcard)![1]!.trim()));
    const named = out.flatMap((e) => [...e.vcard.matchAll(/MEMBER:urn:uuid:(.*)\r$/gm)].map((m) => m[1]!));
    expect(named.length).toBe(3);
    for (const uid of named) expect(uids).toContain(uid);
  });

  it('one book’s export holds one card of the link: that card as stored', () => {
    expect(asShown([here, ben], linkOf, 'US')).toEqual([here, ben]);
  });

  it('the shared card: the shown card first, every other card’s items added', () => {
    const shared = toContact(parseVCard(linkedCard([server, here], 'server', 'US')));
    expect(shared.formattedName).toBe('Annie Arbor');
    expect(shared.emails).toHaveLength(2);
  });
});
