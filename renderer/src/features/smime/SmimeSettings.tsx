import './smime.css';
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import type { SmimeIdentity, SmimeState } from '../../../../electron/contract/smime';
import { api } from '../../ratsdesk-api';
import { formatDate } from '../../i18n/locale-format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { readPickedFile } from './read-picked-file';

const DAY_MS = 86_400_000;

/** One own certificate: holder, addresses, issuer, chain, validity, fingerprint; a warning before it runs out. */
function IdentityCard({ identity, onRemoved }: { identity: SmimeIdentity; onRemoved(): void }) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const id = useId();
  const date = (iso: string) => formatDate(iso, i18n.language);
  const days = Math.max(0, Math.ceil((new Date(identity.notAfter).getTime() - Date.now()) / DAY_MS));

  async function remove() {
    const r = await api().smime.removeIdentity({ id: identity.id });
    if (r.ok) onRemoved();
    else setError(r.error);
  }

  return (
    <li className="smime-identity" aria-labelledby={`${id}-holder`}>
      <h4 id={`${id}-holder`}>{identity.subject}</h4>
      {identity.expired ? (
        <p role="alert" className="smime-expiry smime-expired">
          {t('smime.settings.expired', { date: date(identity.notAfter) })}
        </p>
      ) : identity.expiresSoon ? (
        <p role="alert" className="smime-expiry">
          {t('smime.settings.expiresSoon', { date: date(identity.notAfter), count: days })}
        </p>
      ) : null}
      <dl>
        <dt>{t('smime.certificate.email')}</dt>
        <dd>{identity.email.join(', ')}</dd>
        <dt>{t('smime.certificate.issuer')}</dt>
        <dd>{identity.issuer}</dd>
        <dt>{t('smime.settings.chain')}</dt>
        <dd>
          {identity.chain.length === 0 ? (
            t('smime.settings.noChain')
          ) : (
            <ol className="smime-chain">
              {identity.chain.map((subject, i) => (
                <li key={i}>{subject}</li>
              ))}
            </ol>
          )}
        </dd>
        <dt>{t('smime.certificate.validity')}</dt>
        <dd>{t('smime.settings.validity', { from: date(identity.notBefore), to: date(identity.notAfter) })}</dd>
        <dt>{t('smime.certificate.fingerprint')}</dt>
        <dd className="smime-fingerprint">{identity.fingerprint}</dd>
      </dl>
      {confirming ? (
        <div role="group" aria-label={t('smime.settings.removeConfirm')}>
          <p>{t('smime.settings.removeConfirm')}</p>
          <button type="button" onClick={() => void remove()}>
            {t('smime.settings.removeYes')}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)} autoFocus>
            {t('smime.settings.removeNo')}
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          {t('smime.settings.remove')}
        </button>
      )}
      <ErrorMessage error={error} />
    </li>
  );
}

/**
 * "S/MIME" in the settings: the own certificates (imported from a PKCS#12 file with its password; the key
 * goes into the encrypted vault) and importing a correspondent's certificate from a file.
 */
