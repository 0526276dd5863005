import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { OfflinePackInfo } from '../../electron/contract/ris';
import { createServices, type Services } from '../../electron/services/app-services';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { OfflineMeetings } from '../../electron/services/ris/offline-meeting';
import { OfflinePacks } from '../../electron/services/ris/offline-packs';
import { OparlClient } from '../../electron/services/ris/oparl-client';
import { RisOfflineRepository } from '../../electron/services/ris/ris-offline-repository';
import { RisQueryRepository } from '../../electron/services/ris/ris-query-repository';
import { RisSync } from '../../electron/services/ris/ris-sync';
import { RisSyncRepository } from '../../electron/services/ris/ris-sync-repository';
import { openVault } from '../../electron/services/vault/vault';
import { startOparlServer, type OparlTestServer } from '../servers/oparl-server';
import { makeTestCa, type ServerCert } from '../servers/tls-ca';
import { leakCheck } from '../support/leak-check';
import { until } from '../support/wait-until';
import { makeVaultFixture } from './helpers/vault-fixture';

// The automatic offline pack (#16) against the loopback HTTPS OParl server, through the services as the app
// builds them (vault, keychain, policy): the meetings of the chosen bodies in the next N days go into the
// encrypted cache in the background, at most 3 requests at a time, resumable, checksum-verified.

const DAY = 86_400_000;
/** 16 meetings, meeting 8 today at 17:00 UTC; organization 0 ("my body") holds meetings 0, 3, 6, 9, 12, 15. */
const SERVER = { papers: 160, meetings: 16, organizations: 3, persons: 3, itemsPerMeeting: 3, pageSize: 50 };
const MINE = [0, 3, 6, 9, 12, 15];

