import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type DragEvent } from 'react';
import { Menu, Plus, Search } from 'lucide-react';
import { deleteContacts, targetBook } from './actions';
import { regionOfLocale } from '../../shared/duplicates/phone';
import { setSearchRegion } from '../../shared/search/query';
import { ContactRepo } from './db/repo';
import { LOCAL_BOOK_ID } from './db/schema';
import { labelStoreHandlers } from './db/label-store';
import { syncStoreHandlers } from './db/sync-store';
import { needsAttention, useDirectory, useDirectorySource } from './features/accounts/directory';
import { BirthdaysView } from './features/birthdays/BirthdaysView';
import { ToastBar } from './features/common/Toast';
import { ContactDetail } from './features/contacts/ContactDetail';
import { ContactList } from './features/contacts/ContactList';
import { BulkBar } from './features/groups/BulkBar';
import { guarded, hasUnsavedEdit, leaveEditor, saveOpenEditor } from './features/contacts/edit-guard';
import { isCsvFile, isImportFile, previewCsvImport, previewCsvInWorker, previewImport, releaseImport } from './features/import/import';
import { ImportPicker } from './features/import/ImportPicker';
import { DialogHost } from './features/layout/DialogHost';
import { FirstLaunch } from './features/layout/FirstLaunch';
import { HostBanner } from './features/layout/HostBanner';
import { QuestionBanner } from './features/layout/QuestionBanner';
import { Sidebar } from './features/layout/Sidebar';
import { useCalendarKeeper } from './features/export/calendar-file';
import { explicitSelection, viewScope, type ExportScope } from './features/export/scope';
import { usePrintJob } from './features/print/print-job';
import { PrintView } from './features/print/PrintView';
import { useMedia } from './features/layout/use-media';
import { useSettings } from './features/settings/settings';
import { dateLocale, direction, pickLanguage, translator } from './i18n';
import { ServicesContext, useServices } from './services';
import { ContactIndex } from './store/contact-index';
import { LinkStore } from './store/links';
import { GroupStore } from './store/groups';
import { rederiveOldRows } from './store/rederive';
import { maintainHistory } from './db/history';
import { RecentChanges } from './features/history/RecentChanges';
import { TrashView } from './features/history/TrashView';
import { useUi } from './store/ui';

/** Save the list snapshot when the list has been quiet for a moment (and now, after a full read). */
function keepSnapshot(repo: ContactRepo, index: ContactIndex, saveNow: boolean): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A failed snapshot only costs the next start its speed: the rows themselves are safe.
  const save = () => {
    // A sync's batches still coming: saved once they are in (or the hold runs out).
    if (repo.snapshotHeld) timer = setTimeout(save, 1500);
    else void repo.saveListSnapshot(index.snapshot()).catch(() => {});
  };
  index.subscribe(() => {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
  if (saveNow) timer = setTimeout(save, 500);
}

/** Open the store and load the list once; everything else waits for it. */
type Store = { repo: ContactRepo; index: ContactIndex; groups: GroupStore; links: LinkStore };

function useStore(): Store | { error: string } | null {
  const [state, setState] = useState<Store | { error: string } | null>(null);
  useEffect(() => {
    let alive = true;
    (async () => {
      const repo = await ContactRepo.open();
      const index = new ContactIndex(navigator.language, useSettings.getState().sortBy === 'last' ? 'sortNameLast' : 'sortName');
      const groups = await GroupStore.open(repo, index);
      const links = await LinkStore.open(repo, index);
      // Paint from the saved head of the list at once; then load the whole list (the saved
      // snapshot if it is exact, else every row) and swap it in.
      const head = await repo.listHead();
      if (head !== null) {
        index.loadHead(head.rows, head.total);
        window.cardinal.serveStore({ getStoreStats: async () => ({ contacts: index.expected ?? index.size }), ...syncStoreHandlers(repo, index, () => links.reload()), ...labelStoreHandlers(repo, index, (b, l, a) => groups.setLabels(b, l, a)) });
        if (alive) setState({ repo, index, groups, links });
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
        window.cardinal.serveStore({ getStoreStats: async () => ({ contacts: index.size }), ...syncStoreHandlers(repo, index, () => links.reload()), ...labelStoreHandlers(repo, index, (b, l, a) => groups.setLabels(b, l, a)) });
        if (alive) setState({ repo, index, groups, links });
      }
      // Rows written by an older version lack fields the list now shows: derive them again, quietly.
      void rederiveOldRows(repo, index).catch(() => {});
      // The trash past 30 days, versions and runs past 90: in batches, after the list is up.
      setTimeout(() => void maintainHistory(repo.db).catch(() => {}), 2000);
    })().catch((e: Error) => alive && setState({ error: e.message }));
    return () => {
      alive = false;
    };
  }, []);
  return state;
}

/** A field whose own undo (of the text typed in it) Ctrl+Z is for. */
function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'color', 'range'].includes(target.type);
}

