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
import { emptyDraft } from '../../contract/compose';
import { RatsdeskError } from '../../contract/errors';
import type { DocumentCache } from '../documents/document-cache';
import type { ImipCalendarPart } from '../calendar/imip-message';
import { describeError, silentLog, type Log } from '../log/log-service';
import type { VaultDoor, WritableDB } from '../vault/vault-db';
import { attachmentOrigins, draftOrigins, type DraftOrigins } from './attachment-origins';
import { startReply } from './compose-reply';
import { Drafts } from './drafts';
import type { TlsTrust } from './imap-connection';
import { ImapFolderAccess } from './imap-folder-access';
import type { MailQueryRepository } from './mail-query-repository';
import type { MailSyncService } from './mail-sync-service';
import { extractAttachment } from './message-parser';
import type { MessageSources } from './message-sources';
import {
  buildOutboundMessage,
  type OutboundAddress,
  type OutboundAttachment,
  type OutboundMessage,
} from './outbound-message';
import { Outbox, type BccCopy } from './outbox';
import { checkRecipients, enforceRecipients, noRecipientRules, type RecipientRules } from './recipient-policy';
import { SmtpSubmission } from './smtp-submission';

/** Signs and encrypts outgoing mail (SmimeService), and refuses unsigned mail when the policy demands it. */
export interface SmimeProtector {
  protect(raw: Buffer, from: string, recipients: string[], mode: { sign: boolean; encrypt: boolean }): Promise<Buffer>;
}

export interface ComposeServiceOptions {
  vault: VaultDoor;
  settings: AccountSettings;
  /** Read from the keychain on every use, never kept. */
  password: () => Promise<string>;
  trust?: TlsTrust;
  repository: MailQueryRepository;
  sources: MessageSources;
  /** Drafts and the outbox use the sync's connection, in turn with the sync (withClient), and its state. */
  sync: Pick<MailSyncService, 'withClient' | 'syncAll' | 'connectionState' | 'markOriginal'>;
  documents: () => Promise<DocumentCache>;
  /** The machine policy's recipient rules, read on every check (a changed policy applies at once). */
  recipientRules?: () => Promise<RecipientRules>;
  /** The policy's `documentExportAllowed`, read on every check: council documents are mailed only when true. */
  exportAllowed?: () => Promise<boolean>;
  onOutboxChanged(items: OutboxItemInfo[]): void;
  /** S/MIME for outgoing mail; without it, asking to sign or encrypt fails with SMIME_NO_IDENTITY. */
  smime?: SmimeProtector;
  log?: Log;
}

const OUTBOX_RETRY_MS = 60_000;

/** The account's sender address: the configured one, else the user name when it is an address. */
export function senderAddress(settings: AccountSettings): string {
  if (settings.email) return settings.email;
  return settings.username.includes('@') ? settings.username : `${settings.username}@${settings.host}`;
}

/**
 * The `compose` domain: drafts (vault first, then the server's Drafts folder), replies and forwards, the
 * recipient house rules, and the outbox over SMTP, retried while the account is online.
 */
export class ComposeService {
  private outboxInstance: Outbox | undefined;
  private draftsInstance: Drafts | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly log: Log;

  constructor(private readonly options: ComposeServiceOptions) {
    this.log = options.log ?? silentLog;
  }

  /** Retries the outbox every minute while online (a server that refused for the moment). */
  start(): void {
    this.retryTimer = setInterval(() => {
      if (
        this.options.sync.connectionState.state === 'online' &&
        this.outbox()
          .list()
          .some((i) => i.state !== 'sent' && i.state !== 'failed')
      ) {
        void this.flushOutbox();
      }
    }, OUTBOX_RETRY_MS);
    this.retryTimer.unref();
  }

  private folderOf(role: 'sent' | 'drafts', fallback: string): string {
    return this.options.repository.folderRole(role) ?? fallback;
  }

  private outbox(): Outbox {
    if (!this.outboxInstance) {
      const { settings } = this.options;
      const smtpServer = settings.smtp ?? { host: settings.host, port: 587, security: 'starttls' as const };
      const smtp = new SmtpSubmission(
        { ...smtpServer, username: settings.username },
        { password: this.options.password, trust: this.options.trust },
      );
      this.outboxInstance = new Outbox({
        vault: this.options.vault,
        submit: (raw, envelope) => smtp.send(raw, envelope),
        folders: new ImapFolderAccess((work) => this.options.sync.withClient(work)),
        sentFolder: this.folderOf('sent', 'Sent'),
        onChange: (items) => this.options.onOutboxChanged(items),
      });
    }
    return this.outboxInstance;
  }

