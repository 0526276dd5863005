import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createServices, type Services } from '../../electron/services/app-services';

describe('the policy sets the document cache’s quota and retention (real vault and keychain)', () => {
  let services: Services | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    if (services) {
      for (const a of await services.keychain.accounts()) await services.keychain.delete(a);
      await services.dispose();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    services = undefined;
  });

  test('a machine policy’s vaultQuotaMb and vaultRetentionDays reach the cache; defaults without one', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ratsdesk-policy-limits-'));
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ vaultQuotaMb: 100, vaultRetentionDays: 7 }));
    services = createServices({
      dataDir: join(dir, 'data'),
      keychainService: `ratsdesk-test-${randomUUID()}`,
      policy: { file: policyFile },
    });
    const cache = await services.documents();
    expect(cache.usage().quotaBytes).toBe(100 * 1024 * 1024);

    // An unpinned document not opened for longer than the policy's 7 days is gone at the next start.
    const doc = cache.put({
      bytes: new TextEncoder().encode('Niederschrift'),
      name: 'Niederschrift.txt',
      mimeType: 'text/plain',
      source: { kind: 'upload', ref: 'test' },
    });
    const vault = await services.vault();
    vault.transaction((db) =>
      db
        .prepare('UPDATE documents SET fetched_at = ?, last_opened_at = NULL WHERE id = ?')
        .run(new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString(), doc.id),
    );
    await services.dispose();
    services = createServices({
      dataDir: join(dir, 'data'),
      keychainService: services.keychain.serviceName,
      policy: { file: policyFile },
    });
    expect((await services.documents()).get(doc.id)).toBeUndefined();
  });
});
