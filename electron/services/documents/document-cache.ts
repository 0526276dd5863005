import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { RatsdeskError } from '../../contract/errors';
import type { Vault } from '../vault/vault';
import { toVaultError } from '../vault/vault-error';
import {
  DOCUMENT_FILE_CHUNK_BYTES,
  documentFileState,
  newDocumentFileId,
  newDocumentKey,
  readDocumentFile,
  writeDocumentFile,
} from './document-file-format';
import { documentMigrations } from './document-migrations';
import { verifyDocument } from './document-verification';

export interface DocumentSource {
  kind: 'url' | 'message' | 'upload';
  /** The URL, or 'account/folder/uid/partId' for a mail attachment, or an upload reference. */
  ref: string;
}

export interface PutDocumentInput {
  bytes: Uint8Array;
  name: string;
  mimeType: string;
  source: DocumentSource;
  /** hex */
  expectedSha512?: string;
  /** hex */
  expectedSha1?: string;
  expectedSize?: number;
  pinned?: boolean;
  pinnedUntil?: Date;
}

export interface DocumentMeta {
  id: string;
  name: string;
  mimeType: string;
  size: number;
  /** hex */
  sha512: string;
  source: DocumentSource;
  /** ISO 8601 */
  fetchedAt: string;
  lastOpenedAt: string | null;
  /** Pinned now: pinned and the pin has not run out. Pinned documents are never evicted or expired. */
  pinned: boolean;
  pinnedUntil: string | null;
}

export interface DocumentCacheOptions {
  /** Default 2 GiB. */
  quotaBytes?: number;
  /** Default 30. */
  retentionDays?: number;
  now?: () => Date;
}

export const DEFAULT_QUOTA_BYTES = 2 * 1024 * 1024 * 1024;
export const DEFAULT_RETENTION_DAYS = 30;
/** Documents are encrypted in chunks of this many bytes, so a big PDF is never one giant piece. */
export const DOCUMENT_CHUNK_BYTES = DOCUMENT_FILE_CHUNK_BYTES;
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_NAME = 1000;
const MAX_REF = 8000;

/** What opening the cache found and repaired in the documents folder (after a crash or outside damage). */
export interface DocumentStoreRepair {
  /** Files without a vault row (a write or removal interrupted by a crash), deleted. */
  orphanFilesRemoved: number;
  /** Documents whose file was missing or not whole: their rows were removed (ids). */
  brokenDocumentsRemoved: string[];
  /** Documents moved from the vault's document_chunks (an older vault) into files. */
  movedToFiles: number;
}

interface DocumentRow {
  id: string;
  name: string;
  mime_type: string;
  size: number;
  sha512: string;
  source_kind: DocumentSource['kind'];
  source_ref: string;
  fetched_at: string;
  last_opened_at: string | null;
  pinned: number;
  pinned_until: string | null;
  chunk_count: number;
  /** The encrypted file in the documents folder; null for a document still in document_chunks. */
  file_id: string | null;
}

const COLUMNS =
  'id, name, mime_type, size, sha512, source_kind, source_ref, fetched_at, last_opened_at, pinned, pinned_until, chunk_count, file_id';
/** Not pinned right now (never pinned, or the pin ran out before the bound time). */
const UNPINNED_AT = '(pinned = 0 OR (pinned_until IS NOT NULL AND pinned_until <= @now))';
const LAST_USE = 'coalesce(last_opened_at, fetched_at)';

function checkPositive(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new RatsdeskError('INVALID_INPUT', `${name} must be a positive number`);
  }
}

function checkText(name: string, value: string, max: number): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new RatsdeskError('INVALID_INPUT', `${name} must be 1..${max} characters`);
  }
}

function errnoCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/**
 * The document cache: council papers and attachments with metadata, checksum verification, a quota
 * enforced by least-recently-opened eviction (never pinned items) and retention.
 *
 * Storage: the metadata, a random 256-bit key and a random file id per document live in the vault
 * (SQLCipher; its key only in the OS keychain); the bytes live in `<vault dir>/documents/<file id>`,
 * AES-256-GCM in 1 MiB chunks (document-file-format.ts). Order of writes, so a crash at any moment
 * leaves whole documents only: the file is written to a temporary name, fsynced and renamed, then the
 * row is committed; a removal commits the row's deletion, then deletes the file. Opening the cache
 * deletes files without a row and rows without a whole file (see `repair`).
 */
