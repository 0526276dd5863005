import type { ImapFlow, ListResponse } from 'imapflow';
import type { AccountSettings } from '../../contract/account';
import { RatsdeskError } from '../../contract/errors';
import type { Folder, Inbox, MessageSummary } from '../../contract/mail';
import { classifyConnectError, closeImap, connectImap, type TlsTrust } from './imap-connection';

/**
 * The mail service of one account: one IMAP connection, created fresh on every connect because
 * imapflow clients are single-use after close.
 */
export class MailService {
  private client: ImapFlow | undefined;

  constructor(private readonly trust: TlsTrust = {}) {}

  get connected(): boolean {
    return this.client?.usable === true;
  }

  /** Connect and log in; on failure nothing is retried here, the person is told why. */
  async connect(settings: AccountSettings, password: string): Promise<void> {
    await this.disconnect();
    const client = await connectImap(settings, password, this.trust);
    client.on('close', () => {
      if (this.client === client) this.client = undefined;
    });
    this.client = client;
  }

  private requireClient(): ImapFlow {
    if (!this.client?.usable) throw new RatsdeskError('NOT_CONNECTED');
    return this.client;
  }

  async listFolders(): Promise<Folder[]> {
    const client = this.requireClient();
    let list: ListResponse[];
    try {
      list = await client.list();
    } catch (err) {
      throw classifyConnectError(err);
    }
    return list.map((f) => ({ path: f.path, name: f.name, specialUse: f.specialUse ?? null }));
  }

  /** The newest `limit` messages of a folder, newest first. */
  async latest(folder = 'INBOX', limit = 50): Promise<MessageSummary[]> {
    const client = this.requireClient();
    const lock = await client.getMailboxLock(folder, { readOnly: true });
    try {
      const mailbox = client.mailbox;
      const exists = mailbox ? mailbox.exists : 0;
      if (exists === 0) return [];
      const from = Math.max(1, exists - limit + 1);
      // fetchAll collects first: no other command may run inside a fetch iteration.
      const messages = await client.fetchAll(`${from}:*`, {
        uid: true,
        envelope: true,
        flags: true,
        internalDate: true,
      });
      return messages
        .map((m): MessageSummary => {
          const sender = m.envelope?.from?.[0];
          const raw = m.envelope?.date ?? m.internalDate;
          const date = raw === undefined ? undefined : new Date(raw);
          return {
            uid: m.uid,
            from: { name: sender?.name ?? '', address: sender?.address ?? '' },
            subject: m.envelope?.subject ?? '',
            date: date && !Number.isNaN(date.getTime()) ? date.toISOString() : null,
            seen: m.flags?.has('\\Seen') ?? false,
            flagged: m.flags?.has('\\Flagged') ?? false,
          };
        })
        .sort((a, b) => b.uid - a.uid);
    } catch (err) {
      throw classifyConnectError(err);
    } finally {
      lock.release();
    }
  }

  async inbox(limit = 50): Promise<Inbox> {
    const folders = await this.listFolders();
    const messages = await this.latest('INBOX', limit);
    return { folders, folder: 'INBOX', messages };
  }

  async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await closeImap(client);
  }

  async dispose(): Promise<void> {
    await this.disconnect();
  }
}

export type { AccountSettings };
