import {
  constants,
  createCipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { allowsEncryption, certificateFacts, OID, parseCertificate } from './certificate-facts';
import { CONTENT_TYPE } from './cms-content-info';
import { AES256_WRAP, ECDH_SHA256_KDF, keyWrapCipher, x963SharedInfo } from './key-agreement';
import { base64Lines, canonicalCrlf } from './mime-output';
import { SmimeError } from './smime-error';

export interface EncryptionRecipient {
  certificatePem: string;
  /**
   * Cipher OIDs the recipient announced in a signed mail's SMIMECapabilities attribute; the
   * certificate's own SMIMECapabilities extension counts too.
   */
  capabilities?: string[];
}

export interface EncryptOptions {
  recipients: EncryptionRecipient[];
  /** The sender's own certificate: always a recipient too, so the Sent copy stays readable. */
  self: EncryptionRecipient;
}

interface Recipient {
  cert: pkijs.Certificate;
  publicKey: KeyObject;
  announcesGcm: boolean;
}

function recipientOf(r: EncryptionRecipient): Recipient {
  let cert: pkijs.Certificate;
  try {
    cert = parseCertificate(r.certificatePem);
  } catch {
    throw new SmimeError('SMIME_CERTIFICATE_INVALID');
  }
  const facts = certificateFacts(cert);
  if (!allowsEncryption(facts)) throw new SmimeError('SMIME_RECIPIENT_UNSUITABLE', facts.email.join(', '));
  const spki = Buffer.from(cert.subjectPublicKeyInfo.toSchema().toBER(false));
  const caps = [...facts.smimeCapabilities, ...(r.capabilities ?? [])];
  return {
    cert,
    publicKey: createPublicKey({ key: spki, format: 'der', type: 'spki' }),
    announcesGcm: caps.includes(OID.aes256Gcm),
  };
}

function issuerSerial(cert: pkijs.Certificate): pkijs.IssuerAndSerialNumber {
  return new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber });
}

/** RSA: key transport with RSAES-PKCS1-v1_5, what Thunderbird and Outlook send and every client reads. */
function keyTransport(r: Recipient, cek: Buffer): pkijs.RecipientInfo {
  const encrypted = publicEncrypt({ key: r.publicKey, padding: constants.RSA_PKCS1_PADDING }, cek);
  return new pkijs.RecipientInfo({
    variant: 1,
    value: new pkijs.KeyTransRecipientInfo({
      version: 0,
      rid: issuerSerial(r.cert),
      keyEncryptionAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: OID.rsaEncryption,
        algorithmParams: new asn1js.Null(),
      }),
      encryptedKey: new asn1js.OctetString({ valueHex: encrypted }),
    }),
  });
}

/** EC: ephemeral-static ECDH, X9.63 KDF with SHA-256, AES-256 key wrap (RFC 5753). */
async function keyAgreement(r: Recipient, cek: Buffer): Promise<pkijs.RecipientInfo> {
  const curve = r.publicKey.asymmetricKeyDetails?.namedCurve;
  if (!curve) throw new SmimeError('SMIME_RECIPIENT_UNSUITABLE', 'EC key without a named curve');
  const ephemeral = generateKeyPairSync('ec', { namedCurve: curve });
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: r.publicKey });
  const info = x963SharedInfo(AES256_WRAP, 32, undefined, false);
  const kek = Buffer.from(await pkijs.kdf('SHA-256', new Uint8Array(shared).buffer, 256, info));
  const cipher = createCipheriv(keyWrapCipher(32), kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
  const wrapped = Buffer.concat([cipher.update(cek), cipher.final()]);
  const ephemeralSpki = pkijs.PublicKeyInfo.fromBER(ephemeral.publicKey.export({ type: 'spki', format: 'der' }));
  return new pkijs.RecipientInfo({
    variant: 2,
    value: new pkijs.KeyAgreeRecipientInfo({
      version: 3,
      originator: new pkijs.OriginatorIdentifierOrKey({
        variant: 3,
        value: new pkijs.OriginatorPublicKey({
          algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecPublicKey }),
          publicKey: ephemeralSpki.subjectPublicKey,
        }),
      }),
      keyEncryptionAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: ECDH_SHA256_KDF,
        algorithmParams: new pkijs.AlgorithmIdentifier({ algorithmId: AES256_WRAP }).toSchema(),
      }),
      recipientEncryptedKeys: new pkijs.RecipientEncryptedKeys({
        encryptedKeys: [
          new pkijs.RecipientEncryptedKey({
            rid: new pkijs.KeyAgreeRecipientIdentifier({ variant: 1, value: issuerSerial(r.cert) }),
            encryptedKey: new asn1js.OctetString({ valueHex: wrapped }),
          }),
        ],
      }),
    }),
  });
}

