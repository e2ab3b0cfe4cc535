import { decodeVCardBytes } from './bytes';
import { forEachLogicalLine, forEachRunLine, headEnd, type LogicalLine, type StrayRun } from './lines';
import { unescapeText } from './escape';
import { propertyLine } from './serialize';
import { TextBuffer } from './text-buffer';
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

/**
 * Parameters made only of common strings (`TYPE=CELL`, 2.1's bare `HOME`), one frozen object each,
 * shared by every property that has one: a parameter is never changed in place (an edit writes a
 * new one), and the cards of an import are held in memory.
 */
const SHARED_PARAMS = new Map<string | null, Map<string, VParam>>();

function sharedParam(name: string | null, value: string): VParam {
  let byValue = SHARED_PARAMS.get(name);
  if (byValue === undefined) SHARED_PARAMS.set(name, (byValue = new Map()));
  let param = byValue.get(value);
  if (param === undefined) byValue.set(value, (param = Object.freeze({ name, values: Object.freeze([value]), quoted: false })));
  return param;
}

function parseParam(segment: string): VParam {
  const eq = segment.indexOf('=');
  // A bare parameter is kept as written, blanks included: trimmed, `;  ;` would be written `;;`.
  if (eq < 0) {
    const common = commonName(segment, 0, segment.length, COMMON_PARAM_VALUES);
    return common === undefined ? { name: null, values: [segment], quoted: false } : sharedParam(null, common);
  }
  const common = commonName(segment, 0, eq, COMMON_PARAM_NAMES);
  const name = common ?? segment.slice(0, eq).trim();
  // The common case, one plain value or a plain list: no quote to look at.
  if (segment.indexOf('"', eq + 1) < 0) {
    if (segment.indexOf(',', eq + 1) >= 0) return { name, values: segment.slice(eq + 1).split(','), quoted: false };
    const value = commonName(segment, eq + 1, segment.length, COMMON_PARAM_VALUES);
    if (value === undefined) return { name, values: [segment.slice(eq + 1)], quoted: false };
    return common === undefined ? { name, values: [value], quoted: false } : sharedParam(common, value);
  }
  const raw = segment.slice(eq + 1);
  let anyQuoted = false;
  let allQuoted = true;
  const flags: boolean[] = [];
  const values = splitOutsideQuotes(raw, ',').map((v) => {
    const q = v.length >= 2 && v.startsWith('"') && v.endsWith('"');
    flags.push(q);
    if (q) anyQuoted = true;
    else allQuoted = false;
    return q ? v.slice(1, -1) : v;
  });
  // Quoting is recorded per value when it differs (`X="a",b`), so one quoted value does not quote all.
  return { name, values, quoted: anyQuoted && !allQuoted ? flags : anyQuoted };
}

/**
 * Property names as most cards spell them, by length. A name spelled so is this one shared string
 * rather than a copy a property: the cards of an import are held in memory, and the contact view
 * finds a shared string's kind at once.
 */
const COMMON_NAMES = byLength([
  'VERSION', 'UID', 'FN', 'N', 'NICKNAME', 'ORG', 'TITLE', 'ROLE', 'EMAIL', 'TEL', 'ADR', 'URL', 'BDAY', 'ANNIVERSARY', 'NOTE',
  'CATEGORIES', 'PHOTO', 'IMPP', 'RELATED', 'KIND', 'REV', 'PRODID', 'GENDER', 'LABEL', 'X-ABLabel', 'X-ABDATE', 'X-ABRELATEDNAMES',
  'X-ABUID', 'X-ABADR', 'MEMBER', 'SOURCE', 'TZ', 'GEO', 'LANG', 'LOGO', 'SOUND', 'KEY', 'CLIENTPIDMAP', 'X-SOCIALPROFILE',
]);
/** Parameter names and single values as most cards spell them (shared the same way). */
const COMMON_PARAM_NAMES = byLength(['TYPE', 'PREF', 'VALUE', 'ENCODING', 'CHARSET', 'LABEL', 'PID', 'ALTID', 'LANGUAGE', 'MEDIATYPE', 'X-SERVICE-TYPE', 'type']);
const COMMON_PARAM_VALUES = byLength([
  'INTERNET', 'HOME', 'WORK', 'CELL', 'VOICE', 'FAX', 'PREF', 'OTHER', 'MAIN', 'PAGER', 'IPHONE', 'MOBILE', 'TEXT', 'VIDEO', 'MSG',
  'home', 'work', 'cell', 'voice', 'fax', 'pref', 'other', 'main', 'pager', 'text', 'internet', 'uri', 'date', 'b', 'BASE64',
  'QUOTED-PRINTABLE', 'UTF-8', 'JPEG', 'PNG', 'jpeg', 'png', '1',
]);

