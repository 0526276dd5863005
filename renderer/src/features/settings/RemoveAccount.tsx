import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session-store';
import { DangerConfirm } from '../../ui/DangerConfirm';

/**
 * "Konto entfernen" (sign out): the account's settings and its password leave this computer. Destructive, so it
 * lives in the settings and is asked twice — not in the header beside "Sperren", where a slip would cost it.
 */
export function RemoveAccount() {
  const { t } = useTranslation();
  return (
    <DangerConfirm
      onConfirm={async () => {
        await useSession.getState().forget();
        return true;
      }}
      text={{
        heading: t('settings.account.heading'),
        explain: t('settings.account.explain'),
        start: t('settings.account.start'),
        confirmHeading: t('settings.account.confirmHeading'),
        confirmText: t('settings.account.confirmText'),
        confirm: t('settings.account.confirm'),
        cancel: t('settings.account.cancel'),
      }}
    />
  );
}
