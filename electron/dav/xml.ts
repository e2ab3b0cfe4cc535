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

/**
 * Parse a document into its root element; throws XmlError on malformed input. The big multistatus
 * answers of a sync are read by `readXml` (xml-reader.ts) instead, which gives the same tree.
 */
export function parseXml(text: string): XmlElement {
  // The parser itself accepts truncated documents; one cut short must never pass for a complete one.
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let raw: RawNode[];
  try {
    raw = parser.parse(text) as RawNode[];
  } catch (e) {
    throw new XmlError(`malformed XML: ${(e as Error).message}`);
  }
  const root = raw.map((n) => convert(n, new Map())).find((e): e is XmlElement => e !== null);
  if (root === undefined) throw new XmlError('no XML root element');
  return root;
}

function convert(node: RawNode, scope: ReadonlyMap<string, string>): XmlElement | null {
  const key = Object.keys(node).find((k) => k !== ':@');
  // Processing instructions (`?xml`, `?pi`) are not elements.
  if (key === undefined || key === '#text' || key.startsWith('?')) return null;
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
      const el = convert(child, ns);
      if (el !== null) children.push(el);
    }
  }
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
