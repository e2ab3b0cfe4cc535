/**
 * A large multistatus cut into parts between its root's children, so that it is read and used a
 * part at a time (a first sync's listing with every card: 45 MB at 50,000 cards) instead of whole.
 * Each part is a document of its own: the answer's prolog and its root's start tag (so every
 * namespace declared there holds), some of the root's children, and the root's end tag; the last
 * part ends as the answer does. Every part is then read by the one XML reader, which checks it as
 * it checks any answer: a cut is only ever made after a child that closed, so the parts' children
 * are the answer's, in its order, and an answer cut short or malformed fails the part that holds
 * the fault. The scan looks only at the bytes `<`, `>`, quotes and the markers of comments, CDATA
 * and processing instructions, none of which occurs inside a UTF-8 sequence of several bytes.
 */

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const DQ = 0x22;
const SQ = 0x27;

const COMMENT = Buffer.from('<!--');
const COMMENT_END = Buffer.from('-->');
const CDATA = Buffer.from('<![CDATA[');
const CDATA_END = Buffer.from(']]>');
const PI_END = Buffer.from('?>');

function startsWith(bytes: Buffer, at: number, what: Buffer): boolean {
  return bytes.length - at >= what.length && bytes.compare(what, 0, what.length, at, at + what.length) === 0;
}

/** The `>` that ends the tag opened at `lt` (quoted attribute values may hold one), or -1. */
function tagEnd(bytes: Buffer, lt: number): number {
  let quote = 0;
  for (let j = lt + 1; j < bytes.length; j++) {
    const b = bytes[j]!;
    if (quote !== 0) {
      if (b === quote) quote = 0;
    } else if (b === DQ || b === SQ) quote = b;
    else if (b === GT) return j;
  }
  return -1;
}

/** After the markup that starts at `lt` other than an element's tag (a comment, CDATA, a PI), or -1; null: not one of those. */
function skipOther(bytes: Buffer, lt: number): number | null {
  const next = bytes[lt + 1];
  if (next === QUESTION) {
    const end = bytes.indexOf(PI_END, lt + 2);
    return end < 0 ? -1 : end + PI_END.length;
  }
  if (next !== BANG) return null;
  if (startsWith(bytes, lt, COMMENT)) {
    const end = bytes.indexOf(COMMENT_END, lt + COMMENT.length);
    return end < 0 ? -1 : end + COMMENT_END.length;
  }
  if (startsWith(bytes, lt, CDATA)) {
    const end = bytes.indexOf(CDATA_END, lt + CDATA.length);
    return end < 0 ? -1 : end + CDATA_END.length;
  }
  return -1; // a DOCTYPE or something stranger: not cut (the reader refuses it)
}

/**
 * The parts of `answer`, each at most `perPart` of the root's children (and no more than
 * `maxBytes` of them past the first child), made one at a time as they are asked for. An answer
 * whose root cannot be found (a DOCTYPE, no element at all) is one part: the whole answer, which
 * the reader refuses as it would.
 */
export function* answerParts(answer: Uint8Array, perPart: number, maxBytes = 4 * 1024 * 1024): Generator<Uint8Array> {
  const bytes = Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength);
  // The prolog: an XML declaration, comments, processing instructions, white space.
  let i = 0;
  let root = -1;
  while (i < bytes.length) {
    const lt = bytes.indexOf(LT, i);
    if (lt < 0) break;
    const after = skipOther(bytes, lt);
    if (after === null) {
      root = lt;
      break;
    }
    if (after < 0) break;
    i = after;
  }
  const open = root < 0 ? -1 : tagEnd(bytes, root);
  if (open < 0 || bytes[open - 1] === SLASH) {
    yield answer;
    return;
  }
  let nameEnd = root + 1;
  while (nameEnd < open && bytes[nameEnd] !== SLASH && bytes[nameEnd]! > 0x20) nameEnd++;
  const head = bytes.subarray(0, open + 1);
  const tail = Buffer.concat([Buffer.from('</'), bytes.subarray(root + 1, nameEnd), Buffer.from('>')]);
  const part = (from: number, to: number | null): Uint8Array => {
    const body = bytes.subarray(from, to ?? bytes.length);
    return new Uint8Array(Buffer.concat(to === null ? [head, body] : [head, body, tail]));
  };
  let from = open + 1;
  let children = 0;
  let depth = 1;
  i = from;
  while (i < bytes.length) {
    const lt = bytes.indexOf(LT, i);
    if (lt < 0) break;
    const other = skipOther(bytes, lt);
    let closedChild = false;
    if (other !== null) {
      if (other < 0) break;
      i = other;
    } else if (bytes[lt + 1] === SLASH) {
      const end = bytes.indexOf(GT, lt);
      if (end < 0) break;
      depth--;
      if (depth === 0) break; // the root's own end: the rest is the last part
      i = end + 1;
      closedChild = depth === 1;
    } else {
      const end = tagEnd(bytes, lt);
      if (end < 0) break;
      if (bytes[end - 1] === SLASH) closedChild = depth === 1;
      else depth++;
      i = end + 1;
    }
    if (closedChild && (++children >= perPart || i - from >= maxBytes)) {
      yield part(from, i);
      from = i;
      children = 0;
    }
  }
  // Never cut: the answer as it came (no copy).
  yield from === open + 1 ? answer : part(from, null);
}
