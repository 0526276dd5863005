import {
  type FolderRole,
  type ListPage,
  type ListSort,
  MAX_CONVERSATION,
  type MailListItem,
  type StoredMessage,
  type SyncedFolder,
} from '../../contract/mail-sync';
import { RatsdeskError } from '../../contract/errors';
import { MAIL_TEXT_LIMITS as LIMITS, shownLine } from '../../contract/shown-text';
import type { ReadableDB, VaultDoor } from '../vault/vault-db';
import { readMailSource } from './mail-source-segments';
import {
  FULL_COLUMNS,
  type FullMessageRow,
  LIST_COLUMNS,
  type MessageRow,
  type RowProblemLog,
  toListItems,
  toStoredMessage,
} from './mail-rows';
import { CONVERSATION } from './thread-key';

interface FolderRow {
  path: string;
  name: string;
  delimiter: string | null;
  special_use: FolderRole | null;
  total: number;
  unread: number;
}

/** The list orders (fixed SQL, never built from input); each pages along an index of mail-migrations. */
const LIST_ORDER: Record<ListSort, string> = {
  date: 'm.date DESC, m.id DESC',
  sender:
    "(CASE WHEN m.from_name <> '' THEN m.from_name ELSE m.from_address END) COLLATE NOCASE, m.date DESC, m.id DESC",
  subject: 'm.subject COLLATE NOCASE, m.date DESC, m.id DESC',
};

/** A conversation's row as the grouped list query answers it. */
interface ConversationRow extends MessageRow {
  /** The conversation (its thread key, or '#' and the row id for a message without one). */
  k: string;
  n: number;
  unread: number;
  any_flagged: number;
  any_attachment: number;
  /** How many conversations the folder has. */
  conversations: number;
}

/** The thread view shows at most this many messages (the contract's bound), oldest first. */
const MAX_THREAD = 200;

/**
 * The mail of one account as the app reads it from the vault: folders with counts, list pages, stored
 * messages and their sources, threads. Everything answers offline.
 */
export class MailQueryRepository {
  constructor(
    private readonly vault: VaultDoor,
    /** Where an entry that had to be shown degraded is noted (the app's log). */
    private readonly log?: RowProblemLog,
  ) {}

  // ---- reads for the app ------------------------------------------------------------------

  folders(): SyncedFolder[] {
    const rows = this.vault.guard((db) =>
      db
        .prepare<[], FolderRow>(
          `SELECT f.path, f.name, f.delimiter, f.special_use,
             f.total AS total,
             (SELECT count(*) FROM mail_messages m WHERE m.folder = f.path AND m.seen = 0) AS unread
           FROM mail_folders f ORDER BY CASE WHEN f.special_use = 'inbox' THEN 0 ELSE 1 END, f.path`,
        )
        .all(),
    );
    // A folder whose path is longer than the contract carries cannot be named in a call: it is left out (and
    // logged) instead of failing the whole folder list; names are bounded like every shown line (#10 item 3).
    return rows.flatMap((r) => {
      if (r.path.length > LIMITS.folder) {
        this.log?.warn('mail.folder-path-too-long', `${r.path.length} characters`);
        return [];
      }
      return [
        {
          path: r.path,
          name: shownLine(r.name, LIMITS.folder),
          delimiter: r.delimiter && r.delimiter.length <= 4 ? r.delimiter : null,
          role: r.special_use,
          total: r.total,
          unread: r.unread,
        },
      ];
    });
  }

  folderRole(role: FolderRole): string | null {
    return this.vault.guard(
      (db) =>
        db
          .pluck<[string], string>('SELECT path FROM mail_folders WHERE special_use = ? ORDER BY path LIMIT 1')
          .get(role) ?? null,
    );
  }

