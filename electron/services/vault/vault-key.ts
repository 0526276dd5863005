import { randomBytes } from 'node:crypto';
import { RatsdeskError } from '../../contract/errors';
import type { KeychainService } from '../keychain/keychain-service';

export const DEFAULT_VAULT_KEY_ACCOUNT = 'vault-key';

const KEY_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The vault key: 256 random bits from node:crypto, kept only in the OS keychain (hex) and in memory.
 * It is never derived from a password and never written anywhere else.
 *
 * - key present: returned (a malformed entry is VAULT_UNREADABLE; nothing is replaced silently);
 * - key absent and the vault file exists: VAULT_KEY_MISSING (a new key would orphan the data);
 * - key absent and no vault: first run, a new key is made, stored and read back.
 * A missing or locked keychain surfaces as KEYCHAIN_UNAVAILABLE from KeychainService.
 */
export async function loadOrCreateVaultKey(
  keychain: KeychainService,
  account: string,
  vaultExists: boolean,
): Promise<string> {
  const stored = await keychain.get(account);
  if (stored !== null) {
    const key = stored.trim().toLowerCase();
    if (!KEY_PATTERN.test(key))
      throw new RatsdeskError('VAULT_UNREADABLE', 'the vault key in the keychain is malformed');
    return key;
  }
  if (vaultExists) {
    throw new RatsdeskError(
      'VAULT_KEY_MISSING',
      'the vault exists but its key is not in the keychain (or the keychain is locked)',
    );
  }
  const key = randomBytes(32).toString('hex');
  await keychain.set(account, key);
  const readBack = await keychain.get(account);
  if (readBack !== key) {
    throw new RatsdeskError('KEYCHAIN_UNAVAILABLE', 'the keychain did not keep the new vault key');
  }
  return key;
}
