import './smime.css';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import type { SmimeRecipient, SmimeState } from '../../../../electron/contract/smime';
import { api } from '../../ratsdesk-api';
import { ErrorMessage } from '../../ui/ErrorMessage';

export interface SmimeMode {
  sign: boolean;
  encrypt: boolean;
}

/** The certificate look-up waits this long after the last change of the recipients. */
const LOOKUP_DELAY_MS = 300;

/**
 * "Signieren" and "Verschlüsseln" in the compose window. The policy's smimeSigning decides the start
 * (`default`: on) and whether signing can be switched off (`mandatory`: never; the service refuses an
 * unsigned send as well). With encryption on, every recipient is looked up (the vault, then the policy's
 * directory) and those without a certificate are named; the sender always gets an encrypted copy too.
 */
export function ComposeSmime({
  addresses,
  mode,
  onChange,
}: {
  addresses: string[];
  mode: SmimeMode | undefined;
  onChange(mode: SmimeMode): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [state, setState] = useState<SmimeState | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [recipients, setRecipients] = useState<SmimeRecipient[] | undefined>();
  const key = addresses.join('\n');

  useEffect(() => {
    let current = true;
    void api()
      .smime.state()
      .then((r) => {
        if (!current) return;
        if (!r.ok) {
          setError(r.error);
          return;
        }
        setState(r.value);
        // The policy's start: signed when it says so (mandatory also without an own certificate: the
        // person then sees why nothing can be sent).
        if (mode === undefined) {
          const sign = r.value.signing === 'mandatory' || (r.value.signing === 'default' && r.value.canProtect);
          onChange({ sign, encrypt: false });
        } else if (r.value.signing === 'mandatory' && !mode.sign) {
          // A draft saved before the policy made signing mandatory opens signed.
          onChange({ ...mode, sign: true });
        }
      });
    return () => {
      current = false;
    };
    // Once per compose window.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const encrypt = mode?.encrypt ?? false;
  useEffect(() => {
    if (!encrypt || addresses.length === 0) {
      setRecipients(undefined);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      void api()
        .smime.recipients({ addresses })
        .then((r) => {
          if (!current) return;
          if (r.ok) setRecipients(r.value);
          else setError(r.error);
        });
    }, LOOKUP_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // The addresses by value: a new array with the same addresses asks nothing again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [encrypt, key]);

  if (!state) return <ErrorMessage error={error} />;
  const mandatory = state.signing === 'mandatory';
  const sign = mode?.sign ?? false;
  const missing = recipients?.filter((r) => !r.known) ?? [];

  return (
    <fieldset className="compose-smime" aria-describedby={`${id}-hint`}>
      <legend>{t('smime.compose.legend')}</legend>
      <label>
        <input
          type="checkbox"
          checked={sign}
          disabled={mandatory || !state.canProtect}
          onChange={(e) => onChange({ sign: e.target.checked, encrypt })}
        />{' '}
        {t('smime.compose.sign')}
      </label>{' '}
      <label>
        <input
          type="checkbox"
          checked={encrypt}
          disabled={!state.canProtect}
          onChange={(e) => onChange({ sign, encrypt: e.target.checked })}
        />{' '}
        {t('smime.compose.encrypt')}
      </label>
      <p id={`${id}-hint`} className="hint">
        {!state.canProtect
          ? mandatory
            ? t('smime.compose.mandatoryWithoutIdentity')
            : t('smime.compose.noIdentity')
          : mandatory
            ? t('smime.compose.mandatory')
            : encrypt
              ? t('smime.compose.selfCopy')
              : ''}
      </p>
      {encrypt && recipients && (
        <div role="status" className="compose-smime-recipients">
          <p>
            {missing.length > 0 ? t('smime.compose.missing', { count: missing.length }) : t('smime.compose.allKnown')}
          </p>
          <ul>
            {recipients.map((r) => (
              <li key={r.address} data-known={r.known} data-source={r.source ?? ''}>
                {r.address}: {r.known ? t(`smime.compose.source.${r.source ?? 'mail'}`) : t('smime.compose.unknown')}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ErrorMessage error={error} />
    </fieldset>
  );
}
