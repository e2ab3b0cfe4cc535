import { useCallback, useEffect, useRef, useState } from 'react';
import type { SyncStatus } from '../../../shared/sync/types';
import type { BookRow } from '../db/schema';
import { AccountDialog } from './AccountDialog';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from '../i18n';
import { useServices } from '../services';
import { useUi, type ListFilter } from '../store/ui';
import { LOCAL_BOOK_ID } from '../db/schema';

export function Sidebar({ onImportFiles, onExport, exportCount }: { onImportFiles: (files: File[]) => void; onExport: () => void; exportCount: number }) {
  const { t, repo, lang } = useServices();
  const [books, setBooks] = useState<BookRow[]>([]);
  const [adding, setAdding] = useState(false);
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const refreshBooks = useCallback(() => void repo.books().then((b) => setBooks(b.filter((x) => x.id !== LOCAL_BOOK_ID))), [repo]);
  useEffect(() => {
    refreshBooks();
    return window.cardinal.onSyncStatus((s) => {
      setStatus(s);
      refreshBooks();
    });
  }, [refreshBooks]);
  const statusText =
    status === null
      ? ''
      : status.phase === 'syncing'
        ? t('sync.syncing')
        : status.phase === 'offline'
          ? t('sync.offline', { message: status.message })
          : status.phase === 'error'
            ? t('sync.error', { message: status.message })
            : status.lastSync === null
              ? t('sync.never')
              : t('sync.last', { time: new Intl.DateTimeFormat(lang, { timeStyle: 'short' }).format(status.lastSync) });
  const filter = useUi((s) => s.filter);
  const setFilter = useUi((s) => s.setFilter);
  const language = useUi((s) => s.language);
  const setLanguage = useUi((s) => s.setLanguage);
  const fileInput = useRef<HTMLInputElement>(null);
  const entries: { filter: ListFilter; label: string }[] = [
    { filter: { kind: 'all' }, label: t('books.all') },
    { filter: { kind: 'favorites' }, label: t('books.favorites') },
    { filter: { kind: 'book', id: LOCAL_BOOK_ID }, label: t('books.local') },
    ...books.map((b) => ({ filter: { kind: 'book', id: b.id } as ListFilter, label: b.name })),
  ];
  const same = (a: ListFilter, b: ListFilter) => a.kind === b.kind && (a.kind !== 'book' || (b.kind === 'book' && a.id === b.id));
  return (
    <nav className="sidebar" aria-label={t('books.heading')}>
      <h2 className="sidebar-heading">{t('books.heading')}</h2>
      <ul>
        {entries.map((e) => (
          <li key={e.label}>
            <button type="button" className={same(e.filter, filter) ? 'active' : ''} aria-current={same(e.filter, filter) ? 'page' : undefined} onClick={() => setFilter(e.filter)}>
              {e.label}
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar-sync">
        <button type="button" onClick={() => setAdding(true)}>
          {t('account.add')}
        </button>
        {books.length > 0 ? (
          <button type="button" onClick={() => void window.cardinal.syncNow(null)}>
            {t('sync.now')}
          </button>
        ) : null}
        <p className="sync-status" role="status" data-testid="sync-status">
          {statusText}
        </p>
      </div>
      {adding ? <AccountDialog onClose={() => setAdding(false)} onAdded={refreshBooks} /> : null}
      <div className="sidebar-actions">
        <button type="button" onClick={() => fileInput.current?.click()}>
          {t('action.import')}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".vcf,.vcard,text/vcard,text/x-vcard"
          multiple
          className="visually-hidden"
          data-testid="import-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length > 0) onImportFiles(files);
          }}
        />
        <button type="button" onClick={onExport}>
          {exportCount > 0 ? t('action.exportSelected', { count: exportCount }) : t('action.export')}
        </button>
        <label className="language-picker">
          {t('settings.language')}
          <select value={language ?? ''} onChange={(e) => setLanguage(e.target.value === '' ? null : (e.target.value as Language))}>
            <option value="">{t('settings.languageAuto')}</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
      </div>
    </nav>
  );
}