/** The names by length and first character (ASCII): at most a few to compare. */
function byLength(names: readonly string[]): (readonly string[] | undefined)[] {
  const out: string[][] = [];
  for (const n of names) (out[n.length * 128 + n.charCodeAt(0)] ??= []).push(n);
  return out;
}

/** The shared string of `common` spelled exactly so at text[start, end), else undefined. */
function commonName(text: string, start: number, end: number, common = COMMON_NAMES): string | undefined {
  if (end <= start) return undefined;
  const first = text.charCodeAt(start);
  if (first >= 128) return undefined;
  const list = common[(end - start) * 128 + first];
  if (list === undefined) return undefined;
  for (let i = 0; i < list.length; i++) {
    // Compared character by character: the names are short, and startsWith is a call each.
    const name = list[i]!;
    let j = 1;
    while (j < name.length && text.charCodeAt(start + j) === name.charCodeAt(j)) j++;
    if (j === name.length) return name;
  }
  return undefined;
}

/** Apple's and Google's groups, `item1` to `item99`: one shared string each, as common names are. */
const ITEM_GROUPS: readonly string[] = Array.from({ length: 100 }, (_, i) => `item${i}`);

/** The shared `itemN` spelled so at text[0, dot), else undefined. */
function itemGroup(text: string, dot: number): string | undefined {
  if (dot < 5 || dot > 6 || text.charCodeAt(0) !== 0x69 || !text.startsWith('item')) return undefined;
  let n = 0;
  for (let i = 4; i < dot; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9 || (i === 4 && d === 0)) return undefined;
    n = n * 10 + d;
  }
  return ITEM_GROUPS[n];
}

const NO_PARAMS: readonly VParam[] = Object.freeze([]);

function parseParams(head: string): VParam[] {
  const segs = head.indexOf('"') < 0 ? head.split(';') : splitOutsideQuotes(head, ';');
  // Each segment replaced by its parameter in place: a list of its own length, not one grown by
  // push with room for 16 (the parsed cards of an import are all held in memory).
  const list = segs as unknown as VParam[];
  for (let i = 0; i < segs.length; i++) list[i] = parseParam(segs[i]!);
  return list;
}

/**
 * Parameter lists by the text they were read from (`TYPE=INTERNET,WORK`, `X-PARAM=keep`): one
 * frozen list, shared by every property written with the same head, so a card's properties hold
 * no parameter objects of their own (the cards of an import are held in memory, and every object
 * they hold is copied by the garbage collector). Bounded: heads up to MAX_SHARED_HEAD characters,
 * the table emptied when it reaches MAX_SHARED_HEADS. What it holds is copied out of the input
 * first, so the table never keeps an imported file's text alive.
 */
const SHARED_HEADS = new Map<string, readonly VParam[]>();
const MAX_SHARED_HEAD = 64;
const MAX_SHARED_HEADS = 1024;

/** A copy of a string that shares no memory with the text it was cut from. */
function ownCopy(s: string): string {
  // V8 copies a short slice anyway; a longer one would point into the whole input.
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

function shareHead(head: string, params: VParam[]): void {
  if (SHARED_HEADS.size >= MAX_SHARED_HEADS) SHARED_HEADS.clear();
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (Object.isFrozen(p)) continue; // already a shared one (sharedParam)
    const values = p.values.map(ownCopy);
    const q = p.quoted;
    params[i] = Object.freeze({
      name: p.name === null ? null : ownCopy(p.name),
      values: Object.freeze(values),
      quoted: typeof q === 'object' ? Object.freeze([...q]) : q,
    });
  }
  SHARED_HEADS.set(ownCopy(head), Object.freeze(params));
}

