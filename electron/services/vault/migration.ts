import type { WritableDB } from './vault-db';

/**
 * One schema step of one domain. Ids are unique across the app ('vault-001-meta', 'mail-001-messages',
 * 'documents-001-blobs', 'ris-001-objects', …) and never change once released; a migration is applied
 * once, inside a transaction, when the vault opens. Migrations only add: they never drop data. Every
 * migration is registered in one place, vault-schema.ts.
 */
export interface Migration {
  readonly id: string;
  up(db: WritableDB): void;
}
