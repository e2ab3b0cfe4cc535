/**
 * Which contacts an export, a print or the calendar takes: all of them, one book's, one group's
 * (the group store's `memberIds`, the same query as the list filter), or the selection.
 */
import type { ContactIndex } from '../../store/contact-index';
import type { GroupStore } from '../../store/groups';
import type { Services } from '../../services';
import type { ExportCardInput } from './export-run';

export type ExportScope = { kind: 'all' } | { kind: 'book'; bookId: string } | { kind: 'group'; bookId: string; key: string } | { kind: 'selection'; ids: readonly string[] };

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
