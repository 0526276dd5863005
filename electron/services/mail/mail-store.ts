import type Database from 'better-sqlite3-multiple-ciphers';
import type {
  FolderRole,
  ListPage,
  MailAddress,
  MailListItem,
  StoredMessage,
  SyncedFolder,
} from '../../contract/mail-sync';
import { RatsdeskError } from '../../contract/errors';
import { foldGerman } from './mail-search';
import {
  FULL_COLUMNS,
  type FullMessageRow,
  LIST_COLUMNS,
  type MessageRow,
  toListItem,
  toStoredMessage,
} from './mail-rows';

/** What the store needs of the vault: its one connection. */
export interface VaultHandle {
  readonly db: Database.Database;
}

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

export interface MessageRef {
  id: number;
  folder: string;
  uid: number;
  seen: boolean;
  flagged: boolean;
}

const MAX_INDEXED_BODY = 200_000;

function flagColumns(flags: readonly string[]) {
  const set = new Set(flags);
  const other = flags.filter((f) => !['\\Seen', '\\Flagged', '\\Answered', '\\Draft', '\\Recent'].includes(f));
  return {
    seen: set.has('\\Seen') ? 1 : 0,
    flagged: set.has('\\Flagged') ? 1 : 0,
    answered: set.has('\\Answered') ? 1 : 0,
    draft: set.has('\\Draft') ? 1 : 0,
    other_flags: JSON.stringify(other),
  };
}

function addressText(list: readonly MailAddress[]): string {
  return list.map((a) => `${a.name} ${a.address}`).join(' ');
}

function previewOf(text: string | null): string {
  if (!text) return '';
  return text.slice(0, 1_000).replace(/\s+/g, ' ').trim().slice(0, 200);
}

/**
 * The mail of one account in the vault: folders with their sync state, message headers and flags,
 * raw sources, and the full-text index. One owner writes (the sync); everything reads from here, so
 * the app works the same with or without a network.
 */
export class MailStore {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(vault: VaultHandle) {
    this.db = vault.db;
    const db = this.db;
    this.stmts = {
      insertMessage: db.prepare(`INSERT OR IGNORE INTO mail_messages
        (folder, uid, message_id, in_reply_to, refs, subject, from_name, from_address, to_json, cc_json, date, size,
         seen, flagged, answered, draft, other_flags, has_attachments, has_body, preview)
        VALUES (@folder, @uid, @message_id, @in_reply_to, @refs, @subject, @from_name, @from_address, @to_json, @cc_json,
         @date, @size, @seen, @flagged, @answered, @draft, @other_flags, @has_attachments, @has_body, @preview)`),
      insertSource: db.prepare('INSERT OR REPLACE INTO mail_sources (message, raw) VALUES (?, ?)'),
      insertFts: db.prepare('INSERT INTO mail_fts (rowid, subject, sender, recipients, body) VALUES (?, ?, ?, ?, ?)'),
      updateFlags: db.prepare(`UPDATE mail_messages SET seen = @seen, flagged = @flagged, answered = @answered,
        draft = @draft, other_flags = @other_flags WHERE folder = @folder AND uid = @uid`),
      idOf: db.prepare<[string, number], { id: number }>('SELECT id FROM mail_messages WHERE folder = ? AND uid = ?'),
      deleteFts: db.prepare('DELETE FROM mail_fts WHERE rowid = ?'),
      deleteSource: db.prepare('DELETE FROM mail_sources WHERE message = ?'),
      deleteMessage: db.prepare('DELETE FROM mail_messages WHERE id = ?'),
      resume: db.prepare('UPDATE mail_folders SET resume_uid = max(resume_uid, ?) WHERE path = ?'),
      maxUid: db.prepare<[string], { m: number | null }>(
        'SELECT max(uid) AS m FROM mail_messages WHERE folder = ? AND uid > 0',
      ),
      folderTotal: db.prepare<[string], number>('SELECT total FROM mail_folders WHERE path = ?').pluck(),
      countFolder: db.prepare<[string], number>('SELECT count(*) FROM mail_messages WHERE folder = ?').pluck(),
      listPage: db.prepare<[string, number, number], MessageRow>(
        `SELECT ${LIST_COLUMNS} FROM mail_messages m WHERE m.id IN (
           SELECT id FROM mail_messages WHERE folder = ? ORDER BY date DESC, id DESC LIMIT ? OFFSET ?)
         ORDER BY m.date DESC, m.id DESC`,
      ),
      folderState: db.prepare<
        [string],
        { uid_validity: string | null; uid_next: number | null; highest_modseq: string | null }
      >('SELECT uid_validity, uid_next, highest_modseq FROM mail_folders WHERE path = ?'),
    };
  }

