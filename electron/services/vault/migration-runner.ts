import type Database from 'better-sqlite3-multiple-ciphers';
import { RatsdeskError } from '../../contract/errors';
import type { Migration } from './migration';

const MIGRATIONS_TABLE = 'vault_migrations';

export function ensureMigrationsTable(db: Database.Database): void {
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id TEXT PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL) STRICT`,
  );
}

export function appliedMigrationIds(db: Database.Database): string[] {
  return db.prepare<[], string>(`SELECT id FROM ${MIGRATIONS_TABLE} ORDER BY rowid`).pluck().all();
}

/**
 * Applies the migrations not yet recorded, in the given order, each in its own transaction together
 * with its record in vault_migrations: a migration is either fully applied and recorded, or not at all.
 * Returns the ids applied now.
 */
export function applyMigrations(
  db: Database.Database,
  migrations: readonly Migration[],
  now: () => Date = () => new Date(),
): string[] {
  const seen = new Set<string>();
  for (const m of migrations) {
    if (seen.has(m.id)) throw new RatsdeskError('INTERNAL', `duplicate migration id ${m.id}`);
    seen.add(m.id);
  }
  ensureMigrationsTable(db);
  const applied = new Set(appliedMigrationIds(db));
  const record = db.prepare<[string, string]>(`INSERT INTO ${MIGRATIONS_TABLE} (id, applied_at) VALUES (?, ?)`);
  const done: string[] = [];
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      m.up(db);
      record.run(m.id, now().toISOString());
    })();
    done.push(m.id);
  }
  return done;
}
