import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountForm } from '../features/account/AccountForm';
import { languages } from '../i18n/i18n';
import { areas } from './areas';
import { useSession } from './session-store';

export function App() {
  const { t, i18n } = useTranslation();
  const { phase, account, start, forget } = useSession();
  const [areaId, setAreaId] = useState(areas[0]?.id ?? 'mail');
  const current = areas.find((a) => a.id === areaId) ?? areas[0];

  useEffect(() => {
    void start();
  }, [start]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <span className="brand">{t('app.title')}</span>
        {phase === 'inbox' && areas.length > 1 && (
          <nav aria-label={t('app.areas')} className="area-nav">
            {areas.map((a) => (
              <button
                key={a.id}
                type="button"
                aria-current={a.id === current?.id ? 'page' : undefined}
                onClick={() => setAreaId(a.id)}
              >
                {t(a.labelKey)}
              </button>
            ))}
          </nav>
        )}
        <label className="language">
          {t('app.language')}{' '}
          <select value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
            {languages.map((l) => (
              <option key={l} value={l}>
                {l === 'de' ? 'Deutsch' : 'English'}
              </option>
            ))}
          </select>
        </label>
        {phase === 'inbox' && (
          <button type="button" onClick={() => void forget()}>
            {t('account.signOut')}
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {(phase === 'starting' || phase === 'restoring') && (
          <p role="status" aria-live="polite">
            {phase === 'restoring' ? t('account.restoring') : ''}
          </p>
        )}
        {(phase === 'setup' || phase === 'connecting') && <AccountForm initial={account} />}
        {phase === 'inbox' && current && <current.Component />}
      </main>
    </>
  );
}
