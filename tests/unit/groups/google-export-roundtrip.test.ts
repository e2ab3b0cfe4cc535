import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ContactRepo } from '../../../renderer/src/db/repo';
import { ContactIndex } from '../../../renderer/src/store/contact-index';
import { GroupStore } from '../../../renderer/src/store/groups';
import { scopeCardsWithGroups } from '../../../renderer/src/features/export/scope';
import { runExport } from '../../../renderer/src/features/export/export-run';
import { classifyImport } from '../../../renderer/src/features/import/import';
import { importCards } from '../../../renderer/src/workers/import-cards';
import { translator } from '../../../renderer/src/i18n';
import type { Services } from '../../../renderer/src/services';
import { parseVCard } from '../../../shared/vcard';

const card = (fn: string, extra = '') => parseVCard(`BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${fn}\r\nFN:${fn}\r\nN:${fn};;;;\r\nEMAIL:${fn}@example.org\r\n${extra}END:VCARD\r\n`);

async function googleBook() {
  const repo = await ContactRepo.open(`google-export-${Date.now()}-${Math.random()}`);
  await repo.db.books.put({ id: 'g', name: 'ada@gmail.com', kind: 'carddav', version: '3.0', createdAt: 0 });
  const index = new ContactIndex('en');
  const groups = await GroupStore.open(repo, index);
  groups.setSignals('g', { account: 'google', url: 'https://www.googleapis.com/carddav/v1/principals/ada@gmail.com/lists/default/' });
  const s = { repo, index, groups, t: translator('en'), lang: 'en' } as unknown as Services;
  const add = async (c: ReturnType<typeof card>) => {
    const stored = await repo.create('g', c);
    index.upsert([stored.row]);
    return stored.row.id;
  };
  return { s, groups, index, add };
}

describe('a Google book exported as stored and imported again', () => {
  it('finds every contact already here: the labels written into CATEGORIES are the groups it has, not a change', async () => {
    const { s, groups, index, add } = await googleBook();
    const ada = await add(card('Ada'));
    // A name typed into the Groups field (CATEGORIES, kept on this computer) beside a label.
    const bob = await add(card('Bob', 'CATEGORIES:Typed here\r\n'));
    const cy = await add(card('Cy'));
    const chess = await groups.create('g', 'Chess');
    const work = await groups.create('g', 'Work');
    await groups.addMembers('g', chess, [ada, bob]);
    await groups.addMembers('g', work, [ada]);
    expect(groups.groups('g').find((g) => g.key === chess)?.labelId).not.toBeNull();

    const ids = index.query('', 'g').map((r) => r.id);
    const cards = await scopeCardsWithGroups(s, ids, 'book');
    const [file] = runExport({ format: 'vcard', cards, baseName: 'Contacts', layout: 'one-file', photos: true, outlookLanguage: 'en', lang: 'en' }).files;
    const text = new TextDecoder().decode(file!.bytes);
    expect(text).toContain('CATEGORIES:Chess,Work');
    expect(text).toMatch(/CATEGORIES:Typed here,Chess\r\n/);

    const preview = await classifyImport(s, 'Contacts.vcf', importCards(file!.bytes), 'g');
    expect({ fresh: preview.fresh.length, identical: preview.identical, conflicting: preview.conflicting.map((c) => index.get(c.existingId)?.displayName) }).toEqual({ fresh: 0, identical: 3, conflicting: [] });
    // Every name the file carries is a group here already ("Typed here" the CATEGORIES one).
    expect(preview.groupCounts).toEqual({ created: 0, joined: 3 });
    expect(index.get(cy)?.categories).toEqual([]);
  });

  it('a contact changed in the file is still a change', async () => {
    const { s, groups, index, add } = await googleBook();
    const ada = await add(card('Ada'));
    const chess = await groups.create('g', 'Chess');
    await groups.addMembers('g', chess, [ada]);
    const cards = await scopeCardsWithGroups(s, [ada], 'book');
    const [file] = runExport({ format: 'vcard', cards, baseName: 'Contacts', layout: 'one-file', photos: true, outlookLanguage: 'en', lang: 'en' }).files;
    const changed = new TextDecoder().decode(file!.bytes).replace('EMAIL:Ada@example.org', 'EMAIL:ada@elsewhere.org');
    const preview = await classifyImport(s, 'Contacts.vcf', importCards(new TextEncoder().encode(changed)), 'g');
    expect(preview.conflicting.map((c) => index.get(c.existingId)?.displayName)).toEqual(['Ada']);
  });
});
