/**
 * A first sync's sync-collection answer read in parts (`CardDavClient.syncCollection` with
 * `inParts`): the next part is read while the part before it is being applied, the parts are
 * handed over in order and one at a time, a hand-over that fails stops the reading, and the first
 * part is handed over while the server still sends the rest.
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

  /** A server that sends the answer's first `head` bytes, then the rest once `release` is called (or after 1.5 s). */
  function slowServer(head: number) {
    const bytes = Buffer.from(ANSWER, 'utf8');
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
      setTimeout(resolve, 1_500);
    });
    let ended = false;
    const fetch = (async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(new Uint8Array(bytes.subarray(0, head)));
            await released;
            controller.enqueue(new Uint8Array(bytes.subarray(head)));
            ended = true;
            controller.close();
          },
        }),
        { status: 207, headers: { 'content-type': 'application/xml; charset=utf-8', 'content-length': String(bytes.length) } },
      )) as typeof globalThis.fetch;
    return { client: new CardDavClient(new DavHttp({ auth: { kind: 'none' }, fetch })), release: () => release(), ended: () => ended };
  }

  it('hands the first part over while the server still sends the rest of the answer', async () => {
    const twoCards = ANSWER.indexOf('</d:response>', ANSWER.indexOf('</d:response>') + 1) + '</d:response>'.length;
    const server = slowServer(Buffer.byteLength(ANSWER.slice(0, twoCards + 10)));
    const handed: { hrefs: string[]; whileSending: boolean }[] = [];
    const out = await server.client.syncCollection(BOOK, '', true, {
      perPart: 2,
      onChanged: async (changed) => {
        handed.push({ hrefs: changed.map((c) => c.href), whileSending: !server.ended() });
        server.release();
      },
    });
    expect(handed).toEqual([
      { hrefs: ['/alice/book/c0.vcf', '/alice/book/c1.vcf'], whileSending: true },
      { hrefs: ['/alice/book/c2.vcf', '/alice/book/c3.vcf'], whileSending: false },
    ]);
    expect(out.token).toBe('tok-4');
  });

  it('an answer that fails after its first part was handed over throws, and hands over no more', async () => {
    const bytes = Buffer.from(ANSWER, 'utf8');
    const twoCards = ANSWER.indexOf('</d:response>', ANSWER.indexOf('</d:response>') + 1) + '</d:response>'.length + 10;
    const fetch = (async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(new Uint8Array(bytes.subarray(0, twoCards)));
            await new Promise((r) => setTimeout(r, 50));
            controller.error(new Error('connection reset'));
          },
        }),
        { status: 207, headers: { 'content-length': String(bytes.length) } },
      )) as typeof globalThis.fetch;
    const handed: number[] = [];
    const run = new CardDavClient(new DavHttp({ auth: { kind: 'none' }, fetch })).syncCollection(BOOK, '', true, { perPart: 2, onChanged: async (changed) => void handed.push(changed.length) });
    await expect(run).rejects.toThrow(/connection reset/);
    expect(handed).toEqual([2]);
  });
});
