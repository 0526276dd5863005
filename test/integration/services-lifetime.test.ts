import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServices } from '../../electron/services/app-services';
import { logFileIn } from '../../electron/services/log/log-service';
import { startOparlServer, type OparlTestServer } from '../servers/oparl-server';
import { leakCheck } from '../support/leak-check';

// One owner for everything built on the open vault (vault-session.ts): "remove all local data", sign-out and
// quit close all of it at once, and the next call builds it afresh over the vault opened then.

describe('lifetimes of the services over one data folder', () => {
  let server: OparlTestServer;
  let dataDir: string;

  beforeAll(async () => {
    server = await startOparlServer({ papers: 12, meetings: 3, organizations: 2, persons: 3, pageSize: 10 });
  });
  afterAll(async () => {
    await server.stop();
  });

  function services() {
    dataDir = mkdtempSync(join(tmpdir(), 'ratsdesk-lifetime-'));
    return createServices({
      dataDir,
      keychainService: `ratsdesk-test-${randomUUID()}`,
      ris: { systemUrl: server.generated.systemUrl, extraCaPem: [server.caPem] },
    });
  }

  test('after "remove all local data" the next council call works on a fresh vault (it was INTERNAL)', async () => {
    const leaks = await leakCheck();
    const s = services();
    try {
      const [body] = await s.handlers.ris.bodies();
      expect(body).toBeDefined();
      await s.handlers.ris.sync({ bodyId: body!.id });
      expect((await s.handlers.ris.paper({ id: server.generated.paperUrl(3) })).reference).toBe('VO/2025/0003');

      await s.handlers.documents.removeAllLocalData();

      // A first run again: the council system is read anew into a new vault, nothing of the old one is left.
      const again = await s.handlers.ris.bodies();
      expect(again.map((b) => b.id)).toEqual([body!.id]);
      expect(again[0]?.lastSync).toBeNull();
      await expect(s.handlers.ris.paper({ id: server.generated.paperUrl(3) })).rejects.toMatchObject({
        code: 'RIS_OBJECT_NOT_FOUND',
      });
      expect(await s.handlers.documents.list()).toEqual([]);
    } finally {
      await s.dispose();
      await s.keychain.delete('vault-key').catch(() => false);
      rmSync(dataDir, { recursive: true, force: true });
    }
    // dispose() leaves no timer, socket or child process behind.
    await leaks.assertNoneLeft();
  });

  test('sign-out closes the vault and what is built on it; the next call opens it again with the data kept', async () => {
    const leaks = await leakCheck();
    const s = services();
    try {
      const [body] = await s.handlers.ris.bodies();
      await s.handlers.ris.sync({ bodyId: body!.id });
      const vault = await s.vault();
      await s.handlers.account.forget();
      expect(vault.isOpen).toBe(false);
      // Reopened on use, the council data still there (sign-out is not "remove all local data").
      expect((await s.handlers.ris.paper({ id: server.generated.paperUrl(5) })).reference).toBe('VO/2025/0005');
      expect((await s.vault()).isOpen).toBe(true);
    } finally {
      await s.dispose();
      await s.keychain.delete('vault-key').catch(() => false);
    }
    await leaks.assertNoneLeft();
    // The log says when the services started and stopped, and nothing of the council data.
    const log = readFileSync(logFileIn(dataDir), 'utf8');
    expect(log).toMatch(/INFO services\.started\n[^]*INFO services\.stopped\n$/);
    expect(log).not.toMatch(/VO\/2025/);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
