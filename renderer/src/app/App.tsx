import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LockButton } from '../features/lock/LockButton';
import { LockScreen } from '../features/lock/LockScreen';
import { useLock } from '../features/lock/lock-store';
import { useIdleLock } from '../features/lock/use-idle-lock';
import { Onboarding } from '../features/onboarding/Onboarding';
import { languages } from '../i18n/i18n';
import { areas } from './areas';
import { useAreaView } from './use-area-view';
import { startAreaFrom, useNavigation, windowHash } from './navigation-store';
import { useSession } from './session-store';
import { useDesktopCommands } from './use-desktop-commands';
import { useUnreadBadge } from './use-unread-badge';
import { useAppIntents } from './use-app-intents';
import { useNetworkWake } from './use-network-wake';
import { useDropGuard } from './use-drop-guard';
import { PrintLayout } from '../features/print/PrintLayout';
import { usePrint } from '../features/print/print-store';
import { SearchEverywhere } from '../features/search/SearchEverywhere';
import { useSearchAll } from '../features/search/search-store';
import { useSearchShortcut } from '../features/search/use-search-shortcut';

export function App() {
  const { t, i18n } = useTranslation();
  const { phase, account, start } = useSession();
  const { areaId, showArea } = useNavigation();
  const current = areas.find((a) => a.id === areaId) ?? areas[0];
  const shown = useAreaView(current);
  const CurrentView = shown && 'view' in shown ? shown.view : undefined;

  const locked = useLock((s) => s.locked);

  useEffect(() => {
    void start();
  }, [start]);
  useEffect(() => useLock.getState().init(), []);
  const ready = phase === 'inbox' && !locked;
  // Signed in, restored or unlocked: the day starts on "Heute" (or the area the window was opened at).
  // Declared before the intents, so that an intent that arrives with the start (a mailto link, a
  // reminder's click) still wins.
  useEffect(() => {
    if (ready) useNavigation.getState().showArea(startAreaFrom(windowHash()));
  }, [ready]);
  // The shown area's first data is asked for at once, beside the loading of its view's script.
  useEffect(() => {
    if (ready) void current?.prepare?.();
  }, [ready, current]);
  useIdleLock(phase === 'inbox');
  useDesktopCommands();
  useUnreadBadge(phase === 'inbox');
  useAppIntents(phase === 'inbox' && !locked);
  useNetworkWake(phase === 'inbox' && !locked);
  useDropGuard();
  useSearchShortcut(phase === 'inbox' && !locked);
  useEffect(() => {
    if (phase === 'inbox' && !locked) void usePrint.getState().load();
  }, [phase, locked]);

  // Locked: only the password prompt is rendered; the feature stores dropped their content (lock-registry).
  if (locked)
    return (
      <LockScreen
        onUnlocked={() => {
          // Opened while locked (e.g. a reload): the account could not be restored then; do it now.
          if (useSession.getState().phase !== 'inbox') void start();
        }}
      />
    );

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
                data-area={a.id}
                aria-current={a.id === current?.id ? 'page' : undefined}
                onClick={() => showArea(a.id)}
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
          <button
            type="button"
            className="search-everywhere-open"
            title={t('search.openShortcut')}
            aria-keyshortcuts="Control+K"
            onClick={() => useSearchAll.getState().show()}
          >
            {t('search.open')}
          </button>
        )}
        {phase === 'inbox' && <LockButton />}
      </header>
      <main id="main" tabIndex={-1}>
        {(phase === 'starting' || phase === 'restoring') && (
          <p role="status" aria-live="polite">
            {phase === 'restoring' ? t('account.restoring') : ''}
          </p>
        )}
        {(phase === 'setup' || phase === 'connecting') && <Onboarding initial={account} />}
        {/* An area's view is its own script (areas.ts), loaded on its first showing: said while it loads. */}
        {phase === 'inbox' && CurrentView && <CurrentView />}
        {phase === 'inbox' && shown && 'loading' in shown && (
          <p role="status" aria-live="polite" className="area-loading">
            {t('app.areaLoading')}
          </p>
        )}
        {phase === 'inbox' && shown && 'failed' in shown && (
          <p role="alert" className="area-loading">
            {t('app.areaLoadFailed')}{' '}
            <button type="button" onClick={shown.retry}>
              {t('app.areaRetry')}
            </button>
          </p>
        )}
      </main>
      {phase === 'inbox' && <PrintLayout />}
      {phase === 'inbox' && <SearchEverywhere />}
    </>
  );
}
