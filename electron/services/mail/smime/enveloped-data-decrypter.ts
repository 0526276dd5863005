import {
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  createHash,
  diffieHellman,
  privateDecrypt,
  randomBytes,
  constants,
  type KeyObject,
} from 'node:crypto';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { OID, parseCertificate } from './certificate-facts';
import { CONTENT_TYPE } from './cms-content-info';
import { KEY_AGREEMENT, KEY_WRAP, keyWrapCipher, x963SharedInfo } from './key-agreement';
import {
  SMIME_LIMITS,
  type DecryptionStatus,
  type SmimeIdentity,
  type SmimeLayer,
  type SmimeProblem,
} from './smime-reading';

const RSA_OAEP = '1.2.840.113549.1.1.7';
const DES_EDE3_CBC = '1.2.840.113549.3.7';

const CBC_CIPHERS: Record<string, { name: string; keyLength: number; label: string }> = {
  [OID.aes128Cbc]: { name: 'aes-128-cbc', keyLength: 16, label: 'aes-128-cbc' },
  [OID.aes192Cbc]: { name: 'aes-192-cbc', keyLength: 24, label: 'aes-192-cbc' },
  [OID.aes256Cbc]: { name: 'aes-256-cbc', keyLength: 32, label: 'aes-256-cbc' },
  [DES_EDE3_CBC]: { name: 'des-ede3-cbc', keyLength: 24, label: '3des-cbc' },
};
const GCM_CIPHERS: Record<string, { name: 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm'; keyLength: number }> = {
  [OID.aes128Gcm]: { name: 'aes-128-gcm', keyLength: 16 },
  [OID.aes192Gcm]: { name: 'aes-192-gcm', keyLength: 24 },
  [OID.aes256Gcm]: { name: 'aes-256-gcm', keyLength: 32 },
};
const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** The parts of EnvelopedData and AuthEnvelopedData (RFC 5083) that decryption needs. */
interface Envelope {
  kind: 'enveloped' | 'auth-enveloped';
  recipientInfos: pkijs.RecipientInfo[];
  content: pkijs.EncryptedContentInfo;
  /** AuthEnvelopedData only: the MAC (the GCM tag) and the DER of authAttrs as AAD. */
  mac?: Uint8Array;
  aad?: Uint8Array;
}

interface Identity {
  cert: pkijs.Certificate;
  key: KeyObject;
  subjectKeyId: Uint8Array;
}

function layerWith(
  kind: Envelope['kind'] | 'unknown',
  decryption: DecryptionStatus,
  problem?: SmimeProblem,
): SmimeLayer {
  return {
    kind,
    scope: 'message',
    signature: 'none',
    encrypted: true,
    decryption,
    ...(problem ? { problem } : {}),
  };
}

function parseAuthEnveloped(schema: asn1js.AsnType): Envelope | null {
  if (!(schema instanceof asn1js.Sequence)) return null;
  const items = schema.valueBlock.value;
  let i = 0;
  if (!(items[i++] instanceof asn1js.Integer)) return null;
  if (items[i]?.idBlock.tagClass === 3 && items[i]?.idBlock.tagNumber === 0) i++; // originatorInfo
  const set = items[i++];
  if (!(set instanceof asn1js.Set)) return null;
  const content = new pkijs.EncryptedContentInfo({ schema: items[i++] });
  let aad: Uint8Array | undefined;
  const maybeAttrs = items[i];
  if (maybeAttrs?.idBlock.tagClass === 3 && maybeAttrs.idBlock.tagNumber === 1) {
    // RFC 5083 §2.2: the AAD is the DER of authAttrs with the EXPLICIT SET OF tag, not the [1] tag.
    aad = new Uint8Array(maybeAttrs.toBER(false));
    aad[0] = 0x31;
    i++;
  }
  const mac = items[i];
  if (!(mac instanceof asn1js.OctetString)) return null;
  return {
    kind: 'auth-enveloped',
    recipientInfos: set.valueBlock.value.map((r) => new pkijs.RecipientInfo({ schema: r })),
    content,
    mac: new Uint8Array(mac.getValue()),
    ...(aad ? { aad } : {}),
  };
}

function parseEnvelope(contentType: string, schema: asn1js.AsnType): Envelope | null {
  try {
    if (contentType === CONTENT_TYPE.authEnvelopedData) return parseAuthEnveloped(schema);
    const ed = new pkijs.EnvelopedData({ schema });
    return { kind: 'enveloped', recipientInfos: ed.recipientInfos, content: ed.encryptedContentInfo };
  } catch {
    return null;
  }
}

