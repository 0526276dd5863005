import { randomUUID } from 'node:crypto';
import { RatsdeskError } from '../../contract/errors';
import type { Vault } from '../vault/vault';
import type { WritableDB } from '../vault/vault-db';
import { DOCUMENT_FILE_CHUNK_BYTES, newDocumentFileId, newDocumentKey } from './document-file-format';
import { pageTreeFileAad } from './document-page-tree-file';
import { DocumentFiles } from './document-files';
import { readLegacyDocument, repairDocumentStore, type DocumentStoreRepair } from './document-repair';
import {
  allDocuments,
  deleteDocument,
  documentById,
  documentBySource,
  documentFileKey,
  documentUsage,
  type DocumentRow,
  dropPageTree,
  savePageTree,
  type StoredDocumentRow,
  type DocumentSourceKind,
  evictableDocuments,
  expireDocuments,
  insertDocument,
  pinDocument,
  touchDocument,
  unpinDocument,
} from './document-repository';
import { verifyDocument } from './document-verification';

export interface DocumentSource {
  kind: DocumentSourceKind;
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
export type { DocumentStoreRepair };

/** A document checked and ready to be written: its bytes, checksum, ids and key. */
interface StagedDocument {
  nowIso: string;
  bytes: Buffer;
  /** hex */
  sha512: string;
  id: string;
  fileId: string;
  key: Buffer;
}

/** The length of a document as the viewer reads it: its own bytes and its page-tree update. */
function viewSizeOf(row: StoredDocumentRow): number {
  return row.size + (row.page_tree_file_id === null ? 0 : (row.page_tree_size ?? 0));
}

export class DocumentCache {
  private quotaBytes: number;
  private retentionDays: number;
  private readonly now: () => Date;
  private readonly files: DocumentFiles;
  private decryptedForRanges = 0;
  /** What opening found and repaired. */
  readonly repair: DocumentStoreRepair;
  private readonly storedListeners = new Set<(meta: DocumentMeta) => void>();

