/**
 * The sidebar: the views (all contacts, favourites, upcoming birthdays), the address books, the
 * accounts with their sync state and one "Add account" menu, and import, export and settings.
 * In a narrow window the same sidebar is the drawer. Under each book, its groups with their member
 * counts: a click filters the list by one, rows dropped on one join it, and its menu renames or
 * deletes it (through the one group dialog).
 */
import { useState, useSyncExternalStore } from 'react';
import { BookUser, Cake, Copy, Download, HardDrive, History, MoreHorizontal, Plus, Printer, Server, Settings, Star, Tag, Trash2, Upload, Users } from 'lucide-react';
import { storageSyncs } from '../../../../shared/groups/strategy';
import type { AccountInfo } from '../../../../shared/sync/types';
import { LOCAL_BOOK_ID } from '../../db/schema';
import { useServices } from '../../services';
import { useUi, type ListFilter } from '../../store/ui';
import { AccountPanel } from '../accounts/AccountPanel';
import { AddAccountMenu } from '../accounts/AddAccountMenu';
import { useDirectory } from '../accounts/directory';
import { guarded } from '../contacts/edit-guard';
import { MenuButton } from '../common/MenuButton';
import { addToGroup, CONTACTS_DRAG_TYPE } from '../groups/actions';
import { chooseImportFiles } from '../import/ImportPicker';
import { openDuplicates } from '../duplicates/DuplicatesDialog';

const ICON = { 'aria-hidden': true, size: 18 } as const;

const same = (a: ListFilter, b: ListFilter) =>
  a.kind === b.kind && (a.kind !== 'book' || (b.kind === 'book' && a.id === b.id)) && (a.kind !== 'group' || (b.kind === 'group' && a.bookId === b.bookId && a.key === b.key));

