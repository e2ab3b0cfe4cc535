/**
 * UI state only (zustand): what is selected, searched, shown. Contacts never live here; they are
 * in the store (Dexie) and its in-memory list (ContactIndex).
 */
import { create } from 'zustand';
import type { Language } from '../i18n';

export type ListFilter = { kind: 'all' } | { kind: 'favorites' } | { kind: 'book'; id: string };
export type DetailMode = 'view' | 'edit' | 'new';

export interface Toast {
  id: number;
  message: string;
  undo?: () => Promise<void>;
}

const LANGUAGE_KEY = 'cardinal.language';

function storedLanguage(): Language | null {
  try {
    const v = localStorage.getItem(LANGUAGE_KEY);
    return v === 'en' || v === 'zh-TW' || v === 'zh-CN' || v === 'fa' ? v : null;
  } catch {
    return null;
  }
}

interface UiState {
  language: Language | null;
  filter: ListFilter;
  query: string;
  selected: readonly string[];
  mode: DetailMode;
  toast: Toast | null;
  setLanguage(language: Language | null): void;
  setFilter(filter: ListFilter): void;
  setQuery(query: string): void;
  select(ids: readonly string[]): void;
  setMode(mode: DetailMode): void;
  showToast(message: string, undo?: () => Promise<void>): void;
  dismissToast(): void;
}

let toastId = 0;

export const useUi = create<UiState>()((set) => ({
  language: storedLanguage(),
  filter: { kind: 'all' },
  query: '',
  selected: [],
  mode: 'view',
  toast: null,
  setLanguage: (language) => {
    try {
      if (language === null) localStorage.removeItem(LANGUAGE_KEY);
      else localStorage.setItem(LANGUAGE_KEY, language);
    } catch {
      // storage unavailable: the choice lasts for this session
    }
    set({ language });
  },
  setFilter: (filter) => set({ filter, selected: [], mode: 'view' }),
  setQuery: (query) => set({ query }),
  select: (selected) => set({ selected, mode: 'view' }),
  setMode: (mode) => set({ mode }),
  showToast: (message, undo) => set({ toast: { id: ++toastId, message, undo } }),
  dismissToast: () => set({ toast: null }),
}));
