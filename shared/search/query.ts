/**
 * What a query asks for: folded words, every one of which a contact's search text must contain,
 * and the query's digits, which may instead be in one of its phone numbers (three or more).
 */
import { foldForSearch, phoneDigits } from './normalize';

export interface SearchQuery {
  /** As typed (the list names the field of the first that matched outside the row's own text). */
  readonly typed: readonly string[];
  /** Longest first: it usually leaves the fewest rows, and the others only narrow it. */
  readonly words: readonly string[];
  readonly digits: string;
}

/** Digits in a query match phone numbers only from this many on (fewer match almost every number). */
export const MIN_PHONE_DIGITS = 3;

let last: { q: string; parsed: SearchQuery } | null = null;

export function parseQuery(q: string): SearchQuery {
  // Parsed once per keystroke, though the list asks for every row it draws.
  if (last?.q === q) return last.parsed;
  const folded = foldForSearch(q);
  const typed = folded === '' ? [] : folded.split(' ');
  const digits = phoneDigits(q);
  const parsed = { typed, words: [...typed].sort((a, b) => b.length - a.length), digits: digits.length >= MIN_PHONE_DIGITS ? digits : '' };
  last = { q, parsed };
  return parsed;
}

/** Whether one row matches, by its texts alone (rows the index has not seen yet). */
export function rowMatches(search: string, phones: string, query: SearchQuery): boolean {
  if (query.words.every((w) => search.includes(w))) return true;
  return query.digits !== '' && phones.includes(query.digits);
}