/** Dragged list rows, read at the drop. */
function draggedIds(e: React.DragEvent): string[] {
  try {
    const ids: unknown = JSON.parse(e.dataTransfer.getData(CONTACTS_DRAG_TYPE));
    return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** One book's groups, a "New group" button last. */
function BookGroups({ bookId, bookName, filter, choose }: { bookId: string; bookName: string; filter: ListFilter; choose: (f: ListFilter) => void }) {
  const services = useServices();
  const { t, groups, lang } = services;
  useSyncExternalStore(groups.subscribe, groups.getVersion);
  const [over, setOver] = useState<string | null>(null);
  const list = groups.groups(bookId);
  const local = !storageSyncs(groups.setting(bookId).storage);
  const count = new Intl.NumberFormat(lang);
  return (
    <ul className="nav-list group-list" aria-label={t('groups.ofBook', { book: bookName })}>
      {list.map((g) => {
        const f: ListFilter = { kind: 'group', bookId, key: g.key };
        const active = same(f, filter);
        return (
          <li key={g.key} className="group-row">
            <button
              type="button"
              className={`nav-item group-item${active ? ' active' : ''}${over === g.key ? ' drop-target' : ''}`}
              aria-current={active ? 'page' : undefined}
              data-group={g.name}
              onClick={() => choose(f)}
              onDragOver={(e) => {
                if (!e.dataTransfer.types.includes(CONTACTS_DRAG_TYPE)) return;
                e.preventDefault();
                e.stopPropagation();
                e.dataTransfer.dropEffect = 'copy';
                setOver(g.key);
              }}
              onDragLeave={() => setOver(null)}
              onDrop={(e) => {
                if (!e.dataTransfer.types.includes(CONTACTS_DRAG_TYPE)) return;
                e.preventDefault();
                e.stopPropagation();
                setOver(null);
                void addToGroup(services, bookId, g.key, draggedIds(e));
              }}
            >
              <Tag {...ICON} />
              <bdi className="nav-label" title={g.name}>
                {g.name}
              </bdi>
              <span className="group-count" aria-label={t('groups.members', { count: groups.memberCount(g) })}>
                {count.format(groups.memberCount(g))}
              </span>
            </button>
            <MenuButton
              className="group-menu"
              beside
              label=""
              ariaLabel={t('groups.actions', { name: g.name })}
              icon={<MoreHorizontal aria-hidden="true" size={16} />}
              items={[
                { key: 'rename', label: t('groups.rename'), onSelect: () => useUi.getState().openDialog({ kind: 'group', mode: 'rename', bookId, key: g.key }) },
                { key: 'delete', label: t('groups.delete'), onSelect: () => useUi.getState().openDialog({ kind: 'group', mode: 'delete', bookId, key: g.key }) },
              ]}
            />
          </li>
        );
      })}
      <li>
        <button type="button" className="nav-item group-new" aria-label={t('groups.newIn', { book: bookName })} onClick={() => useUi.getState().openDialog({ kind: 'group', mode: 'create', bookId })}>
          <Plus {...ICON} />
          <span className="nav-label">{t('groups.new')}</span>
        </button>
        {local ? <small className="muted group-note">{t('groups.localOnly')}</small> : null}
      </li>
    </ul>
  );
}

/** One account's panel, with its status as the directory has it. */
function AccountStatus({ account }: { account: AccountInfo }) {
  const status = useDirectory((d) => d.statuses.get(account.id) ?? null);
  return <AccountPanel account={account} status={status} />;
}

export function Sidebar({ onExport, onPrint, exportCount, onNavigate }: { onExport: () => void; onPrint: () => void; exportCount: number; onNavigate?: () => void }) {
  const { t } = useServices();
  // Books and accounts only: a sync's statuses redraw its account's panel alone (`AccountStatus`).
  const books = useDirectory((d) => d.books);
  const accounts = useDirectory((d) => d.accounts);
  const filter = useUi((s) => s.filter);
  const openDialog = useUi((s) => s.openDialog);
  const views: { filter: ListFilter; label: string; icon: React.ReactNode }[] = [
    { filter: { kind: 'all' }, label: t('books.all'), icon: <Users {...ICON} /> },
    { filter: { kind: 'favorites' }, label: t('books.favorites'), icon: <Star {...ICON} /> },
    { filter: { kind: 'birthdays' }, label: t('books.birthdays'), icon: <Cake {...ICON} /> },
    { filter: { kind: 'changes' }, label: t('books.changes'), icon: <History {...ICON} /> },
    { filter: { kind: 'trash' }, label: t('books.trash'), icon: <Trash2 {...ICON} /> },
  ];
  const bookEntries = books.map((b) => ({
    id: b.id,
    filter: { kind: 'book', id: b.id } as ListFilter,
    label: b.id === LOCAL_BOOK_ID ? t('books.local') : b.name,
    icon: b.id === LOCAL_BOOK_ID ? <HardDrive {...ICON} /> : b.kind === 'carddav' ? <Server {...ICON} /> : <BookUser {...ICON} />,
  }));
  const choose = guarded((f: ListFilter) => {
    useUi.getState().setFilter(f);
    onNavigate?.();
  });
  const entry = (e: { filter: ListFilter; label: string; icon: React.ReactNode }) => (
    <li key={`${e.filter.kind}-${e.filter.kind === 'book' ? e.filter.id : ''}`}>
      <button type="button" className={`nav-item${same(e.filter, filter) ? ' active' : ''}`} aria-current={same(e.filter, filter) ? 'page' : undefined} onClick={() => choose(e.filter)}>
        {e.icon}
        <bdi className="nav-label">{e.label}</bdi>
      </button>
    </li>
  );
  return (
    <nav className="sidebar" aria-label={t('books.heading')}>
      <div className="sidebar-scroll">
        <ul className="nav-list">
          {views.map(entry)}
          <li>
            <button
              type="button"
              className="nav-item"
              aria-haspopup="dialog"
              onClick={guarded(() => {
                onNavigate?.();
                openDuplicates();
              })}
            >
              <Copy {...ICON} />
              <span className="nav-label">{t('dup.open')}</span>
            </button>
          </li>
        </ul>
        <h2 className="sidebar-heading">{t('books.heading')}</h2>
        <ul className="nav-list">
          {bookEntries.map((b) => (
            <li key={b.id} className="book-entry">
              <ul className="nav-list">{entry(b)}</ul>
              <BookGroups bookId={b.id} bookName={b.label} filter={filter} choose={choose} />
            </li>
          ))}
        </ul>
        <h2 className="sidebar-heading">{t('account.heading')}</h2>
        <div className="sidebar-sync">
          {accounts.map((a) => (
            <AccountStatus key={a.id} account={a} />
          ))}
          <AddAccountMenu className="add-account" />
        </div>
      </div>
      <div className="sidebar-actions">
        <button type="button" className="nav-item" onClick={chooseImportFiles}>
          <Download {...ICON} />
          {t('action.import')}
        </button>
        <button type="button" className="nav-item" onClick={onExport}>
          <Upload {...ICON} />
          {exportCount > 0 ? t('action.exportSelected', { count: exportCount }) : t('action.export')}
        </button>
        <button type="button" className="nav-item" aria-keyshortcuts="Control+P" onClick={onPrint}>
          <Printer {...ICON} />
          {t('print.open')}
        </button>
        <button type="button" className="nav-item" aria-keyshortcuts="Control+Comma" onClick={() => openDialog({ kind: 'settings' })}>
          <Settings {...ICON} />
          {t('settings.title')}
        </button>
      </div>
    </nav>
  );
}