  /**
   * One page of a folder, newest first (or by sender or subject, then newest first). The total is the folder's kept count (mail-003-folder-totals), not
   * a count(*) per call; the page's ids are found on the covering list index (skipping `offset` index
   * entries only) and just those rows are read.
   */
  listPage(folder: string, offset = 0, limit = 100, sort: ListSort = 'date'): ListPage {
    const order = LIST_ORDER[sort];
    return this.vault.guard((db) => {
      const total =
        db.pluck<[string], number>('SELECT total FROM mail_folders WHERE path = ?').get(folder) ??
        this.countIn(db, folder);
      const rows = db
        .prepare<[string, number, number], MessageRow>(
          `SELECT ${LIST_COLUMNS} FROM mail_messages m WHERE m.id IN (
             SELECT id FROM mail_messages m WHERE folder = ? ORDER BY ${order} LIMIT ? OFFSET ?)
           ORDER BY ${order}`,
        )
        .all(folder, limit, offset);
      return { folder, total, offset, items: toListItems(rows, this.log) };
    });
  }

  /**
   * One page of a folder as conversations (#13): one entry per conversation (thread-key.ts), showing its
   * newest message, ordered as `listPage` orders messages but by each conversation's newest one; unread when
   * any of its messages is, flagged or with attachment when any is, with the ids of all its messages in the
   * folder (what an action on the row acts on). Rows stay one per list position, so paging, selection and
   * ranges work on conversations as they do on messages. The folder is grouped per call (no kept count).
   */
  conversationPage(folder: string, offset = 0, limit = 100, sort: ListSort = 'date'): ListPage {
    const order = LIST_ORDER[sort];
    return this.vault.guard((db) => {
      // One pass over the folder's covering index (mail-007): per conversation its count, unread count, flags,
      // and its newest message (the bare id beside the only max(): SQLite takes it from the max row); the
      // number of conversations comes with every row (a window over the groups).
      const groups = `SELECT ${CONVERSATION} AS k, m.id, max(m.date) AS newest, count(*) AS n,
          total(m.seen = 0) AS unread, total(m.flagged) > 0 AS any_flagged,
          total(m.has_attachments) > 0 AS any_attachment, count(*) OVER () AS conversations
        FROM mail_messages m WHERE m.folder = ? GROUP BY ${CONVERSATION}`;
      const columns = `${LIST_COLUMNS}, g.k, g.n, g.unread, g.any_flagged, g.any_attachment, g.conversations`;
      // Newest first pages on the grouped figures alone, so only the page's rows are read; the other orders
      // need each conversation's newest sender or subject.
      const sql =
        sort === 'date'
          ? `SELECT ${columns} FROM (${groups} ORDER BY newest DESC, m.id DESC LIMIT ? OFFSET ?) g
             JOIN mail_messages m ON m.id = g.id ORDER BY g.newest DESC, g.id DESC`
          : `SELECT ${columns} FROM (${groups}) g JOIN mail_messages m ON m.id = g.id ORDER BY ${order} LIMIT ? OFFSET ?`;
      const rows = db.prepare<[string, number, number], ConversationRow>(sql).all(folder, limit, offset);
      const total =
        rows[0]?.conversations ??
        db
          .pluck<[string], number>(`SELECT count(DISTINCT ${CONVERSATION}) FROM mail_messages m WHERE m.folder = ?`)
          .get(folder) ??
        0;
      // The messages of the page's conversations, found by their thread keys (mail_messages_threads; the
      // unary + keeps SQLite from walking the whole folder on a folder index instead).
      const members = new Map<string, number[]>();
      const keys = rows.map((r) => r.k).filter((k) => !k.startsWith('#'));
      if (keys.length > 0) {
        const found = db
          .prepare<[string, string], { id: number; k: string }>(
            `SELECT m.id, m.thread_key AS k FROM mail_messages m
             WHERE m.thread_key IN (SELECT value FROM json_each(?)) AND +m.folder = ? ORDER BY m.date, m.id`,
          )
          .all(JSON.stringify(keys), folder);
        for (const f of found) members.set(f.k, [...(members.get(f.k) ?? []), f.id]);
      }
      const byId = new Map(rows.map((r) => [r.id, r]));
      const items = toListItems(
        rows.map((r) => ({
          ...r,
          seen: r.unread > 0 ? 0 : 1,
          flagged: r.any_flagged,
          has_attachments: r.any_attachment,
        })),
        this.log,
      ).map((item) => {
        const r = byId.get(item.id)!;
        const ids = (members.get(r.k) ?? [r.id]).slice(-MAX_CONVERSATION);
        return { ...item, conversation: { count: r.n, unread: Math.round(r.unread), ids } };
      });
      return { folder, total, offset, items };
    });
  }

