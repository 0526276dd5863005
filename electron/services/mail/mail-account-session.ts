import type { AccountSettings } from '../../contract/account';
import type { OutboxItemInfo } from '../../contract/compose';
import type { NewMail, OfflineProgress, SyncConnectionState, SyncProgress } from '../../contract/mail-sync';
import type { DocumentCache } from '../documents/document-cache';
import { DisposableStore, toDisposable } from '../lifetime/disposable-store';
import { describeError, silentLog, type Log } from '../log/log-service';
import type { Vault } from '../vault/vault';
import { ComposeService } from './compose-service';
import type { TlsTrust } from './imap-connection';
import { MailReaderService, type RemoteImagePolicy } from './mail-reader-service';
import { MailSyncService, type MailSyncServiceOptions } from './mail-sync-service';
import { forgetParsedAddresses } from './message-headers';
import { MessageSources, type SmimeIndexer, type SmimeOpener } from './message-sources';
import type { SmimeProtector } from './compose-service';
import type { RecipientRules } from './recipient-policy';
import type { Resolve } from './remote-image-fetch';

export interface MailSessionEvents {
  syncProgress(p: SyncProgress): void;
  newMail(n: NewMail): void;
  offlineProgress?(p: OfflineProgress): void;
  connectionState(s: SyncConnectionState): void;
  outboxChanged(items: OutboxItemInfo[]): void;
}

export interface MailAccountSessionOptions {
  vault: Vault;
  settings: AccountSettings;
  /** Read from the keychain on every use, never kept. */
  password: () => Promise<string>;
  trust?: TlsTrust;
  documents: () => Promise<DocumentCache>;
  events: MailSessionEvents;
  /**
   * Where failures that nobody awaits go (sync errors, the offline period, the outbox), list entries shown
   * degraded and refused remote images.
   */
  log?: Log;
  /** The machine policy's recipient rules, read on every check (a changed policy applies at once). */
  recipientRules?: () => Promise<RecipientRules>;
  /**
   * S/MIME: opens signed and encrypted mail for the reader and for the search index (the opened text goes
   * into the vault's index only), protects outgoing mail.
   */
  smime?: SmimeOpener & SmimeProtector & SmimeIndexer;
  /** The policy's `documentExportAllowed`, read on every check (council documents are mailed only when true). */
  exportAllowed?: () => Promise<boolean>;
  /** The machine policy's internal image hosts, read on every remote image. */
  remoteImagePolicy?: () => Promise<RemoteImagePolicy>;
  /** DNS for remote images (tests answer for their own host names). */
  resolve?: Resolve;
  /** Options for the sync service (tests shorten the poll interval). */
  sync?: {
    pollMs?: number;
    /** Bodies of the last N days are stored for offline reading (the policy's offlineMailDays); null = all. */
    bodyDays?: number | null;
    /** Chunk sizes of the first-login download (tests make them small to watch it interleave). */
    backfill?: MailSyncServiceOptions['backfill'];
    /** imapflow logger of the sync connection (tests and benchmarks count its commands). */
    logger?: MailSyncServiceOptions['logger'];
    /** How long moves and deletes can be taken back before they reach the server (default 12 s). */
    undoWindowMs?: number;
  };
}

const OFFLINE_PERIOD_CHECK_MS = 6 * 60 * 60_000;

/**
 * The mail of one signed-in account, wired together: the offline-first sync (`mailSync`), the reader
 * (`mailReader`) and the composer (`compose`), each serving its contract domain. Drafts and the outbox talk
 * to the server over the sync service's connection (`withClient`), in turn with the sync: one connection per
 * account, plus the IDLE one.
 */
export class MailAccountSession {
  readonly sync: MailSyncService;
  readonly reader: MailReaderService;
  readonly compose: ComposeService;
  private readonly owned: DisposableStore;
  private readonly log: Log;
  /** Stored messages' sources and parsed forms (the calendar reads invitations from them). */
  readonly sources: MessageSources;
  private disposed = false;