/** One content line into a property, or null when it is not `[group.]name[;params]:value`. */

export function parseContentLine(text: string): VProperty | null {
  const colon = headEnd(text);
  if (colon <= 0) return null;
  // The name ends at the first `;` before the colon; a group at the last `.` before that. Looked
  // for in the head only, character by character (lastIndexOf goes through the runtime, and
  // indexOf would run on through the value).
  let nameEnd = colon;
  let dot = -1;
  for (let i = 0; i < colon; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3b) {
      nameEnd = i;
      break;
    }
    if (c === 0x2e && i > 0) dot = i;
  }
  const item = dot > 0 ? itemGroup(text, dot) : undefined;
  const group = dot > 0 ? (item ?? text.slice(0, dot)) : null;
  const nameStart = dot > 0 ? dot + 1 : 0;
  const common = commonName(text, nameStart, nameEnd);
  const name = common ?? text.slice(nameStart, nameEnd);
  if ((common === undefined && !(STRICT_NAME.test(name) || NAME_OK.test(name))) || (group !== null && item === undefined && !GROUP_OK.test(group))) return null;
  let params = NO_PARAMS;
  if (nameEnd < colon) {
    // Empty segments (`TEL;;HOME`) are kept as empty bare parameters: nothing written is dropped.
    const head = text.slice(nameEnd + 1, colon);
    const known = head.length <= MAX_SHARED_HEAD ? SHARED_HEADS.get(head) : undefined;
    if (known !== undefined) params = known;
    else {
      const list = parseParams(head);
      if (head.length <= MAX_SHARED_HEAD) shareHead(head, list);
      params = list;
    }
  }
  return { group, name, params, value: text.slice(colon + 1) };
}

function isMarker(text: string, marker: 'BEGIN' | 'END'): boolean {
  // Cheap rejection first: this runs on every line. Then tolerate `begin:vcard`, trailing spaces,
  // and a group on BEGIN (seen in the wild: `item.BEGIN`).
  if (text.length > 40 || text.length < 9) return false;
  let e = text.length - 1;
  while (e > 0 && (text.charCodeAt(e) === 0x20 || text.charCodeAt(e) === 0x09)) e--;
  if ((text.charCodeAt(e) | 0x20) !== 0x64 /* d of VCARD */) return false;
  const c = text.charCodeAt(0) | 0x20;
  if (c !== (marker === 'BEGIN' ? 0x62 : 0x65) && text.indexOf('.') < 0) return false;
  const t = text.trim().toUpperCase();
  return t === `${marker}:VCARD` || t.endsWith(`.${marker}:VCARD`);
}

function isAnyMarker(text: string): boolean {
  return isMarker(text, 'BEGIN') || isMarker(text, 'END');
}

interface OpenCard {
  line: number;
  properties: VProperty[];
  warnings: VCardParseError[];
  size: number;
  failed: VCardParseError | null;
  /** Depth of a vCard embedded without folding (vCard 2.1 AGENT). */
  nested: number;
  /** Quote state at the end of the last property's line (see joinToLast); undefined until needed. */
  tail?: QuoteState | null;
  /** Text joined to the last property's value, not yet applied (one string at the end, not a copy a line). */
  join?: { text: TextBuffer; length: number; sep: string; base: number } | null;
  /** The card's FN, once known: a card refused for its size is named by it. */
  name?: string;
  /** Its FN properties as they were read (before any line joined to them), named only on a refusal. */
  fns?: VProperty[];
}

/** Longest name a refusal quotes. */
const NAME_IN_MESSAGE = 80;
const FN_LINE = /^(?:[A-Za-z0-9_-]+\.)?FN[;:]/i;

/** The FN of a content line, or undefined when the line is none. */
function fnOf(text: string): string | undefined {
  if (!FN_LINE.test(text)) return undefined;
  const prop = parseContentLine(text);
  return prop === null ? undefined : fnName(prop);
}

function fnName(prop: VProperty): string | undefined {
  const name = unescapeText(prop.value, '4.0').replace(/\s+/g, ' ').trim();
  if (name === '') return undefined;
  return name.length > NAME_IN_MESSAGE ? `${name.slice(0, NAME_IN_MESSAGE - 1)}…` : name;
}