  // ---- folders and sync state -------------------------------------------------------------

  /** Replace the folder list with the server's; folders gone from the server lose their messages. */
  setFolders(folders: readonly FolderInfo[]): void {
    const db = this.db;
    db.transaction(() => {
      const known = new Set(folders.map((f) => f.path));
      const existing = db.prepare('SELECT path FROM mail_folders').all() as { path: string }[];
      for (const { path } of existing) if (!known.has(path)) this.removeFolder(path);
      const upsert =
        db.prepare(`INSERT INTO mail_folders (path, name, delimiter, special_use) VALUES (@path, @name, @delimiter, @role)
        ON CONFLICT (path) DO UPDATE SET name = excluded.name, delimiter = excluded.delimiter, special_use = excluded.special_use`);
      for (const f of folders) upsert.run({ path: f.path, name: f.name, delimiter: f.delimiter, role: f.role });
    })();
  }

  private removeFolder(path: string): void {
    this.clearFolder(path);
    this.db.prepare('DELETE FROM mail_folders WHERE path = ?').run(path);
  }

  folderState(path: string): FolderSyncState {
    const row = this.stmts.folderState.get(path);
    return {
      uidValidity: row?.uid_validity ?? null,
      uidNext: row?.uid_next ?? null,
      highestModseq: row?.highest_modseq ?? null,
    };
  }

  setFolderState(path: string, state: FolderSyncState): void {
    this.db
      .prepare(
        'UPDATE mail_folders SET uid_validity = ?, uid_next = ?, highest_modseq = ?, synced_at = ? WHERE path = ?',
      )
      .run(state.uidValidity, state.uidNext, state.highestModseq, Date.now(), path);
  }

  /** Forget every message of one folder (a changed UIDVALIDITY); other folders are untouched. */
  clearFolder(path: string): void {
    const db = this.db;
    db.transaction(() => {
      db.prepare('DELETE FROM mail_fts WHERE rowid IN (SELECT id FROM mail_messages WHERE folder = ?)').run(path);
      db.prepare('DELETE FROM mail_sources WHERE message IN (SELECT id FROM mail_messages WHERE folder = ?)').run(path);
      db.prepare('DELETE FROM mail_messages WHERE folder = ?').run(path);
      db.prepare(
        'UPDATE mail_folders SET uid_validity = NULL, uid_next = NULL, highest_modseq = NULL, resume_uid = 0 WHERE path = ?',
      ).run(path);
    })();
  }

  /** Highest UID stored for a folder (0 when none): new mail is fetched from here on. */
  maxUid(folder: string): number {
    return this.stmts.maxUid.get(folder)?.m ?? 0;
  }

  /**
   * Where fetching new mail continues: after the UIDNEXT of the last complete sync, or after the
   * highest UID the sync itself stored since (an interrupted fetch resumes there). Rows that local moves
   * put into a folder do not count, so they never hide messages from the sync.
   */
  fetchFrom(folder: string): number {
    const row = this.db
      .prepare<[string], { uid_next: number | null; resume_uid: number }>(
        'SELECT uid_next, resume_uid FROM mail_folders WHERE path = ?',
      )
      .get(folder);
    return Math.max(1, row?.uid_next ?? 1, (row?.resume_uid ?? 0) + 1);
  }

  uids(folder: string): number[] {
    return this.db
      .prepare('SELECT uid FROM mail_messages WHERE folder = ? AND uid > 0 ORDER BY uid')
      .pluck()
      .all(folder) as number[];
  }

  // ---- writes by the sync -----------------------------------------------------------------

  /** Store messages (one transaction); a (folder, uid) already stored is skipped, never duplicated. Returns new ids. */
  insertMessages(messages: readonly NewMessage[]): number[] {
    const s = this.stmts;
    const ids: number[] = [];
    this.db.transaction(() => {
      // Where an interrupted fetch resumes: the highest UID of each folder in this batch.
      const resume = new Map<string, number>();
      for (const m of messages) resume.set(m.folder, Math.max(resume.get(m.folder) ?? 0, m.uid));
      for (const [folder, uid] of resume) s.resume.run(uid, folder);
      for (const m of messages) {
        const info = s.insertMessage.run({
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
        });
        if (info.changes === 0) continue;
        const id = Number(info.lastInsertRowid);
        ids.push(id);
        if (m.source) s.insertSource.run(id, m.source);
        s.insertFts.run(
          id,
          foldGerman(m.subject),
          foldGerman(`${m.from.name} ${m.from.address}`),
          foldGerman(addressText([...m.to, ...m.cc])),
          m.bodyText ? foldGerman(m.bodyText.slice(0, MAX_INDEXED_BODY)) : '',
        );
      }
    })();
    return ids;
  }

