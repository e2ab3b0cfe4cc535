/**
 * A first sync's cards come from the host's answer reader with their list fields and stored text
 * made beside them (`derive`, in the reader's worker), and the window writes them as they came:
 * what the worker made is what the window makes itself of the same text, on every card of the
 * fixture corpus (a card that cannot be read comes without, and the window reads and reports it);
 * a malformed derived card over the store request refuses the batch, and nothing of it is written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeReader, readInWorker } from '../../electron/dav/reader-pool';
import { deriveListFields } from '../../shared/book/derive';
import type { RemoteCard } from '../../shared/sync/types';
import { parseVCard, serializeVCard, VCardError } from '../../shared/vcard';
import { dexieBook } from './local-books';

const FIXTURES = '/work/shared/fixtures/vcards';
const BOOK = 'https://dav.example/alice/book/';
/** Characters XML 1.0 cannot carry (a server's answer never holds them). */
const notXml = (t: string) => [...t].some((ch) => {
  const c = ch.codePointAt(0)!;
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff;
});
const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');

function corpus(): string[] {
  const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.vcf')).sort();
  return files.map((f) => readFileSync(join(FIXTURES, f), 'utf8')).filter((t) => !notXml(t));
}

/** The window's own derivation (as `applyRemote` made it before the host sent it along). */
function windowsOwn(vcard: string): { fields: unknown; vcard: string } | null {
  try {
    const card = parseVCard(vcard);
    return { fields: deriveListFields(card), vcard: serializeVCard(card) };
  } catch (e) {
    if (e instanceof VCardError) return null;
    throw e;
  }
}

const response = (i: number, vcard: string) =>
  `<d:response><d:href>/alice/book/c${i}.vcf</d:href><d:propstat><d:prop><d:getetag>"e${i}"</d:getetag><C:address-data>${xmlText(vcard)}</C:address-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
const answerOf = (cards: readonly string[]) =>
  new Uint8Array(Buffer.from(`<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus xmlns:d="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">${cards.map((c, i) => response(i, c)).join('')}<d:sync-token>t</d:sync-token></d:multistatus>\n`, 'utf8'));

describe('cards derived by the host’s answer reader', () => {
  afterAll(() => closeReader());

  it('on every card of the fixture corpus, the worker’s list fields and stored text are the window’s own (none for a card that cannot be read)', async () => {
    const cards = corpus();
    expect(cards.length).toBeGreaterThan(150);
    const got = await readInWorker('sync-collection', answerOf(cards), BOOK, { bookUrl: BOOK, withData: true, derive: true });
    expect(got.changed).toHaveLength(cards.length);
    let readable = 0;
    for (const c of got.changed) {
      const own = windowsOwn(c.vcard!);
      if (own === null) {
        expect(c.derived, c.href).toBeUndefined();
        continue;
      }
      readable++;
      expect({ fields: c.derived?.fields, vcard: c.derived?.vcard ?? c.vcard }, c.href).toEqual(own);
    }
    expect(readable).toBeGreaterThan(100);
  });

  it('without `derive` the reader sends none', async () => {
    const got = await readInWorker('sync-collection', answerOf(corpus().slice(0, 3)), BOOK, { bookUrl: BOOK, withData: true });
    expect(got.changed.every((c) => c.derived === undefined)).toBe(true);
  });

  it('the store writes a derived card as it came, the same row and card as from its own parse; a malformed one refuses the batch and writes nothing', async () => {
    const local = await dexieBook();
    const text = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u1\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n';
    const got = await readInWorker('sync-collection', answerOf([text, text.replace(/u1/g, 'u2')]), BOOK, { bookUrl: BOOK, withData: true, derive: true });
    const [a, b] = got.changed.map((c): RemoteCard => ({ href: c.href, etag: c.etag, vcard: c.vcard!, ...(c.derived !== undefined ? { derived: c.derived } : {}) }));
    expect(a!.derived).toBeDefined();
    const db = local.page().repo.db;
    const { derived: _, ...plain } = b!;
    expect(await local.collection.applyRemote({ upserts: [a!, plain], deletes: [] })).toEqual([]);
    const rows = await db.contacts.toArray();
    const strip = (r: object) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'id' && k !== 'updatedAt' && k !== 'uid'));
    const [ra, rb] = ['u1', 'u2'].map((u) => rows.find((r) => r.uid === u)!);
    expect(strip(ra!)).toEqual(strip(rb!));
    const cardA = (await db.cards.get(ra!.id))!;
    expect(cardA.vcard).toBe(serializeVCard(parseVCard(text)));

    const count = await db.contacts.count();
    const bad: unknown[] = [
      { fields: { ...a!.derived!.fields, extra: 'x' } },
      { fields: { ...a!.derived!.fields, search: 1 } },
      { fields: { ...a!.derived!.fields, categories: [1] } },
      { fields: { ...a!.derived!.fields, groupCard: 'other' } },
      { fields: a!.derived!.fields, vcard: 7 },
      { fields: a!.derived!.fields, more: true },
      'fields',
    ];
    for (const derived of bad) {
      const batch = { upserts: [{ ...a!, href: '/alice/book/new.vcf', derived: derived as RemoteCard['derived'] }], deletes: [] };
      await expect(local.collection.applyRemote(batch)).rejects.toThrow(/malformed/);
    }
    expect(await db.contacts.count()).toBe(count);
  });
});
