/**
 * Cardinal's own Google or Outlook CSV export imported back into the same book: a CSV has no UID
 * and each format keeps only part of a card, so the cards read back are compared with the
 * contacts as they come back through that format. The same after the round trip is "already
 * here"; a changed contact is new (and goes to the duplicate review as before).
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ContactRepo } from '../../../renderer/src/db/repo';
import { LOCAL_BOOK_ID } from '../../../renderer/src/db/schema';
import { ContactIndex } from '../../../renderer/src/store/contact-index';
import { GroupStore } from '../../../renderer/src/store/groups';
import { scopeCardsWithGroups } from '../../../renderer/src/features/export/scope';
import { runExport, type ExportRequest } from '../../../renderer/src/features/export/export-run';
import { classifyImport, type RoundTripKeys } from '../../../renderer/src/features/import/import';
import { importedCard } from '../../../renderer/src/workers/imported-cards';
import { translator } from '../../../renderer/src/i18n';
import type { Services } from '../../../renderer/src/services';
import { csvRoundTripKeys, importCsv, type CsvFormatId } from '../../../shared/csv';
import { parseVCard } from '../../../shared/vcard';

const vcard = (lines: string) => parseVCard(`BEGIN:VCARD\r\nVERSION:4.0\r\n${lines.trim().split('\n').join('\r\n')}\r\nEND:VCARD\r\n`);

/** Contacts as the editor and a .vcf import keep them: kinds and labels each format writes its own way. */
const CONTACTS = [
  // The display name is not the name parts: Google's CSV keeps the parts only.
  vcard('UID:a\nFN:Ada\nN:Lovelace;Ada;Augusta;Countess;\nEMAIL;TYPE=work:ada@example.org\nTEL;TYPE=cell:+44 20 7946 0000\nBDAY:1815-12-10\nNICKNAME:Countess\nORG:Analytical Engines\nTITLE:Mathematician'),
  // E-mail kinds and a pref, which Outlook does not keep; a custom phone label.
  vcard('UID:g\nFN:Grace Hopper\nN:Hopper;Grace;Brewster;Rear Admiral;\nEMAIL;TYPE=home;PREF=1:grace@example.org\nEMAIL;TYPE=work:g@navy.example\nitem1.TEL:+1 202 555 0100\nitem1.X-ABLabel:Boat\nADR;TYPE=home:;;1 Main St;Arlington;VA;22201;USA\nURL:https://example.org\nNOTE:Line one\\nline two\nCATEGORIES:Navy,Friends'),
  // A name as one string, no parts; a year-less birthday.
  vcard('UID:s\nFN:سارا کریمی\nTEL:+98 21 1234 5678\nBDAY:--0229'),
  vcard('UID:w\nFN:王小明\nN:王;小明;;;\nEMAIL:wang@example.tw'),
  // Only an organisation.
  vcard('UID:o\nFN:Acme Ltd\nORG:Acme Ltd\nTEL;TYPE=work:+1 202 555 0199'),
];

async function book() {
  const repo = await ContactRepo.open(`reimport-${Date.now()}-${Math.random()}`);
  const index = new ContactIndex('en');
  const groups = await GroupStore.open(repo, index);
  const s = { repo, index, groups, t: translator('en'), lang: 'en' } as unknown as Services;
  for (const c of CONTACTS) index.upsert([(await repo.create(LOCAL_BOOK_ID, c)).row]);
  return { s, index };
}

const FORMATS = [
  ['Google CSV', 'google-csv', 'en', 'google'],
  ['Outlook CSV (English)', 'outlook-csv', 'en', 'outlook-en'],
  ['Outlook CSV (German)', 'outlook-csv', 'de', 'outlook-de'],
  ['Outlook CSV (French)', 'outlook-csv', 'fr', 'outlook-fr'],
] as const;

/** The book exported as the Export dialog writes a CSV (groups as CATEGORIES). */
async function exported(s: Services, index: ContactIndex, format: ExportRequest['format'], language: 'en' | 'de' | 'fr'): Promise<Uint8Array> {
  const cards = await scopeCardsWithGroups(s, index.query('', LOCAL_BOOK_ID).map((r) => r.id), 'categories');
  return runExport({ format, cards, baseName: 'Contacts', layout: 'one-file', photos: true, outlookLanguage: language, lang: 'en' }).files[0]!.bytes;
}

/** The file read as the CSV worker reads it, then sorted against the book as the import dialog does. */
function classify(s: Services, bytes: Uint8Array, roundTrip: boolean) {
  const read = importCsv(bytes);
  const cards = read.cards.map((c) => importedCard(parseVCard(c.vcard), c.row, c.starred));
  const keys: RoundTripKeys = async (vcards) => csvRoundTripKeys(read.format as CsvFormatId, vcards);
  return classifyImport(s, 'Contacts.csv', { cards, errors: [] }, LOCAL_BOOK_ID, roundTrip ? keys : undefined);
}

describe('re-importing Cardinal’s own CSV export into the same book', () => {
  it.each(FORMATS)('%s: 0 new, every contact already here', async (_, format, language, id) => {
    const { s, index } = await book();
    const bytes = await exported(s, index, format, language);
    expect(importCsv(bytes).format).toBe(id);
    const preview = await classify(s, bytes, true);
    expect({ fresh: preview.fresh.map((c) => c.fields.displayName), identical: preview.identical, conflicting: preview.conflicting.length }).toEqual({ fresh: [], identical: CONTACTS.length, conflicting: 0 });
  });

  it.each(FORMATS)('%s: compared only as stored (no round trip), the contacts the format respells would be new', async (_, format, language) => {
    // What the round trip is for: without it some of these cards are not equal to their contact.
    const { s, index } = await book();
    const preview = await classify(s, await exported(s, index, format, language), false);
    expect(preview.fresh.length).toBeGreaterThan(0);
  });

  it.each(FORMATS)('%s: a contact changed in the file is new; the others already here', async (_, format, language) => {
    const { s, index } = await book();
    const text = new TextDecoder().decode(await exported(s, index, format, language)).replace('g@navy.example', 'grace@navy.example');
    const preview = await classify(s, new TextEncoder().encode(text), true);
    expect({ fresh: preview.fresh.map((c) => c.fields.displayName), identical: preview.identical }).toEqual({ fresh: ['Rear Admiral Grace Brewster Hopper'], identical: CONTACTS.length - 1 });
  });

  it('a contact in two groups: its CATEGORIES as the export writes them are no change', async () => {
    const { s, index } = await book();
    const groups = s.groups;
    const key = await groups.create(LOCAL_BOOK_ID, 'Chess');
    await groups.addMembers(LOCAL_BOOK_ID, key, [index.query('', LOCAL_BOOK_ID).find((r) => r.displayName === 'Ada')!.id]);
    const preview = await classify(s, await exported(s, index, 'google-csv', 'en'), true);
    expect({ fresh: preview.fresh.length, identical: preview.identical }).toEqual({ fresh: 0, identical: CONTACTS.length });
  });
});