  constructor(private readonly options: MailAccountSessionOptions) {
    const { vault, settings, trust, documents } = options;
    this.log = options.log ?? silentLog;
    this.owned = new DisposableStore((err) => this.log.warn('mail.dispose-failed', describeError(err)));
    // Disposed last (the store ends newest first): once the sync and the reader have stopped, the address
    // fields they parsed leave memory too.
    this.owned.add(toDisposable(forgetParsedAddresses));
    this.sync = new MailSyncService({
      vault,
      settings,
      password: options.password,
      trust,
      pollMs: options.sync?.pollMs,
      // The undo notice shows for 10 s; the server hears of a move or delete 2 s later than that.
      undoWindowMs: options.sync?.undoWindowMs ?? 12_000,
      sync: {
        bodyDays: options.sync?.bodyDays ?? null,
        ...(options.smime ? { extractText: (raw: Buffer) => options.smime!.indexText(raw) } : {}),
      },
      backfill: options.sync?.backfill,
      logger: options.sync?.logger,
      log: this.log,
    });
    const sources = new MessageSources(this.sync.queries, (id) => this.sync.fetchBody(id), options.smime);
    this.sources = sources;
    this.reader = new MailReaderService({
      settings,
      repository: this.sync.queries,
      sources,
      documents,
      trust,
      remoteImagePolicy: options.remoteImagePolicy,
      resolve: options.resolve,
      log: this.log,
    });
    this.compose = new ComposeService({
      ...(options.smime ? { smime: options.smime } : {}),
      vault,
      settings,
      password: options.password,
      trust,
      repository: this.sync.queries,
      sources,
      sync: this.sync,
      documents,
      recipientRules: options.recipientRules,
      exportAllowed: options.exportAllowed,
      onOutboxChanged: (items) => options.events.outboxChanged(items),
      log: this.log,
    });
    // Disposed in reverse: the composer (its timers, drafts, outbox) before the sync it borrows from.
    this.owned.add(this.sync);
    this.owned.add(this.compose);
    this.sync.on('syncProgress', (p) => options.events.syncProgress(p));
    this.sync.on('newMail', (n) => options.events.newMail(n));
    this.sync.on('offlineProgress', (p) => options.events.offlineProgress?.(p));
    this.sync.on('connectionState', (s) => {
      options.events.connectionState(s);
      if (s.state === 'online') void this.compose.flushOutbox();
    });
    // The sync retries on its own; the person sees the state (paused on a full disk, or the last error).
    this.sync.on('syncError', (e) => this.log.warn('mail.sync-failed', describeError(e)));
  }

  /**
   * Bodies older than the policy's offline period leave the vault (headers stay); then the space of sources
   * that left (this way, or expunged and moved since) is reclaimed from their segment files.
   */
  private applyOfflinePeriod(): void {
    const days = this.options.sync?.bodyDays;
    if (this.disposed) return;
    try {
      if (days !== null && days !== undefined)
        this.sync.syncRepository.dropBodiesBefore(new Date(Date.now() - days * 86_400_000));
      this.sync.syncRepository.compactSources();
    } catch (err) {
      // A full disk or a closed vault: the next run (every six hours, and at the next start) catches up.
      this.log.warn('mail.offline-period-failed', describeError(err));
    }
  }

  /** The account this session serves. */
  get settings(): AccountSettings {
    return this.options.settings;
  }

  start(): void {
    this.applyOfflinePeriod();
    const periodTimer = setInterval(() => this.applyOfflinePeriod(), OFFLINE_PERIOD_CHECK_MS);
    periodTimer.unref();
    this.owned.add(toDisposable(() => clearInterval(periodTimer)));
    this.sync.start();
    this.compose.start();
  }

  /** Ends the session: timers, composer, sync (newest first). Safe to call twice. */
  dispose(): Promise<void> {
    this.disposed = true;
    return this.owned.dispose();
  }
}
