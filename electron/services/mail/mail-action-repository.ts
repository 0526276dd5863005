import type { VaultDoor } from '../vault/vault-db';
import { deleteMessageRows } from './mail-sync-repository';

export interface MessageRef {
  id: number;
  folder: string;
  uid: number;
  seen: boolean;
  flagged: boolean;
}

/**
 * A change of a message's flags. answered is the system flag \Answered; forwarded the keyword $Forwarded
 * (RFC 5788 registry; Thunderbird, Outlook and Apple Mail set and show it).
 */
export interface MessageFlagChange {
  seen?: boolean;
  flagged?: boolean;
  answered?: boolean;
  forwarded?: boolean;
}

/** The vault column of each flag a MessageFlagChange can set. */
const FLAG_COLUMNS = { seen: 'seen', flagged: 'flagged', answered: 'answered', forwarded: 'forwarded' } as const;

/** A queued action as stored in mail_actions (its payload is JSON, see action-queue.ts). */
export interface ActionRow {
  id: number;
  folder: string;
  uids: string;
  payload: string;
  attempts: number;
}

/** The part of a queued action's payload (action-queue.ts) that a settled move reads and fills in. */
interface WaitingPayload {
  kind: string;
  ids?: number[];
  waiting?: number[];
}

/**
 * The vault side of mail actions: their local effect on stored messages (flags, moves with placeholder
 * UIDs, deletes) and the queue of actions waiting for the server (mail_actions).
 */
export class MailActionRepository {
  constructor(private readonly vault: VaultDoor) {}

  // ---- local changes made by actions ------------------------------------------------------

  refs(ids: readonly number[]): MessageRef[] {
    return this.vault.guard((db) => {
      const stmt = db.prepare<[number], { id: number; folder: string; uid: number; seen: number; flagged: number }>(
        'SELECT id, folder, uid, seen, flagged FROM mail_messages WHERE id = ?',
      );
      const out: MessageRef[] = [];
      for (const id of ids) {
        const r = stmt.get(id);
        if (r) out.push({ id: r.id, folder: r.folder, uid: r.uid, seen: r.seen === 1, flagged: r.flagged === 1 });
      }
      return out;
    });
  }

  setLocalFlags(ids: readonly number[], change: MessageFlagChange): void {
    this.vault.transaction((db) => {
      for (const key of Object.keys(FLAG_COLUMNS) as (keyof MessageFlagChange)[]) {
        const value = change[key];
        if (value === undefined) continue;
        const st = db.prepare(`UPDATE mail_messages SET ${FLAG_COLUMNS[key]} = ? WHERE id = ?`);
        for (const id of ids) st.run(value ? 1 : 0, id);
      }
    });
  }

  /** The stored copies of the message with this Message-ID (the original a reply or forward names). */
  idsByMessageId(messageId: string): number[] {
    return this.vault.guard((db) =>
      db
        .prepare<[string], { id: number }>('SELECT id FROM mail_messages WHERE message_id = ? AND uid <> 0')
        .all(messageId)
        .map((r) => r.id),
    );
  }

  /**
   * Move rows locally. Until the server has done the move the row carries a negative placeholder UID
   * in the target folder; `settleMoved` gives it the real UID (or drops it for the sync to fetch).
   */
  moveLocal(ids: readonly number[], to: string): void {
    this.vault.transaction((db) => {
      const st = db.prepare('UPDATE mail_messages SET folder = ?, uid = -id WHERE id = ?');
      for (const id of ids) st.run(to, id);
    });
  }

