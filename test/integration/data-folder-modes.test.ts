import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServices } from '../../electron/services/app-services';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';

// #10.16: every file the app writes is 0600 and every folder 0700 (POSIX): the vault and its WAL/SHM, the
// document files, the settings, the account, the lock state, the log, and the data folder itself.

const USER = { user: 'dora', pass: 'Haushalt-2026!' };

/** Every entry below `dir` (the folder itself included) with its permission bits. */
function modes(dir: string): Map<string, { mode: number; folder: boolean }> {
  const out = new Map<string, { mode: number; folder: boolean }>();
  const walk = (path: string) => {
    const st = statSync(path);
    out.set(relative(dir, path) || '.', { mode: st.mode & 0o777, folder: st.isDirectory() });
    if (st.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return out;
}

describe.runIf(process.platform !== 'win32')('file modes in the data folder', () => {
  let dovecot: DovecotServer;
  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(USER.user, [{ subject: 'Vorlage zum Haushalt', body: 'vertraulich' }]);
  });
  afterAll(() => stopAndRemove(dovecot));

  test('everything written is readable by the person only: files 0600, folders 0700', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'ratsdesk-modes-'));
    const dataDir = join(parent, 'Ratsdesk');
    const picked = join(parent, 'Antrag.pdf');
    writeFileSync(picked, '%PDF-1.4 Antrag');
    const services = createServices({
      dataDir,
      keychainService: `ratsdesk-test-${randomUUID()}`,
      trust: { extraCaPem: [dovecot.cert.caPem] },
    });
    try {
      await services.handlers.account.connect({
        host: '127.0.0.1',
        port: dovecot.imapsPort,
        security: 'tls',
        username: USER.user,
        password: USER.pass,
      });
      const session = await services.mailSessions.current();
      await expect.poll(() => session.sync.queries.count('INBOX'), { timeout: 30_000 }).toBe(1);
      await services.importAttachmentFiles([picked]);
      await services.handlers.policy.setUserValue({ key: 'vaultRetentionDays', value: 60 });
      await services.handlers.lock.lock({ reason: 'demand' });

      const seen = modes(dataDir);
      // What this test must have seen, so an empty folder cannot pass it.
      for (const name of [
        'vault.db',
        'vault.db-wal',
        'vault.db-shm',
        'documents',
        'account.json',
        'user-settings.json',
        'lock-state.json',
        'logs/ratsdesk.log',
      ])
        expect(seen.has(name), name).toBe(true);
      expect([...seen.keys()].some((k) => k.startsWith('documents/'))).toBe(true);
      const wrong = [...seen].filter(([, e]) => e.mode !== (e.folder ? 0o700 : 0o600));
      expect(wrong.map(([name, e]) => `${name} ${e.mode.toString(8)}`)).toEqual([]);
    } finally {
      await services.handlers.lock.unlock({ password: USER.pass }).catch(() => undefined);
      await services.handlers.account.forget().catch(() => undefined);
      await services.dispose();
      await services.keychain.delete('vault-key').catch(() => false);
      rmSync(parent, { recursive: true, force: true });
    }
    expect(existsSync(parent)).toBe(false);
  });
});
