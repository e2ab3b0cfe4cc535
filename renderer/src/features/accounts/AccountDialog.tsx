import { useId, useRef, useState, type ReactNode } from 'react';
import type { AccountInfo, Discovery, ServerBook } from '../../../../shared/sync/types';
import type { MessageKey } from '../../i18n';
import { useServices } from '../../services';
import { FormActions } from '../common/FormActions';
import { Modal, useFocusOnStep } from '../common/Modal';
import { errorInWords } from './error-words';
import { KeyringNotice } from './KeyringNotice';
import { ContinueMoveButton, OriginMoveNotice } from './OriginMoveNotice';

/**
 * The steps of adding an account. Each is a screen of the same dialog; a new step (a question
 * before the password goes to another origin, say) is one more member here and one more case
 * below.
 */
type Step = 'server' | 'move' | 'books';

/** What the address field accepts: a URL, an e-mail address or a bare domain. */
export function looksLikeServer(input: string): boolean {
  const v = input.trim();
  if (/^https?:\/\/[^\s/]+/i.test(v)) return true;
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return true;
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?(\/\S*)?$/i.test(v);
}

/**
 * Why an existing account's dialog is open: to edit an account that works, or to sign in again
 * because the server refused the saved password (401/403) or the password is gone (kept only until
 * Cardinal quit, with no keyring). Only a Google account's sign-in never comes here: it goes to
 * the browser (AccountPanel).
 */
export type AccountPurpose = 'edit' | 'sign-in-refused' | 'sign-in-forgotten';

/** What the password field asks: a new one that may stay empty (editing a working account), or the password, required. */
export function passwordAsk(purpose: AccountPurpose | 'add'): { label: MessageKey; required: boolean; notice: MessageKey | null } {
  switch (purpose) {
    case 'add':
      return { label: 'account.password', required: false, notice: null };
    case 'edit':
      return { label: 'account.newPassword', required: false, notice: null };
    case 'sign-in-refused':
      return { label: 'account.password', required: true, notice: 'account.passwordRefused' };
    case 'sign-in-forgotten':
      return { label: 'account.password', required: true, notice: 'error.secretForgotten' };
  }
}

/**
 * Add a CardDAV account (server address or e-mail address, user, password, the http choice; then
 * the address books to sync), or edit one (the same settings, a new password if wanted, the sync
 * interval, and which books; dropping a book asks first, since its local copies go). Signing in
 * again (`purpose`) is the same dialog asking for the password, required, and saying why.
 */
