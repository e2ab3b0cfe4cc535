/**
 * In a narrow window the sidebar, where an account asks its questions, is folded into the drawer.
 * A sync waiting for the user's answer (it would remove most of a book: Keep them or Remove them)
 * must not wait unseen behind the drawer button's dot: this banner says so across the window, and
 * Show opens the drawer at the question, its first button focused.
 */
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { accountHost } from '../accounts/AccountPanel';
import { useDirectory } from '../accounts/directory';

export function QuestionBanner() {
  const { t } = useServices();
  const accounts = useDirectory((d) => d.accounts);
  // The first account asking (a string, so the selector's answer is stable between renders).
  const asking = useDirectory((d) => [...d.statuses.values()].find((s) => s.action === 'confirm-deletions')?.accountId);
  const drawerOpen = useUi((s) => s.dialog?.kind === 'drawer');
  const account = accounts.find((a) => a.id === asking);
  if (account === undefined || drawerOpen) return null;
  const name = account.user === '' ? accountHost(account) : `${account.user} · ${accountHost(account)}`;
  const show = () => {
    useUi.getState().openDialog({ kind: 'drawer' });
    // Once the drawer is in: the question's buttons in view, the first one focused.
    requestAnimationFrame(() => {
      const button = document.querySelector<HTMLElement>(`#drawer [data-question="${CSS.escape(account.id)}"] button`);
      button?.scrollIntoView({ block: 'nearest' });
      button?.focus();
    });
  };
  return (
    <div className="question-banner warning" role="alert" data-testid="question-banner">
      <span>{t('sync.questionWaiting', { account: `\u2068${name}\u2069` })}</span>
      <button type="button" className="primary" onClick={show}>
        {t('sync.questionShow')}
      </button>
    </div>
  );
}
