/**
 * WebDAV XML with real namespaces. fast-xml-parser does not resolve `xmlns` itself, so we parse
 * with `preserveOrder` and resolve prefixes per element scope here: `d:href`, `D:href` and
 * `href` under a default `xmlns="DAV:"` all become {ns: 'DAV:', local: 'href'}.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const NS = {
  DAV: 'DAV:',
  CARDDAV: 'urn:ietf:params:xml:ns:carddav',
  CS: 'http://calendarserver.org/ns/',
} as const;

export interface XmlElement {
  readonly ns: string;
  readonly local: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text (concatenated text children). */
  readonly text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Decodes numeric character references such as &#13; (CR in address data).
  htmlEntities: {} as never,
  processEntities: true,
});

type RawNode = Record<string, unknown>;

export class XmlError extends Error {
  override name = 'XmlError';
}

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Character data as an XML parser reports it: line ends normalised (XML 1.0 §2.11), references decoded. */
export function decodeCharData(raw: string): string {
  let text = raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n');
  if (text.indexOf('&') < 0) return text;
  // Servers escape every CR of a vCard's CRLF (Radicale: &#13;): the common case without a callback.
  if (text.includes('&#13;')) text = text.replaceAll('&#13;', '\r');
  if (text.indexOf('&') < 0) return text;
  return text.replace(ENTITY, (_whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name]!;
    const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
    // As fast-xml-parser does: a reference to no character (&#0;, beyond Unicode) is dropped.
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

export interface ParseOptions {
  /**
   * Elements (by local name) whose text is taken out before parsing and put back after: the big
   * payloads of a multistatus (address-data, 9 MB for 10,000 cards), which the general parser is
   * slow to walk. Only plain character data is lifted; an element holding markup or CDATA is left
   * to the parser. Namespaces are still resolved by the parser, on the emptied element.
   */
  readonly lift?: readonly string[];
}

/** Parse a document into its root element; throws XmlError on malformed input. */
export function parseXml(text: string, opts: ParseOptions = {}): XmlElement {
  let lifted: { nonce: string; texts: string[] } | null = null;
  let doc = text;
  if (opts.lift !== undefined && opts.lift.length > 0) {
    const nonce = `\uE000${Math.random().toString(36).slice(2)}:`;
    const texts: string[] = [];
    const names = opts.lift.map((n) => n.replace(/[^\w.-]/g, '')).join('|');
    // <p:name attrs>text</p:name>, where text has no markup; the closing tag must match the opening one.
    const re = new RegExp(`<((?:[A-Za-z_][\\w.-]*:)?(?:${names}))((?:\\s+[\\w.:-]+\\s*=\\s*(?:"[^"]*"|'[^']*'))*\\s*)>([^<]*)</\\1\\s*>`, 'g');
    doc = doc.replace(re, (_whole, tag: string, attrs: string, body: string) => {
      texts.push(decodeCharData(body));
      return `<${tag}${attrs}>${nonce}${texts.length - 1}</${tag}>`;
    });
    if (texts.length > 0) lifted = { nonce, texts };
  }
  // The parser itself accepts truncated documents; a listing cut short must never pass for a
  // complete one (what it lacks would be deleted here). With the bulk text lifted, this is cheap.
  const valid = XMLValidator.validate(doc);
  if (valid !== true) throw new XmlError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let raw: RawNode[];
  try {
    raw = parser.parse(doc) as RawNode[];
  } catch (e) {
    throw new XmlError(`malformed XML: ${(e as Error).message}`);
  }
  const root = raw.map((n) => convert(n, new Map(), lifted)).find((e): e is XmlElement => e !== null && !e.local.startsWith('?'));
  if (root === undefined) throw new XmlError('no XML root element');
  return root;
}

function convert(node: RawNode, scope: ReadonlyMap<string, string>, lifted: { nonce: string; texts: string[] } | null): XmlElement | null {
  const key = Object.keys(node).find((k) => k !== ':@');
  if (key === undefined || key === '#text') return null;
  const attrsRaw = node[':@'] as Record<string, string> | undefined;
  // A new scope only where the element declares namespaces (most do not).
  let ns: ReadonlyMap<string, string> = scope;
  const attrs: Record<string, string> = {};
  if (attrsRaw !== undefined) {
    for (const [k, v] of Object.entries(attrsRaw)) {
      const name = k.slice(2);
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        if (ns === scope) ns = new Map(scope);
        (ns as Map<string, string>).set(name === 'xmlns' ? '' : name.slice(6), v);
      } else attrs[name] = v;
    }
  }
  const colon = key.indexOf(':');
  const prefix = colon < 0 ? '' : key.slice(0, colon);
  const local = colon < 0 ? key : key.slice(colon + 1);
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[key] ?? []) as RawNode[]) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const el = convert(child, ns, lifted);
      if (el !== null) children.push(el);
    }
  }
  if (lifted !== null && text.startsWith(lifted.nonce)) text = lifted.texts[Number(text.slice(lifted.nonce.length))] ?? text;
  return { ns: ns.get(prefix) ?? '', local, attrs, children, text };
}

export function child(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  return el.children.find((c) => c.ns === ns && c.local === local);
}

export function children(el: XmlElement, ns: string, local: string): XmlElement[] {
  return el.children.filter((c) => c.ns === ns && c.local === local);
}

/** Escape text for an XML body we write. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
