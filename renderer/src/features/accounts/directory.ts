/**
 * The books and accounts the window knows, with each account's latest sync status: read from the
 * store and the main process at start and after every sync, and shared by the sidebar, the
 * settings (default book), the import dialog (target book) and the editor (Google's limits).
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { LabelAccess } from '../../../../shared/groups/labels';
import type { AccountInfo, SyncStatus } from '../../../../shared/sync/types';
import type { ContactRepo } from '../../db/repo';
import { LOCAL_BOOK_ID, type BookRow } from '../../db/schema';

interface Directory {
  /** Every book, this computer's first. */
  books: readonly BookRow[];
  accounts: readonly AccountInfo[];
  statuses: ReadonlyMap<string, SyncStatus>;
  /** Whether the process that plays main answers: false while the browser harness's host is gone (the window's banner). */
  hostUp: boolean;
  /** The host answers but was started again (a new key): this page never gets in; open the new address. */
  hostStale: boolean;
}

export const useDirectory = create<Directory>()(() => ({ books: [], accounts: [], statuses: new Map(), hostUp: true, hostStale: false }));

/**
 * What the editor's Groups field says of a book's groups, where it is not a plain CardDAV book:
 * Google's CardDAV keeps no CATEGORIES but its labels sync (unless the People API refused this
 * sign-in: then they stay here); Workspace shared contacts have no groups, so they stay here.
 */
export type GroupsHint = 'google' | 'google-refused' | 'workspace' | null;

export function groupsHint(accounts: readonly AccountInfo[], bookId: string, labelAccess: (bookId: string) => LabelAccess): GroupsHint {
  const kind = accounts.find((a) => a.books.some((b) => b.id === bookId))?.kind;
  if (kind === 'gdata') return 'workspace';
  if (kind === 'google') return labelAccess(bookId) === 'ok' ? 'google' : 'google-refused';
  return null;
}

/** A status the user should see: a failed run, a question before removing contacts, or cards refused, listed outside the book, unreadable or not sent. */
export function needsAttention(s: SyncStatus): boolean {
  if (s.phase === 'error' || s.phase === 'confirm') return true;
  return s.phase === 'idle' && (s.refused !== undefined || s.outside !== undefined || s.unreadable !== undefined || s.unanswered !== undefined);
}

/** Plain data (a few books and accounts) that says the same. */
const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Keep the directory current while the window is open (called once, by the app). */
export function useDirectorySource(repo: ContactRepo): void {
  useEffect(() => {
    let alive = true;
    // Read again after every sync: the same books and accounts keep their arrays, so a sync with
    // nothing to do renders nothing that shows them.
    const refresh = () => {
      void repo.books().then((b) => {
        const books = [...b].sort((x, y) => (x.id === LOCAL_BOOK_ID ? -1 : y.id === LOCAL_BOOK_ID ? 1 : x.createdAt - y.createdAt));
        if (alive && !sameJson(books, useDirectory.getState().books)) useDirectory.setState({ books });
      });
      void window.cardinal
        .listAccounts()
        .then((accounts) => alive && !sameJson(accounts, useDirectory.getState().accounts) && useDirectory.setState({ accounts }))
        .catch(() => {});
    };
    const readStatuses = () =>
      void window.cardinal
        .syncStatuses()
        .then((all) => alive && useDirectory.setState({ statuses: new Map(all.map((s) => [s.accountId, s])) }))
        .catch(() => {});
    refresh();
    readStatuses();
    // The network came back: whatever waited goes now.
    const online = () => void window.cardinal.syncNow(null).catch(() => {});
    window.addEventListener('online', online);
    // The host (harness) went away: the banner says so. Back: what it sent meanwhile was lost, so
    // read accounts and statuses again, and sync what was changed here while it was gone.
    const offHost = window.cardinal.onHostConnection((up, stale) => {
      useDirectory.setState({ hostUp: up, hostStale: !up && stale === true });
      if (!up) return;
      refresh();
      readStatuses();
      online();
    });
    const off = window.cardinal.onSyncStatus((s) => {
      useDirectory.setState((d) => ({ statuses: new Map(d.statuses).set(s.accountId, s) }));
      if (s.phase !== 'syncing') refresh();
    });
    const refreshNow = () => refresh();
    window.addEventListener('cardinal:accounts-changed', refreshNow);
    return () => {
      alive = false;
      off();
      offHost();
      window.removeEventListener('online', online);
      window.removeEventListener('cardinal:accounts-changed', refreshNow);
    };
  }, [repo]);
}

/** An account was added, edited or removed here: read the directory again. */
export function accountsChanged(): void {
  window.dispatchEvent(new Event('cardinal:accounts-changed'));
}
