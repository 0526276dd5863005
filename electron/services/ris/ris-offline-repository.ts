import type { VaultDoor } from '../vault/vault-db';
import type { OfflineRow } from './ris-rows';

/** One "available offline" run of a meeting, kept so a run cut short by a restart continues. */
export type OfflineRecord = OfflineRow;

const COLUMNS = 'meeting_id AS meetingId, requested_at AS requestedAt, pinned_until AS pinnedUntil, state, total, done';

/** The offline records of meetings (ris_offline): written by OfflineMeetings, read back to resume. */
export class RisOfflineRepository {
  constructor(private readonly vault: VaultDoor) {}

  save(record: OfflineRecord): void {
    this.vault.transaction((db) =>
      db
        .prepare(
          `INSERT INTO ris_offline (meeting_id, requested_at, pinned_until, state, total, done)
           VALUES (@meetingId, @requestedAt, @pinnedUntil, @state, @total, @done)
           ON CONFLICT(meeting_id) DO UPDATE SET pinned_until = excluded.pinned_until, state = excluded.state,
             total = excluded.total, done = excluded.done`,
        )
        .run(record),
    );
  }

  get(meetingId: string): OfflineRecord | undefined {
    return this.vault.guard((db) =>
      db.prepare<[string], OfflineRecord>(`SELECT ${COLUMNS} FROM ris_offline WHERE meeting_id = ?`).get(meetingId),
    );
  }

  all(): OfflineRecord[] {
    return this.vault.guard((db) => db.prepare<[], OfflineRecord>(`SELECT ${COLUMNS} FROM ris_offline`).all());
  }
}
