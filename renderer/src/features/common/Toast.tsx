import { useEffect } from 'react';
import { X } from 'lucide-react';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';

/** The last action's message, with Undo where it can be undone. */
export function ToastBar() {
  const { t } = useServices();
  const toast = useUi((s) => s.toast);
  const dismiss = useUi((s) => s.dismissToast);
  useEffect(() => {
    if (toast === null) return;
    const timer = setTimeout(dismiss, toast.undo ? 10_000 : 4_000);
    return () => clearTimeout(timer);
  }, [toast, dismiss]);
  if (toast === null) return null;
  return (
    <div className="toast" role="status">
      <span>{typeof toast.message === 'function' ? toast.message(t) : toast.message}</span>
      {toast.undo ? (
        <button
          type="button"
          onClick={() => {
            const undo = toast.undo!;
            dismiss();
            void undo();
          }}
        >
          {t('action.undo')}
        </button>
      ) : null}
      <button type="button" className="icon-button" aria-label={t('action.close')} onClick={dismiss}>
        <X aria-hidden="true" size={16} />
      </button>
    </div>
  );
}
