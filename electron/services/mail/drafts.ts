import { randomUUID } from 'node:crypto';
import { DraftInputSchema, type AttachmentRef, type DraftInput, type DraftSummary } from '../../contract/compose';
import { RatsdeskError } from '../../contract/errors';
import type { VaultDoor } from '../vault/vault-db';
import type { MailFolderAccess } from './imap-folder-access';
import { buildOutboundMessage, type OutboundAddress, type OutboundAttachment } from './outbound-message';

export interface DraftsOptions {
  vault: VaultDoor;
  folders: MailFolderAccess;
  draftsFolder: string;
  /** The account's sender. */
  from: OutboundAddress;
  /** Reads the bytes behind attachment references (files, document cache, message parts). */
  resolveAttachments: (refs: AttachmentRef[]) => Promise<OutboundAttachment[]>;
  /** A server copy that could not be written now (offline, refused); the vault keeps the draft. */
  onRemoteError?: (err: unknown) => void;
  /** Delay after the last save before the server copy is replaced; default 5 s. */
  remoteDelayMs?: number;
  now?: () => Date;
}

interface DraftRow {
  id: string;
  doc: string;
  subject: string;
  recipients: string;
  revision: number;
  remote_revision: number;
  remote_uid: number | null;
  message_id: string;
  updated_at: string;
}

/**
 * Drafts autosave into the vault at once (offline too) and, a moment later, into the server's Drafts
 * folder, where each save replaces the previous copy by UID. Each draft keeps one Message-ID for its
 * server copies, so copies left over by an interrupted save are found and removed as well.
 */
export class Drafts {
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  private disposed = false;

