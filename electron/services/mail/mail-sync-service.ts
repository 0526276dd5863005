import { EventEmitter } from 'node:events';
import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import type { AccountSettings } from '../../contract/account';
import { RatsdeskError } from '../../contract/errors';
import type {
  ListPage,
  ListSort,
  MailListItem,
  NewMail,
  OfflineProgress,
  SearchInput,
  StoredMessage,
  SyncConnectionState,
  SyncedFolder,
  SyncProgress,
} from '../../contract/mail-sync';
import { ActionQueue, type UndoRecord } from './action-queue';
import { IdleWatcher } from './idle-watcher';
import { classifyConnectError, type TlsTrust } from './imap-connection';
import {
  connectSyncClient,
  createSyncClient,
  type FolderSyncResult,
  ImapSync,
  type ImapSyncOptions,
} from './imap-sync';
import { backfillOrder, MailBackfill, type MailBackfillOptions } from './mail-backfill';
import { MailBackfillRepository } from './mail-backfill-repository';
import { MailSearch } from './mail-search';
import type { VaultDoor } from '../vault/vault-db';
import { type MessageFlagChange, MailActionRepository } from './mail-action-repository';
import { MailQueryRepository } from './mail-query-repository';
import type { RowProblemLog } from './mail-rows';
import { MailSyncRepository } from './mail-sync-repository';
import { ReconnectBackoff } from './reconnect-backoff';

export interface MailSyncServiceOptions {
  vault: VaultDoor;
  settings: AccountSettings;
  /** The account password, read from the keychain on every connect (never stored here). */
  password: () => Promise<string>;
  trust?: TlsTrust;
  sync?: Omit<ImapSyncOptions, 'onProgress'>;
  /** Chunk sizes of the first-login download (tests make them small); the offline period comes from `sync`. */
  backfill?: Omit<MailBackfillOptions, 'bodyDays' | 'extractText'>;
  /**
   * Reconnect timing. After a lost connection: the short exponential backoff when this side timed out; when
   * the server ended a working connection (BYE, reset, close - a restart or shutdown, so every client of that
   * server comes back at once) the first reconnect is spread over the backoff's whole cap (4 minutes by
   * default). "Sync now" reconnects at once.
   */
  backoff?: ReconnectBackoff;
  /** IDLE on the open folder (default true). */
  idle?: boolean;
  /** Full (cheap) re-sync of all folders this often while online; default 5 minutes. */
  pollMs?: number;
  /**
   * While IDLE watches the open folder, the full re-sync runs only this often (default 30 minutes): IDLE
   * brings the open folder's changes at once, and every poll is a command for the server.
   */
  idlePollMs?: number;
  /**
   * How long a move or delete can be taken back before it goes to the server (default 0: at once). The
   * app's session sets it a little longer than the undo notice shows, so a late click still finds it held.
   */
  undoWindowMs?: number;
  /** imapflow logger (benchmarks count commands with it). */
  logger?: ImapFlowOptions['logger'];
  /** Where lists note an entry they had to show degraded (the app's log). */
  log?: RowProblemLog;
}

export interface MailSyncEvents {
  syncProgress: [SyncProgress];
  newMail: [NewMail];
  /** A folder's figures after a download step: headers listed, bodies offline. */
  offlineProgress: [OfflineProgress];
  connectionState: [SyncConnectionState];
  /**
   * A sync or replay failed while the connection stayed up: logged by the session, and shown through the
   * connection state ('paused' for a full vault, else 'online' with the error until a sync succeeds).
   */
  syncError: [RatsdeskError];
}

/**
 * Offline-first mail of one account: reads and searches answer from the vault; one IMAP connection
 * syncs and replays queued actions, one more IDLEs on the open folder. A lost connection is retried
 * with exponential backoff and full jitter; a refused login stops and reports AUTH_FAILED. A full vault
 * (VAULT_DISK_FULL) pauses the sync and keeps the healthy connection: "sync now" or the next poll tries
 * again.
 *
 * Everything that uses the connection runs in one queue, one job at a time. The first-login download
 * (MailBackfill) puts one bounded FETCH at a time into it and the next only when that one is done, so a
 * send, a draft, a flag, a move, an IDLE-triggered sync or a message opened now waits for one chunk at most.
 */
