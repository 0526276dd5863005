import type { Migration } from '../vault/migration';

/**
 * Schema of the document cache. Version 1 stored documents as metadata plus ordered chunks of at most
 * 1 MiB in document_chunks. Version 2 keeps the metadata and each document's own key and file id in the
 * vault and the bytes in an encrypted file (document-file-format.ts); rows without a file id are still
 * in document_chunks and are moved to files when the cache opens (DocumentCache).
 */
export const documentMigrations: readonly Migration[] = [
  {
    id: 'documents-001-blobs',
    up(db) {
      db.exec(`
        CREATE TABLE documents (
          id TEXT PRIMARY KEY NOT NULL,
          name TEXT NOT NULL,
          mime_type TEXT NOT NULL,
          size INTEGER NOT NULL,
          sha512 TEXT NOT NULL,
          source_kind TEXT NOT NULL,
          source_ref TEXT NOT NULL,
          fetched_at TEXT NOT NULL,
          last_opened_at TEXT,
          pinned INTEGER NOT NULL DEFAULT 0,
          pinned_until TEXT,
          chunk_count INTEGER NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX documents_by_source ON documents (source_kind, source_ref);
        CREATE INDEX documents_by_use ON documents (coalesce(last_opened_at, fetched_at));
        CREATE TABLE document_chunks (
          document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
          seq INTEGER NOT NULL,
          data BLOB NOT NULL,
          PRIMARY KEY (document_id, seq)
        ) STRICT;
      `);
    },
  },
  {
    id: 'documents-002-files',
    up(db) {
      db.exec(`
        ALTER TABLE documents ADD COLUMN file_id TEXT;
        ALTER TABLE documents ADD COLUMN file_key BLOB;
        CREATE UNIQUE INDEX documents_by_file ON documents (file_id);
      `);
    },
  },
  {
    // Issue 16: the text of cached documents, searchable offline. One row per document says what extraction
    // found (text, a scan without text, a failure, a type without a text reader); its pages' text is kept
    // for snippets, the index over it is contentless like mail's (mail-migrations.ts). Everything cascades
    // with the document's row: removal, retention and quota take the text with them; the trigger keeps the
    // contentless index in step (SQLite runs triggers for rows that foreign-key actions delete).
    id: 'documents-003-text',
    up(db) {
      db.exec(`
        CREATE TABLE document_text (
          document_id TEXT PRIMARY KEY NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
          state TEXT NOT NULL,
          pages INTEGER NOT NULL DEFAULT 0,
          text_bytes INTEGER NOT NULL DEFAULT 0,
          extractor INTEGER NOT NULL,
          indexed_at TEXT NOT NULL,
          detail TEXT
        ) STRICT;
        CREATE TABLE document_pages (
          id INTEGER PRIMARY KEY,
          document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
          page INTEGER NOT NULL,
          text TEXT NOT NULL,
          UNIQUE (document_id, page)
        ) STRICT;
        CREATE VIRTUAL TABLE document_fts USING fts5(
          body, content = '', contentless_delete = 1, detail = none,
          tokenize = "unicode61 remove_diacritics 2"
        );
        CREATE TRIGGER document_pages_ad AFTER DELETE ON document_pages BEGIN
          DELETE FROM document_fts WHERE rowid = old.id;
        END;
      `);
    },
  },
  {
    // Issue 15: a PDF whose pages all hang under one /Pages node gets a small incremental update that gives
    // pdf.js a balanced page tree (pdf-page-tree.ts), kept encrypted in a file of its own beside the document's
    // (same key, its own file id; document-page-trees.ts). page_tree_version says which version of that
    // computation looked at the document (0: not yet), whether it found an update to keep or not.
    id: 'documents-004-page-tree',
    up(db) {
      db.exec(`
        ALTER TABLE documents ADD COLUMN page_tree_file_id TEXT;
        ALTER TABLE documents ADD COLUMN page_tree_size INTEGER;
        ALTER TABLE documents ADD COLUMN page_tree_version INTEGER NOT NULL DEFAULT 0;
        CREATE UNIQUE INDEX documents_by_page_tree_file ON documents (page_tree_file_id);
      `);
    },
  },
];
