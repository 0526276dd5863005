import { randomUUID } from 'node:crypto';
import type { OutboxItemInfo, OutboxState } from '../../contract/compose';
import { RatsdeskError, type ErrorCode } from '../../contract/errors';
import type { VaultDoor, WritableDB } from '../vault/vault-db';
import type { MailFolderAccess } from './imap-folder-access';
import { withoutBcc, type OutboundMessage } from './outbound-message';
import { classifySmtpError, isRetryable, type SmtpEnvelope, type SubmitResult } from './smtp-submission';

/** Submits one message over SMTP (SmtpSubmission.send). */
export type SubmitFn = (raw: Buffer, envelope: SmtpEnvelope) => Promise<SubmitResult>;

export interface OutboxOptions {
  vault: VaultDoor;
  submit: SubmitFn;
  /** The server folders; the Sent folder is the proof that an interrupted submission went out. */
  folders: MailFolderAccess;
  sentFolder: string;
  now?: () => Date;
  /** Called after every state change (for the outboxChanged event). */
  onChange?: (items: OutboxItemInfo[]) => void;
}

/**
 * One Bcc recipient's own copy of an encrypted message: encrypted to that person and the sender only, so
 * the CMS RecipientInfos of no copy name a Bcc recipient to anyone else. Same Message-ID as the main message.
 */
export interface BccCopy {
  recipient: string;
  raw: Buffer;
}

export interface FlushReport {
  sent: string[];
  /** Items left for a later flush (server unreachable, temporary refusal). */
  deferred: string[];
  failed: string[];
}

interface OutboxRow {
  id: string;
  message_id: string;
  bcc_copy_for: string | null;
  subject: string;
  envelope_from: string;
  envelope_to: string;
  state: OutboxState;
  attempts: number;
  last_error: string | null;
  sent_copy: number;
  created_at: string;
  sent_at: string | null;
}

/** Failures that leave open whether the server accepted the message. */
const AMBIGUOUS = new Set<ErrorCode>(['SERVER_ERROR', 'TIMEOUT']);

const INFO_COLUMNS =
  'id, message_id, bcc_copy_for, subject, envelope_from, envelope_to, state, attempts, last_error, sent_copy, created_at, sent_at';

/**
 * The outbox in the vault. A message is written here first (offline works), then submitted once:
 *
 *   queued ──▶ sending ──SMTP 250──▶ submitted ──append to Sent──▶ sent
 *
 * 'sending' is recorded before the SMTP transaction, 'submitted' synchronously after the server accepted
 * it, so a restart never submits a 'submitted' item again. An item found in 'sending' after a restart
 * was interrupted mid-transaction: it is looked up in the Sent folder by Message-ID (a server or another
 * client may have filed it) and only submitted again when it is not there. The Sent copy is appended
 * once, checked by Message-ID first, so that step is idempotent too.
 *
 * Bcc copies of an encrypted message (BccCopy) are items of their own, unique by Message-ID and recipient,
 * enqueued in the same transaction as their main message. A copy waits until its main message has been
 * accepted (a Bcc recipient never gets what the To recipients did not), goes to that one address, and is
 * never filed in Sent (the main message is the Sent copy):
 *
 *   queued ──(main submitted)──▶ sending ──SMTP 250──▶ sent
 *
 * A copy found in 'sending' after a restart, or after a connection that broke without a final answer, has
 * no Sent copy that could prove it went out. It is submitted again: at worst that one Bcc recipient gets
 * the message twice, which beats the alternative of silently losing it (nobody would notice: the person
 * sees "sent" on the main message). Cancelling a main message cancels its waiting copies with it.
 */
export class Outbox {
  private readonly now: () => Date;
  private flushing: Promise<FlushReport> | null = null;
  private flushAgain = false;
  private disposed = false;

