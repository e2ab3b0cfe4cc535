/**
 * iCalendar text (RFC 5545): content lines with TEXT escaping (§3.3.11), folded at 75 octets
 * without splitting a UTF-8 sequence (§3.1, the same rule as vCard's), CRLF line ends.
 */
import { escapeText, foldLine } from '../vcard';

export interface IcsProperty {
  readonly name: string;
  /** Parameters as written after the name (";VALUE=DATE"), already safe. */
  readonly params?: string;
  readonly value: string;
}

/** TEXT values escape backslash, semicolon, comma and line breaks exactly as vCard 4.0 does. */
export function icsText(text: string): string {
  return escapeText(text, '4.0');
}

export function icsLines(props: readonly IcsProperty[]): string {
  return props.map((p) => `${foldLine(`${p.name}${p.params ?? ''}:${p.value}`)}\r\n`).join('');
}

const two = (n: number) => String(n).padStart(2, '0');

/** A DATE value: 19800514. */
export function icsDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}${two(month)}${two(day)}`;
}

/** A UTC DATE-TIME value: 20261201T101500Z. */
export function icsUtc(d: Date): string {
  return `${icsDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())}T${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
}