  /** The list entries of the given messages, in the given order (ids no longer stored are left out). */
  listItems(ids: readonly number[]): MailListItem[] {
    return this.vault.guard((db) => {
      const one = db.prepare<[number], MessageRow>(`SELECT ${LIST_COLUMNS} FROM mail_messages m WHERE m.id = ?`);
      return toListItems(
        ids.flatMap((id) => one.get(id) ?? []),
        this.log,
      );
    });
  }

  getMessage(id: number): StoredMessage {
    const row = this.vault.guard((db) =>
      db.prepare<[number], FullMessageRow>(`SELECT ${FULL_COLUMNS} FROM mail_messages m WHERE m.id = ?`).get(id),
    );
    if (!row) throw new RatsdeskError('MAIL_MESSAGE_NOT_FOUND');
    return toStoredMessage(row, this.log);
  }

  /** The folder's UIDVALIDITY as last synced (null before the first sync). */
  uidValidity(folder: string): string | null {
    return this.vault.guard(
      (db) =>
        db.pluck<[string], string | null>('SELECT uid_validity FROM mail_folders WHERE path = ?').get(folder) ?? null,
    );
  }

  /** The vault id of a stored message by folder and UID. */
  idOf(folder: string, uid: number): number | undefined {
    return this.vault.guard(
      (db) =>
        db
          .prepare<[string, number], { id: number }>('SELECT id FROM mail_messages WHERE folder = ? AND uid = ?')
          .get(folder, uid)?.id,
    );
  }

  /**
   * The conversation of a message, oldest first: everything its References/In-Reply-To name, everything
   * that replies to one of those, and everything whose References name it (across folders). A message
   * filed twice (a copy in Sent, say) counts once; the copy in the message's own folder wins.
   */
  thread(id: number): MailListItem[] {
    const m = this.getMessage(id);
    const ids = [...new Set([m.messageId, m.inReplyTo, ...m.references].filter((x): x is string => Boolean(x)))].slice(
      -MAX_THREAD,
    );
    const marks = ids.map(() => '?').join(',') || 'NULL';
    const rows = this.vault.guard((db) =>
      db
        .prepare<unknown[], MessageRow & { message_id: string | null }>(
          `SELECT ${LIST_COLUMNS}, m.message_id FROM mail_messages m
           WHERE m.message_id IN (${marks}) OR m.in_reply_to IN (${marks}) OR m.id = ?
             OR (? IS NOT NULL AND m.refs IS NOT NULL AND instr(m.refs, ?) > 0)
           ORDER BY m.date, m.id LIMIT 500`,
        )
        .all(...ids, ...ids, id, m.messageId, m.messageId),
    );
    const byMessageId = new Map<string, MessageRow>();
    for (const r of rows) {
      const key = r.message_id ?? `#${r.id}`;
      const had = byMessageId.get(key);
      if (!had || (had.folder !== m.folder && r.folder === m.folder) || r.id === id) byMessageId.set(key, r);
    }
    return toListItems([...byMessageId.values()].slice(0, MAX_THREAD), this.log);
  }

  /** The raw source for the reader (parsed by the message parser), or null when only headers are stored. */
  getSource(id: number): Buffer | null {
    return this.vault.guard((db) => readMailSource(db, this.vault.mailSourcesDir, id));
  }

  count(folder?: string): number {
    return this.vault.guard((db) =>
      folder === undefined
        ? (db.pluck<[], number>('SELECT count(*) FROM mail_messages').get() ?? 0)
        : this.countIn(db, folder),
    );
  }

  private countIn(db: ReadableDB, folder: string): number {
    return db.pluck<[string], number>('SELECT count(*) FROM mail_messages WHERE folder = ?').get(folder) ?? 0;
  }
}
