import { useEffect, useState } from 'react';
import type { SecretStorage } from '../../../../shared/sync/types';
import { useServices } from '../../services';

/**
 * Where the computer has no keyring to seal passwords with (Linux without GNOME Keyring or
 * KWallet): says so, and offers to remember the password until Cardinal quits. Without that choice
 * the main process refuses to add the account rather than store a password in plain text.
 */
export function KeyringNotice() {
  const { t } = useServices();
  const [storage, setStorage] = useState<SecretStorage | null>(null);
  useEffect(() => {
    let live = true;
    void window.cardinal.secretStorage().then((s) => live && setStorage(s), () => {});
    return () => {
      live = false;
    };
  }, []);
  if (storage === null || storage === 'keyring') return null;
  return (
    <div className="keyring-notice">
      <p className="warning">{t('keyring.none')}</p>
      {storage === 'memory' ? (
        <p>{t('keyring.memory')}</p>
      ) : (
        <p>
          <button type="button" onClick={() => void window.cardinal.keepSecretsInMemory().then(setStorage, () => {})}>
            {t('keyring.remember')}
          </button>
        </p>
      )}
    </div>
  );
}
