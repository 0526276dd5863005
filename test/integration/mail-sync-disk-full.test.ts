import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SyncConnectionState } from '../../electron/contract/mail-sync';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { MailSyncService } from '../../electron/services/mail/mail-sync-service';
import { ReconnectBackoff } from '../../electron/services/mail/reconnect-backoff';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { leakCheck } from '../support/leak-check';
import { accountOf } from './mail-sync-fixture';

const MESSAGES = 30;

/** Logins Dovecot saw for the test user (the sync connection; IDLE is off here). */
function logins(server: DovecotServer): number {
  return (readFileSync(join(server.dir, 'dovecot.log'), 'utf8').match(/Login: user=<anna>/g) ?? []).length;
}

describe('a full disk during mail sync (8 MiB tmpfs, real Dovecot)', () => {
  let server: DovecotServer;
  let mountDir: string;
  let keychain: KeychainService;
  let vault: Vault;

  beforeAll(async () => {
    server = await startDovecot();
    // ~300 KB each, ~9 MB in all: more than the vault's file system holds.
    server.seed(
      'anna',
      Array.from({ length: MESSAGES }, (_, i) => ({
        subject: `Anlage ${i}`,
        body: randomBytes(225 * 1024)
          .toString('base64')
          .replace(/.{76}/g, '$&\r\n'),
      })),
    );
    mountDir = mkdtempSync(join(tmpdir(), 'ratsdesk-mailfull-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountDir]);
    keychain = new KeychainService(`ratsdesk-test-${randomUUID()}`);
    vault = await openVault({ file: join(mountDir, 'vault.db'), keychain });
  });
  afterAll(async () => {
    vault?.close();
    await keychain?.delete('vault-key').catch(() => false);
    if (mountDir) {
      execFileSync('umount', [mountDir]);
      rmSync(mountDir, { recursive: true, force: true });
    }
    await stopAndRemove(server);
  });

  /** The sync over `v`, IDLE off (the logins counted are the sync connection's), its states recorded. */
  function syncService(v: Vault) {
    const acc = accountOf(server);
    const service = new MailSyncService({
      vault: v,
      settings: acc.settings,
      trust: acc.trust,
      password: async () => acc.password,
      idle: false,
      pollMs: 60 * 60_000,
      // A connection closed by mistake would be retried within milliseconds: a loop shows at once.
      backoff: new ReconnectBackoff({ baseMs: 20, capMs: 100 }),
    });
    const states: SyncConnectionState[] = [];
    service.on('connectionState', (st) => states.push(st));
    return { service, states };
  }

  test('VAULT_DISK_FULL pauses the sync and keeps the connection; with space again it continues', async () => {
    const leaks = await leakCheck();
    const { service, states } = syncService(vault);
    // The event the account session logs (mail.sync-failed): no longer dropped on the floor.
    const syncErrors: string[] = [];
    service.on('syncError', (e) => syncErrors.push(e.code));
    try {
      service.start();
      const deadline = Date.now() + 60_000;
      while (!states.some((s) => s.state === 'paused') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      // The person is told why (the renderer shows the state and the error's sentence).
      expect(states.find((s) => s.state === 'paused')).toEqual({ state: 'paused', error: { code: 'VAULT_DISK_FULL' } });
      expect(syncErrors).toEqual(['VAULT_DISK_FULL']);
      // The headers are small and all listed; the bodies (the first login's download) filled the disk.
      const offline = () => service.offlineStatus().find((f) => f.folder === 'INBOX')?.offline ?? 0;
      expect(offline()).toBeLessThan(MESSAGES);

      // Paused: no reconnecting, no new login, no further attempt until asked (or the next poll).
      const loginsAtPause = logins(server);
      await new Promise((r) => setTimeout(r, 2_000));
      expect(logins(server)).toBe(loginsAtPause);
      expect(loginsAtPause).toBe(1);
      expect(states.at(-1)?.state).toBe('paused');
      expect(states.filter((s) => s.state === 'connecting')).toHaveLength(1);

      // "Sync now" while the disk is still full: told again, on the same connection (the sync itself has
      // little to write; the download it starts again fails on the next body).
      const before = syncErrors.length;
      await service.syncNow().catch(() => undefined);
      await service.backfillSettled();
      expect(syncErrors.slice(before)).toEqual(['VAULT_DISK_FULL']);
      expect(states.at(-1)).toEqual({ state: 'paused', error: { code: 'VAULT_DISK_FULL' } });
      await new Promise((r) => setTimeout(r, 1_000));
      expect(logins(server)).toBe(1);

      // Space again (the tmpfs grows): "sync now" continues on the same connection, nothing twice.
      execFileSync('mount', ['-o', 'remount,size=64m', mountDir]);
      await service.syncNow();
      await service.backfillSettled();
      expect(service.queries.count('INBOX')).toBe(MESSAGES);
      expect(offline()).toBe(MESSAGES);
      expect(states.at(-1)).toEqual({ state: 'online' });
      expect(logins(server)).toBe(1);
      expect(vault.integrityCheck()).toBe('ok');
    } finally {
      await service.dispose();
    }
    await leaks.assertNoneLeft();
  }, 120_000);

  test('a vault already full when the connection comes up: paused at the folder list, no reconnect loop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-mailfull0-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir]);
    const keys = new KeychainService(`ratsdesk-test-${randomUUID()}`);
    const full = await openVault({ file: join(dir, 'vault.db'), keychain: keys });
    // Fill what is left of the file system.
    const fd = openSync(join(dir, 'filler'), 'w');
    try {
      const chunk = Buffer.alloc(64 * 1024, 1);
      for (;;) writeSync(fd, chunk);
    } catch {
      // ENOSPC: the disk is full now, as intended
    } finally {
      closeSync(fd);
    }
    const leaks = await leakCheck();
    const { service, states } = syncService(full);
    const loginsBefore = logins(server);
    try {
      service.start();
      const deadline = Date.now() + 30_000;
      while (!states.some((st) => st.state === 'paused') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(states.at(-1)).toEqual({ state: 'paused', error: { code: 'VAULT_DISK_FULL' } });
      await new Promise((r) => setTimeout(r, 2_000));
      // One connection, kept: no SERVER_ERROR, no close, no reconnecting.
      expect(logins(server) - loginsBefore).toBe(1);
      expect(states.filter((st) => st.state === 'connecting')).toHaveLength(1);
    } finally {
      await service.dispose();
      full.close();
      await keys.delete('vault-key').catch(() => false);
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    }
    await leaks.assertNoneLeft();
  }, 60_000);
});
