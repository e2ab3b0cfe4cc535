/**
 * Groups kept as CATEGORIES on the member cards: a name added, removed or renamed through
 * `applyEdit`, so only the CATEGORIES line changes. Names match without case (`foldName`).
 */
import { applyEdit, parseVCard, serializeVCard, toContact } from '../vcard';
import { foldName } from './members';

function withCategories(vcard: string, change: (current: readonly string[]) => string[]): string {
  const card = parseVCard(vcard);
  const before = toContact(card);
  const next = change(before.categories);
  if (next.length === before.categories.length && next.every((c, i) => c === before.categories[i])) return vcard;
  return serializeVCard(applyEdit(card, before, { ...before, categories: next }));
}

export function addCategory(vcard: string, name: string): string {
  const f = foldName(name);
  return withCategories(vcard, (cs) => (cs.some((c) => foldName(c) === f) ? [...cs] : [...cs, name.trim()]));
}

export function removeCategory(vcard: string, name: string): string {
  const f = foldName(name);
  return withCategories(vcard, (cs) => cs.filter((c) => foldName(c) !== f));
}

export function renameCategory(vcard: string, from: string, to: string): string {
  const f = foldName(from);
  return withCategories(vcard, (cs) => {
    const out: string[] = [];
    for (const c of cs) {
      const next = foldName(c) === f ? to.trim() : c;
      if (!out.some((o) => foldName(o) === foldName(next))) out.push(next);
    }
    return out;
  });
}
