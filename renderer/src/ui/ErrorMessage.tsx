import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../electron/contract/errors';

/** A person-readable sentence for a stable error code, announced to screen readers. */
export function ErrorMessage({ error }: { error: ErrorInfo | undefined }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const key = `errors.${error.code}`;
  // A few sentences name what the detail holds (e.g. the server of RIS_HTTP_ONLY); the rest ignore it.
  const text = i18n.exists(key) ? t(key, { detail: error.detail ?? '' }) : t('errors.UNKNOWN', { code: error.code });
  return (
    <div role="alert" className="error" data-error-code={error.code}>
      {text}
    </div>
  );
}
