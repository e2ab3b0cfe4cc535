import { useEffect, useMemo, useState, useSyncExternalStore, type DragEvent } from 'react';
import { EMPTY_NAME, parseVCard, toContact, type Contact } from '../../shared/vcard';
import { createContact, deleteContacts, exportContacts, saveContact, toggleFavorite } from './actions';
import { ContactRepo } from './db/repo';
import { ContactEditor } from './features/ContactEditor';
import { ContactList } from './features/ContactList';
import { ContactView } from './features/ContactView';
import { ConflictDialog } from './features/ConflictDialog';
import { ImportDialog } from './features/ImportDialog';
import { previewImport, type ImportPreview } from './features/import';
import { Sidebar } from './features/Sidebar';
import { ToastBar } from './features/Toast';
import { direction, pickLanguage, translator } from './i18n';
import { ServicesContext, useServices } from './services';
import { ContactIndex } from './store/contact-index';
import { useUi } from './store/ui';
import { LOCAL_BOOK_ID, type CardRow } from './db/schema';
import { syncStoreHandlers } from './db/sync-store';

const EMPTY_CONTACT: Contact = toContact(parseVCard('BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n'));

/** Save the list snapshot when the list has been quiet for a moment (and now, after a full read). */
function keepSnapshot(repo: ContactRepo, index: ContactIndex, saveNow: boolean): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A failed snapshot only costs the next start its speed: the rows themselves are safe.
  const save = () => void repo.saveListSnapshot(index.snapshot()).catch(() => {});
  index.subscribe(() => {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
  if (saveNow) timer = setTimeout(save, 500);
}

/** Open the store and load the list once; everything else waits for it. */
function useStore(): { repo: ContactRepo; index: ContactIndex } | { error: string } | null {
  const [state, setState] = useState<{ repo: ContactRepo; index: ContactIndex } | { error: string } | null>(null);
  useEffect(() => {
    let alive = true;
    (async () => {
      const repo = await ContactRepo.open();
      const index = new ContactIndex(navigator.language);
      // Paint from the saved head of the list at once; then load the whole list (the saved
      // snapshot if it is exact, else every row) and swap it in.
      const head = await repo.listHead();
      if (head !== null) {
        index.loadHead(head.rows, head.total);
        window.cardinal.serveStore({ getStoreStats: async () => ({ contacts: index.expected ?? index.size }), ...syncStoreHandlers(repo, index) });
        if (alive) setState({ repo, index });
      }
      const snapshot = await repo.listSnapshot();
      let reflects = repo.generation;
      if (snapshot !== null) index.load(snapshot, true);
      // A write made while the head was shown (or during the read) makes what was read stale:
      // read the rows again until nothing changed underneath.
      for (let tries = 0; (snapshot === null && tries === 0) || (reflects !== repo.generation && tries < 5); tries++) {
        reflects = repo.generation;
        index.load(await repo.allRows());
      }
      keepSnapshot(repo, index, snapshot === null);
      setTimeout(() => index.warm(), 0);
      if (head === null) {
        window.cardinal.serveStore({ getStoreStats: async () => ({ contacts: index.size }), ...syncStoreHandlers(repo, index) });
        if (alive) setState({ repo, index });
      }
    })().catch((e: Error) => alive && setState({ error: e.message }));
    return () => {
      alive = false;
    };
  }, []);
  return state;
}

export function App() {
  const store = useStore();
  const override = useUi((s) => s.language);
  const [osLocale, setOsLocale] = useState(navigator.language);
  useEffect(() => {
    window.cardinal.getAppInfo().then((info) => setOsLocale(info.locale), () => {});
  }, []);
  const lang = override ?? pickLanguage(osLocale);
  const t = useMemo(() => translator(lang), [lang]);
  useEffect(() => {
    document.documentElement.setAttribute('lang', lang);
    document.documentElement.setAttribute('dir', direction(lang));
    document.title = t('app.title');
    if (store !== null && 'index' in store) store.index.setLocale(lang);
  }, [lang, t, store]);

  if (store === null) return <p className="splash">{t('app.loading')}</p>;
  if ('error' in store) return <p className="splash" role="alert">{t('app.error.storage', { message: store.error })}</p>;
  return (
    <ServicesContext.Provider value={{ ...store, t, lang }}>
      <AddressBook />
    </ServicesContext.Provider>
  );
}

function AddressBook() {
  const services = useServices();
  const { t, index, repo } = services;
  const version = useSyncExternalStore(index.subscribe, index.getVersion);
  const { filter, query, selected, mode, select, setMode, setQuery } = useUi();
  // Books synced with Google: its CardDAV does not store labels (CATEGORIES); the editor says so.
  const [googleBooks, setGoogleBooks] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    const load = () =>
      void window.cardinal
        .listAccounts()
        .then((list) => setGoogleBooks(new Set(list.filter((a) => a.kind !== 'carddav').flatMap((a) => a.books.map((b) => b.id)))))
        .catch(() => {});
    load();
    return window.cardinal.onSyncStatus(load);
  }, []);
  const [importPreview, setImportPreview] = useState<ImportPreview | null>(null);
  const [dragging, setDragging] = useState(false);

  // Recomputed only when the list, the query or the filter changes, not on every render.
  const rows = useMemo(
    () => index.query(query, filter.kind === 'book' ? filter.id : null, filter.kind === 'favorites'),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` is how the index says it changed
    [index, version, query, filter],
  );
  const focused = selected.length === 1 ? selected[0]! : null;
  const [loaded, setLoaded] = useState<{ id: string; contact: Contact; card: CardRow } | null>(null);
  // The conflict dialog belongs to the contact it was opened for.
  const [resolvingId, setResolvingId] = useState<string | null>(null);
  const detail = loaded !== null && loaded.id === focused ? loaded : null;

  useEffect(() => {
    let alive = true;
    if (focused === null) return;
    void repo.getCard(focused).then((card) => {
      if (alive && card !== undefined) setLoaded({ id: focused, contact: toContact(parseVCard(card.vcard)), card });
    });
    return () => {
      alive = false;
    };
  }, [focused, repo, version]);

  const remove = (ids: readonly string[]) => {
    if (ids.length > 1 && !window.confirm(t('confirm.bulkDelete', { count: ids.length }))) return;
    void deleteContacts(services, ids);
  };

  // Files wait in a queue and are shown one summary at a time, so none is dropped.
  const [queue, setQueue] = useState<File[]>([]);
  const importFiles = (files: File[]) => setQueue((q) => [...q, ...files]);
  useEffect(() => {
    const next = queue[0];
    if (next === undefined || importPreview !== null) return;
    let alive = true;
    void next
      .arrayBuffer()
      .then((data) => previewImport(services, next.name, data, LOCAL_BOOK_ID))
      .then(
        (preview) => alive && setImportPreview(preview),
        (e: Error) => {
          useUi.getState().showToast(t('import.failed', { name: next.name, message: e.message }));
          setQueue((q) => q.slice(1));
        },
      );
    return () => {
      alive = false;
    };
  }, [queue, importPreview, services, t]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        select([]);
        setMode('new');
      } else if (mod && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        document.getElementById('search')?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [select, setMode]);

  // Files handed over by the OS (a double-clicked .vcf, one on the command line, the menu's Import)
  // go to the same import flow: those that waited for the window first, then as they come.
  useEffect(() => {
    const take = (files: readonly { name: string; text: string }[]) => importFiles(files.map((f) => new File([f.text], f.name)));
    const off = window.cardinal.onOpenFiles(take);
    void window.cardinal.takeOpenedFiles().then(take, () => {});
    return off;
  }, []);

  // The native menu's commands that act in the window.
  useEffect(
    () =>
      window.cardinal.onMenu((command) => {
        if (command === 'new-contact') {
          select([]);
          setMode('new');
        } else if (command === 'find') document.getElementById('search')?.focus();
      }),
    [select, setMode],
  );

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files].filter((f) => /\.(vcf|vcard)$/i.test(f.name) || f.type.includes('vcard'));
    if (files.length > 0) importFiles(files);
  };

  return (
    <div
      className={`layout${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <Sidebar onImportFiles={importFiles} onExport={() => void exportContacts(services, selected.length > 0 ? selected : rows.map((r) => r.id))} exportCount={selected.length} />
      <section className="list-pane" aria-label={t('list.label')} aria-busy={index.expected !== null}>
        <div className="list-toolbar">
          <input id="search" type="search" placeholder={t('search.placeholder')} aria-label={t('search.label')} value={query} onChange={(e) => setQuery(e.target.value)} />
          <button
            type="button"
            className="primary"
            aria-keyshortcuts="Control+N"
            onClick={() => {
              select([]);
              setMode('new');
            }}
          >
            {t('action.new')}
          </button>
        </div>
        <p className="list-count" aria-live="polite">
          {rows.length === 1 ? t('list.countOne') : t('list.count', { count: query === '' && index.expected !== null ? index.expected : rows.length })}
        </p>
        {rows.length === 0 ? (
          <p className="list-empty">{query === '' ? t('list.empty') : t('list.noMatch', { query })}</p>
        ) : (
          <ContactList rows={rows} onOpen={(id) => (select([id]), setMode('edit'))} onDelete={remove} />
        )}
      </section>
      <section className="detail-pane" aria-label={t('action.edit')}>
        {mode === 'new' ? (
          <ContactEditor
            key="new"
            initial={{ ...EMPTY_CONTACT, name: EMPTY_NAME }}
            googleBook={filter.kind === 'book' && googleBooks.has(filter.id)}
            onSave={async (after) => {
              await createContact(services, after);
            }}
            onCancel={() => setMode('view')}
          />
        ) : selected.length > 1 ? (
          <div className="detail-multi">
            <p>{t('detail.selected', { count: selected.length })}</p>
            <button type="button" onClick={() => remove(selected)}>
              {t('action.deleteSelected', { count: selected.length })}
            </button>
          </div>
        ) : detail === null ? (
          <p className="detail-empty">{t('detail.none')}</p>
        ) : mode === 'edit' ? (
          <ContactEditor key={detail.id} initial={detail.contact} googleBook={googleBooks.has(index.get(detail.id)?.bookId ?? '')} onSave={(after) => saveContact(services, detail.id, detail.contact, after)} onCancel={() => setMode('view')} />
        ) : (
          <>
            <div className="detail-toolbar">
              <button type="button" onClick={() => setMode('edit')}>
                {t('action.edit')}
              </button>
              <button type="button" onClick={() => void toggleFavorite(services, detail.id)}>
                {index.get(detail.id)?.favorite === 1 ? t('action.unfavorite') : t('action.favorite')}
              </button>
              <button type="button" onClick={() => remove([detail.id])}>
                {t('action.delete')}
              </button>
            </div>
            {detail.card.conflicts !== undefined ? (
              <div className="banner warning" role="alert" data-testid="conflict-banner">
                <p>{detail.card.conflicts.length === 1 ? t('conflict.bannerOne') : t('conflict.banner', { count: detail.card.conflicts.length })}</p>
                <button type="button" className="primary" onClick={() => setResolvingId(detail.id)}>
                  {t('conflict.resolve')}
                </button>
              </div>
            ) : detail.card.error !== undefined ? (
              <div className="banner error" role="alert" data-testid="refused-banner">
                <p>{t('sync.refused', { message: detail.card.error })}</p>
              </div>
            ) : null}
            <ContactView contact={detail.contact} bookId={index.get(detail.id)?.bookId} />
            {resolvingId === detail.id && detail.card.conflicts !== undefined ? <ConflictDialog card={detail.card} onClose={() => setResolvingId(null)} /> : null}
          </>
        )}
      </section>
      {importPreview !== null ? (
        <ImportDialog
          preview={importPreview}
          bookId={LOCAL_BOOK_ID}
          onClose={() => {
            setImportPreview(null);
            setQueue((q) => q.slice(1));
          }}
        />
      ) : null}
      {dragging ? <div className="drop-hint">{t('import.dropHint')}</div> : null}
      <ToastBar />
    </div>
  );
}
