/**
 * UI state only (zustand): what is selected, searched, shown, and which dialog is open. Contacts
 * never live here; they are in the store (Dexie) and its in-memory list (ContactIndex).
 */
import { create } from 'zustand';
import type { AccountInfo } from '../../../shared/sync/types';
import type { AccountPurpose } from '../features/accounts/AccountDialog';
import type { CsvPreview } from '../../../shared/csv';
import type { DuplicateCluster } from '../../../shared/duplicates/types';
import type { ExportFormat } from '../features/export/export-run';
import type { ExportScope } from '../features/export/scope';
import type { ImportPreview } from '../features/import/import';
import type { Translate } from '../i18n';

/**
 * What the list shows: everything, favourites, birthdays, one book, or one group of a book (by its
 * key, shared/groups); or, in the whole content area, the trash or a book's recent changes.
 */
export type ListFilter =
  | { kind: 'all' }
  | { kind: 'favorites' }
  | { kind: 'birthdays' }
  | { kind: 'book'; id: string }
  | { kind: 'group'; bookId: string; key: string }
  | { kind: 'trash' }
  | { kind: 'changes' };
export type DetailMode = 'view' | 'edit' | 'new';

/**
 * Every dialog the window can show. One at a time: a request while one is open waits (imports) or
 * is refused (shortcuts), so two modals never stack.
 */
export type DialogRequest =
  | { kind: 'settings' }
  | { kind: 'add-carddav' }
  | { kind: 'add-google' }
  | { kind: 'add-workspace' }
  /** `purpose`: editing (the default), or signing in again after the server refused the saved password or it was forgotten. */
  | { kind: 'edit-account'; account: AccountInfo; purpose?: AccountPurpose }
  | { kind: 'remove-account'; account: AccountInfo; pending: number }
  | { kind: 'delete-contacts'; ids: readonly string[] }
  | { kind: 'delete-linked'; linkId: string }
  /** Create (then add `addIds`), rename or delete a group: one dialog for the three. */
  | { kind: 'group'; mode: 'create' | 'rename' | 'delete'; bookId: string; key?: string; addIds?: readonly string[] }
  | { kind: 'conflict'; contactId: string }
  | { kind: 'import'; preview: ImportPreview }
  /** A .vcf being read for its summary (shown at once): Close stops the reading (`cancel`). */
  | { kind: 'import-reading'; fileName: string; cancel: () => void }
  | { kind: 'csv-mapping'; fileName: string; data: ArrayBuffer; preview: CsvPreview; bookId: string }
  | { kind: 'unsaved'; proceed: () => void }
  | { kind: 'export'; scope: ExportScope; format?: ExportFormat }
  | { kind: 'share'; contactId: string }
  | { kind: 'print'; scope: ExportScope }
  /** Look for duplicates in a book (null: every book), or review the groups an import found (`preset`). */
  | { kind: 'duplicates'; bookId: string | null; preset?: readonly DuplicateCluster[] }
  /** A contact's versions (features/history). */
  | { kind: 'history'; contactId: string }
  /** Questions before the trash deletes for good. */
  | { kind: 'trash-forever'; ids: readonly string[]; name: string }
  | { kind: 'trash-empty'; count: number }
  /** Before undoing a run some of whose contacts were changed again since (features/history). */
  | { kind: 'undo-run'; runId: string; what: string; count: number }
  | { kind: 'drawer' };

/** A message in words: written when shown, so it follows a change of language while it is up. */
export type ToastWords = string | ((t: Translate) => string);

export interface Toast {
  id: number;
  message: ToastWords;
  undo?: () => Promise<void>;
}

interface UiState {
  filter: ListFilter;
  query: string;
  selected: readonly string[];
  mode: DetailMode;
  /** In the one-pane layout (narrow windows): the detail pane is shown instead of the list. */
  detailOpen: boolean;
  dialog: DialogRequest | null;
  toast: Toast | null;
  /** A run's undo under way (Recent changes): how many of its entries are done of how many. */
  undoing: { runId: string; done: number; total: number } | null;
  setFilter(filter: ListFilter): void;
  setQuery(query: string): void;
  select(ids: readonly string[]): void;
  setMode(mode: DetailMode): void;
  setDetailOpen(open: boolean): void;
  /** Open a dialog unless one is open already; says whether it opened. */
  openDialog(dialog: DialogRequest): boolean;
  closeDialog(): void;
  showToast(message: ToastWords, undo?: () => Promise<void>): void;
  dismissToast(): void;
}

let toastId = 0;

export const useUi = create<UiState>()((set, get) => ({
  filter: { kind: 'all' },
  query: '',
  selected: [],
  mode: 'view',
  detailOpen: false,
  dialog: null,
  toast: null,
  undoing: null,
  setFilter: (filter) => set({ filter, selected: [], mode: 'view', detailOpen: false }),
  setQuery: (query) => set({ query }),
  select: (selected) => set({ selected, mode: 'view' }),
  setMode: (mode) => set(mode === 'view' ? { mode } : { mode, detailOpen: true }),
  setDetailOpen: (detailOpen) => set({ detailOpen }),
  openDialog: (dialog) => {
    // The drawer gives way to the dialog it opened (one modal at a time).
    if (get().dialog !== null && get().dialog?.kind !== 'drawer') return false;
    set({ dialog });
    return true;
  },
  closeDialog: () => set({ dialog: null }),
  showToast: (message, undo) => set({ toast: { id: ++toastId, message, undo } }),
  dismissToast: () => set({ toast: null }),
}));