  applyFlagChanges(folder: string, changes: readonly FlagChange[]): void {
    if (changes.length === 0) return;
    this.db.transaction(() => {
      for (const c of changes) this.stmts.updateFlags.run({ folder, uid: c.uid, ...flagColumns(c.flags) });
    })();
  }

  /** Remove messages the server expunged. */
  /**
   * The policy's offline period: bodies of messages dated before `cutoff` leave the vault. Their headers
   * stay listed and searchable (subject, sender, recipients); the body text leaves the search index and the
   * preview too. Returns how many bodies were removed. Runs in bounded transactions.
   */
  dropBodiesBefore(cutoff: Date): number {
    const select = this.db.prepare<
      [number],
      { id: number; subject: string; from_name: string; from_address: string; to_json: string; cc_json: string }
    >(
      `SELECT id, subject, from_name, from_address, to_json, cc_json FROM mail_messages
       WHERE has_body = 1 AND date IS NOT NULL AND date < ? LIMIT 500`,
    );
    const dropSource = this.db.prepare('DELETE FROM mail_sources WHERE message = ?');
    const markHeadersOnly = this.db.prepare("UPDATE mail_messages SET has_body = 0, preview = '' WHERE id = ?");
    let dropped = 0;
    for (;;) {
      const rows = select.all(cutoff.getTime());
      if (rows.length === 0) return dropped;
      this.db.transaction(() => {
        for (const r of rows) {
          dropSource.run(r.id);
          markHeadersOnly.run(r.id);
          this.stmts.deleteFts.run(r.id);
          const recipients = [...(JSON.parse(r.to_json) as MailAddress[]), ...(JSON.parse(r.cc_json) as MailAddress[])];
          this.stmts.insertFts.run(
            r.id,
            foldGerman(r.subject),
            foldGerman(`${r.from_name} ${r.from_address}`),
            foldGerman(addressText(recipients)),
            '',
          );
        }
      })();
      dropped += rows.length;
    }
  }

  removeUids(folder: string, uids: Iterable<number>): number {
    let removed = 0;
    this.db.transaction(() => {
      for (const uid of uids) {
        const row = this.stmts.idOf.get(folder, uid);
        if (row) {
          this.removeById(row.id);
          removed++;
        }
      }
    })();
    return removed;
  }

  private removeById(id: number): void {
    this.stmts.deleteFts.run(id);
    this.stmts.deleteSource.run(id);
    this.stmts.deleteMessage.run(id);
  }

  // ---- local changes made by actions ------------------------------------------------------

  refs(ids: readonly number[]): MessageRef[] {
    const stmt = this.db.prepare<[number], { id: number; folder: string; uid: number; seen: number; flagged: number }>(
      'SELECT id, folder, uid, seen, flagged FROM mail_messages WHERE id = ?',
    );
    const out: MessageRef[] = [];
    for (const id of ids) {
      const r = stmt.get(id);
      if (r) out.push({ id: r.id, folder: r.folder, uid: r.uid, seen: r.seen === 1, flagged: r.flagged === 1 });
    }
    return out;
  }

  setLocalFlags(ids: readonly number[], change: { seen?: boolean; flagged?: boolean }): void {
    const db = this.db;
    db.transaction(() => {
      if (change.seen !== undefined) {
        const st = db.prepare('UPDATE mail_messages SET seen = ? WHERE id = ?');
        for (const id of ids) st.run(change.seen ? 1 : 0, id);
      }
      if (change.flagged !== undefined) {
        const st = db.prepare('UPDATE mail_messages SET flagged = ? WHERE id = ?');
        for (const id of ids) st.run(change.flagged ? 1 : 0, id);
      }
    })();
  }

  /**
   * Move rows locally. Until the server has done the move the row carries a negative placeholder UID
   * in the target folder; `settleMoved` gives it the real UID (or drops it for the sync to fetch).
   */
  moveLocal(ids: readonly number[], to: string): void {
    const st = this.db.prepare('UPDATE mail_messages SET folder = ?, uid = -id WHERE id = ?');
    this.db.transaction(() => {
      for (const id of ids) st.run(to, id);
    })();
  }

