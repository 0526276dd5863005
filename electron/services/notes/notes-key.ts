import { createHash, randomBytes } from 'node:crypto';
import { RatsdeskError } from '../../contract/errors';
import type { KeychainService } from '../keychain/keychain-service';

/** The keychain entry holding the notes key (base64); never written anywhere else, never sent to a server. */
const KEY_ACCOUNT = 'notes-key';
const KEY_BYTES = 32;
const CHECK_BYTES = 3;
/** Crockford's base32: no I, L, O, U, so a code read aloud or typed is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function checksum(key: Uint8Array): Buffer {
  return createHash('sha256').update('ratsdesk-notes-recovery').update(key).digest().subarray(0, CHECK_BYTES);
}

/**
 * The recovery code of a notes key: the key and a 3-byte checksum in Crockford base32, in groups of four
 * ("7KQ2-…", 56 characters). It carries the key itself: whoever has it can read the notes.
 */
export function recoveryCodeOf(key: Uint8Array): string {
  const text = base32(Buffer.concat([key, checksum(key)]));
  return text.match(/.{1,4}/g)?.join('-') ?? text;
}

/** The key in a recovery code; a mistyped or foreign code is NOTES_RECOVERY_CODE_INVALID. */
export function keyFromRecoveryCode(code: string): Buffer {
  const invalid = () => new RatsdeskError('NOTES_RECOVERY_CODE_INVALID');
  if (code.length > 200) throw invalid();
  const clean = code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (clean.length !== Math.ceil(((KEY_BYTES + CHECK_BYTES) * 8) / 5)) throw invalid();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const digit = ALPHABET.indexOf(ch);
    if (digit < 0) throw invalid();
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  const all = Buffer.from(bytes.slice(0, KEY_BYTES + CHECK_BYTES));
  const key = all.subarray(0, KEY_BYTES);
  if (!checksum(key).equals(all.subarray(KEY_BYTES))) throw invalid();
  return Buffer.from(key);
}

/**
 * The notes key of this person (AES-256-GCM, 256 random bits) in the OS keychain. The first device makes it;
 * another device receives it through the recovery code shown on the first.
 */
export class NotesKeyStore {
  constructor(private readonly keychain: KeychainService) {}

  async get(): Promise<Buffer | undefined> {
    const stored = await this.keychain.get(KEY_ACCOUNT);
    if (!stored) return undefined;
    const key = Buffer.from(stored, 'base64');
    if (key.length !== KEY_BYTES) throw new RatsdeskError('NOTES_KEY_MISSING', 'the stored notes key is damaged');
    return key;
  }

  /** The key, made (and stored in the keychain) on first use. */
  async getOrCreate(): Promise<Buffer> {
    const existing = await this.get();
    if (existing) return existing;
    const key = randomBytes(KEY_BYTES);
    await this.keychain.set(KEY_ACCOUNT, key.toString('base64'));
    return key;
  }

  /** The recovery code of the key (to be shown once, and again after the app was unlocked). */
  async recoveryCode(): Promise<string> {
    return recoveryCodeOf(await this.getOrCreate());
  }

  /** Stores the key of a recovery code typed on another device (replacing none: a different key is refused). */
  async importRecoveryCode(code: string): Promise<void> {
    const key = keyFromRecoveryCode(code);
    const existing = await this.get();
    if (existing && !existing.equals(key))
      throw new RatsdeskError('NOTES_KEY_CONFLICT', 'this device already has another notes key');
    await this.keychain.set(KEY_ACCOUNT, key.toString('base64'));
  }
}
