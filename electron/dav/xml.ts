/**
 * WebDAV and Atom XML with real namespaces: `d:href`, `D:href` and `href` under a default
 * `xmlns="DAV:"` all become {ns: 'DAV:', local: 'href'}. Every document a server sends is read by
 * the one conforming reader, `readXml` (xml-reader.ts); this module names the namespaces, finds
 * children, and escapes what we write.
 */
import { readXml, XmlError, type XmlElement } from './xml-reader';

export { XmlError, type XmlElement };

export const NS = {
  DAV: 'DAV:',
  CARDDAV: 'urn:ietf:params:xml:ns:carddav',
  CS: 'http://calendarserver.org/ns/',
} as const;

/** Parse a document into its root element; throws XmlError on anything not well formed. */
export function parseXml(text: string): XmlElement {
  return readXml(text);
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
