import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { RatsdeskError } from '../../contract/errors';
import { createPrivateFile, ensurePrivateDir, makePrivate } from '../files/private-files';
import type { KeychainService } from '../keychain/keychain-service';
import type { Migration } from './migration';
import { applyMigrations } from './migration-runner';
import { type ReadableDB, type Settled, vaultHandles, type VaultDoor, type WritableDB } from './vault-db';
import { type CheckpointResult, type CheckpointSteps, VaultCheckpointer } from './vault-checkpointer';
import { toVaultError } from './vault-error';
import { vaultMigrations } from './vault-schema';
import { DEFAULT_VAULT_KEY_ACCOUNT, loadOrCreateVaultKey } from './vault-key';

export interface VaultOptions {
  /** Path of the vault file; its -wal and -shm live next to it. */
  file: string;
  keychain: KeychainService;
  /** Keychain account holding the key; default 'vault-key'. */
  keyAccount?: string;
  /** The schema steps applied at open; default: every domain's (vault-schema.ts). Tests pass their own. */
  migrations?: readonly Migration[];
  /**
   * Path of the SQLite module's compiled binding, when it is not the one in node_modules: unpackaged runs
   * under Electron load the Electron-ABI build that `npm start` prepared (electron/main/sqlite-binding.ts).
   */
  nativeBinding?: string;
  /** Called after each checkpoint of the checkpoint thread (tests and benchmarks watch it). */
  onCheckpoint?(result: CheckpointResult): void;
  /** When the checkpoint thread copies the WAL (vault-checkpointer.ts); tests pass small steps. */
  checkpointSteps?: CheckpointSteps;
}

/**
 * The cipher settings. SQLCipher 4 format (AES-256-CBC per page, HMAC-SHA512 per page), keyed with a raw
 * 256-bit key so no password KDF runs. These values are part of the file format: changing them makes
 * existing vaults unreadable.
 */
const CIPHER_PRAGMAS = ["cipher = 'sqlcipher'", 'legacy = 4'] as const;
/** Page cache of the one connection, in KiB (negative cache_size). */
const CACHE_KIB = 16 * 1024;
/** SQLite's automatic checkpoint step in pages: used again when the checkpoint thread fails. */
const AUTOCHECKPOINT_PAGES = 1000;

/** Companion files SQLite may keep next to the vault. */
export function vaultFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];
}

/**
 * Folder next to the vault file for encrypted files that belong to the vault (the document cache keeps
 * document bytes there, their keys in the vault). "Remove all local data" deletes it with the vault.
 */
export function vaultDocumentsDir(file: string): string {
  return join(dirname(file), 'documents');
}

/**
 * Folder next to the vault file for the encrypted message-source segments (their keys are in the vault). Named
 * after the vault file, as SQLite names its -wal: segments are numbered per vault, so two vaults in one folder
 * (tests, a second profile) must not share it.
 */
export function vaultMailSourcesDir(file: string): string {
  return `${file}-mail-sources`;
}

/**
 * The encrypted offline store: one SQLCipher database, one connection, owned here. It has one door:
 * every domain reads through `guard` (a ReadableDB) and writes through `transaction` (a WritableDB), and
 * both turn SQLite faults into the person's error codes (VAULT_DISK_FULL, VAULT_UNREADABLE, …). The
 * domains' schema steps are registered in vault-schema.ts and applied when the vault opens.
 */
export class Vault implements VaultDoor {
  private closed = false;
  private checkpointer: VaultCheckpointer | undefined;
  private readonly reader: ReadableDB;
  private readonly writer: WritableDB;

  constructor(
    readonly file: string,
    private readonly connection: Database.Database,
  ) {
    ({ reader: this.reader, writer: this.writer } = vaultHandles(connection));
  }

  /** See vaultDocumentsDir. */
  get documentsDir(): string {
    return vaultDocumentsDir(this.file);
  }

  /** See vaultMailSourcesDir. */
  get mailSourcesDir(): string {
    return vaultMailSourcesDir(this.file);
  }

  /**
   * Runs fn in one transaction (BEGIN … COMMIT, ROLLBACK on throw; nested calls become savepoints) with
   * the write handle; SQLite faults become RatsdeskErrors.
   */
  transaction<T>(fn: (db: WritableDB) => Settled<T>): T {
    let result: T;
    try {
      result = this.connection.transaction(() => fn(this.writer))();
    } catch (err) {
      throw toVaultError(err, this.file);
    }
    // After the outermost commit (a nested call was a savepoint): the WAL may have grown enough to copy.
    if (!this.connection.inTransaction) this.checkpointer?.afterCommit();
    return result;
  }

