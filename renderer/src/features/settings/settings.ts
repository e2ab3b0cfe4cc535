/**
 * The user's settings: language, theme, how names are shown and sorted, where new contacts go,
 * how dates are written. Kept in localStorage (one JSON value), not in the contacts store: they
 * belong to this window's profile, are read synchronously before the first paint, and survive a
 * reload. Values read back are checked, so a damaged entry falls back to the defaults.
 */
import { create } from 'zustand';
import { LANGUAGES, type Language } from '../../i18n';

export type Theme = 'system' | 'light' | 'dark';
/** How a name is shown: "Ada Lovelace" or "Lovelace, Ada". CJK names always keep their own order. */
export type NameOrder = 'first-last' | 'last-first';
/** What the list sorts by (and takes its section letters from). */
export type SortBy = 'first' | 'last';
/** `region`: the OS region's own style (en-GB: 14 March 1990); `iso`: 1990-03-14. */
export type DateStyle = 'region' | 'iso';

export interface Settings {
  /** null: follow the OS. */
  readonly language: Language | null;
  readonly theme: Theme;
  readonly nameOrder: NameOrder;
  readonly sortBy: SortBy;
  /** The book new contacts go to when no book is in view; null: this computer's book. */
  readonly defaultBook: string | null;
  readonly dateStyle: DateStyle;
}

export const DEFAULT_SETTINGS: Settings = { language: null, theme: 'system', nameOrder: 'first-last', sortBy: 'first', defaultBook: null, dateStyle: 'region' };

const KEY = 'cardinal.settings';
/** Where 0.1 kept the language alone. */
const OLD_LANGUAGE_KEY = 'cardinal.language';

const oneOf = <T extends string>(values: readonly T[], v: unknown, fallback: T): T => (values.includes(v as T) ? (v as T) : fallback);

/** Settings from what was stored, every value checked; anything unknown is the default. */
export function parseSettings(raw: string | null, oldLanguage: string | null = null): Settings {
  let v: Record<string, unknown> = {};
  try {
    const parsed: unknown = raw === null ? {} : JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null) v = parsed as Record<string, unknown>;
  } catch {
    // a damaged value: the defaults
  }
  const language = v.language === undefined ? oldLanguage : v.language;
  return {
    language: LANGUAGES.includes(language as Language) ? (language as Language) : null,
    theme: oneOf<Theme>(['system', 'light', 'dark'], v.theme, DEFAULT_SETTINGS.theme),
    nameOrder: oneOf<NameOrder>(['first-last', 'last-first'], v.nameOrder, DEFAULT_SETTINGS.nameOrder),
    sortBy: oneOf<SortBy>(['first', 'last'], v.sortBy, DEFAULT_SETTINGS.sortBy),
    defaultBook: typeof v.defaultBook === 'string' && v.defaultBook !== '' ? v.defaultBook : null,
    dateStyle: oneOf<DateStyle>(['region', 'iso'], v.dateStyle, DEFAULT_SETTINGS.dateStyle),
  };
}

function load(): Settings {
  try {
    return parseSettings(localStorage.getItem(KEY), localStorage.getItem(OLD_LANGUAGE_KEY));
  } catch {
    return DEFAULT_SETTINGS;
  }
}

interface SettingsState extends Settings {
  change(patch: Partial<Settings>): void;
}

export const useSettings = create<SettingsState>()((set, get) => ({
  ...load(),
  change: (patch) => {
    set(patch);
    const { change: _change, ...settings } = get();
    try {
      localStorage.setItem(KEY, JSON.stringify(settings));
      localStorage.removeItem(OLD_LANGUAGE_KEY);
    } catch {
      // storage unavailable: the choice lasts for this session
    }
  },
}));