/** How long a .vcf is read before its dialog opens saying so. */
const READING_SHOWN_AFTER_MS = 150;

export function App() {
  const store = useStore();
  const { language, theme, sortBy, dateStyle } = useSettings();
  const [osLocale, setOsLocale] = useState(navigator.language);
  useEffect(() => {
    window.cardinal.getAppInfo().then((info) => setOsLocale(info.locale), () => {});
  }, []);
  const lang = language ?? pickLanguage(osLocale);
  // National phone numbers in a search (09123456789) are read in the OS's region; idempotent, so
  // set before the list below asks for its rows.
  setSearchRegion(regionOfLocale(osLocale));
  const t = useMemo(() => translator(lang), [lang]);
  const dates = useMemo(() => ({ locale: dateLocale(lang, osLocale), style: dateStyle }), [lang, osLocale, dateStyle]);
  useEffect(() => {
    const root = document.documentElement;
    root.setAttribute('lang', lang);
    root.setAttribute('dir', direction(lang));
    document.title = t('app.title');
    if (theme === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', theme);
    if (store !== null && 'index' in store) {
      store.index.setLocale(lang);
      store.index.setSortField(sortBy === 'last' ? 'sortNameLast' : 'sortName');
    }
  }, [lang, t, store, theme, sortBy]);

  if (store === null) return <p className="splash">{t('app.loading')}</p>;
  if ('error' in store) return <p className="splash" role="alert">{t('app.error.storage', { message: store.error })}</p>;
  return (
    <ServicesContext.Provider value={{ ...store, t, lang, dates }}>
      <AddressBook />
    </ServicesContext.Provider>
  );
}

function AddressBook() {
  const services = useServices();
  const { t, index, repo, groups, links } = services;
  useDirectorySource(repo);
  const version = useSyncExternalStore(index.subscribe, index.getVersion);
  const linksVersion = useSyncExternalStore(links.subscribe, links.getVersion);
  const groupsVersion = useSyncExternalStore(groups.subscribe, groups.getVersion);
  const { filter, query, selected, mode, detailOpen, setQuery } = useUi();
  const dialog = useUi((s) => s.dialog);
  // Each by itself: a sync's progress (the statuses) does not render the whole window again.
  const books = useDirectory((d) => d.books);
  const accounts = useDirectory((d) => d.accounts);
  const defaultBook = useSettings((s) => s.defaultBook);
  const drawerMode = useMedia('(max-width: 999px)');
  // An account that needs the user (a failed run, a question, cards left out, a conflict) puts a dot on the
  // drawer button, since a narrow window folds its status away.
  const statusAttention = useDirectory((d) => [...d.statuses.values()].some(needsAttention));
  // A change made in two places waits for the user too (its account's panel says so). The index
  // keeps each book's counts as rows change, so asking on every change costs one look per book.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` is how the index says it changed
  const conflictsWaiting = useMemo(() => index.pendingIn(new Set(books.map((b) => b.id))).conflicts > 0, [index, books, version]);
  const attention = statusAttention || conflictsWaiting;
  const drawerOpen = useUi((s) => s.dialog?.kind === 'drawer');
  const onePane = useMedia('(max-width: 759px)');
  const [dragging, setDragging] = useState(false);
  const target = targetBook(filter, defaultBook, new Set(books.map((b) => b.id)));
  const printJob = usePrintJob((p) => p.job);
  useCalendarKeeper();
  // What Export and Print take by default: the selection (two or more: one is the contact open), else the group or book in view, else everything.
  const scope = (): ExportScope => viewScope(filter, selected);

  // What the group store knows of each book's server: the storage a book with no groups gets.
  useEffect(() => {
    for (const a of accounts) for (const b of a.books) groups.setSignals(b.id, { account: a.kind, url: b.url });
  }, [accounts, groups]);

  // Recomputed only when the list, the query or the filter changes, not on every render.
  const { rows, sections } = useMemo(() => {
    const bookId = filter.kind === 'book' ? filter.id : filter.kind === 'group' ? filter.bookId : null;
    // A group: its bit set over the list's row slots (one bit test per row, no id looked up).
    const group = filter.kind === 'group' ? { key: filter.key, bits: groups.bits(filter.bookId, filter.key) } : null;
    const found = index.list(query, bookId, filter.kind === 'favorites', group, query === '' ? undefined : groups.matchingMembers(query, bookId));
    // Linked cards (of different books) are one row: the view's whole list says which it shows.
    return links.empty ? found : links.collapse(found, query === '' ? found : index.list('', bookId, filter.kind === 'favorites', group));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version`, `groupsVersion` and `linksVersion` are how the stores say they changed
  }, [index, groups, links, version, groupsVersion, linksVersion, query, filter]);

  const startNew = guarded(() => {
    useUi.getState().select([]);
    useUi.getState().setMode('new');
  });
  const remove = (ids: readonly string[]) => {
    // A linked contact is cards in several books: which of them go is asked.
    const link = ids.length === 1 ? links.linkOf(ids[0]!) : null;
    if (link !== null) useUi.getState().openDialog({ kind: 'delete-linked', linkId: link.id });
    else if (ids.length > 1) useUi.getState().openDialog({ kind: 'delete-contacts', ids: [...new Set(ids.flatMap((id) => links.linkOf(id)?.members ?? [id]))] });
    else void deleteContacts(services, ids);
  };

  // Files wait in a queue and are shown one summary at a time, so none is dropped; a summary
  // also waits for any other dialog to close.
  const [queue, setQueue] = useState<File[]>([]);
  const reading = useRef(false);
  const importFiles = (files: File[]) => {
    // Chosen from the drawer (a narrow window's sidebar): it closes, or the summary would wait
    // behind it, unseen, until the user closed it.
    if (useUi.getState().dialog?.kind === 'drawer') useUi.getState().closeDialog();
    setQueue((q) => [...q, ...files]);
  };
  useEffect(() => {
    const next = queue[0];
    if (next === undefined || dialog !== null || reading.current) return;
    reading.current = true;
    const bookId = filter.kind === 'book' ? filter.id : (defaultBook ?? LOCAL_BOOK_ID);
    // A CSV in Google's or Outlook's format goes straight to the summary; any other CSV first
    // through the column mapping. Both are read in a worker.
    // A .vcf's dialog opens at once, saying the file is being read; Close there stops the reading.
    // (After a moment: a small file's summary comes first, without a flash of it.)
    const stop = isCsvFile(next) ? null : new AbortController();
    let done = false;
    if (stop !== null)
      setTimeout(() => {
        if (!done && !stop.signal.aborted) useUi.getState().openDialog({ kind: 'import-reading', fileName: next.name, cancel: () => stop.abort() });
      }, READING_SHOWN_AFTER_MS);
    const read = async (data: ArrayBuffer) => {
      if (stop !== null) {
        if (stop.signal.aborted) throw new DOMException('cancelled', 'AbortError');
        const preview = await previewImport(services, next.name, data, bookId, stop.signal);
        done = true;
        if (!stop.signal.aborted) {
          // The summary in the reading dialog's place.
          if (useUi.getState().dialog?.kind === 'import-reading') useUi.getState().closeDialog();
          return useUi.getState().openDialog({ kind: 'import', preview });
        }
        releaseImport(preview.parsed, services);
        throw new DOMException('cancelled', 'AbortError');
      }
      const csv = await previewCsvInWorker(data);
      // No rows of data (an empty file, a header alone): nothing to map, the summary says why.
      if (csv.format === 'custom' && csv.rowCount > 0) return useUi.getState().openDialog({ kind: 'csv-mapping', fileName: next.name, data, preview: csv, bookId });
      return useUi.getState().openDialog({ kind: 'import', preview: await previewCsvImport(services, next.name, data, csv, csv.mapping, bookId) });
    };
    void next
      .arrayBuffer()
      .then(read)
      .then(
        () => {},
        (e: Error) => {
          done = true;
          // Closed while it was read: nothing to say; else the failure is said, and its reading dialog closes.
          if (stop?.signal.aborted !== true) {
            if (useUi.getState().dialog?.kind === 'import-reading') useUi.getState().closeDialog();
            useUi.getState().showToast((tr) => tr('import.failed', { name: next.name, message: e.message }));
          }
          setQueue((q) => q.slice(1));
        },
      )
      .finally(() => {
        reading.current = false;
      });
  }, [queue, dialog, services, t, filter, defaultBook]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod || useUi.getState().dialog !== null) return;
      const key = e.key.toLowerCase();
      if (key === 'n') {
        e.preventDefault();
        startNew();
      } else if (key === 'f') {
        e.preventDefault();
        document.getElementById('search')?.focus();
      } else if (key === ',') {
        e.preventDefault();
        useUi.getState().openDialog({ kind: 'settings' });
      } else if (key === 'p' && usePrintJob.getState().job === null) {
        // Print contacts, not a picture of the window.
        e.preventDefault();
        useUi.getState().openDialog({ kind: 'print', scope: scope() });
      } else if (key === 'z' && !e.shiftKey && !e.altKey && !isTextField(e.target)) {
        // Outside a text field Ctrl+Z undoes the last action offered (a deletion), and only that:
        // the browser's own undo would type back text edited earlier (the old search query).
        e.preventDefault();
        const { toast, dismissToast } = useUi.getState();
        if (toast?.undo !== undefined) {
          dismissToast();
          void toast.undo();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  // Closing the window with an unsaved edit: the browser (or, in Electron, the shell) asks first.
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!hasUnsavedEdit()) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

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
        if (command === 'new-contact') startNew();
        else if (command === 'find') document.getElementById('search')?.focus();
        else if (command === 'settings') useUi.getState().openDialog({ kind: 'settings' });
        else if (command === 'save-and-close') void saveOpenEditor().then((saved) => saved && window.close());
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- startNew reads the store when called
    [],
  );

  const onDrop = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files].filter(isImportFile);
    if (files.length > 0) importFiles(files);
  };

  const onSearch = (value: string) =>
    leaveEditor(() => {
      if (useUi.getState().mode !== 'view') useUi.getState().setMode('view');
      if (filter.kind === 'birthdays' && value !== '') useUi.getState().setFilter({ kind: 'all' });
      setQuery(value);
    });

  const sidebar = (
    <Sidebar
      onExport={() => useUi.getState().openDialog({ kind: 'export', scope: scope() })}
      onPrint={() => useUi.getState().openDialog({ kind: 'print', scope: scope() })}
      exportCount={explicitSelection(selected).length}
      onNavigate={drawerMode ? () => useUi.getState().closeDialog() : undefined}
    />
  );
  const drawerButton = drawerMode ? (
    <button
      type="button"
      id="drawer-button"
      className="icon-button"
      aria-label={t(attention ? 'action.showSidebarAttention' : 'action.showSidebar')}
      title={t(attention ? 'action.showSidebarAttention' : 'action.showSidebar')}
      aria-expanded={drawerOpen}
      aria-controls="drawer"
      onClick={() => useUi.getState().openDialog({ kind: 'drawer' })}
    >
      <Menu aria-hidden="true" size={20} />
      {attention ? <span className="drawer-attention" aria-hidden="true" data-testid="drawer-attention" /> : null}
    </button>
  ) : null;
  const empty = index.size === 0 && index.expected === null && accounts.length === 0 && mode === 'view' && filter.kind === 'all' && query === '';
  const showDetail = !onePane || detailOpen || mode !== 'view';
  const count = query === '' && index.expected !== null ? index.expected : rows.length;

  return (
    <>
    {printJob !== null ? <PrintView job={printJob} /> : null}
    <div
      className={`layout${drawerMode ? ' drawer-mode' : ''}${onePane ? ' one-pane' : ''}${dragging ? ' dragging' : ''}${printJob !== null ? ' printing' : ''}`}
      inert={printJob !== null}
      onDragOver={(e) => {
        // Files from outside import; rows dragged onto a group are the sidebar's business.
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <div className="banners">
        <HostBanner />
        {drawerMode ? <QuestionBanner /> : null}
      </div>
      {drawerMode ? null : sidebar}
      <main className="content">
        {empty ? (
          <FirstLaunch onNew={startNew} toolbar={drawerButton} />
        ) : filter.kind === 'trash' || filter.kind === 'changes' ? (
          <>
            <h1 className="visually-hidden">{t('app.title')}</h1>
            {filter.kind === 'trash' ? <TrashView toolbar={drawerButton} /> : <RecentChanges toolbar={drawerButton} />}
          </>
        ) : (
          <>
            <h1 className="visually-hidden">{t('app.title')}</h1>
            {!onePane || !showDetail ? (
              <section className="list-pane" aria-label={t('list.label')} aria-busy={index.expected !== null}>
                <div className="list-toolbar">
                  {drawerButton}
                  <div className="search-box">
                    <Search aria-hidden="true" size={16} />
                    <input
                      id="search"
                      type="search"
                      placeholder={t('search.placeholder')}
                      aria-label={t('search.label')}
                      aria-keyshortcuts="Control+F"
                      aria-controls={rows.length > 0 && filter.kind !== 'birthdays' ? 'contact-list' : undefined}
                      dir="auto"
                      value={query}
                      onChange={(e) => onSearch(e.target.value)}
                      onKeyDown={(e) => {
                        if (e.key === 'ArrowDown' && rows.length > 0) {
                          e.preventDefault();
                          leaveEditor(() => {
                            useUi.getState().select([rows[0]!.id]);
                            document.getElementById('contact-list')?.focus();
                          });
                        } else if (e.key === 'Escape' && query !== '') {
                          e.preventDefault();
                          onSearch('');
                        }
                      }}
                    />
                  </div>
                  <button type="button" className="primary new-button" aria-keyshortcuts="Control+N" onClick={startNew} title={t('action.new')}>
                    <Plus aria-hidden="true" size={18} />
                    <span className="new-label">{t('action.new')}</span>
                  </button>
                </div>
                {filter.kind === 'birthdays' ? (
                  <>
                    <h2 className="list-count">{t('birthdays.heading')}</h2>
                    <BirthdaysView />
                  </>
                ) : (
                  <>
                    {selected.length > 1 ? <BulkBar ids={selected} onDelete={remove} /> : null}
                    <p className="list-count" aria-live="polite">
                      {t('list.count', { count })}
                    </p>
                    {rows.length === 0 ? (
                      <p className="list-empty">{query === '' ? t('list.empty') : t('list.noMatch', { query })}</p>
                    ) : (
                      <ContactList rows={rows} sections={sections} onOpen={(id) => leaveEditor(() => (useUi.getState().select([id]), useUi.getState().setMode('edit')))} onDelete={remove} />
                    )}
                  </>
                )}
              </section>
            ) : null}
            {showDetail ? (
              <section className="detail-pane" aria-label={t('detail.label')}>
                <ContactDetail onDelete={remove} onePane={onePane} targetBook={target} />
              </section>
            ) : null}
          </>
        )}
      </main>
      <DialogHost drawer={sidebar} onImportClosed={() => setQueue((q) => q.slice(1))} />
      <ImportPicker onFiles={importFiles} />
      {dragging ? <div className="drop-hint">{t('import.dropHint')}</div> : null}
      {printJob === null ? <ToastBar /> : null}
    </div>
    </>
  );
}
