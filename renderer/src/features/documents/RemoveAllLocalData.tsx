import { useTranslation } from 'react-i18next';
import { DangerConfirm } from '../../ui/DangerConfirm';

/** "Remove all local data", asked twice: the second step says what goes and takes focus. */
export function RemoveAllLocalData({ onConfirm }: { onConfirm: () => Promise<boolean> }) {
  const { t } = useTranslation();
  return (
    <DangerConfirm
      onConfirm={onConfirm}
      text={{
        heading: t('documents.removeAll.heading'),
        explain: t('documents.removeAll.explain'),
        start: t('documents.removeAll.start'),
        confirmHeading: t('documents.removeAll.confirmHeading'),
        confirmText: t('documents.removeAll.confirmText'),
        confirm: t('documents.removeAll.confirm'),
        cancel: t('documents.removeAll.cancel'),
      }}
    />
  );
}
