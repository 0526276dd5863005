import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServices } from '../../electron/services/app-services';
import { checkImapLogin } from '../../electron/services/mail/imap-connection';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { freePort } from '../servers/free-port';
import { makeTestCa } from '../servers/tls-ca';
import { until } from '../support/wait-until';

const USER = { user: 'bernd', pass: 'Sitzung#7' };

describe('the IMAP login check against a real Dovecot over TLS', () => {
  let dovecot: DovecotServer;
  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
  });
  afterAll(() => stopAndRemove(dovecot));

  const settings = (port: number, security: 'tls' | 'starttls' = 'tls') => ({
    host: '127.0.0.1',
    port,
    security,
    username: USER.user,
  });

  test('implicit TLS: the server accepts the login, and the check logs out again', async () => {
    await checkImapLogin(settings(dovecot.imapsPort), USER.pass, { extraCaPem: [dovecot.cert.caPem] });
    const log = () => readFileSync(join(dovecot.dir, 'dovecot.log'), 'utf8');
    // Dovecot's log process writes both lines after the fact (the login line too, through its log service): under
    // load they may come a moment after the check returned.
    await until('Dovecot logs the login', () => /Login: user=<bernd>/.test(log()));
    await until('Dovecot logs the logout', () => /Logged out/.test(log()));
  });

  test('STARTTLS works when the server offers it', async () => {
    await expect(
      checkImapLogin(settings(dovecot.imapPort, 'starttls'), USER.pass, { extraCaPem: [dovecot.cert.caPem] }),
    ).resolves.toBeUndefined();
  });

  test.each([
    ['AUTH_FAILED', async () => ({ s: settings(dovecot.imapsPort), pass: 'wrong', ca: [dovecot.cert.caPem] })],
    ['TLS_CERT_UNTRUSTED', async () => ({ s: settings(dovecot.imapsPort), pass: USER.pass, ca: [makeTestCa().caPem] })],
    ['TLS_CERT_UNTRUSTED', async () => ({ s: settings(dovecot.imapsPort), pass: USER.pass, ca: [] })],
    ['CONNECTION_REFUSED', async () => ({ s: settings(await freePort()), pass: USER.pass, ca: [dovecot.cert.caPem] })],
    [
      'HOST_NOT_FOUND',
      async () => ({ s: { ...settings(993), host: 'imap.does-not-exist.invalid' }, pass: USER.pass, ca: [] }),
    ],
    ['TLS_NOT_OFFERED', async () => ({ s: settings(dovecot.imapPort), pass: USER.pass, ca: [dovecot.cert.caPem] })],
  ])('%s is reported with its stable code', async (code, make) => {
    const { s, pass, ca } = await make();
    await expect(checkImapLogin(s, pass, { extraCaPem: ca })).rejects.toMatchObject({ code });
  });

  test('a server with STARTTLS missing is refused, never used in plaintext', async () => {
    const plain = await startDovecot({ users: [USER], tls: 'none' });
    try {
      await expect(checkImapLogin(settings(plain.imapPort, 'starttls'), USER.pass)).rejects.toMatchObject({
        code: 'TLS_NOT_OFFERED',
      });
      await expect(checkImapLogin(settings(plain.imapPort, 'tls'), USER.pass)).rejects.toMatchObject({
        code: 'TLS_NOT_OFFERED',
      });
      // the login never reached the plaintext server
      expect(readFileSync(join(plain.dir, 'dovecot.log'), 'utf8')).not.toMatch(/Login: user=<bernd>/);
    } finally {
      await stopAndRemove(plain);
    }
  });
});

describe('AccountService: settings in a file, password in the real keychain', () => {
  let dovecot: DovecotServer;
  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
  });
  afterAll(() => stopAndRemove(dovecot));

  test('stores the password only in the keychain and only after the server accepted it; forget removes both', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ratsdesk-account-'));
    const services = createServices({
      dataDir,
      keychainService: `ratsdesk-test-${randomUUID()}`,
      trust: { extraCaPem: [dovecot.cert.caPem] },
    });
    const input = { host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls' as const, username: USER.user };
    const wrong = 'falsches-Passwort-4711';
    // What the app stored besides its log (the log holds stable codes only: checked at the end).
    const stored = () => readdirSync(dataDir).filter((f) => f !== 'logs');
    const logText = () => {
      const dir = join(dataDir, 'logs');
      return existsSync(dir)
        ? readdirSync(dir)
            .map((f) => readFileSync(join(dir, f), 'utf8'))
            .join('\n')
        : '';
    };
    try {
      await expect(services.account.connect({ ...input, password: wrong })).rejects.toMatchObject({
        code: 'AUTH_FAILED',
      });
      expect(stored()).toEqual([]);
      expect(await services.keychain.accounts()).toEqual([]);

      await services.account.connect({ ...input, password: USER.pass });
      expect(await services.account.status()).toEqual({ configured: true, account: input });
      expect(stored()).toEqual(['account.json']);
      expect(logText()).not.toContain(wrong);
      expect(logText()).not.toContain(USER.pass);
      expect(readFileSync(join(dataDir, 'account.json'), 'utf8')).not.toContain(USER.pass);
      expect(await services.keychain.accounts()).toHaveLength(1);

      await services.dispose();
      const again = createServices({
        dataDir,
        keychainService: services.keychain.serviceName,
        trust: { extraCaPem: [dovecot.cert.caPem] },
      });
      expect(await again.account.restore()).toEqual({ account: input, online: true });
      await again.account.forget();
      expect(stored()).toEqual([]);
      expect(await again.keychain.accounts()).toEqual([]);
      await expect(again.account.restore()).rejects.toMatchObject({ code: 'NO_ACCOUNT' });
      await again.dispose();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
