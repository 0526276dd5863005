import { createPrivateKey, webcrypto, type KeyObject } from 'node:crypto';
import { SmimeError } from './smime-error';

const CURVES: Record<string, 'P-256' | 'P-384' | 'P-521'> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

export function loadPrivateKey(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new SmimeError('SMIME_KEY_UNSUPPORTED', 'the private key cannot be read');
  }
}

/** The named curve of an EC key in WebCrypto's spelling. */
export function webCurve(key: KeyObject): 'P-256' | 'P-384' | 'P-521' {
  const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
  if (!curve) throw new SmimeError('SMIME_KEY_UNSUPPORTED', `curve ${key.asymmetricKeyDetails?.namedCurve ?? '?'}`);
  return curve;
}

/** A WebCrypto signing key for PKI.js: RSA PKCS#1 v1.5 or ECDSA, with SHA-256. */
export async function signingKey(key: KeyObject): Promise<webcrypto.CryptoKey> {
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  if (key.asymmetricKeyType === 'rsa') {
    return webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  }
  if (key.asymmetricKeyType === 'ec') {
    return webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: webCurve(key) }, false, ['sign']);
  }
  throw new SmimeError('SMIME_KEY_UNSUPPORTED', key.asymmetricKeyType ?? 'unknown key type');
}
