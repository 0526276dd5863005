import type { SmimeCertificateSummary, SmimeStatus, SmimeStatusCode } from '../../../contract/smime-status';
import { certificateFacts, parseCertificate } from './certificate-facts';
import type { SmimeLayer, SmimeReading } from './smime-reading';

const SIGNATURE_CODES: Record<Exclude<SmimeLayer['signature'], 'none'>, SmimeStatusCode> = {
  good: 'signed-valid',
  weak: 'signed-weak',
  bad: 'signature-bad',
  'signer-mismatch': 'signer-mismatch',
  untrusted: 'signer-untrusted',
  expired: 'signer-expired',
  'not-yet-valid': 'signer-not-yet-valid',
  unsupported: 'signature-unsupported',
};

function layerCode(layer: SmimeLayer): SmimeStatusCode {
  if (layer.problem === 'too-large' || layer.problem === 'too-deep') return 'refused';
  if (layer.problem === 'malformed') return 'malformed';
  if (layer.encrypted) {
    if (layer.decryption === 'no-key') return 'encrypted-no-key';
    if (layer.decryption !== 'ok') return 'encrypted-failed';
    return 'encrypted';
  }
  return layer.signature === 'none' ? 'malformed' : SIGNATURE_CODES[layer.signature];
}

/** The worst of the message's own layers decides; an opened encryption yields to the signature inside. */
function headline(layers: SmimeLayer[]): SmimeStatusCode | undefined {
  const codes = layers.map(layerCode);
  const blocking = codes.find(
    (c) => c === 'refused' || c === 'malformed' || c === 'encrypted-no-key' || c === 'encrypted-failed',
  );
  if (blocking) return blocking;
  const signed = codes.find((c) => c !== 'encrypted');
  return signed ?? codes[0];
}

/** The signer as the details view shows it; the reading's short form when the certificate is unreadable. */
function signerSummary(layers: SmimeLayer[]): SmimeCertificateSummary | undefined {
  const layer = layers.find((l) => l.signer);
  if (!layer?.signer) return undefined;
  if (!layer.signerCertificate) return { ...layer.signer };
  try {
    const f = certificateFacts(parseCertificate(layer.signerCertificate));
    return {
      subject: f.subject,
      issuer: f.issuer,
      email: f.email,
      serialHex: f.serialHex,
      notBefore: f.notBefore.toISOString(),
      notAfter: f.notAfter.toISOString(),
      fingerprint: f.fingerprint,
    };
  } catch {
    return { ...layer.signer };
  }
}

/** The reading pane's status line for a reading; null when the message is no S/MIME message. */
export function smimeStatus(reading: SmimeReading): SmimeStatus | null {
  const own = reading.layers.filter((l) => l.scope === 'message');
  const code = headline(own);
  if (!code) return null;
  const attached = headline(reading.layers.filter((l) => l.scope === 'attached'));
  const signer = signerSummary(own);
  return {
    code,
    encrypted: reading.encrypted && reading.decryption === 'ok',
    ...(signer ? { signer } : {}),
    ...(attached ? { attached } : {}),
  };
}