async function recipientInfo(r: Recipient, cek: Buffer): Promise<pkijs.RecipientInfo> {
  return r.publicKey.asymmetricKeyType === 'ec' ? keyAgreement(r, cek) : keyTransport(r, cek);
}

/** Everyone once: the same certificate named twice (self among the recipients) gets one entry. */
function distinct(list: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const id = Buffer.from(r.cert.toSchema().toBER(false)).toString('base64');
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * EnvelopedData with AES-256-CBC, or AuthEnvelopedData with AES-256-GCM when every recipient
 * announced GCM (RFC 8551 §2.7). Returns the DER of the ContentInfo and which cipher it used.
 */
export async function encryptContent(
  entity: Buffer,
  options: EncryptOptions,
): Promise<{ der: Uint8Array; cipher: 'aes-256-gcm' | 'aes-256-cbc' }> {
  const recipients = distinct([recipientOf(options.self), ...options.recipients.map(recipientOf)]);
  const gcm = recipients.every((r) => r.announcesGcm);
  const cek = randomBytes(32);
  const infos = await Promise.all(recipients.map((r) => recipientInfo(r, cek)));
  const anyAgreement = infos.some((i) => i.variant === 2);

  if (gcm) {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', cek, nonce, { authTagLength: 16 });
    const encrypted = Buffer.concat([cipher.update(entity), cipher.final()]);
    const content = new pkijs.EncryptedContentInfo({
      contentType: CONTENT_TYPE.data,
      contentEncryptionAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: OID.aes256Gcm,
        algorithmParams: new asn1js.Sequence({
          value: [new asn1js.OctetString({ valueHex: nonce }), new asn1js.Integer({ value: 16 })],
        }),
      }),
      encryptedContent: new asn1js.OctetString({ valueHex: encrypted }),
    });
    const authEnveloped = new asn1js.Sequence({
      value: [
        new asn1js.Integer({ value: 0 }),
        new asn1js.Set({ value: infos.map((i) => i.toSchema()) }),
        content.toSchema(),
        new asn1js.OctetString({ valueHex: cipher.getAuthTag() }),
      ],
    });
    const info = new pkijs.ContentInfo({ contentType: CONTENT_TYPE.authEnvelopedData, content: authEnveloped });
    return { der: new Uint8Array(info.toSchema().toBER(false)), cipher: 'aes-256-gcm' };
  }

  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', cek, iv);
  const encrypted = Buffer.concat([cipher.update(entity), cipher.final()]);
  const enveloped = new pkijs.EnvelopedData({
    // RFC 5652 §6.1: version 2 as soon as one recipient entry is not version 0 (key agreement is 3).
    version: anyAgreement ? 2 : 0,
    recipientInfos: infos,
    encryptedContentInfo: new pkijs.EncryptedContentInfo({
      contentType: CONTENT_TYPE.data,
      contentEncryptionAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: OID.aes256Cbc,
        algorithmParams: new asn1js.OctetString({ valueHex: iv }),
      }),
      encryptedContent: new asn1js.OctetString({ valueHex: encrypted }),
    }),
  });
  const info = new pkijs.ContentInfo({ contentType: CONTENT_TYPE.envelopedData, content: enveloped.toSchema() });
  return { der: new Uint8Array(info.toSchema().toBER(false)), cipher: 'aes-256-cbc' };
}

/**
 * Wraps a MIME entity into application/pkcs7-mime: smime-type=enveloped-data for CBC,
 * authEnveloped-data for GCM (RFC 8551 §3.2.2). The caller puts the message headers in front.
 */
export async function encryptEntity(entity: Buffer, options: EncryptOptions): Promise<Buffer> {
  const { der, cipher } = await encryptContent(canonicalCrlf(entity), options);
  const smimeType = cipher === 'aes-256-gcm' ? 'authEnveloped-data' : 'enveloped-data';
  const head = [
    `Content-Type: application/pkcs7-mime; smime-type=${smimeType}; name="smime.p7m"`,
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="smime.p7m"',
    'Content-Description: S/MIME Encrypted Message',
    '',
    base64Lines(der),
    '',
  ].join('\r\n');
  return Buffer.from(head, 'latin1');
}
