import type { Migration } from '../vault/migration';

/** Schema of the document cache. Documents are stored as metadata plus ordered chunks of at most 1 MiB. */
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
];
