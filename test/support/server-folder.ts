import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import type { DovecotServer, TestUser } from '../servers/dovecot';

/** A separate IMAP session of `user` on `dovecot` (as another mail program would have), for `work` on `folder`. */
async function withFolder<T>(
  dovecot: DovecotServer,
  user: TestUser,
  folder: string,
  work: (client: ImapFlow) => Promise<T>,
): Promise<T> {
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
      return await work(client);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

/**
 * A folder's messages as the server has them (subject and flags, in server order), read with a separate
 * IMAP client: what the end-to-end tests compare the app's actions against.
 */
export async function messagesOnServer(
  dovecot: DovecotServer,
  user: TestUser,
  folder: string,
): Promise<{ subject: string; flags: string[] }[]> {
  return withFolder(dovecot, user, folder, async (client) => {
    if (client.mailbox === false || client.mailbox.exists === 0) return [];
    const out: { subject: string; flags: string[] }[] = [];
    for await (const m of client.fetch('1:*', { envelope: true, flags: true }))
      out.push({ subject: m.envelope?.subject ?? '', flags: [...(m.flags ?? [])] });
    return out;
  });
}

/** Sets `flag` (a keyword such as $Forwarded) on the one message with `subject` in `folder`, as another program would. */
export async function addFlagOnServer(
  dovecot: DovecotServer,
  user: TestUser,
  folder: string,
  subject: string,
  flag: string,
): Promise<void> {
  await withFolder(dovecot, user, folder, async (client) => {
    const uids = await client.search({ subject }, { uid: true });
    if (!uids || uids.length !== 1)
      throw new Error(`expected one message "${subject}", found ${uids ? uids.length : 0}`);
    if (!(await client.messageFlagsAdd(uids, [flag], { uid: true }))) throw new Error(`the server refused ${flag}`);
  });
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
