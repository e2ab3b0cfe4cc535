import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/ipc/contract';
import { direction, pickLanguage, translator } from './i18n';

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    window.cardinal.getAppInfo().then(setInfo, (e: Error) => setError(e.message));
  }, []);

  const lang = pickLanguage(info?.locale ?? navigator.language);
  const t = translator(lang);
  useEffect(() => {
    document.documentElement.setAttribute('lang', lang);
    document.documentElement.setAttribute('dir', direction(lang));
  }, [lang]);

  return (
    <main className="shell">
      <header className="shell-header">
        <h1>{t('app.title')}</h1>
        <p>{t('app.tagline')}</p>
      </header>
      <section className="shell-body" aria-live="polite">
        {error !== null ? (
          <p role="alert">{t('app.error.unreachable', { message: error })}</p>
        ) : info === null ? (
          <p>{t('app.loading')}</p>
        ) : (
          <>
            <p data-testid="shell-kind">{t(info.shell === 'electron' ? 'app.shell.electron' : 'app.shell.harness', { version: info.version })}</p>
            <p>{t('app.empty')}</p>
          </>
        )}
      </section>
    </main>
  );
}
