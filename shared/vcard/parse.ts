import { decodeVCardBytes } from './bytes';
import { forEachLogicalLine, headEnd, type LogicalLine } from './lines';
import {
  DEFAULT_LIMITS,
  type ParseLimits,
  type ParseResult,
  type ParsedCard,
  type VCard,
  type VCardParseError,
  type VParam,
  type VProperty,
} from './types';

// RFC 6350 allows letters, digits and '-'. Writers also use '_', '/' and even spaces
// (`X-messaging/xmpp-All`, `X-GOOGLE TALK`): keep such a property as written rather than lose it.
const NAME_OK = /^[^\s;:"\p{Cc}](?:[^;:"\p{Cc}]*[^\s;:"\p{Cc}])?$/u;
const GROUP_OK = /^[A-Za-z0-9_.-]+$/;
/** The RFC's own form, checked first because it is by far the most common and the cheapest. */
const STRICT_NAME = /^[A-Za-z0-9-]+$/;

/** Thrown by `parseVCard` (one card expected) with the line at fault. */
export class VCardError extends Error {
  constructor(
    readonly code: VCardParseError['code'],
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'VCardError';
  }
}

/** Split on a separator outside double quotes. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++; // see headEnd: `\"` inside quotes does not close them
    else if (c === '"') quoted = !quoted;
    else if (c === sep && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function parseParam(segment: string): VParam {
  const eq = segment.indexOf('=');
  if (eq < 0) return { name: null, values: [segment.trim()], quoted: false };
  const name = segment.slice(0, eq).trim();
  const raw = segment.slice(eq + 1);
  let quoted = false;
  const values = splitOutsideQuotes(raw, ',').map((v) => {
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
      quoted = true;
      return v.slice(1, -1);
    }
    return v;
  });
  return { name, values, quoted };
}

/** One content line into a property, or null when it is not `[group.]name[;params]:value`. */
const NO_PARAMS: readonly VParam[] = Object.freeze([]);

export function parseContentLine(text: string): VProperty | null {
  const colon = headEnd(text);
  if (colon <= 0) return null;
  const semi = text.indexOf(';');
  const nameEnd = semi >= 0 && semi < colon ? semi : colon;
  const fullName = text.slice(0, nameEnd);
  const dot = fullName.lastIndexOf('.');
  const group = dot > 0 ? fullName.slice(0, dot) : null;
  const name = dot > 0 ? fullName.slice(dot + 1) : fullName;
  if (!(STRICT_NAME.test(name) || NAME_OK.test(name)) || (group !== null && !GROUP_OK.test(group))) return null;
  let params = NO_PARAMS;
  if (nameEnd < colon) {
    const list: VParam[] = [];
    for (const seg of splitOutsideQuotes(text.slice(nameEnd + 1, colon), ';')) if (seg.length > 0) list.push(parseParam(seg));
    params = list;
  }
  return { group, name, params, value: text.slice(colon + 1) };
}

function isMarker(text: string, marker: 'BEGIN' | 'END'): boolean {
  // Cheap rejection first: this runs on every line. Then tolerate `begin:vcard`, trailing spaces,
  // and a group on BEGIN (seen in the wild: `item.BEGIN`).
  if (text.length > 40) return false;
  const c = text.charCodeAt(0) | 0x20;
  if (c !== (marker === 'BEGIN' ? 0x62 : 0x65) && text.indexOf('.') < 0) return false;
  const t = text.trim().toUpperCase();
  return t === `${marker}:VCARD` || t.endsWith(`.${marker}:VCARD`);
}

interface OpenCard {
  line: number;
  properties: VProperty[];
  warnings: VCardParseError[];
  size: number;
  failed: VCardParseError | null;
  /** Depth of a vCard embedded without folding (vCard 2.1 AGENT). */
  nested: number;
}

/**
 * Parse every card in a file. Bad cards are reported with their line and skipped; the good ones
 * still come through. Input sizes are bounded by `limits`, so no input makes this hang or grow
 * without bound.
 */
export function parseVCards(input: string | Uint8Array, limits: Partial<ParseLimits> = {}): ParseResult {
  const lim: ParseLimits = { ...DEFAULT_LIMITS, ...limits };
  const text = typeof input === 'string' ? stripBom(input) : decodeVCardBytes(input).text;
  const cards: ParsedCard[] = [];
  const errors: VCardParseError[] = [];
  // A stack, because Android and others nest whole cards inside a card (each is its own contact).
  const stack: OpenCard[] = [];
  let strayReported = false;
  let otherComponent: string | null = null;
  let tooMany = false;
  const begin = (line: number): OpenCard => ({ line, properties: [], warnings: [], size: 0, failed: null, nested: 0 });

  const fail = (card: OpenCard, code: VCardParseError['code'], line: number, message: string): void => {
    if (card.failed === null) card.failed = { code, line, message };
  };
  const close = (card: OpenCard): void => {
    if (card.failed !== null) errors.push(card.failed);
    else if (cards.length >= lim.maxCards) {
      if (!tooMany) errors.push({ code: 'too-many-cards', line: card.line, message: `more than ${lim.maxCards} cards; the rest were not read` });
      tooMany = true;
    } else cards.push({ card: { properties: card.properties }, line: card.line, warnings: card.warnings });
  };

  forEachLogicalLine(text, lim.maxLineLength, (lineText, lineNo, tooLong) => {
    const ll = { text: lineText, line: lineNo, tooLong };
    const open = stack[stack.length - 1];
    if (open === undefined) {
      if (otherComponent !== null) {
        if (ll.text.trim().toUpperCase() === `END:${otherComponent}`) otherComponent = null;
        return;
      }
      const other = /^BEGIN:([A-Z0-9-]+)\s*$/i.exec(ll.text.trim());
      if (other !== null && other[1]!.toUpperCase() !== 'VCARD') {
        otherComponent = other[1]!.toUpperCase();
        errors.push({ code: 'other-component', line: ll.line, message: `skipped a ${otherComponent} block: not a vCard` });
        return;
      }
      if (isMarker(ll.text, 'BEGIN')) {
        stack.push(begin(ll.line));
        strayReported = false;
      } else if (!strayReported) {
        errors.push({ code: 'missing-begin', line: ll.line, message: `text outside a card: expected BEGIN:VCARD` });
        strayReported = true;
      }
      return;
    }
    if (open.nested === 0 && isMarker(ll.text, 'END')) {
      close(stack.pop()!);
      return;
    }
    if (open.nested === 0 && isMarker(ll.text, 'BEGIN') && !lastValueEmpty(open)) {
      stack.push(begin(ll.line));
      return;
    }
    addLine(open, ll, lim, fail);
  });
  for (const card of stack.reverse()) {
    fail(card, 'missing-end', card.line, `card starting at line ${card.line} has no END:VCARD`);
    close(card);
  }
  return { cards, errors };
}

function lastValueEmpty(card: OpenCard): boolean {
  const last = card.properties[card.properties.length - 1];
  return last !== undefined && last.value.trim() === '';
}

function addLine(
  card: OpenCard,
  ll: LogicalLine,
  lim: ParseLimits,
  fail: (card: OpenCard, code: VCardParseError['code'], line: number, message: string) => void,
): void {
  if (card.failed !== null) return;
  if (ll.tooLong) return fail(card, 'line-too-long', ll.line, `line longer than ${lim.maxLineLength} characters`);
  card.size += ll.text.length;
  if (card.size > lim.maxCardLength) return fail(card, 'card-too-large', ll.line, `card larger than ${lim.maxCardLength} characters`);

  const last = card.properties[card.properties.length - 1];
  // vCard 2.1 AGENT may embed a whole card on its own lines; keep it inside the AGENT value.
  if (card.nested > 0 || (isMarker(ll.text, 'BEGIN') && last !== undefined)) {
    if (isMarker(ll.text, 'BEGIN')) card.nested++;
    else if (isMarker(ll.text, 'END')) card.nested--;
    const sep = last!.value === '' ? '' : '\\n';
    card.properties[card.properties.length - 1] = { ...last!, value: last!.value + sep + ll.text };
    return;
  }
  const prop = parseContentLine(ll.text);
  if (prop === null) {
    if (last === undefined) return fail(card, 'bad-line', ll.line, `not a content line: ${preview(ll.text)}`);
    // Writers that forget to fold (Google's own exports among them) break a value with a raw line
    // break; the line belongs to the value above. Kept, with a warning.
    card.properties[card.properties.length - 1] = { ...last, value: `${last.value}\\n${ll.text}` };
    card.warnings.push({ code: 'bad-line', line: ll.line, message: `line without a colon joined to the value above: ${preview(ll.text)}` });
    return;
  }
  if (card.properties.length >= lim.maxPropertiesPerCard) {
    return fail(card, 'too-many-properties', ll.line, `more than ${lim.maxPropertiesPerCard} properties in one card`);
  }
  card.properties.push(prop);
}

function preview(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Exactly one card, or a VCardError naming the line. */
export function parseVCard(input: string | Uint8Array, limits: Partial<ParseLimits> = {}): VCard {
  const result = parseVCards(input, limits);
  const err = result.errors[0];
  if (err !== undefined) throw new VCardError(err.code, err.line, err.message);
  const first = result.cards[0];
  if (first === undefined) throw new VCardError('missing-begin', 1, 'no BEGIN:VCARD found');
  if (result.cards.length > 1) throw new VCardError('bad-line', result.cards[1]!.line, 'more than one card where one was expected');
  return first.card;
}
