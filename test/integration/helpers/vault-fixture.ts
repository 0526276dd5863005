import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeychainService } from '../../../electron/services/keychain/keychain-service';

export interface VaultFixture {
  dir: string;
  file: string;
  keychain: KeychainService;
  /** Deletes the temp folder and every keychain entry of this fixture's service. */
  cleanup(): Promise<void>;
}

/** A temp folder and a keychain service name of its own (real gnome-keyring from the global setup). */
export function makeVaultFixture(dir = mkdtempSync(join(tmpdir(), 'ratsdesk-vault-'))): VaultFixture {
  const keychain = new KeychainService(`ratsdesk-test-vault-${randomUUID()}`);
  return {
    dir,
    file: join(dir, 'vault.db'),
    keychain,
    async cleanup() {
      for (const account of await keychain.accounts()) await keychain.delete(account);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sha512Hex(bytes: Uint8Array): string {
  return createHash('sha512').update(bytes).digest('hex');
}

/** sha-512 of a file's bytes, or null when it does not exist. */
export function fileDigest(file: string): string | null {
  return existsSync(file) ? sha512Hex(readFileSync(file)) : null;
}
