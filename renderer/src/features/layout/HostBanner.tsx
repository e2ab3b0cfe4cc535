/**
 * Said while the process that plays main does not answer (the browser harness's host stopped):
 * what still works (the contacts and edits here) and what waits (syncing). Gone again when the
 * host answers. A host started again (with a new key) answers, but never this page: then the
 * banner says to open the address it printed. An Electron window closes with its main process, so
 * there it never shows.
 */
import { useServices } from '../../services';
import { useDirectory } from '../accounts/directory';

export function HostBanner() {
  const { t } = useServices();
  const hostUp = useDirectory((d) => d.hostUp);
  const stale = useDirectory((d) => d.hostStale);
  if (hostUp) return null;
  return (
    <p className="host-banner warning" role="alert" data-testid="host-gone">
      {t(stale ? 'host.stale' : 'host.gone')}
    </p>
  );
}
