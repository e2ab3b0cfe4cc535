/**
 * A multistatus read in parts (`answerParts`) says what it says read whole: the same changes in the
 * same order, the same token and 507, the same refusals; one cut short or malformed fails. Cut as
 * it arrives (`partCutter`, fed its bytes in pieces), it makes the same parts.
 */
import { describe, expect, it } from 'vitest';
import { answerParts, partCutter } from '../../../electron/dav/answer-parts';
import { readSyncChanges, type SyncChanges } from '../../../electron/dav/answers';

const BOOK = 'https://dav.example/alice/book/';
const enc = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const dec = (b: Uint8Array) => Buffer.from(b).toString('utf8');

function inParts(text: string, perPart: number): SyncChanges {
  const out: SyncChanges = { changed: [], removed: [], token: null, truncated: false, outside: [] };
  for (const part of answerParts(enc(text), perPart)) {
    const got = readSyncChanges(dec(part), BOOK, BOOK, true);
    out.changed.push(...got.changed);
    out.removed.push(...got.removed);
    out.outside.push(...got.outside);
    out.token = got.token ?? out.token;
    out.truncated ||= got.truncated;
  }
  return out;
}

const response = (i: number, data: string) => `<d:response><d:href>/alice/book/c${i}.vcf</d:href><d:propstat><d:prop><d:getetag>"e${i}"</d:getetag><C:address-data>${data}</C:address-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
const vcard = (i: number) => `BEGIN:VCARD&#13;\nVERSION:3.0\nUID:c${i}\nFN:Zoë ${i} &lt;x&gt;\nEND:VCARD\n`;

const documents: Record<string, string> = {
  plain: `<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus xmlns:d="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">${Array.from({ length: 7 }, (_, i) => response(i, vcard(i))).join('')}<d:sync-token>tok-7</d:sync-token></d:multistatus>\n`,
  tricky:
    '\uFEFF<?xml version="1.0"?><!-- a > comment --><?pi </d:response> ?>\n' +
    `<d:multistatus xmlns:d="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav" a='x > /y'>` +
    `<d:sync-token>first</d:sync-token>` +
    response(1, '<![CDATA[BEGIN:VCARD\nFN:</d:response></d:multistatus>\nEND:VCARD\n]]>') +
    `<!-- </d:response> -->text between` +
    response(2, vcard(2)) +
    `<d:response><d:href>/alice/book/gone.vcf</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>` +
    `<d:response><d:href>https://elsewhere.example/x.vcf</d:href><d:propstat><d:prop><d:getetag>"o"</d:getetag></d:prop></d:propstat></d:response>` +
    `<d:response a="/>"/>` +
    `<d:response><d:href>/alice/book/</d:href><d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response>` +
    response(3, vcard(3)) +
    `</d:multistatus><!-- after -->`,
};

describe('a sync-collection answer read in parts', () => {
  for (const [name, text] of Object.entries(documents)) {
    for (const perPart of [1, 2, 3, 500]) {
      it(`reads the ${name} answer in parts of ${perPart} as it reads it whole`, () => {
        expect(inParts(text, perPart)).toEqual(readSyncChanges(text, BOOK, BOOK, true));
      });
    }
  }

  it('cuts the answer into parts of the given number of children', () => {
    expect([...answerParts(enc(documents.plain!), 2)]).toHaveLength(5); // 8 children, then the root's end
    expect([...answerParts(enc(documents.plain!), 500)]).toHaveLength(1);
  });

  it('an answer cut short, anywhere, fails as it fails whole', () => {
    const text = documents.plain!;
    for (let cut = 50; cut < text.length - 5; cut += 37) {
      const short = text.slice(0, cut);
      expect(() => readSyncChanges(short, BOOK, BOOK, true)).toThrow();
      expect(() => inParts(short, 2)).toThrow();
    }
  });

  it('a malformed answer fails in parts too: a second root, a DOCTYPE, a mismatched end', () => {
    const text = documents.plain!;
    for (const bad of [text + '<d:multistatus xmlns:d="DAV:"/>', '<!DOCTYPE x>' + text, text.replace('</d:response>', '</d:responsx>')]) {
      expect(() => readSyncChanges(bad, BOOK, BOOK, true)).toThrow();
      expect(() => inParts(bad, 2)).toThrow();
    }
  });

  /** The parts a cutter makes of `text` fed in pieces (the buffer filled as they come, `sizes` in turn), all of it at the end. */
  function fedInPieces(text: string, perPart: number, sizes: readonly number[]): string[] {
    const bytes = enc(text);
    const cutter = partCutter(perPart);
    const out: string[] = [];
    let filled = 0;
    for (let k = 0; filled < bytes.length; k++) {
      filled = Math.min(bytes.length, filled + sizes[k % sizes.length]!);
      if (filled < bytes.length) for (const p of cutter.parts(bytes, filled, false)) out.push(dec(p));
    }
    for (const p of cutter.parts(bytes, bytes.length, true)) out.push(dec(p));
    return out;
  }

  for (const [name, text] of Object.entries(documents)) {
    it(`cuts the ${name} answer as it arrives into the parts it cuts of it whole, at every split`, () => {
      for (const perPart of [1, 2, 500]) {
        const whole = [...answerParts(enc(text), perPart)].map(dec);
        for (const sizes of [[1], [2], [3], [7], [1, 13], [64], [5, 1, 2]]) expect(fedInPieces(text, perPart, sizes)).toEqual(whole);
        // Two pieces, split at every byte.
        for (let cut = 1; cut < enc(text).length; cut++) expect(fedInPieces(text, perPart, [cut, 1 << 30])).toEqual(whole);
      }
    });
  }

  it('an answer still arriving yields a part as soon as its children are in, and nothing before', () => {
    const text = documents.plain!;
    const bytes = enc(text);
    const cutter = partCutter(2);
    const firstEnd = text.indexOf('</d:response>', text.indexOf('</d:response>') + 1) + '</d:response>'.length;
    expect([...cutter.parts(bytes, Buffer.byteLength(text.slice(0, firstEnd - 1)), false)]).toEqual([]);
    const got = [...cutter.parts(bytes, Buffer.byteLength(text.slice(0, firstEnd)), false)].map(dec);
    expect(got).toHaveLength(1);
    expect(readSyncChanges(got[0]!, BOOK, BOOK, true).changed.map((c) => c.href)).toEqual(['/alice/book/c0.vcf', '/alice/book/c1.vcf']);
  });

  it('an answer whose bytes grow into a new buffer (past its declared length) is cut on', () => {
    const text = documents.plain!;
    const bytes = enc(text);
    const cutter = partCutter(1);
    const early = [...cutter.parts(bytes.slice(0, 400), 400, false)].map(dec);
    const rest = [...cutter.parts(enc(text), bytes.length, true)].map(dec);
    expect([...early, ...rest]).toEqual([...answerParts(bytes, 1)].map(dec));
  });
});
