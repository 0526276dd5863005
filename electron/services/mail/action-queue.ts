import type { ImapFlow } from 'imapflow';
import { RatsdeskError } from '../../contract/errors';
import { classifyConnectError } from './imap-connection';
import type { ActionRow, MailActionRepository, MessageFlagChange, MessageRef } from './mail-action-repository';
import type { MailQueryRepository } from './mail-query-repository';

/**
 * What a queued action asks of the server, for the messages `uids` of `folder`. `waiting` names messages
 * (vault ids) that are in `folder` only after an earlier queued move reaches the server: acted on again
 * before that (moved on, flagged, deleted for good while offline), their UID there is not known yet. The
 * earlier move fills it in when the server answers with the new UID (`settleMoved`); a move's `ids` stay
 * aligned with its `uids`.
 */
export type ActionPayload = (
  ({ kind: 'flags' } & MessageFlagChange) | { kind: 'move'; to: string; ids: number[] } | { kind: 'delete' }
) & { waiting?: number[] };

export interface QueuedAction {
  id: number;
  folder: string;
  uids: number[];
  payload: ActionPayload;
  attempts: number;
}

/** What taking back a move (or a delete into Trash) needs: the actions it queued and where its messages were. */
export interface UndoRecord {
  actionIds: number[];
  before: MessageRef[];
}

export interface ReplayResult {
  done: number;
  /** Actions the server refused repeatedly and that were given up (their local effect stays until the next sync). */
  dropped: number;
}

/** The IMAP keyword of a forwarded message (RFC 5788 registry), as Thunderbird, Outlook and Apple Mail write it. */
export const FORWARDED_KEYWORD = '$Forwarded';

/** After this many refusals (NO/BAD) an action is dropped so it cannot block the queue forever. */
const MAX_ATTEMPTS = 3;

/** imapflow answers `false` instead of throwing when a server refuses STORE, MOVE or EXPUNGE. */
class RefusedByServer extends Error {
  readonly responseStatus = 'NO';
}

function refusedUnless(ok: unknown, what: string): void {
  if (ok === false) throw new RefusedByServer(`${what} refused`);
}

/**
 * Mail actions (read/unread, flag, move, delete) are applied to the vault at once and queued there;
 * `replay` sends them to the server in order once a connection is up. The queue survives restarts.
 */
export class ActionQueue {
  constructor(
    private readonly repository: MailActionRepository,
    private readonly queries: Pick<MailQueryRepository, 'folderRole'>,
  ) {}

  pending(): number {
    return this.repository.pending();
  }

  list(): QueuedAction[] {
    return this.repository.queued().map(toQueued);
  }

  /** While an undoable operation runs: the ids of the actions it queues. */
  private collecting: number[] | undefined;

  private enqueue(folder: string, uids: number[], payload: ActionPayload): void {
    const id = this.repository.enqueue(payload.kind, folder, uids, payload);
    this.collecting?.push(id);
  }

  /**
   * Runs a move or a delete into Trash (`run`) on `ids` and records what `undo` needs. Messages deleted
   * for good are gone from the vault: an operation that deletes any for good cannot be recorded (undefined).
   */
  recordUndo(ids: readonly number[], run: () => void): UndoRecord | undefined {
    const before = this.repository.refs(ids);
    const trash = this.queries.folderRole('trash');
    const forGood = before.some((r) => !trash || r.folder === trash);
    const actionIds: number[] = [];
    this.collecting = forGood ? undefined : actionIds;
    try {
      this.repository.atomically(run);
    } finally {
      this.collecting = undefined;
    }
    return forGood ? undefined : { actionIds, before };
  }

  /**
   * Takes back a recorded operation whose actions are all still queued: they leave the queue and the
   * messages return to their folder and UID, so the server never hears of it. False when any of them has
   * already been sent (nothing is changed then).
   */
  undo(record: UndoRecord): boolean {
    let undone = false;
    this.repository.atomically(() => {
      if (!record.actionIds.every((id) => this.repository.isQueued(id))) return;
      for (const id of record.actionIds) this.repository.remove(id);
      this.repository.restoreLocal(record.before);
      undone = true;
    });
    return undone;
  }

  /**
   * Messages by folder: those with a server UID there, and those still waiting for one (a queued move
   * has not reached the server yet), whose actions wait for that move to name their UID.
   */
  private byFolder(ids: readonly number[]) {
    const groups = new Map<string, { ids: number[]; uids: number[]; withUid: number[]; waiting: number[] }>();
    for (const r of this.repository.refs(ids)) {
      const g = groups.get(r.folder) ?? { ids: [], uids: [], withUid: [], waiting: [] };
      g.ids.push(r.id);
      if (r.uid > 0) {
        g.uids.push(r.uid);
        g.withUid.push(r.id);
      } else g.waiting.push(r.id);
      groups.set(r.folder, g);
    }
    if (groups.size === 0) throw new RatsdeskError('MAIL_MESSAGE_NOT_FOUND');
    return groups;
  }

  setFlags(ids: readonly number[], change: MessageFlagChange): number {
    this.repository.atomically(() => {
      const groups = this.byFolder(ids);
      this.repository.setLocalFlags(ids, change);
      for (const [folder, g] of groups)
        if (g.uids.length || g.waiting.length)
          this.enqueue(folder, g.uids, { kind: 'flags', ...change, ...waitingFor(g.waiting) });
    });
    return this.pending();
  }

