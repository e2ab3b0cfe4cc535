import { useEffect, useId, useState } from 'react';
import type { GoogleSetup } from '../../../shared/sync/types';
import { useServices } from '../services';
import { FormActions, FormDialog } from './FormDialog';
import { KeyringNotice } from './KeyringNotice';

/**
 * Add a Google account, or (`shared`) a Workspace domain's shared contacts: sign-in happens in the
 * system browser; this dialog waits for it (with a Cancel that stops the wait). Where no OAuth
 * client is configured, the user enters their own "Desktop app" client first (the README says how).
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
      setError((e as Error).message);
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
    <FormDialog title={shared ? t('shared.title') : t('google.title')} error={error} onSubmit={() => void signIn()}>
      <p>{shared ? t('shared.explain') : t('google.explain')}</p>
      {shared ? (
        <div className="form-field">
          <label htmlFor={`${id}-domain`}>{t('shared.domain')}</label>
          <input id={`${id}-domain`} value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="example.com" spellCheck={false} dir="ltr" autoComplete="off" />
        </div>
      ) : null}
      <KeyringNotice />
      {setup !== null && setup.source === 'environment' ? null : (
        <>
          {setup?.configured === true ? (
            <label className="checkbox">
              <input type="checkbox" checked={ownClient} onChange={(e) => setOwnClient(e.target.checked)} /> {t('google.ownClient')}
            </label>
          ) : (
            <p className="warning">{t('google.noClient')}</p>
          )}
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
        </>
      )}
      {waiting ? (
        <p role="status" className="waiting">
          {t('google.waiting')}
        </p>
      ) : null}
      <FormActions submit={t('google.signIn')} disabled={!canSignIn} onCancel={cancel} />
    </FormDialog>
  );
}