interface Running {
  services: Services;
  dataDir: string;
  keychainService: string;
  packs: OfflinePackInfo[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: { latencyMs?: number; cert?: ServerCert; port?: number } = {}) {
  const s = await startOparlServer({ ...SERVER, ...options });
  cleanups.push(() => s.stop());
  return s;
}

function start(
  oparl: OparlTestServer,
  where: { dataDir?: string; keychainService?: string; policyFile?: string } = {},
): Running {
  const dataDir = where.dataDir ?? mkdtempSync(join(tmpdir(), 'ratsdesk-packs-'));
  const keychainService = where.keychainService ?? `ratsdesk-test-${randomUUID()}`;
  const packs: OfflinePackInfo[] = [];
  const services = createServices({
    dataDir,
    keychainService,
    ris: { systemUrl: oparl.generated.systemUrl, extraCaPem: [oparl.caPem] },
    policy: { platform: 'linux', file: where.policyFile ?? join(dataDir, 'no-machine-policy.json') },
    offlinePackTiming: { retryMs: 150, maxRetryMs: 600, checkEveryMs: 60_000 },
    emit: (domain, name, payload) => {
      if (domain === 'ris' && name === 'offlinePackChanged') packs.push(payload as OfflinePackInfo);
    },
  });
  if (!where.dataDir) {
    cleanups.push(async () => {
      await services.dispose();
      await new KeychainService(keychainService).delete('vault-key').catch(() => false);
      rmSync(dataDir, { recursive: true, force: true });
    });
  }
  return { services, dataDir, keychainService, packs };
}

/** Imports the body and makes organization 0 "my body" (that wakes the pack). */
async function chooseMyBody(r: Running, oparl: OparlTestServer) {
  const h = r.services.handlers;
  const [body] = await h.ris.bodies();
  await h.ris.sync({ bodyId: body!.id });
  await h.ris.chooseOrganizations({ bodyId: body!.id, organizationIds: [`${oparl.generated.base}/organization/0`] });
}

/** My body's meetings that lie (at least partly) in the next `days` days, as the pack's window says. */
function inWindow(oparl: OparlTestServer, days: number): number[] {
  const now = Date.now();
  return MINE.filter((m) => {
    const start = oparl.generated.meetingStart(m).getTime();
    return start < now + days * DAY && start + 3 * 3_600_000 > now;
  });
}

/** File numbers whose download the server was asked for (since its last reset). */
function downloaded(oparl: OparlTestServer): number[] {
  return oparl.requestLog.flatMap((url) => {
    const m = /\/file\/(\d+)\/(?:content|download)$/.exec(url);
    return m ? [Number(m[1])] : [];
  });
}

const filesOf = (oparl: OparlTestServer, meetings: number[]) =>
  [...new Set(meetings.flatMap((m) => oparl.generated.filesOfMeeting(m)))].sort((a, b) => a - b);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

async function packDone(r: Running, meetings: number) {
  return until(`the offline pack: ${meetings} of ${meetings} meetings`, async () => {
    const p = await r.services.handlers.ris.offlinePack();
    return p.state === 'idle' && p.meetings === meetings && p.available === meetings ? p : undefined;
  });
}

describe('offline pack: meetings of my bodies in the next N days, in the background', () => {
  test('fetches exactly the window’s meetings, at most 3 requests in flight; the setting widens the window', async () => {
    const oparl = await server({ latencyMs: 25 });
    const r = start(oparl);
    await r.services.handlers.policy.setUserValue({ key: 'offlinePackDays', value: 3 });
    // Nothing is fetched before a body is chosen.
    const [body] = await r.services.handlers.ris.bodies();
    await r.services.handlers.ris.sync({ bodyId: body!.id });
    expect((await r.services.handlers.ris.offlinePack()).state).toBe('off');
    expect(downloaded(oparl)).toEqual([]);

    oparl.resetRequests();
    await chooseMyBody(r, oparl);
    // 3 days: meeting 9 (tomorrow 17:00) only; 6 ended two days ago, 12 is four days ahead.
    expect(inWindow(oparl, 3)).toEqual([9]);
    await packDone(r, 1);
    expect(sorted(downloaded(oparl))).toEqual(filesOf(oparl, [9]));
    expect(oparl.maxConcurrent).toBeLessThanOrEqual(3);
    expect(oparl.maxConcurrent).toBeGreaterThan(1);
    const view = await r.services.handlers.ris.meeting({ id: oparl.generated.meetingUrl(9) });
    expect(view.offline).toBe('complete');
    expect(view.files.every((f) => f.documentId !== null)).toBe(true);
    // The queue was visible while it ran, and says "1 of 1" now.
    expect(r.packs).toContainEqual({ state: 'running', days: 3, meetings: 1, available: 0 });
    expect(r.packs.at(-1)).toEqual({ state: 'idle', days: 3, meetings: 1, available: 1 });

    // 5 days: meeting 12 joins; only its files are fetched.
    oparl.resetRequests();
    await r.services.handlers.policy.setUserValue({ key: 'offlinePackDays', value: 5 });
    await packDone(r, 2);
    expect(sorted(downloaded(oparl))).toEqual(filesOf(oparl, [12]));
    expect(oparl.maxConcurrent).toBeLessThanOrEqual(3);
    // Pinned until the meeting's end plus 30 days; after that the cache's retention rule lets them go.
    const docs = await r.services.documents();
    const ref = (n: number) => ({ kind: 'url' as const, ref: oparl.generated.fileUrl(n) });
    const end12 = oparl.generated.meetingStart(12).getTime() + 3 * 3_600_000;
    for (const n of filesOf(oparl, [12])) {
      expect(docs.findBySource(ref(n))).toMatchObject({
        pinned: true,
        pinnedUntil: new Date(end12 + 30 * DAY).toISOString(),
      });
    }
    const vault = await r.services.vault();
    const retentionDays = 365; // the policy's default vaultRetentionDays
    const later = new DocumentCache(vault, {
      retentionDays,
      now: () => new Date(end12 + (30 + retentionDays + 1) * DAY),
    });
    expect(later.applyRetention()).toBeGreaterThanOrEqual(filesOf(oparl, [9, 12]).length);
    for (const n of filesOf(oparl, [9, 12])) expect(docs.findBySource(ref(n))).toBeUndefined();
  });

  test('the policy sets the window; the person cannot widen it', async () => {
    const oparl = await server();
    const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-packs-policy-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ offlinePackDays: 3 }));
    const r = start(oparl, { policyFile });
    await expect(r.services.handlers.policy.setUserValue({ key: 'offlinePackDays', value: 14 })).rejects.toMatchObject({
      code: 'POLICY_LOCKED',
    });
    oparl.resetRequests();
    await chooseMyBody(r, oparl);
    await packDone(r, 1);
    expect(sorted(downloaded(oparl))).toEqual(filesOf(oparl, [9]));
  });

  test('a restart of the services mid-way resumes without fetching finished files again; nothing is left running', async () => {
    const oparl = await server({ latencyMs: 100 });
    const leaks = await leakCheck();
    const first = start(oparl, { dataDir: mkdtempSync(join(tmpdir(), 'ratsdesk-packs-')) });
    const { dataDir, keychainService } = first;
    cleanups.push(async () => {
      await first.services.dispose();
      await new KeychainService(keychainService).delete('vault-key').catch(() => false);
      rmSync(dataDir, { recursive: true, force: true });
    });
    await first.services.handlers.policy.setUserValue({ key: 'offlinePackDays', value: 5 });
    oparl.resetRequests();
    await chooseMyBody(first, oparl);
    const all = filesOf(oparl, [9, 12]);
    await until('a few files fetched', () => downloaded(oparl).length >= 5);
    await first.services.dispose(); // quit mid-way
    await leaks.assertNoneLeft();

    // What the first run stored (read from the vault as it was left).
    const keychain = new KeychainService(keychainService);
    const vault = await openVault({ file: join(dataDir, 'vault.db'), keychain });
    const cache = new DocumentCache(vault);
    const stored = all.filter((n) => cache.findBySource({ kind: 'url', ref: oparl.generated.fileUrl(n) }));
    vault.close();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length).toBeLessThan(all.length);

    oparl.resetRequests();
    const second = start(oparl, { dataDir, keychainService });
    cleanups.push(() => second.services.dispose());
    await packDone(second, 2);
    const again = downloaded(oparl);
    expect(again.filter((n) => stored.includes(n))).toEqual([]);
    expect(sorted([...stored, ...again])).toEqual(all);
  });

  test('a stopped server leaves a resumable queue that finishes when the server is back', async () => {
    const cert = makeTestCa(['localhost'], ['127.0.0.1']);
    cleanups.push(async () => rmSync(cert.dir, { recursive: true, force: true }));
    const oparl = await server({ latencyMs: 100, cert });
    const r = start(oparl);
    await r.services.handlers.policy.setUserValue({ key: 'offlinePackDays', value: 5 });
    oparl.resetRequests();
    await chooseMyBody(r, oparl);
    await until('a few files fetched', () => downloaded(oparl).length >= 4);
    await oparl.stop();

    const paused = await until('the pack paused as offline', async () => {
      const p = await r.services.handlers.ris.offlinePack();
      return p.state === 'offline' ? p : undefined;
    });
    expect(paused.available).toBeLessThan(2);
    const all = filesOf(oparl, [9, 12]);
    const docs = await r.services.documents();
    const stored = all.filter((n) => docs.findBySource({ kind: 'url', ref: oparl.generated.fileUrl(n) }));
    expect(stored.length).toBeLessThan(all.length);

    // Back on the same address: the pack's next try finishes the queue, fetching only what was missing.
    const back = await server({ latencyMs: 5, cert, port: oparl.port });
    await packDone(r, 2);
    const again = downloaded(back);
    expect(again.filter((n) => stored.includes(n))).toEqual([]);
    expect(sorted([...stored, ...again])).toEqual(all);
  });

  test('a file failing its checksum is not stored as finished; the next look fetches only that file', async () => {
    const oparl = await server();
    const files9 = oparl.generated.filesOfMeeting(9);
    const bad = files9[3]!;
    oparl.misbehave.badChecksumFiles = [bad];
    const r = start(oparl);
    await r.services.handlers.policy.setUserValue({ key: 'offlinePackDays', value: 3 });
    await chooseMyBody(r, oparl);
    const settled = await until('the pack done with one meeting not complete', async () => {
      const p = await r.services.handlers.ris.offlinePack();
      return p.state === 'idle' && p.meetings === 1 ? p : undefined;
    });
    expect(settled.available).toBe(0);
    const docs = await r.services.documents();
    const present = (n: number) => docs.findBySource({ kind: 'url', ref: oparl.generated.fileUrl(n) }) !== undefined;
    expect(present(bad)).toBe(false);
    expect(files9.filter((n) => n !== bad).every(present)).toBe(true);
    expect((await r.services.handlers.ris.meeting({ id: oparl.generated.meetingUrl(9) })).offline).toBe('partial');

    // The server serves the right bytes again: the next look (here woken by the setting) fetches only that file.
    delete oparl.misbehave.badChecksumFiles;
    oparl.resetRequests();
    await r.services.handlers.policy.setUserValue({ key: 'offlinePackDays', value: 3 });
    await packDone(r, 1);
    expect(downloaded(oparl)).toEqual([bad]);
    expect(present(bad)).toBe(true);
  });
});

