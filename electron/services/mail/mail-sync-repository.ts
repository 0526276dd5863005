import type { MailAddress } from '../../contract/mail-sync';
import type { FolderRole } from '../../contract/mail-sync';
import type { VaultDoor, WritableDB } from '../vault/vault-db';
import { FORWARDED_KEYWORD } from './action-queue';
import { threadKeySql } from './thread-key';
import { indexMessage, previewOf, reindexMessage, unindexMessage } from './mail-index-repository';
import {
  compactMailSources,
  deleteFolderSources,
  deleteMailSource,
  type MailSourceCompaction,
  withMailSources,
} from './mail-source-segments';

export interface FolderInfo {
  path: string;
  name: string;
  delimiter: string | null;
  role: FolderRole | null;
}

/** Per-folder sync state (RFC 7162). Big numbers travel as decimal strings. */
export interface FolderSyncState {
  uidValidity: string | null;
  uidNext: number | null;
  highestModseq: string | null;
}

export interface NewMessage {
  folder: string;
  uid: number;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  /** Milliseconds since the epoch, or null. */
  date: number | null;
  size: number;
  flags: readonly string[];
  hasAttachments: boolean;
  /** Body text for the index and the preview; null when only headers are stored. */
  bodyText: string | null;
  /** The raw RFC 5322 source; null when only headers are stored. */
  source: Buffer | null;
}

export interface FlagChange {
  uid: number;
  flags: readonly string[];
}

interface FolderStateRow {
  uid_validity: string | null;
  uid_next: number | null;
  highest_modseq: string | null;
}

const SQL = {
  insertMessage: `INSERT OR IGNORE INTO mail_messages
    (folder, uid, message_id, in_reply_to, refs, subject, from_name, from_address, to_json, cc_json, date, size,
     seen, flagged, answered, forwarded, draft, other_flags, has_attachments, has_body, preview, thread_key)
    VALUES (@folder, @uid, @message_id, @in_reply_to, @refs, @subject, @from_name, @from_address, @to_json, @cc_json,
     @date, @size, @seen, @flagged, @answered, @forwarded, @draft, @other_flags, @has_attachments, @has_body, @preview,
     ${threadKeySql('@refs', '@in_reply_to', '@message_id')})`,
  updateFlags: `UPDATE mail_messages SET seen = @seen, flagged = @flagged, answered = @answered,
    forwarded = @forwarded, draft = @draft, other_flags = @other_flags WHERE folder = @folder AND uid = @uid`,
  idOf: 'SELECT id FROM mail_messages WHERE folder = ? AND uid = ?',
  deleteMessage: 'DELETE FROM mail_messages WHERE id = ?',
  resume: 'UPDATE mail_folders SET resume_uid = max(resume_uid, ?) WHERE path = ?',
  // The folder's kept count (mail-003), grown once per batch (mail-009); a folder not listed yet counts its
  // rows when its row is made (mail_folders_total_init).
  addToTotal: 'UPDATE mail_folders SET total = total + ? WHERE path = ?',
  threadKeyOf: 'SELECT thread_key FROM mail_messages WHERE id = ?',
  joinThread: 'UPDATE mail_messages SET thread_key = ? WHERE thread_key = ?',
  highestId: 'SELECT max(id) FROM mail_messages',
  lowestId: 'SELECT min(id) FROM mail_messages',
  folderHolds: 'SELECT 1 FROM mail_messages WHERE folder = ? AND uid > 0 LIMIT 1',
} as const;

/** The same insert with the row's id given (see FIRST_MESSAGE_ID). */
const INSERT_MESSAGE_AT = SQL.insertMessage
  .replace('(folder, uid,', '(id, folder, uid,')
  .replace('VALUES (@folder,', 'VALUES (@id, @folder,');

/**
 * The id of the first message an empty vault stores. Search walks the full-text index newest row first and
 * stops after its limit (mail-search.ts), so row order must be arrival order. The first login fetches each
 * folder's newest chunk first and the older chunks after it; those are numbered downward from the lowest row,
 * which needs room below. New mail is numbered upward as SQLite does (highest id + 1). 2^40 leaves a trillion
 * ids either way and stays far inside JavaScript's safe integers. A vault from before this numbers older
 * chunks upward, as it always did.
 */
