/**
 * The trash: deleted contacts of the last 30 days, the latest first (those deleted at one time by
 * name), searchable, each with Restore and Delete forever; Empty trash for all. Both deletions ask first (ConfirmDialog).
 */
import { useMemo, useState, type ReactNode } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { RotateCcw, Search, Trash2 } from 'lucide-react';
import { parseQuery, rowMatches } from '../../../../shared/search/query';
import type { TrashRow } from '../../db/schema';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { useDirectory } from '../accounts/directory';
import { Avatar } from '../contacts/Avatar';
import { restoreFromTrash } from './actions';
import { VirtualRows } from './VirtualRows';
import { bookName, moment, serverName, trashOrder } from './who';

const ROW = 72;

export function TrashView({ toolbar }: { toolbar: ReactNode }) {
  const services = useServices();
  const { t, repo, dates, lang } = services;
  const { books, accounts } = useDirectory();
  const stored = useLiveQuery(() => repo.trash(), [repo]);
  const trash = useMemo(() => (stored === undefined ? undefined : trashOrder(stored, lang)), [stored, lang]);
  const [query, setQuery] = useState('');
  const shown = useMemo(() => {
    if (trash === undefined || query.trim() === '') return trash ?? [];
    const q = parseQuery(query);
    return trash.filter((r) => rowMatches(r.row.search, r.row.phones, q));
  }, [trash, query]);
  const name = (r: TrashRow) => r.row.displayName || t('list.noName');
  const row = (r: TrashRow) => {
    const when = moment(dates.locale, r.deletedAt);
    return (
      <div className="trash-row">
        <Avatar name={r.row.displayName} photo={r.row.photo} size={36} bookId={r.bookId} />
        <span className="list-text">
          <span className="list-name">
            <bdi>{name(r)}</bdi>
          </span>
          <span className="list-sub">
            {r.mergedInto !== undefined ? t('trash.mergedInto', { name: r.mergedInto.name || t('list.noName'), when }) : r.by === 'server' ? t('trash.byServer', { server: serverName(t, accounts, r.bookId), when }) : t('trash.byLocal', { when })}
          </span>
          <span className="list-sub">{t('trash.from', { book: bookName(t, books, r.bookId) })}</span>
        </span>
        <button type="button" aria-label={t('trash.restoreName', { name: name(r) })} onClick={() => void restoreFromTrash(services, [r.id])}>
          <RotateCcw aria-hidden="true" size={16} />
          <span className="trash-button-label">{t('trash.restore')}</span>
        </button>
        <button type="button" className="danger" aria-label={t('trash.deleteForeverName', { name: name(r) })} onClick={() => useUi.getState().openDialog({ kind: 'trash-forever', ids: [r.id], name: name(r) })}>
          <Trash2 aria-hidden="true" size={16} />
          <span className="trash-button-label">{t('trash.deleteForever')}</span>
        </button>
      </div>
    );
  };
  return (
    <section className="wide-pane" aria-labelledby="trash-heading">
      <div className="list-toolbar">
        {toolbar}
        <h2 id="trash-heading" className="pane-heading">
          {t('books.trash')}
        </h2>
        <div className="search-box">
          <Search aria-hidden="true" size={16} />
          <input type="search" placeholder={t('trash.search')} aria-label={t('trash.search')} dir="auto" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <button type="button" className="danger" disabled={(trash?.length ?? 0) === 0} onClick={() => useUi.getState().openDialog({ kind: 'trash-empty', count: trash?.length ?? 0 })}>
          {t('trash.emptyTrash')}
        </button>
      </div>
      <p className="pane-intro muted">{t('trash.intro')}</p>
      <p className="list-count" aria-live="polite">
        {t('trash.count', { count: shown.length })}
      </p>
      {trash === undefined ? null : shown.length === 0 ? (
        <p className="list-empty">{query.trim() === '' ? t('trash.empty') : t('trash.noMatch', { query })}</p>
      ) : (
        <VirtualRows items={shown} rowHeight={ROW} label={t('books.trash')} keyOf={(r) => r.id} render={row} />
      )}
    </section>
  );
}
