/**
 * Said while the process that plays main does not answer (the browser harness's host stopped):
 * what still works (the contacts and edits here) and what waits (syncing). Gone again when the
 * host answers. An Electron window closes with its main process, so there it never shows.
 */
import { useServices } from '../../services';
import { useDirectory } from '../accounts/directory';

export function HostBanner() {
  const { t } = useServices();
  const hostUp = useDirectory((d) => d.hostUp);
  if (hostUp) return null;
  return (
    <p className="host-banner warning" role="alert" data-testid="host-gone">
      {t('host.gone')}
    </p>
  );
}
