/**
 * A byte-exact view of XML elements: where each child element of an element starts and ends in
 * the text, with its qualified name and the namespace declarations in scope. GData's update
 * replaces the whole entry, deleting every element the client leaves out, so the elements Cardinal
 * does not model are sent back exactly as they came; this finds them. Values are read with the
 * namespace-aware parser (`../dav/xml.ts`); this only cuts.
 */

export interface RawElement {
  /** The qualified name as written (`gd:email`, `entry`). */
  readonly qname: string;
  /** The namespace URI of the element (resolved from the declarations in scope). */
  readonly ns: string;
  readonly local: string;
  /** Offsets in the scanned text: the whole element, and its content (after the start tag). */
  readonly start: number;
  readonly end: number;
  readonly contentStart: number;
  readonly contentEnd: number;
  /** Namespace declarations in scope for this element, its own included (prefix '' is default). */
  readonly scope: ReadonlyMap<string, string>;
}

export class ScanError extends Error {
  override name = 'ScanError';
}

interface StartTag {
  qname: string;
  attrs: Map<string, string>;
  selfClosing: boolean;
  end: number;
}

function readStartTag(xml: string, at: number): StartTag {
  let i = at + 1;
  while (i < xml.length && !/[\s/>]/.test(xml[i]!)) i++;
  const qname = xml.slice(at + 1, i);
  const attrs = new Map<string, string>();
  for (;;) {
    while (i < xml.length && /\s/.test(xml[i]!)) i++;
    if (i >= xml.length) throw new ScanError(`unterminated tag <${qname}`);
    if (xml[i] === '>') return { qname, attrs, selfClosing: false, end: i + 1 };
    if (xml[i] === '/' && xml[i + 1] === '>') return { qname, attrs, selfClosing: true, end: i + 2 };
    const nameStart = i;
    while (i < xml.length && !/[\s=/>]/.test(xml[i]!)) i++;
    const name = xml.slice(nameStart, i);
    while (i < xml.length && /\s/.test(xml[i]!)) i++;
    if (xml[i] !== '=') throw new ScanError(`attribute ${name} without a value in <${qname}`);
    i++;
    while (i < xml.length && /\s/.test(xml[i]!)) i++;
    const q = xml[i];
    if (q !== '"' && q !== "'") throw new ScanError(`unquoted attribute ${name} in <${qname}`);
    const close = xml.indexOf(q, i + 1);
    if (close < 0) throw new ScanError(`unterminated attribute ${name} in <${qname}`);
    attrs.set(name, xml.slice(i + 1, close));
    i = close + 1;
  }
}

function withDeclarations(scope: ReadonlyMap<string, string>, attrs: Map<string, string>): ReadonlyMap<string, string> {
  let out: Map<string, string> | null = null;
  for (const [k, v] of attrs) {
    if (k !== 'xmlns' && !k.startsWith('xmlns:')) continue;
    out ??= new Map(scope);
    out.set(k === 'xmlns' ? '' : k.slice(6), v);
  }
  return out ?? scope;
}

function resolve(qname: string, scope: ReadonlyMap<string, string>): { ns: string; local: string } {
  const colon = qname.indexOf(':');
  return colon < 0 ? { ns: scope.get('') ?? '', local: qname } : { ns: scope.get(qname.slice(0, colon)) ?? '', local: qname.slice(colon + 1) };
}

/** Skip a comment, CDATA section, processing instruction or DOCTYPE at `at`; the index after it. */
function skipSpecial(xml: string, at: number): number {
  const ends: [string, string][] = [
    ['<!--', '-->'],
    ['<![CDATA[', ']]>'],
    ['<?', '?>'],
    ['<!', '>'],
  ];
  for (const [open, close] of ends) {
    if (xml.startsWith(open, at)) {
      const e = xml.indexOf(close, at + open.length);
      if (e < 0) throw new ScanError(`unterminated ${open}`);
      return e + close.length;
    }
  }
  return -1;
}

/** The element starting at `at` (a `<name`), with its extent. */
export function scanElement(xml: string, at: number, scope: ReadonlyMap<string, string>): RawElement {
  const tag = readStartTag(xml, at);
  const inner = withDeclarations(scope, tag.attrs);
  const { ns, local } = resolve(tag.qname, inner);
  if (tag.selfClosing) return { qname: tag.qname, ns, local, start: at, end: tag.end, contentStart: tag.end, contentEnd: tag.end, scope: inner };
  let depth = 1;
  let i = tag.end;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    const skipped = skipSpecial(xml, lt);
    if (skipped >= 0) {
      i = skipped;
      continue;
    }
    if (xml[lt + 1] === '/') {
      const gt = xml.indexOf('>', lt);
      if (gt < 0) break;
      depth--;
      if (depth === 0) {
        const closing = xml.slice(lt + 2, gt).trim();
        if (closing !== tag.qname) throw new ScanError(`</${closing}> closes <${tag.qname}>`);
        return { qname: tag.qname, ns, local, start: at, end: gt + 1, contentStart: tag.end, contentEnd: lt, scope: inner };
      }
      i = gt + 1;
    } else {
      const t = readStartTag(xml, lt);
      if (!t.selfClosing) depth++;
      i = t.end;
    }
  }
  throw new ScanError(`<${tag.qname}> is not closed`);
}

/** The child elements of `parent`, in order. */
export function childElements(xml: string, parent: RawElement): RawElement[] {
  const out: RawElement[] = [];
  let i = parent.contentStart;
  while (i < parent.contentEnd) {
    const lt = xml.indexOf('<', i);
    if (lt < 0 || lt >= parent.contentEnd) break;
    const skipped = skipSpecial(xml, lt);
    if (skipped >= 0) {
      i = skipped;
      continue;
    }
    const el = scanElement(xml, lt, parent.scope);
    out.push(el);
    i = el.end;
  }
  return out;
}

/** The document's root element. */
export function rootElement(xml: string): RawElement {
  let i = 0;
  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) throw new ScanError('no root element');
    const skipped = skipSpecial(xml, lt);
    if (skipped >= 0) {
      i = skipped;
      continue;
    }
    return scanElement(xml, lt, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]));
  }
}

/** An element's start tag attributes (raw values, still escaped). */
export function attributesOf(xml: string, el: RawElement): Map<string, string> {
  return readStartTag(xml, el.start).attrs;
}
