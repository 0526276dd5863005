import type { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { connectSyncClient, createSyncClient, ImapSync } from '../../electron/services/mail/imap-sync';
import { backfillOrder, backfillToEnd, MailBackfill } from '../../electron/services/mail/mail-backfill';
import { MailBackfillRepository } from '../../electron/services/mail/mail-backfill-repository';
import { MailSearch } from '../../electron/services/mail/mail-search';
import { MailQueryRepository } from '../../electron/services/mail/mail-query-repository';
import { MailSyncRepository } from '../../electron/services/mail/mail-sync-repository';
import { MailSyncService } from '../../electron/services/mail/mail-sync-service';
import { ReconnectBackoff } from '../../electron/services/mail/reconnect-backoff';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { startChaosProxy, type ChaosProxy } from '../servers/dovecot-chaos';
import { accountOf, openTestVault } from './mail-sync-fixture';
import { until } from '../support/wait-until';

/** "3:5,9" → [3, 4, 5, 9] */
function uidsOf(set: string): number[] {
  return set.split(',').flatMap((part) => {
    const [a, b] = part.split(':').map(Number);
    return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
  });
}

/** A body FETCH of the download (imapflow adds MODSEQ with CONDSTORE): its UID set. */
const BODY_FETCH = /UID FETCH (\S+) \(UID BODY\.PEEK\[\](?: MODSEQ)?\)/;

/**
 * The bodies the download asked for, as "folder/uid", in command order (one sync connection: the folder is
 * the one last examined or selected).
 */
function bodiesFetched(commands: readonly string[]): string[] {
  const fetched: string[] = [];
  let folder = '';
  for (const c of commands) {
    folder = /(?:EXAMINE|SELECT) "?([^" ]+)"?/.exec(c)?.[1] ?? folder;
    const set = BODY_FETCH.exec(c)?.[1];
    if (set) fetched.push(...uidsOf(set).map((u) => `${folder}/${u}`));
  }
  return fetched;
}

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
      backfill: { bodyChunk: 50 },
    });
    cleanups.push(() => service.dispose());
    // The download's body FETCHes (50 messages, ~250 KB each) are cut ~600 KB after the first began (the
    // mailbox holds ~1.5 MB): in the third chunk.
    proxy.dropDuring(BODY_FETCH, 600_000);
    const states: string[] = [];
    service.on('connectionState', (s) => states.push(s.state));
    service.start();
    await until('all 300 stored with their bodies', () =>
      service.offlineStatus().some((f) => f.folder === 'INBOX' && f.offline === 300),
    );
    await service.backfillSettled();
    expect(states.filter((s) => s === 'offline').length).toBeGreaterThanOrEqual(1);
    expect(proxy.commands.filter((c) => BODY_FETCH.test(c)).length).toBeGreaterThanOrEqual(7);
    // Resumed where it stopped: only the chunk the drop cut is fetched again.
    const seen = new Set<string>();
    const twice: string[] = [];
    for (const u of bodiesFetched(proxy.commands)) {
      if (seen.has(u)) twice.push(u);
      seen.add(u);
    }
    expect(twice.length).toBeLessThanOrEqual(50);
    expect(twice.length).toBeGreaterThan(0);
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
    const backfill = new MailBackfill(client, syncRepo, new MailBackfillRepository(vault), { bodyChunk: 100 });
    const order = () => backfillOrder(queryRepo.folders());
    const offline = (folder: string) => new MailBackfillRepository(vault).progress(folder, null).offline;

    proxy.refuse(/EXAMINE "?Archive"?/, 'NO');
    proxy.refuse(BODY_FETCH, 'BAD');
    const first = await sync.syncAll();
    expect(first.every((r) => r.error === undefined)).toBe(true); // new folders are registered without a SELECT
    await backfillToEnd(backfill, order);
    expect(client.usable).toBe(true);
    // Archive refused its EXAMINE, INBOX its first body FETCH: both are left for this session, the rest went on.
    expect(queryRepo.count('Archive')).toBe(0);
    expect(queryRepo.count('INBOX')).toBe(300);
    expect(offline('INBOX')).toBe(0);

    // The next full sync tries them again.
    await sync.syncAll();
    backfill.forgetRefusals();
    await backfillToEnd(backfill, order);
    expect(queryRepo.count('Archive')).toBe(2);
    expect(offline('INBOX')).toBe(300);
    expect(offline('Archive')).toBe(2);
    const third = await sync.syncAll();
    expect(third.every((r) => r.unchanged)).toBe(true);
    expect(new Set(syncRepo.uids('INBOX')).size).toBe(300);
    expect(new MailSearch(vault).search({ query: 'Protokoll', folder: 'Archive' })).toHaveLength(2);
    // Every body fetched once; the refused FETCH (the proxy answered it) never reached the server.
    const fetched = bodiesFetched(proxy.commands);
    const refused = uidsOf(BODY_FETCH.exec(proxy.commands.find((c) => BODY_FETCH.test(c))!)![1]!);
    expect(fetched.length).toBe(302 + refused.length);
    expect(new Set(fetched).size).toBe(302);
  });
});