  move(ids: readonly number[], to: string): number {
    this.repository.atomically(() => {
      const groups = this.byFolder(ids);
      for (const [folder, g] of groups) {
        if (folder === to) continue;
        if (g.uids.length || g.waiting.length)
          this.enqueue(folder, g.uids, { kind: 'move', to, ids: g.withUid, ...waitingFor(g.waiting) });
        this.repository.moveLocal(g.ids, to);
      }
    });
    return this.pending();
  }

  /** Into Trash; for good when already in Trash (or when there is no Trash). */
  delete(ids: readonly number[]): number {
    const trash = this.queries.folderRole('trash');
    this.repository.atomically(() => {
      const groups = this.byFolder(ids);
      for (const [folder, g] of groups) {
        if (trash && folder !== trash) {
          this.move(g.ids, trash);
          continue;
        }
        if (g.uids.length || g.waiting.length)
          this.enqueue(folder, g.uids, { kind: 'delete', ...waitingFor(g.waiting) });
        this.repository.deleteLocal(g.ids);
      }
    });
    return this.pending();
  }

  /**
   * Send the queued actions in order over a connected client. A lost connection stops the replay
   * (the rest stays queued) and throws; a refusal by the server is retried on a later replay and
   * dropped after a few attempts. Actions in `held` (still undoable) wait for a later replay; an action
   * taken back while the replay runs is not sent.
   */
  async replay(client: ImapFlow, held: ReadonlySet<number> = new Set()): Promise<ReplayResult> {
    const result: ReplayResult = { done: 0, dropped: 0 };
    for (const { id } of this.list()) {
      if (held.has(id)) continue;
      // Read again: a move that ran before it in this replay may have named UIDs it was waiting for.
      const action = this.queued(id);
      if (!action) continue;
      if (action.uids.length === 0) {
        const waiting = action.payload.waiting ?? [];
        // Still waiting for an earlier move (held for undo, or refused for now): it stays queued. With no
        // such move left (it was dropped), nothing can name the UID: the next sync shows the truth.
        if (waiting.length > 0 && this.awaitedMove(waiting, id)) continue;
        this.repository.remove(id);
        if (waiting.length > 0) result.dropped++;
        continue;
      }
      try {
        await this.run(client, action);
        this.repository.remove(action.id);
        result.done++;
      } catch (err) {
        if (!client.usable)
          throw err instanceof RefusedByServer ? new RatsdeskError('NOT_CONNECTED') : classifyConnectError(err);
        const attempts = action.attempts + 1;
        const message = err instanceof Error ? err.message.slice(0, 300) : 'refused';
        if (attempts >= MAX_ATTEMPTS) {
          this.repository.remove(action.id);
          result.dropped++;
        } else {
          this.repository.recordRefusal(action.id, attempts, message);
        }
      }
    }
    return result;
  }

  private queued(id: number): QueuedAction | undefined {
    const row = this.repository.queuedOne(id);
    return row && toQueued(row);
  }

  /** Whether a queued move before `before` carries one of `ids` (so it will name their UID). */
  private awaitedMove(ids: readonly number[], before: number): boolean {
    return this.list().some(
      (a) =>
        a.id < before &&
        a.payload.kind === 'move' &&
        ids.some((id) => (a.payload.kind === 'move' && a.payload.ids.includes(id)) || a.payload.waiting?.includes(id)),
    );
  }

  private async run(client: ImapFlow, action: QueuedAction): Promise<void> {
    const lock = await client.getMailboxLock(action.folder);
    try {
      const range = action.uids.join(',');
      const p = action.payload;
      switch (p.kind) {
        case 'flags': {
          const add: string[] = [];
          const remove: string[] = [];
          if (p.seen !== undefined) (p.seen ? add : remove).push('\\Seen');
          if (p.flagged !== undefined) (p.flagged ? add : remove).push('\\Flagged');
          if (p.answered !== undefined) (p.answered ? add : remove).push('\\Answered');
          if (p.forwarded !== undefined) (p.forwarded ? add : remove).push(FORWARDED_KEYWORD);
          if (add.length) refusedUnless(await client.messageFlagsAdd(range, add, { uid: true }), 'STORE');
          if (remove.length) refusedUnless(await client.messageFlagsRemove(range, remove, { uid: true }), 'STORE');
          return;
        }
        case 'move': {
          const res = await client.messageMove(range, p.to, { uid: true });
          refusedUnless(res, 'MOVE');
          const map = res ? res.uidMap : undefined;
          action.uids.forEach((uid, i) => {
            const id = p.ids[i];
            if (id !== undefined) this.repository.settleMoved(id, p.to, map?.get(uid) ?? null, action.id);
          });
          return;
        }
        case 'delete':
          refusedUnless(await client.messageDelete(range, { uid: true }), 'EXPUNGE');
          return;
      }
    } finally {
      lock.release();
    }
  }
}

function waitingFor(ids: number[]): { waiting?: number[] } {
  return ids.length ? { waiting: ids } : {};
}

function toQueued(r: ActionRow): QueuedAction {
  return {
    id: r.id,
    folder: r.folder,
    uids: JSON.parse(r.uids) as number[],
    payload: JSON.parse(r.payload) as ActionPayload,
    attempts: r.attempts,
  };
}