export class MailSyncService extends EventEmitter<MailSyncEvents> {
  /** The app's views of the stored mail. */
  readonly queries: MailQueryRepository;
  /** What the sync writes, and its per-folder state. */
  readonly syncRepository: MailSyncRepository;
  /** What the first-login download reads and writes besides the folders' sync state. */
  readonly backfillRepository: MailBackfillRepository;
  readonly search: MailSearch;
  readonly actions: ActionQueue;
  private readonly actionRepository: MailActionRepository;
  private readonly backoff: ReconnectBackoff;
  private readonly idleBackoff = new ReconnectBackoff({ baseMs: 1_000, capMs: 60_000 });
  private readonly idle: IdleWatcher | undefined;
  private client: ImapFlow | undefined;
  private sync: ImapSync | undefined;
  private backfill: MailBackfill | undefined;
  private backfilling: Promise<void> | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private queuedFolders = new Set<string>();
  private idleGapClosed = '';
  private openFolderPath = 'INBOX';
  private disposed = false;
  private started = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private current: SyncConnectionState = { state: 'offline' };
  /** When the last full sync finished (performance.now()); the poll skips while IDLE works and this is recent. */
  private lastFullSync = -Infinity;
  /** The connection this service closed itself (a failed command): not a server going away. */
  private closedOnPurpose: ImapFlow | undefined;
  /** Moves and deletes that can still be taken back, by undo token; their actions are not replayed meanwhile. */
  private readonly undos = new Map<number, { record: UndoRecord; timer: NodeJS.Timeout }>();
  private readonly held = new Set<number>();
  private lastUndoToken = 0;
  /** Set while the vault cannot store more: no sync starts by itself except the regular poll. */
  private paused: RatsdeskError | undefined;

  constructor(private readonly options: MailSyncServiceOptions) {
    super();
    this.queries = new MailQueryRepository(options.vault, options.log);
    this.syncRepository = new MailSyncRepository(options.vault);
    this.backfillRepository = new MailBackfillRepository(options.vault);
    this.search = new MailSearch(options.vault, options.log);
    this.actionRepository = new MailActionRepository(options.vault);
    this.actions = new ActionQueue(this.actionRepository, this.queries);
    this.backoff = options.backoff ?? new ReconnectBackoff();
    if (options.idle !== false) {
      this.idle = new IdleWatcher(
        async () =>
          createSyncClient(this.options.settings, await this.options.password(), this.options.trust, {
            logger: this.options.logger,
          }),
        {
          onChange: (folder) => this.scheduleFolder(folder, true),
          onClosed: () => this.restartIdleLater(),
          onSelected: (folder) => this.closeIdleGap(folder),
        },
      );
    }
  }

  get connectionState(): SyncConnectionState {
    return this.current;
  }

  private setState(s: SyncConnectionState): void {
    this.current = s;
    this.emit('connectionState', s);
  }

