/**
 * The one XML reader of everything a server sends (WebDAV multistatus answers, GData Atom feeds
 * and entries): a single pass into a namespace-resolved `XmlElement` tree that refuses whatever is
 * not well formed in the sense of XML 1.0 (fifth edition) and Namespaces in XML 1.0. A document
 * that cannot be trusted must never pass for a shorter one: a listing read short would have its
 * missing cards deleted here.
 *
 * Refused: characters XML does not allow (controls, lone surrogates, U+FFFE/FFFF), a bare `&`, an
 * entity other than the five predefined ones, a character reference to no allowed character
 * (`&#0;`), `]]>` in character data, `--` inside a comment, an XML declaration anywhere but at the
 * very start (or a malformed one), names that are not XML names, unclosed or mismatched elements,
 * a second root, text outside the root, unquoted, repeated or value-less attributes, a `<` in an
 * attribute value, a prefix bound to no namespace (`x:response` with no `xmlns:x`), declarations
 * the Namespaces recommendation forbids, and any document type declaration (no server of ours
 * sends one; its entities are a way to make a reader expand a small answer into gigabytes).
 * `tests/unit/dav/xml-reader*.test.ts` hold it to saxes, a conforming parser, on generated and
 * mutated documents.
 *
 * It exists for speed too: a sync-collection answer of 10,000 cards is 9 MB. Namespace scopes are
 * one map changed on the way in and restored on the way out, so deep nesting costs no copies.
 */

export interface XmlElement {
  readonly ns: string;
  readonly local: string;
  /** Attributes by qualified name as written (namespace declarations left out). */
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text (its character data and CDATA sections, concatenated). */
  readonly text: string;
}

