/**
 * Value text codecs. vCard 3.0 and 4.0 escape `\\`, `\,`, `\;` and newlines as `\n` (RFC 6350
 * §3.4, RFC 2426 §5). vCard 2.1 itself only escapes `;` inside structured values, but the 2.1 that
 * real exporters write uses the 3.0 escapes too: Android writes `\n` in ADR and `\,` in LABEL
 * (fixtures cozy__cozy-vcard/test__android-full.vcf, stalwartlabs__calcard/resources__vcard__001.vcf),
 * and its own reader's test (CyanogenMod…/v21_backslash.vcf) reads `\\`, `\;` and `\:` as escapes.
 * Outlook and Nokia write multi-line text as quoted-printable and no backslash escapes at all. So
 * 2.1 is read with the same escapes as 3.0; a backslash before any other character stays literal
 * (`C:\Users`). Quoted-printable (2.1) is decoded to bytes, then read in the declared CHARSET.
 */
import { decodeWith, utf8OrNull } from './bytes';
import { TextBuffer, unitsToString } from './text-buffer';
import type { VCardVersion, VParam, VProperty } from './types';

/** True when every character is 7-bit ASCII. */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** True when the text holds a C0 control character or DEL. */
export function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Text up to this length is escaped and unescaped by joining strings; longer, through one TextBuffer. */
const SHORT_TEXT = 256;

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- every version reads the same escapes (see above)
export function unescapeText(raw: string, version: VCardVersion): string {
  let at = raw.indexOf('\\');
  if (at < 0) return raw;
  if (raw.length > SHORT_TEXT) return unescapeLong(raw, at);
  // Copy the stretches between escapes whole: one piece per escape, not one string per character.
  let out = '';
  let last = 0;
  while (at >= 0 && at + 1 < raw.length) {
    const next = raw.charCodeAt(at + 1);
    let rep: string | null = null;
    if (next === 0x6e || next === 0x4e) rep = '\n';
    else if (next === 0x5c || next === 0x2c || next === 0x3b || next === 0x3a) rep = raw[at + 1]!;
    if (rep !== null) {
      out += raw.slice(last, at) + rep;
      last = at + 2;
    }
    // An unknown escape is kept as written (both characters).
    at = raw.indexOf('\\', at + 2);
  }
  return out + raw.slice(last);
}

/**
 * unescapeText of a long value (a list of 300,000 escaped commas, a value of 300,000 joined
 * lines), from its first backslash: one pass, a code unit at a time, into one buffer (the text
 * never grows by unescaping).
 */
function unescapeLong(raw: string, first: number): string {
  const n = raw.length;
  const out = new Uint16Array(n);
  for (let i = 0; i < first; i++) out[i] = raw.charCodeAt(i);
  let k = first;
  for (let i = first; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c !== 0x5c || i + 1 >= n) {
      out[k++] = c;
      continue;
    }
    const next = raw.charCodeAt(++i);
    if (next === 0x6e || next === 0x4e) out[k++] = 0x0a;
    else if (next === 0x5c || next === 0x2c || next === 0x3b || next === 0x3a) out[k++] = next;
    else {
      // An unknown escape is kept as written (both characters; the second is no backslash).
      out[k++] = c;
      out[k++] = next;
    }
  }
  return unitsToString(out, k);
}

export function escapeText(text: string, version: VCardVersion, structured = false): string {
  // `structured` is kept for callers' clarity: `;` and `,` are escaped in every value (they are read so).
  void structured;
  if (text.length > SHORT_TEXT || !needsEscape(text, version !== '2.1')) return escapeLong(text, version !== '2.1');
  const escaped = text.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;');
  // 2.1 has no newline escape in writers' eyes; multi-line text goes quoted-printable instead (edit.ts).
  return version === '2.1' ? escaped : escaped.replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * A component of a structured value as an edit writes it: escapeText, but for its commas, which
 * separate the component's list items (RFC 6350 §5.1) and stay as they are. The same text as
 * `escapeText(text, version, true).replace(/\\,/g, ',')` (every `\,` it wrote is an escaped
 * comma), without escaping 400,000 commas to undo them again.
 */
export function escapeComponent(text: string, version: VCardVersion): string {
  if (text.length > SHORT_TEXT || !needsEscape(text, version !== '2.1', false)) return escapeLong(text, version !== '2.1', false);
  const escaped = text.replace(/\\/g, '\\\\').replace(/;/g, '\\;');
  return version === '2.1' ? escaped : escaped.replace(/\r\n|\r|\n/g, '\\n');
}

function needsEscape(text: string, newlines: boolean, commas = true): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c || (commas && c === 0x2c) || c === 0x3b || (newlines && (c === 0x0a || c === 0x0d))) return true;
  }
  return false;
}

