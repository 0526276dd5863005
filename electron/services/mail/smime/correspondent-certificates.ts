import * as pkijs from 'pkijs';
import { checkChain } from './certificate-chain';
import {
  allowsEncryption,
  capabilityOids,
  certificateDer,
  certificateFacts,
  parseCertificate,
  pemBlocks,
} from './certificate-facts';
import { CONTENT_TYPE, parseContentInfo } from './cms-content-info';
import { SmimeError } from './smime-error';
import type { SmimeLayer } from './smime-reading';

/** A correspondent's certificate as we learned it: from a signed mail, a file or the directory. */
export interface CertificateCandidate {
  der: Uint8Array;
  source: 'mail' | 'file' | 'directory';
  /** Ciphers the correspondent announced in a signed mail (SMIMECapabilities attribute). */
  capabilities: string[];
}

export interface CorrespondentCertificate extends CertificateCandidate {
  email: string;
  notBefore: Date;
  notAfter: Date;
}

const MAX_FILE_CERTIFICATES = 32;

/** Signer certificates of the layers whose signature held (good or weak), with what they announced. */
export function candidatesFromReading(layers: SmimeLayer[]): CertificateCandidate[] {
  return layers
    .filter((l) => (l.signature === 'good' || l.signature === 'weak') && l.signerCertificate)
    .map((l) => ({
      der: l.signerCertificate!,
      source: 'mail' as const,
      capabilities: l.smimeCapabilities ? capabilityOids(l.smimeCapabilities) : [],
    }));
}

/**
 * Certificates from a file a person picked: PEM (one or more blocks), a single DER certificate, or a
 * certs-only PKCS#7 bundle (.p7c/.p7b).
 */
export function candidatesFromFile(bytes: Uint8Array): CertificateCandidate[] {
  const text = Buffer.from(bytes).toString('latin1');
  let ders: Uint8Array[] = [];
  if (text.includes('-----BEGIN CERTIFICATE-----')) ders = pemBlocks(text, 'CERTIFICATE');
  else if (text.includes('-----BEGIN PKCS7-----')) ders = certsOnly(pemBlocks(text, 'PKCS7')[0] ?? new Uint8Array());
  else {
    try {
      parseCertificate(bytes);
      ders = [bytes];
    } catch {
      ders = certsOnly(bytes);
    }
  }
  if (ders.length === 0 || ders.length > MAX_FILE_CERTIFICATES) throw new SmimeError('SMIME_CERTIFICATE_INVALID');
  for (const der of ders) {
    try {
      parseCertificate(der);
    } catch {
      throw new SmimeError('SMIME_CERTIFICATE_INVALID');
    }
  }
  return ders.map((der) => ({ der, source: 'file' as const, capabilities: [] }));
}

function certsOnly(der: Uint8Array): Uint8Array[] {
  const info = parseContentInfo(der);
  if (!info || info.contentType !== CONTENT_TYPE.signedData) return [];
  try {
    const sd = new pkijs.SignedData({ schema: info.content });
    return (sd.certificates ?? [])
      .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
      .map(certificateDer);
  } catch {
    return [];
  }
}

/**
 * The newest valid certificate per address: it chains to an anchor now and may be encrypted to.
 * "Newest" is the latest start of validity; capabilities seen for the same certificate are merged.
 */
export async function newestValidPerAddress(
  candidates: CertificateCandidate[],
  anchors: pkijs.Certificate[],
  now = new Date(),
  intermediates: pkijs.Certificate[] = [],
): Promise<Map<string, CorrespondentCertificate>> {
  const best = new Map<string, CorrespondentCertificate>();
  for (const candidate of candidates) {
    let cert: pkijs.Certificate;
    try {
      cert = parseCertificate(candidate.der);
    } catch {
      continue;
    }
    const facts = certificateFacts(cert);
    if (!allowsEncryption(facts)) continue;
    if ((await checkChain(cert, intermediates, anchors, now)).verdict !== 'trusted') continue;
    for (const email of facts.email) {
      const known = best.get(email);
      if (known && Buffer.from(known.der).equals(Buffer.from(candidate.der))) {
        known.capabilities = [...new Set([...known.capabilities, ...candidate.capabilities])];
        continue;
      }
      if (known && known.notBefore >= facts.notBefore) continue;
      best.set(email, { ...candidate, email, notBefore: facts.notBefore, notAfter: facts.notAfter });
    }
  }
  return best;
}
