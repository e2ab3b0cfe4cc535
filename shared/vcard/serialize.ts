import { isAscii } from './escape';
import { headEnd } from './lines';
import type { VCard, VParam, VProperty } from './types';

const NEEDS_QUOTES = /[:;,]|^\s|\s$/;

function paramText(p: VParam): string {
  // As read: quoted if it was (per value where only some were). A parameter we made (quoted
  // undefined), or one whose values changed since (flags no longer one a value), is quoted when it
  // must be.
  const q = p.quoted;
  const flags = typeof q === 'object' && q.length === p.values.length ? q : null;
  const loose = q === undefined || (typeof q === 'object' && flags === null);
  const values = p.values
    .map((v, i) => ((flags !== null ? flags[i] === true : q === true) || (loose && NEEDS_QUOTES.test(v)) ? `"${v}"` : v))
    .join(',');
  return p.name === null ? `;${values}` : `;${p.name}=${values}`;
}

/** The unfolded content line of one property. */
export function propertyLine(prop: VProperty): string {
  let head = prop.group === null ? prop.name : `${prop.group}.${prop.name}`;
  for (let i = 0; i < prop.params.length; i++) head += paramText(prop.params[i]!);
  return `${head}:${prop.value}`;
}

function utf8Length(code: number): number {
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/**
 * Fold at 75 octets (RFC 6350 §3.2) without splitting a UTF-8 sequence or a surrogate pair.
 * Quoted-printable values carry their own soft line breaks and are written as they are.
 */
export function foldLine(line: string): string {
  const ascii = isAscii(line);
  if (ascii && line.length <= 75) return line;
  if (line.includes('=\r\n')) return line;
  if (ascii) {
    // One octet a character: cut every 75 (then 74 after the leading space) without measuring.
    let out = line.slice(0, 75);
    for (let i = 75; i < line.length; i += 74) out += `\r\n ${line.slice(i, i + 74)}`;
    return out;
  }
  let out = '';
  let octets = 0;
  let start = 0;
  for (let i = 0; i < line.length; ) {
    const code = line.codePointAt(i)!;
    const width = utf8Length(code);
    const step = code > 0xffff ? 2 : 1;
    if (octets + width > 75) {
      out += `${line.slice(start, i)}\r\n `;
      start = i;
      octets = 1; // the leading space of the continuation line
    }
    octets += width;
    i += step;
  }
  return out + line.slice(start);
}

export function serializeVCard(card: VCard): string {
  let out = 'BEGIN:VCARD\r\n';
  for (const prop of card.properties) {
    const raw = propertyLine(prop);
    const line = foldLine(raw);
    // A quoted-printable value ending in a soft break was closed by a blank line; write it again,
    // or a reader would join the next property to it. Asked of the unfolded line: a fold may cut the head.
    out += raw.charCodeAt(raw.length - 1) === 0x3d && /quoted-printable/i.test(raw.slice(0, Math.max(0, headEnd(raw)))) ? `${line}\r\n\r\n` : `${line}\r\n`;
  }
  return `${out}END:VCARD\r\n`;
}

export function serializeVCards(cards: readonly VCard[]): string {
  return cards.map(serializeVCard).join('');
}
