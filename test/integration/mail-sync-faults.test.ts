import type { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { connectSyncClient, createSyncClient, ImapSync } from '../../electron/services/mail/imap-sync';
import { MailSearch } from '../../electron/services/mail/mail-search';
import { MailQueryRepository } from '../../electron/services/mail/mail-query-repository';
import { MailSyncRepository } from '../../electron/services/mail/mail-sync-repository';
import { MailSyncService } from '../../electron/services/mail/mail-sync-service';
import { ReconnectBackoff } from '../../electron/services/mail/reconnect-backoff';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { startChaosProxy, type ChaosProxy } from '../servers/dovecot-chaos';
import { accountOf, openTestVault } from './mail-sync-fixture';
import { until } from '../support/wait-until';

const paragraph = 'Der Ausschuss für Stadtentwicklung berät über den Bebauungsplan und die Bürgerbeteiligung. ';

describe('sync faults through a TLS proxy in front of a real Dovecot', () => {
  let server: DovecotServer;
  let proxy: ChaosProxy;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    server = await startDovecot();
    server.seed(
      'anna',
      Array.from({ length: 300 }, (_, i) => ({
        subject: `Vorlage ${i}`,
        body: `Vorlage Nummer ${i}. ${paragraph.repeat(40 + (i % 20))}`,
      })),
    );
    server.seed(
      'anna',
      [
        { subject: 'Protokoll A', body: 'a' },
        { subject: 'Protokoll B', body: 'b' },
      ],
      'Archive',
    );
  });
  afterAll(async () => {
    await stopAndRemove(server);
  });
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
    await proxy?.stop();
  });

  test('connection dropped mid-FETCH: the service reconnects, resumes after the last stored UID, nothing lost or twice', async () => {
    proxy = await startChaosProxy(server.imapsPort, server.cert);
    const { vault, cleanup } = await openTestVault();
    cleanups.push(cleanup);
    const acc = accountOf(server, proxy.port);
    const service = new MailSyncService({
      vault,
      settings: acc.settings,
      trust: acc.trust,
      password: async () => acc.password,
      backoff: new ReconnectBackoff({ baseMs: 50, capMs: 300 }),
      idle: false,
      sync: { batchSize: 50 },
    });
    cleanups.push(() => service.dispose());
    // The first body FETCH of INBOX is cut after ~600 KB of its answer (the mailbox holds ~1.5 MB).
    proxy.dropDuring(/UID FETCH 1:\* .*BODY\.PEEK\[\]/, 600_000);
    const states: string[] = [];
    service.on('connectionState', (s) => states.push(s.state));
    service.start();
    await until('all 300 stored', () => service.queries.count('INBOX') === 300);
    await service.settled();
    expect(states.filter((s) => s === 'offline').length).toBeGreaterThanOrEqual(1);
    const bodyFetches = proxy.commands.filter((c) => /UID FETCH \S+ .*BODY\.PEEK\[\]/.test(c) && !/Archive/.test(c));
    expect(bodyFetches.length).toBeGreaterThanOrEqual(2);
    // The second attempt does not start from the beginning.
    expect(bodyFetches[1]).not.toMatch(/UID FETCH 1:\*/);
    const uids = service.syncRepository.uids('INBOX');
    expect(new Set(uids).size).toBe(300);
    expect(uids).toEqual(Array.from({ length: 300 }, (_, i) => uids[0]! + i));
    expect(service.searchMessages({ query: 'Bebauungsplan', limit: 500 })).toHaveLength(300);
    expect(service.searchMessages({ query: 'Vorlage 299' }).map((m) => m.subject)).toContain('Vorlage 299');
    expect(service.queries.count('Archive')).toBe(2);
  });

  test('NO and BAD answers: the refused folder or fetch is retried on the next sync, the others sync, nothing is duplicated', async () => {
    proxy = await startChaosProxy(server.imapsPort, server.cert);
    const { vault, cleanup } = await openTestVault();
    cleanups.push(cleanup);
    const acc = accountOf(server, proxy.port);
    const client: ImapFlow = createSyncClient(acc.settings, acc.password, acc.trust);
    await connectSyncClient(client);
    cleanups.push(async () => void (await client.logout().catch(() => client.close())));
    const syncRepo = new MailSyncRepository(vault);
    const queryRepo = new MailQueryRepository(vault);
    const sync = new ImapSync(client, syncRepo, { batchSize: 40 });

    proxy.refuse(/EXAMINE "?Archive"?/, 'NO');
    proxy.refuse(/UID FETCH 1:\* .*BODY\.PEEK\[\]/, 'BAD');
    const first = await sync.syncAll();
    expect(client.usable).toBe(true);
    expect(first.find((r) => r.folder === 'Archive')?.error).toBeDefined();
    expect(first.find((r) => r.folder === 'INBOX')?.error).toBeDefined();
    expect(queryRepo.count('Archive')).toBe(0);
    expect(queryRepo.count('INBOX')).toBe(0);

    const second = await sync.syncAll();
    expect(second.every((r) => r.error === undefined)).toBe(true);
    expect(queryRepo.count('Archive')).toBe(2);
    expect(queryRepo.count('INBOX')).toBe(300);
    const third = await sync.syncAll();
    expect(third.every((r) => r.unchanged)).toBe(true);
    expect(new Set(syncRepo.uids('INBOX')).size).toBe(300);
    expect(new MailSearch(vault).search({ query: 'Protokoll', folder: 'Archive' })).toHaveLength(2);
  });
});
