import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Security } from '../../../../electron/contract/account';
import { effectiveEmail, effectiveSmtp, type ServerFieldValues } from './server-field-values';

/** Which groups of fields a form shows; user name and password are always there. */
export interface ServerFieldParts {
  /** IMAP host, encryption and port (absent when preset by policy or found by discovery). */
  imap?: boolean;
  /** The outgoing (SMTP) server: its default shown, changeable on request. */
  smtp?: boolean;
  /** The sender address. */
  sender?: boolean;
}

function SecuritySelect({
  id,
  value,
  onChange,
  ports,
}: {
  id: string;
  value: Security;
  onChange: (s: Security) => void;
  ports: Record<Security, number>;
}) {
  const { t } = useTranslation();
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value === 'starttls' ? 'starttls' : 'tls')}>
      <option value="tls">{t('account.securityTlsPort', { port: ports.tls })}</option>
      <option value="starttls">{t('account.securityStarttlsPort', { port: ports.starttls })}</option>
    </select>
  );
}

/**
 * The mail server and login fields of every account form (manual setup, policy preset, discovered
 * servers): one set of labels, defaults and help texts. Controlled: the form keeps the values.
 */
export function ServerFields({
  values: v,
  onChange,
  parts,
  autoFocusPassword = false,
}: {
  values: ServerFieldValues;
  onChange: (change: Partial<ServerFieldValues>) => void;
  parts: ServerFieldParts;
  autoFocusPassword?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const smtp = effectiveSmtp(v);
  const security = (s: Security) => (s === 'tls' ? 'TLS' : 'STARTTLS');

  return (
    <>
      {parts.imap && (
        <>
          <label htmlFor={`${id}-host`}>{t('account.host')}</label>
          <input
            id={`${id}-host`}
            name="host"
            required
            autoComplete="off"
            spellCheck={false}
            value={v.host}
            onChange={(e) => onChange({ host: e.target.value })}
          />
          <label htmlFor={`${id}-security`}>{t('account.security')}</label>
          <SecuritySelect
            id={`${id}-security`}
            value={v.security}
            onChange={(security) => onChange({ security })}
            ports={{ tls: 993, starttls: 143 }}
          />
          <label htmlFor={`${id}-port`}>{t('account.port')}</label>
          <input
            id={`${id}-port`}
            name="port"
            required
            inputMode="numeric"
            pattern="[0-9]{1,5}"
            value={v.port}
            onChange={(e) => onChange({ port: e.target.value })}
          />
        </>
      )}
      <label htmlFor={`${id}-username`}>{t('account.username')}</label>
      <input
        id={`${id}-username`}
        name="username"
        required
        autoComplete="username"
        spellCheck={false}
        value={v.username}
        onChange={(e) => onChange({ username: e.target.value })}
      />
      <label htmlFor={`${id}-password`}>{t('account.password')}</label>
      <input
        id={`${id}-password`}
        name="password"
        type="password"
        required
        autoFocus={autoFocusPassword}
        autoComplete="current-password"
        value={v.password}
        onChange={(e) => onChange({ password: e.target.value })}
      />
      {parts.sender && (
        <>
          <label htmlFor={`${id}-email`}>{t('account.sender')}</label>
          <input
            id={`${id}-email`}
            name="email"
            type="email"
            autoComplete="email"
            spellCheck={false}
            aria-describedby={`${id}-email-hint`}
            value={effectiveEmail(v)}
            onChange={(e) => onChange({ email: e.target.value })}
          />
          <p id={`${id}-email-hint`} className="hint">
            {t('account.senderHint')}
          </p>
        </>
      )}
      {parts.smtp && (
        <fieldset className="smtp-fields">
          <legend>{t('account.smtpHeading')}</legend>
          {!v.smtpCustom ? (
            <p className="hint">
              {smtp.host
                ? t('account.smtpDefault', { server: `${smtp.host}:${smtp.port}`, security: security(smtp.security) })
                : t('account.smtpDefaultNoHost')}{' '}
              <button type="button" className="link-button" onClick={() => onChange({ smtpCustom: true })}>
                {t('account.smtpChange')}
              </button>
            </p>
          ) : (
            <>
              <label htmlFor={`${id}-smtp-host`}>{t('account.smtpHost')}</label>
              <input
                id={`${id}-smtp-host`}
                name="smtpHost"
                required
                autoComplete="off"
                spellCheck={false}
                value={v.smtpHost}
                onChange={(e) => onChange({ smtpHost: e.target.value })}
              />
              <label htmlFor={`${id}-smtp-security`}>{t('account.smtpSecurity')}</label>
              <SecuritySelect
                id={`${id}-smtp-security`}
                value={v.smtpSecurity}
                onChange={(smtpSecurity) => onChange({ smtpSecurity })}
                ports={{ tls: 465, starttls: 587 }}
              />
              <label htmlFor={`${id}-smtp-port`}>{t('account.smtpPort')}</label>
              <input
                id={`${id}-smtp-port`}
                name="smtpPort"
                required
                inputMode="numeric"
                pattern="[0-9]{1,5}"
                value={v.smtpPort}
                onChange={(e) => onChange({ smtpPort: e.target.value })}
              />
              <button type="button" className="link-button" onClick={() => onChange({ smtpCustom: false })}>
                {t('account.smtpUseDefault')}
              </button>
            </>
          )}
        </fieldset>
      )}
    </>
  );
}
