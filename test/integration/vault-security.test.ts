import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { openVault } from '../../electron/services/vault/vault';
import { startKeyring } from '../servers/keyring';
import { buildVaultChild, type VaultChild } from './helpers/vault-child-process';
import { fileDigest, makeVaultFixture, type VaultFixture } from './helpers/vault-fixture';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RatsdeskError) return err.code;
    throw err;
  }
  throw new Error('expected a RatsdeskError');
}

const SECRET_NAME = 'Nichtoeffentliche-Vorlage-Haushaltssperre-4711';
const SECRET_TEXT = 'GEHEIM: Grundstueckskauf Flurstueck 815/3 zum Preis von 1.234.567 Euro';
const SECRET_REF = 'https://ris.example-stadt.de/oparl/file/geheime-vorlage-9931';

let fx: VaultFixture;
let child: VaultChild;

beforeAll(async () => {
  child = await buildVaultChild();
});
afterAll(() => child.cleanup());
afterEach(async () => {
  await fx.cleanup();
});

describe('vault encryption and key handling (real gnome-keyring)', () => {
  test('first run makes a random 256-bit key, kept only in the keychain', async () => {
    fx = makeVaultFixture();
    expect(await fx.keychain.get('vault-key')).toBeNull();
    const vault = await openVault({ file: fx.file, keychain: fx.keychain });
    const key = await fx.keychain.get('vault-key');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(vault.integrityCheck()).toBe('ok');
    vault.close();
    // The same key opens it again; the key is not in the file.
    const again = await openVault({ file: fx.file, keychain: fx.keychain });
    again.close();
    const raw = readFileSync(fx.file);
    expect(raw.includes(Buffer.from(key ?? '', 'hex'))).toBe(false);
    expect(raw.includes(Buffer.from(key ?? '', 'utf8'))).toBe(false);
    // A second vault gets a different key.
    const other = makeVaultFixture();
    try {
      (await openVault({ file: other.file, keychain: other.keychain })).close();
      expect(await other.keychain.get('vault-key')).not.toBe(key);
    } finally {
      await other.cleanup();
    }
  });

  test('the vault file, its -wal/-shm and the document files hold none of the stored plaintext and no key; without the key it does not open', async () => {
    fx = makeVaultFixture();
    const vault = await openVault({ file: fx.file, keychain: fx.keychain });
    const cache = new DocumentCache(vault);
    const text = Buffer.from(`${SECRET_TEXT}\n`.repeat(2000));
    const binary = randomBytes(256 * 1024);
    const marker = binary.subarray(1000, 1064);
    cache.put({
      bytes: text,
      name: `${SECRET_NAME}.txt`,
      mimeType: 'text/plain',
      source: { kind: 'url', ref: SECRET_REF },
    });
    cache.put({
      bytes: binary,
      name: 'anhang.bin',
      mimeType: 'application/octet-stream',
      source: { kind: 'message', ref: 'acc/INBOX/42/2' },
    });

    const needles = [
      Buffer.from(SECRET_NAME),
      Buffer.from(SECRET_TEXT),
      Buffer.from(SECRET_REF),
      marker,
      Buffer.from('SQLite format 3'),
    ];
    // While open, the new pages (metadata and keys) sit in the WAL: search it as well as the file and the
    // shared memory file.
    expect(statSync(`${fx.file}-wal`).size).toBeGreaterThan(0);
    for (const f of [fx.file, `${fx.file}-wal`, `${fx.file}-shm`]) {
      const raw = readFileSync(f);
      for (const needle of needles)
        expect(raw.includes(needle), `${needle.toString('latin1').slice(0, 30)} in ${f}`).toBe(false);
    }
    // The document bytes live in files of the documents folder: ciphertext only, and neither the vault key
    // nor any document's key (those are in the vault) appears in any file on disk.
    const vaultKey = Buffer.from((await fx.keychain.get('vault-key')) ?? '', 'hex');
    const documentKeys = vault.guard((db) => db.pluck<[], Buffer>('SELECT file_key FROM documents').all());
    expect(documentKeys).toHaveLength(2);
    const docFiles = readdirSync(vault.documentsDir).map((f) => join(vault.documentsDir, f));
    expect(docFiles).toHaveLength(2);
    expect(docFiles.reduce((sum, f) => sum + statSync(f).size, 0)).toBeGreaterThan(text.length + binary.length);
    const keyNeedles = [vaultKey, Buffer.from(vaultKey.toString('hex')), ...documentKeys];
    for (const key of documentKeys)
      keyNeedles.push(Buffer.from(key.toString('hex')), Buffer.from(key.toString('base64')));
    // Every file under the data folder: the vault, its -wal/-shm and the document files.
    const allFiles = (): string[] =>
      readdirSync(fx.dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name));
    expect(allFiles()).toEqual(expect.arrayContaining([fx.file, `${fx.file}-wal`, ...docFiles]));
    for (const f of allFiles()) {
      const raw = readFileSync(f);
      for (const needle of [...needles, ...keyNeedles])
        expect(raw.includes(needle), `${needle.toString('latin1').slice(0, 30)} in ${f}`).toBe(false);
    }
    vault.close();
    const raw = readFileSync(fx.file);
    expect(raw.length).toBeGreaterThan(0);
    for (const needle of needles) expect(raw.includes(needle)).toBe(false);
    for (const f of allFiles()) {
      const bytes = readFileSync(f);
      for (const needle of [...needles, ...keyNeedles]) expect(bytes.includes(needle), f).toBe(false);
    }
    // Nothing else was written next to the vault: the vault files and the documents folder only.
    expect(readdirSync(fx.dir).sort()).toEqual(['documents', 'vault.db']);

    // Without a key, plain SQLite sees no database; with another key neither.
    const plain = new Database(fx.file, { fileMustExist: true });
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    plain.close();
    const wrong = new Database(fx.file, { fileMustExist: true });
    wrong.pragma("cipher = 'sqlcipher'");
    wrong.pragma('legacy = 4');
    wrong.pragma(`key = "x'${randomBytes(32).toString('hex')}'"`);
    expect(() => wrong.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    wrong.close();

    // And with the key from the keychain the documents come back whole.
    const reopened = await openVault({ file: fx.file, keychain: fx.keychain });
    const docs = new DocumentCache(reopened);
    const found = docs.findBySource({ kind: 'url', ref: SECRET_REF });
    expect(found?.name).toBe(`${SECRET_NAME}.txt`);
    expect(Buffer.from(docs.open(found?.id ?? '').bytes).equals(text)).toBe(true);
    reopened.close();
  });

  test('key missing while the vault exists: VAULT_KEY_MISSING, file untouched, no new key', async () => {
    fx = makeVaultFixture();
    const vault = await openVault({ file: fx.file, keychain: fx.keychain });
    new DocumentCache(vault).put({
      bytes: Buffer.from('x'),
      name: 'a',
      mimeType: 'text/plain',
      source: { kind: 'upload', ref: 'a' },
    });
    vault.close();
    await fx.keychain.delete('vault-key');
    const before = fileDigest(fx.file);
    expect(await codeOf(openVault({ file: fx.file, keychain: fx.keychain }))).toBe('VAULT_KEY_MISSING');
    expect(fileDigest(fx.file)).toBe(before);
    expect(await fx.keychain.get('vault-key')).toBeNull();
    expect(existsSync(`${fx.file}-wal`)).toBe(false);
  });

  test('wrong key: VAULT_UNREADABLE and the file is not overwritten', async () => {
    fx = makeVaultFixture();
    (await openVault({ file: fx.file, keychain: fx.keychain })).close();
    const before = fileDigest(fx.file);
    await fx.keychain.set('vault-key', randomBytes(32).toString('hex'));
    expect(await codeOf(openVault({ file: fx.file, keychain: fx.keychain }))).toBe('VAULT_UNREADABLE');
    expect(fileDigest(fx.file)).toBe(before);
  });

  test('corrupted vault file: VAULT_UNREADABLE and the file is not overwritten', async () => {
    fx = makeVaultFixture();
    const vault = await openVault({ file: fx.file, keychain: fx.keychain });
    new DocumentCache(vault).put({
      bytes: randomBytes(50_000),
      name: 'a',
      mimeType: 'application/pdf',
      source: { kind: 'upload', ref: 'a' },
    });
    vault.close();
    const bytes = readFileSync(fx.file);
    randomBytes(200).copy(bytes, 1000); // inside page 1: its HMAC no longer matches
    writeFileSync(fx.file, bytes);
    const before = fileDigest(fx.file);
    expect(await codeOf(openVault({ file: fx.file, keychain: fx.keychain }))).toBe('VAULT_UNREADABLE');
    expect(fileDigest(fx.file)).toBe(before);

    // A file that is not a database at all, e.g. truncated garbage.
    writeFileSync(fx.file, randomBytes(3000));
    const garbage = fileDigest(fx.file);
    expect(await codeOf(openVault({ file: fx.file, keychain: fx.keychain }))).toBe('VAULT_UNREADABLE');
    expect(fileDigest(fx.file)).toBe(garbage);
  });

  test('no Secret Service reachable: KEYCHAIN_UNAVAILABLE and no file written', async () => {
    fx = makeVaultFixture();
    const file = join(fx.dir, 'sub', 'vault.db');
    const answer = await child.openOnce(file, `ratsdesk-test-nobus-${Date.now()}`, {
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(fx.dir, 'no-such-bus')}`,
    });
    expect(answer).toEqual({ ok: false, code: 'KEYCHAIN_UNAVAILABLE' });
    expect(existsSync(join(fx.dir, 'sub'))).toBe(false);
    // The same child with the real bus works: the failure above was the keychain, not the child.
    const ok = await child.openOnce(file, fx.keychain.serviceName);
    expect(ok).toEqual({ ok: true });
    expect(existsSync(file)).toBe(true);
  });

  test('locked keychain: no new key and nothing written (KEYCHAIN_UNAVAILABLE on first run, VAULT_KEY_MISSING after)', async () => {
    fx = makeVaultFixture();
    // A private Secret Service, so locking it cannot disturb other tests.
    const keyring = await startKeyring();
    try {
      const service = `ratsdesk-test-locked-${Date.now()}`;
      expect(await child.openOnce(fx.file, service, keyring.env)).toEqual({ ok: true });
      const before = fileDigest(fx.file);
      const lock = spawnSync(
        'dbus-send',
        [
          '--session',
          '--print-reply',
          '--dest=org.freedesktop.secrets',
          '/org/freedesktop/secrets',
          'org.freedesktop.Secret.Service.Lock',
          'array:objpath:/org/freedesktop/secrets/collection/login',
        ],
        { env: { ...process.env, ...keyring.env }, encoding: 'utf8' },
      );
      expect(lock.status, lock.stderr).toBe(0);
      // libsecret answers "not found" for items of a locked collection: the vault reports its key
      // missing and leaves the file alone.
      expect(await child.openOnce(fx.file, service, keyring.env)).toEqual({ ok: false, code: 'VAULT_KEY_MISSING' });
      expect(fileDigest(fx.file)).toBe(before);
      // First run against a locked keychain: the new key cannot be stored, so no vault is created.
      const fresh = join(fx.dir, 'fresh', 'vault.db');
      expect(await child.openOnce(fresh, service, keyring.env)).toEqual({ ok: false, code: 'KEYCHAIN_UNAVAILABLE' });
      expect(existsSync(join(fx.dir, 'fresh'))).toBe(false);
    } finally {
      await keyring.stop();
    }
  });
});
