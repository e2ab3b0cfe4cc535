/**
 * Phone numbers as keys: `+49 (0)89 1234-567`, `089 1234567` (in Germany) and `tel:+49-89-1234567`
 * are one number, E.164 `+49891234567`, read with libphonenumber-js in the user's region (the
 * OS's; national numbers mean nothing without it). A number it cannot place, but long enough to
 * mean something, is kept as its digits (`#…`) so that two cards with the same odd number still
 * match. A leading 00 is the international prefix (`0049 89 1234567` is `+49…` in every region).
 * Extensions stay part of the key: two extensions of one office are two people.
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { phoneDigits } from '../search/normalize';

const EXTENSION = /(?:;ext=|\s*(?:ext\.?|extension|x|#)\s*)(\d{1,7})\s*$/i;
const MIN_DIGITS = 6;
const CACHE_LIMIT = 200_000;
/** Parsing is the costly step (tens of µs), and a book repeats numbers: parse each once. */
const cache = new Map<string, string>();

/** The ISO 3166 region of a locale (`en-US` → `US`, `fa` → `IR`), '' when it has none. */
export function regionOfLocale(locale: string): string {
  try {
    return new Intl.Locale(locale).maximize().region ?? '';
  } catch {
    return '';
  }
}

function parse(plus: boolean, digits: string, ext: string, region: string): string {
  const country: CountryCode | undefined = isSupportedCountry(region) ? region : undefined;
  // Digits only: the formatting is noise here, and without it libphonenumber has less to scan.
  const number = parsePhoneNumberFromString(`${plus ? '+' : ''}${digits}`, { defaultCountry: country, extract: false });
  const suffix = ext === '' ? '' : `;ext=${ext}`;
  if (number?.isPossible() === true) return `${number.number}${suffix}`;
  // 00 is the international prefix of most of the world: read as + where the region's own prefix
  // is another (US 011) or no region is known; no national number begins with it there.
  if (!plus && digits.startsWith('00') && digits.length > 2 + MIN_DIGITS) {
    const international = parsePhoneNumberFromString(`+${digits.slice(2)}`, { extract: false });
    if (international?.isPossible() === true) return `${international.number}${suffix}`;
  }
  return digits.length >= MIN_DIGITS ? `#${plus ? '+' : ''}${digits}${suffix}` : '';
}

/** The key of a phone number as written on a card, '' when it is too short to identify anyone. */
export function phoneKey(text: string, region: string): string {
  let rest = text.trim().replace(/^tel:/i, '');
  let ext = '';
  const m = EXTENSION.exec(rest);
  if (m !== null && m.index > 0) {
    ext = m[1]!;
    rest = rest.slice(0, m.index);
  }
  const plus = /^\s*(?:\+|＋)/.test(rest);
  const digits = phoneDigits(rest);
  if (digits.length < 3) return '';
  const id = `${region}|${plus ? '+' : ''}${digits}|${ext}`;
  let key = cache.get(id);
  if (key === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    key = parse(plus, digits, ext, region);
    cache.set(id, key);
  }
  return key;
}

/**
 * A phone key as a person reads it: E.164 as it is, an unplaced number's digits without the key's
 * `#` mark, and an extension as " ext. N".
 */
export function shownPhoneKey(key: string): string {
  const m = /^(#?)(.*?)(?:;ext=(\d+))?$/.exec(key);
  if (m === null) return key;
  return m[3] === undefined ? m[2]! : `${m[2]!} ext. ${m[3]}`;
}