/** How much of the first line of text outside a card its `missing-begin` error keeps (`text`), for the import's summary to show. */
const OUTSIDE_TEXT = 40;

/**
 * Parse every card in a file. Bad cards are reported with their line and skipped; the good ones
 * still come through. Input sizes are bounded by `limits`, so no input makes this hang or grow
 * without bound. `firstLine`: the line number of the input's first line (a part of a file, parsed
 * on its own, reports the file's lines).
 */
export function parseVCards(input: string | Uint8Array, limits: Partial<ParseLimits> = {}, firstLine = 1): ParseResult {
  const lim: ParseLimits = { ...DEFAULT_LIMITS, ...limits };
  const text = typeof input === 'string' ? stripBom(input) : decodeVCardBytes(input).text;
  const cards: ParsedCard[] = [];
  const errors: VCardParseError[] = [];
  // A stack, because Android and others nest whole cards inside a card (each is its own contact).
  const stack: OpenCard[] = [];
  let strayReported = false;
  let otherComponent: string | null = null;
  let tooMany = false;
  // Every field set from the start: one shape for every open card.
  const begin = (line: number): OpenCard => ({ line, properties: [], warnings: [], size: 0, failed: null, nested: 0, tail: undefined, join: null, name: undefined, fns: undefined });

  const fail = (card: OpenCard, code: VCardParseError['code'], line: number, message: string): void => {
    if (card.failed === null) card.failed = { code, line, message };
  };
  const close = (card: OpenCard): void => {
    flushJoin(card);
    if (card.failed?.code === 'too-many-properties') {
      // Said of the card as a whole, where it starts and by its name: the line where the count ran
      // over is somewhere inside it and tells the user nothing.
      const named = card.name === undefined ? '' : ` (“${card.name}”)`;
      errors.push({
        code: 'too-many-properties',
        line: card.line,
        message: `the card starting at line ${card.line}${named} has more than ${lim.maxPropertiesPerCard} properties; it was not imported`,
        limit: lim.maxPropertiesPerCard,
        ...(card.name === undefined ? {} : { name: card.name }),
      });
    } else if (card.failed !== null) errors.push(card.failed);
    else if (cards.length >= lim.maxCards) {
      if (!tooMany) errors.push({ code: 'too-many-cards', line: card.line, message: `more than ${lim.maxCards} cards; the rest were not read` });
      tooMany = true;
    } else {
      // The properties at their own length (see parseContentLine's parameters).
      cards.push({ card: { properties: card.properties.slice() }, line: card.line, warnings: card.warnings });
    }
  };

  const onLine = (lineText: string, lineNo: number, tooLong: boolean): void => {
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
        errors.push({ code: 'missing-begin', line: ll.line, message: `text outside a card: expected BEGIN:VCARD`, text: ll.text.slice(0, OUTSIDE_TEXT) });
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
  };
  // A run of lines without a colon: each is what onLine does with it (none is a card marker or a
  // component's BEGIN or END, none is a content line), done in one step where that is plain.
  const onRun = (run: StrayRun): void => {
    const open = stack[stack.length - 1];
    if (open === undefined) {
      if (otherComponent !== null) return;
      if (!strayReported) {
        errors.push({ code: 'missing-begin', line: run.line, message: `text outside a card: expected BEGIN:VCARD`, text: /^[^\r\n]*/.exec(run.input.slice(run.start, run.start + OUTSIDE_TEXT))![0] });
        strayReported = true;
      }
      return;
    }
    if (!joinRun(open, run, lim)) forEachRunLine(run, (lineText, lineNo) => onLine(lineText, lineNo, false));
  };
  forEachLogicalLine(text, lim.maxLineLength, onLine, onRun, firstLine);
  const unfinished = stack.length > 0 || otherComponent !== null;
  for (const card of stack.reverse()) {
    fail(card, 'missing-end', card.line, `card starting at line ${card.line} has no END:VCARD`);
    close(card);
  }
  return unfinished ? { cards, errors, unfinished: true } : { cards, errors };
}

