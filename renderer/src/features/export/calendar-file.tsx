/**
 * The birthdays calendar kept in an .ics file on disk (Electron): the setting (choose the file,
 * stop), and the keeper that writes the calendar there, in the export worker, a few seconds after
 * the contacts last changed. In the harness the setting says it is not available.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { CalendarFileState } from '../../../../shared/ipc/contract';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { runExportInWorker } from './ExportDialog';
import { scopeCards, scopeIds } from './scope';
import { asShown } from './as-shown';
import { appRegion } from '../duplicates/finder';

const listeners = new Set<() => void>();
let state: CalendarFileState | null = null;
const setState = (next: CalendarFileState) => {
  state = next;
  for (const l of listeners) l();
};
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

function useCalendarFileState(): CalendarFileState | null {
  useEffect(() => {
    if (state === null) void window.cardinal.calendarFile({ action: 'state' }).then(setState, () => setState({ path: null, available: false }));
  }, []);
  return useSyncExternalStore(subscribe, () => state);
}

export function CalendarFileSetting() {
  const { t } = useServices();
  const current = useCalendarFileState();
  const [error, setError] = useState<string | null>(null);
  const act = (request: Parameters<typeof window.cardinal.calendarFile>[0]) =>
    window.cardinal.calendarFile(request).then(setState, (e: Error) => setError(t('calendarFile.failed', { message: e.message })));
  return (
    <fieldset className="choice" data-testid="calendar-file">
      <legend>{t('calendarFile.heading')}</legend>
      {current === null ? null : !current.available ? (
        <p className="muted">{t('calendarFile.unavailable')}</p>
      ) : current.path === null ? (
        <>
          <p className="muted">{t('calendarFile.explain')}</p>
          <button type="button" onClick={() => void act({ action: 'choose', defaultName: `${t('calendar.fileName')}.ics` })}>
            {t('calendarFile.choose')}
          </button>
        </>
      ) : (
        <>
          <p>
            {t('calendarFile.keeping')} <bdi dir="ltr">{current.path}</bdi>
          </p>
          <button type="button" onClick={() => void act({ action: 'stop' })}>
            {t('calendarFile.stop')}
          </button>
        </>
      )}
      {error === null ? null : (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

const QUIET_MS = 5000;

/** Write the calendar file whenever the contacts have been quiet for a moment (and once at start). */
export function useCalendarKeeper(): void {
  const s = useServices();
  const current = useCalendarFileState();
  const version = useSyncExternalStore(s.index.subscribe, s.index.getVersion);
  const path = current?.path ?? null;
  useEffect(() => {
    if (path === null) return;
    const timer = setTimeout(() => {
      void (async () => {
        const cards = asShown(await scopeCards(s, scopeIds(s.index, s.groups, { kind: 'all' })), s.links.linkOf, await appRegion());
        const result = await runExportInWorker({ format: 'ics', cards, baseName: '', layout: 'one-file', photos: false, outlookLanguage: 'en', lang: s.lang });
        await window.cardinal.calendarFile({ action: 'write', text: new TextDecoder().decode(result.files[0]!.bytes) });
      })().catch((e: Error) => useUi.getState().showToast((tr) => tr('calendarFile.failed', { message: e.message })));
    }, QUIET_MS);
    return () => clearTimeout(timer);
  }, [s, path, version]);
}
