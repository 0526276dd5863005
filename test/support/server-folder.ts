import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import type { DovecotServer, TestUser } from '../servers/dovecot';

/**
 * A folder's messages as the server has them (subject and flags, in server order), read with a separate
 * IMAP client: what the end-to-end tests compare the app's actions against.
 */
export async function messagesOnServer(
  dovecot: DovecotServer,
  user: TestUser,
  folder: string,
): Promise<{ subject: string; flags: string[] }[]> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: dovecot.imapsPort,
    secure: true,
    auth: { user: user.user, pass: user.pass },
    tls: { ca: [dovecot.cert.caPem] },
    logger: false,
  });
  await client.connect();
  try {
    const lock = await client.getMailboxLock(folder);
    try {
      if (client.mailbox === false || client.mailbox.exists === 0) return [];
      const out: { subject: string; flags: string[] }[] = [];
      for await (const m of client.fetch('1:*', { envelope: true, flags: true }))
        out.push({ subject: m.envelope?.subject ?? '', flags: [...(m.flags ?? [])] });
      return out;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

/**
 * The files of a user's folder that hold this Message-ID, read from the maildir as Dovecot stored them (also
 * a delivered message's exact bytes, for `openssl cms`). Folders other than INBOX are `.Name` maildirs.
 */
export function maildirFilesWith(dovecot: DovecotServer, user: string, folder: string, messageId: string): string[] {
  const base = folder === 'INBOX' ? dovecot.maildir(user) : join(dovecot.maildir(user), `.${folder}`);
  const out: string[] = [];
  for (const sub of ['new', 'cur']) {
    const dir = join(base, sub);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (readFileSync(file, 'latin1').includes(messageId)) out.push(file);
    }
  }
  return out;
}
