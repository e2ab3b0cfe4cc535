/**
 * What a multi-selection can do together: add to a group (or a new one), remove from a group,
 * favourite, export as .vcf, delete (with the usual undo). Groups belong to a book, so the menus
 * offer the groups of the selected contacts' books (named with their book when there are several).
 */
import { useSyncExternalStore } from 'react';
import { Download, FolderMinus, FolderPlus, Star, Trash2, X } from 'lucide-react';
import { LOCAL_BOOK_ID } from '../../db/schema';
import { useServices } from '../../services';
import { favoriteTargets } from '../../store/links';
import { useUi } from '../../store/ui';
import { countAsShown } from '../export/as-shown';
import { useDirectory } from '../accounts/directory';
import { MenuButton, type MenuItem } from '../common/MenuButton';
import { addToGroup, removeFromGroup } from './actions';

export function BulkBar({ ids, onDelete }: { ids: readonly string[]; onDelete: (ids: readonly string[]) => void }) {
  const services = useServices();
  const { t, index, groups, repo } = services;
  useSyncExternalStore(groups.subscribe, groups.getVersion);
  const books = useDirectory((d) => d.books);
  const bookIds = [...new Set(ids.map((id) => index.get(id)?.bookId).filter((b): b is string => b !== undefined))];
  const bookName = (id: string) => (id === LOCAL_BOOK_ID ? t('books.local') : (books.find((b) => b.id === id)?.name ?? id));
  const label = (bookId: string, name: string) => (bookIds.length > 1 ? `${name} · ${bookName(bookId)}` : name);

  const addItems: MenuItem[] = bookIds.flatMap((b) => groups.groups(b).map((g) => ({ key: `${b}\u0000${g.key}`, label: label(b, g.name), onSelect: () => void addToGroup(services, b, g.key, ids) })));
  for (const b of bookIds) {
    addItems.push({ key: `${b}\u0000new`, label: bookIds.length > 1 ? t('groups.newIn', { book: bookName(b) }) : t('groups.new'), onSelect: () => useUi.getState().openDialog({ kind: 'group', mode: 'create', bookId: b, addIds: ids.filter((id) => index.get(id)?.bookId === b) }) });
  }
  const removeItems: MenuItem[] = bookIds.flatMap((b) =>
    groups
      .groups(b)
      .filter((g) => ids.some((m) => groups.holds(b, g.key, m)))
      .map((g) => ({ key: `${b}\u0000${g.key}`, label: label(b, g.name), onSelect: () => void removeFromGroup(services, b, g.key, ids) })),
  );

  const favourite = async () => {
    // A selected linked contact: every card of it (one person).
    const rows = await repo.setFavorites(favoriteTargets(ids, services.links.linkOf), true);
    index.upsert(rows);
    const count = countAsShown(rows.map((r) => r.id), services.links.linkOf);
    useUi.getState().showToast((tr) => tr('bulk.favorited', { count }));
  };

  return (
    <div className="bulk-bar" role="toolbar" aria-label={t('bulk.label')}>
      <span className="bulk-count">{t('bulk.count', { count: ids.length })}</span>
      <MenuButton label={t('groups.addTo')} icon={<FolderPlus aria-hidden="true" size={16} />} items={addItems} />
      {removeItems.length > 0 ? <MenuButton label={t('groups.removeFrom')} icon={<FolderMinus aria-hidden="true" size={16} />} items={removeItems} /> : null}
      <button type="button" onClick={() => void favourite()}>
        <Star aria-hidden="true" size={16} />
        {t('bulk.favorite')}
      </button>
      <button type="button" onClick={() => useUi.getState().openDialog({ kind: 'export', scope: { kind: 'selection', ids } })}>
        <Download aria-hidden="true" size={16} />
        {t('bulk.export')}
      </button>
      <button type="button" className="danger" onClick={() => onDelete(ids)}>
        <Trash2 aria-hidden="true" size={16} />
        {t('bulk.delete')}
      </button>
      <button type="button" className="icon-button" aria-label={t('bulk.clear')} title={t('bulk.clear')} onClick={() => useUi.getState().select([])}>
        <X aria-hidden="true" size={16} />
      </button>
    </div>
  );
}
