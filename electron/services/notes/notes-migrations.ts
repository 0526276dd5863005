import type { Migration } from '../vault/migration';
import type { NoteBody } from './note-envelope';
import { noteIndexText } from './note-index-text';

/**
 * The person's notes in the vault: the current version of each note (a deleted one as a tombstone, so the
 * deletion travels), whether it still has to go to the notes folder, every version id seen of it (so a stale
 * version arriving late is recognised), and how far that folder was read.
 */
export const notesMigrations: readonly Migration[] = [
  {
    id: 'notes-001-notes',
    up(db) {
      db.exec(`
        CREATE TABLE notes (
          id TEXT PRIMARY KEY NOT NULL,
          rev TEXT NOT NULL,
          base_rev TEXT,
          updated_at TEXT NOT NULL,
          device TEXT NOT NULL,
          deleted INTEGER NOT NULL,
          conflict_of TEXT,
          body TEXT NOT NULL,
          target_kind TEXT NOT NULL,
          target_ref TEXT NOT NULL,
          uploaded INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX notes_target ON notes (target_kind, target_ref);
        CREATE TABLE notes_folder_state (
          folder TEXT PRIMARY KEY NOT NULL,
          uid_validity TEXT NOT NULL,
          last_uid INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE notes_revs (
          note_id TEXT NOT NULL,
          rev TEXT NOT NULL,
          PRIMARY KEY (note_id, rev)
        ) STRICT;
        CREATE TABLE notes_device (
          id TEXT PRIMARY KEY NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    // "Überall suchen" finds notes with the folding and prefix matching of every index of the vault. Rows are
    // the notes table's rowids (an upsert keeps them); a tombstone has no entry.
    id: 'notes-002-search',
    up(db) {
      db.exec(`
        CREATE VIRTUAL TABLE notes_fts USING fts5(
          body, content = '', contentless_delete = 1, detail = none,
          tokenize = "unicode61 remove_diacritics 2"
        );
      `);
      const rows = db
        .prepare<[], { rowid: number; body: string }>('SELECT rowid, body FROM notes WHERE deleted = 0')
        .all();
      const insert = db.prepare('INSERT INTO notes_fts (rowid, body) VALUES (?, ?)');
      for (const row of rows) insert.run(row.rowid, noteIndexText(JSON.parse(row.body) as NoteBody));
    },
  },
];