export const FIRST_MESSAGE_ID = 2 ** 40;

/** The first id for `messages` (one folder, older than all it holds) numbered below every row, or null: no room, or nothing in that folder to be older than. */
function idsBelowStored(db: WritableDB, messages: readonly NewMessage[]): number | null {
  const folder = messages[0]?.folder;
  if (folder === undefined || messages.some((m) => m.folder !== folder)) return null;
  if (db.pluck<[string], number>(SQL.folderHolds).get(folder) === undefined) return null;
  const lowest = db.pluck<[], number | null>(SQL.lowestId).get() ?? null;
  return lowest !== null && lowest - messages.length >= 1 ? lowest - messages.length : null;
}

/**
 * Replies stored before the message they answer (the first login fetches newest first) and naming only it
 * (In-Reply-To) took its Message-ID as their conversation (thread-key.ts): now that it is stored, they join
 * its conversation, which differs when it has References of its own.
 */
function joinWaitingReplies(db: WritableDB, id: number, messageId: string): void {
  const key = db.pluck<[number], string | null>(SQL.threadKeyOf).get(id);
  if (key && key !== messageId) db.prepare(SQL.joinThread).run(key, messageId);
}

/** IMAP keywords are case-insensitive (RFC 3501 2.3.2): "$forwarded" is the same keyword. */
function isForwardedKeyword(flag: string): boolean {
  return flag.toLowerCase() === FORWARDED_KEYWORD.toLowerCase();
}

function flagColumns(flags: readonly string[]) {
  const set = new Set(flags);
  const other = flags.filter(
    (f) => !['\\Seen', '\\Flagged', '\\Answered', '\\Draft', '\\Recent'].includes(f) && !isForwardedKeyword(f),
  );
  return {
    seen: set.has('\\Seen') ? 1 : 0,
    flagged: set.has('\\Flagged') ? 1 : 0,
    answered: set.has('\\Answered') ? 1 : 0,
    forwarded: flags.some(isForwardedKeyword) ? 1 : 0,
    draft: set.has('\\Draft') ? 1 : 0,
    other_flags: JSON.stringify(other),
  };
}

/** Deletes a message with its source and index entry (the sync's expunges, the actions' settled moves). */
export function deleteMessageRows(db: WritableDB, id: number): void {
  unindexMessage(db, id);
  deleteMailSource(db, id);
  db.prepare(SQL.deleteMessage).run(id);
}

/**
 * What the mail sync writes into the vault, and the per-folder sync state it reads back: the folder
 * list, new messages with their sources and full-text index, flag changes, expunges, and the policy's
 * offline period. One owner writes (ImapSync); the app's views read through MailQueryRepository.
 */
export class MailSyncRepository {
  constructor(private readonly vault: VaultDoor) {}

  // ---- folders and sync state -------------------------------------------------------------

  /** Replace the folder list with the server's; folders gone from the server lose their messages. */
  setFolders(folders: readonly FolderInfo[]): void {
    this.vault.transaction((db) => {
      const known = new Set(folders.map((f) => f.path));
      for (const path of db.pluck<[], string>('SELECT path FROM mail_folders').all()) {
        if (known.has(path)) continue;
        this.clearFolderIn(db, path);
        db.prepare('DELETE FROM mail_folders WHERE path = ?').run(path);
      }
      const upsert = db.prepare(
        `INSERT INTO mail_folders (path, name, delimiter, special_use) VALUES (@path, @name, @delimiter, @role)
         ON CONFLICT (path) DO UPDATE SET name = excluded.name, delimiter = excluded.delimiter, special_use = excluded.special_use`,
      );
      for (const f of folders) upsert.run({ path: f.path, name: f.name, delimiter: f.delimiter, role: f.role });
    });
  }

  folderState(path: string): FolderSyncState {
    const row = this.vault.guard((db) =>
      db
        .prepare<[string], FolderStateRow>(
          'SELECT uid_validity, uid_next, highest_modseq FROM mail_folders WHERE path = ?',
        )
        .get(path),
    );
    return {
      uidValidity: row?.uid_validity ?? null,
      uidNext: row?.uid_next ?? null,
      highestModseq: row?.highest_modseq ?? null,
    };
  }

