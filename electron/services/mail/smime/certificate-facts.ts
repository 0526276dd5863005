import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { SignerFacts } from './smime-reading';

/** What a person and the S/MIME checks need to know about one X.509 certificate. */
export interface CertificateFacts extends SignerFacts {
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER, upper-case hex with colons, as certificate viewers show it. */
  fingerprint: string;
  keyAlgorithm: 'rsa' | 'ec' | 'other';
  /** Key usage bits by name; null when the certificate carries no key usage extension (no limit). */
  keyUsage: KeyUsageName[] | null;
  /** Extended key usage OIDs; null when absent (no limit). */
  extendedKeyUsage: string[] | null;
  isCa: boolean;
  /** OIDs the certificate's SMIMECapabilities extension (RFC 4262) lists, in order of preference. */
  smimeCapabilities: string[];
}

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGE_BITS: KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

export const OID = {
  emailAddress: '1.2.840.113549.1.9.1',
  smimeCapabilities: '1.2.840.113549.1.9.15',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  anyExtendedKeyUsage: '2.5.29.37.0',
  subjectAltName: '2.5.29.17',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  subjectKeyIdentifier: '2.5.29.14',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  aes128Cbc: '2.16.840.1.101.3.4.1.2',
  aes192Cbc: '2.16.840.1.101.3.4.1.22',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  aes128Gcm: '2.16.840.1.101.3.4.1.6',
  aes192Gcm: '2.16.840.1.101.3.4.1.26',
  aes256Gcm: '2.16.840.1.101.3.4.1.46',
} as const;

const NAME_LABELS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '2.5.4.4': 'SN',
  '2.5.4.42': 'GN',
  [OID.emailAddress]: 'E',
};

/** One PEM block or DER bytes → a parsed certificate; throws on anything else. */
export function parseCertificate(input: string | Uint8Array): pkijs.Certificate {
  const der = typeof input === 'string' ? pemToDer(input, 'CERTIFICATE') : input;
  return pkijs.Certificate.fromBER(new Uint8Array(der));
}

/** Every block of that label in a PEM text, as DER. */
export function pemBlocks(pem: string, label: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  for (let at = pem.indexOf(begin); at >= 0; at = pem.indexOf(begin, at + begin.length)) {
    const stop = pem.indexOf(end, at);
    if (stop < 0) break;
    out.push(new Uint8Array(Buffer.from(pem.slice(at + begin.length, stop).replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')));
  }
  return out;
}

export function pemToDer(pem: string, label: string): Uint8Array {
  const first = pemBlocks(pem, label)[0];
  if (!first) throw new Error(`no ${label} block`);
  return first;
}

export function derToPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function certificateDer(cert: pkijs.Certificate): Uint8Array {
  return new Uint8Array(cert.toSchema().toBER(false));
}

function attributeText(value: pkijs.AttributeTypeAndValue['value']): string {
  const block = value as unknown as { valueBlock?: { value?: unknown } };
  const v = block.valueBlock?.value;
  return typeof v === 'string' ? v : '';
}

/** "CN=Alice Muster, O=Stadt Beispiel" — the common short labels, dotted OIDs for the rest. */
export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${NAME_LABELS[tv.type] ?? tv.type}=${attributeText(tv.value)}`)
    .reverse()
    .join(', ');
}

function extension(cert: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return cert.extensions?.find((e) => e.extnID === oid);
}

/** The certificate's e-mail addresses (subjectAltName rfc822Name, then the subject's emailAddress), lower case. */
export function certificateEmails(cert: pkijs.Certificate): string[] {
  const emails = new Set<string>();
  const san = extension(cert, OID.subjectAltName)?.parsedValue as pkijs.AltName | undefined;
  for (const name of san?.altNames ?? []) {
    if (name.type === 1 && typeof name.value === 'string') emails.add(name.value.trim().toLowerCase());
  }
  for (const tv of cert.subject.typesAndValues) {
    if (tv.type === OID.emailAddress) {
      const v = attributeText(tv.value).trim().toLowerCase();
      if (v) emails.add(v);
    }
  }
  return [...emails];
}

function keyUsage(cert: pkijs.Certificate): KeyUsageName[] | null {
  const ext = extension(cert, OID.keyUsage);
  if (!ext) return null;
  const bits = ext.parsedValue as asn1js.BitString | undefined;
  const bytes = bits?.valueBlock.valueHexView ?? new Uint8Array();
  const names: KeyUsageName[] = [];
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = bytes[i >> 3] ?? 0;
    if (byte & (0x80 >> (i & 7))) names.push(name);
  });
  return names;
}

function extendedKeyUsage(cert: pkijs.Certificate): string[] | null {
  const ext = extension(cert, OID.extKeyUsage);
  if (!ext) return null;
  return (ext.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [];
}

/** The OIDs of an SMIMECapabilities value (SEQUENCE OF SEQUENCE { capabilityID, parameters }). */
export function capabilityOids(der: Uint8Array): string[] {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return [];
  const oids: string[] = [];
  for (const cap of parsed.result.valueBlock.value) {
    const first = cap instanceof asn1js.Sequence ? cap.valueBlock.value[0] : undefined;
    if (first instanceof asn1js.ObjectIdentifier) oids.push(first.valueBlock.toString());
  }
  return oids;
}

export function certificateFacts(cert: pkijs.Certificate): CertificateFacts {
  const der = certificateDer(cert);
  const spkiOid = cert.subjectPublicKeyInfo.algorithm.algorithmId;
  const basic = extension(cert, OID.basicConstraints)?.parsedValue as pkijs.BasicConstraints | undefined;
  const caps = extension(cert, OID.smimeCapabilities);
  return {
    email: certificateEmails(cert),
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    serialHex: Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex'),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    fingerprint: createHash('sha256')
      .update(der)
      .digest('hex')
      .toUpperCase()
      .replace(/(..)(?!$)/g, '$1:'),
    keyAlgorithm:
      spkiOid === OID.rsaEncryption || spkiOid === OID.rsaPss ? 'rsa' : spkiOid === OID.ecPublicKey ? 'ec' : 'other',
    keyUsage: keyUsage(cert),
    extendedKeyUsage: extendedKeyUsage(cert),
    isCa: basic?.cA === true,
    smimeCapabilities: caps ? capabilityOids(caps.extnValue.valueBlock.valueHexView) : [],
  };
}

/** Fit for S/MIME signing: key usage (when limited) allows signatures, extended key usage (when limited) mail. */
export function allowsSigning(facts: CertificateFacts): boolean {
  const ku =
    facts.keyUsage === null || facts.keyUsage.includes('digitalSignature') || facts.keyUsage.includes('nonRepudiation');
  return ku && allowsEmail(facts);
}

/** Fit for receiving encrypted mail: key transport (RSA) or key agreement (EC), and mail protection. */
export function allowsEncryption(facts: CertificateFacts): boolean {
  if (facts.keyAlgorithm === 'other') return false;
  const need: KeyUsageName = facts.keyAlgorithm === 'ec' ? 'keyAgreement' : 'keyEncipherment';
  return (facts.keyUsage === null || facts.keyUsage.includes(need)) && allowsEmail(facts);
}

function allowsEmail(facts: CertificateFacts): boolean {
  const eku = facts.extendedKeyUsage;
  return eku === null || eku.includes(OID.emailProtection) || eku.includes(OID.anyExtendedKeyUsage);
}
