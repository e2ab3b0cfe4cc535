import { describe, expect, it } from 'vitest';
import { duplicateKeys, KEYS_VERSION, serveDuplicatesRequest, type DuplicatesResponse } from '../../../shared/duplicates';
import { serializeVCard } from '../../../shared/vcard';
import { card } from './cards';

const ada = serializeVCard(card('FN:Ada Lovelace', 'EMAIL:ada@example.org'));
const ada2 = serializeVCard(card('FN:Ada Lovelace', 'TEL:020 7946 0000'));
const found = (r: DuplicatesResponse) => {
  if (r.type !== 'found') throw new Error(`expected found, got ${JSON.stringify(r)}`);
  return r;
};

describe('the duplicates worker’s requests', () => {
  it('reads stored vCards, finds the cluster, and hands back the keys it made so they can be kept', () => {
    const r = found(
      serveDuplicatesRequest({
        type: 'find',
        requestId: 7,
        region: 'GB',
        scope: 'book',
        contacts: [
          { id: 'a', bookId: 'b', vcard: ada },
          { id: 'b', bookId: 'b', vcard: ada2 },
        ],
      }),
    );
    expect(r.requestId).toBe(7);
    expect(r.report.clusters.map((c) => c.members)).toEqual([['a', 'b']]);
    expect(r.madeKeys.map((k) => k.id)).toEqual(['a', 'b']);
    expect(r.madeKeys[1]!.keys.phones).toEqual(['+442079460000']);
  });

  it('uses current keys without the card, remakes stale ones from the card, and names what it could not read', () => {
    const current = duplicateKeys(card('FN:Ada Lovelace'), 'GB');
    const stale = { ...current, version: KEYS_VERSION - 1 };
    const r = found(
      serveDuplicatesRequest({
        type: 'find',
        requestId: 1,
        region: 'GB',
        scope: 'book',
        contacts: [
          { id: 'a', bookId: 'b', keys: current },
          { id: 'b', bookId: 'b', keys: stale, vcard: ada },
          { id: 'c', bookId: 'b', keys: stale },
          { id: 'd', bookId: 'b', vcard: 'BEGIN:VCARD\r\nnot a card' },
        ],
      }),
    );
    expect(r.madeKeys.map((k) => k.id)).toEqual(['b']);
    expect(r.unreadable).toEqual(['c', 'd']);
    expect(r.report.clusters.map((c) => c.members)).toEqual([['a', 'b']]);
  });

  it('answers an import with the incoming cards that look like existing ones', () => {
    const r = serveDuplicatesRequest({
      type: 'find-import',
      requestId: 2,
      region: 'GB',
      incoming: [{ id: 'new', bookId: 'file', vcard: ada2 }],
      existing: [{ id: 'old', bookId: 'b', vcard: ada }],
    });
    expect(r.type === 'import-found' && r.duplicates.map((d) => [d.incoming, d.existing.map((p) => p.b)])).toEqual([['new', ['old']]]);
  });

  it('refuses a malformed request with a message, and touches nothing', () => {
    expect(serveDuplicatesRequest(null)).toMatchObject({ type: 'failed', requestId: null });
    expect(serveDuplicatesRequest({ type: 'find', requestId: 3, region: 'GB', scope: 'everywhere', contacts: [] })).toMatchObject({ type: 'failed', requestId: 3, message: expect.stringContaining('scope') });
    expect(serveDuplicatesRequest({ type: 'find', requestId: 4, region: 'GB', scope: 'book', contacts: [{ id: 'a', bookId: 'b' }] })).toMatchObject({ type: 'failed', message: expect.stringContaining('vcard or keys') });
    expect(serveDuplicatesRequest({ type: 'find', requestId: 5, region: 'GB', scope: 'book', contacts: [{ id: 'a', bookId: 'b', keys: { name: 'x' } }] })).toMatchObject({ type: 'failed' });
    expect(serveDuplicatesRequest({ type: 'merge', requestId: 6, region: 'GB' })).toMatchObject({ type: 'failed', message: expect.stringContaining('unknown request') });
  });
});
