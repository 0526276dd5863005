import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { certificateFacts, derToPem, parseCertificate, type CertificateFacts } from './certificate-facts';
import { SmimeError } from './smime-error';

export interface ImportedIdentity {
  certificatePem: string;
  /** PKCS#8, unencrypted: the caller keeps it only inside the encrypted vault. */
  privateKeyPem: string;
  /** The other certificates of the file (issuers), leaf's issuer first where the file says so. */
  chainPem: string[];
  facts: CertificateFacts;
}

/** Largest .p12/.pfx we open: real ones are a few kilobytes. */
const MAX_PKCS12_BYTES = 1024 * 1024;

function spkiOf(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
}

function keyFromBag(bag: forge.pkcs12.Bag): KeyObject | null {
  // forge decodes RSA keys itself and hands over EC keys (and others) as ASN.1.
  const der = bag.key
    ? forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))).getBytes()
    : bag.asn1
      ? forge.asn1.toDer(bag.asn1).getBytes()
      : null;
  if (der === null) return null;
  try {
    return createPrivateKey({ key: Buffer.from(der, 'binary'), format: 'der', type: 'pkcs8' });
  } catch {
    return null;
  }
}

function certDerFromBag(bag: forge.pkcs12.Bag): Buffer | null {
  const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
  return asn1 ? Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary') : null;
}

/**
 * Opens a PKCS#12 file (.p12/.pfx) with its password: node-forge checks the MAC and decrypts the
 * bags (PBES2/AES as OpenSSL 3 and current Windows write it, and the older 3DES/RC2 forms). The
 * certificate whose public key matches the private key is the identity; the rest is its chain.
 */
export function importPkcs12(bytes: Uint8Array, password: string): ImportedIdentity {
  if (bytes.length > MAX_PKCS12_BYTES) throw new SmimeError('SMIME_PKCS12_INVALID', 'file too large');
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch (e) {
    const message = e instanceof Error ? e.message : '';
    if (/password|mac/i.test(message)) throw new SmimeError('SMIME_PKCS12_PASSWORD');
    throw new SmimeError('SMIME_PKCS12_INVALID', message.slice(0, 200));
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ];
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const keys = keyBags.map(keyFromBag).filter((k): k is KeyObject => k !== null);
  if (keys.length === 0) throw new SmimeError('SMIME_PKCS12_NO_KEY');
  const certs = certBags.map(certDerFromBag).filter((c): c is Buffer => c !== null);

  for (const key of keys) {
    const wanted = spkiOf(key);
    const leaf = certs.find((der) => {
      try {
        return (
          createPublicKey({ key: derToPem(der, 'CERTIFICATE'), format: 'pem' })
            .export({ type: 'spki', format: 'der' })
            .toString('base64') === wanted
        );
      } catch {
        return false;
      }
    });
    if (!leaf) continue;
    return {
      certificatePem: derToPem(leaf, 'CERTIFICATE'),
      privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
      chainPem: certs.filter((c) => c !== leaf).map((c) => derToPem(c, 'CERTIFICATE')),
      facts: certificateFacts(parseCertificate(leaf)),
    };
  }
  throw new SmimeError('SMIME_PKCS12_NO_KEY', 'no certificate matches the private key');
}
