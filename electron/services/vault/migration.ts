import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * One schema step of one domain. Ids are unique across the app ('vault-001-meta', 'mail-001-messages',
 * 'documents-001-blobs', 'ris-001-objects', …) and never change once released; a migration is applied
 * once, inside a transaction, when the vault opens. Migrations only add: they never drop data.
 */
export interface Migration {
  readonly id: string;
  up(db: Database.Database): void;
}
