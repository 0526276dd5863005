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
