import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID, parseCertificate, pemBlocks } from './certificate-facts';
import { CONTENT_TYPE } from './cms-content-info';
import { base64Lines, canonicalCrlf, newBoundary } from './mime-output';
import { loadPrivateKey, signingKey } from './smime-key';

const ATTR = {
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  encryptionKeyPreference: '1.2.840.113549.1.9.16.2.11',
};

export interface Signer {
  certificatePem: string;
  privateKeyPem: string;
  /** Intermediate certificates to send along, so recipients can build the chain. */
  chainPem?: string[];
}

/** What we can read, most preferred first: AES-256-GCM, then the CBC ciphers (RFC 8551 §2.5.2). */
function smimeCapabilities(): asn1js.Sequence {
  const cap = (oid: string) => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid })] });
  return new asn1js.Sequence({
    value: [cap(OID.aes256Gcm), cap(OID.aes128Gcm), cap(OID.aes256Cbc), cap(OID.aes192Cbc), cap(OID.aes128Cbc)],
  });
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/** A detached SignedData over the canonical entity, SHA-256, with the attributes Thunderbird sends. */
export async function signDetached(entity: Buffer, signer: Signer, at = new Date()): Promise<Uint8Array> {
  const cert = parseCertificate(signer.certificatePem);
  const key = await signingKey(loadPrivateKey(signer.privateKeyPem));
  const issuerSerial = () => new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber });
  const chain = (signer.chainPem ?? []).flatMap((pem) => pemBlocks(pem, 'CERTIFICATE')).map((d) => parseCertificate(d));
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: CONTENT_TYPE.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: issuerSerial(),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            attribute(ATTR.contentType, new asn1js.ObjectIdentifier({ value: CONTENT_TYPE.data })),
            attribute(ATTR.signingTime, new asn1js.UTCTime({ valueDate: at })),
            attribute(
              ATTR.messageDigest,
              new asn1js.OctetString({ valueHex: createHash('sha256').update(entity).digest() }),
            ),
            attribute(OID.smimeCapabilities, smimeCapabilities()),
            // Which of our certificates to encrypt to (RFC 8551 §2.5.3): the signing one.
            attribute(
              ATTR.encryptionKeyPreference,
              new asn1js.Constructed({
                idBlock: { tagClass: 3, tagNumber: 0 },
                value: issuerSerial().toSchema().valueBlock.value,
              }),
            ),
          ],
        }),
      }),
    ],
    certificates: [cert, ...chain],
  });
  await signedData.sign(key, 0, 'SHA-256');
  const info = new pkijs.ContentInfo({ contentType: CONTENT_TYPE.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(info.toSchema().toBER(false));
}

/**
 * Wraps a MIME entity (its own Content-* headers and body, 7-bit safe) into multipart/signed with an
 * application/pkcs7-signature part, SHA-256: what Thunderbird and Outlook send. The caller puts the
 * message headers (From, To, Subject, …) in front.
 */
export async function signEntity(entity: Buffer, signer: Signer, at = new Date()): Promise<Buffer> {
  const canonical = canonicalCrlf(entity);
  const signature = await signDetached(canonical, signer, at);
  const boundary = newBoundary();
  const head = [
    `Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256;`,
    ` boundary="${boundary}"`,
    '',
    'This is a cryptographically signed message in MIME format.',
    '',
    `--${boundary}`,
    '',
  ].join('\r\n');
  const tail = [
    '',
    `--${boundary}`,
    'Content-Type: application/pkcs7-signature; name="smime.p7s"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="smime.p7s"',
    'Content-Description: S/MIME Cryptographic Signature',
    '',
    base64Lines(signature),
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), canonical, Buffer.from(tail, 'latin1')]);
}
