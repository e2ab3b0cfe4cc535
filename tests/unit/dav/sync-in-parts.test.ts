/**
 * A first sync's sync-collection answer read in parts (`CardDavClient.syncCollection` with
 * `inParts`): the next part is read while the part before it is being applied, the parts are
 * handed over in order and one at a time, and a hand-over that fails stops the reading.
 */
import { describe, expect, it, vi } from 'vitest';
import type * as Pool from '../../../electron/dav/reader-pool';

const reads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../electron/dav/reader-pool', async (original) => {
  const real = await original<typeof Pool>();
  return {
    ...real,
    readAnswer: ((...args: Parameters<typeof real.readAnswer>) => {
      reads.count++;
      return real.readAnswer(...args);
    }) as typeof real.readAnswer,
  };
});

const { CardDavClient } = await import('../../../electron/dav/client');
const { DavHttp } = await import('../../../electron/dav/http');

const BOOK = 'https://dav.example/alice/book/';
const response = (i: number) =>
  `<d:response><d:href>/alice/book/c${i}.vcf</d:href><d:propstat><d:prop><d:getetag>"e${i}"</d:getetag><C:address-data>BEGIN:VCARD&#13;\nVERSION:3.0\nUID:c${i}\nFN:Card ${i}\nEND:VCARD\n</C:address-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
const ANSWER = `<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus xmlns:d="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">${Array.from({ length: 4 }, (_, i) => response(i)).join('')}<d:sync-token>tok-4</d:sync-token></d:multistatus>\n`;

function client() {
  const fetch = (async () => new Response(ANSWER, { status: 207, headers: { 'content-type': 'application/xml; charset=utf-8' } })) as typeof globalThis.fetch;
  return new CardDavClient(new DavHttp({ auth: { kind: 'none' }, fetch }));
}

const until = async (done: () => boolean, ms = 2_000) => {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return done();
};

describe('a first sync answer read in parts', () => {
  it('reads the next part while the one before it is being applied, and hands them over in order, one at a time', async () => {
    reads.count = 0;
    const handed: string[][] = [];
    let inFlight = 0;
    let most = 0;
    const readDuringFirst: boolean[] = [];
    const out = await client().syncCollection(BOOK, '', true, {
      perPart: 1,
      onChanged: async (changed) => {
        inFlight++;
        most = Math.max(most, inFlight);
        const readsBefore = reads.count;
        if (handed.length === 0) readDuringFirst.push(await until(() => reads.count > readsBefore));
        handed.push(changed.map((c) => c.href));
        await new Promise((r) => setTimeout(r, 10));
        inFlight--;
      },
    });
    expect(readDuringFirst).toEqual([true]);
    expect(most).toBe(1);
    expect(handed).toEqual([0, 1, 2, 3].map((i) => [`/alice/book/c${i}.vcf`]));
    expect(out.token).toBe('tok-4');
  });

  it('a hand-over that fails stops the reading: its error is thrown and no later part is handed over', async () => {
    const handed: number[] = [];
    const run = client().syncCollection(BOOK, '', true, {
      perPart: 1,
      onChanged: async (changed) => {
        handed.push(changed.length);
        if (handed.length === 2) throw new Error('store failed');
      },
    });
    await expect(run).rejects.toThrow('store failed');
    expect(handed).toEqual([1, 1]);
  });
});
