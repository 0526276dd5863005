import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * ECDH ephemeral-static key agreement for CMS (RFC 5753, 8418 names): the schemes, the key-wrap
 * algorithms and the X9.63 shared info, shared by the decrypting and the encrypting side.
 */
export const KEY_AGREEMENT: Record<string, { hash: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512' }> = {
  '1.3.133.16.840.63.0.2': { hash: 'SHA-1' }, // dhSinglePass-stdDH-sha1kdf-scheme
  '1.3.132.1.11.1': { hash: 'SHA-256' },
  '1.3.132.1.11.2': { hash: 'SHA-384' },
  '1.3.132.1.11.3': { hash: 'SHA-512' },
};

export const ECDH_SHA256_KDF = '1.3.132.1.11.1';
export const AES256_WRAP = '2.16.840.1.101.3.4.1.45';

export const KEY_WRAP: Record<string, { keyLength: 16 | 24 | 32 }> = {
  '2.16.840.1.101.3.4.1.5': { keyLength: 16 },
  '2.16.840.1.101.3.4.1.25': { keyLength: 24 },
  [AES256_WRAP]: { keyLength: 32 },
};

export function keyWrapCipher(keyLength: number): string {
  return `id-aes${keyLength * 8}-wrap`;
}

/** ECC-CMS-SharedInfo: the key-wrap algorithm, the optional user keying material, the KEK length in bits. */
export function x963SharedInfo(
  wrapOid: string,
  keyLength: number,
  ukm: Uint8Array | undefined,
  withNull: boolean,
): ArrayBuffer {
  const bits = new Uint8Array(4);
  new DataView(bits.buffer).setUint32(0, keyLength * 8);
  return new pkijs.ECCCMSSharedInfo({
    keyInfo: new pkijs.AlgorithmIdentifier({
      algorithmId: wrapOid,
      ...(withNull ? { algorithmParams: new asn1js.Null() } : {}),
    }),
    ...(ukm ? { entityUInfo: new asn1js.OctetString({ valueHex: ukm }) } : {}),
    suppPubInfo: new asn1js.OctetString({ valueHex: bits }),
  })
    .toSchema()
    .toBER(false);
}