/** escapeText of a long text (or one with nothing to escape: given back as it is) in one pass (the same as its four replacements one after another). */
function escapeLong(text: string, newlines: boolean, commas = true): string {
  const n = text.length;
  let i = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c || (commas && c === 0x2c) || c === 0x3b || (newlines && (c === 0x0a || c === 0x0d))) break;
  }
  if (i === n) return text;
  const out = new TextBuffer();
  let last = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c || (commas && c === 0x2c) || c === 0x3b) {
      out.append(text, last, i);
      out.appendCode(0x5c);
      out.appendCode(c);
      last = i + 1;
    } else if (newlines && (c === 0x0a || c === 0x0d)) {
      out.append(text, last, i);
      out.appendCode(0x5c);
      out.appendCode(0x6e);
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      last = i + 1;
    }
  }
  out.append(text, last);
  return out.toString();
}

/** Values up to this length are split by splitEscaped's own loop. */
const SHORT_VALUE = 256;

/** Split on a separator that is not escaped with a backslash. The pieces stay escaped. */
export function splitEscaped(raw: string, sep: ';' | ','): string[] {
  // Without a backslash nothing is escaped: the built-in split gives the same pieces, and is the
  // faster on a long value (a list of 300,000 nicknames). On a short one (N, ADR, CATEGORIES) the
  // loop below is about twice as fast: String#split is a call into the runtime each time.
  if (raw.length > SHORT_VALUE && raw.indexOf('\\') < 0) return raw.split(sep);
  const s = sep.charCodeAt(0);
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x5c /* \\ */) i++;
    else if (c === s) {
      out.push(raw.slice(start, i));
      start = i + 1;
    }
  }
  out.push(raw.slice(start));
  return out;
}

const HEX = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);
const encoder = new TextEncoder();

export function decodeQuotedPrintable(raw: string): Uint8Array {
  // At most 3 bytes a UTF-16 unit (a lone non-ASCII character as UTF-8): one buffer, no array of numbers.
  const bytes = new Uint8Array(raw.length * 3);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x3d /* = */) {
      const a = raw.charCodeAt(i + 1);
      const b = raw.charCodeAt(i + 2);
      if (a === 0x0d && b === 0x0a) {
        i += 2;
        continue;
      }
      if (a === 0x0a || a === 0x0d || i + 1 >= raw.length) {
        // a soft break (also one that ends the value: nothing followed it before END:VCARD)
        i += 1;
        continue;
      }
      const hi = HEX(a);
      const lo = HEX(b);
      if (hi >= 0 && lo >= 0) {
        bytes[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
      bytes[n++] = c; // a lone '=' is kept, as lenient decoders do
    } else if (c < 0x80) {
      bytes[n++] = c;
    } else {
      // Non-ASCII inside QP is malformed but common: keep the character as UTF-8, written here
      // as TextEncoder writes it (a call a character made 280,000 of them 100 ms): a high
      // surrogate takes the unit after it with it, whatever it is, and a lone surrogate is U+FFFD.
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < raw.length) {
        const d = raw.charCodeAt(++i);
        if (d >= 0xdc00 && d <= 0xdfff) n = putCodePoint(bytes, n, (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000);
        else {
          n = putCodePoint(bytes, n, 0xfffd);
          n = putCodePoint(bytes, n, d >= 0xd800 && d <= 0xdfff ? 0xfffd : d);
        }
      } else n = putCodePoint(bytes, n, c >= 0xd800 && c <= 0xdfff ? 0xfffd : c);
    }
  }
  return bytes.subarray(0, n);
}

/** A code point (no surrogate) as UTF-8 at bytes[n]; the index after it. */
function putCodePoint(bytes: Uint8Array, n: number, cp: number): number {
  if (cp < 0x80) bytes[n++] = cp;
  else if (cp < 0x800) {
    bytes[n++] = 0xc0 | (cp >> 6);
    bytes[n++] = 0x80 | (cp & 0x3f);
  } else if (cp < 0x10000) {
    bytes[n++] = 0xe0 | (cp >> 12);
    bytes[n++] = 0x80 | ((cp >> 6) & 0x3f);
    bytes[n++] = 0x80 | (cp & 0x3f);
  } else {
    bytes[n++] = 0xf0 | (cp >> 18);
    bytes[n++] = 0x80 | ((cp >> 12) & 0x3f);
    bytes[n++] = 0x80 | ((cp >> 6) & 0x3f);
    bytes[n++] = 0x80 | (cp & 0x3f);
  }
  return n;
}

const ascii = new TextDecoder();
const HEX_DIGITS = Uint8Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));

export function encodeQuotedPrintable(text: string): string {
  // Into one byte buffer (at most 3 bytes a byte), read as ASCII once: no string a byte.
  const bytes = encoder.encode(text);
  const out = new Uint8Array(bytes.length * 3);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if ((b >= 0x21 && b <= 0x7e && b !== 0x3d) || b === 0x20) out[n++] = b;
    else {
      out[n++] = 0x3d;
      out[n++] = HEX_DIGITS[b >> 4]!;
      out[n++] = HEX_DIGITS[b & 15]!;
    }
  }
  return ascii.decode(out.subarray(0, n));
}