  setFolderState(path: string, state: FolderSyncState): void {
    this.vault.transaction((db) =>
      db
        .prepare(
          'UPDATE mail_folders SET uid_validity = ?, uid_next = ?, highest_modseq = ?, synced_at = ? WHERE path = ?',
        )
        .run(state.uidValidity, state.uidNext, state.highestModseq, Date.now(), path),
    );
  }

  /**
   * Headers of the folder's messages below this UID are still to be fetched (the backfill, newest first);
   * null: every header is stored.
   */
  headersBelow(path: string): number | null {
    return this.vault.guard(
      (db) =>
        db.pluck<[string], number | null>('SELECT headers_below FROM mail_folders WHERE path = ?').get(path) ?? null,
    );
  }

  setHeadersBelow(path: string, below: number | null): void {
    this.vault.transaction((db) =>
      db.prepare('UPDATE mail_folders SET headers_below = ? WHERE path = ?').run(below, path),
    );
  }

  /** Messages below `uid` are to be backfilled too (mail that arrived in a burst while the app was away). */
  raiseHeadersBelow(path: string, uid: number): void {
    this.vault.transaction((db) =>
      db
        .prepare('UPDATE mail_folders SET headers_below = max(coalesce(headers_below, 0), ?) WHERE path = ?')
        .run(uid, path),
    );
  }

  /** How many messages the server reported for the folder at its last sync (the total the progress names). */
  setServerTotal(path: string, total: number): void {
    this.vault.transaction((db) =>
      db.prepare('UPDATE mail_folders SET server_total = ? WHERE path = ?').run(total, path),
    );
  }

  /** Forget every message of one folder (a changed UIDVALIDITY); other folders are untouched. */
  clearFolder(path: string): void {
    this.vault.transaction((db) => this.clearFolderIn(db, path));
  }

  private clearFolderIn(db: WritableDB, path: string): void {
    db.prepare('DELETE FROM mail_fts WHERE rowid IN (SELECT id FROM mail_messages WHERE folder = ?)').run(path);
    deleteFolderSources(db, path);
    db.prepare('DELETE FROM mail_messages WHERE folder = ?').run(path);
    db.prepare(
      `UPDATE mail_folders SET uid_validity = NULL, uid_next = NULL, highest_modseq = NULL, resume_uid = 0,
         headers_below = NULL WHERE path = ?`,
    ).run(path);
  }

  /** Highest UID stored for a folder (0 when none): new mail is fetched from here on. */
  maxUid(folder: string): number {
    return this.vault.guard(
      (db) =>
        db
          .pluck<[string], number | null>('SELECT max(uid) FROM mail_messages WHERE folder = ? AND uid > 0')
          .get(folder) ?? 0,
    );
  }

  /**
   * Where fetching new mail continues: after the UIDNEXT of the last complete sync, or after the
   * highest UID the sync itself stored since (an interrupted fetch resumes there). Rows that local moves
   * put into a folder do not count, so they never hide messages from the sync.
   */
  fetchFrom(folder: string): number {
    const row = this.vault.guard((db) =>
      db
        .prepare<[string], { uid_next: number | null; resume_uid: number }>(
          'SELECT uid_next, resume_uid FROM mail_folders WHERE path = ?',
        )
        .get(folder),
    );
    return Math.max(1, row?.uid_next ?? 1, (row?.resume_uid ?? 0) + 1);
  }

  uids(folder: string): number[] {
    return this.vault.guard((db) =>
      db.pluck<[string], number>('SELECT uid FROM mail_messages WHERE folder = ? AND uid > 0 ORDER BY uid').all(folder),
    );
  }

  // ---- writes by the sync -----------------------------------------------------------------

