import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { AccountInfo, SyncStatus } from '../../../shared/sync/types';
import type { BookRow } from '../db/schema';
import { AccountDialog } from './AccountDialog';
import { GoogleDialog } from './GoogleDialog';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from '../i18n';
import { syncReason } from '../i18n/sync-status';
import { useServices } from '../services';
import { useUi, type ListFilter } from '../store/ui';
import { LOCAL_BOOK_ID } from '../db/schema';

export function Sidebar({ onImportFiles, onExport, exportCount }: { onImportFiles: (files: File[]) => void; onExport: () => void; exportCount: number }) {
  const { t, repo } = useServices();
  const [books, setBooks] = useState<BookRow[]>([]);
  const [accounts, setAccounts] = useState<AccountInfo[]>([]);
  const [dialog, setDialog] = useState<{ kind: 'add' } | { kind: 'google' } | { kind: 'shared' } | { kind: 'edit'; account: AccountInfo } | null>(null);
  const [statuses, setStatuses] = useState<ReadonlyMap<string, SyncStatus>>(new Map());
  const refreshBooks = useCallback(() => {
    void repo.books().then((b) => setBooks(b.filter((x) => x.id !== LOCAL_BOOK_ID)));
    void window.cardinal.listAccounts().then(setAccounts);
  }, [repo]);
  useEffect(() => {
    refreshBooks();
    void window.cardinal.syncStatuses().then((all) => setStatuses(new Map(all.map((s) => [s.accountId, s]))));
    // The network came back: whatever waited goes now.
    const online = () => void window.cardinal.syncNow(null).catch(() => {});
    window.addEventListener('online', online);
    const off = window.cardinal.onSyncStatus((s) => {
      setStatuses((prev) => new Map(prev).set(s.accountId, s));
      if (s.phase !== 'syncing') refreshBooks();
    });
    return () => {
      off();
      window.removeEventListener('online', online);
    };
  }, [refreshBooks]);
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
        {accounts.map((a) => (
          <AccountPanel key={a.id} account={a} status={statuses.get(a.id) ?? null} onEdit={() => setDialog({ kind: 'edit', account: a })} onRemoved={refreshBooks} />
        ))}
        <button type="button" onClick={() => setDialog({ kind: 'google' })}>
          {t('google.add')}
        </button>
        <button type="button" onClick={() => setDialog({ kind: 'shared' })}>
          {t('shared.add')}
        </button>
        <button type="button" onClick={() => setDialog({ kind: 'add' })}>
          {t('account.add')}
        </button>
      </div>
      {dialog?.kind === 'google' || dialog?.kind === 'shared' ? <GoogleDialog shared={dialog.kind === 'shared'} onClose={() => setDialog(null)} onSaved={refreshBooks} /> : null}
      {dialog?.kind === 'add' || dialog?.kind === 'edit' ? <AccountDialog account={dialog.kind === 'edit' ? dialog.account : undefined} onClose={() => setDialog(null)} onSaved={refreshBooks} /> : null}
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

/** One account: its status (progress, last sync, what waits to upload, what went wrong) and actions. */
function AccountPanel({ account, status, onEdit, onRemoved }: { account: AccountInfo; status: SyncStatus | null; onEdit: () => void; onRemoved: () => void }) {
  const { t, lang, index } = useServices();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const version = useSyncExternalStore(index.subscribe, index.getVersion);
  const pending = useMemo(
    () => index.pendingIn(new Set(account.books.map((b) => b.id))),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` is how the index says it changed
    [index, account, version],
  );
  const host = (() => {
    if (account.kind === 'google') return 'Google';
    if (account.kind === 'gdata') return `Google Workspace ${account.domain ?? ''}`.trim();
    try {
      return new URL(account.serverUrl).host;
    } catch {
      return account.serverUrl;
    }
  })();
  // The reason in the user's language and the account kind's words, with the server's detail.
  const reason = (s: SyncStatus) => syncReason(account.kind, s, t);
  const when = (ms: number) => new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' }).format(ms);
  const p = status?.progress;
  const text =
    status === null
      ? t('sync.never')
      : status.phase === 'syncing'
        ? p !== undefined && p.total > 0
          ? t(`sync.step.${p.step}`, { done: p.done.toLocaleString(lang), total: p.total.toLocaleString(lang) })
          : t('sync.syncing')
        : status.phase === 'offline'
          ? status.message === ''
            ? t('sync.noNetwork')
            : t('sync.offline', { message: reason(status) })
          : status.phase === 'error'
            ? t('sync.error', { message: reason(status) })
            : status.phase === 'confirm' && status.deletions !== undefined
              ? t('sync.confirmDeletions', { count: status.deletions.count.toLocaleString(lang), total: status.deletions.total.toLocaleString(lang) })
              : status.lastSync === null
                ? t('sync.never')
                : t('sync.last', { time: when(status.lastSync) });
  return (
    <section className="account" aria-label={`${account.user}@${host}`} data-testid="account">
      <h3 className="account-name">
        <bdi>{account.user === '' ? host : `${account.user} · ${host}`}</bdi>
        {account.allowInsecure ? (
          <span className="insecure-badge" title={t('account.insecureWarning')}>
            {t('account.insecureBadge')}
          </span>
        ) : null}
      </h3>
      <p className="sync-status" role="status" data-testid="sync-status">
        {text}
      </p>
      {status?.phase === 'idle' && status.restored !== undefined ? (
        <p className="sync-detail" role="alert">
          {t('sync.restored', { count: status.restored.toLocaleString(lang) })}
        </p>
      ) : null}
      {status?.phase === 'idle' && status.refused !== undefined ? (
        <p className="sync-detail" role="alert">
          {t('sync.refusedCount', { count: status.refused.toLocaleString(lang) })}
        </p>
      ) : null}
      {status?.retryIn !== undefined && status.phase !== 'syncing' ? <p className="sync-detail">{t('sync.retryIn', { seconds: status.retryIn })}</p> : null}
      {pending > 0 ? (
        <p className="sync-detail" data-testid="sync-pending">
          {pending === 1 ? t('sync.pendingOne') : t('sync.pending', { count: pending.toLocaleString(lang) })}
        </p>
      ) : null}
      <div className="account-actions">
        {status?.action === 'confirm-deletions' ? (
          <button type="button" className="danger" onClick={() => void window.cardinal.confirmDeletions(account.id)}>
            {t('sync.deleteThem')}
          </button>
        ) : null}
        {status?.action === 'sign-in' ? (
          <button type="button" className="primary" onClick={() => void window.cardinal.signInGoogle(account.id).catch((e: unknown) => useUi.getState().showToast((e as Error).message))}>
            {t('account.signInAgain')}
          </button>
        ) : null}
        {status?.action === 'edit-account' ? (
          <button type="button" className="primary" onClick={onEdit}>
            {t('account.signInAgain')}
          </button>
        ) : null}
        <button type="button" disabled={status?.phase === 'syncing'} onClick={() => void window.cardinal.syncNow(account.id)}>
          {t('sync.now')}
        </button>
        <button type="button" onClick={onEdit}>
          {t('account.edit')}
        </button>
        <button type="button" onClick={() => setConfirmRemove(true)}>
          {t('account.remove')}
        </button>
      </div>
      {confirmRemove ? (
        <div className="confirm" role="alertdialog" aria-label={t('account.remove')}>
          <p>{pending > 0 ? t('account.removeConfirmPending', { count: pending.toLocaleString(lang) }) : t('account.removeConfirm')}</p>
          <button
            type="button"
            className="danger"
            onClick={() =>
              void window.cardinal.removeAccount(account.id).then(() => {
                setConfirmRemove(false);
                onRemoved();
              })
            }
          >
            {t('account.removeYes')}
          </button>
          <button type="button" onClick={() => setConfirmRemove(false)}>
            {t('action.cancel')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
