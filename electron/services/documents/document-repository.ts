import type { ReadableDB, WritableDB } from '../vault/vault-db';

export type DocumentSourceKind = 'url' | 'message' | 'upload';

/** A row of `documents` (document-migrations.ts), without its key. */
export interface DocumentRow {
  id: string;
  name: string;
  mime_type: string;
  size: number;
  sha512: string;
  source_kind: DocumentSourceKind;
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

/*
 * The SQL of the document cache, one function per statement. Reads take a ReadableDB, writes a
 * WritableDB: DocumentCache composes them inside vault.guard / vault.transaction.
 */

export function documentById(db: ReadableDB, id: string): DocumentRow | undefined {
  return db.prepare<[string], DocumentRow>(`SELECT ${COLUMNS} FROM documents WHERE id = ?`).get(id);
}

export function documentBySource(db: ReadableDB, kind: string, ref: string): DocumentRow | undefined {
  return db
    .prepare<[string, string], DocumentRow>(`SELECT ${COLUMNS} FROM documents WHERE source_kind = ? AND source_ref = ?`)
    .get(kind, ref);
}

/** All documents, most recently used first. */
export function allDocuments(db: ReadableDB): DocumentRow[] {
  return db
    .prepare<[], DocumentRow>(`SELECT ${COLUMNS} FROM documents ORDER BY ${LAST_USE} DESC, fetched_at DESC`)
    .all();
}

export function insertDocument(db: WritableDB, row: DocumentRow & { file_key: Buffer }): void {
  db.prepare<[DocumentRow & { file_key: Buffer }]>(
    `INSERT INTO documents (${COLUMNS}, file_key) VALUES (@id, @name, @mime_type, @size, @sha512, @source_kind, @source_ref, @fetched_at, @last_opened_at, @pinned, @pinned_until, @chunk_count, @file_id, @file_key)`,
  ).run(row);
}

export function documentFileKey(db: ReadableDB, id: string): Buffer | null {
  return db.pluck<[string], Buffer | null>('SELECT file_key FROM documents WHERE id = ?').get(id) ?? null;
}

/** Chunks of a document an older version stored in the vault (documents-001), in order. */
export function legacyChunks(db: ReadableDB, id: string): IterableIterator<Buffer> {
  return db.pluck<[string], Buffer>('SELECT data FROM document_chunks WHERE document_id = ? ORDER BY seq').iterate(id);
}

export function legacyDocumentIds(db: ReadableDB): string[] {
  return db.pluck<[], string>('SELECT id FROM documents WHERE file_id IS NULL').all();
}

export function documentFiles(db: ReadableDB): Array<{ id: string; size: number; file_id: string }> {
  return db
    .prepare<[], { id: string; size: number; file_id: string }>(
      'SELECT id, size, file_id FROM documents WHERE file_id IS NOT NULL',
    )
    .all();
}

/** Gives a legacy document its file; false when it changed meanwhile (it has a file already). */
export function attachDocumentFile(db: WritableDB, id: string, fileId: string, key: Buffer, chunks: number): boolean {
  const changes = db
    .prepare<[string, Buffer, number, string]>(
      'UPDATE documents SET file_id = ?, file_key = ?, chunk_count = ? WHERE id = ? AND file_id IS NULL',
    )
    .run(fileId, key, chunks, id).changes;
  if (changes === 1) db.prepare<[string]>('DELETE FROM document_chunks WHERE document_id = ?').run(id);
  return changes === 1;
}

/** Deletes a document's row; answers its file id (empty when there was no such row). */
export function deleteDocument(db: WritableDB, id: string): (string | null)[] {
  return db.pluck<[string], string | null>('DELETE FROM documents WHERE id = ? RETURNING file_id').all(id);
}

export function touchDocument(db: WritableDB, id: string, nowIso: string): void {
  db.prepare<[string, string]>('UPDATE documents SET last_opened_at = ? WHERE id = ?').run(nowIso, id);
}

export function pinDocument(db: WritableDB, id: string, untilIso: string | null): boolean {
  return (
    db
      .prepare<[string | null, string]>('UPDATE documents SET pinned = 1, pinned_until = ? WHERE id = ?')
      .run(untilIso, id).changes > 0
  );
}

export function unpinDocument(db: WritableDB, id: string): boolean {
  return db.prepare<[string]>('UPDATE documents SET pinned = 0, pinned_until = NULL WHERE id = ?').run(id).changes > 0;
}

/**
 * Bytes the cache holds against its quota: the documents and their extracted text (documents-003-text), so
 * the text index cannot grow the vault past the quota either.
 */
export function documentUsage(db: ReadableDB): { used: number; count: number } {
  return (
    db
      .prepare<[], { used: number; count: number }>(
        `SELECT coalesce(sum(size), 0) + (SELECT coalesce(sum(text_bytes), 0) FROM document_text) AS used,
                count(*) AS count FROM documents`,
      )
      .get() ?? { used: 0, count: 0 }
  );
}

/** Unpinned documents, least recently used first: the eviction order. `size` counts their text too. */
export function evictableDocuments(db: ReadableDB, nowIso: string): Array<{ id: string; size: number }> {
  return db
    .prepare<[{ now: string }], { id: string; size: number }>(
      `SELECT id, size + coalesce((SELECT text_bytes FROM document_text WHERE document_id = documents.id), 0) AS size
       FROM documents WHERE ${UNPINNED_AT} ORDER BY ${LAST_USE} ASC, fetched_at ASC`,
    )
    .all({ now: nowIso });
}

/** Deletes unpinned documents last used before the cutoff; answers their file ids. */
export function expireDocuments(db: WritableDB, nowIso: string, cutoffIso: string): (string | null)[] {
  return db
    .pluck<[{ now: string; cutoff: string }], string | null>(
      `DELETE FROM documents WHERE ${UNPINNED_AT} AND ${LAST_USE} < @cutoff RETURNING file_id`,
    )
    .all({ now: nowIso, cutoff: cutoffIso });
}
