/**
 * The multistatus fast path: address-data text taken out before parsing and put back after must
 * give exactly what the parser alone gives, whatever the prefixes, attributes, entities, line ends
 * or CDATA.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCharData, parseXml } from '../../../electron/dav/xml';
import { parseMultistatus } from '../../../electron/dav/multistatus';

const doc = (inner: string, card = 'urn:ietf:params:xml:ns:carddav') => `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:C="${card}">${inner}</d:multistatus>`;

const SAMPLES = [
  doc('<d:response><d:href>/a.vcf</d:href><d:propstat><d:prop><C:address-data>BEGIN:VCARD&#13;\nFN:A &amp; B &lt;x&gt;&#x1F600;\r\nEND:VCARD\r</C:address-data></d:prop></d:propstat></d:response>'),
  doc('<d:response><d:propstat><d:prop><C:address-data content-type="text/vcard" version=\'3.0\'>X</C:address-data></d:prop></d:propstat></d:response>'),
  doc('<d:response><d:propstat><d:prop><C:address-data><![CDATA[BEGIN:VCARD\nFN:<cdata>\nEND:VCARD]]></C:address-data></d:prop></d:propstat></d:response>'),
  doc('<d:response><d:propstat><d:prop><C:address-data/></d:prop></d:propstat></d:response>'),
  doc('<d:response><d:propstat><d:prop><C:address-data x="a&gt;b">t</C:address-data ></d:prop></d:propstat></d:response>'),
  // A default namespace on the element itself, and an unknown entity left alone.
  doc('<d:response><d:propstat><d:prop><address-data xmlns="urn:ietf:params:xml:ns:carddav">&foo; &#0; ok</address-data></d:prop></d:propstat></d:response>'),
  // Another namespace with the same local name is lifted too, and stays in its namespace.
  doc('<d:response><d:propstat><d:prop><x:address-data xmlns:x="urn:other">other</x:address-data></d:prop></d:propstat></d:response>'),
];

describe('lifting address-data out of a multistatus before parsing', () => {
  it.each(SAMPLES.map((s, i) => [i, s]))('sample %i parses the same with and without lifting', (_i, text) => {
    expect(parseXml(text, { lift: ['address-data'] })).toEqual(parseXml(text));
  });

  it('any character data parses the same (property)', () => {
    const chars = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '\r', '\n', '\t', '&amp;', '&lt;', '&gt;', '&#13;', '&#x41;', '&quot;', "'", '"', 'é', '😀', '>') });
    fc.assert(
      fc.property(chars, (body) => {
        const text = doc(`<d:response><d:propstat><d:prop><C:address-data>${body}</C:address-data></d:prop></d:propstat></d:response>`);
        expect(parseXml(text, { lift: ['address-data'] })).toEqual(parseXml(text));
      }),
      { numRuns: 300 },
    );
  });

  it('character data: CRLF and CR become LF, references are decoded', () => {
    expect(decodeCharData('a\r\nb\rc&#13;&#x41;&amp;&bogus;&#0;')).toBe('a\nb\nc\rA&&bogus;');
  });

  it('malformed or truncated XML is refused, never read as a shorter listing', () => {
    const full = doc('<d:response><d:href>/a.vcf</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag><C:address-data>X</C:address-data></d:prop></d:propstat></d:response>');
    expect(parseMultistatus(full, 'http://x/').responses).toHaveLength(1);
    expect(() => parseMultistatus(full.slice(0, full.length - 20), 'http://x/')).toThrow(/malformed XML/);
    expect(() => parseMultistatus(full.replace('</d:propstat>', '</d:prop>'), 'http://x/')).toThrow(/malformed XML/);
    expect(() => parseMultistatus('<html><body>Proxy error</body>', 'http://x/')).toThrow(/malformed XML/);
  });
});
