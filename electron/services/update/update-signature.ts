import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * Detached signatures of Linux updates (.deb, AppImage). electron-updater checks a downloaded Windows or
 * macOS update against the OS code signature, but a Linux package only against the SHA-512 in the update
 * server's own yml — whoever controls the server controls the update (and a .deb is installed as root).
 * So a Linux update installs only when `<artifact>.sig` verifies against the public key built into the
 * app: an Ed25519 signature over the artifact's SHA-512 digest (scripts/sign-update.sh makes it with
 * OpenSSL in the release workflow). Only node:crypto here, no cryptography of our own.
 */

/** An Ed25519 signature is 64 bytes; the .sig file is exactly that, raw. */
export const SIGNATURE_BYTES = 64;

/** The built-in key, or undefined when it is missing or not an Ed25519 public key (then nothing verifies). */
export function updatePublicKey(pem: string): KeyObject | undefined {
  if (!pem.trim()) return undefined;
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** SHA-512 of a file, streamed (installers are large). */
export async function sha512OfFile(file: string): Promise<Buffer> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest();
}

/** Whether `signature` is the key's Ed25519 signature over `digest` (the artifact's SHA-512). */
export function verifyDigestSignature(digest: Uint8Array, signature: Uint8Array, key: KeyObject): boolean {
  if (digest.byteLength !== 64 || signature.byteLength !== SIGNATURE_BYTES) return false;
  try {
    return verify(null, digest, key, signature);
  } catch {
    return false;
  }
}

export interface UpdateFileEntry {
  url: string;
  sha512: string;
}

/**
 * The URL of the downloaded artifact's detached signature: the yml entry whose SHA-512 is the file's, its
 * URL resolved against the feed, plus `.sig`. Undefined when no entry matches or the result is not https.
 */
export function signatureUrlFor(
  feedUrl: string,
  files: readonly UpdateFileEntry[],
  digest: Uint8Array,
): string | undefined {
  const base64 = Buffer.from(digest).toString('base64');
  const entry = files.find((f) => f.sha512 === base64);
  if (!entry) return undefined;
  try {
    const url = new URL(`${entry.url}.sig`, feedUrl);
    return url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export interface DownloadedUpdate {
  /** The file electron-updater downloaded (and would install). */
  file: string;
  /** The update's files from the server's yml. */
  files: readonly UpdateFileEntry[];
  feedUrl: string;
}

export type UpdateVerdict =
  { ok: true } | { ok: false; reason: 'no-key' | 'no-matching-file' | 'signature-unavailable' | 'bad-signature' };

/**
 * Fetches the artifact's detached signature and checks it against the built-in key. Anything short of a
 * valid signature is a refusal: the update is not installed.
 */
export async function verifyDownloadedUpdate(
  update: DownloadedUpdate,
  publicKeyPem: string,
  fetchSignature: (url: string) => Promise<Uint8Array>,
): Promise<UpdateVerdict> {
  const key = updatePublicKey(publicKeyPem);
  if (!key) return { ok: false, reason: 'no-key' };
  const digest = await sha512OfFile(update.file);
  const url = signatureUrlFor(update.feedUrl, update.files, digest);
  if (!url) return { ok: false, reason: 'no-matching-file' };
  let signature: Uint8Array;
  try {
    signature = await fetchSignature(url);
  } catch {
    return { ok: false, reason: 'signature-unavailable' };
  }
  return verifyDigestSignature(digest, signature, key) ? { ok: true } : { ok: false, reason: 'bad-signature' };
}