  /**
   * The server has moved message `id` (by the queued move `byAction`) into `to`, where it now has `newUid`
   * (null: the server did not say). Actions queued later that waited for its UID in `to` get it; the row
   * takes it when it is still in `to` and no later move is queued for it (else it keeps its placeholder
   * until that move settles). Without a UID the row is dropped for the sync to fetch again.
   */
  settleMoved(id: number, to: string, newUid: number | null, byAction: number): void {
    this.vault.transaction((db) => {
      const later = db
        .prepare<[number], ActionRow & { kind: string }>(
          'SELECT id, kind, folder, uids, payload, attempts FROM mail_actions WHERE id <> ? ORDER BY id',
        )
        .all(byAction)
        .map((a) => ({ ...a, parsed: JSON.parse(a.payload) as WaitingPayload }));
      const update = db.prepare('UPDATE mail_actions SET uids = ?, payload = ? WHERE id = ?');
      for (const a of later) {
        if (a.folder !== to || !a.parsed.waiting?.includes(id)) continue;
        const waiting = a.parsed.waiting.filter((w) => w !== id);
        const payload: WaitingPayload = { ...a.parsed, waiting: waiting.length ? waiting : undefined };
        const uids = JSON.parse(a.uids) as number[];
        if (newUid !== null) {
          uids.push(newUid);
          if (payload.kind === 'move') payload.ids = [...(payload.ids ?? []), id];
        }
        update.run(JSON.stringify(uids), JSON.stringify(payload), a.id);
      }
      const movesOnLater = later.some(
        (a) => a.kind === 'move' && (a.parsed.ids?.includes(id) || a.parsed.waiting?.includes(id)),
      );
      const row = db.prepare<[number], { folder: string }>('SELECT folder FROM mail_messages WHERE id = ?').get(id);
      if (!row || row.folder !== to || movesOnLater) return;
      const clash =
        newUid === null
          ? undefined
          : db
              .prepare<[string, number], { id: number }>('SELECT id FROM mail_messages WHERE folder = ? AND uid = ?')
              .get(row.folder, newUid);
      if (newUid === null || clash) deleteMessageRows(db, id);
      else db.prepare('UPDATE mail_messages SET uid = ? WHERE id = ?').run(newUid, id);
    });
  }

  /** Puts messages back where they were (an undone move): their folder and their UID there. */
  restoreLocal(refs: readonly MessageRef[]): void {
    this.vault.transaction((db) => {
      const st = db.prepare('UPDATE mail_messages SET folder = ?, uid = ? WHERE id = ?');
      for (const r of refs) st.run(r.folder, r.uid, r.id);
    });
  }

  deleteLocal(ids: readonly number[]): void {
    this.vault.transaction((db) => {
      for (const id of ids) deleteMessageRows(db, id);
    });
  }

  // ---- the queue ----------------------------------------------------------------------------

  pending(): number {
    return this.vault.guard((db) => db.pluck<[], number>('SELECT count(*) FROM mail_actions').get() ?? 0);
  }

  queued(): ActionRow[] {
    return this.vault.guard((db) =>
      db.prepare<[], ActionRow>('SELECT id, folder, uids, payload, attempts FROM mail_actions ORDER BY id').all(),
    );
  }

  /** Queues an action; returns its id. */
  enqueue(kind: string, folder: string, uids: readonly number[], payload: unknown): number {
    return this.vault.transaction((db) =>
      Number(
        db
          .prepare('INSERT INTO mail_actions (kind, folder, uids, payload, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(kind, folder, JSON.stringify(uids), JSON.stringify(payload), Date.now()).lastInsertRowid,
      ),
    );
  }

  queuedOne(id: number): ActionRow | undefined {
    return this.vault.guard((db) =>
      db
        .prepare<[number], ActionRow>('SELECT id, folder, uids, payload, attempts FROM mail_actions WHERE id = ?')
        .get(id),
    );
  }

  isQueued(id: number): boolean {
    return this.vault.guard(
      (db) => db.pluck<[number], number>('SELECT 1 FROM mail_actions WHERE id = ?').get(id) === 1,
    );
  }

  remove(id: number): void {
    this.vault.transaction((db) => db.prepare('DELETE FROM mail_actions WHERE id = ?').run(id));
  }

  recordRefusal(id: number, attempts: number, message: string): void {
    this.vault.transaction((db) =>
      db.prepare('UPDATE mail_actions SET attempts = ?, last_error = ? WHERE id = ?').run(attempts, message, id),
    );
  }

  /** Runs `fn` in one vault transaction: a local effect and its queued action are stored together. */
  atomically(fn: () => void): void {
    this.vault.transaction(() => fn());
  }
}
