/**
 * Search by group name: a query matches a group when every word of it is in the group's folded
 * name (as a contact's text is matched), and then the group's members are found too — even where
 * no card names the group (group cards and Google labels keep the members' list, not the cards).
 */
import { foldForSearch } from './normalize';
import { parseQuery } from './query';

export function groupNameMatches(name: string, q: string): boolean {
  const { words } = parseQuery(q);
  if (words.length === 0) return false;
  const folded = foldForSearch(name);
  return words.every((w) => folded.includes(w));
}
