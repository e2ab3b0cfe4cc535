import { createContext, useContext } from 'react';
import type { ContactRepo } from './db/repo';
import type { DateFormatting } from './features/dates/format';
import type { Language, Translate } from './i18n';
import type { ContactIndex } from './store/contact-index';
import type { GroupStore } from './store/groups';
import type { LinkStore } from './store/links';

/** What every component may use: the store, the in-memory list, the translation function and how dates are written. */
export interface Services {
  repo: ContactRepo;
  index: ContactIndex;
  /** Each book's groups and the group actions (store/groups.ts). */
  groups: GroupStore;
  /** Cards of different books linked as one contact, on this computer (store/links.ts). */
  links: LinkStore;
  t: Translate;
  lang: Language;
  dates: DateFormatting;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (s === null) throw new Error('useServices outside the app');
  return s;
}