  constructor(private readonly options: OutboxOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Stores a built message and its Bcc copies, all or nothing in one transaction; the same Message-ID twice
   * yields the existing item (idempotent).
   */
  enqueue(message: OutboundMessage, bccCopies: readonly BccCopy[] = []): OutboxItemInfo {
    const item = this.enqueueOnce(message, () => true, bccCopies);
    if (!item) throw new RatsdeskError('INTERNAL', 'outbox insert vanished');
    return item;
  }

  /**
   * Stores a built message (and its Bcc copies) only when `claim`, run in the same vault transaction, says
   * this is the first time (e.g. one answer to one version of an invitation); null when it was claimed
   * before. Nothing is stored half: the claim and the outbox items commit together.
   */
  enqueueOnce(
    message: OutboundMessage,
    claim: (db: WritableDB) => boolean,
    bccCopies: readonly BccCopy[] = [],
  ): OutboxItemInfo | null {
    this.assertOpen();
    const stamp = this.now().toISOString();
    const claimed = this.options.vault.transaction((db) => {
      if (!claim(db)) return false;
      const insert = db.prepare(
        `INSERT INTO mail_outbox (id, message_id, bcc_copy_for, subject, envelope_from, envelope_to, raw, state, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT DO NOTHING`,
      );
      const add = (copyFor: string | null, to: string[], raw: Buffer) =>
        insert.run(
          randomUUID(),
          message.messageId,
          copyFor,
          message.subject,
          message.envelope.from,
          JSON.stringify(to),
          raw,
          stamp,
          stamp,
        );
      add(null, message.envelope.to, message.raw);
      for (const copy of bccCopies) add(copy.recipient, [copy.recipient], copy.raw);
      return true;
    });
    if (!claimed) return null;
    const row = this.rowByMessageId(message.messageId);
    if (!row) throw new RatsdeskError('INTERNAL', 'outbox insert vanished');
    this.changed();
    return toInfo(row);
  }

  list(): OutboxItemInfo[] {
    return this.options.vault
      .guard((db) =>
        db.prepare<[], OutboxRow>(`SELECT ${INFO_COLUMNS} FROM mail_outbox ORDER BY created_at, rowid`).all(),
      )
      .map(toInfo);
  }

  get(id: string): OutboxItemInfo {
    const row = this.row(id);
    if (!row) throw new RatsdeskError('OUTBOX_ITEM_NOT_FOUND');
    return toInfo(row);
  }

  /**
   * Removes an item that has not gone out (queued or failed); false when it is already on its way. A main
   * message takes its waiting Bcc copies with it: a Bcc recipient must not get what To and Cc never got.
   */
  cancel(id: string): boolean {
    this.assertOpen();
    const removed = this.options.vault.transaction((db) => {
      const row = db
        .prepare<[string], Pick<OutboxRow, 'message_id' | 'bcc_copy_for'>>(
          `DELETE FROM mail_outbox WHERE id = ? AND state IN ('queued', 'failed') RETURNING message_id, bcc_copy_for`,
        )
        .get(id);
      if (row && row.bcc_copy_for === null) {
        db.prepare(
          `DELETE FROM mail_outbox WHERE message_id = ? AND bcc_copy_for IS NOT NULL AND state IN ('queued', 'failed')`,
        ).run(row.message_id);
      }
      return row !== undefined;
    });
    if (removed) this.changed();
    return removed;
  }

  /** Puts a failed item back into the queue (after the person fixed the password or the recipients). */
  retry(id: string): boolean {
    this.assertOpen();
    const res = this.options.vault.transaction((db) =>
      db
        .prepare(
          `UPDATE mail_outbox SET state = 'queued', last_error = NULL, updated_at = ? WHERE id = ? AND state = 'failed'`,
        )
        .run(this.now().toISOString(), id),
    );
    if (res.changes > 0) this.changed();
    return res.changes > 0;
  }

  /**
   * Works through everything not yet sent, one item at a time. Concurrent calls share one run; a call during
   * a run makes it look again at its end, so an item queued meanwhile does not wait for the next retry.
   */
  flush(): Promise<FlushReport> {
    this.assertOpen();
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      const report: FlushReport = { sent: [], deferred: [], failed: [] };
      do {
        this.flushAgain = false;
        const round = await this.runFlush();
        report.sent.push(...round.sent);
        report.failed.push(...round.failed);
        report.deferred = round.deferred;
        // A round that had to defer (server down) ends it: the next trigger retries.
      } while (this.flushAgain && report.deferred.length === 0 && !this.disposed);
      return report;
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  dispose(): void {
    this.disposed = true;
  }

  // -------------------------------------------------------------------------------------------------------

  private async runFlush(): Promise<FlushReport> {
    const report: FlushReport = { sent: [], deferred: [], failed: [] };
    const ids = this.options.vault.guard((db) =>
      db
        .pluck<[], string>(
          `SELECT id FROM mail_outbox WHERE state IN ('queued', 'sending', 'submitted')
             OR (state = 'sent' AND sent_copy = 0 AND bcc_copy_for IS NULL) ORDER BY created_at, rowid`,
        )
        .all(),
    );
    for (const id of ids) {
      if (this.disposed) break;
      const outcome = await this.process(id);
      if (outcome === 'waiting') continue;
      report[outcome].push(id);
      // A server that is down for one item is down for the next: stop and keep the order.
      if (outcome === 'deferred') {
        for (const rest of ids.slice(ids.indexOf(id) + 1)) report.deferred.push(rest);
        break;
      }
    }
    return report;
  }

  private async process(id: string): Promise<keyof FlushReport | 'waiting'> {
    const row = this.row(id);
    if (!row) return 'failed';
    if (row.bcc_copy_for !== null) return this.processCopy(row);
    try {
      if (row.state === 'sending') {
        // Interrupted mid-transaction earlier: only the Sent folder can tell whether it went out.
        const uids = await this.options.folders.findByMessageId(this.options.sentFolder, row.message_id);
        if (uids.length > 0) {
          this.setState(id, 'sent', { sentCopy: true, sentAt: true });
          return 'sent';
        }
      }
      if (row.state === 'queued' || row.state === 'sending') {
        this.setState(id, 'sending', { attempt: true });
        // An encrypted message to Bcc recipients only has nobody to go to but its copies: it is filed only.
        const envelopeTo = JSON.parse(row.envelope_to) as string[];
        if (envelopeTo.length > 0) {
          const refused = await this.submit(row, envelopeTo);
          // An ambiguous failure stays 'sending': the next flush looks in the Sent folder first.
          if (refused) return refused;
        }
        // Synchronously after the server's 250: no await between acceptance and this record.
        this.setState(id, 'submitted', { sentAt: true });
      }
      await this.fileSentCopy(id, row.message_id);
      return 'sent';
    } catch (err) {
      // The Sent folder could not be reached: the item keeps its state and is retried on the next flush.
      const code: ErrorCode = err instanceof RatsdeskError ? err.code : 'SERVER_ERROR';
      this.options.vault.transaction((db) =>
        db
          .prepare(`UPDATE mail_outbox SET last_error = ?, updated_at = ? WHERE id = ?`)
          .run(code, this.now().toISOString(), id),
      );
      this.changed();
      return 'deferred';
    }
  }

  /**
   * A Bcc copy: once its main message is accepted, submitted to its one recipient and recorded 'sent' (no
   * Sent-folder step). Interrupted in 'sending', it is submitted again (see the class comment).
   */
  private async processCopy(row: OutboxRow): Promise<keyof FlushReport | 'waiting'> {
    const main = this.options.vault.guard((db) =>
      db
        .pluck<[string], OutboxState>(`SELECT state FROM mail_outbox WHERE message_id = ? AND bcc_copy_for IS NULL`)
        .get(row.message_id),
    );
    if (main !== undefined && main !== 'submitted' && main !== 'sent') return 'waiting';
    if (row.state !== 'queued' && row.state !== 'sending') return 'sent';
    this.setState(row.id, 'sending', { attempt: true });
    const refused = await this.submit(row, JSON.parse(row.envelope_to) as string[]);
    if (refused) return refused;
    this.setState(row.id, 'sent', { sentAt: true });
    return 'sent';
  }

  /**
   * One SMTP transaction; undefined when the server accepted. A failure is recorded: an ambiguous one (the
   * connection broke without a final answer: it may have gone out) stays 'sending'; a definite answer
   * (refused, unreachable, rejected) means not sent: queued again when it may pass later, else failed.
   */
  private async submit(row: OutboxRow, to: string[]): Promise<'deferred' | 'failed' | undefined> {
    try {
      await this.options.submit(withoutBcc(this.raw(row.id)), { from: row.envelope_from, to });
      return undefined;
    } catch (err) {
      const e = classifySmtpError(err);
      if (AMBIGUOUS.has(e.code)) {
        this.setState(row.id, 'sending', { error: e.code });
        return 'deferred';
      }
      this.setState(row.id, isRetryable(e) ? 'queued' : 'failed', { error: e.code });
      return isRetryable(e) ? 'deferred' : 'failed';
    }
  }

  /** Appends the Sent copy unless it is there already, then records 'sent'. */
  private async fileSentCopy(id: string, messageId: string): Promise<void> {
    const { folders, sentFolder } = this.options;
    const existing = await folders.findByMessageId(sentFolder, messageId);
    if (existing.length === 0) await folders.append(sentFolder, this.raw(id), ['\\Seen']);
    this.setState(id, 'sent', { sentCopy: true });
  }

  private raw(id: string): Buffer {
    const raw = this.options.vault.guard((db) =>
      db.pluck<[string], Buffer>(`SELECT raw FROM mail_outbox WHERE id = ?`).get(id),
    );
    if (!raw) throw new RatsdeskError('OUTBOX_ITEM_NOT_FOUND');
    return raw;
  }

  private setState(
    id: string,
    state: OutboxState,
    opts: { attempt?: boolean; error?: ErrorCode; sentCopy?: boolean; sentAt?: boolean } = {},
  ): void {
    const stamp = this.now().toISOString();
    this.options.vault.transaction((db) => {
      db.prepare(
        `UPDATE mail_outbox SET state = ?, updated_at = ?, last_error = ?,
             attempts = attempts + ?, sent_copy = CASE WHEN ? THEN 1 ELSE sent_copy END,
             sent_at = CASE WHEN ? AND sent_at IS NULL THEN ? ELSE sent_at END
           WHERE id = ?`,
      ).run(
        state,
        stamp,
        opts.error ?? null,
        opts.attempt ? 1 : 0,
        opts.sentCopy ? 1 : 0,
        opts.sentAt ? 1 : 0,
        stamp,
        id,
      );
    });
    this.changed();
  }

  private rowByMessageId(messageId: string): OutboxRow | undefined {
    return this.options.vault.guard((db) =>
      db
        .prepare<[string], OutboxRow>(
          `SELECT ${INFO_COLUMNS} FROM mail_outbox WHERE message_id = ? AND bcc_copy_for IS NULL`,
        )
        .get(messageId),
    );
  }

  private row(id: string): OutboxRow | undefined {
    return this.options.vault.guard((db) =>
      db.prepare<[string], OutboxRow>(`SELECT ${INFO_COLUMNS} FROM mail_outbox WHERE id = ?`).get(id),
    );
  }

  private changed(): void {
    if (this.options.onChange) this.options.onChange(this.list());
  }

  private assertOpen(): void {
    if (this.disposed) throw new RatsdeskError('INTERNAL', 'outbox disposed');
  }
}

function toInfo(row: OutboxRow): OutboxItemInfo {
  return {
    id: row.id,
    messageId: row.message_id,
    subject: row.subject,
    to: JSON.parse(row.envelope_to) as string[],
    state: row.state,
    attempts: row.attempts,
    lastError: (row.last_error as ErrorCode | null) ?? null,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    ...(row.bcc_copy_for !== null ? { bccCopyFor: row.bcc_copy_for } : {}),
  };
}
