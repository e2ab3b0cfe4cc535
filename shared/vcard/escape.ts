/**
 * Value text codecs. vCard 3.0 and 4.0 escape `\\`, `\,`, `\;` and newlines as `\n` (RFC 6350
 * §3.4, RFC 2426 §5); vCard 2.1 only escapes `;` inside structured values, so its backslashes are
 * otherwise literal. Quoted-printable (2.1) is decoded to bytes, then read in the declared CHARSET.
 */
import { decodeWith } from './bytes';
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

export function unescapeText(raw: string, version: VCardVersion): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const next = raw[i + 1]!;
    if (version === '2.1') {
      if (next === ';' || next === '\\') {
        out += next;
        i++;
      } else out += c;
      continue;
    }
    if (next === 'n' || next === 'N') out += '\n';
    else if (next === '\\' || next === ',' || next === ';' || next === ':') out += next;
    else out += c + next; // unknown escape: keep it as written
    i++;
  }
  return out;
}

export function escapeText(text: string, version: VCardVersion, structured = false): string {
  if (version === '2.1') {
    // 2.1 has no newline escape; writers use quoted-printable for multi-line text instead.
    return structured ? text.replace(/\\/g, '\\\\').replace(/;/g, '\\;') : text;
  }
  return text.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\r\n|\r|\n/g, '\\n');
}

/** Split on a separator that is not escaped with a backslash. The pieces stay escaped. */
export function splitEscaped(raw: string, sep: ';' | ','): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') i++;
    else if (c === sep) {
      out.push(raw.slice(start, i));
      start = i + 1;
    }
  }
  out.push(raw.slice(start));
  return out;
}

export function decodeQuotedPrintable(raw: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x3d /* = */) {
      const a = raw[i + 1];
      const b = raw[i + 2];
      if (a === '\r' && b === '\n') {
        i += 2;
        continue;
      }
      if (a === '\n' || a === '\r') {
        i += 1;
        continue;
      }
      if (a !== undefined && b !== undefined && /^[0-9A-Fa-f]{2}$/.test(a + b)) {
        bytes.push(parseInt(a + b, 16));
        i += 2;
        continue;
      }
      bytes.push(c); // a lone '=' is kept, as lenient decoders do
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      // Non-ASCII inside QP is malformed but common: keep the character as UTF-8.
      for (const b of new TextEncoder().encode(raw[i]!)) bytes.push(b);
    }
  }
  return Uint8Array.from(bytes);
}

export function encodeQuotedPrintable(text: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(text)) {
    if ((b >= 0x21 && b <= 0x7e && b !== 0x3d) || b === 0x20) out += String.fromCharCode(b);
    else out += `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function paramValues(prop: VProperty, name: string): string[] {
  const upper = name.toUpperCase();
  const out: string[] = [];
  for (const p of prop.params) {
    if (p.name !== null && p.name.toUpperCase() === upper) out.push(...p.values);
  }
  return out;
}

/** TYPE values, including 2.1's bare parameters (`TEL;HOME;VOICE`), lower-cased, unique. */
export function typesOf(prop: VProperty): string[] {
  const out: string[] = [];
  const add = (v: string): void => {
    const t = v.toLowerCase();
    if (t !== '' && !out.includes(t)) out.push(t);
  };
  for (const p of prop.params) {
    if (p.name === null) {
      const v = p.values[0];
      if (v !== undefined && !/^(quoted-printable|base64|b|8bit|7bit)$/i.test(v)) add(v);
    } else if (p.name.length === 4 && p.name.toUpperCase() === 'TYPE') {
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
  const enc = paramValues(prop, 'ENCODING')[0] ?? (hasParam(prop, 'ENCODING', 'QUOTED-PRINTABLE') ? 'QUOTED-PRINTABLE' : undefined);
  if (enc === undefined || enc.toUpperCase() !== 'QUOTED-PRINTABLE') return prop.value;
  const charset = paramValues(prop, 'CHARSET')[0];
  const bytes = decodeQuotedPrintable(prop.value);
  if (charset === undefined) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return decodeWith(undefined, bytes);
    }
  }
  return decodeWith(charset, bytes);
}

/** The unescaped text of a single-text property. */
export function textValue(prop: VProperty, version: VCardVersion): string {
  return unescapeText(transferDecoded(prop), version);
}

/** The unescaped components of a structured property (N, ADR, ORG, GENDER). */
export function structuredValue(prop: VProperty, version: VCardVersion): string[] {
  return splitEscaped(transferDecoded(prop), ';').map((c) => unescapeText(c, version));
}

/** The unescaped items of a comma list (CATEGORIES, NICKNAME). */
export function listValue(prop: VProperty, version: VCardVersion): string[] {
  const raw = transferDecoded(prop);
  if (version === '2.1') return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return splitEscaped(raw, ',')
    .map((c) => unescapeText(c, version).trim())
    .filter((s) => s !== '');
}
