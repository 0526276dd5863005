import type { Migration } from '../vault/migration';
import { parentThreadSql, referencesRootSql } from './thread-key';

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
  {
    // Search with filters (folder, unread, attachment, date) walks the full-text matches newest first and
    // checks each against these columns: a narrow index keyed by id keeps that walk off the wide rows (whose
    // pages would have to be read and decrypted). Only adds an index: every stored message stays as it is
    // and stays searchable (the full-text index is untouched).
    id: 'mail-002-search-filters',
    up(db) {
      db.exec('CREATE INDEX mail_messages_search_filters ON mail_messages (id, folder, seen, has_attachments, date)');
    },
  },
  {
    // Every folder keeps the number of its messages, kept in step by triggers on every insert, delete and
    // move (whoever writes), so a list page does not count 100,000 rows per call. Existing folders are
    // counted once here; a folder row created later counts the messages it already has.
    id: 'mail-003-folder-totals',
    up(db) {
      db.exec(`
        ALTER TABLE mail_folders ADD COLUMN total INTEGER NOT NULL DEFAULT 0;
        UPDATE mail_folders SET total = (SELECT count(*) FROM mail_messages m WHERE m.folder = mail_folders.path);
        CREATE TRIGGER mail_messages_total_insert AFTER INSERT ON mail_messages BEGIN
          UPDATE mail_folders SET total = total + 1 WHERE path = NEW.folder;
        END;
        CREATE TRIGGER mail_messages_total_delete AFTER DELETE ON mail_messages BEGIN
          UPDATE mail_folders SET total = total - 1 WHERE path = OLD.folder;
        END;
        CREATE TRIGGER mail_messages_total_move AFTER UPDATE OF folder ON mail_messages
          WHEN OLD.folder IS NOT NEW.folder BEGIN
          UPDATE mail_folders SET total = total - 1 WHERE path = OLD.folder;
          UPDATE mail_folders SET total = total + 1 WHERE path = NEW.folder;
        END;
        CREATE TRIGGER mail_folders_total_init AFTER INSERT ON mail_folders BEGIN
          UPDATE mail_folders SET total = (SELECT count(*) FROM mail_messages m WHERE m.folder = NEW.path)
          WHERE path = NEW.path;
        END;
      `);
    },
  },
  {
    // First login (#20): headers newest first, bodies afterwards in bounded chunks (mail-backfill.ts).
    // headers_below: the UID below which a folder's headers are still to be fetched (NULL: all are stored);
    // server_total: the server's count at the last sync, the honest total while headers arrive. The index
    // answers "which bodies are missing, newest first" and the progress counts without reading message rows.
    // Existing vaults hold every header already: their folders start with NULL.
    id: 'mail-004-backfill',
    up(db) {
      db.exec(`
        ALTER TABLE mail_folders ADD COLUMN headers_below INTEGER;
        ALTER TABLE mail_folders ADD COLUMN server_total INTEGER;
        CREATE INDEX mail_messages_bodies ON mail_messages (folder, has_body, uid, date, size);
      `);
    },
  },
  {
    // The list sorted by sender or subject pages along an index as the date order does (mail-001).
    id: 'mail-005-list-sort',
    up(db) {
      db.exec(`
        CREATE INDEX mail_messages_list_sender ON mail_messages
          (folder, (CASE WHEN from_name <> '' THEN from_name ELSE from_address END) COLLATE NOCASE, date DESC, id DESC);
        CREATE INDEX mail_messages_list_subject ON mail_messages (folder, subject COLLATE NOCASE, date DESC, id DESC);
      `);
    },
  },
  {
    // The keyword $Forwarded gets its own column beside answered (the list shows both); messages stored
    // before kept it among other_flags (a JSON array of strings).
    id: 'mail-006-forwarded',
    up(db) {
      db.exec(`
        ALTER TABLE mail_messages ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0;
        UPDATE mail_messages SET forwarded = 1 WHERE other_flags LIKE '%"$forwarded"%';
      `);
    },
  },
  {
    // New sources go to AES-256-GCM segment files next to the vault (mail-source-segments.ts): each segment's
    // key, size and live bytes here, each message's record there. Sources stored before stay in mail_sources
    // and are read from there until their message goes.
    id: 'mail-007-source-segments',
    up(db) {
      db.exec(`
        CREATE TABLE mail_source_segments (
          segment INTEGER PRIMARY KEY,
          key BLOB NOT NULL,
          size INTEGER NOT NULL,
          live INTEGER NOT NULL
        );
        CREATE TABLE mail_source_refs (
          message INTEGER PRIMARY KEY,
          segment INTEGER NOT NULL REFERENCES mail_source_segments (segment),
          offset INTEGER NOT NULL,
          length INTEGER NOT NULL
        );
        CREATE INDEX mail_source_refs_segment ON mail_source_refs (segment, offset);
      `);
    },
  },
  {
    // The conversation view (#13) groups a folder's messages by conversation: every message gets its thread
    // key (thread-key.ts), new ones at insert, the stored ones here from the References, In-Reply-To and
    // Message-ID they were stored with. Two passes over the table, no per-row work in JavaScript: the roots
    // first, then replies without References take their parent's conversation (one level deep). The first
    // index finds the replies keyed by a message's id when that message arrives later
    // (mail-sync-repository.ts); the second covers the grouped list query (MailQueryRepository).
    id: 'mail-008-threads',
    up(db) {
      db.exec(`
        ALTER TABLE mail_messages ADD COLUMN thread_key TEXT;
        UPDATE mail_messages SET thread_key = coalesce(${referencesRootSql('refs')}, in_reply_to, message_id);
        UPDATE mail_messages SET thread_key = ${parentThreadSql('mail_messages.in_reply_to')}
          WHERE ${referencesRootSql('refs')} IS NULL AND in_reply_to IS NOT NULL
            AND ${parentThreadSql('mail_messages.in_reply_to')} IS NOT NULL;
        CREATE INDEX mail_messages_threads ON mail_messages (thread_key);
        CREATE INDEX mail_messages_conversations ON mail_messages
          (folder, thread_key, date, seen, flagged, has_attachments);
      `);
    },
  },
  {
    // The folder totals of mail-003 grow by one UPDATE per stored batch and folder (MailSyncRepository
    // .insertMessages, the one writer of new rows), no longer by a trigger per row: that trigger's UPDATE of
    // the folder row cost a third of each header row's insert, some 0.2 s of CPU per 10,000 messages of a
    // first login. Deletes and moves keep their triggers (one row at a time by nature).
    id: 'mail-009-totals-per-batch',
    up(db) {
      db.exec('DROP TRIGGER mail_messages_total_insert');
    },
  },
];

