import type { SyncProgress } from '../../electron/contract/mail-sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectSyncClient, createSyncClient, ImapSync } from '../../electron/services/mail/imap-sync';
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
    server.seed(
      'anna',
      Array.from({ length: 12 }, (_, i) =>
        germanMessage(i, `Vorlage ${i + 1}`, `Anlage zur Vorlage ${i + 1}\n${filler}`),
      ),
    );
    const { vault, cleanup } = await openTestVault();
    const { settings, trust, password } = accountOf(server);
    const client = createSyncClient(settings, password, trust);
    try {
      await connectSyncClient(client);
      const syncRepo = new MailSyncRepository(vault);
      const queryRepo = new MailQueryRepository(vault);
      const progress: SyncProgress[] = [];
      // batchBytes ~250 KB caps each batch at 3 of these ~100 KB messages, below the count of 5.
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

      expect(queryRepo.count('INBOX')).toBe(12);
      expect(queryRepo.listPage('INBOX', 0, 100).total).toBe(12);
      const search = new MailSearch(vault);
      expect(search.search({ query: 'Beschluss Burger strasse', limit: 100 })).toHaveLength(12);
      expect(search.search({ query: 'Vorlage 7' }).map((m) => m.subject)).toEqual(['Vorlage 7']);

      // An unchanged re-sync stores nothing twice.
      const again = await new ImapSync(client, syncRepo).syncAll();
      expect(again.find((r) => r.folder === 'INBOX')?.newIds).toEqual([]);
      expect(queryRepo.count('INBOX')).toBe(12);
    } finally {
      await client.logout().catch(() => client.close());
      await cleanup();
    }
  });
});