export class DocumentCache {
  private quotaBytes: number;
  private retentionDays: number;
  private readonly now: () => Date;
  private readonly db: Database.Database;
  private readonly dir: string;
  private readonly stmt;
  /** What opening found and repaired. */
  readonly repair: DocumentStoreRepair;

  constructor(
    private readonly vault: Vault,
    options: DocumentCacheOptions = {},
  ) {
    checkPositive('quotaBytes', options.quotaBytes);
    checkPositive('retentionDays', options.retentionDays);
    this.quotaBytes = options.quotaBytes ?? DEFAULT_QUOTA_BYTES;
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.now = options.now ?? (() => new Date());
    vault.migrate(documentMigrations);
    this.db = vault.db;
    this.dir = vault.documentsDir;
    const db = this.db;
    this.stmt = vault.guard(() => ({
      byId: db.prepare<[string], DocumentRow>(`SELECT ${COLUMNS} FROM documents WHERE id = ?`),
      bySource: db.prepare<[string, string], DocumentRow>(
        `SELECT ${COLUMNS} FROM documents WHERE source_kind = ? AND source_ref = ?`,
      ),
      all: db.prepare<[], DocumentRow>(`SELECT ${COLUMNS} FROM documents ORDER BY ${LAST_USE} DESC, fetched_at DESC`),
      insert: db.prepare<[DocumentRow & { file_key: Buffer }]>(
        `INSERT INTO documents (${COLUMNS}, file_key) VALUES (@id, @name, @mime_type, @size, @sha512, @source_kind, @source_ref, @fetched_at, @last_opened_at, @pinned, @pinned_until, @chunk_count, @file_id, @file_key)`,
      ),
      fileKey: db.prepare<[string], Buffer | null>('SELECT file_key FROM documents WHERE id = ?').pluck(),
      legacyChunks: db
        .prepare<[string], Buffer>('SELECT data FROM document_chunks WHERE document_id = ? ORDER BY seq')
        .pluck(),
      legacyIds: db.prepare<[], string>('SELECT id FROM documents WHERE file_id IS NULL').pluck(),
      files: db.prepare<[], { id: string; size: number; file_id: string }>(
        'SELECT id, size, file_id FROM documents WHERE file_id IS NOT NULL',
      ),
      attachFile: db.prepare<[string, Buffer, number, string]>(
        'UPDATE documents SET file_id = ?, file_key = ?, chunk_count = ? WHERE id = ? AND file_id IS NULL',
      ),
      dropLegacyChunks: db.prepare<[string]>('DELETE FROM document_chunks WHERE document_id = ?'),
      remove: db.prepare<[string], string | null>('DELETE FROM documents WHERE id = ? RETURNING file_id').pluck(),
      touch: db.prepare<[string, string]>('UPDATE documents SET last_opened_at = ? WHERE id = ?'),
      pin: db.prepare<[string | null, string]>('UPDATE documents SET pinned = 1, pinned_until = ? WHERE id = ?'),
      unpin: db.prepare<[string]>('UPDATE documents SET pinned = 0, pinned_until = NULL WHERE id = ?'),
      usage: db.prepare<[], { used: number; count: number }>(
        'SELECT coalesce(sum(size), 0) AS used, count(*) AS count FROM documents',
      ),
      evictable: db.prepare<[{ now: string }], { id: string; size: number }>(
        `SELECT id, size FROM documents WHERE ${UNPINNED_AT} ORDER BY ${LAST_USE} ASC, fetched_at ASC`,
      ),
      expire: db
        .prepare<[{ now: string; cutoff: string }], string | null>(
          `DELETE FROM documents WHERE ${UNPINNED_AT} AND ${LAST_USE} < @cutoff RETURNING file_id`,
        )
        .pluck(),
    }));
    this.repair = this.openFiles();
  }

  private filePath(fileId: string): string {
    return join(this.dir, fileId);
  }

