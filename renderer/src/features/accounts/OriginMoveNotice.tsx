import type { OriginMove } from '../../../../shared/sync/types';
import { useServices } from '../../services';

/**
 * Discovery leads to another server than the one typed (an SRV record, a redirect, a principal
 * elsewhere; RFC 6764 §8 asks for the user's word): where from, where to, and that the password
 * would go there. Nothing has been sent there yet. The dialog's own (primary) button goes on
 * without that server; `ContinueMoveButton`, beside it, goes there.
 */
export function OriginMoveNotice({ move }: { move: OriginMove }) {
  const { t } = useServices();
  // Each address isolated (U+2068 … U+2069), so it reads left to right inside a Persian sentence.
  const from = `\u2068${move.from}\u2069`;
  const to = `\u2068${move.to}\u2069`;
  return (
    <div className="origin-move" role="alert">
      <p>{t('discovery.move', { from, to })}</p>
      <p className="warning">{t('discovery.movePassword', { to })}</p>
    </div>
  );
}

/** Going on to the other server, with the password: a secondary button, marked as dangerous. */
export function ContinueMoveButton({ onContinue, busy }: { onContinue: () => void; busy: boolean }) {
  const { t } = useServices();
  return (
    <button type="button" className="danger" onClick={onContinue} disabled={busy}>
      {t('discovery.moveContinue')}
    </button>
  );
}
