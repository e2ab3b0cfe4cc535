/** The window's export (features/export/export-run.ts): each format's files, and what it says it leaves out. */
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { importCsv } from '../../../shared/csv';
import { parseVCards, toContact } from '../../../shared/vcard';
import { runExport, type ExportCardInput, type ExportRequest } from '../../../renderer/src/features/export/export-run';

const card = (uid: string, lines: string) => `BEGIN:VCARD\r\nVERSION:4.0\r\nUID:${uid}\r\n${lines.split('\n').join('\r\n')}\r\nEND:VCARD\r\n`;
const PHOTO = 'PHOTO:data:image/png;base64,iVBORw0KGgo=';

const cards: ExportCardInput[] = [
  { id: 'a', name: 'Ada Lovelace', favorite: true, vcard: card('a', `FN:Ada Lovelace\nN:Lovelace;Ada;;;\nNICKNAME:Countess\nEMAIL;TYPE=work:ada@example.org\nTEL;TYPE=cell:+44 20 7946 0000\nBDAY:1815-12-10\n${PHOTO}`) },
  { id: 'b', name: 'سارا کریمی', favorite: false, vcard: card('b', 'FN:سارا کریمی\nN:کریمی;سارا;;;\nTEL:+98 21 1234 5678\nBDAY:--0229') },
  { id: 'c', name: '王小明', favorite: false, vcard: card('c', 'FN:王小明\nN:王;小明;;;\nEMAIL:wang@example.tw\nBDAY:1980') },
];

const request = (over: Partial<ExportRequest>): ExportRequest => ({ format: 'vcard', cards, baseName: 'Family', layout: 'one-file', photos: true, outlookLanguage: 'en', lang: 'en', now: Date.UTC(2026, 0, 1), ...over });
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('export from the window', () => {
  it('vCard as stored: one file named after the book, the cards unchanged', () => {
    const out = runExport(request({}));
    expect(out.files.map((f) => f.name)).toEqual(['Family.vcf']);
    expect(text(out.files[0]!.bytes)).toBe(cards.map((c) => c.vcard).join(''));
    expect(out.losses).toEqual([]);
  });

  it('photos left out are said before saving, and are gone from the file', () => {
    const out = runExport(request({ format: 'vcard-3.0', photos: false }));
    expect(out.losses).toEqual([{ kind: 'photo', count: 1, contacts: ['Ada Lovelace'] }]);
    expect(text(out.files[0]!.bytes)).not.toContain('PHOTO');
    expect(text(out.files[0]!.bytes)).toContain('VERSION:3.0');
  });

  it('a photo whose base64 does not decode is left out of every vCard export and said so; a good one, and the rest of the card, stay', () => {
    const broken = { id: 'x', name: 'Broken Photo', favorite: false, vcard: card('x', 'FN:Broken Photo\nEMAIL:x@example.org\nPHOTO:data:image/jpeg;base64,%%not*base64!!') };
    const legacy = { id: 'y', name: 'Old Phone', favorite: false, vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Old Phone\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4A$$QSkZJRg\r\nEND:VCARD\r\n' };
    for (const format of ['vcard', 'vcard-4.0', 'vcard-3.0'] as const) {
      const out = runExport(request({ format, cards: [cards[0]!, broken, legacy] }));
      expect(out.losses, format).toEqual([{ kind: 'broken-photo', count: 2, contacts: ['Broken Photo', 'Old Phone'] }]);
      const { cards: back } = parseVCards(text(out.files[0]!.bytes));
      expect(back.map((c) => toContact(c.card).photo === null), format).toEqual([false, true, true]);
      expect(toContact(back[1]!.card).emails[0]!.value).toBe('x@example.org');
    }
    // Left out by choice, a broken photo is no second loss.
    expect(runExport(request({ format: 'vcard-4.0', photos: false, cards: [broken] })).losses).toEqual([{ kind: 'photo', count: 1, contacts: ['Broken Photo'] }]);
  });

  it('a photo a strict reader would refuse but that is plainly the same data is repaired: URL-safe letters, no padding', () => {
    const sloppy = { id: 's', name: 'Sloppy', favorite: false, vcard: card('s', 'FN:Sloppy\nPHOTO:data:image/png;base64,iVBORw0KGgo-_w') };
    const out = runExport(request({ format: 'vcard', cards: [sloppy] }));
    expect(out.losses).toEqual([]);
    expect(text(out.files[0]!.bytes)).toContain('PHOTO:data:image/png;base64,iVBORw0KGgo+/w==');
    // A card with nothing to repair is written as stored, byte for byte.
    expect(text(runExport(request({ format: 'vcard', cards: [cards[0]!] })).files[0]!.bytes)).toBe(cards[0]!.vcard);
  });

  it('one file per contact, each named after its contact', () => {
    const out = runExport(request({ format: 'vcard-4.0', layout: 'file-per-contact' }));
    expect(out.files.map((f) => f.name)).toEqual(['Ada Lovelace.vcf', 'سارا کریمی.vcf', '王小明.vcf']);
  });

  it('Google CSV reads back with what it holds, and names what it cannot (the photo, the nickname is kept)', () => {
    const out = runExport(request({ format: 'google-csv' }));
    expect(out.files[0]!.name).toBe('Family (Google).csv');
    expect(out.losses.map((l) => l.kind)).toContain('photo');
    const back = importCsv(out.files[0]!.bytes);
    expect(back.format).toBe('google');
    const contacts = parseVCards(back.vcf).cards.map((c) => toContact(c.card));
    expect(contacts.map((c) => c.formattedName || `${c.name.given} ${c.name.family}`)).toHaveLength(3);
    const ada = contacts.find((c) => c.name.family === 'Lovelace')!;
    expect(ada.emails.map((e) => e.value)).toEqual(['ada@example.org']);
    expect(ada.phones.map((p) => p.value)).toEqual(['+44 20 7946 0000']);
    expect(ada.nicknames).toEqual(['Countess']);
    expect(back.cards.find((c) => c.vcard.includes('Lovelace'))!.starred).toBe(true);
  });

  it('Outlook CSV in German has the German headers and reads back as German Outlook', () => {
    const out = runExport(request({ format: 'outlook-csv', outlookLanguage: 'de' }));
    expect(text(out.files[0]!.bytes)).toContain('Vorname');
    expect(importCsv(out.files[0]!.bytes).format).toBe('outlook-de');
    expect(out.losses.map((l) => l.kind)).toEqual(expect.arrayContaining(['photo', 'nickname']));
  });

  it('the birthdays calendar names a contact with nothing else than a birthday "No name" (the title was "Birthday of ")', () => {
    const out = runExport(request({ format: 'ics', cards: [{ id: 'x', name: '', favorite: false, vcard: card('x', 'BDAY:1990-02-28') }] }));
    const [event] = new ICAL.Component(ICAL.parse(text(out.files[0]!.bytes))).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(event!.summary).toContain('No name');
  });

  it('the birthdays calendar: one yearly event per full birthday, a year alone is counted as left out', () => {
    const out = runExport(request({ format: 'ics', lang: 'fa' }));
    expect(out.files[0]!.name).toBe('زادروزها.ics');
    expect(out.events).toBe(2);
    expect(out.skippedDates).toBe(1);
    const events = new ICAL.Component(ICAL.parse(text(out.files[0]!.bytes))).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.summary).sort()).toEqual(['زادروز Ada Lovelace (متولد ۱۱۹۴)', 'زادروز سارا کریمی']);
    expect(events.every((e) => e.isRecurring())).toBe(true);
  });
});