function subjectKeyIdOf(cert: pkijs.Certificate): Uint8Array {
  const ext = cert.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  const v = ext?.parsedValue as asn1js.OctetString | undefined;
  if (v) return v.valueBlock.valueHexView;
  return createHash('sha1').update(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

function matchesIssuerSerial(id: pkijs.IssuerAndSerialNumber, cert: pkijs.Certificate): boolean {
  return cert.issuer.isEqual(id.issuer) && cert.serialNumber.isEqual(id.serialNumber);
}

function loadIdentities(identities: SmimeIdentity[]): Identity[] {
  const out: Identity[] = [];
  for (const id of identities) {
    try {
      const cert = parseCertificate(id.certificatePem);
      out.push({ cert, key: createPrivateKey(id.privateKeyPem), subjectKeyId: subjectKeyIdOf(cert) });
    } catch {
      // an unreadable identity cannot open anything; the others still may
    }
  }
  return out;
}

/** RSAES-PKCS1-v1_5 key transport, what Thunderbird and Outlook send. */
function rsaPkcs1Decrypt(key: KeyObject, encrypted: Uint8Array, keyLength: number): Buffer {
  // Node 20's OpenSSL 3.0 refuses PKCS#1 v1.5 private decryption (CVE-2023-46809, no implicit
  // rejection); node-forge's RSA does it. On a padding error we go on with a random key (RFC 3218
  // §2.3.2), so a bad padding and a bad content look the same: 'failed'.
  const pem = key.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  try {
    const out = Buffer.from(forgeKey.decrypt(Buffer.from(encrypted).toString('binary'), 'RSAES-PKCS1-V1_5'), 'binary');
    if (out.length === keyLength) return out;
  } catch {
    // fall through to the random key
  }
  return randomBytes(keyLength);
}

function rsaOaepDecrypt(key: KeyObject, encrypted: Uint8Array, params: asn1js.AsnType | undefined): Buffer {
  const oaep =
    params instanceof asn1js.Sequence ? new pkijs.RSAESOAEPParams({ schema: params }) : new pkijs.RSAESOAEPParams();
  const hash = HASHES[oaep.hashAlgorithm.algorithmId];
  const mgfHashOid = oaep.maskGenAlgorithm.algorithmParams
    ? new pkijs.AlgorithmIdentifier({ schema: oaep.maskGenAlgorithm.algorithmParams }).algorithmId
    : '1.3.14.3.2.26';
  if (!hash || HASHES[mgfHashOid] !== hash) throw new Error('unsupported OAEP parameters');
  return privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, encrypted);
}

async function unwrapKeyAgreement(
  kari: pkijs.KeyAgreeRecipientInfo,
  encryptedKey: Uint8Array,
  identity: Identity,
): Promise<Buffer> {
  const scheme = KEY_AGREEMENT[kari.keyEncryptionAlgorithm.algorithmId];
  if (!scheme) throw new Error('unsupported key agreement');
  const wrapAlg = new pkijs.AlgorithmIdentifier({ schema: kari.keyEncryptionAlgorithm.algorithmParams });
  const wrap = KEY_WRAP[wrapAlg.algorithmId];
  if (!wrap) throw new Error('unsupported key wrap');
  if (kari.originator.variant !== 3) throw new Error('originator is not an ephemeral key');
  const originator = kari.originator.value as pkijs.OriginatorPublicKey;
  // The ephemeral key's curve is the recipient's (RFC 5753 lets the sender leave it out).
  const curve = identity.cert.subjectPublicKeyInfo.algorithm.algorithmParams as asn1js.AsnType | undefined;
  const spki = new pkijs.PublicKeyInfo({
    algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecPublicKey, algorithmParams: curve }),
    subjectPublicKey: originator.publicKey,
  });
  const publicKey = createPublicKey({ key: Buffer.from(spki.toSchema().toBER(false)), format: 'der', type: 'spki' });
  const shared = diffieHellman({ privateKey: identity.key, publicKey });
  const ukm = kari.ukm ? kari.ukm.valueBlock.valueHexView : undefined;
  let lastError: unknown;
  // Some senders encode the wrap algorithm in the shared info with NULL parameters: try both.
  for (const withNull of [false, true]) {
    try {
      const info = x963SharedInfo(wrapAlg.algorithmId, wrap.keyLength, ukm, withNull);
      const kek = Buffer.from(await pkijs.kdf(scheme.hash, new Uint8Array(shared).buffer, wrap.keyLength * 8, info));
      const decipher = createDecipheriv(keyWrapCipher(wrap.keyLength), kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
      return Buffer.concat([decipher.update(encryptedKey), decipher.final()]);
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError instanceof Error ? lastError : new Error('key unwrap failed');
}

type Found = { identity: Identity; unwrap: (keyLength: number) => Promise<Buffer> };

/** The first recipient entry that names one of our certificates, with a way to get the content key. */
function findRecipient(envelope: Envelope, identities: Identity[]): Found | null {
  for (const info of envelope.recipientInfos) {
    for (const identity of identities) {
      if (info.variant === 1) {
        const ktri = info.value as pkijs.KeyTransRecipientInfo;
        const rid = ktri.rid;
        const match =
          rid instanceof pkijs.IssuerAndSerialNumber
            ? matchesIssuerSerial(rid, identity.cert)
            : rid instanceof asn1js.OctetString && sameBytes(rid.valueBlock.valueHexView, identity.subjectKeyId);
        if (!match) continue;
        const encrypted = ktri.encryptedKey.valueBlock.valueHexView;
        const alg = ktri.keyEncryptionAlgorithm;
        return {
          identity,
          unwrap: async (keyLength) => {
            if (alg.algorithmId === OID.rsaEncryption) return rsaPkcs1Decrypt(identity.key, encrypted, keyLength);
            if (alg.algorithmId === RSA_OAEP) return rsaOaepDecrypt(identity.key, encrypted, alg.algorithmParams);
            throw new Error('unsupported key transport');
          },
        };
      }
      if (info.variant === 2) {
        const kari = info.value as pkijs.KeyAgreeRecipientInfo;
        for (const rek of kari.recipientEncryptedKeys.encryptedKeys) {
          const rid = rek.rid;
          const match =
            rid.variant === 1
              ? matchesIssuerSerial(rid.value as pkijs.IssuerAndSerialNumber, identity.cert)
              : sameBytes(
                  (rid.value as pkijs.RecipientKeyIdentifier).subjectKeyIdentifier.valueBlock.valueHexView,
                  identity.subjectKeyId,
                );
          if (!match) continue;
          return {
            identity,
            unwrap: () => unwrapKeyAgreement(kari, rek.encryptedKey.valueBlock.valueHexView, identity),
          };
        }
      }
    }
  }
  return null;
}

function decryptContent(envelope: Envelope, key: Buffer): { plain: Buffer; cipher: string } {
  const alg = envelope.content.contentEncryptionAlgorithm;
  const data = Buffer.from(envelope.content.getEncryptedContent());
  const cbc = CBC_CIPHERS[alg.algorithmId];
  if (cbc && envelope.kind === 'enveloped') {
    const iv = (alg.algorithmParams as asn1js.OctetString).valueBlock.valueHexView;
    const decipher = createDecipheriv(cbc.name, key, iv);
    return { plain: Buffer.concat([decipher.update(data), decipher.final()]), cipher: cbc.label };
  }
  const gcm = GCM_CIPHERS[alg.algorithmId];
  if (gcm && envelope.kind === 'auth-enveloped' && envelope.mac) {
    const params = alg.algorithmParams as asn1js.Sequence;
    const nonce = (params.valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView;
    const decipher = createDecipheriv(gcm.name, key, nonce, { authTagLength: envelope.mac.length });
    if (envelope.aad) decipher.setAAD(envelope.aad);
    decipher.setAuthTag(envelope.mac);
    return { plain: Buffer.concat([decipher.update(data), decipher.final()]), cipher: gcm.name };
  }
  throw new Error('unsupported content cipher');
}

function contentKeyLength(envelope: Envelope): number | null {
  const id = envelope.content.contentEncryptionAlgorithm.algorithmId;
  return CBC_CIPHERS[id]?.keyLength ?? GCM_CIPHERS[id]?.keyLength ?? null;
}

export interface DecryptResult {
  layer: SmimeLayer;
  plain?: Buffer;
}

/** Opens EnvelopedData or AuthEnvelopedData with one of the identities. Never throws. */
export async function decryptEnvelope(
  contentType: string,
  schema: asn1js.AsnType,
  identities: SmimeIdentity[],
): Promise<DecryptResult> {
  const envelope = parseEnvelope(contentType, schema);
  if (!envelope) return { layer: layerWith('unknown', 'failed', 'malformed') };
  if (envelope.recipientInfos.length > SMIME_LIMITS.maxRecipients) {
    return { layer: layerWith(envelope.kind, 'failed', 'too-large') };
  }
  const keyLength = contentKeyLength(envelope);
  if (keyLength === null) return { layer: layerWith(envelope.kind, 'failed', 'unknown-algorithm') };
  const found = findRecipient(envelope, loadIdentities(identities));
  if (!found) return { layer: layerWith(envelope.kind, 'no-key', 'no-matching-recipient') };
  let key: Buffer;
  try {
    key = await found.unwrap(keyLength);
    if (key.length !== keyLength) throw new Error('content key of the wrong length');
  } catch {
    return { layer: layerWith(envelope.kind, 'failed', 'key-unwrap-failed') };
  }
  try {
    const { plain, cipher } = decryptContent(envelope, key);
    return { layer: { ...layerWith(envelope.kind, 'ok'), cipher }, plain };
  } catch {
    return { layer: layerWith(envelope.kind, 'failed', 'content-decryption-failed') };
  }
}
