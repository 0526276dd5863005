import { randomUUID } from 'node:crypto';
import type { OutboxItemInfo, OutboxState } from '../../contract/compose';
import { RatsdeskError, type ErrorCode } from '../../contract/errors';
import type { VaultDoor } from '../vault/vault-db';
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

export interface FlushReport {
  sent: string[];
  /** Items left for a later flush (server unreachable, temporary refusal). */
  deferred: string[];
  failed: string[];
}

interface OutboxRow {
  id: string;
  message_id: string;
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
  'id, message_id, subject, envelope_from, envelope_to, state, attempts, last_error, sent_copy, created_at, sent_at';

/**
 * The outbox in the vault. A message is written here first (offline works), then submitted once:
 *
 *   queued ──▶ sending ──SMTP 250──▶ submitted ──append to Sent──▶ sent
 *
 * 'sending' is recorded before the SMTP transaction, 'submitted' synchronously after the server accepted
 * it, so a restart never submits a 'submitted' item again. An item found in 'sending' after a restart
 * was interrupted mid-transaction: it is looked up in the Sent folder by Message-ID (a server or another
 * client may have filed it) and only submitted again when it is not there. The Sent copy is appended
 * once, checked by Message-ID first, so that step is idempotent too. Items are unique by Message-ID.
 */
export class Outbox {
  private readonly now: () => Date;
  private flushing: Promise<FlushReport> | null = null;
  private flushAgain = false;
  private disposed = false;

  constructor(private readonly options: OutboxOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Stores a built message; the same Message-ID twice yields the existing item (idempotent). */
  enqueue(message: OutboundMessage): OutboxItemInfo {
    this.assertOpen();
    const stamp = this.now().toISOString();
    const id = randomUUID();
    this.options.vault.transaction((db) => {
      db.prepare(
        `INSERT INTO mail_outbox (id, message_id, subject, envelope_from, envelope_to, raw, state, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT(message_id) DO NOTHING`,
      ).run(
        id,
        message.messageId,
        message.subject,
        message.envelope.from,
        JSON.stringify(message.envelope.to),
        message.raw,
        stamp,
        stamp,
      );
    });
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

  /** Removes an item that has not gone out (queued or failed); false when it is already on its way. */
  cancel(id: string): boolean {
    this.assertOpen();
    const res = this.options.vault.transaction((db) =>
      db.prepare(`DELETE FROM mail_outbox WHERE id = ? AND state IN ('queued', 'failed')`).run(id),
    );
    if (res.changes > 0) this.changed();
    return res.changes > 0;
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
          `SELECT id FROM mail_outbox WHERE state IN ('queued', 'sending', 'submitted') OR (state = 'sent' AND sent_copy = 0) ORDER BY created_at, rowid`,
        )
        .all(),
    );
    for (const id of ids) {
      if (this.disposed) break;
      const outcome = await this.process(id);
      report[outcome].push(id);
      // A server that is down for one item is down for the next: stop and keep the order.
      if (outcome === 'deferred') {
        for (const rest of ids.slice(ids.indexOf(id) + 1)) report.deferred.push(rest);
        break;
      }
    }
    return report;
  }

  private async process(id: string): Promise<keyof FlushReport> {
    const row = this.row(id);
    if (!row) return 'failed';
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
        const raw = this.raw(id);
        try {
          await this.options.submit(withoutBcc(raw), {
            from: row.envelope_from,
            to: JSON.parse(row.envelope_to) as string[],
          });
        } catch (err) {
          const e = classifySmtpError(err);
          if (AMBIGUOUS.has(e.code)) {
            // The connection broke without a final answer: it may have gone out. Stay 'sending' so the next
            // flush looks in the Sent folder first.
            this.setState(id, 'sending', { error: e.code });
            return 'deferred';
          }
          // A definite answer (refused, unreachable, rejected): not sent.
          this.setState(id, isRetryable(e) ? 'queued' : 'failed', { error: e.code });
          return isRetryable(e) ? 'deferred' : 'failed';
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
      db.prepare<[string], OutboxRow>(`SELECT ${INFO_COLUMNS} FROM mail_outbox WHERE message_id = ?`).get(messageId),
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
  };
}
