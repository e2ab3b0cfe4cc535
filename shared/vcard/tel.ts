/**
 * TEL as a `tel:` URI (vCard 4.0's usual form, `TEL;VALUE=uri:tel:+1-555-555-0100;ext=12`): the
 * number is what people see and edit (`+1-555-555-0100 ext. 12`); written back, the URI form is
 * kept: the property's own text when the number did not change, else the edited number as a URI.
 */
import { paramValues, transferDecoded } from './escape';
import type { VProperty } from './types';

const TEL_URI = /^tel:([^;]*)(.*)$/i;
const EXTENSION = /\s*(?:;ext=|ext\.?|extension|x)\s*(\d{1,9})\s*$/i;
/** What a number written as a URI may hold: digits, + * #, RFC 3966's visual separators and spaces. */
const DIALABLE = /^\+?[\d*#().\-\s]+$/;

/** The `tel:` URI of a TEL property (its VALUE=uri, or a text that is one), or null. */
export function telUriOf(p: VProperty): string | null {
  return telUriIn(transferDecoded(p));
}

/** The `tel:` URI a TEL's transfer-decoded text is (trimmed), or null. */
export function telUriIn(text: string): string | null {
  const raw = text.trim();
  // Most numbers are no URI: their first letter says so without the regular expression.
  if ((raw.charCodeAt(0) | 0x20) !== 0x74 /* t */) return null;
  if (TEL_URI.test(raw)) return raw;
  return null;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The number a `tel:` URI names, for people: `tel:+1-555-0100;ext=12` → `+1-555-0100 ext. 12`. */
export function telNumber(uri: string): string {
  const m = TEL_URI.exec(uri.trim());
  if (m === null) return uri;
  const ext = /;ext=([^;]*)/i.exec(m[2]!);
  const number = decode(m[1]!);
  return ext === null ? number : `${number} ext. ${decode(ext[1]!)}`;
}

/** A number as typed, as a `tel:` URI; null when it is not one a URI can hold (letters). */
export function telUriFor(number: string): string | null {
  let rest = number.trim();
  let ext = '';
  const m = EXTENSION.exec(rest);
  if (m !== null && m.index > 0) {
    ext = m[1]!;
    rest = rest.slice(0, m.index).trim();
  }
  if (!DIALABLE.test(rest)) return null;
  return `tel:${rest.replace(/\s+/g, '-')}${ext === '' ? '' : `;ext=${ext}`}`;
}

/** Whether the property says its value is a URI (VALUE=uri). */
export function isUriValued(p: VProperty): boolean {
  return paramValues(p, 'VALUE').some((v) => v.toLowerCase() === 'uri');
}
