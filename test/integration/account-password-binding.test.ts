import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Server, type TLSSocket, createServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SendInput } from '../../electron/contract/compose';
import { createServices, type Services } from '../../electron/services/app-services';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { freePort } from '../servers/free-port';
import { type PostfixServer, startPostfix, stopAndRemovePostfix } from '../servers/postfix';

const USER = { user: 'frida', pass: 'Fraktionskasse-77!' };

/**
 * Someone else's submission server with a certificate the app trusts (the same test CA, so "valid"):
 * implicit TLS, offers AUTH and writes down whatever logs in.
 */
async function startRecordingSmtp(cert: { certPem: string; keyPem: string }) {
  const logins: string[] = [];
  const connections: string[] = [];
  const server: Server = createServer({ cert: cert.certPem, key: cert.keyPem }, (socket: TLSSocket) => {
    connections.push('tls');
    socket.write('220 mail.evil.example ESMTP\r\n');
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let line: string;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^EHLO/i.test(line)) socket.write('250-mail.evil.example\r\n250 AUTH PLAIN LOGIN\r\n');
        else if (/^AUTH PLAIN /i.test(line)) {
          logins.push(Buffer.from(line.slice(11), 'base64').toString('utf8'));
          socket.write('235 2.7.0 ok\r\n');
        } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  const port = await freePort();
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  return { port, logins, connections, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

describe('the stored password is bound to the IMAP and SMTP servers it was entered for (real Dovecot, Postfix, keyring)', () => {
  let dovecot: DovecotServer;
  let postfix: PostfixServer;
  let rogue: Awaited<ReturnType<typeof startRecordingSmtp>>;
  let dataDir: string;
  const keychainService = `ratsdesk-test-${randomUUID()}`;
  const open: Services[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot({ withLmtpAndAuth: true, users: [USER] });
    postfix = await startPostfix({ dovecot });
    rogue = await startRecordingSmtp(dovecot.cert);
    dataDir = mkdtempSync(join(tmpdir(), 'ratsdesk-binding-'));
  });
  afterAll(async () => {
    for (const s of open) await s.dispose().catch(() => undefined);
    const keychain = new KeychainService(keychainService);
    for (const name of await keychain.accounts().catch(() => [])) await keychain.delete(name);
    await rogue?.close();
    await stopAndRemovePostfix(postfix);
    await stopAndRemove(dovecot);
    rmSync(dataDir, { recursive: true, force: true });
  });

  function services(): Services {
    const s = createServices({ dataDir, keychainService, trust: { extraCaPem: [dovecot.cert.caPem] } });
    open.push(s);
    return s;
  }

  const mail = (subject: string): SendInput => ({
    to: [{ name: 'Frida', address: postfix.addressOf(USER.user) }],
    cc: [],
    bcc: [],
    subject,
    text: 'Haushaltsplan anbei.',
    html: null,
    inReplyTo: null,
    references: [],
    attachments: [],
    forwarded: false,
    confirmOutsideRecipients: false,
  });

  async function outboxStates(s: Services): Promise<string[]> {
    return (await s.handlers.compose.listOutbox()).map((i) => i.state);
  }

  test('a changed SMTP host in account.json gets no password; the person must enter it again', async () => {
    const first = services();
    await first.handlers.account.connect({
      host: '127.0.0.1',
      port: dovecot.imapsPort,
      security: 'tls',
      username: USER.user,
      password: USER.pass,
      email: postfix.addressOf(USER.user),
      smtp: { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls' },
    });
    // The normal path still works: sent through the real Postfix.
    await first.handlers.compose.send(mail('Ordentlich gesendet'));
    await expect.poll(() => outboxStates(first), { timeout: 30_000 }).toEqual(['sent']);
    await first.dispose();

    // Another program rewrites the settings file: same IMAP server, the SMTP server is someone else's.
    const file = join(dataDir, 'account.json');
    const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      file,
      JSON.stringify({ ...settings, smtp: { host: 'localhost', port: rogue.port, security: 'tls' } }),
    );

    const next = services();
    expect(await next.handlers.account.status()).toMatchObject({ configured: false });
    await expect(next.handlers.account.restore()).rejects.toMatchObject({ code: 'NO_ACCOUNT' });
    await expect(next.handlers.compose.send(mail('Geht an den Falschen'))).rejects.toMatchObject({
      code: 'NO_ACCOUNT',
    });
    await new Promise((ok) => setTimeout(ok, 1000));
    expect(rogue.logins).toEqual([]);
    expect(rogue.connections).toEqual([]);

    // A changed IMAP host is the same: no password for it.
    writeFileSync(file, JSON.stringify({ ...settings, host: 'localhost' }));
    expect(await services().handlers.account.status()).toMatchObject({ configured: false });

    // Back to the servers the password was entered for: it is there again.
    writeFileSync(file, JSON.stringify(settings));
    expect(await services().handlers.account.status()).toMatchObject({ configured: true });
  });

  test('an entry from before the binding moves over only when SMTP is the IMAP host', async () => {
    const keychain = new KeychainService(keychainService);
    for (const name of await keychain.accounts()) if (name !== 'vault-key') await keychain.delete(name);
    const file = join(dataDir, 'account.json');
    const base = { host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls', username: USER.user };
    const legacy = `imap:${USER.user}@127.0.0.1:${dovecot.imapsPort}`;

    await keychain.set(legacy, USER.pass);
    writeFileSync(file, JSON.stringify({ ...base, smtp: { host: 'localhost', port: rogue.port, security: 'tls' } }));
    expect(await services().handlers.account.status()).toMatchObject({ configured: false });
    expect(await keychain.get(legacy)).toBe(USER.pass);

    writeFileSync(
      file,
      JSON.stringify({ ...base, smtp: { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls' } }),
    );
    expect(await services().handlers.account.status()).toMatchObject({ configured: true });
    expect(await keychain.get(legacy)).toBeNull();
    expect((await keychain.accounts()).filter((n) => n !== 'vault-key')).toEqual([
      `account:${JSON.stringify([USER.user, '127.0.0.1', dovecot.imapsPort, 'tls', '127.0.0.1', postfix.submissionPort, 'starttls'])}`,
    ]);
    expect(rogue.logins).toEqual([]);
  });
});
