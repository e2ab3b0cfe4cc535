/**
 * The books and accounts the window knows, with each account's latest sync status: read from the
 * store and the main process at start and after every sync, and shared by the sidebar, the
 * settings (default book), the import dialog (target book) and the editor (Google's limits).
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { AccountInfo, SyncStatus } from '../../../../shared/sync/types';
import type { ContactRepo } from '../../db/repo';
import { LOCAL_BOOK_ID, type BookRow } from '../../db/schema';

interface Directory {
  /** Every book, this computer's first. */
  books: readonly BookRow[];
  accounts: readonly AccountInfo[];
  statuses: ReadonlyMap<string, SyncStatus>;
}

export const useDirectory = create<Directory>()(() => ({ books: [], accounts: [], statuses: new Map() }));

/** Books synced with Google: its CardDAV keeps no groups (CATEGORIES), which the editor says. */
export function googleBookIds(accounts: readonly AccountInfo[]): ReadonlySet<string> {
  return new Set(accounts.filter((a) => a.kind !== 'carddav').flatMap((a) => a.books.map((b) => b.id)));
}

/** Keep the directory current while the window is open (called once, by the app). */
export function useDirectorySource(repo: ContactRepo): void {
  useEffect(() => {
    let alive = true;
    const refresh = () => {
      void repo.books().then((b) => alive && useDirectory.setState({ books: [...b].sort((x, y) => (x.id === LOCAL_BOOK_ID ? -1 : y.id === LOCAL_BOOK_ID ? 1 : x.createdAt - y.createdAt)) }));
      void window.cardinal
        .listAccounts()
        .then((accounts) => alive && useDirectory.setState({ accounts }))
        .catch(() => {});
    };
    refresh();
    void window.cardinal
      .syncStatuses()
      .then((all) => alive && useDirectory.setState({ statuses: new Map(all.map((s) => [s.accountId, s])) }))
      .catch(() => {});
    // The network came back: whatever waited goes now.
    const online = () => void window.cardinal.syncNow(null).catch(() => {});
    window.addEventListener('online', online);
    const off = window.cardinal.onSyncStatus((s) => {
      useDirectory.setState((d) => ({ statuses: new Map(d.statuses).set(s.accountId, s) }));
      if (s.phase !== 'syncing') refresh();
    });
    const refreshNow = () => refresh();
    window.addEventListener('cardinal:accounts-changed', refreshNow);
    return () => {
      alive = false;
      off();
      window.removeEventListener('online', online);
      window.removeEventListener('cardinal:accounts-changed', refreshNow);
    };
  }, [repo]);
}

/** An account was added, edited or removed here: read the directory again. */
export function accountsChanged(): void {
  window.dispatchEvent(new Event('cardinal:accounts-changed'));
}
