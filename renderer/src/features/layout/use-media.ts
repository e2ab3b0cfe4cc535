import { useSyncExternalStore } from 'react';

/** Whether a media query matches now, re-rendering when that changes (the layout's breakpoints). */
export function useMedia(query: string): boolean {
  return useSyncExternalStore(
    (changed) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    () => window.matchMedia(query).matches,
  );
}
