/** RFC 4918 §13 multistatus: one entry per response, its properties by status. */
import { UnreadableAnswer } from './errors';
import { NS, child, children, type XmlElement } from './xml';
import { readXml } from './xml-reader';

export interface DavResponse {
  /** Percent-decoded path, as the server wrote it (compare hrefs decoded). */
  href: string;
  /** The response's own status (sync-collection deletions are 404 here). */
  status: number | null;
  /** Properties that came back with 200, keyed `ns|local`. */
  props: Map<string, XmlElement>;
}

export interface Multistatus {
  responses: DavResponse[];
  syncToken: string | null;
  root: XmlElement;
}

export const propKey = (ns: string, local: string): string => `${ns}|${local}`;

function statusCode(el: XmlElement | undefined): number | null {
  const m = /HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(el?.text ?? '');
  return m === null ? null : Number(m[1]);
}

export function decodeHref(href: string): string {
  try {
    return decodeURIComponent(href.trim());
  } catch {
    return href.trim();
  }
}

export function parseMultistatus(text: string, url: string): Multistatus {
  let root: XmlElement;
  try {
    root = readXml(text);
  } catch (e) {
    throw new UnreadableAnswer(`${url}: ${(e as Error).message}`, 207, url);
  }
  if (root.ns !== NS.DAV || root.local !== 'multistatus') throw new UnreadableAnswer(`${url}: expected a multistatus, got ${root.local}`, 207, url);
  const responses = children(root, NS.DAV, 'response').map((r) => {
    const props = new Map<string, XmlElement>();
    for (const ps of children(r, NS.DAV, 'propstat')) {
      const st = statusCode(child(ps, NS.DAV, 'status'));
      if (st !== null && (st < 200 || st >= 300)) continue;
      for (const p of child(ps, NS.DAV, 'prop')?.children ?? []) props.set(propKey(p.ns, p.local), p);
    }
    return { href: decodeHref(child(r, NS.DAV, 'href')?.text ?? ''), status: statusCode(child(r, NS.DAV, 'status')), props };
  });
  return { responses, syncToken: child(root, NS.DAV, 'sync-token')?.text.trim() ?? null, root };
}