  /** Runs a file-system step; its faults become RatsdeskErrors (a missing or unreadable file: VAULT_UNREADABLE). */
  private fileGuard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof RatsdeskError) throw err;
      const code = errnoCode(err);
      if (code === 'ENOSPC' || code === 'EDQUOT')
        throw new RatsdeskError('VAULT_DISK_FULL', String(code), { cause: err });
      if (code === 'ENOENT' || code === 'EIO' || code === 'EISDIR')
        throw new RatsdeskError('VAULT_UNREADABLE', `document file: ${code}`, { cause: err });
      throw toVaultError(err, this.vault.file);
    }
  }

  /** Deletes the files of documents whose rows are gone. Best effort: what stays is an orphan, removed at the next open. */
  private discardFiles(fileIds: readonly (string | null)[]): void {
    for (const fileId of fileIds) {
      if (fileId === null) continue;
      try {
        rmSync(this.filePath(fileId), { force: true });
      } catch {
        // left for the orphan sweep
      }
    }
  }

  /**
   * At open: makes the documents folder, deletes files without a row (a crash between writing a file and
   * committing its row, or between deleting a row and its file), removes rows whose file is missing or not
   * whole, and moves documents of an older vault out of document_chunks into files.
   */
  private openFiles(): DocumentStoreRepair {
    const repair: DocumentStoreRepair = { orphanFilesRemoved: 0, brokenDocumentsRemoved: [], movedToFiles: 0 };
    this.fileGuard(() => mkdirSync(this.dir, { recursive: true, mode: 0o700 }));
    const rows = this.vault.guard(() => this.stmt.files.all());
    const known = new Set(rows.map((r) => r.file_id));
    for (const name of this.fileGuard(() => readdirSync(this.dir))) {
      if (known.has(name)) continue;
      this.fileGuard(() => rmSync(join(this.dir, name), { recursive: true, force: true }));
      repair.orphanFilesRemoved++;
    }
    const broken = rows.filter((r) => {
      const state = documentFileState(this.filePath(r.file_id), r.size);
      return state === 'missing' || state === 'damaged';
    });
    if (broken.length > 0) {
      try {
        this.vault.transaction(() => {
          for (const r of broken) this.stmt.remove.all(r.id);
        });
        this.discardFiles(broken.map((r) => r.file_id));
        repair.brokenDocumentsRemoved = broken.map((r) => r.id);
      } catch (err) {
        // On a full disk they stay listed; opening one answers VAULT_UNREADABLE.
        if (!(err instanceof RatsdeskError && err.code === 'VAULT_DISK_FULL')) throw err;
      }
    }
    repair.movedToFiles = this.moveLegacyDocuments();
    return repair;
  }

  /**
   * Documents stored by an older version in document_chunks get a key and a file: file written first, then
   * one transaction attaches it and drops the chunks. A crash in between leaves an orphan file and the
   * document still in the vault, moved at the next open. On a full disk the rest stay in the vault,
   * readable as before.
   */
  private moveLegacyDocuments(): number {
    let moved = 0;
    for (const id of this.vault.guard(() => this.stmt.legacyIds.all())) {
      const row = this.vault.guard(() => this.stmt.byId.get(id));
      if (!row) continue;
      let bytes: Buffer;
      try {
        bytes = this.vault.transaction(() => this.readLegacy(row));
      } catch (err) {
        if (err instanceof RatsdeskError && err.code === 'VAULT_UNREADABLE') continue; // open() reports it
        throw err;
      }
      const fileId = newDocumentFileId();
      const key = newDocumentKey();
      try {
        this.fileGuard(() => writeDocumentFile(this.dir, fileId, id, key, bytes));
        this.vault.transaction(() => {
          const chunks = Math.max(1, Math.ceil(row.size / DOCUMENT_CHUNK_BYTES));
          if (this.stmt.attachFile.run(fileId, key, chunks, id).changes !== 1)
            throw new RatsdeskError('INTERNAL', 'document changed while it was moved');
          this.stmt.dropLegacyChunks.run(id);
        });
        moved++;
      } catch (err) {
        this.discardFiles([fileId]);
        if (err instanceof RatsdeskError && err.code === 'VAULT_DISK_FULL') break;
        throw err;
      }
    }
    return moved;
  }

  private readLegacy(row: DocumentRow): Buffer {
    // A dedicated buffer (not Node's shared pool), so handing it over IPC copies this document only.
    const out = Buffer.allocUnsafeSlow(row.size);
    let offset = 0;
    for (const chunk of this.stmt.legacyChunks.iterate(row.id)) {
      if (offset + chunk.byteLength > row.size)
        throw new RatsdeskError('VAULT_UNREADABLE', `document ${row.id} is longer than recorded`);
      chunk.copy(out, offset);
      offset += chunk.byteLength;
    }
    if (offset !== row.size) throw new RatsdeskError('VAULT_UNREADABLE', `document ${row.id} is shorter than recorded`);
    return out;
  }

  private toMeta(row: DocumentRow, nowIso: string): DocumentMeta {
    return {
      id: row.id,
      name: row.name,
      mimeType: row.mime_type,
      size: row.size,
      sha512: row.sha512,
      source: { kind: row.source_kind, ref: row.source_ref },
      fetchedAt: row.fetched_at,
      lastOpenedAt: row.last_opened_at,
      pinned: row.pinned === 1 && (row.pinned_until === null || row.pinned_until > nowIso),
      pinnedUntil: row.pinned_until,
    };
  }

  /**
   * Evicts unpinned documents, least recently opened (or fetched) first, until `incoming` more bytes fit
   * the quota; the evicted documents' file ids are added to `gone`. With `strict`, throws
   * DOCUMENT_TOO_LARGE when pinned documents leave no room. Call inside a transaction.
   */
  private makeRoom(incoming: number, nowIso: string, strict: boolean, gone: (string | null)[]): number {
    let used = this.stmt.usage.get()?.used ?? 0;
    if (used + incoming <= this.quotaBytes) return 0;
    let evicted = 0;
    for (const victim of this.stmt.evictable.all({ now: nowIso })) {
      gone.push(...this.stmt.remove.all(victim.id));
      used -= victim.size;
      evicted++;
      if (used + incoming <= this.quotaBytes) return evicted;
    }
    if (strict) throw new RatsdeskError('DOCUMENT_TOO_LARGE', 'pinned documents leave no room in the quota');
    return evicted;
  }

  /**
   * Verifies the bytes (size, sha-512, sha-1 when given), writes them encrypted to a new file, then stores
   * the metadata in one transaction, evicting to fit the quota. A document from the same source replaces
   * the earlier one (keeping its pin unless `pinned` is given).
   */
  put(input: PutDocumentInput): DocumentMeta {
    checkText('name', input.name, MAX_NAME);
    checkText('mimeType', input.mimeType, MAX_NAME);
    checkText('source.ref', input.source.ref, MAX_REF);
    if (!['url', 'message', 'upload'].includes(input.source.kind))
      throw new RatsdeskError('INVALID_INPUT', 'unknown source kind');
    const sha512 = verifyDocument(input.bytes, input);
    const size = input.bytes.byteLength;
    if (size > this.quotaBytes)
      throw new RatsdeskError('DOCUMENT_TOO_LARGE', `${size} bytes exceed the quota of ${this.quotaBytes}`);
    const nowIso = this.now().toISOString();
    const buffer = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, size);
    const id = randomUUID();
    const fileId = newDocumentFileId();
    const key = newDocumentKey();
    this.fileGuard(() => {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeDocumentFile(this.dir, fileId, id, key, buffer);
    });
    const gone: (string | null)[] = [];
    let meta: DocumentMeta;
    try {
      meta = this.vault.transaction(() => {
        const existing = this.stmt.bySource.get(input.source.kind, input.source.ref);
        if (existing) gone.push(...this.stmt.remove.all(existing.id));
        const keepPin = input.pinned === undefined && existing !== undefined;
        const row: DocumentRow = {
          id,
          name: input.name,
          mime_type: input.mimeType,
          size,
          sha512,
          source_kind: input.source.kind,
          source_ref: input.source.ref,
          fetched_at: nowIso,
          last_opened_at: null,
          pinned: keepPin ? existing.pinned : input.pinned ? 1 : 0,
          pinned_until: keepPin
            ? existing.pinned_until
            : input.pinned
              ? (input.pinnedUntil?.toISOString() ?? null)
              : null,
          chunk_count: Math.max(1, Math.ceil(size / DOCUMENT_CHUNK_BYTES)),
          file_id: fileId,
        };
        this.makeRoom(size, nowIso, true, gone);
        this.stmt.insert.run({ ...row, file_key: key });
        return this.toMeta(row, nowIso);
      });
    } catch (err) {
      this.discardFiles([fileId]);
      throw err;
    }
    this.discardFiles(gone);
    return meta;
  }

  get(id: string): DocumentMeta | undefined {
    const row = this.vault.guard(() => this.stmt.byId.get(id));
    return row && this.toMeta(row, this.now().toISOString());
  }

  findBySource(source: DocumentSource): DocumentMeta | undefined {
    const row = this.vault.guard(() => this.stmt.bySource.get(source.kind, source.ref));
    return row && this.toMeta(row, this.now().toISOString());
  }

  /**
   * The document's bytes (in memory only) and metadata; records the time it was opened. When the disk is
   * full the bytes are still returned, only the time is not recorded. A damaged file: VAULT_UNREADABLE.
   */
  open(id: string): { meta: DocumentMeta; bytes: Uint8Array } {
    const row = this.vault.guard(() => this.stmt.byId.get(id));
    if (!row) throw new RatsdeskError('DOCUMENT_NOT_FOUND', id);
    let bytes: Buffer;
    if (row.file_id === null) {
      bytes = this.vault.transaction(() => this.readLegacy(row));
    } else {
      const key = this.vault.guard(() => this.stmt.fileKey.get(id));
      if (!key) throw new RatsdeskError('VAULT_UNREADABLE', `document ${id} has no key`);
      const path = this.filePath(row.file_id);
      bytes = this.fileGuard(() => readDocumentFile({ path, documentId: id, key, size: row.size }));
    }
    const nowIso = this.now().toISOString();
    try {
      this.vault.guard(() => this.stmt.touch.run(nowIso, id));
      row.last_opened_at = nowIso;
    } catch (err) {
      if (!(err instanceof RatsdeskError && err.code === 'VAULT_DISK_FULL')) throw err;
    }
    return { meta: this.toMeta(row, nowIso), bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  /** All documents, most recently used first. */
  list(): DocumentMeta[] {
    const nowIso = this.now().toISOString();
    return this.vault.guard(() => this.stmt.all.all()).map((r) => this.toMeta(r, nowIso));
  }

  /** Pins a document (until a time, or indefinitely): it is never evicted or expired while pinned. */
  pin(id: string, until?: Date): void {
    const result = this.vault.guard(() => this.stmt.pin.run(until ? until.toISOString() : null, id));
    if (result.changes === 0) throw new RatsdeskError('DOCUMENT_NOT_FOUND', id);
  }

  unpin(id: string): void {
    const result = this.vault.guard(() => this.stmt.unpin.run(id));
    if (result.changes === 0) throw new RatsdeskError('DOCUMENT_NOT_FOUND', id);
  }

  /** Deletes the row (committed), then the file. */
  remove(id: string): void {
    const gone = this.vault.transaction(() => this.stmt.remove.all(id));
    if (gone.length === 0) throw new RatsdeskError('DOCUMENT_NOT_FOUND', id);
    this.discardFiles(gone);
  }

  usage(): { usedBytes: number; quotaBytes: number; count: number } {
    const u = this.vault.guard(() => this.stmt.usage.get()) ?? { used: 0, count: 0 };
    return { usedBytes: u.used, quotaBytes: this.quotaBytes, count: u.count };
  }

  /** Deletes unpinned documents not opened (or, never opened, not fetched) for retentionDays. Returns how many. */
  applyRetention(): number {
    const now = this.now();
    const cutoff = new Date(now.getTime() - this.retentionDays * DAY_MS).toISOString();
    const gone = this.vault.transaction(() => this.stmt.expire.all({ now: now.toISOString(), cutoff }));
    this.discardFiles(gone);
    return gone.length;
  }

  /** Changes quota and/or retention (settings or policy); a lower quota evicts right away. */
  setLimits(limits: { quotaBytes?: number; retentionDays?: number }): void {
    checkPositive('quotaBytes', limits.quotaBytes);
    checkPositive('retentionDays', limits.retentionDays);
    if (limits.retentionDays !== undefined) this.retentionDays = limits.retentionDays;
    if (limits.quotaBytes !== undefined) {
      this.quotaBytes = limits.quotaBytes;
      const nowIso = this.now().toISOString();
      const gone: (string | null)[] = [];
      this.vault.transaction(() => this.makeRoom(0, nowIso, false, gone));
      this.discardFiles(gone);
    }
  }
}