  constructor(
    private readonly vault: Vault,
    options: DocumentCacheOptions = {},
  ) {
    checkPositive('quotaBytes', options.quotaBytes);
    checkPositive('retentionDays', options.retentionDays);
    this.quotaBytes = options.quotaBytes ?? DEFAULT_QUOTA_BYTES;
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.now = options.now ?? (() => new Date());
    this.files = new DocumentFiles(vault.documentsDir, vault.file);
    this.repair = repairDocumentStore(vault, this.files);
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
  private makeRoom(db: WritableDB, incoming: number, nowIso: string, strict: boolean, gone: (string | null)[]): number {
    let used = documentUsage(db).used;
    if (used + incoming <= this.quotaBytes) return 0;
    let evicted = 0;
    for (const victim of evictableDocuments(db, nowIso)) {
      gone.push(...deleteDocument(db, victim.id));
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
    const staged = this.stage(input);
    this.files.write(staged.fileId, staged.id, staged.key, staged.bytes);
    return this.commit(input, staged);
  }

  /**
   * Like `put`, but the file is written and made durable off the main thread: downloads and the UI go on
   * meanwhile, and documents stored side by side (a meeting made available offline) share the disk's
   * flushes instead of queueing for one fsync each. The row is still committed only after the file is
   * durable.
   */
  async putAsync(input: PutDocumentInput): Promise<DocumentMeta> {
    const staged = this.stage(input);
    await this.files.writeAsync(staged.fileId, staged.id, staged.key, staged.bytes);
    return this.commit(input, staged);
  }

  /** Checks and verifies a document to be stored; picks its id, file id and key. */
  private stage(input: PutDocumentInput): StagedDocument {
    checkText('name', input.name, MAX_NAME);
    checkText('mimeType', input.mimeType, MAX_NAME);
    checkText('source.ref', input.source.ref, MAX_REF);
    if (!['url', 'message', 'upload'].includes(input.source.kind))
      throw new RatsdeskError('INVALID_INPUT', 'unknown source kind');
    const sha512 = verifyDocument(input.bytes, input);
    const size = input.bytes.byteLength;
    if (size > this.quotaBytes)
      throw new RatsdeskError('DOCUMENT_TOO_LARGE', `${size} bytes exceed the quota of ${this.quotaBytes}`);
    return {
      nowIso: this.now().toISOString(),
      bytes: Buffer.from(input.bytes.buffer, input.bytes.byteOffset, size),
      sha512,
      id: randomUUID(),
      fileId: newDocumentFileId(),
      key: newDocumentKey(),
    };
  }

  /** Stores the row of a document whose file is written (and removes that file when the row fails). */
  private commit(input: PutDocumentInput, staged: StagedDocument): DocumentMeta {
    const { id, fileId, key, nowIso, sha512 } = staged;
    const size = staged.bytes.byteLength;
    const gone: (string | null)[] = [];
    let meta: DocumentMeta;
    try {
      meta = this.vault.transaction((db) => {
        const existing = documentBySource(db, input.source.kind, input.source.ref);
        if (existing) gone.push(...deleteDocument(db, existing.id));
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
        this.makeRoom(db, size, nowIso, true, gone);
        insertDocument(db, { ...row, file_key: key });
        return this.toMeta(row, nowIso);
      });
    } catch (err) {
      this.files.discard([fileId]);
      throw err;
    }
    this.files.discard(gone);
    for (const listener of this.storedListeners) listener(meta);
    return meta;
  }

  /** Calls `listener` after each document stored (the text index reads it). Answers the unsubscribe function. */
  onStored(listener: (meta: DocumentMeta) => void): () => void {
    this.storedListeners.add(listener);
    return () => this.storedListeners.delete(listener);
  }

  get(id: string): DocumentMeta | undefined {
    const row = this.vault.guard((db) => documentById(db, id));
    return row && this.toMeta(row, this.now().toISOString());
  }

  findBySource(source: DocumentSource): DocumentMeta | undefined {
    const row = this.vault.guard((db) => documentBySource(db, source.kind, source.ref));
    return row && this.toMeta(row, this.now().toISOString());
  }

  /**
   * The document's bytes (in memory only) and metadata; records the time it was opened. When the disk is
   * full the bytes are still returned, only the time is not recorded. A damaged file: VAULT_UNREADABLE.
   */
  open(id: string): { meta: DocumentMeta; bytes: Uint8Array } {
    const row = this.vault.guard((db) => documentById(db, id));
    if (!row) throw new RatsdeskError('DOCUMENT_NOT_FOUND', id);
    const bytes = this.readRow(row);
    return { meta: this.touch(row), bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  /**
   * The document's metadata and its first `headBytes` bytes (the whole document when it is that small), and
   * when the head is not all of it, its last chunk (`tail`: a PDF's trailer and cross-reference table, which a
   * viewer reads next); records the time it was opened like `open`. A viewer reads the rest by ranges
   * (`readRange`), so a large PDF shows its first page without the whole file being decrypted and sent.
   */
  openHead(
    id: string,
    headBytes: number,
  ): { meta: DocumentMeta; viewSize: number; bytes: Uint8Array; tail?: { begin: number; bytes: Uint8Array } } {
    const row = this.vault.guard((db) => documentById(db, id));
    if (!row) throw new RatsdeskError('DOCUMENT_NOT_FOUND', id);
    if (row.page_tree_file_id !== null) this.checkPageTree(row);
    const viewSize = viewSizeOf(row);
    const headEnd = Math.min(viewSize, headBytes);
    const bytes = this.readRowRange(row, 0, headEnd);
    // The chunk that holds the last byte, as the viewer asks for it (its ranges are whole chunks); from where the
    // head ends, should the head reach into it. With a page-tree update that last byte is the update's: the
    // chunk then ends with it, its trailer and startxref included.
    const tailBegin = Math.max(
      headEnd,
      Math.floor((viewSize - 1) / DOCUMENT_FILE_CHUNK_BYTES) * DOCUMENT_FILE_CHUNK_BYTES,
    );
    if (tailBegin >= viewSize) return { meta: this.touch(row), viewSize, bytes };
    const tail = { begin: tailBegin, bytes: this.readRowRange(row, tailBegin, viewSize) };
    return { meta: this.touch(row), viewSize, bytes, tail };
  }

  /** Records that the person opened the document (not when the disk is full: the bytes matter more). */
  private touch(row: DocumentRow): DocumentMeta {
    const nowIso = this.now().toISOString();
    try {
      this.vault.transaction((db) => touchDocument(db, row.id, nowIso));
      row.last_opened_at = nowIso;
    } catch (err) {
      if (!(err instanceof RatsdeskError && err.code === 'VAULT_DISK_FULL')) throw err;
    }
    return this.toMeta(row, nowIso);
  }

  /**
   * Bytes `begin` (inclusive) to `end` (exclusive) of a document as the viewer reads it — its own bytes, then
   * its page-tree update when it has one (`viewSize` of `openHead`) — decrypting only the chunks that hold them.
   */
  readRange(id: string, begin: number, end: number): Uint8Array {
    const row = this.vault.guard((db) => documentById(db, id));
    if (!row) throw new RatsdeskError('DOCUMENT_NOT_FOUND', id);
    return this.readRowRange(row, begin, end);
  }

  /** Plaintext bytes decrypted for `openHead` and `readRange` so far (the benchmark reports it per page). */
  get rangeBytesDecrypted(): number {
    return this.decryptedForRanges;
  }

  /** `readRange` of a row: its own bytes up to its size, its page-tree update's after. */
  private readRowRange(row: StoredDocumentRow, begin: number, end: number): Uint8Array {
    const viewSize = viewSizeOf(row);
    if (!(Number.isSafeInteger(begin) && Number.isSafeInteger(end) && begin >= 0 && begin <= end && end <= viewSize))
      throw new RatsdeskError('INVALID_INPUT', `range ${begin}-${end} of ${viewSize} bytes`);
    if (end <= row.size) return this.readOwnRange(row, begin, end);
    const update = this.readPageTree(row);
    const out = new Uint8Array(end - begin);
    if (begin < row.size) out.set(this.readOwnRange(row, begin, row.size), 0);
    const from = Math.max(begin, row.size);
    out.set(update.subarray(from - row.size, end - row.size), from - begin);
    return out;
  }

  private readOwnRange(row: DocumentRow, begin: number, end: number): Uint8Array {
    if (row.file_id === null) {
      // A document from before the chunked files: whole, then cut.
      const whole = this.readRow(row);
      this.decryptedForRanges += whole.byteLength;
      return new Uint8Array(whole.buffer, whole.byteOffset + begin, end - begin);
    }
    const key = this.vault.guard((db) => documentFileKey(db, row.id));
    if (!key) throw new RatsdeskError('VAULT_UNREADABLE', `document ${row.id} has no key`);
    const read = this.files.readRange(row.file_id, row.id, key, row.size, begin, end);
    this.decryptedForRanges += read.decrypted;
    return new Uint8Array(read.bytes.buffer, read.bytes.byteOffset, read.bytes.byteLength);
  }

  /** The row's page-tree update (small: decrypted whole). A damaged file: VAULT_UNREADABLE. */
  private readPageTree(row: StoredDocumentRow): Buffer {
    if (row.page_tree_file_id === null || row.page_tree_size === null)
      throw new RatsdeskError('INTERNAL', `document ${row.id} has no page tree`);
    const key = this.vault.guard((db) => documentFileKey(db, row.id));
    if (!key) throw new RatsdeskError('VAULT_UNREADABLE', `document ${row.id} has no key`);
    const update = this.files.read(row.page_tree_file_id, pageTreeFileAad(row.id), key, row.page_tree_size);
    this.decryptedForRanges += update.byteLength;
    return update;
  }

  /**
   * Keeps what the page-tree computation of `version` found for document `id` as stored in file `fileId`: the
   * update encrypted in a file of its own (the document's key, its own file id and authenticated data), or
   * nothing. Answers false when the document is gone or was replaced meanwhile (then nothing is kept).
   */
  storePageTree(id: string, fileId: string, version: number, update: Uint8Array | undefined): boolean {
    const key = this.vault.guard((db) => documentFileKey(db, id));
    if (!key) return false;
    const pageTreeFileId = update ? newDocumentFileId() : null;
    if (update && pageTreeFileId)
      this.files.write(
        pageTreeFileId,
        pageTreeFileAad(id),
        key,
        Buffer.from(update.buffer, update.byteOffset, update.byteLength),
      );
    let saved: ReturnType<typeof savePageTree>;
    try {
      saved = this.vault.transaction((db) =>
        savePageTree(db, { id, fileId, version, pageTreeFileId, pageTreeSize: update ? update.byteLength : null }),
      );
    } catch (err) {
      this.files.discard([pageTreeFileId]);
      throw err;
    }
    if (!saved) {
      this.files.discard([pageTreeFileId]);
      return false;
    }
    this.files.discard([saved.replaced]);
    return true;
  }

  /**
   * Decrypts the row's page-tree update before the viewer is told its length: one that fails (a damaged file) is
   * forgotten and deleted, and the viewer reads the document as stored (its first page only opens slower).
   */
  private checkPageTree(row: StoredDocumentRow): void {
    try {
      this.readPageTree(row);
    } catch (err) {
      if (!(err instanceof RatsdeskError && err.code === 'VAULT_UNREADABLE')) throw err;
      const fileId = row.page_tree_file_id;
      this.vault.transaction((db) => dropPageTree(db, row.id));
      this.files.discard([fileId]);
      row.page_tree_file_id = null;
      row.page_tree_size = null;
    }
  }

  /** The bytes of a stored row (a dedicated buffer, in memory only). */
  private readRow(row: DocumentRow): Buffer {
    if (row.file_id === null) return this.vault.guard((db) => readLegacyDocument(db, row));
    const key = this.vault.guard((db) => documentFileKey(db, row.id));
    if (!key) throw new RatsdeskError('VAULT_UNREADABLE', `document ${row.id} has no key`);
    return this.files.read(row.file_id, row.id, key, row.size);
  }

  /**
   * The document's bytes for a reader in the background (text index, previews): like `open`, but the
   * document does not count as opened by the person (retention and eviction go by what the person opened).
   */
  readBytes(id: string): Uint8Array {
    const row = this.vault.guard((db) => documentById(db, id));
    if (!row) throw new RatsdeskError('DOCUMENT_NOT_FOUND', id);
    const bytes = this.readRow(row);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** All documents, most recently used first. */
  list(): DocumentMeta[] {
    const nowIso = this.now().toISOString();
    return this.vault.guard((db) => allDocuments(db)).map((r) => this.toMeta(r, nowIso));
  }

  /** Pins a document (until a time, or indefinitely): it is never evicted or expired while pinned. */
  pin(id: string, until?: Date): void {
    const pinned = this.vault.transaction((db) => pinDocument(db, id, until ? until.toISOString() : null));
    if (!pinned) throw new RatsdeskError('DOCUMENT_NOT_FOUND', id);
  }

  unpin(id: string): void {
    const unpinned = this.vault.transaction((db) => unpinDocument(db, id));
    if (!unpinned) throw new RatsdeskError('DOCUMENT_NOT_FOUND', id);
  }

  /** Deletes the row (committed), then the file. */
  remove(id: string): void {
    const gone = this.vault.transaction((db) => deleteDocument(db, id));
    if (gone.length === 0) throw new RatsdeskError('DOCUMENT_NOT_FOUND', id);
    this.files.discard(gone);
  }

  usage(): { usedBytes: number; quotaBytes: number; count: number } {
    const u = this.vault.guard((db) => documentUsage(db));
    return { usedBytes: u.used, quotaBytes: this.quotaBytes, count: u.count };
  }

  /** Deletes unpinned documents not opened (or, never opened, not fetched) for retentionDays. Returns how many. */
  applyRetention(): number {
    const now = this.now();
    const cutoff = new Date(now.getTime() - this.retentionDays * DAY_MS).toISOString();
    const gone = this.vault.transaction((db) => expireDocuments(db, now.toISOString(), cutoff));
    this.files.discard(gone.files);
    return gone.count;
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
      this.vault.transaction((db) => this.makeRoom(db, 0, nowIso, false, gone));
      this.files.discard(gone);
    }
  }
}
