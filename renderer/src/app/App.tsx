import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountForm } from '../features/account/AccountForm';
import { InboxView } from '../features/mail/InboxView';
import { languages } from '../i18n/i18n';
import { useSession } from './session-store';

export function App() {
  const { t, i18n } = useTranslation();
  const { phase, account, inbox, start, forget } = useSession();

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
        <label>
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
        {phase === 'inbox' && inbox && <InboxView inbox={inbox} />}
      </main>
    </>
  );
}
