import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Pencil, RefreshCw, Trash2 } from 'lucide-react';
import type { AccountInfo, SyncStatus } from '../../../../shared/sync/types';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { errorInWords, statusInWords, unreadableInWords } from './error-words';

/** The host an account is shown by. */
export function accountHost(account: AccountInfo): string {
  if (account.kind === 'google') return 'Google';
  if (account.kind === 'gdata') return account.domain ?? 'Google Workspace';
  try {
    return new URL(account.serverUrl).host;
  } catch {
    return account.serverUrl;
  }
}

/** The sync icon starts turning this long after a run began: a run with nothing to do is over by then. */
const TURN_AFTER_MS = 700;
/** Then it turns an eighth every this long. */
const TURN_STEP_MS = 150;

/**
 * While `on`, the icon turns a step at a time, from a moment after the run began, never for a
 * short run: an animation of every frame is the window drawn again 60 times a second for as long
 * as the run lasts (most of what a sync with nothing to do cost the window), a step a redraw.
 * Still for a user who asks for less motion.
 */
function useTurning(on: boolean) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    const icon = ref.current;
    if (!on || icon === null || window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true) return;
    let turn = 0;
    let stepping: ReturnType<typeof setInterval> | undefined;
    const start = setTimeout(() => {
      stepping = setInterval(() => {
        turn = (turn + 1) % 8;
        icon.style.rotate = `${turn * 45}deg`;
      }, TURN_STEP_MS);
    }, TURN_AFTER_MS);
    return () => {
      clearTimeout(start);
      clearInterval(stepping);
      icon.style.rotate = '';
    };
  }, [on]);
  return ref;
}

