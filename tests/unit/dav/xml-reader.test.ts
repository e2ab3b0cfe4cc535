/**
 * The multistatus reader (`readXml`) against fast-xml-parser (`parseXml`): the same tree for every
 * form a document can take (prefixes, default and redeclared namespaces, attributes, entities,
 * line ends, CDATA, comments), on samples and on generated documents; and a document that is cut
 * short or not well formed is refused, never read as a shorter listing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMultistatus } from '../../../electron/dav/multistatus';
import { parseXml } from '../../../electron/dav/xml';
import { readXml } from '../../../electron/dav/xml-reader';

const doc = (inner: string, card = 'urn:ietf:params:xml:ns:carddav') => `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:C="${card}">${inner}</d:multistatus>`;

const SAMPLES = [
  doc('<d:response><d:href>/a.vcf</d:href><d:propstat><d:prop><C:address-data>BEGIN:VCARD&#13;\nFN:A &amp; B &lt;x&gt;&#x1F600;\r\nEND:VCARD\r</C:address-data></d:prop></d:propstat></d:response>'),
  doc('<d:response><d:propstat><d:prop><C:address-data content-type="text/vcard" version=\'3.0\'>X</C:address-data></d:prop></d:propstat></d:response>'),
  doc('<d:response><d:propstat><d:prop><C:address-data><![CDATA[BEGIN:VCARD\nFN:<cdata>\nEND:VCARD]]></C:address-data></d:prop></d:propstat></d:response>'),
  doc('<d:response><d:propstat><d:prop><C:address-data/></d:prop></d:propstat></d:response>'),
  doc('<d:response><d:propstat><d:prop><C:address-data x="a&gt;b">t</C:address-data ></d:prop></d:propstat></d:response>'),
  // A default namespace on the element itself, and an unknown entity left alone.
  doc('<d:response><d:propstat><d:prop><address-data xmlns="urn:ietf:params:xml:ns:carddav">&foo; &#0; ok</address-data></d:prop></d:propstat></d:response>'),
  doc('<d:response><d:propstat><d:prop><x:address-data xmlns:x="urn:other">other</x:address-data></d:prop></d:propstat></d:response>'),
  // Pretty-printed, with comments and a processing instruction; a prefix redeclared further in.
  '<?xml version="1.0" encoding="utf-8"?>\n<!-- listing -->\n<multistatus xmlns="DAV:">\r\n  <response>\n    <href>/a%20b.vcf</href>\n    <propstat><prop><getetag>"1"</getetag></prop><status>HTTP/1.1 200 OK</status></propstat>\n  </response>\n  <?pi data?>\n  <x:response xmlns:x="urn:not-dav"><x:href>elsewhere</x:href></x:response>\n  <sync-token>tok</sync-token>\n</multistatus>\n<!-- after -->\n',
  // Xandikos's report list without the <report> wrapper; empty elements written both ways.
  '<ns0:multistatus xmlns:ns0="DAV:" xmlns:ns1="urn:ietf:params:xml:ns:carddav"><ns0:response><ns0:href>/b/</ns0:href><ns0:propstat><ns0:status>HTTP/1.1 200 OK</ns0:status><ns0:prop><ns0:supported-report-set><ns0:supported-report><ns0:sync-collection /></ns0:supported-report><ns0:supported-report><ns1:addressbook-multiget></ns1:addressbook-multiget></ns0:supported-report></ns0:supported-report-set><ns0:resourcetype><ns0:collection/><ns1:addressbook/></ns0:resourcetype></ns0:prop></ns0:propstat></ns0:response></ns0:multistatus>',
  // Attributes: both quotes, entities, spaces around `=`, a namespace undone by xmlns="".
  '<r xmlns="urn:a" a = "1 &amp; 2" b=\'&quot;q&quot;\'><s xmlns=""><t c="&#65;&#x42;"/></s></r>',
  // Text around and between child elements.
  '<r>one<a/>two<b>in</b>three</r>',
];

describe('the multistatus reader gives what fast-xml-parser gives', () => {
  it.each(SAMPLES.map((s, i) => [i, s]))('sample %i', (_i, text) => {
    expect(readXml(text)).toEqual(parseXml(text));
  });

  it('any character data (property)', () => {
    const chars = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '\r', '\n', '\r\n', '\t', '&amp;', '&lt;', '&gt;', '&#13;', '&#x41;', '&quot;', '&apos;', "'", '"', 'é', '😀', '>', ']]', '&#0;') });
    fc.assert(
      fc.property(chars, chars, (body, attr) => {
        const text = doc(`<d:response a="${attr.replace(/"/g, '&quot;')}"><d:propstat><d:prop><C:address-data>${body}</C:address-data></d:prop></d:propstat></d:response>`);
        expect(readXml(text)).toEqual(parseXml(text));
      }),
      { numRuns: 300 },
    );
  });

  it('any tree of elements, prefixes and namespace declarations (property)', () => {
    const prefix = fc.constantFrom('', 'd', 'C', 'x');
    const local = fc.constantFrom('response', 'href', 'prop', 'address-data', 'a-b.c', 'e1');
    const uri = fc.constantFrom('DAV:', 'urn:ietf:params:xml:ns:carddav', 'urn:x', '');
    const text = fc.string({ unit: fc.constantFrom('t', ' ', '\n', '&amp;', '&#13;', 'ü') });
    const { tree } = fc.letrec((tie) => ({
      tree: fc.record({
        prefix,
        local,
        decls: fc.array(fc.tuple(prefix, uri), { maxLength: 2 }),
        attrs: fc.uniqueArray(fc.tuple(fc.constantFrom('id', 'k', 'x:z'), text), { maxLength: 2, selector: (a) => a[0] }),
        kids: fc.array(fc.oneof({ depthSize: 'small' }, text, tie('tree')), { maxLength: 4 }),
      }),
    }));
    type Node = { prefix: string; local: string; decls: [string, string][]; attrs: [string, string][]; kids: (string | Node)[] };
    const write = (n: Node): string => {
      const name = n.prefix === '' ? n.local : `${n.prefix}:${n.local}`;
      const seen = new Set<string>();
      const decls = n.decls.filter(([p, u]) => !seen.has(p) && seen.add(p) && (p === '' || u !== '')).map(([p, u]) => (p === '' ? ` xmlns="${u}"` : ` xmlns:${p}="${u}"`));
      const attrs = n.attrs.map(([k, v]) => ` ${k}="${v}"`);
      const inner = n.kids.map((k) => (typeof k === 'string' ? k : write(k))).join('');
      return inner === '' ? `<${name}${decls.join('')}${attrs.join('')}/>` : `<${name}${decls.join('')}${attrs.join('')}>${inner}</${name}>`;
    };
    fc.assert(
      fc.property(tree, (t) => {
        const text = write(t as Node);
        expect(readXml(text)).toEqual(parseXml(text));
      }),
      { numRuns: 400 },
    );
  });

  it('a real 10-card Radicale-style answer, CRLF cards and all', () => {
    const cards = Array.from({ length: 10 }, (_, i) => `<response><href>/alice/c/seed-${i}.vcf</href><propstat><prop><getetag>"e${i}"</getetag><CR:address-data>BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u${i}\r\nFN:Małgorzata ${i}\r\nNOTE:a\\, b\\; c\\nd\r\nEND:VCARD\r\n</CR:address-data></prop><status>HTTP/1.1 200 OK</status></propstat></response>`);
    const text = `<?xml version='1.0' encoding='utf-8'?>\n<multistatus xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><sync-token>http://radicale.org/ns/sync/abc</sync-token>${cards.join('')}</multistatus>`;
    expect(readXml(text)).toEqual(parseXml(text));
    const ms = parseMultistatus(text, 'http://x/');
    expect(ms.responses).toHaveLength(10);
    expect(ms.syncToken).toBe('http://radicale.org/ns/sync/abc');
    expect(ms.responses[3]!.props.get('urn:ietf:params:xml:ns:carddav|address-data')!.text).toBe('BEGIN:VCARD\nVERSION:3.0\nUID:u3\nFN:Małgorzata 3\nNOTE:a\\, b\\; c\\nd\nEND:VCARD\n');
  });
});

describe('what the reader refuses', () => {
  const full = doc('<d:response><d:href>/a.vcf</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag><C:address-data>X &amp; Y</C:address-data></d:prop></d:propstat></d:response><d:sync-token>t</d:sync-token>');

  it('an answer cut short anywhere is refused, never read as a shorter listing', () => {
    expect(parseMultistatus(full, 'http://x/').responses).toHaveLength(1);
    for (let cut = 1; cut < full.length; cut++) {
      expect(() => readXml(full.slice(0, cut)), `cut at ${cut}`).toThrow(/malformed XML|no XML root/);
    }
  });

  it.each([
    ['a mismatched end tag', full.replace('</d:propstat>', '</d:prop>')],
    ['an HTML error page', '<html><body>Proxy error<br></body></html>'],
    ['two roots', '<a/><b/>'],
    ['text outside the root', '<a/>junk'],
    ['an unquoted attribute', '<a x=1/>'],
    ['an attribute without a value', '<a x/>'],
    ['an attribute given twice', '<a x="1" x="2"/>'],
    ['a `<` in an attribute value', '<a x="<"/>'],
    ['a `<` that starts no tag', '<a>1 < 2</a>'],
    ['a document type declaration', '<!DOCTYPE a [<!ENTITY x "xxxxxxxx">]><a>&x;</a>'],
    ['an unterminated comment', '<a><!-- x</a>'],
    ['an unterminated CDATA section', '<a><![CDATA[x</a>'],
    ['nothing at all', ''],
  ])('%s', (_what, text) => {
    expect(() => readXml(text)).toThrow(/malformed XML|no XML root/);
    // As a multistatus: a clear error naming the URL, nothing half-read.
    expect(() => parseMultistatus(text, 'http://x/book/')).toThrow(/http:\/\/x\/book\//);
  });
});