  /** Start connecting (in the background); the vault is readable before and without it. */
  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    this.loop = this.connectLoop();
    const pollMs = this.options.pollMs ?? 5 * 60_000;
    const idlePollMs = this.options.idlePollMs ?? 30 * 60_000;
    this.pollTimer = setInterval(() => {
      // IDLE covers the open folder; the other folders can wait for the longer interval.
      if (this.idle?.watching && performance.now() - this.lastFullSync < idlePollMs - pollMs / 2) return;
      // A failed poll was reported where it happened (enqueue); the next poll tries again.
      void this.syncAll().catch(() => undefined);
    }, pollMs);
    this.pollTimer.unref();
  }

  /** Wait before the next attempt; dispose() wakes it early. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const t = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async connectLoop(): Promise<void> {
    while (!this.disposed) {
      this.setState({ state: 'connecting' });
      let client: ImapFlow;
      try {
        client = createSyncClient(this.options.settings, await this.options.password(), this.options.trust, {
          logger: this.options.logger,
          keepAliveByIdle: true,
        });
        await connectSyncClient(client);
      } catch (err) {
        const e = classifyConnectError(err);
        if (e.code === 'AUTH_FAILED' || e.code === 'TLS_CERT_UNTRUSTED' || e.code === 'KEYCHAIN_UNAVAILABLE') {
          // Retrying cannot help: the person has to act (new password, admin-provided CA).
          this.setState({
            state: e.code === 'AUTH_FAILED' ? 'auth-failed' : 'offline',
            error: { code: e.code, detail: e.detail },
          });
          return;
        }
        const delay = this.backoff.next();
        this.setState({ state: 'offline', retryInMs: delay, error: { code: e.code, detail: e.detail } });
        await this.sleep(delay);
        continue;
      }
      if (this.disposed) {
        client.close();
        return;
      }
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      let timedOut = false;
      client.on('error', (err: { code?: string }) => {
        if (err?.code === 'ETIMEOUT') timedOut = true;
      });
      this.client = client;
      this.sync = new ImapSync(client, this.syncRepository, {
        ...this.options.sync,
        onProgress: (p) => this.emit('syncProgress', p),
      });
      this.backfill = new MailBackfill(client, this.syncRepository, this.backfillRepository, {
        ...this.options.backfill,
        bodyDays: this.options.sync?.bodyDays,
        ...(this.options.sync?.extractText ? { extractText: this.options.sync.extractText } : {}),
      });
      this.setState({ state: 'online' });
      void this.syncAll()
        .then(() => {
          // Only a connection that carried a whole sync counts as recovered: a server that accepts and
          // drops at once keeps the clients backing off.
          if (this.client === client) this.backoff.reset();
        })
        // Reported in enqueue (syncError and the state); a dropped connection brings this loop round again.
        .catch(() => undefined);
      if (this.idle) void this.idle.watch(this.openFolderPath).catch(() => this.restartIdleLater());
      await closed;
      this.client = undefined;
      this.sync = undefined;
      this.backfill = undefined;
      if (this.disposed) return;
      void this.idle?.stop();
      const serverWentAway = !timedOut && this.closedOnPurpose !== client;
      this.closedOnPurpose = undefined;
      const delay = serverWentAway ? this.backoff.spreadOverCap() : this.backoff.next();
      this.setState({ state: 'offline', retryInMs: delay });
      await this.sleep(delay);
    }
  }

  private restartIdleLater(): void {
    if (this.disposed || !this.idle || this.idleTimer) return;
    const delay = this.idleBackoff.next();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.disposed || !this.client?.usable) return;
      void this.idle
        ?.watch(this.openFolderPath)
        .then(() => this.idleBackoff.reset())
        .catch(() => this.restartIdleLater());
    }, delay);
    this.idleTimer.unref();
  }

  /** Serialize everything that uses the sync connection (imapflow has one selected mailbox). */
  private enqueue<T>(
    work: (sync: ImapSync, client: ImapFlow, backfill: MailBackfill) => Promise<T>,
    kind: 'sync' | 'other' = 'other',
  ): Promise<T | undefined> {
    const run = async (): Promise<T | undefined> => {
      const sync = this.sync;
      const client = this.client;
      const backfill = this.backfill;
      if (!sync || !backfill || !client?.usable) return undefined;
      try {
        return await work(sync, client, backfill);
      } catch (err) {
        const e = classifyConnectError(err);
        if (client.usable) {
          this.emit('syncError', e);
          if (e.code === 'VAULT_DISK_FULL') this.pause(e);
          // A command failed but the connection is up: imapflow's state may be off; start clean.
          else if (!(err instanceof RatsdeskError)) {
            this.closedOnPurpose = client;
            client.close();
          }
          // A sync that failed on a healthy connection is shown until one succeeds (drafts and the outbox
          // show their own state).
          else if (kind === 'sync') this.setState({ state: 'online', error: { code: e.code } });
        }
        throw e;
      }
    };
    const next = this.chain.then(run, run);
    // The caller of `next` gets its error; the chain only keeps the jobs in order.
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Lends the account's one connection to drafts and the outbox: `work` runs in turn with the sync jobs
   * (never inside a fetch loop, never beside another mailbox selection). Offline, or before the connection is
   * up, it declines with NOT_CONNECTED without running `work`; the caller keeps its job for the next attempt.
   */
  async withClient<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
    let ran = false;
    const result = await this.enqueue(async (_sync, client) => {
      ran = true;
      return work(client);
    });
    if (!ran) throw new RatsdeskError('NOT_CONNECTED');
    return result as T;
  }

  /** The vault is full: the sync stops (every write would fail), the connection stays, the person is told. */
  private pause(e: RatsdeskError): void {
    this.paused = e;
    this.setState({ state: 'paused', error: { code: e.code } });
  }

  /** A sync went through: a pause or a shown error is over. */
  private synced(): void {
    if (!this.paused && !this.current.error) return;
    this.paused = undefined;
    if (this.client?.usable) this.setState({ state: 'online' });
  }

  private notify(results: FolderSyncResult[]): void {
    for (const r of results) {
      if (r.newIds.length === 0 || r.initial) continue;
      const items = this.queries.listItems(r.newIds.slice(-20)).reverse();
      this.emit('newMail', { folder: r.folder, count: r.newIds.length, items });
    }
  }

  /** Replay queued actions, then sync all folders. Resolves when done (or at once when offline). */
  async syncAll(): Promise<FolderSyncResult[]> {
    const results = await this.enqueue(async (sync, client, backfill) => {
      await this.actions.replay(client, this.held);
      // A folder the server refused during the download is tried again with every full sync.
      backfill.forgetRefusals();
      return sync.syncAll();
    }, 'sync');
    if (results) {
      this.lastFullSync = performance.now();
      this.synced();
      this.notify(results);
      this.closeIdleGap(this.idle?.watching);
      this.startBackfill();
    }
    return results ?? [];
  }

  /** Start of the policy's offline period (ms), or null: bodies of all mail are kept. */
  private offlineSince(): number | null {
    const days = this.options.sync?.bodyDays;
    return days === null || days === undefined ? null : Date.now() - days * 86_400_000;
  }

  /**
   * Runs the first-login download (and any later backfill) to its end: one step per queue job, the next
   * queued only when the last is done. Ends when nothing is left, offline, paused, or on a failure (the next
   * sync starts it again). Safe to call often: one runs at a time.
   */
  private startBackfill(): void {
    if (this.backfilling || this.disposed || this.paused) return;
    this.backfilling = (async () => {
      try {
        // Paused on a full vault: the download waits like the sync, until "sync now" or the next poll.
        while (!this.disposed && !this.paused) {
          const step = await this.enqueue(
            (_sync, _client, backfill) => backfill.step(backfillOrder(this.queries.folders(), this.openFolderPath)),
            'sync',
          );
          if (!step) return;
          this.emit('offlineProgress', this.backfillRepository.progress(step.folder, this.offlineSince()));
        }
      } catch {
        // reported as syncError by the queue; the next sync starts the backfill again
      }
    })().finally(() => {
      this.backfilling = undefined;
    });
  }

  /** Resolves once the queue is idle and no download step is left or running (tests, benchmarks). */
  async backfillSettled(): Promise<void> {
    for (;;) {
      await this.chain;
      const running = this.backfilling;
      if (!running) return;
      await running;
    }
  }

  /** Every folder's figures for the progress line. */
  offlineStatus(): OfflineProgress[] {
    const since = this.offlineSince();
    return this.queries.folders().map((f) => this.backfillRepository.progress(f.path, since));
  }

  /**
   * The body of a message the person opens before the download got to it: fetched now, ahead of the next
   * download step, and stored when it is within the offline period (so it is never fetched again); outside
   * it, for this reading only. NOT_CONNECTED offline.
   */
  async fetchBody(id: number): Promise<Buffer | null> {
    const m = this.queries.getMessage(id);
    const since = this.offlineSince();
    const keep = since === null || m.date === null || Date.parse(m.date) >= since;
    let ran = false;
    const source = await this.enqueue(async (_sync, _client, backfill) => {
      ran = true;
      return backfill.bodyNow(m.folder, m.uid, keep);
    });
    if (!ran) throw new RatsdeskError('NOT_CONNECTED');
    if (source && keep) this.emit('offlineProgress', this.backfillRepository.progress(m.folder, since));
    return source ?? null;
  }

  private scheduleFolder(folder: string, fromIdle: boolean): void {
    // Paused on a full vault: new mail waits on the server until "sync now" or the next poll.
    if (this.paused || this.queuedFolders.has(folder)) return;
    this.queuedFolders.add(folder);
    void this.enqueue(async (sync) => {
      this.queuedFolders.delete(folder);
      return sync.syncFolder(folder);
    }, 'sync')
      .then((r) => {
        if (r) this.synced();
        if (r && fromIdle) this.notify([r]);
        if (r) {
          this.closeIdleGap(folder);
          // A burst of new mail (or a folder rebuilt) is left to the backfill.
          this.startBackfill();
        }
      })
      // A failure was reported where it happened (enqueue: syncError and the connection state).
      .catch(() => undefined)
      // enqueue declines (offline, no connection yet) without running the job: never leave the folder
      // marked as queued, or every later IDLE notice for it would be dropped.
      .finally(() => this.queuedFolders.delete(folder));
  }

  /**
   * Mail that arrived after the sync's SELECT of the IDLE folder but before the IDLE connection's SELECT
   * comes as no EXISTS notice: it would wait for the next poll. Whichever of the two finishes last compares
   * the IDLE connection's UIDNEXT with the stored one and syncs the folder once more when they differ.
   */
  private closeIdleGap(folder: string | undefined): void {
    if (!folder || this.queuedFolders.has(folder)) return;
    const seenByIdle = this.idle?.selectedUidNext(folder);
    const stored = this.syncRepository.folderState(folder).uidNext;
    // A folder never synced yet is being synced (or will be) as a whole: nothing to close.
    if (seenByIdle === undefined || stored === null) return;
    // Once per SELECT: a server whose UIDNEXT the sync never stores can not keep the queue busy.
    const mark = `${folder}\n${seenByIdle}`;
    if (seenByIdle > stored && this.idleGapClosed !== mark) {
      this.idleGapClosed = mark;
      this.scheduleFolder(folder, true);
    }
  }

  /** Sync one folder now (and IDLE there from now on), or everything. */
  async syncNow(folder?: string): Promise<void> {
    // Waiting to reconnect: the person asked, so the wait ends now.
    if (!this.client) this.wake?.();
    if (folder === undefined) {
      await this.syncAll();
      return;
    }
    this.openFolder(folder);
    const r = await this.enqueue(async (sync, client) => {
      await this.actions.replay(client, this.held);
      return sync.syncFolder(folder);
    }, 'sync');
    if (r) {
      this.synced();
      this.notify([r]);
      this.closeIdleGap(folder);
      this.startBackfill();
    }
  }

  /** The folder the person looks at: IDLE moves there. */
  openFolder(folder: string): void {
    this.openFolderPath = folder;
    if (this.idle && this.client?.usable) void this.idle.watch(folder).catch(() => this.restartIdleLater());
  }

  get idleFolder(): string | undefined {
    return this.idle?.watching;
  }

  /** Resolves once the work queued so far is done. */
  async settled(): Promise<void> {
    await this.chain;
  }

  // ---- reads (vault only: work offline) --------------------------------------------------

  folders(): SyncedFolder[] {
    return this.queries.folders();
  }

  listPage(folder: string, offset?: number, limit?: number, sort?: ListSort, conversations = false): ListPage {
    return conversations
      ? this.queries.conversationPage(folder, offset, limit, sort)
      : this.queries.listPage(folder, offset, limit, sort);
  }

  getMessage(id: number): StoredMessage {
    return this.queries.getMessage(id);
  }

  searchMessages(input: SearchInput): MailListItem[] {
    return this.search.search(input);
  }

  // ---- actions (vault at once, server when online) ---------------------------------------

  private replaySoon(): void {
    // The actions stay queued in the vault; a failure was reported in enqueue, the next sync replays them.
    void this.enqueue((_sync, client) => this.actions.replay(client, this.held)).catch(() => undefined);
  }

  setFlags(ids: readonly number[], change: MessageFlagChange): number {
    const pending = this.actions.setFlags(ids, change);
    this.replaySoon();
    return pending;
  }

  /**
   * A reply (or forward) of the message `messageId` was sent: every stored copy of it gets \Answered (or
   * $Forwarded), queued like any flag, so offline too. An original no longer stored is left alone.
   */
  markOriginal(messageId: string, how: 'answered' | 'forwarded'): void {
    const ids = this.actionRepository.idsByMessageId(messageId);
    if (ids.length > 0) this.setFlags(ids, { [how]: true });
  }

  /** Moves messages (one MOVE per source folder over its UID set); `undo` is the token to take it back. */
  move(ids: readonly number[], to: string): { pending: number; undo?: number } {
    const undo = this.holdForUndo(this.actions.recordUndo(ids, () => this.actions.move(ids, to)));
    this.replaySoon();
    return { pending: this.actions.pending(), undo };
  }

  /** Into Trash (undoable), or for good when already there (not undoable). */
  delete(ids: readonly number[]): { pending: number; undo?: number } {
    const undo = this.holdForUndo(this.actions.recordUndo(ids, () => this.actions.delete(ids)));
    this.replaySoon();
    return { pending: this.actions.pending(), undo };
  }

  private holdForUndo(record: UndoRecord | undefined): number | undefined {
    const window = this.options.undoWindowMs ?? 0;
    if (!record || window <= 0 || this.disposed) return undefined;
    const token = ++this.lastUndoToken;
    for (const id of record.actionIds) this.held.add(id);
    const timer = setTimeout(() => {
      this.endHold(token);
      this.replaySoon();
    }, window);
    this.undos.set(token, { record, timer });
    return token;
  }

  private endHold(token: number) {
    const u = this.undos.get(token);
    if (!u) return undefined;
    clearTimeout(u.timer);
    this.undos.delete(token);
    for (const id of u.record.actionIds) this.held.delete(id);
    return u.record;
  }

  /**
   * Takes back a move or delete while it is still held: the messages return locally and nothing reaches
   * the server. `undone` is false once the window has passed (the action has gone or is going out).
   */
  undo(token: number): { undone: boolean; pending: number } {
    const record = this.endHold(token);
    const undone = record !== undefined && this.actions.undo(record);
    return { undone, pending: this.actions.pending() };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    // Held moves stay queued in the vault: the next session replays them (the undo window has ended).
    for (const token of [...this.undos.keys()]) this.endHold(token);
    this.wake?.();
    await this.idle?.stop();
    const client = this.client;
    this.client = undefined;
    if (client) {
      // Queued work gets two seconds to finish, then a polite logout; a server that does not answer is cut off.
      let grace: NodeJS.Timeout | undefined;
      try {
        await Promise.race([this.chain, new Promise((r) => (grace = setTimeout(r, 2_000)))]);
        await client.logout();
      } catch {
        client.close();
      } finally {
        clearTimeout(grace);
      }
    }
    await this.loop;
    this.removeAllListeners();
  }
}
