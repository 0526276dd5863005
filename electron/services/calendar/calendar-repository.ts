import type { Partstat, ReplyAnswerValue } from '../../contract/calendar';
import type { ReadableDB, VaultDoor, WritableDB } from '../vault/vault-db';
import type { CalendarEventData } from './calendar-reading';
import type { MeetingSequenceState } from './meeting-export';

/** One event of the local calendar. */
export interface LocalEvent {
  data: CalendarEventData;
  /** The iCalendar text it came from: re-read for its occurrences. */
  ics: string;
  myAnswer: Partstat | null;
  source: 'invitation' | 'import';
}

interface EventRow {
  data: string;
  ics: string;
  my_answer: string | null;
  source: string;
}

function fromRow(row: EventRow): LocalEvent {
  return {
    data: JSON.parse(row.data) as CalendarEventData,
    ics: row.ics,
    myAnswer: row.my_answer as Partstat | null,
    source: row.source === 'import' ? 'import' : 'invitation',
  };
}

/** The span an event can have occurrences in (unix seconds); a series without end is open. */
function span(data: CalendarEventData): { first: number; last: number | null } {
  const first = Math.floor(Date.parse(data.start) / 1000);
  if (!data.rrule) return { first, last: Math.floor(Date.parse(data.end) / 1000) };
  const until = /UNTIL=(\d{8})/.exec(data.rrule);
  if (!until && !/COUNT=/.test(data.rrule)) return { first, last: null };
  // UNTIL or COUNT: bounded, but computing the end exactly needs the expansion; a generous bound is enough
  // for picking candidates (the occurrences decide)
  if (until) {
    const d = until[1]!;
    return { first, last: Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8) + 2) / 1000 };
  }
  return { first, last: null };
}

/** The local calendar's tables (calendar-migrations.ts), behind the vault's one door. */
export class CalendarRepository {
  constructor(private readonly vault: VaultDoor) {}

  event(uid: string, recurrenceId: string | null): LocalEvent | null {
    return this.vault.guard((db) => this.read(db, uid, recurrenceId));
  }

  private read(db: ReadableDB, uid: string, recurrenceId: string | null): LocalEvent | null {
    const row = db
      .prepare<[string, string], EventRow>(
        'SELECT data, ics, my_answer, source FROM calendar_events WHERE uid = ? AND recurrence_id = ?',
      )
      .get(uid, recurrenceId ?? '');
    return row ? fromRow(row) : null;
  }

  /** Puts an event in (or replaces the stored version). */
  save(event: LocalEvent): void {
    this.vault.transaction((db) => this.write(db, event));
  }

  saveAll(events: LocalEvent[]): void {
    this.vault.transaction((db) => {
      for (const event of events) this.write(db, event);
    });
  }

  private write(db: WritableDB, event: LocalEvent): void {
    const { first, last } = span(event.data);
    db.prepare(
      `INSERT INTO calendar_events (uid, recurrence_id, data, ics, my_answer, source, first_start, last_end, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (uid, recurrence_id) DO UPDATE SET data = excluded.data, ics = excluded.ics,
         my_answer = excluded.my_answer, source = excluded.source, first_start = excluded.first_start,
         last_end = excluded.last_end, updated_at = excluded.updated_at`,
    ).run(
      event.data.uid,
      event.data.recurrenceId ?? '',
      JSON.stringify(event.data),
      event.ics,
      event.myAnswer,
      event.source,
      first,
      last,
      Date.now(),
    );
  }

  remove(uid: string, recurrenceId: string | null): void {
    this.vault.transaction((db) =>
      db.prepare('DELETE FROM calendar_events WHERE uid = ? AND recurrence_id = ?').run(uid, recurrenceId ?? ''),
    );
  }

  /** Events that may have occurrences in [from, to) (unix seconds). */
  candidates(from: number, to: number): LocalEvent[] {
    return this.vault.guard((db) =>
      db
        .prepare<[number, number], EventRow>(
          `SELECT data, ics, my_answer, source FROM calendar_events
           WHERE first_start < ? AND (last_end IS NULL OR last_end >= ?) ORDER BY first_start LIMIT 5000`,
        )
        .all(to, from)
        .map(fromRow),
    );
  }

  /**
   * Claims the sending of one answer to one version of an event: true the first time, false after (so a
   * double click, a retry or a second window never sends it twice). Runs inside the caller's transaction,
   * together with putting the reply into the outbox.
   */
  claimReply(
    db: WritableDB,
    key: { uid: string; recurrenceId: string | null; sequence: number; answer: ReplyAnswerValue },
  ): boolean {
    const result = db
      .prepare(
        `INSERT OR IGNORE INTO calendar_replies (uid, recurrence_id, sequence, answer, outbox_id, queued_at)
         VALUES (?, ?, ?, ?, NULL, ?)`,
      )
      .run(key.uid, key.recurrenceId ?? '', key.sequence, key.answer, Date.now());
    return result.changes === 1;
  }

  /** The last answer the person sent to an event (to version `sequence` or a later one when given), or null. */
  lastAnswer(uid: string, recurrenceId: string | null, sequence = 0): ReplyAnswerValue | null {
    return this.vault.guard(
      (db) =>
        (db
          .pluck<[string, string, number], string>(
            `SELECT answer FROM calendar_replies WHERE uid = ? AND recurrence_id = ? AND sequence >= ?
             ORDER BY queued_at DESC, rowid DESC LIMIT 1`,
          )
          .get(uid, recurrenceId ?? '', sequence) as ReplyAnswerValue | undefined) ?? null,
    );
  }

  meetingSequence(oparlId: string): MeetingSequenceState | null {
    return this.vault.guard(
      (db) =>
        db
          .prepare<[string], MeetingSequenceState>(
            'SELECT sequence, fingerprint FROM calendar_meeting_sequences WHERE oparl_id = ?',
          )
          .get(oparlId) ?? null,
    );
  }

  saveMeetingSequences(states: { oparlId: string; state: MeetingSequenceState }[]): void {
    this.vault.transaction((db) => {
      const put = db.prepare(
        `INSERT INTO calendar_meeting_sequences (oparl_id, sequence, fingerprint, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (oparl_id) DO UPDATE SET sequence = excluded.sequence, fingerprint = excluded.fingerprint,
           updated_at = excluded.updated_at`,
      );
      for (const { oparlId, state } of states) put.run(oparlId, state.sequence, state.fingerprint, Date.now());
    });
  }
}
