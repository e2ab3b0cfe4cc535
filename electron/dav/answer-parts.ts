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
  yield* partCutter(perPart, maxBytes).parts(answer, answer.byteLength, true);
}

/**
 * The same cut of an answer still arriving: `parts(bytes, filled, complete)` makes the parts that
 * the first `filled` bytes hold whole (the bytes so far, in a buffer that grows or is replaced by
 * a longer one with the same start), and with `complete` the rest, ending as `answerParts` ends.
 * Each call goes on from where the last stopped: a tag, comment or end cut off by `filled` is read
 * again once more bytes came. Fed the bytes in any pieces, it makes the parts `answerParts` makes
 * of the whole (`tests/unit/dav/answer-parts.test.ts`).
 */
export function partCutter(perPart: number, maxBytes = 4 * 1024 * 1024): { parts(answer: Uint8Array, filled: number, complete: boolean): Generator<Uint8Array> } {
  /** Where the scan stands: in the prolog, in the root's children (`open` known), or done. */
  let phase: 'prolog' | 'children' | 'done' = 'prolog';
  let i = 0;
  let root = -1;
  let open = -1;
  let head: Buffer | null = null;
  let tail: Buffer | null = null;
  let from = 0;
  let children = 0;
  let depth = 1;
  return {
    *parts(answer, filled, complete) {
      if (phase === 'done') return;
      const whole = Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength);
      const bytes = complete ? whole : whole.subarray(0, filled);
      /** Markup cut off by the bytes so far (not yet known): wait for more, unless there is no more. */
      const short = (at: number) => !complete && bytes.length - at < CDATA.length;
      if (phase === 'prolog') {
        // The prolog: an XML declaration, comments, processing instructions, white space.
        for (;;) {
          const lt = bytes.indexOf(LT, i);
          if (lt < 0) {
            if (!complete) return;
            break;
          }
          if (short(lt)) return;
          const after = skipOther(bytes, lt);
          if (after === null) {
            root = lt;
            break;
          }
          if (after < 0) {
            if (!complete) return;
            break;
          }
          i = after;
        }
        open = root < 0 ? -1 : tagEnd(bytes, root);
        if (open < 0 && !complete) {
          if (root >= 0) i = root; // the root's start tag, cut off: read again
          root = -1;
          return;
        }
        if (open < 0 || bytes[open - 1] === SLASH) {
          phase = 'done';
          yield answer;
          return;
        }
        let nameEnd = root + 1;
        while (nameEnd < open && bytes[nameEnd] !== SLASH && bytes[nameEnd]! > 0x20) nameEnd++;
        head = Buffer.from(bytes.subarray(0, open + 1));
        tail = Buffer.concat([Buffer.from('</'), bytes.subarray(root + 1, nameEnd), Buffer.from('>')]);
        from = open + 1;
        i = from;
        phase = 'children';
      }
      const part = (to: number | null): Uint8Array => {
        const body = bytes.subarray(from, to ?? bytes.length);
        return new Uint8Array(Buffer.concat(to === null ? [head!, body] : [head!, body, tail!]));
      };
      while (i < bytes.length) {
        const lt = bytes.indexOf(LT, i);
        if (lt < 0) break;
        if (short(lt)) return;
        const other = skipOther(bytes, lt);
        let closedChild = false;
        if (other !== null) {
          if (other < 0) break;
          i = other;
        } else if (bytes[lt + 1] === SLASH) {
          const end = bytes.indexOf(GT, lt);
          if (end < 0) break;
          if (depth === 1) break; // the root's own end: the rest is the last part
          depth--;
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
          const cut = part(i);
          from = i;
          children = 0;
          yield cut;
        }
      }
      // Cut off by the bytes so far: the rest when more came. Else, and never cut: the answer as it came (no copy).
      if (!complete) return;
      phase = 'done';
      yield from === open + 1 ? answer : part(null);
    },
  };
}