  settleMoved(id: number, newUid: number | null): void {
    this.db.transaction(() => {
      const row = this.db
        .prepare<[number], { folder: string }>('SELECT folder FROM mail_messages WHERE id = ?')
        .get(id);
      if (!row) return;
      const clash = newUid === null ? undefined : this.stmts.idOf.get(row.folder, newUid);
      if (newUid === null || clash) this.removeById(id);
      else this.db.prepare('UPDATE mail_messages SET uid = ? WHERE id = ?').run(newUid, id);
    })();
  }

  deleteLocal(ids: readonly number[]): void {
    this.db.transaction(() => {
      for (const id of ids) this.removeById(id);
    })();
  }

  // ---- reads for the app ------------------------------------------------------------------

  folders(): SyncedFolder[] {
    const rows = this.db
      .prepare(
        `SELECT f.path, f.name, f.delimiter, f.special_use,
           f.total AS total,
           (SELECT count(*) FROM mail_messages m WHERE m.folder = f.path AND m.seen = 0) AS unread
         FROM mail_folders f ORDER BY CASE WHEN f.special_use = 'inbox' THEN 0 ELSE 1 END, f.path`,
      )
      .all() as {
      path: string;
      name: string;
      delimiter: string | null;
      special_use: FolderRole | null;
      total: number;
      unread: number;
    }[];
    return rows.map((r) => ({
      path: r.path,
      name: r.name,
      delimiter: r.delimiter,
      role: r.special_use,
      total: r.total,
      unread: r.unread,
    }));
  }

  folderRole(role: FolderRole): string | null {
    const row = this.db
      .prepare<[string], { path: string }>('SELECT path FROM mail_folders WHERE special_use = ? ORDER BY path LIMIT 1')
      .get(role);
    return row?.path ?? null;
  }

  /**
   * One page of a folder, newest first. The total is the folder's kept count (mail-003-folder-totals), not
   * a count(*) per call; the page's ids are found on the covering list index (skipping `offset` index
   * entries only) and just those rows are read.
   */
  listPage(folder: string, offset = 0, limit = 100): ListPage {
    const s = this.stmts;
    const total = s.folderTotal.get(folder) ?? s.countFolder.get(folder) ?? 0;
    const rows = s.listPage.all(folder, limit, offset);
    return { folder, total, offset, items: rows.map(toListItem) };
  }

  getMessage(id: number): StoredMessage {
    const row = this.db.prepare(`SELECT ${FULL_COLUMNS} FROM mail_messages m WHERE m.id = ?`).get(id) as
      FullMessageRow | undefined;
    if (!row) throw new RatsdeskError('MAIL_MESSAGE_NOT_FOUND');
    return toStoredMessage(row);
  }

  /**
   * The conversation of a message, oldest first: everything its References/In-Reply-To name,
   * everything that replies to one of those, and everything whose References name it (across folders).
   */
  thread(id: number): MailListItem[] {
    const m = this.getMessage(id);
    const ids = [...new Set([m.messageId, m.inReplyTo, ...m.references].filter((x): x is string => Boolean(x)))].slice(
      0,
      200,
    );
    if (ids.length === 0)
      return [
        toListItem(this.db.prepare(`SELECT ${LIST_COLUMNS} FROM mail_messages m WHERE m.id = ?`).get(id) as MessageRow),
      ];
    const marks = ids.map(() => '?').join(',');
    const rows = this.db
      .prepare(
        `SELECT ${LIST_COLUMNS} FROM mail_messages m WHERE m.message_id IN (${marks}) OR m.in_reply_to IN (${marks}) OR m.id = ?
           OR (? IS NOT NULL AND m.refs IS NOT NULL AND instr(m.refs, ?) > 0)
         ORDER BY m.date, m.id LIMIT 500`,
      )
      .all(...ids, ...ids, id, m.messageId, m.messageId) as MessageRow[];
    return rows.map(toListItem);
  }

  /** The raw source for the reader (parsed by the message parser), or null when only headers are stored. */
  getSource(id: number): Buffer | null {
    const row = this.db.prepare<[number], { raw: Buffer }>('SELECT raw FROM mail_sources WHERE message = ?').get(id);
    return row?.raw ?? null;
  }

  count(folder?: string): number {
    return folder === undefined
      ? (this.db.prepare('SELECT count(*) FROM mail_messages').pluck().get() as number)
      : (this.stmts.countFolder.get(folder) ?? 0);
  }
}
