import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountSettings, Security } from '../../../../electron/contract/account';
import { useSession } from '../../app/session-store';
import { ErrorMessage } from '../../ui/ErrorMessage';

const DEFAULT_PORT: Record<Security, number> = { tls: 993, starttls: 143 };

export function AccountForm({ initial }: { initial: AccountSettings | undefined }) {
  const { t } = useTranslation();
  const { connect, phase, error } = useSession();
  const [host, setHost] = useState(initial?.host ?? '');
  const [security, setSecurity] = useState<Security>(initial?.security ?? 'tls');
  const [port, setPort] = useState(String(initial?.port ?? DEFAULT_PORT.tls));
  const [username, setUsername] = useState(initial?.username ?? '');
  const [password, setPassword] = useState('');
  const id = useId();
  const busy = phase === 'connecting';

  function changeSecurity(next: Security) {
    if (port === String(DEFAULT_PORT[security])) setPort(String(DEFAULT_PORT[next]));
    setSecurity(next);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    await connect({ host: host.trim(), port: Number(port), security, username: username.trim(), password });
    setPassword('');
  }

  return (
    <form className="account-form" onSubmit={submit} aria-labelledby={`${id}-heading`} aria-busy={busy}>
      <h1 id={`${id}-heading`}>{t('account.heading')}</h1>
      <p>{t('account.intro')}</p>
      <label htmlFor={`${id}-host`}>{t('account.host')}</label>
      <input
        id={`${id}-host`}
        name="host"
        required
        autoComplete="off"
        spellCheck={false}
        value={host}
        onChange={(e) => setHost(e.target.value)}
      />
      <label htmlFor={`${id}-security`}>{t('account.security')}</label>
      <select
        id={`${id}-security`}
        name="security"
        value={security}
        onChange={(e) => changeSecurity(e.target.value as Security)}
      >
        <option value="tls">{t('account.securityTls')}</option>
        <option value="starttls">{t('account.securityStarttls')}</option>
      </select>
      <label htmlFor={`${id}-port`}>{t('account.port')}</label>
      <input
        id={`${id}-port`}
        name="port"
        required
        inputMode="numeric"
        pattern="[0-9]{1,5}"
        value={port}
        onChange={(e) => setPort(e.target.value)}
      />
      <label htmlFor={`${id}-username`}>{t('account.username')}</label>
      <input
        id={`${id}-username`}
        name="username"
        required
        autoComplete="username"
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <label htmlFor={`${id}-password`}>{t('account.password')}</label>
      <input
        id={`${id}-password`}
        name="password"
        type="password"
        required
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <ErrorMessage error={error} />
      <button type="submit" disabled={busy}>
        {busy ? t('account.connecting') : t('account.connect')}
      </button>
    </form>
  );
}