  private drafts(): Drafts {
    this.draftsInstance ??= new Drafts({
      vault: this.options.vault,
      folders: new ImapFolderAccess((work) => this.options.sync.withClient(work)),
      draftsFolder: this.folderOf('drafts', 'Drafts'),
      from: { name: '', address: senderAddress(this.options.settings) },
      resolveAttachments: (refs) => this.resolveAttachments(refs),
      // The vault has the draft; the server copy follows at the next save or sync.
      onRemoteError: (err) => this.log.info('mail.draft-upload-deferred', describeError(err)),
    });
    return this.draftsInstance;
  }

  /**
   * The policy's view of a draft's parts, from where each came from (attachment-origins.ts): EXPORT_FORBIDDEN
   * for a council document while export is off; whether it is a forward.
   */
  private async origins(draft: Pick<DraftInput, 'attachments' | 'forwarded'>): Promise<DraftOrigins> {
    const cache = draft.attachments.some((a) => a.kind === 'document') ? await this.options.documents() : undefined;
    const exportAllowed = (await this.options.exportAllowed?.().catch(() => false)) ?? true;
    return draftOrigins(draft, attachmentOrigins(draft.attachments, cache), exportAllowed);
  }

  /** The bytes behind attachment references; the parts' origins are checked first (also for the Drafts copy). */
  async resolveAttachments(refs: readonly AttachmentRef[]): Promise<OutboundAttachment[]> {
    await this.origins({ attachments: [...refs], forwarded: false });
    const out: OutboundAttachment[] = [];
    for (const ref of refs) {
      if (ref.kind === 'document') {
        const doc = (await this.options.documents()).open(ref.documentId);
        out.push({ filename: doc.meta.name, mimeType: doc.meta.mimeType, content: doc.bytes });
      } else {
        const { sources } = this.options;
        const raw = await sources.requireSource(sources.idOf(ref.folder, ref.uid));
        const part = await extractAttachment(raw, ref.partId);
        out.push({ filename: part.filename, mimeType: part.mimeType, content: part.bytes });
      }
    }
    return out;
  }

  /**
   * A reply or forward starts from the headers the list and the reading pane show (decided once, at sync:
   * issue #19 item 3) and from the parsed body; Reply-To, which neither shows, comes from the same decision
   * over the same header block.
   */
  async startReply(folder: string, uid: number, mode: ReplyMode): Promise<DraftInput> {
    const { sources, repository } = this.options;
    const id = sources.idOf(folder, uid);
    const parsed = await sources.parsedMessage(id);
    if (!parsed) throw new RatsdeskError('MAIL_PART_NOT_FOUND', 'body not stored');
    const stored = repository.getMessage(id);
    const original = {
      ...parsed,
      subject: stored.subject,
      from: stored.from.address || stored.from.name ? [stored.from] : parsed.from,
      to: stored.to,
      cc: stored.cc,
      date: stored.date,
      messageId: stored.messageId,
      inReplyTo: stored.inReplyTo,
      references: stored.references,
    };
    return startReply(original, mode, { me: [senderAddress(this.options.settings)], source: { folder, uid } });
  }

  /** Saves a draft; its parts are checked first, so a council document never reaches the server's Drafts. */
  async saveDraft(input: DraftInput): Promise<DraftSummary> {
    await this.origins(input);
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
    return checkRecipients(input, await this.rules(), await this.origins(input));
  }

  /**
   * Checks the recipients against the policy, builds the message, puts it into the outbox (offline too),
   * drops its draft, and sends when online.
   */
  async send(input: SendInput): Promise<OutboxItemInfo> {
    enforceRecipients(input, await this.rules(), await this.origins(input), input.confirmOutsideRecipients);
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
    // Signed and/or encrypted before it enters the outbox: the queued, sent and Sent-folder copies are
    // all the protected one (encrypted to the sender too, so the Sent copy stays readable).
    const mode = input.smime ?? { sign: false, encrypt: false };
    let bccCopies: BccCopy[] = [];
    if (this.options.smime) {
      bccCopies = await protectOutbound(built, input, senderAddress(this.options.settings), mode, this.options.smime);
    } else if (mode.sign || mode.encrypt) {
      throw new RatsdeskError('SMIME_NO_IDENTITY');
    }
    const item = this.outbox().enqueue(built, bccCopies);
    this.markOriginal(input);
    if (input.id) {
      try {
        this.drafts().remove(input.id);
      } catch (err) {
        // The message is queued already: a draft that cannot be removed now stays listed, the send stands.
        this.log.warn('mail.draft-not-removed', describeError(err));
      }
    }
    void this.flushOutbox();
    return item;
  }