/** A BEGIN:VCARD right after an empty value is a card embedded in it (vCard 2.1 AGENT), unless that property never holds one (an empty FN). */
function lastValueEmpty(card: OpenCard): boolean {
  flushJoin(card);
  const last = card.properties[card.properties.length - 1];
  return last !== undefined && last.value.trim() === '' && !singleLine(last);
}

function addLine(
  card: OpenCard,
  ll: LogicalLine,
  lim: ParseLimits,
  fail: (card: OpenCard, code: VCardParseError['code'], line: number, message: string) => void,
): void {
  if (card.failed !== null) {
    // A card refused for its count of properties is still named in the refusal, by an FN after it.
    if (card.failed.code === 'too-many-properties' && card.name === undefined && card.nested === 0) card.name = fnOf(ll.text);
    return;
  }
  if (ll.tooLong) return fail(card, 'line-too-long', ll.line, `line longer than ${lim.maxLineLength} characters`);
  card.size += ll.text.length;
  if (card.size > lim.maxCardLength) return fail(card, 'card-too-large', ll.line, `card larger than ${lim.maxCardLength} characters`);

  const last = card.properties[card.properties.length - 1];
  // vCard 2.1 AGENT may embed a whole card on its own lines; keep it inside the AGENT value.
  if (card.nested > 0 || (isMarker(ll.text, 'BEGIN') && last !== undefined)) {
    if (isMarker(ll.text, 'BEGIN')) card.nested++;
    else if (isMarker(ll.text, 'END')) card.nested--;
    return joinToLast(card, last!, ll, lim, fail);
  }
  // Counted before the line is read into parameters, which would cost each of them an object.
  if (ll.text.length > lim.maxParamsPerProperty && tooManyParams(ll.text, lim.maxParamsPerProperty)) {
    return fail(card, 'too-many-parameters', ll.line, `more than ${lim.maxParamsPerProperty} parameters in one property`);
  }
  const prop = parseContentLine(ll.text);
  if (prop === null) {
    if (last === undefined) return fail(card, 'bad-line', ll.line, `not a content line: ${preview(ll.text)}`);
    // A property that never holds a line break (a name, VERSION, UID, a number, an address) is not
    // made garbage by a broken line after it ("FN Broken no colon" after N would be the name):
    // the line is left out, with a warning. An empty value still takes the line (`N:` broken
    // before `Doe;John;;;`).
    if (!joinable(card, last)) return warnStray(card, ll.line, ll.text, 'left-out');
    // Writers that forget to fold (Google's own exports among them) break a value with a raw line
    // break; the line belongs to the value above. Kept, with a warning.
    warnStray(card, ll.line, ll.text, 'joined');
    return joinToLast(card, last, ll, lim, fail);
  }
  if (card.properties.length >= lim.maxPropertiesPerCard) {
    if (card.fns !== undefined) for (let i = 0; i < card.fns.length && card.name === undefined; i++) card.name = fnName(card.fns[i]!);
    return fail(card, 'too-many-properties', card.line, `more than ${lim.maxPropertiesPerCard} properties in one card`);
  }
  flushJoin(card);
  card.properties.push(prop);
  if (prop.name.length === 2 && (prop.name === 'FN' || prop.name.toUpperCase() === 'FN')) {
    if (card.fns === undefined) card.fns = [prop];
    else card.fns.push(prop);
  }
  card.tail = undefined;
}

/** Whether a content line's head (before its colon) holds more than `max` parameter separators. */
function tooManyParams(text: string, max: number): boolean {
  const colon = headEnd(text);
  if (colon <= max) return false;
  let n = 0;
  for (let i = text.indexOf(';'); i >= 0 && i < colon; i = text.indexOf(';', i + 1)) if (++n > max) return true;
  return false;
}

function flushJoin(card: OpenCard): void {
  const j = card.join;
  if (j === undefined || j === null) return;
  card.join = null;
  const at = card.properties.length - 1;
  const last = card.properties[at]!;
  card.properties[at] = { ...last, value: last.value + j.text.toString() };
}

const QP_HEAD = /quoted-printable/i;
/** Warnings kept per card; past it one more says how many were left out (a card of 100,000 stray lines needs no 100,000 warnings). */
const MAX_WARNINGS = 100;

