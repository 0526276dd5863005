import type { Migration } from '../vault/migration';

/**
 * The mail tables of the vault. Message rows stay small (list pages at 100,000 messages), the raw
 * source lives in its own table, and the full-text index is contentless (the text is not stored twice)
 * with detail=none: searches are ANDed prefix words, never phrases, so positions are not needed; that
 * halves the indexing cost of a big initial sync.
 */
export const mailMigrations: readonly Migration[] = [
  {
    id: 'mail-001-messages',
    up(db) {
      db.exec(`
        CREATE TABLE mail_folders (
          path TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          delimiter TEXT,
          special_use TEXT,
          uid_validity TEXT,
          uid_next INTEGER,
          highest_modseq TEXT,
          resume_uid INTEGER NOT NULL DEFAULT 0,
          synced_at INTEGER
        );
        CREATE TABLE mail_messages (
          id INTEGER PRIMARY KEY,
          folder TEXT NOT NULL,
          uid INTEGER NOT NULL,
          message_id TEXT,
          in_reply_to TEXT,
          refs TEXT,
          subject TEXT NOT NULL DEFAULT '',
          from_name TEXT NOT NULL DEFAULT '',
          from_address TEXT NOT NULL DEFAULT '',
          to_json TEXT NOT NULL DEFAULT '[]',
          cc_json TEXT NOT NULL DEFAULT '[]',
          date INTEGER,
          size INTEGER NOT NULL DEFAULT 0,
          seen INTEGER NOT NULL DEFAULT 0,
          flagged INTEGER NOT NULL DEFAULT 0,
          answered INTEGER NOT NULL DEFAULT 0,
          draft INTEGER NOT NULL DEFAULT 0,
          other_flags TEXT NOT NULL DEFAULT '[]',
          has_attachments INTEGER NOT NULL DEFAULT 0,
          has_body INTEGER NOT NULL DEFAULT 0,
          preview TEXT NOT NULL DEFAULT '',
          UNIQUE (folder, uid)
        );
        CREATE INDEX mail_messages_list ON mail_messages (folder, date DESC, id DESC);
        CREATE INDEX mail_messages_unread ON mail_messages (folder, seen);
        CREATE INDEX mail_messages_message_id ON mail_messages (message_id);
        CREATE TABLE mail_sources (
          message INTEGER PRIMARY KEY,
          raw BLOB NOT NULL
        );
        CREATE VIRTUAL TABLE mail_fts USING fts5(
          subject, sender, recipients, body,
          content = '', contentless_delete = 1, detail = none,
          tokenize = "unicode61 remove_diacritics 2"
        );
        CREATE TABLE mail_actions (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          kind TEXT NOT NULL,
          folder TEXT NOT NULL,
          uids TEXT NOT NULL,
          payload TEXT NOT NULL DEFAULT '{}',
          created_at INTEGER NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          last_error TEXT
        );
      `);
    },
  },
];
