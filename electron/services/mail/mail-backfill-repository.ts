import type { OfflineProgress } from '../../contract/mail-sync';
import type { VaultDoor } from '../vault/vault-db';
import { previewOf, reindexMessage, STORED_HEADER_COLUMNS, type StoredHeaders } from './mail-index-repository';
import { withMailSources } from './mail-source-segments';

/** A message whose body the backfill still has to fetch. */
export interface PendingBody {
  uid: number;
  /** RFC822.SIZE from the header fetch: bounds the bytes of one FETCH. */
  size: number;
}

/** A body fetched for a message whose headers are stored. */
export interface FetchedBody {
  uid: number;
  source: Buffer;
  /** Body text for the index and the preview. */
  bodyText: string;
}

/** "No offline period": every date, also those before 1970. */
const ALL_DATES = Number.MIN_SAFE_INTEGER;

const SQL = {
  // Served by mail_messages_bodies (folder, has_body, uid, date, size): no row is read.
  pendingBodies: `SELECT uid, size FROM mail_messages
    WHERE folder = ? AND has_body = 0 AND uid > 0 AND uid < ? AND (date IS NULL OR date >= ?)
    ORDER BY uid DESC LIMIT ?`,
  // With the headers the index entry is rebuilt from (one read per body, not two).
  bodyTarget: `SELECT m.id, m.has_body, ${STORED_HEADER_COLUMNS} FROM mail_messages m WHERE m.folder = ? AND m.uid = ?`,
  setBody: 'UPDATE mail_messages SET has_body = 1, preview = ? WHERE id = ?',
  counts: `SELECT count(*) AS listed,
      coalesce(sum(has_body), 0) AS offline,
      coalesce(sum(CASE WHEN has_body = 1 OR date IS NULL OR date >= ? THEN 1 ELSE 0 END), 0) AS wanted
    FROM mail_messages WHERE folder = ? AND uid > 0`,
  folder: 'SELECT server_total, headers_below FROM mail_folders WHERE path = ?',
  listed: 'SELECT total FROM mail_folders WHERE path = ?',
} as const;

/**
 * What the first-login backfill reads and writes in the vault besides the folders' sync state
 * (mail-backfill.ts): which stored messages still lack their body within the offline period, the bodies
 * themselves, and the progress figures. Everything it knows comes from the vault, so a restart or a lost
 * connection resumes where it stopped and nothing stored is fetched again.
 */
export class MailBackfillRepository {
  constructor(private readonly vault: VaultDoor) {}

  /** Messages of the folder stored so far (its kept total): the first FETCH of a folder is its newest page. */
  listed(folder: string): number {
    return this.vault.guard((db) => db.pluck<[string], number>(SQL.listed).get(folder) ?? 0);
  }

  /**
   * The next bodies to fetch, newest first: at most `maxCount` messages and about `maxBytes` (at least one),
   * dated within the offline period (`since`, ms; null: all), with UIDs below `belowUid` (the caller's
   * cursor past messages the server did not return).
   */
  pendingBodies(
    folder: string,
    since: number | null,
    maxCount: number,
    maxBytes: number,
    belowUid = Number.MAX_SAFE_INTEGER,
  ): PendingBody[] {
    const rows = this.vault.guard((db) =>
      db
        .prepare<[string, number, number, number], PendingBody>(SQL.pendingBodies)
        .all(folder, belowUid, since ?? ALL_DATES, maxCount),
    );
    const out: PendingBody[] = [];
    let bytes = 0;
    for (const r of rows) {
      if (out.length > 0 && bytes + r.size > maxBytes) break;
      out.push(r);
      bytes += r.size;
    }
    return out;
  }

  /**
   * Stores fetched bodies (one transaction): the source, the preview and the body words in the search index.
   * A message that got its body meanwhile (opened and fetched at once) or left the folder is skipped.
   * Returns the vault ids that got their body.
   */
  storeBodies(folder: string, bodies: readonly FetchedBody[]): number[] {
    return this.vault.transaction((db) =>
      withMailSources(db, this.vault.mailSourcesDir, (sources) => {
        const target = db.prepare<[string, number], StoredHeaders & { id: number; has_body: number }>(SQL.bodyTarget);
        const ids: number[] = [];
        for (const b of bodies) {
          const row = target.get(folder, b.uid);
          if (!row || row.has_body === 1) continue;
          sources.put(row.id, b.source);
          db.prepare(SQL.setBody).run(previewOf(b.bodyText), row.id);
          reindexMessage(db, row.id, b.bodyText, row);
          ids.push(row.id);
        }
        return ids;
      }),
    );
  }

  /** The folder's figures for "Posteingang: 1.240 von 50.000 Nachrichten offline verfügbar". */
  progress(folder: string, since: number | null): OfflineProgress {
    return this.vault.guard((db) => {
      const f = db
        .prepare<[string], { server_total: number | null; headers_below: number | null }>(SQL.folder)
        .get(folder);
      const c = db
        .prepare<[number, string], { listed: number; offline: number; wanted: number }>(SQL.counts)
        .get(since ?? ALL_DATES, folder) ?? { listed: 0, offline: 0, wanted: 0 };
      const headersDone = f?.headers_below === null || f?.headers_below === undefined;
      // Until every header is here the server's count is the honest total; after that, the stored messages
      // within the offline period are what will be offline.
      const total = headersDone ? c.listed : Math.max(c.listed, f?.server_total ?? 0);
      return {
        folder,
        listed: c.listed,
        total,
        offline: c.offline,
        // Messages not listed yet count as wanted until their dates are known.
        wanted: c.wanted + (total - c.listed),
        headersDone,
      };
    });
  }
}
