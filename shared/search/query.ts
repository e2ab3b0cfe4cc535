/**
 * What a query asks for: folded words, every one of which a contact's search text must contain,
 * and, when the query is a phone number (digits and its punctuation only), its digits, which may
 * instead be in one of its phone numbers (three or more); letters and digits mixed never match by
 * the digits alone.
 * A query that is a phone number also finds it written the other way: `09123456789` (national,
 * trunk prefix 0) or `0098 912 345 6789` (international prefix 00, in every region) finds
 * `+98 912 345 6789` and back, by the national significant number, read by
 * libphonenumber-js in the app's region (`setSearchRegion`: the OS's).
 */
import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { asciiDigits, foldForSearch, phoneDigits } from './normalize';

export interface SearchQuery {
  /** As typed (the list names the field of the first that matched outside the row's own text). */
  readonly typed: readonly string[];
  /** Longest first: it usually leaves the fewest rows, and the others only narrow it. */
  readonly words: readonly string[];
  readonly digits: string;
  /** What a phone number must contain for the query to match it: the digits, and where the query
   * is a phone number, its national significant number too (none when `digits` is ''). */
  readonly phones: readonly string[];
}

/** Digits in a query match phone numbers only from this many on (fewer match almost every number). */
export const MIN_PHONE_DIGITS = 3;

let last: { q: string; parsed: SearchQuery } | null = null;
let region: CountryCode | undefined;

/** The region national numbers are read in (ISO 3166, `IR`); '' or an unknown one: none. */
export function setSearchRegion(r: string): void {
  const next = isSupportedCountry(r) ? r : undefined;
  if (next === region) return;
  region = next;
  last = null;
}

/** What a query that is a phone number is made of: digits, +, spaces and ( ) . - / between them. */
const PHONE_LIKE = /^[+＋]?[\d\s().\-/]+$/;

/** Digits of the national significant number must be at least this many to be looked for alone. */
const MIN_NATIONAL = 6;

/**
 * The query's digits, and when the query is a phone number, that number without its trunk prefix
 * or country code: whole numbers as libphonenumber reads them, a number still being typed by its
 * region's calling code or a leading trunk 0.
 */
function phoneForms(q: string, digits: string): string[] {
  if (digits.length < MIN_PHONE_DIGITS) return [];
  // Only a query that is a phone number (digits and its punctuation) looks in the phone numbers:
  // `nick7777` must not find every number with 7777 in it.
  const text = asciiDigits(q.normalize('NFKC')).trim();
  if (!PHONE_LIKE.test(text)) return [];
  const forms = [digits];
  const plus = text.startsWith('+');
  let national: string | undefined;
  try {
    const n = parsePhoneNumberFromString(plus ? `+${digits}` : digits, { defaultCountry: region, extract: false });
    if (n?.isPossible() === true) national = n.nationalNumber;
  } catch {
    national = undefined;
  }
  if (national === undefined && plus && region !== undefined) {
    const cc = getCountryCallingCode(region);
    if (digits.startsWith(cc)) national = digits.slice(cc.length);
  }
  if (national === undefined && !plus && digits.startsWith('00')) {
    // The international prefix of most of the world, also where the region's own is another (US
    // 011) or no region is known: `0098 912…` is `+98 912…`, found by its national number, or by
    // the digits after 00 while the country code is still being typed.
    try {
      const n = parsePhoneNumberFromString(`+${digits.slice(2)}`, { extract: false });
      national = n?.isPossible() === true ? n.nationalNumber : digits.slice(2);
    } catch {
      national = digits.slice(2);
    }
  }
  if (national === undefined && !plus && digits.startsWith('0') && !digits.startsWith('00')) national = digits.slice(1);
  if (national !== undefined && national !== digits && national.length >= MIN_NATIONAL) forms.push(national);
  return forms;
}

export function parseQuery(q: string): SearchQuery {
  // Parsed once per keystroke, though the list asks for every row it draws.
  if (last?.q === q) return last.parsed;
  const folded = foldForSearch(q);
  const typed = folded === '' ? [] : folded.split(' ');
  const digits = phoneDigits(q);
  const parsed = { typed, words: [...typed].sort((a, b) => b.length - a.length), digits: digits.length >= MIN_PHONE_DIGITS ? digits : '', phones: phoneForms(q, digits) };
  last = { q, parsed };
  return parsed;
}

/** Whether one row matches, by its texts alone (rows the index has not seen yet). */
export function rowMatches(search: string, phones: string, query: SearchQuery): boolean {
  if (query.words.every((w) => search.includes(w))) return true;
  return query.phones.some((d) => phones.includes(d));
}
