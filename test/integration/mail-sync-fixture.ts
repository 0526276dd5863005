import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import type { AccountSettings } from '../../electron/contract/account';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import type { TlsTrust } from '../../electron/services/mail/imap-connection';
import { mailMigrations } from '../../electron/services/mail/mail-migrations';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import type { DovecotServer } from '../servers/dovecot';

/** An encrypted vault with the mail tables, its key in the test Secret Service. */
export async function openTestVault(): Promise<{ vault: Vault; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-mailvault-'));
  const keychain = new KeychainService(`ratsdesk-test-${randomUUID()}`);
  const vault = await openVault({ file: join(dir, 'vault.db'), keychain, migrations: mailMigrations });
  return {
    vault,
    async cleanup() {
      vault.close();
      await keychain.delete('vault-key').catch(() => false);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function accountOf(
  server: DovecotServer,
  port = server.imapsPort,
): { settings: AccountSettings; trust: TlsTrust; password: string } {
  const user = server.users[0]!;
  return {
    settings: { host: '127.0.0.1', port, security: 'tls', username: user.user },
    trust: { extraCaPem: [server.cert.caPem] },
    password: user.pass,
  };
}

/** A second, independent client: another device of the same person changing the mailbox. */
export async function otherDevice(server: DovecotServer): Promise<ImapFlow> {
  const user = server.users[0]!;
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: server.imapsPort,
    secure: true,
    auth: { user: user.user, pass: user.pass },
    tls: { ca: [server.cert.caPem] },
    logger: false,
    qresync: true,
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export function germanMessage(i: number, subject: string, body: string, extra: { date?: Date } = {}) {
  return {
    subject,
    body,
    from: 'Stadtverwaltung <info@stadt.example>',
    date: extra.date ?? new Date(Date.UTC(2026, 1, 1, 8, i % 60)),
  };
}

/** Removes every message of a folder on the server (each test starts from its own mailbox state). */
export async function emptyFolder(c: ImapFlow, path: string): Promise<void> {
  const lock = await c.getMailboxLock(path);
  try {
    if ((c.mailbox && c.mailbox.exists) || 0) await c.messageDelete('1:*');
  } finally {
    lock.release();
  }
}

/** A folder as the server has it: subject and sorted flags of each message ([] for a missing folder). */
export async function serverState(c: ImapFlow, path: string): Promise<{ subject: string; flags: string[] }[]> {
  const lock = await c.getMailboxLock(path);
  try {
    const rows = await c.fetchAll('1:*', { uid: true, flags: true, envelope: true });
    return rows.map((m) => ({ subject: m.envelope?.subject ?? '', flags: [...(m.flags ?? [])].sort() }));
  } catch {
    return [];
  } finally {
    lock.release();
  }
}

/**
 * An imapflow logger that writes every command the client sends (tag stripped, literal continuations left
 * out) into `commands`: how the tests see that a selection went out as one UID command.
 */
export function commandLogger(commands: string[]) {
  return {
    debug: (o: { src?: string; msg?: string }) => {
      if (o.src === 'c' && o.msg && !o.msg.startsWith('(*')) commands.push(o.msg.replace(/^\S+ /, ''));
    },
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  };
}