  /**
   * Store messages (one transaction); a (folder, uid) already stored is skipped, never duplicated. Returns new
   * ids. The only writer of new message rows: it keeps the folders' totals (mail-009).
   * `older`: the messages of one folder that are older than all it holds (the first login's later chunks). They
   * are numbered below every stored row, so that row order stays arrival order (see FIRST_MESSAGE_ID).
   */
  insertMessages(messages: readonly NewMessage[], { older = false }: { older?: boolean } = {}): number[] {
    return this.vault.transaction((db) =>
      withMailSources(db, this.vault.mailSourcesDir, (sources) => {
        const ids: number[] = [];
        const insertMessage = db.prepare(SQL.insertMessage);
        // Where an interrupted fetch resumes: the highest UID of each folder in this batch.
        const resume = new Map<string, number>();
        for (const m of messages) resume.set(m.folder, Math.max(resume.get(m.folder) ?? 0, m.uid));
        for (const [folder, uid] of resume) db.prepare(SQL.resume).run(uid, folder);
        const added = new Map<string, number>();
        // Explicit ids: every message of an older chunk, or only the first row of an empty vault.
        let nextId = older ? idsBelowStored(db, messages) : null;
        const numberEach = nextId !== null;
        if (nextId === null && db.pluck<[], number | null>(SQL.highestId).get() === null) nextId = FIRST_MESSAGE_ID;
        const insertAt = nextId === null ? null : db.prepare(INSERT_MESSAGE_AT);
        const inOrder = numberEach ? [...messages].sort((a, b) => a.uid - b.uid) : messages;
        for (const m of inOrder) {
          const given = nextId;
          if (nextId !== null) nextId = numberEach ? nextId + 1 : null;
          const row = {
            folder: m.folder,
            uid: m.uid,
            message_id: m.messageId,
            in_reply_to: m.inReplyTo,
            refs: m.references.length ? m.references.join(' ') : null,
            subject: m.subject,
            from_name: m.from.name,
            from_address: m.from.address,
            to_json: JSON.stringify(m.to),
            cc_json: JSON.stringify(m.cc),
            date: m.date,
            size: m.size,
            ...flagColumns(m.flags),
            has_attachments: m.hasAttachments ? 1 : 0,
            has_body: m.source ? 1 : 0,
            preview: previewOf(m.bodyText),
          };
          const info =
            given === null || insertAt === null ? insertMessage.run(row) : insertAt.run({ ...row, id: given });
          if (info.changes === 0) continue;
          const id = Number(info.lastInsertRowid);
          ids.push(id);
          added.set(m.folder, (added.get(m.folder) ?? 0) + 1);
          if (m.messageId) joinWaitingReplies(db, id, m.messageId);
          if (m.source) sources.put(id, m.source);
          indexMessage(db, id, m, m.bodyText);
        }
        for (const [folder, count] of added) db.prepare(SQL.addToTotal).run(count, folder);
        return ids;
      }),
    );
  }

  applyFlagChanges(folder: string, changes: readonly FlagChange[]): void {
    if (changes.length === 0) return;
    this.vault.transaction((db) => {
      const update = db.prepare(SQL.updateFlags);
      for (const c of changes) update.run({ folder, uid: c.uid, ...flagColumns(c.flags) });
    });
  }

  /**
   * The policy's offline period: bodies of messages dated before `cutoff` leave the vault. Their headers
   * stay listed and searchable (subject, sender, recipients); the body text leaves the search index and the
   * preview too. Returns how many bodies were removed. Runs in bounded transactions.
   */
  dropBodiesBefore(cutoff: Date): number {
    let dropped = 0;
    for (;;) {
      const ids = this.vault.guard((db) =>
        db
          .pluck<[number], number>(
            'SELECT id FROM mail_messages WHERE has_body = 1 AND date IS NOT NULL AND date < ? LIMIT 500',
          )
          .all(cutoff.getTime()),
      );
      if (ids.length === 0) return dropped;
      this.vault.transaction((db) => {
        for (const id of ids) {
          deleteMailSource(db, id);
          db.prepare("UPDATE mail_messages SET has_body = 0, preview = '' WHERE id = ?").run(id);
          reindexMessage(db, id, null);
        }
      });
      dropped += ids.length;
    }
  }

  /**
   * Reclaims the space of sources that left (expunged, moved, past the offline period): see
   * compactMailSources. Runs between syncs.
   */
  compactSources(): MailSourceCompaction {
    return compactMailSources(this.vault, this.vault.mailSourcesDir);
  }

  /** Remove messages the server expunged. */
  removeUids(folder: string, uids: Iterable<number>): number {
    return this.vault.transaction((db) => {
      let removed = 0;
      const idOf = db.prepare<[string, number], { id: number }>(SQL.idOf);
      for (const uid of uids) {
        const row = idOf.get(folder, uid);
        if (row) {
          deleteMessageRows(db, row.id);
          removed++;
        }
      }
      return removed;
    });
  }
}