  /**
   * The message a sent reply answers gets \Answered, the one a sent forward passes on $Forwarded (the
   * forward names it as its only reference, compose-reply.ts), as other mail programs show it. The send stands
   * whatever happens here.
   */
  private markOriginal(input: SendInput): void {
    const original = input.forwarded ? input.references.at(-1) : input.inReplyTo;
    if (!original) return;
    try {
      this.options.sync.markOriginal(original, input.forwarded ? 'forwarded' : 'answered');
    } catch (err) {
      this.log.warn('mail.original-not-marked', describeError(err));
    }
  }

  /**
   * An automatic answer (an invitation's REPLY): built and put into the outbox only when `claim`, run in the
   * same vault transaction, says it is the first time — so a double click, a retry or a second window never
   * sends it twice; null when claimed before. Offline it waits in the outbox like any mail. The recipient is
   * the one the message answers (the organizer named on the card), so the person's click confirms a
   * recipient outside the city's domains ('warn'); what the policy blocks stays blocked.
   */
  async queueOnce(
    mail: { from: OutboundAddress; to: OutboundAddress[]; subject: string; text: string },
    calendar: ImipCalendarPart,
    claim: (db: WritableDB) => boolean,
  ): Promise<OutboxItemInfo | null> {
    // No attachment and no forward: only the recipient rules apply.
    enforceRecipients({ ...emptyDraft(), to: mail.to }, await this.rules(), { forward: false }, true);
    const built = await buildOutboundMessage({
      ...mail,
      cc: [],
      bcc: [],
      html: null,
      inReplyTo: null,
      references: [],
      attachments: [],
      calendar,
    });
    const item = this.outbox().enqueueOnce(built, claim);
    if (item) void this.flushOutbox();
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
      // (A failing sync reports itself: syncError and the connection state.)
      if (report.sent.length > 0) void this.options.sync.syncAll().catch(() => undefined);
    } catch (err) {
      // The outbox keeps its items; the next trigger (online again, the minute's retry) tries again.
      this.log.warn('mail.outbox-flush-failed', describeError(err));
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.draftsInstance?.dispose();
    this.outboxInstance?.dispose();
  }
}

/**
 * Protects a built message in place and returns the Bcc copies it needs. Encrypted mail with Bcc recipients
 * cannot be one message: its CMS EnvelopedData carries a RecipientInfo (issuer and serial) per recipient,
 * so To and Cc would see who was Bcc'd and the Bcc recipients each other. The main message is encrypted to
 * To, Cc and the sender and goes to To and Cc (it is the Sent copy, Bcc header outside the encrypted
 * entity); each Bcc recipient gets a copy encrypted to that person and the sender only. Signed-only or
 * plain mail names nobody inside: it stays one message, the server fans it out to the Bcc envelope.
 */
async function protectOutbound(
  built: OutboundMessage,
  input: Pick<SendInput, 'to' | 'cc' | 'bcc'>,
  from: string,
  mode: { sign: boolean; encrypt: boolean },
  smime: SmimeProtector,
): Promise<BccCopy[]> {
  const plain = built.raw;
  const visible = [...input.to, ...input.cc].map((a) => a.address);
  if (!mode.encrypt || input.bcc.length === 0) {
    built.raw = await smime.protect(plain, from, [...visible, ...input.bcc.map((a) => a.address)], mode);
    return [];
  }
  built.raw = await smime.protect(plain, from, visible, mode);
  built.envelope = { from: built.envelope.from, to: visible };
  // A Bcc address also in To or Cc gets the main message already; one named twice gets one copy.
  const seen = new Set(visible.map((a) => a.toLowerCase()));
  const copies: BccCopy[] = [];
  for (const { address } of input.bcc) {
    if (seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    copies.push({ recipient: address, raw: await smime.protect(plain, from, [address], mode) });
  }
  return copies;
}
