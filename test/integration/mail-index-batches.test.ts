import type { SyncProgress } from '../../electron/contract/mail-sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectSyncClient, createSyncClient, ImapSync } from '../../electron/services/mail/imap-sync';
import { backfillOrder, MailBackfill } from '../../electron/services/mail/mail-backfill';
import { MailBackfillRepository } from '../../electron/services/mail/mail-backfill-repository';
import { MailSearch } from '../../electron/services/mail/mail-search';
import { MailQueryRepository } from '../../electron/services/mail/mail-query-repository';
import { MailSyncRepository } from '../../electron/services/mail/mail-sync-repository';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { accountOf, germanMessage, openTestVault } from './mail-sync-fixture';

describe('initial sync writes bounded batches (real Dovecot, encrypted vault)', () => {
  let server: DovecotServer;

  beforeAll(async () => {
    server = await startDovecot();
  });
  afterAll(async () => {
    await stopAndRemove(server);
  });

  test('big messages are written a few at a time by bytes; all are stored once and indexed', async () => {
    const filler = 'Haushaltssatzung Beschlussvorschlag Bürgerbeteiligung Straße '.repeat(1_600); // ~100 KB
    const big = (from: number) =>
      Array.from({ length: 12 }, (_, i) =>
        germanMessage(from + i, `Vorlage ${from + i + 1}`, `Anlage zur Vorlage ${from + i + 1}\n${filler}`),
      );
    server.seed('anna', big(0));
    const { vault, cleanup } = await openTestVault();
    const { settings, trust, password } = accountOf(server);
    const client = createSyncClient(settings, password, trust);
    try {
      await connectSyncClient(client);
      const syncRepo = new MailSyncRepository(vault);
      const queryRepo = new MailQueryRepository(vault);
      const backfillRepo = new MailBackfillRepository(vault);

      // First login: the download's body FETCHes are bounded by bytes (~250 KB: 2 of these ~100 KB messages)
      // before the count of 5.
      await new ImapSync(client, syncRepo).syncAll();
      const backfill = new MailBackfill(client, syncRepo, backfillRepo, { bodyChunk: 5, bodyChunkBytes: 250_000 });
      const bodySteps: number[] = [];
      for (;;) {
        const step = await backfill.step(backfillOrder(queryRepo.folders()));
        if (!step) break;
        if (step.kind === 'bodies' && step.folder === 'INBOX') bodySteps.push(step.stored);
      }
      expect(bodySteps.reduce((a, b) => a + b, 0)).toBe(12);
      expect(Math.max(...bodySteps)).toBeLessThanOrEqual(2);
      expect(bodySteps.filter((n) => n > 0).length).toBeGreaterThanOrEqual(6);
      expect(backfillRepo.progress('INBOX', null)).toMatchObject({ listed: 12, offline: 12, headersDone: true });

      // New mail later: fetched at once with its bodies, written in batches bounded by bytes (~250 KB caps
      // each batch at 3 of these messages, below the count of 5).
      server.seed('anna', big(12));
      const progress: SyncProgress[] = [];
      const sync = new ImapSync(client, syncRepo, {
        batchSize: 5,
        batchBytes: 250_000,
        onProgress: (p) => progress.push(p),
      });
      const results = await sync.syncAll();
      expect(results.find((r) => r.folder === 'INBOX')?.newIds).toHaveLength(12);
      const written = progress.filter((p) => p.folder === 'INBOX' && p.phase === 'new').map((p) => p.done);
      expect(written.at(-1)).toBe(12);
      const steps = written.map((d, i) => d - (written[i - 1] ?? 0));
      expect(Math.max(...steps)).toBeLessThanOrEqual(3);
      expect(steps.length).toBeGreaterThanOrEqual(4);

      expect(queryRepo.count('INBOX')).toBe(24);
      expect(queryRepo.listPage('INBOX', 0, 100).total).toBe(24);
      const search = new MailSearch(vault);
      expect(search.search({ query: 'Beschluss Burger strasse', limit: 100 })).toHaveLength(24);
      expect(search.search({ query: 'Vorlage 7' }).map((m) => m.subject)).toEqual(['Vorlage 7']);
      expect(search.search({ query: 'Vorlage 19' }).map((m) => m.subject)).toEqual(['Vorlage 19']);

      // An unchanged re-sync stores nothing twice, and the download has nothing left.
      const again = await new ImapSync(client, syncRepo).syncAll();
      expect(again.find((r) => r.folder === 'INBOX')?.newIds).toEqual([]);
      expect(await backfill.step(backfillOrder(queryRepo.folders()))).toBeNull();
      expect(queryRepo.count('INBOX')).toBe(24);
    } finally {
      await client.logout().catch(() => client.close());
      await cleanup();
    }
  });
});
