import { useRef } from 'react';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from '../i18n';
import { useServices } from '../services';
import { useUi, type ListFilter } from '../store/ui';
import { LOCAL_BOOK_ID } from '../db/schema';

export function Sidebar({ onImportFiles, onExport, exportCount }: { onImportFiles: (files: File[]) => void; onExport: () => void; exportCount: number }) {
  const { t } = useServices();
  const filter = useUi((s) => s.filter);
  const setFilter = useUi((s) => s.setFilter);
  const language = useUi((s) => s.language);
  const setLanguage = useUi((s) => s.setLanguage);
  const fileInput = useRef<HTMLInputElement>(null);
  const entries: { filter: ListFilter; label: string }[] = [
    { filter: { kind: 'all' }, label: t('books.all') },
    { filter: { kind: 'favorites' }, label: t('books.favorites') },
    { filter: { kind: 'book', id: LOCAL_BOOK_ID }, label: t('books.local') },
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
