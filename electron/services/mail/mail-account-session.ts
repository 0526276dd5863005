import { request } from 'node:https';
import type { AccountSettings } from '../../contract/account';
import type {
  AttachmentRef,
  DraftInput,
  DraftSummary,
  OutboxItemInfo,
  RecipientCheck,
  ReplyMode,
  SendInput,
} from '../../contract/compose';
import { RatsdeskError } from '../../contract/errors';
import type { MailListItem, NewMail, SyncConnectionState, SyncProgress } from '../../contract/mail-sync';
import type { ReadMessage } from '../../contract/mail-reader';
import type { DocumentCache } from '../documents/document-cache';
import { recognizeRisLinks } from '../ris/link-recognizer';
import type { Migration } from '../vault/migration';
import type { Vault } from '../vault/vault';
import { startReply } from './compose-reply';
import { Drafts } from './drafts';
import { tlsOptions, type TlsTrust } from './imap-connection';
import { ImapFolderAccess } from './imap-folder-access';
import { LIST_COLUMNS, type MessageRow, toListItem } from './mail-rows';
import { MailSyncService } from './mail-sync-service';
import { extractAttachment, parseMessage, type ParsedMessage } from './message-parser';
import { buildOutboundMessage, type OutboundAttachment } from './outbound-message';
import { Outbox } from './outbox';
import { checkRecipients, enforceRecipients, noRecipientRules, type RecipientRules } from './recipient-policy';
import { SmtpSubmission } from './smtp-submission';

/** The reader's own table: senders whose remote content the person always allows. */
export const mailReaderMigrations: readonly Migration[] = [
  {
    id: 'mail-reader-001-remote-senders',
    up(db) {
      db.exec('CREATE TABLE mail_remote_senders (address TEXT PRIMARY KEY, created_at INTEGER NOT NULL)');
    },
  },
];

export interface MailSessionEvents {
  syncProgress(p: SyncProgress): void;
  newMail(n: NewMail): void;
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
  /** The machine policy's recipient rules, read on every check (a changed policy applies at once). */
  recipientRules?: () => Promise<RecipientRules>;
  /** Options for the sync service (tests shorten the poll interval). */
  sync?: {
    pollMs?: number;
    /** Bodies of the last N days are stored for offline reading (the policy's offlineMailDays); null = all. */
    bodyDays?: number | null;
  };
}

const MAX_SOURCE_SHOWN = 256 * 1024;
const MAX_REMOTE_IMAGE = 5 * 1024 * 1024;
const OUTBOX_RETRY_MS = 60_000;
const OFFLINE_PERIOD_CHECK_MS = 6 * 60 * 60_000;

/** The account's sender address: the configured one, else the user name when it is an address. */
export function senderAddress(settings: AccountSettings): string {
  if (settings.email) return settings.email;
  return settings.username.includes('@') ? settings.username : `${settings.username}@${settings.host}`;
}

/**
 * Everything mail of one signed-in account, wired together: the offline-first sync (reads from the vault),
 * the reader (parsing, council links, remote-content choices), drafts and the outbox over SMTP.
 *
 * Drafts and the outbox talk to the server over the sync service's connection (`withClient`), in turn with
 * the sync: one connection per account, plus the IDLE one.
 */
