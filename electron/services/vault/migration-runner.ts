import { RatsdeskError } from '../../contract/errors';
import type { Migration } from './migration';
import type { VaultDoor } from './vault-db';

const MIGRATIONS_TABLE = 'vault_migrations';

export function appliedMigrationIds(vault: VaultDoor): string[] {
  return vault.guard((db) => db.pluck<[], string>(`SELECT id FROM ${MIGRATIONS_TABLE} ORDER BY rowid`).all());
}

/**
 * Applies the migrations not yet recorded, in the given order, each in its own transaction together
 * with its record in vault_migrations: a migration is either fully applied and recorded, or not at all.
 * Returns the ids applied now.
 */
export function applyMigrations(
  vault: VaultDoor,
  migrations: readonly Migration[],
  now: () => Date = () => new Date(),
): string[] {
  const seen = new Set<string>();
  for (const m of migrations) {
    if (seen.has(m.id)) throw new RatsdeskError('INTERNAL', `duplicate migration id ${m.id}`);
    seen.add(m.id);
  }
  vault.transaction((db) =>
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id TEXT PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL) STRICT`,
    ),
  );
  const applied = new Set(appliedMigrationIds(vault));
  const done: string[] = [];
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    vault.transaction((db) => {
      m.up(db);
      db.prepare<[string, string]>(`INSERT INTO ${MIGRATIONS_TABLE} (id, applied_at) VALUES (?, ?)`).run(
        m.id,
        now().toISOString(),
      );
    });
    done.push(m.id);
  }
  return done;
}
