import { useEffect, useId, useState } from 'react';
import type { GoogleSetup } from '../../../../shared/sync/types';
import { useServices } from '../../services';
import { FormActions } from '../common/FormActions';
import { Modal } from '../common/Modal';
import { KeyringNotice } from './KeyringNotice';
import { errorInWords } from './error-words';

/**
 * Add a Google account, or (`shared`) a Workspace domain's shared contacts: sign-in happens in the
 * system browser; this dialog waits for it (with a Cancel that stops the wait). The OAuth client is
 * an advanced setting: open by itself only where Cardinal has none, and explained, not an error.
 */
export function GoogleDialog({ onClose, onSaved, shared = false }: { onClose: () => void; onSaved: () => void; shared?: boolean }) {
  const { t } = useServices();
  const id = useId();
  const [setup, setSetup] = useState<GoogleSetup | null>(null);
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [ownClient, setOwnClient] = useState(false);
  const [waiting, setWaiting] = useState(false);
  const [domain, setDomain] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void window.cardinal.googleSetup().then((s) => {
      setSetup(s);
      setOwnClient(!s.configured);
      if (s.source === 'settings') setClientId(s.clientId);
    });
  }, []);

  const signIn = async () => {
    setError(null);
    try {
      if (ownClient) setSetup(await window.cardinal.setGoogleClient(clientId.trim(), clientSecret.trim()));
      setWaiting(true);
      if (shared) await window.cardinal.addSharedContacts(domain.trim());
      else await window.cardinal.signInGoogle(null);
      onSaved();
      onClose();
    } catch (e) {
      setError(errorInWords(e, t, 'Google'));
    } finally {
      setWaiting(false);
    }
  };
  const cancel = () => {
    if (waiting) void window.cardinal.cancelGoogleSignIn();
    onClose();
  };
  const canSignIn = setup !== null && !waiting && (!ownClient ? setup.configured : clientId.trim() !== '') && (!shared || /^[^.\s]+(\.[^.\s]+)+$/.test(domain.trim()));

  return (
    <Modal
      title={shared ? t('shared.title') : t('google.title')}
      error={error}
      onSubmit={() => void signIn()}
      onClose={cancel}
      actions={<FormActions submit={waiting ? t('google.waitingShort') : t('google.signIn')} busy={waiting} disabled={!canSignIn} onCancel={cancel} />}
    >
      <div className="form-stack">
        <p>{shared ? t('shared.explain') : t('google.explain')}</p>
        <KeyringNotice />
        {shared ? (
          <div className="form-field">
            <label htmlFor={`${id}-domain`}>{t('shared.domain')}</label>
            <input id={`${id}-domain`} value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="example.com" spellCheck={false} dir="ltr" autoComplete="off" />
          </div>
        ) : null}
        {setup !== null && setup.source === 'environment' ? null : (
          <details className="advanced" open={setup !== null && !setup.configured}>
            <summary>{t('google.advanced')}</summary>
            <p className="muted">{setup?.configured === false ? t('google.noClient') : t('google.clientExplain')}</p>
            {setup?.configured === true ? (
              <label className="checkbox">
                <input type="checkbox" checked={ownClient} onChange={(e) => setOwnClient(e.target.checked)} /> {t('google.ownClient')}
              </label>
            ) : null}
            {ownClient ? (
              <>
                <div className="form-field">
                  <label htmlFor={`${id}-client`}>{t('google.clientId')}</label>
                  <input id={`${id}-client`} value={clientId} onChange={(e) => setClientId(e.target.value)} spellCheck={false} dir="ltr" />
                </div>
                <div className="form-field">
                  <label htmlFor={`${id}-secret`}>{t('google.clientSecret')}</label>
                  <input id={`${id}-secret`} type="password" value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} spellCheck={false} dir="ltr" />
                </div>
              </>
            ) : null}
          </details>
        )}
        {waiting ? (
          <p role="status" className="waiting">
            {t('google.waiting')}
          </p>
        ) : null}
      </div>
    </Modal>
  );
}
