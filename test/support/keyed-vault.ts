import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { mailMigrations } from '../../electron/services/mail/mail-migrations';
import type { Migration } from '../../electron/services/vault/migration';
import { applyMigrations } from '../../electron/services/vault/migration-runner';
import { openVaultConnection, Vault } from '../../electron/services/vault/vault';

/** A fresh random vault key (hex), as the keychain would hold it. */
export function testVaultKey(): string {
  return randomBytes(32).toString('hex');
}

/**
 * An encrypted vault keyed without a keychain, opened as the app opens one (openVaultConnection: the same
 * cipher settings, WAL, foreign keys), with the given schema steps applied: for unit tests of repositories.
 * `db` is the connection itself, for looking at what was stored; the test closes it.
 */
export function openKeyedVault(
  file: string,
  options: { key?: string; migrations?: readonly Migration[] } = {},
): { vault: Vault; db: Database.Database } {
  const db = openVaultConnection(file, options.key ?? testVaultKey(), true);
  const vault = new Vault(file, db);
  applyMigrations(vault, options.migrations ?? mailMigrations);
  return { vault, db };
}
