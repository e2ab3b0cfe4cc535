/**
 * Which contacts an export, a print or the calendar takes: all of them, one book's, or the
 * selection. A group scope is one more member of `ExportScope` and one more case in `scopeIds`
 * (the group's member ids), nothing else.
 */
import type { ContactIndex } from '../../store/contact-index';
import type { Services } from '../../services';
import type { ExportCardInput } from './export-run';

export type ExportScope = { kind: 'all' } | { kind: 'book'; bookId: string } | { kind: 'selection'; ids: readonly string[] };

/** The ids in the scope, in list order; contacts waiting to be deleted on a server are left out. */
export function scopeIds(index: ContactIndex, scope: ExportScope): string[] {
  switch (scope.kind) {
    case 'all':
      return index.query('', null).map((r) => r.id);
    case 'book':
      return index.query('', scope.bookId).map((r) => r.id);
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