/**
 * Properties whose value never holds a line break: a stray line after one with a value is left
 * out rather than joined (a value that holds a line break there is a garbage name, version, UID,
 * number or address). Notes, addresses, labels and unknown properties take joined lines.
 */
const SINGLE_LINE = new Set(['VERSION', 'UID', 'FN', 'N', 'SORT-STRING', 'KIND', 'X-ADDRESSBOOKSERVER-KIND', 'REV', 'PRODID', 'TEL', 'EMAIL', 'BDAY', 'ANNIVERSARY', 'GENDER', 'X-GENDER', 'TZ', 'GEO']);

function singleLine(prop: VProperty): boolean {
  return SINGLE_LINE.has(prop.name) || SINGLE_LINE.has(prop.name.toUpperCase());
}

/** Whether a stray line (or an embedded card) may join the last property: not a single-line one with a value. */
function joinable(card: OpenCard, last: VProperty): boolean {
  if (!singleLine(last)) return true;
  flushJoin(card);
  return card.properties[card.properties.length - 1]!.value === '';
}

/** The warning for a line without a colon, joined to the value above or left out; its text made only when it is kept. */
function warnStray(card: OpenCard, line: number, text: string, repair: 'joined' | 'left-out'): void {
  if (card.warnings.length < MAX_WARNINGS) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    const message = repair === 'joined' ? `line without a colon joined to the value above: ${preview(text)}` : `line without a colon left out: ${preview(text)}`;
    card.warnings.push({ code: 'bad-line', line, message, repair, text: shown });
  } else if (card.warnings.length === MAX_WARNINGS) card.warnings.push({ code: 'bad-line', line, message: 'more lines without a colon were joined to the values above them or left out' });
}

function newJoin(last: VProperty): NonNullable<OpenCard['join']> {
  const qp = last.params.length > 0 && last.params.some((p) => (p.name === null ? QP_HEAD.test(p.values[0] ?? '') : p.values.some((v) => QP_HEAD.test(v))));
  return { text: new TextBuffer(), length: 0, sep: qp ? '=0A' : '\\n', base: propertyLength(last) };
}

/**
 * A raw line joined to the value above as a line break in it: `=0A` in a quoted-printable value
 * (a line feed), else `\\n` (read as a newline in every
 * version, see escape.ts). An empty value takes the line as it is. The joined line obeys the line
 * limit, or the card could be read but never read back.
 */
function joinToLast(
  card: OpenCard,
  last: VProperty,
  ll: LogicalLine,
  lim: ParseLimits,
  fail: (card: OpenCard, code: VCardParseError['code'], line: number, message: string) => void,
): void {
  let j = card.join;
  if (j === undefined || j === null) j = card.join = newJoin(last);
  let sep = last.value === '' && j.length === 0 ? '' : j.sep;
  // An empty BEGIN or END value does not take a stray `VCARD` as it is (`BEGIN:` and `VCARD` split
  // by a lone CR): the property would be written as a card marker, and read back as one.
  if (sep === '' && (last.name.length === 5 || last.name.length === 3) && isAnyMarker(propertyLine({ ...last, value: ll.text }))) sep = j.sep;
  // A line that read as quoted-printable keeps its soft breaks as raw CRLF; joined to a value that
  // is not quoted-printable, a raw line break would split the value when written: it becomes the
  // value's line break.
  const text = j.sep === '=0A' || ll.text.indexOf('\r') < 0 ? ll.text : ll.text.replace(/\r\n/g, j.sep);
  if (j.base + j.length + sep.length + text.length > lim.maxLineLength) {
    return fail(card, 'line-too-long', ll.line, `line longer than ${lim.maxLineLength} characters`);
  }
  // A head with a stray quote is read up to the first colon only while no colon of the line stands
  // outside quotes; a joined text that puts one there would make the line read back as another
  // property. Refused, visibly. The quote state at the line's end is kept, so each join scans only
  // what it adds.
  if (card.tail === undefined) card.tail = quoteTail(last);
  if (card.tail !== null && !scanQuotes(card.tail, sep + text)) {
    return fail(card, 'bad-line', ll.line, `a line joined to the value above would change how that line reads: ${preview(ll.text)}`);
  }
  // Copied into one buffer (see TextBuffer): 200,000 joined lines cost no 400,000 strings.
  j.text.append(sep);
  j.text.append(text);
  j.length += sep.length + text.length;
}