export class MailAccountSession {
  readonly sync: MailSyncService;
  private readonly db: Vault['db'];
  private readonly parsed = new Map<number, ParsedMessage>();
  private readonly fetchedSources = new Map<number, Buffer>();
  private outboxInstance: Outbox | undefined;
  private draftsInstance: Drafts | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private periodTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly options: MailAccountSessionOptions) {
    this.db = options.vault.db;
    this.sync = new MailSyncService({
      vault: options.vault,
      settings: options.settings,
      password: options.password,
      trust: options.trust,
      pollMs: options.sync?.pollMs,
      sync: { bodyDays: options.sync?.bodyDays ?? null },
    });
    this.sync.on('syncProgress', (p) => options.events.syncProgress(p));
    this.sync.on('newMail', (n) => options.events.newMail(n));
    this.sync.on('connectionState', (s) => {
      options.events.connectionState(s);
      if (s.state === 'online') void this.flushOutbox();
    });
    this.sync.on('syncError', () => undefined);
  }

  /** Bodies older than the policy's offline period leave the vault (headers stay). */
  private applyOfflinePeriod(): void {
    const days = this.options.sync?.bodyDays;
    if (days === null || days === undefined || this.disposed) return;
    try {
      this.sync.store.dropBodiesBefore(new Date(Date.now() - days * 86_400_000));
    } catch {
      // a full disk or a locked vault: the next run catches up
    }
  }

  start(): void {
    this.applyOfflinePeriod();
    this.periodTimer = setInterval(() => this.applyOfflinePeriod(), OFFLINE_PERIOD_CHECK_MS);
    this.periodTimer.unref();
    this.sync.start();
    this.retryTimer = setInterval(() => {
      if (
        this.sync.connectionState.state === 'online' &&
        this.outbox()
          .list()
          .some((i) => i.state !== 'sent' && i.state !== 'failed')
      ) {
        void this.flushOutbox();
      }
    }, OUTBOX_RETRY_MS);
    this.retryTimer.unref();
  }

  // ---- reading -----------------------------------------------------------------------------

  /**
   * The message's raw source: from the vault, or, for a message outside the synced period (headers only),
   * from the server when online — kept in memory for this reading only, never written to the vault, so
   * the policy's offline period holds. Null offline.
   */
  private async source(id: number): Promise<Buffer | null> {
    const stored = this.sync.store.getSource(id);
    if (stored) return stored;
    const remembered = this.fetchedSources.get(id);
    if (remembered) return remembered;
    const { folder, uid } = this.sync.getMessage(id);
    let fetched: Buffer | null;
    try {
      fetched = await this.sync.withClient(async (client) => {
        const lock = await client.getMailboxLock(folder, { readOnly: true });
        try {
          const msg = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
          return msg && msg.source ? msg.source : null;
        } finally {
          lock.release();
        }
      });
    } catch {
      return null; // offline, or the server no longer has it: the reader says only the headers are here
    }
    if (fetched) {
      this.fetchedSources.set(id, fetched);
      if (this.fetchedSources.size > 4) this.fetchedSources.delete(this.fetchedSources.keys().next().value as number);
    }
    return fetched;
  }

  private async parsedMessage(id: number): Promise<ParsedMessage | null> {
    const cached = this.parsed.get(id);
    if (cached) return cached;
    const raw = await this.source(id);
    if (!raw) return null;
    const parsed = await parseMessage(raw);
    this.parsed.set(id, parsed);
    if (this.parsed.size > 8) this.parsed.delete(this.parsed.keys().next().value as number);
    return parsed;
  }

  async read(id: number): Promise<ReadMessage> {
    const stored = this.sync.getMessage(id);
    const remoteAllowed = this.isRemoteAllowed(stored.from.address);
    const parsed = await this.parsedMessage(id);
    if (!parsed) {
      return {
        id,
        hasBody: false,
        text: '',
        html: null,
        attachments: [],
        councilLinks: [],
        parseError: null,
        source: null,
        remoteAllowed,
      };
    }
    const body = parsed.html ?? parsed.text;
    const councilLinks = recognizeRisLinks(body).map((l) => ({
      url: l.url,
      product: l.product,
      kind: l.kind,
      id: l.id,
    }));
    let source: string | null = null;
    if (parsed.parseError) {
      const raw = await this.source(id);
      source = raw ? raw.subarray(0, MAX_SOURCE_SHOWN).toString('latin1') : null;
    }
    return {
      id,
      hasBody: true,
      text: parsed.text,
      html: parsed.html,
      attachments: parsed.attachments.map((a) => ({ ...a })),
      councilLinks,
      parseError: parsed.parseError ? parsed.parseError.slice(0, 500) : null,
      source,
      remoteAllowed,
    };
  }

  /** The thread around a message: everything that shares its References / In-Reply-To chain. */
  thread(id: number): MailListItem[] {
    const m = this.sync.getMessage(id);
    const ids = new Set<string>([
      ...m.references,
      ...(m.inReplyTo ? [m.inReplyTo] : []),
      ...(m.messageId ? [m.messageId] : []),
    ]);
    if (ids.size === 0) return [toListItemOf(m)];
    const list = [...ids].slice(-100);
    const marks = list.map(() => '?').join(',');
    const rows = this.db
      .prepare(
        `SELECT ${LIST_COLUMNS}, m.message_id FROM mail_messages m
         WHERE m.message_id IN (${marks}) OR m.in_reply_to IN (${marks}) OR m.id = ?
         ORDER BY m.date, m.id LIMIT 200`,
      )
      .all(...list, ...list, id) as (MessageRow & { message_id: string | null })[];
    // One entry per message: a copy in Sent (or elsewhere) counts once, the one in this folder wins.
    const byMessageId = new Map<string, MessageRow & { message_id: string | null }>();
    for (const r of rows) {
      const key = r.message_id ?? `#${r.id}`;
      const had = byMessageId.get(key);
      if (!had || (had.folder !== m.folder && r.folder === m.folder) || r.id === id) byMessageId.set(key, r);
    }
    return [...byMessageId.values()].map(toListItem);
  }

  /**
   * One attachment of a stored message into the encrypted document cache, for the in-app viewer. The
   * source reference names account, folder, UIDVALIDITY, UID and part, so opening it again finds the cached
   * copy (no second extraction) and a rebuilt folder never maps to another message's document.
   */
  async openAttachment(id: number, partId: string): Promise<string> {
    const m = this.sync.getMessage(id);
    const folder = this.db
      .prepare<[string], { uid_validity: string | null }>('SELECT uid_validity FROM mail_folders WHERE path = ?')
      .get(m.folder);
    const { username, host } = this.options.settings;
    const source = {
      kind: 'message' as const,
      ref: [username, host, m.folder, folder?.uid_validity ?? '', String(m.uid), partId]
        .map(encodeURIComponent)
        .join('/'),
    };
    const cache = await this.options.documents();
    const cached = cache.findBySource(source);
    if (cached) return cached.id;
    const raw = await this.source(id);
    if (!raw) throw new RatsdeskError('MAIL_PART_NOT_FOUND', 'body not stored');
    const part = await extractAttachment(raw, partId);
    return cache.put({ bytes: part.bytes, name: part.filename, mimeType: part.mimeType, source }).id;
  }

  isRemoteAllowed(address: string): boolean {
    if (!address) return false;
    return (
      this.db.prepare('SELECT 1 FROM mail_remote_senders WHERE address = ?').get(address.toLowerCase()) !== undefined
    );
  }

  setSenderRemoteContent(address: string, allow: boolean): boolean {
    const a = address.trim().toLowerCase();
    this.options.vault.transaction(() => {
      if (allow)
        this.db
          .prepare('INSERT OR IGNORE INTO mail_remote_senders (address, created_at) VALUES (?, ?)')
          .run(a, Date.now());
      else this.db.prepare('DELETE FROM mail_remote_senders WHERE address = ?').run(a);
    });
    return allow;
  }

  /** One remote image named by the message's HTML, as a data: URL (https only, images only, ≤ 5 MB). */
  async remoteImage(id: number, url: string): Promise<string | null> {
    const parsed = await this.parsedMessage(id);
    const html = parsed?.html ?? '';
    if (!html.includes(url) && !html.includes(url.replace(/&/g, '&amp;'))) {
      throw new RatsdeskError('INVALID_INPUT', 'image not in this message');
    }
    return fetchImage(url, this.options.trust);
  }

  // ---- composing ---------------------------------------------------------------------------

  private folderOf(role: 'sent' | 'drafts', fallback: string): string {
    return this.sync.store.folderRole(role) ?? fallback;
  }

  private outbox(): Outbox {
    if (!this.outboxInstance) {
      const smtpServer = this.options.settings.smtp ?? {
        host: this.options.settings.host,
        port: 587,
        security: 'starttls' as const,
      };
      const smtp = new SmtpSubmission(
        { ...smtpServer, username: this.options.settings.username },
        { password: this.options.password, trust: this.options.trust },
      );
      this.outboxInstance = new Outbox({
        vault: this.options.vault,
        submit: (raw, envelope) => smtp.send(raw, envelope),
        folders: new ImapFolderAccess((work) => this.sync.withClient(work)),
        sentFolder: this.folderOf('sent', 'Sent'),
        onChange: (items) => this.options.events.outboxChanged(items),
      });
    }
    return this.outboxInstance;
  }

  private drafts(): Drafts {
    this.draftsInstance ??= new Drafts({
      vault: this.options.vault,
      folders: new ImapFolderAccess((work) => this.sync.withClient(work)),
      draftsFolder: this.folderOf('drafts', 'Drafts'),
      from: { name: '', address: senderAddress(this.options.settings) },
      resolveAttachments: (refs) => this.resolveAttachments(refs),
    });
    return this.draftsInstance;
  }

  private messageIdOf(folder: string, uid: number): number {
    const row = this.db
      .prepare<[string, number], { id: number }>('SELECT id FROM mail_messages WHERE folder = ? AND uid = ?')
      .get(folder, uid);
    if (!row) throw new RatsdeskError('MAIL_PART_NOT_FOUND', 'message not stored');
    return row.id;
  }

  async resolveAttachments(refs: readonly AttachmentRef[]): Promise<OutboundAttachment[]> {
    const out: OutboundAttachment[] = [];
    for (const ref of refs) {
      if (ref.kind === 'document') {
        const doc = (await this.options.documents()).open(ref.documentId);
        out.push({ filename: doc.meta.name, mimeType: doc.meta.mimeType, content: doc.bytes });
      } else {
        const raw = await this.source(this.messageIdOf(ref.folder, ref.uid));
        if (!raw) throw new RatsdeskError('MAIL_PART_NOT_FOUND', 'body not stored');
        const part = await extractAttachment(raw, ref.partId);
        out.push({ filename: part.filename, mimeType: part.mimeType, content: part.bytes });
      }
    }
    return out;
  }

  async startReply(folder: string, uid: number, mode: ReplyMode): Promise<DraftInput> {
    const parsed = await this.parsedMessage(this.messageIdOf(folder, uid));
    if (!parsed) throw new RatsdeskError('MAIL_PART_NOT_FOUND', 'body not stored');
    return startReply(parsed, mode, { me: [senderAddress(this.options.settings)], source: { folder, uid } });
  }

  saveDraft(input: DraftInput): DraftSummary {
    return this.drafts().save(input);
  }
  listDrafts(): DraftSummary[] {
    return this.drafts().list();
  }
  openDraft(id: string): DraftInput {
    return this.drafts().get(id);
  }
  deleteDraft(id: string): boolean {
    return this.drafts().remove(id);
  }

  private async rules(): Promise<RecipientRules> {
    return (await this.options.recipientRules?.()) ?? noRecipientRules;
  }

  async checkRecipients(input: DraftInput): Promise<RecipientCheck> {
    return checkRecipients(input, await this.rules());
  }

  /**
   * Checks the recipients against the policy, builds the message, puts it into the outbox (offline too),
   * drops its draft, and sends when online.
   */
  async send(input: SendInput): Promise<OutboxItemInfo> {
    enforceRecipients(input, await this.rules(), input.confirmOutsideRecipients);
    const built = await buildOutboundMessage({
      from: { name: '', address: senderAddress(this.options.settings) },
      to: input.to,
      cc: input.cc,
      bcc: input.bcc,
      subject: input.subject,
      text: input.text,
      html: input.html,
      inReplyTo: input.inReplyTo,
      references: input.references,
      attachments: await this.resolveAttachments(input.attachments),
    });
    const item = this.outbox().enqueue(built);
    if (input.id) {
      try {
        this.drafts().remove(input.id);
      } catch {
        // the draft may never have been saved
      }
    }
    void this.flushOutbox();
    return item;
  }

  listOutbox(): OutboxItemInfo[] {
    return this.outbox().list();
  }

  retryOutboxItem(id: string): boolean {
    const queued = this.outbox().retry(id);
    if (queued) void this.flushOutbox();
    return queued;
  }

  cancelOutboxItem(id: string): boolean {
    return this.outbox().cancel(id);
  }

  async flushOutbox(): Promise<void> {
    if (this.disposed) return;
    try {
      const report = await this.outbox().flush();
      // Fetch the Sent copy; syncAll (not syncNow) so IDLE stays on the folder the person has open.
      if (report.sent.length > 0) void this.sync.syncAll().catch(() => undefined);
    } catch {
      // the outbox keeps its items; the next trigger retries
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.retryTimer) clearInterval(this.retryTimer);
    if (this.periodTimer) clearInterval(this.periodTimer);
    this.draftsInstance?.dispose();
    this.outboxInstance?.dispose();
    await this.sync.dispose();
  }
}

function toListItemOf(m: ReturnType<MailSyncService['getMessage']>): MailListItem {
  const { to: _to, cc: _cc, messageId: _m, inReplyTo: _i, references: _r, hasBody: _h, ...item } = m;
  return item;
}

/** GET one https image, certificates verified, no redirects, bounded; null when it is not a usable image. */
function fetchImage(url: string, trust: TlsTrust | undefined): Promise<string | null> {
  const target = new URL(url);
  if (target.protocol !== 'https:') return Promise.resolve(null);
  return new Promise((resolve) => {
    const req = request(
      target,
      { method: 'GET', ...tlsOptions(target.hostname, trust), timeout: 10_000, headers: { accept: 'image/*' } },
      (res) => {
        const type = String(res.headers['content-type'] ?? '')
          .split(';')[0]!
          .trim()
          .toLowerCase();
        if (res.statusCode !== 200 || !/^image\/(png|jpeg|gif|webp|bmp|x-icon)$/.test(type)) {
          res.resume();
          resolve(null);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_REMOTE_IMAGE) {
            req.destroy();
            resolve(null);
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve(`data:${type};base64,${Buffer.concat(chunks).toString('base64')}`));
        res.on('error', () => resolve(null));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}
