import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { applyMigrations } from '../../electron/services/vault/migration-runner';
import { Vault } from '../../electron/services/vault/vault';
import type { ReadableDB, WritableDB } from '../../electron/services/vault/vault-db';

// One door into the vault (Signal's ReadableDB/WritableDB): reads through guard, writes through
// transaction, SQLite faults as the person's error codes.
describe('the vault door', () => {
  let dir: string;
  let vault: Vault;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ratsdesk-door-'));
    vault = new Vault(join(dir, 'vault.db'), new Database(join(dir, 'vault.db')));
    applyMigrations(vault, [{ id: 'test-001-notes', up: (db) => db.exec('CREATE TABLE notes (body TEXT NOT NULL)') }]);
  });
  afterEach(() => {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const addNote = (db: WritableDB, body: string) => db.prepare('INSERT INTO notes (body) VALUES (?)').run(body);
  const notes = (db: ReadableDB) => db.pluck<[], string>('SELECT body FROM notes ORDER BY rowid').all();

  test('a write function needs the write handle: the compiler refuses the read handle', () => {
    vault.transaction((db) => addNote(db, 'Fraktionssitzung'));
    vault.guard((db) => {
      // @ts-expect-error a ReadableDB is not a WritableDB (checked by `tsc` over test/)
      expect(() => addNote(db, 'heimlich')).toThrow();
    });
    expect(vault.guard(notes)).toEqual(['Fraktionssitzung']);
  });

  test('a read handle refuses a statement that would write, at run time too', () => {
    expect(() => vault.guard((db) => db.prepare('DELETE FROM notes').run())).toThrow(
      expect.objectContaining({ code: 'INTERNAL' }),
    );
    // The same SQL through the write handle works (the statement cache keeps the two apart).
    vault.transaction((db) => addNote(db, 'bleibt'));
    vault.transaction((db) => db.prepare('DELETE FROM notes').run());
    expect(vault.guard(notes)).toEqual([]);
  });

  test('a transaction that throws leaves nothing behind; SQLite faults arrive as error codes', () => {
    expect(() =>
      vault.transaction((db) => {
        addNote(db, 'halb');
        throw new Error('step fails');
      }),
    ).toThrow('step fails');
    expect(vault.guard(notes)).toEqual([]);
    expect(() => vault.guard((db) => db.prepare('SELECT nothing FROM nowhere').all())).toThrow(
      expect.objectContaining({ name: 'RatsdeskError', code: 'INTERNAL' }),
    );
  });
});
