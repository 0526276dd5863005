import './smime.css';
import { useTranslation } from 'react-i18next';
import type { SmimeStatus, SmimeStatusCode } from '../../../../electron/contract/smime-status';
import { formatDate } from '../../i18n/locale-format';

type Tone = 'ok' | 'warning' | 'error' | 'info';

const TONES: Record<SmimeStatusCode, Tone> = {
  'signed-valid': 'ok',
  encrypted: 'ok',
  'signed-weak': 'warning',
  'signer-expired': 'warning',
  'signer-not-yet-valid': 'warning',
  'signature-unsupported': 'warning',
  'signer-untrusted': 'warning',
  'signature-bad': 'error',
  'signer-mismatch': 'error',
  'encrypted-failed': 'error',
  malformed: 'error',
  refused: 'error',
  'encrypted-no-key': 'info',
};

/** Drawn, not an emoji: Debian's fonts have no glyph for most of them. The sentence carries the meaning. */
function StatusIcon({ tone, encrypted }: { tone: Tone; encrypted: boolean }) {
  const path =
    tone === 'ok'
      ? 'M4 8.5l2.5 2.5L12 5.5'
      : tone === 'error'
        ? 'M5 5l6 6M11 5l-6 6'
        : tone === 'warning'
          ? 'M8 4.5v4M8 11v0.5'
          : 'M8 7.5v4M8 5v0.5';
  return (
    <svg
      className={`smime-icon smime-${tone}`}
      viewBox="0 0 16 16"
      width="18"
      height="18"
      aria-hidden="true"
      focusable="false"
    >
      {encrypted ? (
        <rect x="2.5" y="6.5" width="11" height="8" rx="1.5" fill="none" stroke="currentColor" />
      ) : (
        <circle cx="8" cy="8" r="7" fill="none" stroke="currentColor" />
      )}
      {encrypted && <path d="M5 6.5V4.5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" />}
      {!encrypted && <path d={path} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />}
    </svg>
  );
}

function validityDate(iso: string | undefined, language: string): string {
  return formatDate(iso, language) || '—';
}

/**
 * The one S/MIME status line of the reading pane: an icon and a sentence for the stable code, "also
 * encrypted" when it was, the status of a signed message forwarded inside, and the signer's certificate
 * one click away (a native disclosure: keyboard and screen readers know it).
 */
export function SmimeStatusLine({ status }: { status: SmimeStatus }) {
  const { t, i18n } = useTranslation();
  const tone = TONES[status.code];
  const signer = status.signer;
  const name = signer?.subject.match(/CN=([^,]+)/)?.[1] ?? signer?.email[0] ?? '';
  const sentence = t(`smime.status.${status.code}`, { name, email: signer?.email[0] ?? '' });
  const encryptedToo = status.encrypted && status.code !== 'encrypted';
  return (
    <div className={`smime-status smime-${tone}`} role="status" data-smime-code={status.code}>
      <StatusIcon tone={tone} encrypted={status.code === 'encrypted'} />
      <span className="smime-sentence">
        {sentence}
        {encryptedToo && <span className="smime-also"> · {t('smime.alsoEncrypted')}</span>}
      </span>
      {status.attached && (
        <span className="smime-attached" data-smime-attached={status.attached}>
          {t('smime.attached', { status: t(`smime.status.${status.attached}`, { name: '', email: '' }) })}
        </span>
      )}
      {signer && (
        <details className="smime-certificate">
          <summary>{t('smime.certificate.show')}</summary>
          <dl>
            <dt>{t('smime.certificate.subject')}</dt>
            <dd>{signer.subject}</dd>
            <dt>{t('smime.certificate.email')}</dt>
            <dd>{signer.email.join(', ') || '—'}</dd>
            <dt>{t('smime.certificate.issuer')}</dt>
            <dd>{signer.issuer}</dd>
            <dt>{t('smime.certificate.validity')}</dt>
            <dd>
              {validityDate(signer.notBefore, i18n.language)} – {validityDate(signer.notAfter, i18n.language)}
            </dd>
            {signer.serialHex && (
              <>
                <dt>{t('smime.certificate.serial')}</dt>
                <dd className="smime-mono">{signer.serialHex}</dd>
              </>
            )}
            {signer.fingerprint && (
              <>
                <dt>{t('smime.certificate.fingerprint')}</dt>
                <dd className="smime-mono">{signer.fingerprint}</dd>
              </>
            )}
          </dl>
        </details>
      )}
    </div>
  );
}
