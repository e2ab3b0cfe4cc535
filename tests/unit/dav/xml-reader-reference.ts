/**
 * The reference the reader is held to: saxes, a conforming XML 1.0 + Namespaces parser, building
 * the same `XmlElement` tree; `null` where the document is not well formed. Saxes lets three
 * things through that the recommendations forbid, and the reference adds them back: a lone
 * surrogate in an attribute value (XML 1.0 §2.2: not a Char), a local part that is not an NCName,
 * as in `c:1k` (Namespaces in XML §4), and a processing instruction whose target runs straight into
 * its data, as in `<?p? d?>` (XML 1.0 §2.6: white space must come between them).
 */
import { SaxesParser } from 'saxes';
import type { XmlElement } from '../../../electron/dav/xml-reader';

interface Building {
  ns: string;
  local: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NC_START = 'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
// Joiners and combining marks are name characters (XML 1.0 §2.3), hence the lint exception.
// eslint-disable-next-line no-misleading-character-class
const NCNAME = new RegExp(`^[${NC_START}][${NC_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040]*$`, 'u');

export function conformingTree(text: string): XmlElement | null {
  if (LONE_SURROGATE.test(text)) return null;
  // Documents are read as XML 1.0 whatever their declaration says (as the reader reads them).
  const parser = new SaxesParser({ xmlns: true, position: true, forceXMLVersion: true, defaultXMLVersion: '1.0' });
  const stack: Building[] = [];
  let root: XmlElement | null = null;
  let failed = false;
  parser.on('error', () => {
    failed = true;
  });
  parser.on('processinginstruction', (pi) => {
    if (pi.body !== '' && text.includes(`<?${pi.target}${pi.body}?>`)) failed = true;
  });
  parser.on('opentag', (tag) => {
    if (!NCNAME.test(tag.local) || Object.values(tag.attributes).some((a) => a.name !== 'xmlns' && !NCNAME.test(a.local))) failed = true;
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) if (a.name !== 'xmlns' && !a.name.startsWith('xmlns:')) attrs[a.name] = a.value;
    stack.push({ ns: tag.uri, local: tag.local, attrs, children: [], text: '' });
  });
  const addText = (t: string) => {
    const top = stack[stack.length - 1];
    if (top !== undefined) top.text += t;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const el = stack.pop()!;
    const done: XmlElement = { ns: el.ns, local: el.local, attrs: el.attrs, children: el.children, text: el.text };
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.children.push(done);
    else root = done;
  });
  try {
    parser.write(text).close();
  } catch {
    failed = true;
  }
  return failed ? null : root;
}