describe('offline pack and the app lock', () => {
  test('locking stops the download in progress and nothing is fetched while locked; unlocking finishes the queue', async () => {
    const oparl = await server({ latencyMs: 100 });
    const fx = makeVaultFixture();
    const vault = await openVault({ file: fx.file, keychain: fx.keychain });
    const client = new OparlClient({ allowedOrigins: [oparl.origin], extraCaPem: [oparl.caPem] });
    const documents = new DocumentCache(vault);
    const queries = new RisQueryRepository(vault, {
      documentIdOf: (id) => documents.findBySource({ kind: 'url', ref: id })?.id ?? null,
    });
    let locked = false;
    const packs = new OfflinePacks({
      offline: new OfflineMeetings({ client, queries, records: new RisOfflineRepository(vault), documents }),
      queries,
      days: async () => 5,
      locked: async () => locked,
      checkEveryMs: 60_000,
    });
    cleanups.push(async () => {
      await packs.dispose();
      client.dispose();
      vault.close();
      await fx.cleanup();
    });
    const sync = new RisSync({ client, repository: new RisSyncRepository(vault) });
    const [body] = await sync.addSystem(oparl.generated.systemUrl);
    await sync.syncBody(body!.id);
    queries.chooseOrganizations(body!.id, [`${oparl.generated.base}/organization/0`]);

    oparl.resetRequests();
    packs.wake();
    await until('a few files fetched', () => downloaded(oparl).length >= 3);
    locked = true;
    packs.pause();
    await until('the pack paused by the lock', () => packs.status().state === 'locked');
    await packs.settled();
    const before = oparl.requests;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(oparl.requests).toBe(before);
    // A look while locked (a missed unlock, the regular timer) fetches nothing either.
    packs.wake();
    await packs.settled();
    expect(oparl.requests).toBe(before);
    expect(packs.status()).toMatchObject({ state: 'locked', meetings: 2 });

    locked = false;
    packs.wake();
    await until('the queue finished after unlocking', () => packs.status().available === 2);
    expect(sorted(downloaded(oparl))).toEqual(filesOf(oparl, [9, 12]));
  });
});
