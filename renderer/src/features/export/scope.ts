/**
 * Which contacts an export, a print or the calendar takes: all of them, one book's, one group's
 * (the group store's `memberIds`, the same query as the list filter), or the selection. A linked
 * contact is one contact in each (`shownScopeIds`, `scopeCount`, and as-shown.ts for its card).
 */
import type { ContactIndex } from '../../store/contact-index';
import type { ListFilter } from '../../store/ui';
import type { GroupStore } from '../../store/groups';
import type { Services } from '../../services';
import type { ExportCardInput } from './export-run';
import { exportEntries, type ExportGroupsAs } from '../../../../shared/groups/transfer';
import { countAsShown, withLinkedCards } from './as-shown';

export type ExportScope = { kind: 'all' } | { kind: 'book'; bookId: string } | { kind: 'group'; bookId: string; key: string } | { kind: 'selection'; ids: readonly string[] };

/**
 * The contacts the user chose together: two or more selected rows. One selected row is the contact
 * open in the detail pane (a click, an arrow key), not a choice of what to export or print; the
 * bulk bar and the detail pane's "n selected" read the selection the same way.
 */
export function explicitSelection(selected: readonly string[]): readonly string[] {
  return selected.length > 1 ? selected : NONE_CHOSEN;
}

/** One empty selection for every caller, so what is memoised on it stays. */
const NONE_CHOSEN: readonly string[] = Object.freeze([]);

/** What the sidebar's Export and Print (and Ctrl+P) take: the selection, else the group or book in view, else everything. */
export function viewScope(filter: ListFilter, selected: readonly string[]): ExportScope {
  const chosen = explicitSelection(selected);
  if (chosen.length > 0) return { kind: 'selection', ids: chosen };
  if (filter.kind === 'group') return { kind: 'group', bookId: filter.bookId, key: filter.key };
  if (filter.kind === 'book') return { kind: 'book', bookId: filter.id };
  return { kind: 'all' };
}

/** What a group scope asks of the group store. */
export type ScopeGroups = Pick<GroupStore, 'memberIds'>;

/** The ids in the scope, in list order; contacts waiting to be deleted on a server are left out. */
export function scopeIds(index: ContactIndex, groups: ScopeGroups, scope: ExportScope): string[] {
  switch (scope.kind) {
    case 'all':
      return index.query('', null).map((r) => r.id);
    case 'book':
      return index.query('', scope.bookId).map((r) => r.id);
    case 'group': {
      const members = new Set(groups.memberIds(scope.bookId, scope.key));
      return index.query('', scope.bookId).flatMap((r) => (members.has(r.id) ? [r.id] : []));
    }
    case 'selection':
      return scope.ids.filter((id) => index.get(id) !== undefined && index.get(id)?.pending !== 'deleted');
  }
}

/**
 * The ids in the scope as the window shows them: a selected linked contact with every one of its
 * cards (as-shown.ts unites them in the export, print or share). For `count`: a link once.
 */
export function shownScopeIds(s: Pick<Services, 'index' | 'groups' | 'links'>, scope: ExportScope): string[] {
  const ids = scopeIds(s.index, s.groups, scope);
  return scope.kind === 'selection' ? withLinkedCards(ids, s.links.linkOf).filter((id) => s.index.get(id) !== undefined) : ids;
}

/** How many contacts the scope is, as the list counts them (a linked contact once). */
export function scopeCount(s: Pick<Services, 'index' | 'groups' | 'links'>, scope: ExportScope): number {
  return countAsShown(scopeIds(s.index, s.groups, scope), s.links.linkOf);
}

/** The stored cards of these contacts, as the export takes them. */
export async function scopeCards(s: Services, ids: readonly string[]): Promise<ExportCardInput[]> {
  const cards = await s.repo.db.cards.bulkGet([...ids]);
  const out: ExportCardInput[] = [];
  cards.forEach((c, i) => {
    if (c === undefined) return;
    const row = s.index.get(ids[i]!);
    out.push({ id: ids[i]!, vcard: c.vcard, favorite: row?.favorite === 1, name: row?.displayName || s.t('list.noName') });
  });
  return out;
}

/**
 * The stored cards of these contacts with their groups (`exportEntries`): `book` as each book
 * keeps them (its group cards follow, naming only the contacts exported; a Google book's labels
 * as CATEGORIES), `categories` every group as CATEGORIES and no group cards (CSV). Contacts in
 * the given order, each book's group cards after them.
 */
export async function scopeCardsWithGroups(s: Services, ids: readonly string[], as: ExportGroupsAs): Promise<ExportCardInput[]> {
  const byBook = new Map<string, string[]>();
  for (const id of ids) {
    const row = s.index.get(id);
    if (row === undefined) continue;
    byBook.set(row.bookId, [...(byBook.get(row.bookId) ?? []), id]);
  }
  const contacts = new Map<string, ExportCardInput>();
  const groupCards: ExportCardInput[] = [];
  for (const [bookId, own] of byBook) {
    const cardIds = as === 'book' ? s.groups.groups(bookId).flatMap((g) => (g.card === null ? [] : [g.card.id])) : [];
    const stored = await s.repo.db.cards.bulkGet([...own, ...cardIds]);
    const texts = new Map<string, string>();
    stored.forEach((c) => c !== undefined && texts.set(c.id, c.vcard));
    const names = new Map(s.groups.groups(bookId).flatMap((g) => (g.card === null ? [] : [[g.card.id, g.name] as const])));
    for (const e of exportEntries(s.groups.book(bookId, texts), own, as)) {
      if (e.groupCard) groupCards.push({ id: e.id, vcard: e.vcard, favorite: false, name: names.get(e.id) ?? '' });
      else {
        const row = s.index.get(e.id);
        contacts.set(e.id, { id: e.id, vcard: e.vcard, favorite: row?.favorite === 1, name: row?.displayName || s.t('list.noName') });
      }
    }
  }
  return [...ids.flatMap((id) => contacts.get(id) ?? []), ...groupCards];
}
