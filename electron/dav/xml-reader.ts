/**
 * A single-pass reader for the XML WebDAV servers answer with, into the same namespace-resolved
 * `XmlElement` tree that `parseXml` (fast-xml-parser) gives. It exists for speed: a sync-collection
 * or multiget answer of 10,000 cards is 9 MB, and reading it here takes a fraction of the general
 * parser's time and garbage. `tests/unit/dav/xml-reader.test.ts` holds it to `parseXml`'s output on
 * every document form and on generated ones.
 *
 * It checks what decides whether a listing can be trusted: every element closed by its own name,
 * one root, nothing after it but comments and processing instructions, attributes quoted, no `<`
 * in character data. A document type declaration is refused (no server of ours sends one, and its
 * entities are a way to make a parser expand a small answer into gigabytes).
 */
import type { XmlElement } from './xml';
import { XmlError } from './xml';

interface Open {
  name: string;
  ns: ReadonlyMap<string, string>;
  prefix: string;
  local: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REF = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z]+));/g;
const EMPTY: ReadonlyMap<string, string> = new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);

/** Character data with its references decoded; an unknown entity is kept as written. */
function decode(raw: string): string {
  if (raw.indexOf('&') < 0) return raw;
  // Servers escape every CR of a vCard's CRLF (&#13;): the common case without a callback.
  let text = raw.includes('&#13;') ? raw.replaceAll('&#13;', '\r') : raw;
  if (text.indexOf('&') < 0) return text;
  text = text.replace(REF, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name] ?? whole;
    const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
    // A reference to no character (&#0;, beyond Unicode) is dropped, as fast-xml-parser does.
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
  return text;
}

/** XML 1.0 §2.11: CRLF and lone CR read as LF. */
function lineEnds(raw: string): string {
  return raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n');
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
/** Characters that end a name: space, `/`, `>`, `=`, quotes, `<`. */
const endsName = (c: number) => isSpace(c) || c === 0x2f || c === 0x3e || c === 0x3d || c === 0x22 || c === 0x27 || c === 0x3c;

/** Read a document into its root element; throws XmlError on malformed input. */
export function readXml(input: string): XmlElement {
  const text = input;
  const n = text.length;
  const stack: Open[] = [];
  let root: XmlElement | null = null;
  let pos = 0;
  const fail = (what: string): never => {
    const line = text.slice(0, pos).split('\n').length;
    throw new XmlError(`malformed XML: ${what} (line ${line})`);
  };

  while (pos < n) {
    const lt = text.indexOf('<', pos);
    const end = lt < 0 ? n : lt;
    if (end > pos) {
      const raw = text.slice(pos, end);
      const top = stack[stack.length - 1];
      if (top !== undefined) top.text += decode(lineEnds(raw));
      else if (raw.trim() !== '') fail('text outside the root element');
    }
    if (lt < 0) break;
    pos = lt;
    const c1 = text.charCodeAt(lt + 1);
    if (c1 === 0x21 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const close = text.indexOf('-->', lt + 4);
        if (close < 0) fail('unterminated comment');
        pos = close + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        const close = text.indexOf(']]>', lt + 9);
        if (close < 0) fail('unterminated CDATA section');
        const top = stack[stack.length - 1];
        if (top === undefined) fail('CDATA outside the root element');
        top!.text += lineEnds(text.slice(lt + 9, close));
        pos = close + 3;
      } else if (text.startsWith('<!DOCTYPE', lt)) {
        fail('a document type declaration is not accepted');
      } else fail('unknown markup');
    } else if (c1 === 0x3f /* ? */) {
      const close = text.indexOf('?>', lt + 2);
      if (close < 0) fail('unterminated processing instruction');
      pos = close + 2;
    } else if (c1 === 0x2f /* / */) {
      let i = lt + 2;
      while (i < n && !endsName(text.charCodeAt(i))) i++;
      const name = text.slice(lt + 2, i);
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== 0x3e) fail(`unterminated end tag </${name}`);
      const open = stack.pop();
      if (open === undefined || open.name !== name) fail(`</${name}> closes ${open === undefined ? 'nothing' : `<${open.name}>`}`);
      const el: XmlElement = { ns: open!.ns.get(open!.prefix) ?? '', local: open!.local, attrs: open!.attrs, children: open!.children, text: open!.text };
      const parent = stack[stack.length - 1];
      if (parent !== undefined) parent.children.push(el);
      else root = el;
      pos = i + 1;
    } else {
      // A start tag: its name, then attributes, then `>` or `/>`.
      if (root !== null) fail('a second root element');
      let i = lt + 1;
      while (i < n && !endsName(text.charCodeAt(i))) i++;
      const name = text.slice(lt + 1, i);
      if (name === '') fail('a `<` that starts no tag');
      const parent = stack[stack.length - 1];
      let ns = parent?.ns ?? EMPTY;
      const attrs: Record<string, string> = {};
      let selfClosing = false;
      for (;;) {
        const before = i;
        while (i < n && isSpace(text.charCodeAt(i))) i++;
        const c = text.charCodeAt(i);
        if (c === 0x3e) {
          i++;
          break;
        }
        if (c === 0x2f && text.charCodeAt(i + 1) === 0x3e) {
          selfClosing = true;
          i += 2;
          break;
        }
        if (i >= n) fail(`unterminated tag <${name}`);
        if (i === before) fail(`no space before an attribute of <${name}>`);
        const a0 = i;
        while (i < n && !endsName(text.charCodeAt(i))) i++;
        const attr = text.slice(a0, i);
        while (i < n && isSpace(text.charCodeAt(i))) i++;
        if (attr === '' || text.charCodeAt(i) !== 0x3d) fail(`an attribute without a value in <${name}>`);
        i++;
        while (i < n && isSpace(text.charCodeAt(i))) i++;
        const q = text.charCodeAt(i);
        if (q !== 0x22 && q !== 0x27) fail(`an unquoted attribute value in <${name}>`);
        const close = text.indexOf(q === 0x22 ? '"' : "'", i + 1);
        if (close < 0) fail(`unterminated attribute value in <${name}>`);
        const rawValue = text.slice(i + 1, close);
        if (rawValue.indexOf('<') >= 0) fail(`a \`<\` in an attribute value of <${name}>`);
        const value = decode(lineEnds(rawValue));
        i = close + 1;
        if (attr === 'xmlns' || attr.startsWith('xmlns:')) {
          if (ns === (parent?.ns ?? EMPTY)) ns = new Map(ns);
          (ns as Map<string, string>).set(attr === 'xmlns' ? '' : attr.slice(6), value);
        } else {
          if (Object.prototype.hasOwnProperty.call(attrs, attr)) fail(`attribute ${attr} twice in <${name}>`);
          attrs[attr] = value;
        }
      }
      const colon = name.indexOf(':');
      const open: Open = { name, ns, prefix: colon < 0 ? '' : name.slice(0, colon), local: colon < 0 ? name : name.slice(colon + 1), attrs, children: [], text: '' };
      if (selfClosing) {
        const el: XmlElement = { ns: ns.get(open.prefix) ?? '', local: open.local, attrs, children: [], text: '' };
        if (parent !== undefined) parent.children.push(el);
        else root = el;
      } else stack.push(open);
      pos = i;
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.name}> is never closed (a truncated answer?)`);
  if (root === null) throw new XmlError('no XML root element');
  return root;
}