/** One account: its status (progress, last sync, what waits to upload, what went wrong) and actions. */
export function AccountPanel({ account, status }: { account: AccountInfo; status: SyncStatus | null }) {
  const { t, lang, index, groups } = useServices();
  const openDialog = useUi((s) => s.openDialog);
  const version = useSyncExternalStore(index.subscribe, index.getVersion);
  const pending = useMemo(
    () => index.pendingIn(new Set(account.books.map((b) => b.id))),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` is how the index says it changed
    [index, account, version],
  );
  // Google's labels: whether the People API took this sign-in at the last labels sync.
  useSyncExternalStore(groups.subscribe, groups.getVersion);
  const labelRefusal = account.kind === 'google' ? account.books.map((b) => groups.labelAccess(b.id)).find((a) => a !== 'ok') : undefined;
  const host = accountHost(account);
  const kind = account.kind === 'gdata' ? t('account.kindWorkspace', { domain: host }) : account.kind === 'google' ? 'Google' : host;
  const reason = (s: SyncStatus) => statusInWords(account.kind, s, t, host);
  const when = (ms: number) => new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' }).format(ms);
  const p = status?.progress;
  const text =
    status === null
      ? t('sync.never')
      : status.phase === 'syncing'
        ? p !== undefined && p.total > 0
          ? t(`sync.step.${p.step}`, { done: p.done, total: p.total })
          : t('sync.syncing')
        : status.phase === 'offline'
          ? status.message === ''
            ? t('sync.noNetwork')
            : t('sync.offline', { message: reason(status) })
          : status.phase === 'error'
            ? t('sync.error', { message: reason(status) })
            : status.phase === 'confirm' && status.deletions !== undefined
              ? t('sync.confirmDeletions', { count: status.deletions.count, total: status.deletions.total })
              : status.lastSync === null
                ? t('sync.never')
                : t('sync.last', { time: when(status.lastSync) });
  const trouble = status?.phase === 'error' || status?.phase === 'confirm';
  // A stopped Google or Workspace account is mended by signing in again (the classifier offers "sign-in"; never a password).
  const googleSignInAsked = status?.action === 'sign-in' || (status?.action === 'edit-account' && account.kind !== 'carddav');
  const googleSignIn = () => void window.cardinal.signInGoogle(account.id).catch((e: unknown) => useUi.getState().showToast(errorInWords(e, t, 'Google')));
  // A request that fails before any sync began (the harness's host gone, a bad id) says why.
  const ask = (request: Promise<unknown>) => void request.catch((e: unknown) => useUi.getState().showToast(errorInWords(e, t)));
  const turning = useTurning(status?.phase === 'syncing');
  return (
    <section className={`account${trouble ? ' trouble' : ''}`} aria-label={account.user === '' ? kind : `${account.user} · ${kind}`} data-testid="account">
      <h3 className="account-name">
        <bdi className="account-user">{account.user === '' ? kind : account.user}</bdi>
        {account.user === '' ? null : (
          <bdi className="account-host muted" dir="auto">
            {kind}
          </bdi>
        )}
        {account.allowInsecure ? (
          <span className="insecure-badge" title={t('account.insecureWarning')}>
            {t('account.insecureBadge')}
          </span>
        ) : null}
      </h3>
      <p className="sync-status" role="status" data-testid="sync-status">
        {text}
      </p>
      {status?.phase === 'idle' && status.restored !== undefined ? (
        <p className="sync-detail" role="alert">
          {t('sync.restored', { count: status.restored })}
        </p>
      ) : null}
      {status?.phase === 'idle' && status.refused !== undefined ? (
        <p className="sync-detail" role="alert">
          {t('sync.refusedCount', { count: status.refused })}
        </p>
      ) : null}
      {status?.phase === 'idle' && status.outside !== undefined ? (
        <p className="sync-detail" role="alert" data-testid="sync-outside">
          {t('sync.outsideCount', { count: status.outside })}
        </p>
      ) : null}
      {status?.phase === 'idle' && status.unreadable !== undefined
        ? unreadableInWords(status, t, lang).map((line, i) => (
            <p key={i} className="sync-detail" role="alert" data-testid={i === 0 && status.waitingUnreadable !== undefined ? 'sync-unreadable-edit' : 'sync-unreadable'}>
              {line}
            </p>
          ))
        : null}
      {status?.phase === 'idle' && status.unanswered !== undefined ? (
        <p className="sync-detail" role="alert" data-testid="sync-unanswered">
          {t('sync.unansweredCount', { count: status.unanswered })}
        </p>
      ) : null}
      {status?.retryIn !== undefined && status.phase !== 'syncing' ? <RetryLine key={statusId(status)} retryIn={status.retryIn} /> : null}
      {pending.toSend > 0 ? (
        <p className="sync-detail" data-testid="sync-pending">
          {t('sync.pending', { count: pending.toSend })}
        </p>
      ) : null}
      {pending.conflicts > 0 ? (
        <p className="sync-detail" role="alert" data-testid="sync-conflicts">
          {t('sync.conflictsWaiting', { count: pending.conflicts })}
        </p>
      ) : null}
      {labelRefusal !== undefined ? (
        <p className="sync-detail" role="alert" data-testid="labels-refused" id={`labels-refused-${account.id}`}>
          {t(labelRefusal === 'scope-missing' ? 'labels.scopeMissing' : 'labels.apiDisabled')}
        </p>
      ) : null}
      <div className="account-actions" data-question={status?.action === 'confirm-deletions' ? account.id : undefined}>
        {status?.action === 'confirm-deletions' ? (
          <>
            <button type="button" className="primary" onClick={() => ask(window.cardinal.keepRemoved(account.id))}>
              {t('sync.keepThem')}
            </button>
            <button type="button" className="danger" onClick={() => ask(window.cardinal.confirmDeletions(account.id))}>
              {t('sync.deleteThem')}
            </button>
          </>
        ) : null}
        {googleSignInAsked ? (
          // A Google or Workspace account signs in again in the browser, never with a password here.
          <button type="button" className="primary" onClick={googleSignIn}>
            {t('account.signInAgain')}
          </button>
        ) : null}
        {labelRefusal === 'scope-missing' && !googleSignInAsked ? (
          <button type="button" className="primary" aria-describedby={`labels-refused-${account.id}`} onClick={googleSignIn}>
            {t('account.signInAgain')}
          </button>
        ) : null}
        {status?.action === 'edit-account' && account.kind === 'carddav' ? (
          // The server refused the saved password (or it is gone): the dialog asks for it, and says why.
          <button type="button" className="primary" onClick={() => openDialog({ kind: 'edit-account', account, purpose: status.cause === 'secret-forgotten' ? 'sign-in-forgotten' : 'sign-in-refused' })}>
            {t('account.signInAgain')}
          </button>
        ) : null}
        <button type="button" className="icon-button" aria-label={t('sync.nowFor', { account: kind })} title={t('sync.now')} disabled={status?.phase === 'syncing'} onClick={() => ask(window.cardinal.syncNow(account.id))}>
          <RefreshCw ref={turning} aria-hidden="true" size={16} />
        </button>
        <button type="button" className="icon-button" aria-label={t('account.editFor', { account: kind })} title={t('account.edit')} onClick={() => openDialog({ kind: 'edit-account', account })}>
          <Pencil aria-hidden="true" size={16} />
        </button>
        <button type="button" className="icon-button" aria-label={t('account.removeFor', { account: kind })} title={t('account.remove')} onClick={() => openDialog({ kind: 'remove-account', account, pending: pending.all })}>
          <Trash2 aria-hidden="true" size={16} />
        </button>
      </div>
    </section>
  );
}

/** "Trying again in n s", counting down from when its status arrived (a new status is a new line). */
function RetryLine({ retryIn }: { retryIn: number }) {
  const { t } = useServices();
  const [left, setLeft] = useState(retryIn);
  useEffect(() => {
    const tick = setInterval(() => setLeft((n) => Math.max(0, n - 1)), 1000);
    return () => clearInterval(tick);
  }, []);
  return <p className="sync-detail">{t('sync.retryIn', { seconds: left })}</p>;
}

const statusIds = new WeakMap<SyncStatus, number>();
/** One number per status the window was sent, so its countdown starts again with each. */
function statusId(s: SyncStatus): number {
  let id = statusIds.get(s);
  if (id === undefined) statusIds.set(s, (id = ++lastStatusId));
  return id;
}
let lastStatusId = 0;