export function SmimeSettings() {
  const { t } = useTranslation();
  const id = useId();
  const [state, setState] = useState<SmimeState | undefined>();
  const [loadError, setLoadError] = useState<ErrorInfo | undefined>();
  const [identityError, setIdentityError] = useState<ErrorInfo | undefined>();
  const [identityDone, setIdentityDone] = useState<string | undefined>();
  const [certificateError, setCertificateError] = useState<ErrorInfo | undefined>();
  const [certificatesStored, setCertificatesStored] = useState<number | undefined>();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const keyFile = useRef<HTMLInputElement>(null);
  const certificateFile = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    const r = await api().smime.state();
    if (r.ok) {
      setState(r.value);
      setLoadError(undefined);
    } else setLoadError(r.error);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function importIdentity(e: FormEvent) {
    e.preventDefault();
    setIdentityError(undefined);
    setIdentityDone(undefined);
    const file = keyFile.current?.files?.[0];
    if (!file) {
      setIdentityError({ code: 'SMIME_PKCS12_INVALID' });
      return;
    }
    setBusy(true);
    try {
      const fileBase64 = await readPickedFile(file);
      if (fileBase64 === null) {
        setIdentityError({ code: 'SMIME_PKCS12_INVALID' });
        return;
      }
      const r = await api().smime.importIdentity({ fileBase64, password });
      if (!r.ok) {
        setIdentityError(r.error);
        return;
      }
      // The password is not kept anywhere once the key is in the vault.
      setPassword('');
      if (keyFile.current) keyFile.current.value = '';
      setIdentityDone(r.value.subject);
      await load();
    } finally {
      setBusy(false);
    }
  }

  async function importCertificates(e: FormEvent) {
    e.preventDefault();
    setCertificateError(undefined);
    setCertificatesStored(undefined);
    const file = certificateFile.current?.files?.[0];
    const fileBase64 = file ? await readPickedFile(file) : null;
    if (fileBase64 === null) {
      setCertificateError({ code: 'SMIME_CERTIFICATE_INVALID' });
      return;
    }
    const r = await api().smime.importCertificates({ fileBase64 });
    if (!r.ok) {
      setCertificateError(r.error);
      return;
    }
    if (certificateFile.current) certificateFile.current.value = '';
    setCertificatesStored(r.value.stored);
  }

  return (
    <section className="smime-settings" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('smime.settings.heading')}</h2>
      <p>{t('smime.settings.intro')}</p>
      <ErrorMessage error={loadError} />
      {state && (
        <>
          <h3>{t('smime.settings.own')}</h3>
          {state.identities.length === 0 ? (
            <p>{t('smime.settings.noIdentity')}</p>
          ) : (
            <ul className="smime-identities">
              {state.identities.map((identity) => (
                <IdentityCard key={identity.id} identity={identity} onRemoved={() => void load()} />
              ))}
            </ul>
          )}
          {state.identities.length > 0 && !state.canProtect && (
            <p role="status">{t('smime.settings.noIdentityForSender')}</p>
          )}
        </>
      )}
      <form className="smime-import" onSubmit={(e) => void importIdentity(e)} aria-labelledby={`${id}-identity`}>
        <h3 id={`${id}-identity`}>{t('smime.settings.importIdentity')}</h3>
        <label htmlFor={`${id}-key-file`}>{t('smime.settings.keyFile')}</label>
        <input id={`${id}-key-file`} ref={keyFile} type="file" accept=".p12,.pfx,application/x-pkcs12" />
        <label htmlFor={`${id}-password`}>{t('smime.settings.password')}</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="off"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" disabled={busy}>
          {t('smime.settings.importIdentityAction')}
        </button>
        <ErrorMessage error={identityError} />
        {identityDone && <p role="status">{t('smime.settings.identityImported', { subject: identityDone })}</p>}
      </form>
      <form
        className="smime-import"
        onSubmit={(e) => void importCertificates(e)}
        aria-labelledby={`${id}-certificates`}
      >
        <h3 id={`${id}-certificates`}>{t('smime.settings.importCertificates')}</h3>
        <p>{t('smime.settings.certificatesIntro')}</p>
        <label htmlFor={`${id}-certificate-file`}>{t('smime.settings.certificateFile')}</label>
        <input
          id={`${id}-certificate-file`}
          ref={certificateFile}
          type="file"
          accept=".pem,.cer,.crt,.der,.p7c,.p7b,application/pkix-cert,application/pkcs7-mime"
        />
        <button type="submit">{t('smime.settings.importCertificatesAction')}</button>
        <ErrorMessage error={certificateError} />
        {certificatesStored !== undefined && (
          <p role="status">{t('smime.settings.certificatesStored', { count: certificatesStored })}</p>
        )}
      </form>
    </section>
  );
}
