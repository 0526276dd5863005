import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { MailSyncRepository } from '../../electron/services/mail/mail-sync-repository';
import type { Migration } from '../../electron/services/vault/migration';
import { openVault, removeAllLocalData } from '../../electron/services/vault/vault';
import { vaultMigrations } from '../../electron/services/vault/vault-schema';
import { makeVaultFixture, type VaultFixture } from './helpers/vault-fixture';

let fx: VaultFixture;
afterEach(async () => {
  await fx.cleanup();
});

function counted(id: string, sql: string, counter: Map<string, number>): Migration {
  return {
    id,
    up(db) {
      counter.set(id, (counter.get(id) ?? 0) + 1);
      db.exec(sql);
    },
  };
}

describe('vault migrations', () => {
  test('apply once at open, in order, recorded in vault_migrations; data is kept across versions', async () => {
    fx = makeVaultFixture();
    const runs = new Map<string, number>();
    const m1 = counted(
      'test-001-notes',
      'CREATE TABLE scratch_notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)',
      runs,
    );
    const m2 = counted('test-002-notes-tag', "ALTER TABLE scratch_notes ADD COLUMN tag TEXT NOT NULL DEFAULT ''", runs);
    const v1 = await openVault({ file: fx.file, keychain: fx.keychain, migrations: [m1] });
    v1.transaction((db) => db.prepare('INSERT INTO scratch_notes (body) VALUES (?)').run('Fraktionssitzung Dienstag'));
    v1.close();
    const v2 = await openVault({ file: fx.file, keychain: fx.keychain, migrations: [m1, m2] });
    expect(Object.fromEntries(runs)).toEqual({ 'test-001-notes': 1, 'test-002-notes-tag': 1 });
    expect(v2.guard((db) => db.prepare('SELECT body, tag FROM scratch_notes').all())).toEqual([
      { body: 'Fraktionssitzung Dienstag', tag: '' },
    ]);
    expect(v2.guard((db) => db.pluck('SELECT id FROM vault_migrations ORDER BY rowid').all())).toEqual([
      'test-001-notes',
      'test-002-notes-tag',
    ]);
    v2.close();
    // The app's registry (vault-schema.ts) adds every domain's steps to the same table.
    const v3 = await openVault({ file: fx.file, keychain: fx.keychain });
    expect(v3.guard((db) => db.pluck('SELECT id FROM vault_migrations ORDER BY rowid').all())).toEqual([
      'test-001-notes',
      'test-002-notes-tag',
      ...vaultMigrations.map((m) => m.id),
    ]);
    v3.close();
  });

  test('a failing migration is rolled back, not recorded, and the vault keeps its data', async () => {
    fx = makeVaultFixture();
    const runs = new Map<string, number>();
    const m1 = counted(
      'test-001-notes',
      'CREATE TABLE scratch_notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)',
      runs,
    );
    const v1 = await openVault({ file: fx.file, keychain: fx.keychain, migrations: [m1] });
    v1.transaction((db) => db.prepare('INSERT INTO scratch_notes (body) VALUES (?)').run('bleibt'));
    v1.close();
    const broken: Migration = {
      id: 'test-002-broken',
      up(db) {
        db.exec('CREATE TABLE half (x)');
        throw new Error('step fails half way');
      },
    };
    await expect(openVault({ file: fx.file, keychain: fx.keychain, migrations: [m1, broken] })).rejects.toBeInstanceOf(
      RatsdeskError,
    );
    const v2 = await openVault({ file: fx.file, keychain: fx.keychain, migrations: [m1] });
    expect(v2.guard((db) => db.pluck("SELECT count(*) FROM sqlite_master WHERE name = 'half'").get())).toBe(0);
    expect(v2.guard((db) => db.pluck('SELECT id FROM vault_migrations').all())).toEqual(['test-001-notes']);
    expect(v2.guard((db) => db.pluck('SELECT body FROM scratch_notes').all())).toEqual(['bleibt']);
    expect(v2.integrityCheck()).toBe('ok');
    v2.close();
  });
});

describe('remove all local data', () => {
  test('deletes the vault, its -wal and -shm, the document files, the message-source segments and the key; the next open is a first run', async () => {
    fx = makeVaultFixture();
    const vault = await openVault({ file: fx.file, keychain: fx.keychain });
    const cache = new DocumentCache(vault);
    cache.put({
      bytes: Buffer.alloc(200_000, 7),
      name: 'a.pdf',
      mimeType: 'application/pdf',
      source: { kind: 'upload', ref: 'a' },
    });
    const mail = new MailSyncRepository(vault);
    mail.setFolders([{ path: 'INBOX', name: 'INBOX', delimiter: '/', role: 'inbox' }]);
    mail.insertMessages([
      {
        folder: 'INBOX',
        uid: 1,
        messageId: '<a@stadt.example>',
        inReplyTo: null,
        references: [],
        subject: 'Haushalt',
        from: { name: 'Stadt', address: 'info@stadt.example' },
        to: [],
        cc: [],
        date: Date.UTC(2026, 10, 1),
        size: 40,
        flags: [],
        hasAttachments: false,
        bodyText: 'Guten Tag',
        source: Buffer.from('Subject: Haushalt\r\n\r\nGuten Tag'),
      },
    ]);
    // Keep copies of the WAL and SHM as a crashed session would leave them behind.
    copyFileSync(`${fx.file}-wal`, `${fx.dir}/saved-wal`);
    copyFileSync(`${fx.file}-shm`, `${fx.dir}/saved-shm`);
    const oldKey = await fx.keychain.get('vault-key');
    vault.close();
    copyFileSync(`${fx.dir}/saved-wal`, `${fx.file}-wal`);
    copyFileSync(`${fx.dir}/saved-shm`, `${fx.file}-shm`);
    expect(['vault.db', 'vault.db-wal', 'vault.db-shm'].every((f) => readdirSync(fx.dir).includes(f))).toBe(true);
    // The document's bytes are in the documents folder next to the vault.
    expect(readdirSync(`${fx.dir}/documents`)).toHaveLength(1);
    // The message's source is in a segment file next to the vault.
    expect(readdirSync(`${fx.file}-mail-sources`)).toHaveLength(1);

    await removeAllLocalData({ file: fx.file, keychain: fx.keychain });

    for (const f of [
      fx.file,
      `${fx.file}-wal`,
      `${fx.file}-shm`,
      `${fx.file}-journal`,
      `${fx.dir}/documents`,
      `${fx.file}-mail-sources`,
    ])
      expect(existsSync(f), f).toBe(false);
    // Only the test's own copies are left in the folder.
    expect(readdirSync(fx.dir).sort()).toEqual(['saved-shm', 'saved-wal']);
    expect(await fx.keychain.get('vault-key')).toBeNull();
    expect(await fx.keychain.accounts()).toEqual([]);

    const fresh = await openVault({ file: fx.file, keychain: fx.keychain });
    expect(new DocumentCache(fresh).usage().count).toBe(0);
    expect(await fx.keychain.get('vault-key')).not.toBe(oldKey);
    fresh.close();
  });
});
