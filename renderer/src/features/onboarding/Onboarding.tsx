import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountSettings } from '../../../../electron/contract/account';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { AccountForm } from '../account/AccountForm';
import { type DiscoveredServers, type PresetServer, useOnboarding } from './onboarding-store';
import './onboarding.css';

/**
 * First-run setup. With a mail server preset by policy: user name and password only. Without: the
 * e-mail address → server discovery (autoconfig, SRV) → password → connection test → inbox; manual
 * entry stays reachable.
 */
export function Onboarding({ initial }: { initial: AccountSettings | undefined }) {
  const { step, load } = useOnboarding();
  useEffect(() => {
    void load();
  }, [load]);

  if (step === 'loading') return null;
  if (step === 'preset') return <PresetLogin initial={initial} />;
  if (step === 'manual') return <ManualSetup initial={initial} />;
  if (step === 'found') return <DiscoveredLogin />;
  return <EmailStep />;
}

function EmailStep() {
  const { t } = useTranslation();
  const { email: lastEmail, searching, error, discover, goTo } = useOnboarding();
  const [email, setEmail] = useState(lastEmail);
  const id = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    void discover(email.trim());
  }

  return (
    <div className="onboarding">
      <form className="account-form" onSubmit={submit} aria-labelledby={`${id}-heading`} aria-busy={searching}>
        <h1 id={`${id}-heading`}>{t('account.heading')}</h1>
        <p>{t('onboarding.emailIntro')}</p>
        <label htmlFor={`${id}-email`}>{t('onboarding.email')}</label>
        <input
          id={`${id}-email`}
          type="email"
          required
          autoComplete="email"
          spellCheck={false}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <ErrorMessage error={error} />
        <button type="submit" disabled={searching}>
          {searching ? t('onboarding.searching') : t('onboarding.next')}
        </button>
      </form>
      <p className="onboarding-alt">
        <button type="button" className="link-button" onClick={() => goTo('manual')}>
          {t('onboarding.manual')}
        </button>
      </p>
    </div>
  );
}

function ServerSummary({ servers }: { servers: DiscoveredServers }) {
  const { t } = useTranslation();
  const tls = (mode: 'tls' | 'starttls') => (mode === 'tls' ? 'TLS' : 'STARTTLS');
  const outside = (host: string) =>
    servers.foreignHosts.includes(host.toLowerCase())
      ? ` ${t('onboarding.outsideDomain', { domain: servers.domain })}`
      : '';
  return (
    <dl className="server-summary" aria-label={t('onboarding.foundServers')}>
      <dt>{t('onboarding.imap')}</dt>
      <dd>
        {servers.imap.host}:{servers.imap.port} ({tls(servers.imap.tls)}){outside(servers.imap.host)}
      </dd>
      {servers.smtp && (
        <>
          <dt>{t('onboarding.smtp')}</dt>
          <dd>
            {servers.smtp.host}:{servers.smtp.port} ({tls(servers.smtp.tls)}){outside(servers.smtp.host)}
          </dd>
        </>
      )}
      <dt>{t('onboarding.source')}</dt>
      <dd>{t(`onboarding.method.${servers.method}`)}</dd>
    </dl>
  );
}

/** Back to another address, or to manual setup: offered wherever discovered servers are shown. */
function OtherWays() {
  const { t } = useTranslation();
  const goTo = useOnboarding((s) => s.goTo);
  return (
    <p className="onboarding-alt">
      <button type="button" className="link-button" onClick={() => goTo('email')}>
        {t('onboarding.back')}
      </button>{' '}
      <button type="button" className="link-button" onClick={() => goTo('manual')}>
        {t('onboarding.manual')}
      </button>
    </p>
  );
}

/**
 * Discovery named a server outside the address's domain (a forged DNS answer or a hijacked autoconfig looks
 * exactly like this, RFC 6186 §6): the person sees the host and the domain difference and must confirm before
 * any password field appears. Policy presets never get here (the service does not count them as foreign).
 */
function ForeignServerWarning({ servers }: { servers: DiscoveredServers }) {
  const { t } = useTranslation();
  const { email, confirmForeign } = useOnboarding();
  const id = useId();
  const hosts = servers.foreignHosts.join(', ');
  return (
    <div className="onboarding">
      <section className="account-form foreign-warning" role="alert" aria-labelledby={`${id}-heading`}>
        <h1 id={`${id}-heading`}>{t('onboarding.foreignHeading')}</h1>
        <p>{t('onboarding.foreignWarning', { email, domain: servers.domain, hosts })}</p>
        <ServerSummary servers={servers} />
        <button type="button" onClick={confirmForeign}>
          {t('onboarding.foreignConfirm', { hosts })}
        </button>
      </section>
      <OtherWays />
    </div>
  );
}

function DiscoveredLogin() {
  const { t } = useTranslation();
  const { discovered, email, foreignConfirmed } = useOnboarding();
  if (!discovered) return null;
  const servers = discovered;
  if (servers.foreignHosts.length > 0 && !foreignConfirmed) return <ForeignServerWarning servers={servers} />;
  return (
    <div className="onboarding">
      <AccountForm
        initial={{ username: discovered.imap.username ?? email }}
        heading={t('onboarding.foundHeading')}
        intro={t('onboarding.foundIntro', { email })}
        parts={{}}
        autoFocusPassword
        fixed={{
          host: servers.imap.host,
          port: servers.imap.port,
          security: servers.imap.tls,
          ...(email.includes('@') ? { email } : {}),
          ...(servers.smtp
            ? { smtp: { host: servers.smtp.host, port: servers.smtp.port, security: servers.smtp.tls } }
            : {}),
        }}
      >
        <ServerSummary servers={servers} />
      </AccountForm>
      <OtherWays />
    </div>
  );
}

function PresetLogin({ initial }: { initial: AccountSettings | undefined }) {
  const { t } = useTranslation();
  const preset = useOnboarding((s) => s.preset) as PresetServer;
  // The service applies the policy's servers itself; these are only what the person sees.
  return (
    <AccountForm
      initial={initial}
      heading={t('onboarding.presetHeading')}
      intro={t('onboarding.presetIntro', { host: preset.host })}
      parts={{ sender: true }}
      fixed={{ host: preset.host, port: preset.port, security: preset.security }}
    />
  );
}

function ManualSetup({ initial }: { initial: AccountSettings | undefined }) {
  const { t } = useTranslation();
  const goTo = useOnboarding((s) => s.goTo);
  return (
    <div className="onboarding">
      <AccountForm initial={initial} />
      <p className="onboarding-alt">
        <button type="button" className="link-button" onClick={() => goTo('email')}>
          {t('onboarding.backToEmail')}
        </button>
      </p>
    </div>
  );
}
