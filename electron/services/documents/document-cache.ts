import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { RatsdeskError } from '../../contract/errors';
import type { Vault } from '../vault/vault';
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
/** Documents are stored in rows of at most this many bytes, so a big PDF is never one giant blob. */
export const DOCUMENT_CHUNK_BYTES = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_NAME = 1000;
const MAX_REF = 8000;

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
}

const COLUMNS =
  'id, name, mime_type, size, sha512, source_kind, source_ref, fetched_at, last_opened_at, pinned, pinned_until, chunk_count';
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

/**
 * The document cache: council papers and attachments, encrypted in the vault, with metadata, checksum
 * verification, a quota enforced by least-recently-opened eviction (never pinned items) and retention.
 * Every change is one vault transaction: a document is visible whole or not at all.
 */
export class DocumentCache {
  private quotaBytes: number;
  private retentionDays: number;
  private readonly now: () => Date;
  private readonly db: Database.Database;
  private readonly stmt;

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
    const db = this.db;
    this.stmt = vault.guard(() => ({
      byId: db.prepare<[string], DocumentRow>(`SELECT ${COLUMNS} FROM documents WHERE id = ?`),
      bySource: db.prepare<[string, string], DocumentRow>(
        `SELECT ${COLUMNS} FROM documents WHERE source_kind = ? AND source_ref = ?`,
      ),
      all: db.prepare<[], DocumentRow>(`SELECT ${COLUMNS} FROM documents ORDER BY ${LAST_USE} DESC, fetched_at DESC`),
      insert: db.prepare<[DocumentRow]>(
        `INSERT INTO documents (${COLUMNS}) VALUES (@id, @name, @mime_type, @size, @sha512, @source_kind, @source_ref, @fetched_at, @last_opened_at, @pinned, @pinned_until, @chunk_count)`,
      ),
      insertChunk: db.prepare<[string, number, Buffer]>(
        'INSERT INTO document_chunks (document_id, seq, data) VALUES (?, ?, ?)',
      ),
      chunks: db
        .prepare<[string], Buffer>('SELECT data FROM document_chunks WHERE document_id = ? ORDER BY seq')
        .pluck(),
      remove: db.prepare<[string]>('DELETE FROM documents WHERE id = ?'),
      touch: db.prepare<[string, string]>('UPDATE documents SET last_opened_at = ? WHERE id = ?'),
      pin: db.prepare<[string | null, string]>('UPDATE documents SET pinned = 1, pinned_until = ? WHERE id = ?'),
      unpin: db.prepare<[string]>('UPDATE documents SET pinned = 0, pinned_until = NULL WHERE id = ?'),
      usage: db.prepare<[], { used: number; count: number }>(
        'SELECT coalesce(sum(size), 0) AS used, count(*) AS count FROM documents',
      ),
      evictable: db.prepare<[{ now: string }], { id: string; size: number }>(
        `SELECT id, size FROM documents WHERE ${UNPINNED_AT} ORDER BY ${LAST_USE} ASC, fetched_at ASC`,
      ),
      expire: db.prepare<[{ now: string; cutoff: string }]>(
        `DELETE FROM documents WHERE ${UNPINNED_AT} AND ${LAST_USE} < @cutoff`,
      ),
    }));
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
   * the quota. With `strict`, throws DOCUMENT_TOO_LARGE when pinned documents leave no room. Call inside
   * a transaction.
   */
  private makeRoom(incoming: number, nowIso: string, strict: boolean): number {
    let used = this.stmt.usage.get()?.used ?? 0;
    if (used + incoming <= this.quotaBytes) return 0;
    let evicted = 0;
    for (const victim of this.stmt.evictable.all({ now: nowIso })) {
      this.stmt.remove.run(victim.id);
      used -= victim.size;
      evicted++;
      if (used + incoming <= this.quotaBytes) return evicted;
    }
    if (strict) throw new RatsdeskError('DOCUMENT_TOO_LARGE', 'pinned documents leave no room in the quota');
    return evicted;
  }

  /**
   * Verifies the bytes (size, sha-512, sha-1 when given), then stores metadata and chunks in one
   * transaction, evicting to fit the quota. A document from the same source replaces the earlier one
   * (keeping its pin unless `pinned` is given).
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
    return this.vault.transaction(() => {
      const existing = this.stmt.bySource.get(input.source.kind, input.source.ref);
      if (existing) this.stmt.remove.run(existing.id);
      const keepPin = input.pinned === undefined && existing !== undefined;
      const row: DocumentRow = {
        id: randomUUID(),
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
        chunk_count: Math.ceil(size / DOCUMENT_CHUNK_BYTES),
      };
      this.makeRoom(size, nowIso, true);
      this.stmt.insert.run(row);
      for (let seq = 0; seq < row.chunk_count; seq++) {
        const start = seq * DOCUMENT_CHUNK_BYTES;
        this.stmt.insertChunk.run(row.id, seq, buffer.subarray(start, Math.min(size, start + DOCUMENT_CHUNK_BYTES)));
      }
      return this.toMeta(row, nowIso);
    });
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
   * full the bytes are still returned, only the time is not recorded.
   */
  open(id: string): { meta: DocumentMeta; bytes: Uint8Array } {
    const { row, bytes } = this.vault.transaction(() => {
      const found = this.stmt.byId.get(id);
      if (!found) throw new RatsdeskError('DOCUMENT_NOT_FOUND', id);
      // A dedicated buffer (not Node's shared pool), so handing it over IPC copies this document only.
      const out = Buffer.allocUnsafeSlow(found.size);
      let offset = 0;
      for (const chunk of this.stmt.chunks.iterate(id)) {
        if (offset + chunk.byteLength > found.size)
          throw new RatsdeskError('VAULT_UNREADABLE', `document ${id} is longer than recorded`);
        chunk.copy(out, offset);
        offset += chunk.byteLength;
      }
      if (offset !== found.size) throw new RatsdeskError('VAULT_UNREADABLE', `document ${id} is shorter than recorded`);
      return { row: found, bytes: out };
    });
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

  remove(id: string): void {
    const result = this.vault.transaction(() => this.stmt.remove.run(id));
    if (result.changes === 0) throw new RatsdeskError('DOCUMENT_NOT_FOUND', id);
  }

  usage(): { usedBytes: number; quotaBytes: number; count: number } {
    const u = this.vault.guard(() => this.stmt.usage.get()) ?? { used: 0, count: 0 };
    return { usedBytes: u.used, quotaBytes: this.quotaBytes, count: u.count };
  }

  /** Deletes unpinned documents not opened (or, never opened, not fetched) for retentionDays. Returns how many. */
  applyRetention(): number {
    const now = this.now();
    const cutoff = new Date(now.getTime() - this.retentionDays * DAY_MS).toISOString();
    return this.vault.transaction(() => this.stmt.expire.run({ now: now.toISOString(), cutoff }).changes);
  }

  /** Changes quota and/or retention (settings or policy); a lower quota evicts right away. */
  setLimits(limits: { quotaBytes?: number; retentionDays?: number }): void {
    checkPositive('quotaBytes', limits.quotaBytes);
    checkPositive('retentionDays', limits.retentionDays);
    if (limits.retentionDays !== undefined) this.retentionDays = limits.retentionDays;
    if (limits.quotaBytes !== undefined) {
      this.quotaBytes = limits.quotaBytes;
      const nowIso = this.now().toISOString();
      this.vault.transaction(() => this.makeRoom(0, nowIso, false));
    }
  }
}