/** Whether a parameter name is `upper` (given in upper case), without making a copy. */
function nameIs(name: string, upper: string): boolean {
  if (name.length !== upper.length) return false;
  if (name === upper) return true;
  return name.toUpperCase() === upper;
}

const NO_VALUES: readonly string[] = Object.freeze([]);

export function paramValues(prop: VProperty, name: string): string[] {
  if (prop.params.length === 0) return NO_VALUES as string[];
  const upper = name.toUpperCase();
  let out: string[] | null = null;
  for (const p of prop.params) {
    // One by one: a spread of a 100,000-value list would overflow the call stack.
    if (p.name !== null && nameIs(p.name, upper)) {
      out ??= [];
      for (const v of p.values) out.push(v);
    }
  }
  return out ?? (NO_VALUES as string[]);
}

/** TYPE values, including 2.1's bare parameters (`TEL;HOME;VOICE`), lower-cased, unique. */
export function typesOf(prop: VProperty): string[] {
  if (prop.params.length === 0) return [];
  const out: string[] = [];
  // A Set only for long lists: most properties have one to three types.
  let seen: Set<string> | null = null;
  const add = (v: string): void => {
    const t = v.toLowerCase();
    if (t === '') return;
    if (seen === null && out.length >= 16) seen = new Set(out);
    if (seen !== null ? seen.has(t) : out.includes(t)) return;
    seen?.add(t);
    out.push(t);
  };
  for (const p of prop.params) {
    if (p.name === null) {
      const v = p.values[0];
      if (v !== undefined && !/^(quoted-printable|base64|b|8bit|7bit)$/i.test(v)) add(v);
    } else if (nameIs(p.name, 'TYPE')) {
      for (const v of p.values) {
        if (v.indexOf(',') < 0) add(v);
        else for (const part of v.split(',')) add(part);
      }
    }
  }
  return out;
}

export function hasParam(prop: VProperty, name: string, value: string): boolean {
  const v = value.toLowerCase();
  return prop.params.some(
    (p: VParam) =>
      (p.name === null && p.values[0]?.toLowerCase() === v) ||
      (p.name?.toUpperCase() === name.toUpperCase() && p.values.some((x) => x.toLowerCase() === v)),
  );
}

/** The property's text with transfer encodings undone (quoted-printable + CHARSET), still escaped. */
export function transferDecoded(prop: VProperty): string {
  if (prop.params.length === 0) return prop.value;
  // The first ENCODING= value decides; without one, a bare QUOTED-PRINTABLE. The first CHARSET= value.
  let encoding: string | undefined;
  let bareQp = false;
  let charset: string | undefined;
  for (const p of prop.params) {
    if (p.name === null) {
      if (!bareQp && /^quoted-printable$/i.test(p.values[0] ?? '')) bareQp = true;
    } else if (encoding === undefined && nameIs(p.name, 'ENCODING')) encoding = p.values[0];
    else if (charset === undefined && nameIs(p.name, 'CHARSET')) charset = p.values[0];
  }
  const qp = encoding !== undefined ? encoding.toUpperCase() === 'QUOTED-PRINTABLE' : bareQp;
  if (!qp) return prop.value;
  const bytes = decodeQuotedPrintable(prop.value);
  if (charset === undefined) return utf8OrNull(bytes) ?? decodeWith(undefined, bytes);
  return decodeWith(charset, bytes);
}

/** The unescaped text of a single-text property. */
export function textValue(prop: VProperty, version: VCardVersion): string {
  return unescapeText(transferDecoded(prop), version);
}

/** The unescaped components of a structured property (N, ADR, ORG, GENDER). */
export function structuredValue(prop: VProperty, version: VCardVersion): string[] {
  const raw = transferDecoded(prop);
  const parts = splitEscaped(raw, ';');
  // Without a backslash there is nothing to unescape (and no second array to make).
  if (raw.indexOf('\\') >= 0) for (let i = 0; i < parts.length; i++) parts[i] = unescapeText(parts[i]!, version);
  return parts;
}

/** The unescaped items of a comma list (CATEGORIES, NICKNAME). */
export function listValue(prop: VProperty, version: VCardVersion): string[] {
  const raw = transferDecoded(prop);
  const parts = splitEscaped(raw, ',');
  const escaped = raw.indexOf('\\') >= 0;
  // In place: each piece unescaped and trimmed, the empty ones left out.
  let n = 0;
  for (let i = 0; i < parts.length; i++) {
    const c = (escaped ? unescapeText(parts[i]!, version) : parts[i]!).trim();
    if (c !== '') parts[n++] = c;
  }
  parts.length = n;
  return parts;
}
