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

/** A document row as read: with its page-tree update (documents-004), when it has one. */
export interface StoredDocumentRow extends DocumentRow {
  /** The encrypted file of the PDF's page-tree update (pdf-page-tree.ts) and its plaintext size; null: none. */
  page_tree_file_id: string | null;
  page_tree_size: number | null;
}

const INSERT_COLUMNS =
  'id, name, mime_type, size, sha512, source_kind, source_ref, fetched_at, last_opened_at, pinned, pinned_until, chunk_count, file_id';
const COLUMNS = `${INSERT_COLUMNS}, page_tree_file_id, page_tree_size`;
/** Not pinned right now (never pinned, or the pin ran out before the bound time). */
const UNPINNED_AT = '(pinned = 0 OR (pinned_until IS NOT NULL AND pinned_until <= @now))';
const LAST_USE = 'coalesce(last_opened_at, fetched_at)';

/*
 * The SQL of the document cache, one function per statement. Reads take a ReadableDB, writes a
 * WritableDB: DocumentCache composes them inside vault.guard / vault.transaction.
 */

export function documentById(db: ReadableDB, id: string): StoredDocumentRow | undefined {
  return db.prepare<[string], StoredDocumentRow>(`SELECT ${COLUMNS} FROM documents WHERE id = ?`).get(id);
}

export function documentBySource(db: ReadableDB, kind: string, ref: string): StoredDocumentRow | undefined {
  return db
    .prepare<[string, string], StoredDocumentRow>(
      `SELECT ${COLUMNS} FROM documents WHERE source_kind = ? AND source_ref = ?`,
    )
    .get(kind, ref);
}

/** All documents, most recently used first. */
export function allDocuments(db: ReadableDB): StoredDocumentRow[] {
  return db
    .prepare<[], StoredDocumentRow>(`SELECT ${COLUMNS} FROM documents ORDER BY ${LAST_USE} DESC, fetched_at DESC`)
    .all();
}

export function insertDocument(db: WritableDB, row: DocumentRow & { file_key: Buffer }): void {
  db.prepare<[DocumentRow & { file_key: Buffer }]>(
    `INSERT INTO documents (${INSERT_COLUMNS}, file_key) VALUES (@id, @name, @mime_type, @size, @sha512, @source_kind, @source_ref, @fetched_at, @last_opened_at, @pinned, @pinned_until, @chunk_count, @file_id, @file_key)`,
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

export interface DocumentFileRow {
  id: string;
  size: number;
  file_id: string;
  page_tree_file_id: string | null;
  page_tree_size: number | null;
}

export function documentFiles(db: ReadableDB): DocumentFileRow[] {
  return db
    .prepare<[], DocumentFileRow>(
      'SELECT id, size, file_id, page_tree_file_id, page_tree_size FROM documents WHERE file_id IS NOT NULL',
    )
    .all();
}

/** The files of deleted rows: each document's own and its page-tree update's. */
function filesOf(rows: { file_id: string | null; page_tree_file_id: string | null }[]): (string | null)[] {
  return rows.flatMap((r) => (r.page_tree_file_id === null ? [r.file_id] : [r.file_id, r.page_tree_file_id]));
}

/** A document the page-tree computation has not looked at in this version (most recently used first). */
export function nextWithoutPageTree(
  db: ReadableDB,
  version: number,
): { id: string; name: string; mime_type: string; size: number; file_id: string } | undefined {
  return db
    .prepare<[number], { id: string; name: string; mime_type: string; size: number; file_id: string }>(
      `SELECT id, name, mime_type, size, file_id FROM documents
       WHERE page_tree_version < ? AND file_id IS NOT NULL ORDER BY ${LAST_USE} DESC LIMIT 1`,
    )
    .get(version);
}

/**
 * Records what the page-tree computation of `version` found for the document whose file is `fileId`: an
 * update's file and size, or none. Answers the page-tree file it replaced (to delete), or false when the row is
 * gone or holds another file now (the caller deletes the new file).
 */
export function savePageTree(
  db: WritableDB,
  input: { id: string; fileId: string; version: number; pageTreeFileId: string | null; pageTreeSize: number | null },
): { replaced: string | null } | false {
  const before = db
    .prepare<[string, string], { page_tree_file_id: string | null }>(
      'SELECT page_tree_file_id FROM documents WHERE id = ? AND file_id = ?',
    )
    .get(input.id, input.fileId);
  if (!before) return false;
  db.prepare<[string | null, number | null, number, string]>(
    'UPDATE documents SET page_tree_file_id = ?, page_tree_size = ?, page_tree_version = ? WHERE id = ?',
  ).run(input.pageTreeFileId, input.pageTreeSize, input.version, input.id);
  return { replaced: before.page_tree_file_id };
}

/** Forgets a document's page-tree update (its file is missing or damaged); it is not computed again. */
export function dropPageTree(db: WritableDB, id: string): void {
  db.prepare<[string]>('UPDATE documents SET page_tree_file_id = NULL, page_tree_size = NULL WHERE id = ?').run(id);
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

/** Deletes a document's row; answers its file ids, its own and its page tree's (empty when there was no such row). */
export function deleteDocument(db: WritableDB, id: string): (string | null)[] {
  return filesOf(
    db
      .prepare<[string], { file_id: string | null; page_tree_file_id: string | null }>(
        'DELETE FROM documents WHERE id = ? RETURNING file_id, page_tree_file_id',
      )
      .all(id),
  );
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

/** Deletes unpinned documents last used before the cutoff; answers how many and their file ids. */
export function expireDocuments(
  db: WritableDB,
  nowIso: string,
  cutoffIso: string,
): { count: number; files: (string | null)[] } {
  const rows = db
    .prepare<[{ now: string; cutoff: string }], { file_id: string | null; page_tree_file_id: string | null }>(
      `DELETE FROM documents WHERE ${UNPINNED_AT} AND ${LAST_USE} < @cutoff RETURNING file_id, page_tree_file_id`,
    )
    .all({ now: nowIso, cutoff: cutoffIso });
  return { count: rows.length, files: filesOf(rows) };
}
