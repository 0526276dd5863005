import { useTranslation } from 'react-i18next';
import { useLock } from './lock-store';

/** "Sperren" in the header; the same as Ctrl+Shift+L. */
export function LockButton() {
  const { t } = useTranslation();
  return (
    <button type="button" aria-keyshortcuts="Control+Shift+L" onClick={() => void useLock.getState().lockNow('demand')}>
      {t('lock.lockNow')}
    </button>
  );
}