/**
 * A run of stray lines joined to the last property's value in one step: what addLine and
 * joinToLast do line by line (the card's size, a warning a line up to the cap, each line after a
 * separator), with one copy of the run's text. False, with nothing done, when a line of it would
 * make the card fail (its size or the line limit) or needs more than that (no property to join to,
 * a failed card, a head whose quotes the joined text could change): the run is then read line by
 * line.
 */
function joinRun(card: OpenCard, run: StrayRun, lim: ParseLimits): boolean {
  const last = card.properties[card.properties.length - 1];
  if (card.failed !== null || last === undefined || card.size + run.chars > lim.maxCardLength) return false;
  if (card.nested === 0 && !singleLineRun(card, run, last)) return false;
  if (card.nested === 0 && singleLine(last)) return true; // left out (see singleLineRun)
  if (card.tail === undefined) card.tail = quoteTail(last);
  if (card.tail !== null) return false;
  let j = card.join;
  if (j === undefined || j === null) j = card.join = newJoin(last);
  let first: string | undefined;
  let sep = last.value === '' && j.length === 0 ? '' : j.sep;
  if (sep === '' && (last.name.length === 5 || last.name.length === 3)) {
    forEachRunLine(run, (t) => {
      first = t;
      return false;
    });
    if (isAnyMarker(propertyLine({ ...last, value: first! }))) sep = j.sep;
  }
  const length = sep.length + run.chars + (run.count - 1) * j.sep.length;
  if (j.base + j.length + length > lim.maxLineLength) return false;
  card.size += run.chars;
  if (card.nested === 0 && card.warnings.length <= MAX_WARNINGS) {
    forEachRunLine(run, (t, line) => {
      warnStray(card, line, t, 'joined');
      return card.warnings.length <= MAX_WARNINGS;
    });
  }
  j.text.append(sep);
  j.text.appendLines(run.input, run.start, run.end, j.sep, length - sep.length);
  j.length += length;
  return true;
}

/**
 * A run after a single-line property (see SINGLE_LINE): with a value, every line of it is left
 * out as addLine leaves each (counted in the card's size, a warning a line up to the cap), and
 * true; with an empty value the first line joins it and the others are left out: false, read
 * line by line. True, with nothing done, after any other property.
 */
function singleLineRun(card: OpenCard, run: StrayRun, last: VProperty): boolean {
  if (!singleLine(last)) return true;
  if (joinable(card, last)) return false;
  card.size += run.chars;
  if (card.warnings.length <= MAX_WARNINGS) {
    forEachRunLine(run, (t, line) => {
      warnStray(card, line, t, 'left-out');
      return card.warnings.length <= MAX_WARNINGS;
    });
  }
  return true;
}

interface QuoteState {
  quoted: boolean;
  /** A backslash inside quotes ended the text: the next character is escaped. */
  skip: boolean;
}

/**
 * Scan text on from a state the way headEnd does; false when it meets a colon outside quotes.
 * The state is updated in place.
 */
function scanQuotes(state: QuoteState, text: string): boolean {
  let i = 0;
  if (state.skip) {
    i = 1;
    state.skip = false;
  }
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c && state.quoted) {
      if (i + 1 >= text.length) state.skip = true;
      i++;
    } else if (c === 0x22) state.quoted = !state.quoted;
    else if (c === 0x3a && !state.quoted) return false;
  }
  return true;
}

/** null when the property's line has a colon outside quotes (what follows cannot move it), else the quote state at its end. */
function quoteTail(p: VProperty): QuoteState | null {
  const line = propertyLine(p);
  if (line.indexOf('"') < 0) return null;
  const state: QuoteState = { quoted: false, skip: false };
  return scanQuotes(state, line) ? state : null;
}

/** Length of the content line a property is written as (group, name, parameters, value). */
function propertyLength(p: VProperty): number {
  let n = (p.group === null ? 0 : p.group.length + 1) + p.name.length + 1 + p.value.length;
  for (const x of p.params) {
    n += 1 + (x.name === null ? 0 : x.name.length + 1);
    for (const v of x.values) n += v.length + 3;
  }
  return n;
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
