import type { ImapFlow } from 'imapflow';
import { RatsdeskError } from '../../contract/errors';
import { classifyConnectError } from './imap-connection';

/** What the outbox and drafts need from the server: find by Message-ID, append, delete by UID. */
export interface MailFolderAccess {
  /** UIDs of messages in `folder` whose Message-ID header is exactly `messageId`. */
  findByMessageId(folder: string, messageId: string): Promise<number[]>;
  /** Appends a message; the new UID when the server reports it (UIDPLUS), else null. */
  append(folder: string, raw: Buffer, flags: string[]): Promise<{ uid: number | null; uidValidity: string | null }>;
  /** Removes one message by UID (flag \Deleted and expunge that UID only). */
  deleteUid(folder: string, uid: number): Promise<void>;
}

/** Runs work on the account's connection in turn with everything else that uses it. */
export type ImapClientRunner = <T>(work: (client: ImapFlow) => Promise<T>) => Promise<T>;

/**
 * MailFolderAccess over the account's one connection, lent by its owner (MailSyncService.withClient) so
 * drafts and the outbox never open a connection of their own. No command is issued inside a fetch loop:
 * search and append are plain commands under the mailbox lock.
 */
export class ImapFolderAccess implements MailFolderAccess {
  constructor(private readonly run: ImapClientRunner) {}

  private on<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
    return this.run(async (client) => {
      if (!client.usable) throw new RatsdeskError('NOT_CONNECTED');
      try {
        return await work(client);
      } catch (err) {
        throw classifyConnectError(err);
      }
    });
  }

  findByMessageId(folder: string, messageId: string): Promise<number[]> {
    return this.on(async (client) => {
      const lock = await client.getMailboxLock(folder, { readOnly: true });
      try {
        // HEADER search is a substring match on the server; compare exactly afterwards.
        const uids = (await client.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
        if (uids.length === 0) return [];
        const exact: number[] = [];
        const found = await client.fetchAll(uids, { uid: true, envelope: true }, { uid: true });
        for (const m of found) if (m.envelope?.messageId?.trim() === messageId) exact.push(m.uid);
        return exact;
      } finally {
        lock.release();
      }
    });
  }

  append(folder: string, raw: Buffer, flags: string[]): Promise<{ uid: number | null; uidValidity: string | null }> {
    return this.on(async (client) => {
      const res = await client.append(folder, raw, flags);
      if (!res) throw new RatsdeskError('SERVER_ERROR', 'APPEND failed');
      return {
        uid: typeof res.uid === 'number' ? res.uid : null,
        uidValidity: res.uidValidity !== undefined ? String(res.uidValidity) : null,
      };
    });
  }

  deleteUid(folder: string, uid: number): Promise<void> {
    return this.on(async (client) => {
      const lock = await client.getMailboxLock(folder);
      try {
        await client.messageDelete(String(uid), { uid: true });
      } finally {
        lock.release();
      }
    });
  }
}

/** The path of a special-use folder (\Sent, \Drafts) from LIST, else the first common name that exists. */
export async function resolveSpecialFolder(client: ImapFlow, use: '\\Sent' | '\\Drafts'): Promise<string | null> {
  const list = await client.list();
  const bySpecialUse = list.find((f) => f.specialUse === use);
  if (bySpecialUse) return bySpecialUse.path;
  const names =
    use === '\\Sent'
      ? ['Sent', 'Gesendet', 'Gesendete Elemente', 'Sent Items', 'INBOX.Sent']
      : ['Drafts', 'Entwürfe', 'INBOX.Drafts'];
  for (const n of names) {
    const f = list.find((x) => x.path.toLowerCase() === n.toLowerCase());
    if (f) return f.path;
  }
  return null;
}
