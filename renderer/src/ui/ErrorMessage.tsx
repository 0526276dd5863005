import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../electron/contract/errors';

/** A person-readable sentence for a stable error code, announced to screen readers. */
export function ErrorMessage({ error }: { error: ErrorInfo | undefined }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const key = `errors.${error.code}`;
  const text = i18n.exists(key) ? t(key) : t('errors.UNKNOWN', { code: error.code });
  return (
    <div role="alert" className="error" data-error-code={error.code}>
      {text}
    </div>
  );
}
