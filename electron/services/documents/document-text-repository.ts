import type { ReadableDB, WritableDB } from '../vault/vault-db';

/** What extraction found in a document (document_text.state). */
export type DocumentTextState = 'indexed' | 'scanned' | 'failed' | 'unsupported';

/** A document waiting for its text to be read. */
export interface UnindexedDocument {
  id: string;
  name: string;
  mime_type: string;
  size: number;
}

export interface DocumentTextRow {
  document_id: string;
  state: DocumentTextState;
  pages: number;
  text_bytes: number;
  extractor: number;
  indexed_at: string;
  detail: string | null;
}

/** A page whose text matched a search. */
export interface MatchedPage {
  id: number;
  document_id: string;
  page: number;
  text: string;
  name: string;
  mime_type: string;
}

/*
 * The SQL of the document text index (documents-003-text), one function per statement: pages with their
 * text, the contentless FTS5 index over them, and one state row per document. Rows go with their document
 * (ON DELETE CASCADE; a trigger deletes the index entries).
 */

/**
 * The next document without text (most recently used first), or one whose earlier attempt found no reader or
 * failed with an older extractor version.
 */
export function nextUnindexed(db: ReadableDB, extractor: number): UnindexedDocument | undefined {
  return db
    .prepare<[number], UnindexedDocument>(
      `SELECT d.id, d.name, d.mime_type, d.size FROM documents d
       LEFT JOIN document_text t ON t.document_id = d.id
       WHERE t.document_id IS NULL OR (t.state IN ('unsupported', 'failed') AND t.extractor < ?)
       ORDER BY coalesce(d.last_opened_at, d.fetched_at) DESC LIMIT 1`,
    )
    .get(extractor);
}

export function documentExists(db: ReadableDB, id: string): boolean {
  return db.pluck<[string], number>('SELECT 1 FROM documents WHERE id = ?').get(id) === 1;
}

/** Removes a document's pages (and their index entries, by trigger) and its state row: a fresh start. */
export function clearDocumentText(db: WritableDB, id: string): void {
  db.prepare<[string]>('DELETE FROM document_pages WHERE document_id = ?').run(id);
  db.prepare<[string]>('DELETE FROM document_text WHERE document_id = ?').run(id);
}

/** One page's text (stored for snippets) and its index entry (folded text). */
export function insertPage(db: WritableDB, documentId: string, page: number, text: string, indexed: string): void {
  const id = db
    .pluck<[string, number, string], number>(
      'INSERT INTO document_pages (document_id, page, text) VALUES (?, ?, ?) RETURNING id',
    )
    .get(documentId, page, text);
  db.prepare<[number | undefined, string]>('INSERT INTO document_fts (rowid, body) VALUES (?, ?)').run(id, indexed);
}

export function saveTextState(db: WritableDB, row: DocumentTextRow): void {
  db.prepare<[DocumentTextRow]>(
    `INSERT INTO document_text (document_id, state, pages, text_bytes, extractor, indexed_at, detail)
     VALUES (@document_id, @state, @pages, @text_bytes, @extractor, @indexed_at, @detail)
     ON CONFLICT (document_id) DO UPDATE SET state = excluded.state, pages = excluded.pages,
       text_bytes = excluded.text_bytes, extractor = excluded.extractor, indexed_at = excluded.indexed_at,
       detail = excluded.detail`,
  ).run(row);
}

export function textState(db: ReadableDB, id: string): DocumentTextRow | undefined {
  return db.prepare<[string], DocumentTextRow>('SELECT * FROM document_text WHERE document_id = ?').get(id);
}

/** Text states of all documents that have one, by document id. */
export function allTextStates(db: ReadableDB): Array<Pick<DocumentTextRow, 'document_id' | 'state' | 'pages'>> {
  return db
    .prepare<[], Pick<DocumentTextRow, 'document_id' | 'state' | 'pages'>>(
      'SELECT document_id, state, pages FROM document_text',
    )
    .all();
}

/** Pages matching an FTS5 expression, newest indexed first. */
export function matchingPages(db: ReadableDB, match: string, limit: number): MatchedPage[] {
  return db
    .prepare<[{ match: string; limit: number }], MatchedPage>(
      `SELECT p.id, p.document_id, p.page, p.text, d.name, d.mime_type
       FROM document_pages p JOIN documents d ON d.id = p.document_id
       WHERE p.id IN (SELECT rowid FROM document_fts WHERE document_fts MATCH @match ORDER BY rowid DESC LIMIT @limit)
       ORDER BY p.id DESC`,
    )
    .all({ match, limit });
}

/** The text of one page of a document (null when not indexed). */
export function pageText(db: ReadableDB, documentId: string, page: number): string | null {
  return (
    db
      .pluck<[string, number], string>('SELECT text FROM document_pages WHERE document_id = ? AND page = ?')
      .get(documentId, page) ?? null
  );
}
