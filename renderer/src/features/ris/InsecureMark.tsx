import { useTranslation } from 'react-i18next';

/**
 * "unverschlüsselt übertragen": data that came over plain http because the machine policy allows that
 * server in clear (risInsecureHttpOrigins). A visible word, not only a colour; the sentence explains it.
 */
export function InsecureMark() {
  const { t } = useTranslation();
  return (
    <p className="ris-insecure" data-insecure="true">
      <strong>{t('ris.insecure.mark')}</strong> <span>{t('ris.insecure.explain')}</span>
    </p>
  );
}