export function AccountDialog({ account, purpose = 'edit', onClose, onSaved }: { account?: AccountInfo; purpose?: AccountPurpose; onClose: () => void; onSaved: () => void }) {
  const { t, lang } = useServices();
  const editing = account !== undefined;
  const ask = passwordAsk(editing ? purpose : 'add');
  const signingIn = editing && purpose !== 'edit';
  const [url, setUrl] = useState(account?.serverUrl ?? '');
  const [user, setUser] = useState(account?.user ?? '');
  const [password, setPassword] = useState('');
  const [insecure, setInsecure] = useState(account?.allowInsecure ?? false);
  const [interval, setIntervalMinutes] = useState(account?.intervalMinutes ?? 15);
  const [discovery, setDiscovery] = useState<Discovery | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set(account?.books.map((b) => b.url) ?? []));
  const [confirmDrop, setConfirmDrop] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [urlError, setUrlError] = useState<string | null>(null);
  const id = useId();
  const step: Step = editing || discovery === null ? 'server' : discovery.move !== undefined ? 'move' : 'books';
  const body = useRef<HTMLDivElement>(null);
  useFocusOnStep(body, step);

  const hostOfInput = () => {
    try {
      return new URL(bareAddress(url.trim())).host;
    } catch {
      return url.trim().split('@').pop() ?? '';
    }
  };
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorInWords(e, t, hostOfInput()));
    } finally {
      setBusy(false);
    }
  };
  const bareAddress = (u: string) => (/^https?:\/\//i.test(u) || u.includes('@') ? u : `https://${u}`);

  const found = (d: Discovery) => {
    setDiscovery(d);
    setChosen(new Set(d.books.map((b) => b.url)));
  };
  // Closing forgets a discovery in main at once (it holds the password).
  const close = () => {
    if (discovery !== null) void window.cardinal.forgetDiscovery(discovery.discoveryId).catch(() => {});
    onClose();
  };

  const books: readonly ServerBook[] = discovery?.books ?? account?.available ?? [];
  const dropped = account?.books.filter((b) => !chosen.has(b.url)) ?? [];

  const submit = () => {
    if (!editing && discovery === null && !looksLikeServer(url)) {
      setUrlError(t('account.urlInvalid'));
      document.getElementById(`${id}-url`)?.focus();
      return;
    }
    setUrlError(null);
    void run(async () => {
      if (editing) {
        if (dropped.length > 0 && !confirmDrop) {
          setConfirmDrop(true);
          return;
        }
        // Google and Workspace accounts sign in through Google: only the interval and books are settings here.
        await window.cardinal.updateAccount(
          account.id,
          account.kind !== 'carddav'
            ? { intervalMinutes: interval, bookUrls: [...chosen] }
            : { user, allowInsecure: insecure, intervalMinutes: interval, bookUrls: [...chosen], ...(password !== '' ? { password } : {}) },
        );
        if (ask.required && account.kind === 'carddav') {
          // Signing in again: tried at once, and a password the server refuses too keeps the
          // dialog open saying so, rather than closing as if it had worked.
          const [status] = await window.cardinal.syncNow(account.id);
          if (status?.code === 'unauthorized') {
            setPassword('');
            setError(t('account.passwordStillRefused', { host: `\u2068${hostOfInput()}\u2069` }));
            document.getElementById(`${id}-password`)?.focus();
            return;
          }
        }
        onSaved();
        onClose();
      } else if (discovery === null) {
        found(await window.cardinal.discoverCardDav({ url: bareAddress(url.trim()), user, password, allowInsecure: insecure }));
      } else if (discovery.move !== undefined) {
        // Enter (the dialog's primary button) is the safe answer: not there.
        found(await window.cardinal.continueDiscovery(discovery.discoveryId, false));
      } else {
        await window.cardinal.addCardDavAccount(discovery.discoveryId, [...chosen]);
        onSaved();
        onClose();
      }
    });
  };

  const field = (key: string, label: string, input: ReactNode, hint?: ReactNode) => (
    <div className="form-field" key={key}>
      <label htmlFor={`${id}-${key}`}>{label}</label>
      {input}
      {hint}
    </div>
  );
  const showSettings = editing ? account.kind === 'carddav' : discovery === null;
  const submitLabel = busy
    ? editing
      ? t('action.saving')
      : t('account.connecting')
    : editing
      ? confirmDrop
        ? t('account.dropConfirm')
        : signingIn
          ? t('account.signInAgain')
          : t('action.save')
      : step === 'server'
        ? t('account.connect')
        : t('account.addBooks');
  return (
    <Modal
      title={signingIn ? t('account.signInTitle', { host: `\u2068${hostOfInput()}\u2069` }) : editing ? t('account.editTitle') : t('account.title')}
      error={error}
      onSubmit={submit}
      onClose={close}
      actions={
        discovery?.move !== undefined ? (
          // Before the password goes to another server: not going there is the primary button (and
          // Enter, and where the focus starts); going there is a secondary one, marked dangerous.
          <FormActions submit={busy ? t('account.connecting') : t('discovery.moveDecline')} busy={busy} onCancel={close} autofocus>
            <ContinueMoveButton busy={busy} onContinue={() => void run(async () => found(await window.cardinal.continueDiscovery(discovery.discoveryId, true)))} />
          </FormActions>
        ) : (
          <FormActions submit={submitLabel} busy={busy} disabled={url.trim() === '' || ((editing || step === 'books') && chosen.size === 0) || (ask.required && password === '')} onCancel={close} />
        )
      }
    >
      <div ref={body} className="form-stack">
        {step === 'books' && !editing ? <p>{t('account.booksFound', { count: books.length, host: hostOfInput() })}</p> : null}
        {ask.notice !== null && showSettings ? (
          <p className="warning" id={`${id}-why`} data-testid="sign-in-reason">
            {t(ask.notice, { host: `\u2068${hostOfInput()}\u2069`, user: `\u2068${account?.user ?? ''}\u2069` })}
          </p>
        ) : null}
        {discovery?.move !== undefined ? <OriginMoveNotice move={discovery.move} /> : null}
        {showSettings ? (
          <>
            {field(
              'url',
              t('account.url'),
              <input
                id={`${id}-url`}
                value={url}
                readOnly={editing}
                dir="ltr"
                onChange={(e) => setUrl(e.target.value)}
                autoComplete="url"
                spellCheck={false}
                placeholder={t('account.urlHint')}
                aria-invalid={urlError === null ? undefined : true}
                aria-describedby={urlError !== null ? `${id}-url-error` : editing ? `${id}-url-fixed` : undefined}
              />,
              urlError !== null ? (
                <small className="field-error" id={`${id}-url-error`}>
                  {urlError}
                </small>
              ) : editing ? (
                <small className="field-hint" id={`${id}-url-fixed`}>
                  {t('account.urlFixed')}
                </small>
              ) : null,
            )}
            {field('user', t('account.user'), <input id={`${id}-user`} value={user} dir="auto" onChange={(e) => setUser(e.target.value)} autoComplete="username" spellCheck={false} />)}
            {field(
              'password',
              t(ask.label),
              <input
                id={`${id}-password`}
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                // Signing in again is giving the password the server knows, not choosing a new one.
                autoComplete={editing && !signingIn ? 'new-password' : 'current-password'}
                required={ask.required}
                aria-describedby={ask.notice !== null ? `${id}-why` : undefined}
                data-autofocus={signingIn ? true : undefined}
              />,
            )}
            <label className="checkbox">
              <input type="checkbox" checked={insecure} onChange={(e) => setInsecure(e.target.checked)} aria-describedby={insecure ? `${id}-loopback ${id}-insecure` : `${id}-loopback`} /> {t('account.insecure')}
            </label>
            <small className="muted" id={`${id}-loopback`}>
              {t('account.insecureLoopback')}
            </small>
            {insecure ? (
              <p className="warning" id={`${id}-insecure`}>
                {t('account.insecureWarning')}
              </p>
            ) : null}
            <KeyringNotice />
          </>
        ) : null}
        {editing
          ? field(
              'interval',
              t('account.interval'),
              <select id={`${id}-interval`} value={interval} onChange={(e) => setIntervalMinutes(Number(e.target.value))}>
                {[5, 15, 30, 60, 0].map((m) => (
                  <option key={m} value={m}>
                    {m === 0 ? t('account.intervalManual') : t('account.intervalMinutes', { count: m })}
                  </option>
                ))}
              </select>,
            )
          : null}
        {books.length > 0 && (editing || discovery !== null) ? (
          <fieldset className="book-choice">
            <legend>{t('account.books')}</legend>
            {books.map((b) => (
              <label className="checkbox" key={b.url}>
                <input
                  type="checkbox"
                  checked={chosen.has(b.url)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(b.url);
                    else next.delete(b.url);
                    setChosen(next);
                    setConfirmDrop(false);
                  }}
                />{' '}
                <bdi>{b.name}</bdi>
              </label>
            ))}
          </fieldset>
        ) : null}
        {confirmDrop ? (
          <p className="warning" role="alert">
            {t('account.dropBooks', { names: new Intl.ListFormat(lang, { type: 'conjunction' }).format(dropped.map((b) => b.name)) })}
          </p>
        ) : null}
      </div>
    </Modal>
  );
}