/** The outbox: every message is written here first, then submitted once (outbox.ts). */
export const outboxMigrations: readonly Migration[] = [
  {
    id: 'mail-outbox-001-items',
    up(db) {
      db.exec(`
        CREATE TABLE mail_outbox (
          id TEXT PRIMARY KEY,
          message_id TEXT NOT NULL UNIQUE,
          subject TEXT NOT NULL DEFAULT '',
          envelope_from TEXT NOT NULL,
          envelope_to TEXT NOT NULL,
          raw BLOB NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'submitted', 'sent', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          last_error TEXT,
          sent_copy INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          sent_at TEXT
        );
        CREATE INDEX mail_outbox_state ON mail_outbox(state);
      `);
    },
  },
  {
    // An encrypted message with Bcc recipients goes out as separate copies (outbox.ts): the main one to
    // To and Cc, one per Bcc recipient encrypted to that person only, so no CMS RecipientInfo names a Bcc
    // recipient to the others. bcc_copy_for names the copy's recipient (NULL: the main message); items are
    // unique per Message-ID and copy. SQLite cannot drop the inline UNIQUE(message_id), so the table is
    // rebuilt: every stored row is copied over in its order (rowid), as the main message it was.
    id: 'mail-outbox-003-bcc-copies',
    up(db) {
      db.exec(`
        CREATE TABLE mail_outbox_new (
          id TEXT PRIMARY KEY,
          message_id TEXT NOT NULL,
          bcc_copy_for TEXT,
          subject TEXT NOT NULL DEFAULT '',
          envelope_from TEXT NOT NULL,
          envelope_to TEXT NOT NULL,
          raw BLOB NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'submitted', 'sent', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          last_error TEXT,
          sent_copy INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          sent_at TEXT
        );
        INSERT INTO mail_outbox_new (id, message_id, bcc_copy_for, subject, envelope_from, envelope_to, raw, state,
            attempts, last_error, sent_copy, created_at, updated_at, sent_at)
          SELECT id, message_id, NULL, subject, envelope_from, envelope_to, raw, state,
            attempts, last_error, sent_copy, created_at, updated_at, sent_at
          FROM mail_outbox ORDER BY rowid;
        DROP TABLE mail_outbox;
        ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
        CREATE INDEX mail_outbox_state ON mail_outbox(state);
        -- NULLs are distinct in a UNIQUE index: the main message counts as the copy ''.
        CREATE UNIQUE INDEX mail_outbox_message_copy ON mail_outbox(message_id, ifnull(bcc_copy_for, ''));
      `);
    },
  },
];

/** Drafts in the vault, and the server copies still to be removed (drafts.ts). */
export const draftsMigrations: readonly Migration[] = [
  {
    id: 'mail-outbox-002-drafts',
    up(db) {
      db.exec(`
        CREATE TABLE mail_drafts (
          id TEXT PRIMARY KEY,
          doc TEXT NOT NULL,
          subject TEXT NOT NULL DEFAULT '',
          recipients TEXT NOT NULL DEFAULT '[]',
          revision INTEGER NOT NULL DEFAULT 1,
          remote_revision INTEGER NOT NULL DEFAULT 0,
          remote_uid INTEGER,
          message_id TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TABLE mail_drafts_remote_trash (
          message_id TEXT NOT NULL,
          uid INTEGER,
          PRIMARY KEY (message_id)
        );
      `);
    },
  },
];

/** The reader's own tables. */
export const mailReaderMigrations: readonly Migration[] = [
  {
    id: 'mail-reader-001-remote-senders',
    up(db) {
      db.exec('CREATE TABLE mail_remote_senders (address TEXT PRIMARY KEY, created_at INTEGER NOT NULL)');
    },
  },
  {
    // "Always load remote content for this sender" trusted the From line, which any sender writes
    // (issue #10 item 10): the choice is gone, and so are the senders it named. Remote content is allowed
    // per message only.
    id: 'mail-reader-002-no-sender-trust',
    up(db) {
      db.exec('DROP TABLE IF EXISTS mail_remote_senders');
    },
  },
];
