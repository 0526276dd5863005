import type { Migration } from '../vault/migration';

/**
 * The local calendar in the vault: events the person accepted (or imported) with the iCalendar text they
 * came from (re-read for their occurrences), the answers sent (so one answer to one version goes out once),
 * and the SEQUENCE bookkeeping of exported council meetings.
 */
export const calendarMigrations: readonly Migration[] = [
  {
    id: 'calendar-001-events',
    up(db) {
      db.exec(`
        CREATE TABLE calendar_events (
          uid TEXT NOT NULL,
          recurrence_id TEXT NOT NULL,
          data TEXT NOT NULL,
          ics TEXT NOT NULL,
          my_answer TEXT,
          source TEXT NOT NULL,
          first_start INTEGER NOT NULL,
          last_end INTEGER,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (uid, recurrence_id)
        ) STRICT;
        CREATE INDEX calendar_events_first_start ON calendar_events (first_start);
        CREATE TABLE calendar_replies (
          uid TEXT NOT NULL,
          recurrence_id TEXT NOT NULL,
          sequence INTEGER NOT NULL,
          answer TEXT NOT NULL,
          outbox_id TEXT,
          queued_at INTEGER NOT NULL,
          PRIMARY KEY (uid, recurrence_id, sequence, answer)
        ) STRICT;
        CREATE TABLE calendar_meeting_sequences (
          oparl_id TEXT PRIMARY KEY NOT NULL,
          sequence INTEGER NOT NULL,
          fingerprint TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
      `);
    },
  },
];