  /**
   * Moves the WAL checkpoints to a thread with its own connection (vault-checkpointer.ts): SQLite's
   * automatic checkpoints on this connection's commits stop, and the WAL file is cut back whenever SQLite
   * starts it anew (journal_size_limit 0), so its size says how much is waiting. Should the thread fail,
   * the automatic checkpoints come back, so the WAL can never grow without bound.
   */
  checkpointOffThread(options: {
    keyHex: string;
    nativeBinding?: string;
    onCheckpoint?: (result: CheckpointResult) => void;
    steps?: CheckpointSteps;
  }): void {
    if (this.closed || this.checkpointer) return;
    this.guardConnection(() => {
      this.connection.pragma('journal_size_limit = 0');
      this.connection.pragma('wal_autocheckpoint = 0');
    });
    this.checkpointer = new VaultCheckpointer({
      file: this.file,
      keyHex: options.keyHex,
      cipherPragmas: CIPHER_PRAGMAS,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.onCheckpoint ? { onCheckpoint: options.onCheckpoint } : {}),
      ...(options.steps ? { steps: options.steps } : {}),
      onFailure: () => {
        if (!this.closed) this.connection.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      },
    });
  }

  /** True while the checkpoint thread copies the WAL (not before it starts, after a failure or close). */
  get checkpointsOffThread(): boolean {
    return this.checkpointer?.active ?? false;
  }

  /** Runs fn with the read handle, outside a transaction; SQLite faults become RatsdeskErrors. */
  guard<T>(fn: (db: ReadableDB) => Settled<T>): T {
    try {
      return fn(this.reader);
    } catch (err) {
      throw toVaultError(err, this.file);
    }
  }

  /** 'ok', or the first problem PRAGMA integrity_check (or the cipher's page check) reports. */
  integrityCheck(): string {
    try {
      const first = this.connection.prepare<[], string>('PRAGMA integrity_check').pluck().get();
      return first ?? 'no result';
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  /** Moves the WAL's pages into the vault file and empties the WAL (tests check what is at rest). */
  checkpoint(): void {
    this.guardConnection(() => this.connection.pragma('wal_checkpoint(TRUNCATE)'));
  }

  private guardConnection(fn: () => unknown): void {
    try {
      fn();
    } catch (err) {
      throw toVaultError(err, this.file);
    }
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * Ends the checkpoint thread (its connection first), then closes this connection, the last one: SQLite
   * checkpoints the WAL into the file and deletes it. Safe to call twice.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.checkpointer?.close();
    this.connection.close();
  }

  dispose(): void {
    this.close();
  }
}

/**
 * The one way a connection to a vault file is opened: the cipher settings, the raw key, WAL, foreign keys,
 * memory-only temp storage. Exported for tests that key a vault without a keychain (test/support/keyed-vault.ts).
 */
export function openVaultConnection(
  file: string,
  keyHex: string,
  create: boolean,
  nativeBinding?: string,
): Database.Database {
  const db = new Database(file, { fileMustExist: !create, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    for (const p of CIPHER_PRAGMAS) db.pragma(p);
    db.pragma(`key = "x'${keyHex}'"`);
    // Reading the schema is the first access to page 1: a wrong key or a damaged header fails here,
    // before anything is written.
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Sorts and temporary tables stay in memory: nothing decrypted goes to a temp file.
    db.pragma('temp_store = MEMORY');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens (or on first run creates) the vault. The key comes only from the keychain (see vault-key.ts).
 * Faults: KEYCHAIN_UNAVAILABLE (nothing written), VAULT_KEY_MISSING (file untouched), VAULT_UNREADABLE
 * (wrong key or damaged file; file untouched), VAULT_DISK_FULL.
 */
export async function openVault(options: VaultOptions): Promise<Vault> {
  const { file, keychain } = options;
  const account = options.keyAccount ?? DEFAULT_VAULT_KEY_ACCOUNT;
  const exists = vaultExists(file);
  const keyHex = await loadOrCreateVaultKey(keychain, account, exists);
  let db: Database.Database;
  try {
    // Owner-only (0700 folder, 0600 file): SQLite gives its -wal and -shm the mode of the vault file.
    ensurePrivateDir(dirname(file));
    if (!exists) createPrivateFile(file);
    db = openVaultConnection(file, keyHex, !exists, options.nativeBinding);
  } catch (err) {
    if (!exists) removeFiles(file);
    throw toVaultError(err, file);
  }
  // A vault an older version created with wider rights is narrowed too.
  for (const f of vaultFiles(file)) makePrivate(f);
  const vault = new Vault(file, db);
  try {
    applyMigrations(vault, options.migrations ?? vaultMigrations);
    // After the migrations, so a vault that fails to open starts no thread. The key goes to the thread in
    // memory only (worker_threads' workerData, a structured copy): no file, environment or argument.
    vault.checkpointOffThread({
      keyHex,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.onCheckpoint ? { onCheckpoint: options.onCheckpoint } : {}),
      ...(options.checkpointSteps ? { steps: options.checkpointSteps } : {}),
    });
  } catch (err) {
    vault.close();
    if (!exists) removeFiles(file);
    throw err;
  }
  return vault;
}

/** A vault exists once it holds data: an empty file left by a crash during creation does not count. */
function vaultExists(file: string): boolean {
  if (existsSync(`${file}-wal`)) return true;
  try {
    return statSync(file).size > 0;
  } catch {
    return false;
  }
}

function removeFiles(file: string): void {
  for (const f of vaultFiles(file)) rmSync(f, { force: true });
  // Document files and message-source segments are useless without the keys in the vault: they go with it.
  rmSync(vaultDocumentsDir(file), { recursive: true, force: true });
  rmSync(vaultMailSourcesDir(file), { recursive: true, force: true });
}

/**
 * "Remove all local data": deletes the vault file, its WAL/SHM (and a rollback journal, if any), the
 * documents and message-source folders next to it and the vault key in the keychain. The vault must be
 * closed first. Afterwards openVault starts as on first run.
 */
export async function removeAllLocalData(options: {
  file: string;
  keychain: KeychainService;
  keyAccount?: string;
}): Promise<void> {
  const account = options.keyAccount ?? DEFAULT_VAULT_KEY_ACCOUNT;
  try {
    removeFiles(options.file);
  } catch (err) {
    throw new RatsdeskError(
      'INTERNAL',
      `could not delete the vault files: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200),
      { cause: err },
    );
  }
  await options.keychain.delete(account);
}