export class XmlError extends Error {
  override name = 'XmlError';
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

interface Open {
  readonly qname: string;
  readonly ns: string;
  readonly local: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
  /** The bindings this element's declarations replaced, restored when it closes. */
  readonly undo: readonly (readonly [prefix: string, previous: string | undefined])[] | null;
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML 1.0 §2.2 Char, by what it leaves out, plus every surrogate (fine when paired: looked at one by one). */
// eslint-disable-next-line no-control-regex -- the control characters XML forbids are what this finds
const SUSPECT = /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/g;
// Namespaces in XML 1.0 §3 NCName: an XML 1.0 (5th ed.) Name without colons.
const NC_START = 'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NC_CHAR = `${NC_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040`;
const NCNAME = `[${NC_START}][${NC_CHAR}]*`;
// The name classes hold joiners (U+200C, U+200D) and combining marks (U+0300–U+036F) on purpose.
// eslint-disable-next-line no-misleading-character-class
const QNAME = new RegExp(`^${NCNAME}(?::${NCNAME})?$`, 'u');
// eslint-disable-next-line no-misleading-character-class
const PI_TARGET = new RegExp(`^${NCNAME}$`, 'u');
const S = '[ \\t\\r\\n]';
const QUOTED = (body: string) => `(?:"${body}"|'${body}')`;
/** XML 1.0 §2.8 XMLDecl, matched where the document starts. */
const XML_DECL = new RegExp(
  `<\\?xml${S}+version${S}*=${S}*${QUOTED('1\\.[0-9]+')}(?:${S}+encoding${S}*=${S}*${QUOTED('[A-Za-z][A-Za-z0-9._-]*')})?(?:${S}+standalone${S}*=${S}*${QUOTED('(?:yes|no)')})?${S}*\\?>`,
  'y',
);

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
/** Characters that end a name: space, `/`, `>`, `=`, quotes, `<`, `?`. */
const endsName = (c: number) => isSpace(c) || c === 0x2f || c === 0x3e || c === 0x3d || c === 0x22 || c === 0x27 || c === 0x3c || c === 0x3f;
const onlySpace = (s: string) => /^[ \t\r\n]*$/.test(s);
const isXmlChar = (c: number) => c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

/** XML 1.0 §2.11: CRLF and lone CR read as LF. */
function lineEnds(raw: string): string {
  return raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n');
}

/** Read a document into its root element; throws XmlError on anything not well formed. */
export function readXml(input: string): XmlElement {
  const text = input;
  const n = text.length;
  const stack: Open[] = [];
  /** The namespace bindings in scope now (prefix '' is the default namespace; '' for none). */
  const scope = new Map<string, string>([['xml', XML_NS]]);
  const names = new Set<string>();
  let root: XmlElement | null = null;
  let pos = 0;
  const fail = (what: string): never => {
    const line = text.slice(0, pos).split('\n').length;
    throw new XmlError(`malformed XML: ${what} (line ${line})`);
  };
  const qname = (name: string, what: string): string => {
    if (!names.has(name)) {
      if (!QNAME.test(name)) fail(name === '' ? `a \`<\` that starts no ${what}` : `"${name}" is not an XML name`);
      names.add(name);
    }
    return name;
  };
  /** Character data or an attribute value with its references replaced; only the five predefined entities exist. */
  const decode = (raw: string): string => {
    if (raw.indexOf('&') < 0) return raw;
    // Servers escape every CR of a vCard's CRLF (&#13;): the common case without the loop.
    const s = raw.includes('&#13;') ? raw.replaceAll('&#13;', '\r') : raw;
    let amp = s.indexOf('&');
    if (amp < 0) return s;
    let out = '';
    let last = 0;
    while (amp >= 0) {
      const semi = s.indexOf(';', amp + 1);
      const body = semi < 0 ? '' : s.slice(amp + 1, semi);
      let ch: string | undefined;
      if (body.startsWith('#x') && /^#x[0-9a-fA-F]+$/.test(body)) ch = charRef(Number.parseInt(body.slice(2), 16), body);
      else if (/^#[0-9]+$/.test(body)) ch = charRef(Number(body.slice(1)), body);
      else if (body !== '' && QNAME.test(body)) ch = NAMED[body] ?? fail(`&${body}; is not defined (a document without a DTD has only &lt; &gt; &amp; &quot; &apos;)`);
      else fail('a bare `&` (write &amp;)');
      out += s.slice(last, amp) + ch;
      last = semi + 1;
      amp = s.indexOf('&', last);
    }
    return out + s.slice(last);
  };
  const charRef = (code: number, body: string): string => (isXmlChar(code) ? String.fromCodePoint(code) : fail(`&${body}; refers to a character XML does not allow`));
  const bind = (prefix: string, uri: string, undo: [string, string | undefined][]) => {
    if (prefix === 'xmlns') fail('the prefix xmlns cannot be declared');
    if (prefix === 'xml' ? uri !== XML_NS : uri === XML_NS) fail('only the prefix xml is bound to the XML namespace');
    if (uri === XMLNS_NS) fail('nothing is bound to the xmlns namespace');
    if (prefix !== '' && uri === '') fail(`xmlns:${prefix}="" (a prefix cannot be undeclared in XML 1.0)`);
    if (undo.some(([p]) => p === prefix)) fail(`the prefix ${prefix === '' ? '(default)' : prefix} declared twice on one element`);
    undo.push([prefix, scope.get(prefix)]);
    scope.set(prefix, uri);
  };
  const resolve = (prefix: string, name: string): string => {
    const uri = scope.get(prefix);
    if (uri === undefined) fail(`the prefix of <${name}> is bound to no namespace`);
    return uri!;
  };
  const restore = (undo: Open['undo']) => {
    if (undo === null) return;
    for (let k = undo.length - 1; k >= 0; k--) {
      const [prefix, previous] = undo[k]!;
      if (previous === undefined) scope.delete(prefix);
      else scope.set(prefix, previous);
    }
  };
  const attach = (el: XmlElement) => {
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.children.push(el);
    else root = el;
  };

  // Characters first, in one pass (a plain class without the `u` flag is three times as fast).
  SUSPECT.lastIndex = 0;
  for (let m = SUSPECT.exec(text); m !== null; m = SUSPECT.exec(text)) {
    const c = m[0].charCodeAt(0);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(m.index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        SUSPECT.lastIndex = m.index + 2; // a pair: one character beyond U+FFFF
        continue;
      }
    }
    pos = m.index;
    fail(`the character U+${c.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`);
  }
  // A byte-order mark decoded with the text; the XML declaration, if any, comes right after it.
  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  if (text.startsWith('<?xml', pos) && (isSpace(text.charCodeAt(pos + 5)) || text.charCodeAt(pos + 5) === 0x3f)) {
    XML_DECL.lastIndex = pos;
    if (!XML_DECL.test(text)) fail('a malformed XML declaration');
    pos = XML_DECL.lastIndex;
  }

  while (pos < n) {
    const lt = text.indexOf('<', pos);
    const end = lt < 0 ? n : lt;
    if (end > pos) {
      const raw = text.slice(pos, end);
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (!onlySpace(raw)) fail('text outside the root element');
      } else {
        if (raw.includes(']]>')) fail('`]]>` in character data');
        top.text += decode(lineEnds(raw));
      }
    }
    if (lt < 0) break;
    pos = lt;
    const c1 = text.charCodeAt(lt + 1);
    if (c1 === 0x21 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const close = text.indexOf('-->', lt + 4);
        if (close < 0) fail('unterminated comment');
        // XML 1.0 §2.5: `--` only where the comment ends (and not as `--->`).
        if (text.indexOf('--', lt + 4) !== close) fail('`--` inside a comment');
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
      let i = lt + 2;
      while (i < close && !isSpace(text.charCodeAt(i))) i++;
      const target = text.slice(lt + 2, i);
      if (target.toLowerCase() === 'xml') fail('an XML declaration that is not at the start of the document');
      if (!PI_TARGET.test(target)) fail(`"${target}" is not a processing instruction target`);
      pos = close + 2;
    } else if (c1 === 0x2f /* / */) {
      let i = lt + 2;
      while (i < n && !endsName(text.charCodeAt(i))) i++;
      const name = text.slice(lt + 2, i);
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== 0x3e) fail(`unterminated end tag </${name}`);
      const open = stack.pop();
      if (open === undefined || open.qname !== name) fail(`</${name}> closes ${open === undefined ? 'nothing' : `<${open.qname}>`}`);
      restore(open!.undo);
      attach({ ns: open!.ns, local: open!.local, attrs: open!.attrs, children: open!.children, text: open!.text });
      pos = i + 1;
    } else {
      // A start tag: its name, then attributes, then `>` or `/>`.
      if (root !== null) fail('a second root element');
      let i = lt + 1;
      while (i < n && !endsName(text.charCodeAt(i))) i++;
      const name = qname(text.slice(lt + 1, i), 'tag');
      const attrs: Record<string, string> = {};
      let prefixed = false;
      const undo: [string, string | undefined][] = [];
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
        qname(attr, 'attribute');
        i++;
        while (i < n && isSpace(text.charCodeAt(i))) i++;
        const q = text.charCodeAt(i);
        if (q !== 0x22 && q !== 0x27) fail(`an unquoted attribute value in <${name}>`);
        const close = text.indexOf(q === 0x22 ? '"' : "'", i + 1);
        if (close < 0) fail(`unterminated attribute value in <${name}>`);
        const rawValue = text.slice(i + 1, close);
        if (rawValue.indexOf('<') >= 0) fail(`a \`<\` in an attribute value of <${name}>`);
        // XML 1.0 §3.3.3: each literal white space character reads as a space (references keep theirs).
        const value = decode(/[\t\n\r]/.test(rawValue) ? rawValue.replace(/\r\n|[\t\n\r]/g, ' ') : rawValue);
        i = close + 1;
        // A namespace name is a URI reference: white space around it is no part of it (saxes agrees).
        if (attr === 'xmlns' || attr.startsWith('xmlns:')) bind(attr === 'xmlns' ? '' : attr.slice(6), value.trim(), undo);
        else {
          if (Object.prototype.hasOwnProperty.call(attrs, attr)) fail(`attribute ${attr} twice in <${name}>`);
          attrs[attr] = value;
          if (attr.includes(':')) prefixed = true;
        }
      }
      const colon = name.indexOf(':');
      const prefix = colon < 0 ? '' : name.slice(0, colon);
      if (prefix === 'xmlns') fail(`<${name}>: no element is in the xmlns namespace`);
      const ns = colon < 0 ? (scope.get('') ?? '') : resolve(prefix, name);
      if (prefixed) {
        // Namespaces in XML §6.3: no two attributes with the same namespace and local name.
        const expanded = new Set<string>();
        for (const a of Object.keys(attrs)) {
          const ac = a.indexOf(':');
          const key = ac < 0 ? `|${a}` : `${resolve(a.slice(0, ac), `${name} ${a}=`)}|${a.slice(ac + 1)}`;
          if (expanded.has(key)) fail(`two attributes named ${a.slice(ac + 1)} in one namespace in <${name}>`);
          expanded.add(key);
        }
      }
      const local = colon < 0 ? name : name.slice(colon + 1);
      if (selfClosing) {
        restore(undo.length > 0 ? undo : null);
        attach({ ns, local, attrs, children: [], text: '' });
      } else stack.push({ qname: name, ns, local, attrs, children: [], text: '', undo: undo.length > 0 ? undo : null });
      pos = i;
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.qname}> is never closed (a truncated answer?)`);
  if (root === null) throw new XmlError('no XML root element');
  return root;
}