  constructor(private readonly options: DraftsOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Writes the draft to the vault (new id when absent) and schedules the server copy. */
  save(input: DraftInput): DraftSummary {
    if (this.disposed) throw new RatsdeskError('INTERNAL', 'drafts disposed');
    const draft = DraftInputSchema.parse(input);
    const id = draft.id ?? randomUUID();
    const stamp = this.now().toISOString();
    const doc = JSON.stringify({ ...draft, id });
    const recipients = JSON.stringify([...draft.to, ...draft.cc, ...draft.bcc].map((a) => a.address));
    const domain = this.options.from.address.split('@')[1] ?? 'ratsdesk.invalid';
    this.options.vault.transaction((db) => {
      db.prepare(
        `INSERT INTO mail_drafts (id, doc, subject, recipients, revision, message_id, updated_at)
           VALUES (@id, @doc, @subject, @recipients, 1, @messageId, @stamp)
           ON CONFLICT(id) DO UPDATE SET doc = @doc, subject = @subject, recipients = @recipients,
             revision = revision + 1, updated_at = @stamp`,
      ).run({ id, doc, subject: draft.subject, recipients, messageId: `<draft-${id}@${domain}>`, stamp });
    });
    this.schedule();
    return this.summary(id);
  }

  get(id: string): DraftInput {
    const row = this.row(id);
    return DraftInputSchema.parse(JSON.parse(row.doc));
  }

  list(): DraftSummary[] {
    return this.options.vault
      .guard((db) => db.pluck<[], string>(`SELECT id FROM mail_drafts ORDER BY updated_at DESC`).all())
      .map((id) => this.summary(id));
  }

  /** Deletes the draft locally at once and its server copy now or on the next sync. */
  remove(id: string): boolean {
    const row = this.find(id);
    if (!row) return false;
    this.options.vault.transaction((db) => {
      db.prepare(`DELETE FROM mail_drafts WHERE id = ?`).run(id);
      db.prepare(`INSERT OR REPLACE INTO mail_drafts_remote_trash (message_id, uid) VALUES (?, ?)`).run(
        row.message_id,
        row.remote_uid,
      );
    });
    this.schedule();
    return true;
  }

  /**
   * Brings the Drafts folder up to date: appends the newest revision of every changed draft, removes the
   * previous copies, and removes the copies of deleted drafts. Throws when the server cannot be reached
   * (the vault keeps everything; the next call catches up).
   */
  syncRemote(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.syncing) {
      this.syncing = this.runSync().finally(() => {
        this.syncing = null;
      });
    }
    return this.syncing;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  // -------------------------------------------------------------------------------------------------------

  private schedule(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.syncRemote().catch((err: unknown) => this.options.onRemoteError?.(err));
    }, this.options.remoteDelayMs ?? 5000);
    this.timer.unref();
  }

  private async runSync(): Promise<void> {
    const { folders, draftsFolder } = this.options;
    const trash = this.options.vault.guard((db) =>
      db
        .prepare<[], { message_id: string; uid: number | null }>(`SELECT message_id, uid FROM mail_drafts_remote_trash`)
        .all(),
    );
    for (const t of trash) {
      for (const uid of await folders.findByMessageId(draftsFolder, t.message_id))
        await folders.deleteUid(draftsFolder, uid);
      this.options.vault.transaction((db) =>
        db.prepare(`DELETE FROM mail_drafts_remote_trash WHERE message_id = ?`).run(t.message_id),
      );
    }
    const changed = this.options.vault.guard((db) =>
      db.prepare<[], DraftRow>(`SELECT * FROM mail_drafts WHERE revision > remote_revision`).all(),
    );
    for (const row of changed) {
      const draft = DraftInputSchema.parse(JSON.parse(row.doc));
      if (draft.smime?.encrypt) {
        // A message that will go out encrypted is not left readable on the server while it is written: its
        // draft stays in the encrypted vault on this device, and an earlier plain copy leaves the server.
        for (const uid of await folders.findByMessageId(draftsFolder, row.message_id))
          await folders.deleteUid(draftsFolder, uid);
        this.options.vault.transaction((db) => {
          db.prepare(`UPDATE mail_drafts SET remote_revision = ?, remote_uid = NULL WHERE id = ?`).run(
            row.revision,
            row.id,
          );
        });
        continue;
      }
      const recipients = [...draft.to, ...draft.cc, ...draft.bcc];
      const built = await buildOutboundMessage(
        {
          from: this.options.from,
          to: draft.to,
          cc: draft.cc,
          bcc: draft.bcc,
          subject: draft.subject,
          text: draft.text,
          html: draft.html,
          inReplyTo: draft.inReplyTo,
          references: draft.references,
          attachments: await this.options.resolveAttachments(draft.attachments),
          messageId: row.message_id,
          date: new Date(row.updated_at),
        },
        { allowNoRecipients: recipients.length === 0 },
      );
      const appended = await folders.append(draftsFolder, built.raw, ['\\Draft', '\\Seen']);
      // Every other copy of this draft (the previous save, or one left by an interrupted save) goes.
      if (appended.uid !== null) {
        const copies = await folders.findByMessageId(draftsFolder, row.message_id);
        for (const uid of copies) if (uid !== appended.uid) await folders.deleteUid(draftsFolder, uid);
      } else if (row.remote_uid !== null) {
        // Without UIDPLUS the new copy's UID is unknown: remove the previous one by its recorded UID.
        await folders.deleteUid(draftsFolder, row.remote_uid);
      }
      this.options.vault.transaction((db) => {
        db.prepare(`UPDATE mail_drafts SET remote_revision = ?, remote_uid = ? WHERE id = ?`).run(
          row.revision,
          appended.uid,
          row.id,
        );
      });
    }
  }

  private find(id: string): DraftRow | undefined {
    return this.options.vault.guard((db) =>
      db.prepare<[string], DraftRow>(`SELECT * FROM mail_drafts WHERE id = ?`).get(id),
    );
  }

  private row(id: string): DraftRow {
    const row = this.find(id);
    if (!row) throw new RatsdeskError('DRAFT_NOT_FOUND');
    return row;
  }

  private summary(id: string): DraftSummary {
    const row = this.row(id);
    return {
      id: row.id,
      subject: row.subject,
      to: JSON.parse(row.recipients) as string[],
      updatedAt: row.updated_at,
      // A draft to be encrypted never goes to the server (runSync): it is on this device only.
      syncedToServer: row.remote_revision >= row.revision && !toBeEncrypted(row.doc),
    };
  }

  /** The server UID of the current copy (tests, diagnostics). */
  remoteUid(id: string): number | null {
    return this.row(id).remote_uid;
  }
}

function toBeEncrypted(doc: string): boolean {
  const parsed = DraftInputSchema.shape.smime.safeParse((JSON.parse(doc) as { smime?: unknown }).smime);
  return parsed.success && parsed.data?.encrypt === true;
}
