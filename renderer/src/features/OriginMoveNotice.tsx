import type { OriginMove } from '../../../shared/sync/types';
import { useServices } from '../services';

/**
 * Discovery leads to another server than the one typed (an SRV record, a redirect, a principal
 * elsewhere; RFC 6764 §8 asks for the user's word): where from, where to, and that the password
 * would go there. Nothing has been sent there yet. The dialog's own button continues; `onDecline`
 * goes on without that server.
 */
export function OriginMoveNotice({ move, onDecline, busy }: { move: OriginMove; onDecline: () => void; busy: boolean }) {
  const { t } = useServices();
  return (
    <div className="origin-move" role="alert">
      <p>{t('discovery.move', { from: move.from, to: move.to })}</p>
      <p className="warning">{t('discovery.movePassword', { to: move.to })}</p>
      <button type="button" onClick={onDecline} disabled={busy}>
        {t('discovery.moveDecline')}
      </button>
    </div>
  );
}
