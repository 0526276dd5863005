import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { SyncConnectionState } from '../../electron/contract/mail-sync';
import { MailSyncService } from '../../electron/services/mail/mail-sync-service';
import { ReconnectBackoff } from '../../electron/services/mail/reconnect-backoff';
import type { Vault } from '../../electron/services/vault/vault';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { until } from '../support/wait-until';
import { accountOf, germanMessage, openTestVault } from './mail-sync-fixture';

/**
 * What one client costs the server when many share it (#15 target 5; the figures for 200 clients are in
 * `npm run bench -- server-load`): no stampede after a server restart, no polling while IDLE works.
 */
describe('MailSyncService is gentle with a shared server (real Dovecot)', () => {
  let server: DovecotServer;
  let vault: Vault;
  let cleanupVault: () => Promise<void>;
  let service: MailSyncService | undefined;

  beforeAll(async () => {
    server = await startDovecot();
  });
  afterAll(async () => {
    await stopAndRemove(server);
  });
  beforeEach(async () => {
    await server.start();
    ({ vault, cleanup: cleanupVault } = await openTestVault());
  });
  afterEach(async () => {
    await service?.dispose();
    service = undefined;
    await cleanupVault();
  });

  function commandCounter(): { logger: object; commands: string[] } {
    const commands: string[] = [];
    return {
      commands,
      logger: {
        debug: (o: { src?: string; msg?: string }) => {
          if (o.src === 'c' && o.msg && !o.msg.startsWith('(*')) commands.push(o.msg);
        },
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      },
    };
  }

  test('after a server restart the first reconnect is spread over the whole window; "sync now" ends the wait', async () => {
    const acc = accountOf(server);
    const states: SyncConnectionState[] = [];
    service = new MailSyncService({
      vault,
      settings: acc.settings,
      trust: acc.trust,
      password: async () => acc.password,
      // A fixed draw of one half: the short backoff would wait 0.5 × 10 ms, the spread 0.5 × 60 s.
      backoff: new ReconnectBackoff({ baseMs: 10, capMs: 60_000, random: () => 0.5 }),
    });
    service.on('connectionState', (s) => states.push(s));
    service.start();
    await until('online', () => service!.connectionState.state === 'online');
    await service.settled();

    // A restart as systemd does it: the sessions end with "BYE Server shutting down".
    await server.stop({ sessions: 'end' });
    await server.start();
    const offline = await until('offline with a retry time', () =>
      states.find((s) => s.state === 'offline' && s.retryInMs !== undefined),
    );
    expect(offline.retryInMs).toBe(30_000);

    // The person asks: no need to wait for the spread.
    const t0 = Date.now();
    void service.syncNow();
    await until('online again', () => service!.connectionState.state === 'online', 15_000);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  test('while IDLE watches the open folder the frequent poll is skipped; without IDLE it polls', async () => {
    const acc = accountOf(server);
    const withIdle = commandCounter();
    service = new MailSyncService({
      vault,
      settings: acc.settings,
      trust: acc.trust,
      password: async () => acc.password,
      pollMs: 100,
      idlePollMs: 60_000,
      logger: withIdle.logger as never,
    });
    service.start();
    await until('IDLE on INBOX', () => service!.idleFolder === 'INBOX');
    await service.settled();
    const listsBefore = withIdle.commands.filter((c) => /^\S+ LIST\b/i.test(c)).length;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(withIdle.commands.filter((c) => /^\S+ LIST\b/i.test(c)).length).toBe(listsBefore);
    await service.dispose();

    const withoutIdle = commandCounter();
    service = new MailSyncService({
      vault,
      settings: acc.settings,
      trust: acc.trust,
      password: async () => acc.password,
      idle: false,
      pollMs: 100,
      idlePollMs: 60_000,
      logger: withoutIdle.logger as never,
    });
    service.start();
    await until('online', () => service!.connectionState.state === 'online');
    await until('three polls', () => withoutIdle.commands.filter((c) => /^\S+ LIST\b/i.test(c)).length >= 3, 10_000);
  });

  test('after a first login the next full check is one LIST: the download let go of the folder it read last', async () => {
    server.seed(
      'anna',
      Array.from({ length: 30 }, (_, i) => germanMessage(i, `Sitzung ${i}`, 'Tagesordnung anbei.')),
    );
    server.seed('anna', [germanMessage(1, 'Alte Niederschrift', 'Niederschrift')], 'Archive');
    const acc = accountOf(server);
    const counter = commandCounter();
    service = new MailSyncService({
      vault,
      settings: acc.settings,
      trust: acc.trust,
      password: async () => acc.password,
      logger: counter.logger as never,
    });
    service.start();
    await until('IDLE on INBOX', () => service!.idleFolder === 'INBOX');
    await service.settled();
    await service.backfillSettled();
    expect(service.backfillRepository.listed('INBOX')).toBeGreaterThanOrEqual(30);
    // The next full check (a poll, here asked for at once): nothing to leave first, nothing new to fetch.
    const from = counter.commands.length;
    await service.syncNow();
    await service.settled();
    const beyondIdle = counter.commands.slice(from).filter((c) => !/^(\S+ )?(IDLE|DONE)\b/i.test(c));
    expect(beyondIdle.map((c) => /^\S+ (\S+)/.exec(c)?.[1])).toEqual(['LIST']);
  });
});
