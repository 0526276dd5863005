import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import { api } from '../../ratsdesk-api';
import { ErrorMessage } from '../../ui/ErrorMessage';

/** "Als Standard-Mailprogramm verwenden": mailto: links of the system open Ratsdesk's compose window. */
export function DefaultMailClient() {
  const { t } = useTranslation();
  const id = useId();
  const [state, setState] = useState<{ isDefault: boolean; openedSystemSettings: boolean } | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();

  useEffect(() => {
    void api()
      .app.defaultMailClient()
      .then((r) => (r.ok ? setState(r.value) : setError(r.error)));
  }, []);

  async function makeDefault() {
    const r = await api().app.setDefaultMailClient();
    if (r.ok) setState(r.value);
    else setError(r.error);
  }

  return (
    <section className="default-mail-client" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('settings.defaultMail.heading')}</h2>
      <p role="status">
        {state === undefined
          ? ''
          : state.isDefault
            ? t('settings.defaultMail.isDefault')
            : state.openedSystemSettings
              ? t('settings.defaultMail.systemSettings')
              : t('settings.defaultMail.notDefault')}
      </p>
      {state && !state.isDefault && (
        <button type="button" onClick={() => void makeDefault()}>
          {t('settings.defaultMail.action')}
        </button>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
