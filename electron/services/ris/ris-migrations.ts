import type { Migration } from '../vault/migration';

/**
 * The RIS tables in the vault. Papers and meetings have integer rowids for their FTS5 indexes
 * (external-content tables kept in step by triggers). Files, consultations and agenda items are
 * rows of their owner and are replaced with it.
 */
export const risMigrations: readonly Migration[] = [
  {
    id: 'ris-001-objects',
    up(db) {
      db.exec(`
        CREATE TABLE ris_systems (
          id TEXT PRIMARY KEY,
          name TEXT,
          oparl_version TEXT,
          body_list TEXT,
          added_at TEXT NOT NULL
        );
        CREATE TABLE ris_bodies (
          id TEXT PRIMARY KEY,
          system_id TEXT NOT NULL,
          name TEXT,
          short_name TEXT,
          lists TEXT NOT NULL,
          web TEXT,
          json TEXT NOT NULL
        );
        CREATE TABLE ris_sync_state (
          body_id TEXT NOT NULL,
          list TEXT NOT NULL,
          since TEXT NOT NULL,
          completed_at TEXT NOT NULL,
          PRIMARY KEY (body_id, list)
        );
        CREATE TABLE ris_organizations (
          id TEXT PRIMARY KEY,
          body_id TEXT NOT NULL,
          name TEXT,
          short_name TEXT,
          classification TEXT,
          chosen INTEGER NOT NULL DEFAULT 0,
          json TEXT NOT NULL
        );
        CREATE TABLE ris_persons (
          id TEXT PRIMARY KEY,
          body_id TEXT NOT NULL,
          name TEXT,
          json TEXT NOT NULL
        );
        CREATE TABLE ris_papers (
          rowid INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          body_id TEXT NOT NULL,
          name TEXT,
          reference TEXT,
          paper_type TEXT,
          date TEXT,
          web TEXT,
          modified TEXT
        );
        CREATE TABLE ris_meetings (
          rowid INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          body_id TEXT NOT NULL,
          name TEXT,
          start TEXT,
          end TEXT,
          state TEXT,
          cancelled INTEGER NOT NULL DEFAULT 0,
          location TEXT,
          organizations TEXT NOT NULL,
          agenda_text TEXT,
          web TEXT,
          modified TEXT
        );
        CREATE INDEX ris_meetings_start ON ris_meetings (start);
        CREATE TABLE ris_agenda_items (
          id TEXT NOT NULL,
          meeting_id TEXT NOT NULL,
          ord INTEGER NOT NULL,
          number TEXT,
          name TEXT,
          public INTEGER,
          result TEXT,
          consultation_id TEXT,
          PRIMARY KEY (meeting_id, ord)
        );
        CREATE INDEX ris_agenda_items_consultation ON ris_agenda_items (consultation_id);
        CREATE INDEX ris_agenda_items_id ON ris_agenda_items (id);
        CREATE TABLE ris_consultations (
          id TEXT NOT NULL,
          paper_id TEXT NOT NULL,
          ord INTEGER NOT NULL,
          meeting_id TEXT,
          agenda_item_id TEXT,
          role TEXT,
          authoritative INTEGER,
          organizations TEXT NOT NULL,
          PRIMARY KEY (paper_id, ord)
        );
        CREATE INDEX ris_consultations_id ON ris_consultations (id);
        CREATE INDEX ris_consultations_agenda ON ris_consultations (agenda_item_id);
        CREATE TABLE ris_files (
          owner_id TEXT NOT NULL,
          role TEXT NOT NULL,
          ord INTEGER NOT NULL,
          id TEXT NOT NULL,
          name TEXT,
          file_name TEXT,
          mime_type TEXT,
          size INTEGER,
          sha1 TEXT,
          sha512 TEXT,
          access_url TEXT,
          download_url TEXT,
          PRIMARY KEY (owner_id, role, ord)
        );
        CREATE TABLE ris_web_links (
          url TEXT PRIMARY KEY,
          object_id TEXT NOT NULL,
          object_kind TEXT NOT NULL,
          host TEXT NOT NULL,
          product TEXT NOT NULL,
          link_kind TEXT NOT NULL,
          link_id TEXT NOT NULL
        );
        CREATE INDEX ris_web_links_key ON ris_web_links (host, product, link_kind, link_id);
        CREATE INDEX ris_web_links_object ON ris_web_links (object_id);
        CREATE TABLE ris_offline (
          meeting_id TEXT PRIMARY KEY,
          requested_at TEXT NOT NULL,
          pinned_until TEXT NOT NULL,
          state TEXT NOT NULL,
          total INTEGER NOT NULL,
          done INTEGER NOT NULL
        );

        CREATE VIRTUAL TABLE ris_papers_fts USING fts5(
          name, reference, paper_type,
          content='ris_papers', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER ris_papers_ai AFTER INSERT ON ris_papers BEGIN
          INSERT INTO ris_papers_fts (rowid, name, reference, paper_type)
          VALUES (new.rowid, new.name, new.reference, new.paper_type);
        END;
        CREATE TRIGGER ris_papers_ad AFTER DELETE ON ris_papers BEGIN
          INSERT INTO ris_papers_fts (ris_papers_fts, rowid, name, reference, paper_type)
          VALUES ('delete', old.rowid, old.name, old.reference, old.paper_type);
        END;
        CREATE TRIGGER ris_papers_au AFTER UPDATE ON ris_papers BEGIN
          INSERT INTO ris_papers_fts (ris_papers_fts, rowid, name, reference, paper_type)
          VALUES ('delete', old.rowid, old.name, old.reference, old.paper_type);
          INSERT INTO ris_papers_fts (rowid, name, reference, paper_type)
          VALUES (new.rowid, new.name, new.reference, new.paper_type);
        END;

        CREATE VIRTUAL TABLE ris_meetings_fts USING fts5(
          name, location, agenda_text,
          content='ris_meetings', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER ris_meetings_ai AFTER INSERT ON ris_meetings BEGIN
          INSERT INTO ris_meetings_fts (rowid, name, location, agenda_text)
          VALUES (new.rowid, new.name, new.location, new.agenda_text);
        END;
        CREATE TRIGGER ris_meetings_ad AFTER DELETE ON ris_meetings BEGIN
          INSERT INTO ris_meetings_fts (ris_meetings_fts, rowid, name, location, agenda_text)
          VALUES ('delete', old.rowid, old.name, old.location, old.agenda_text);
        END;
        CREATE TRIGGER ris_meetings_au AFTER UPDATE ON ris_meetings BEGIN
          INSERT INTO ris_meetings_fts (ris_meetings_fts, rowid, name, location, agenda_text)
          VALUES ('delete', old.rowid, old.name, old.location, old.agenda_text);
          INSERT INTO ris_meetings_fts (rowid, name, location, agenda_text)
          VALUES (new.rowid, new.name, new.location, new.agenda_text);
        END;
      `);
    },
  },
  {
    // Issue 14: where a failed list goes on; data that came over plain http; a system's deviations.
    id: 'ris-002-resume-insecure-deviations',
    up(db) {
      db.exec(`
        CREATE TABLE ris_sync_resume (
          body_id TEXT NOT NULL,
          list TEXT NOT NULL,
          url TEXT NOT NULL,
          started_at TEXT NOT NULL,
          PRIMARY KEY (body_id, list)
        );
        ALTER TABLE ris_papers ADD COLUMN insecure INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE ris_meetings ADD COLUMN insecure INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE ris_systems ADD COLUMN deviations TEXT NOT NULL DEFAULT '[]';
      `);
    },
  },
];
