import type { ReactNode } from 'react';
import { Cloud, FileUp, UserPlus } from 'lucide-react';
import { useServices } from '../../services';
import { AddAccountMenu } from '../accounts/AddAccountMenu';
import { chooseImportFiles } from '../import/ImportPicker';

/** The empty address book's welcome: the three ways to begin. */
export function FirstLaunch({ onNew, toolbar }: { onNew: () => void; toolbar: ReactNode }) {
  const { t } = useServices();
  return (
    <section className="first-launch" aria-labelledby="first-launch-title">
      {toolbar === null ? null : <div className="first-launch-toolbar">{toolbar}</div>}
      <img src="./favicon.svg" alt="" className="first-launch-logo" width={64} height={64} />
      <h1 id="first-launch-title">{t('welcome.title')}</h1>
      <p className="muted">{t('welcome.text')}</p>
      <div className="first-launch-actions">
        <div className="welcome-card">
          <FileUp aria-hidden="true" size={28} />
          <h2>{t('welcome.importTitle')}</h2>
          <p className="muted">{t('welcome.importText')}</p>
          <button type="button" onClick={chooseImportFiles}>
            {t('welcome.import')}
          </button>
        </div>
        <div className="welcome-card">
          <Cloud aria-hidden="true" size={28} />
          <h2>{t('welcome.accountTitle')}</h2>
          <p className="muted">{t('welcome.accountText')}</p>
          <AddAccountMenu />
        </div>
        <div className="welcome-card">
          <UserPlus aria-hidden="true" size={28} />
          <h2>{t('welcome.newTitle')}</h2>
          <p className="muted">{t('welcome.newText')}</p>
          <button type="button" className="primary" onClick={onNew}>
            {t('action.new')}
          </button>
        </div>
      </div>
    </section>
  );
}

