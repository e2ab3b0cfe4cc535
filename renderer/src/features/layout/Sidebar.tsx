/**
 * The sidebar: the views (all contacts, favourites, upcoming birthdays), the address books, the
 * accounts with their sync state and one "Add account" menu, and import, export and settings.
 * In a narrow window the same sidebar is the drawer. Groups (issue 17) will be listed under each
 * book here.
 */
import { BookUser, Cake, Download, HardDrive, Printer, Server, Settings, Star, Upload, Users } from 'lucide-react';
import { LOCAL_BOOK_ID } from '../../db/schema';
import { useServices } from '../../services';
import { useUi, type ListFilter } from '../../store/ui';
import { AccountPanel } from '../accounts/AccountPanel';
import { AddAccountMenu } from '../accounts/AddAccountMenu';
import { useDirectory } from '../accounts/directory';
import { guarded } from '../contacts/edit-guard';
import { chooseImportFiles } from '../import/ImportPicker';

const ICON = { 'aria-hidden': true, size: 18 } as const;

const same = (a: ListFilter, b: ListFilter) => a.kind === b.kind && (a.kind !== 'book' || (b.kind === 'book' && a.id === b.id));

export function Sidebar({ onExport, onPrint, exportCount, onNavigate }: { onExport: () => void; onPrint: () => void; exportCount: number; onNavigate?: () => void }) {
  const { t } = useServices();
  const { books, accounts, statuses } = useDirectory();
  const filter = useUi((s) => s.filter);
  const openDialog = useUi((s) => s.openDialog);
  const views: { filter: ListFilter; label: string; icon: React.ReactNode }[] = [
    { filter: { kind: 'all' }, label: t('books.all'), icon: <Users {...ICON} /> },
    { filter: { kind: 'favorites' }, label: t('books.favorites'), icon: <Star {...ICON} /> },
    { filter: { kind: 'birthdays' }, label: t('books.birthdays'), icon: <Cake {...ICON} /> },
  ];
  const bookEntries = books.map((b) => ({
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
        <ul className="nav-list">{views.map(entry)}</ul>
        <h2 className="sidebar-heading">{t('books.heading')}</h2>
        <ul className="nav-list">{bookEntries.map(entry)}</ul>
        <h2 className="sidebar-heading">{t('account.heading')}</h2>
        <div className="sidebar-sync">
          {accounts.map((a) => (
            <AccountPanel key={a.id} account={a} status={statuses.get(a.id) ?? null} />
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
