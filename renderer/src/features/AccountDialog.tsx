import { useId, useState } from 'react';
import { useServices } from '../services';

/** Add a CardDAV account: server address (or just the host), user, password, and the http choice. */
export function AccountDialog({ onClose, onAdded }: { onClose: () => void; onAdded: () => void }) {
  const { t } = useServices();
  const [url, setUrl] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [insecure, setInsecure] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const full = /^https?:\/\//i.test(url.trim()) ? url.trim() : `https://${url.trim()}`;
      await window.cardinal.addCardDavAccount({ url: full, user, password, allowInsecure: insecure });
      onAdded();
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="dialog-backdrop">
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id={`${id}-title`}>{t('account.title')}</h2>
        {error !== null ? (
          <p className="form-errors" role="alert">
            {error}
          </p>
        ) : null}
        <div className="form-field">
          <label htmlFor={`${id}-url`}>{t('account.url')}</label>
          <input id={`${id}-url`} value={url} onChange={(e) => setUrl(e.target.value)} autoComplete="url" />
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-user`}>{t('account.user')}</label>
          <input id={`${id}-user`} value={user} onChange={(e) => setUser(e.target.value)} autoComplete="username" />
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-password`}>{t('account.password')}</label>
          <input id={`${id}-password`} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={insecure} onChange={(e) => setInsecure(e.target.checked)} /> {t('account.insecure')}
        </label>
        {insecure ? <p className="warning">{t('account.insecureWarning')}</p> : null}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || url.trim() === ''}>
            {busy ? t('account.connecting') : t('account.connect')}
          </button>
          <button type="button" onClick={onClose}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
