/**
 * RIS benchmark (issue 5). `run()` returns the figures; the bench runner prints them as one JSON line.
 *
 * - Full import of the generated body (5,000 papers, 500 meetings with 19 agenda items, 200 persons,
 *   20 organizations; 100 per page) from the loopback HTTPS OParl server into a fresh vault
 *   (OparlClient + RisSync + the RIS repositories, SQLCipher, FTS5), versus the named baseline `raw`: the same
 *   pages fetched over the same kind of HTTPS keep-alive connection (3 per host, lists side by side),
 *   nothing parsed or stored. Raw and Ratsdesk alternate in 3 pairs; ratio_raw is the median of the
 *   pairs' ratios (target ≤ 1.5), each pair is listed, with this process's CPU seconds in the import
 *   (the client's own work, which a busy machine does not inflate the way it does wall time).
 * - Incremental sync with no changes: the requests the server saw (target: one per list).
 * - "Available offline" for a 40-file meeting (download, verify, store encrypted, pin) versus a raw
 *   download of the same 40 files with the same concurrency; 7 alternating pairs, median of the ratios
 *   (target ≤ 3), and each side's CPU seconds (`offline_raw_cpu_s`, `offline_ratsdesk_cpu_s`): a run is a
 *   tenth of a second, so under load its wall time is mostly waiting for a core.
 * - The full import again with LATENCY_MS added to every answer (a remote RIS, issue 14): as the client
 *   does it (up to 3 pages of a list at once where pages are numbered, ≤ 3 requests per host) versus the
 *   named baseline `follow_next`: the same client reading each list page after page. Requests counted.
 * The server runs in a child process (as a remote RIS would), so its work does not share the
 * benchmark's event loop.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, get } from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentCache } from '../electron/services/documents/document-cache';
import { KeychainService } from '../electron/services/keychain/keychain-service';
import { OfflineMeetings } from '../electron/services/ris/offline-meeting';
import { OparlClient } from '../electron/services/ris/oparl-client';
import { RisOfflineRepository } from '../electron/services/ris/ris-offline-repository';
import { RisQueryRepository } from '../electron/services/ris/ris-query-repository';
import { RisSync } from '../electron/services/ris/ris-sync';
import { RisSyncRepository } from '../electron/services/ris/ris-sync-repository';
import { openVault, type Vault } from '../electron/services/vault/vault';
import { startKeyring } from '../test/servers/keyring';
import { startOparlServerProcess } from '../test/servers/oparl-server';

const PAPERS = 5000;
const MEETINGS = 500;
const PAGE_SIZE = 100;
const RUNS = 3;
/** Raw/Ratsdesk pairs of the offline meeting (short runs: more pairs for a steadier median). */
const OFFLINE_PAIRS = 7;
/** Delay of every answer in the latency runs (ms): a RIS across a city network. */
const LATENCY_MS = 100;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
/** CPU seconds (user + system) this process spent since `from`. */
const cpuSeconds = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};
/**
 * CPU seconds (user + system) of the calling thread alone (Linux /proc, 10 ms ticks), NaN elsewhere: the event
 * loop's share, without worker threads (the vault's checkpoint thread), next to the whole process's figure.
 */
const threadCpuSeconds = () => {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
};

function rawGet(agent: Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent, headers: { accept: 'application/json', 'accept-encoding': 'identity' } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => resolve(n));
      res.on('error', reject);
    }).on('error', reject);
  });
}

export async function run(): Promise<Record<string, unknown>> {
  const keyring = await startKeyring();
  Object.assign(process.env, keyring.env);
  const server = await startOparlServerProcess({ papers: PAPERS, meetings: MEETINGS, pageSize: PAGE_SIZE });
  const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-bench-ris-'));
  const keychain = new KeychainService(`ratsdesk-bench-ris-${randomUUID()}`);
  const vaults: Vault[] = [];
  try {
    const g = server.generated;
    const lists = { organization: 20, person: 200, meeting: MEETINGS, paper: PAPERS };
    const pageUrls = Object.entries(lists).map(([list, count]) =>
      Array.from(
        { length: Math.ceil(count / PAGE_SIZE) },
        (_, i) => `${g.lists[list as keyof typeof g.lists]}?page=${i + 1}`,
      ),
    );
    // The first page of each list has no ?page=: the client starts from the bare list URL.
    for (const [i, list] of Object.keys(lists).entries())
      (pageUrls[i] as string[])[0] = g.lists[list as keyof typeof g.lists];

    // Same TLS setup as the client (one secure context; a per-request `ca` list would slow the baseline).
    const secureContext = createSecureContext({ ca: [...rootCertificates, server.caPem] });
    const agentOptions = { keepAlive: true, maxSockets: 3, secureContext };
    const rawImport = async () => {
      const agent = new Agent(agentOptions);
      const cpu = process.cpuUsage();
      const t = performance.now();
      let bytes = 0;
      await Promise.all(
        pageUrls.map(async (urls) => {
          for (const u of urls) bytes += await rawGet(agent, u);
        }),
      );
      const s = (performance.now() - t) / 1000;
      agent.destroy();
      return { s, bytes, cpuS: cpuSeconds(cpu) };
    };

    // Each vault in its own folder: the document cache keeps its files beside the vault, and opening one
    // removes files that have no row in it (another run's).
    const openFresh = async () => {
      const vault = await openVault({
        file: join(dir, `run-${vaults.length}`, 'vault.db'),
        keychain,
        keyAccount: `vault-${vaults.length}`,
      });
      vaults.push(vault);
      return vault;
    };
    const ratsdeskImport = async () => {
      const vault = await openFresh();
      const store = new RisQueryRepository(vault);
      const client = new OparlClient({ allowedOrigins: [server.origin], extraCaPem: [server.caPem] });
      const sync = new RisSync({ client, repository: new RisSyncRepository(vault) });
      const cpu = process.cpuUsage();
      const threadCpu = threadCpuSeconds();
      const t = performance.now();
      const [body] = await sync.addSystem(g.systemUrl);
      const report = await sync.syncBody((body as { id: string }).id);
      const s = (performance.now() - t) / 1000;
      const cpuS = cpuSeconds(cpu);
      const mainThreadCpuS = threadCpuSeconds() - threadCpu;
      const failed = report.lists.filter((l) => l.error !== null);
      if (failed.length > 0) throw new Error(`import failed: ${JSON.stringify(failed)}`);
      return { s, cpuS, mainThreadCpuS, vault, store, client, sync, bodyId: (body as { id: string }).id };
    };

    // Warm-up (JIT, server-side file checksums, TLS session setup) — not measured.
    await rawImport();
    const warm = await ratsdeskImport();
    warm.client.dispose();

    const raw: number[] = [];
    const ours: number[] = [];
    const importPairs: Array<{
      raw_s: number;
      ratsdesk_s: number;
      ratio: number;
      raw_cpu_s: number;
      ratsdesk_cpu_s: number;
      ratsdesk_main_thread_cpu_s: number;
    }> = [];
    let last: Awaited<ReturnType<typeof ratsdeskImport>> | undefined;
    let rawBytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = await rawImport();
      raw.push(r.s);
      rawBytes = r.bytes;
      last?.client.dispose();
      last = await ratsdeskImport();
      ours.push(last.s);
      importPairs.push({
        raw_s: round(r.s),
        ratsdesk_s: round(last.s),
        ratio: round(last.s / r.s, 2),
        raw_cpu_s: round(r.cpuS),
        ratsdesk_cpu_s: round(last.cpuS),
        ratsdesk_main_thread_cpu_s: round(last.mainThreadCpuS, 2),
      });
    }
    if (!last) throw new Error('no run');
    const counts = last.store.counts();

    // Incremental sync, nothing changed.
    await server.resetRequests();
    const noop = await last.sync.syncBody(last.bodyId);
    const noopRequests = await server.requests();
    if (noop.mode !== 'incremental') throw new Error('expected an incremental sync');

    // Offline: a 40-file meeting. Raw and Ratsdesk alternate, pair by pair (a busy machine slows both
    // sides of a pair alike); the ratio is the median of the pairs' ratios.
    const meetingNo = 100;
    const fileNos = g.filesOfMeeting(meetingNo);
    const rawOfflineOnce = async () => {
      const agent = new Agent(agentOptions);
      // Warm connections, as the client's are after the import that precedes "available offline".
      await Promise.all([1, 2, 3].map(() => rawGet(agent, g.systemUrl)));
      const cpu = process.cpuUsage();
      const t = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 3 }, async () => {
          while (next < fileNos.length) await rawGet(agent, g.fileAccessUrl(fileNos[next++] as number));
        }),
      );
      const s = (performance.now() - t) / 1000;
      const cpuS = cpuSeconds(cpu);
      agent.destroy();
      return { s, cpuS };
    };
    const offlineOnce = async () => {
      // A fresh document cache each time, so every file is really fetched and stored.
      const vault = await openFresh();
      const store = new RisQueryRepository(vault);
      // Copy the meeting and its papers into this vault (a one-page import of the meeting list).
      const client = new OparlClient({ allowedOrigins: [server.origin], extraCaPem: [server.caPem] });
      const sync = new RisSync({ client, repository: new RisSyncRepository(vault) });
      const [body] = await sync.addSystem(g.systemUrl);
      await sync.syncBody((body as { id: string }).id, { lists: ['meeting', 'paper'] });
      const documents = new DocumentCache(vault);
      const offline = new OfflineMeetings({
        client,
        queries: store,
        records: new RisOfflineRepository(vault),
        documents,
      });
      const cpu = process.cpuUsage();
      const t = performance.now();
      const result = await offline.makeAvailable(g.meetingUrl(meetingNo));
      const s = (performance.now() - t) / 1000;
      const cpuS = cpuSeconds(cpu);
      client.dispose();
      if (result.failures.length > 0 || result.stored !== fileNos.length)
        throw new Error(`offline: ${JSON.stringify(result)}`);
      return { s, cpuS, files: result.stored };
    };
    const offlinePairs: Array<{
      raw_s: number;
      ratsdesk_s: number;
      ratio: number;
      raw_cpu_s: number;
      ratsdesk_cpu_s: number;
    }> = [];
    let files = 0;
    for (let i = 0; i < OFFLINE_PAIRS; i++) {
      const rawRun = await rawOfflineOnce();
      const ours = await offlineOnce();
      files = ours.files;
      offlinePairs.push({
        raw_s: round(rawRun.s),
        ratsdesk_s: round(ours.s),
        ratio: round(ours.s / rawRun.s, 2),
        raw_cpu_s: round(rawRun.cpuS),
        ratsdesk_cpu_s: round(ours.cpuS),
      });
    }
    last.client.dispose();

    // Import with latency: a second server process whose every answer waits LATENCY_MS.
    const slow = await startOparlServerProcess({
      papers: PAPERS,
      meetings: MEETINGS,
      pageSize: PAGE_SIZE,
      latencyMs: LATENCY_MS,
    });
    const latencyRuns = { pages_at_once: [] as number[], follow_next: [] as number[] };
    const latencyRequests = { pages_at_once: 0, follow_next: 0 };
    try {
      const importAt = async (pagesAtOnce: number) => {
        const vault = await openFresh();
        const store = new RisQueryRepository(vault);
        const client = new OparlClient({ allowedOrigins: [slow.origin], extraCaPem: [slow.caPem], pagesAtOnce });
        const sync = new RisSync({ client, repository: new RisSyncRepository(vault) });
        await slow.resetRequests();
        const t = performance.now();
        const [body] = await sync.addSystem(slow.generated.systemUrl);
        const report = await sync.syncBody((body as { id: string }).id);
        const s = (performance.now() - t) / 1000;
        client.dispose();
        const failed = report.lists.filter((l) => l.error !== null);
        if (failed.length > 0) throw new Error(`import at latency failed: ${JSON.stringify(failed)}`);
        if (store.counts().papers !== PAPERS) throw new Error('import at latency incomplete');
        return { s, requests: await slow.requests() };
      };
      for (let i = 0; i < RUNS; i++) {
        for (const [mode, pagesAtOnce] of [
          ['follow_next', 1],
          ['pages_at_once', 3],
        ] as const) {
          const r = await importAt(pagesAtOnce);
          latencyRuns[mode].push(r.s);
          latencyRequests[mode] = r.requests;
        }
      }
    } finally {
      await slow.stop();
    }

    const rawS = median(raw);
    const oursS = median(ours);
    return {
      bench: 'ris-import',
      papers: counts.papers,
      meetings: counts.meetings,
      persons: counts.persons,
      organizations: counts.organizations,
      files: counts.files,
      pages: pageUrls.flat().length,
      page_bytes: rawBytes,
      raw_s: round(rawS),
      ratsdesk_s: round(oursS),
      ratio_raw: median(importPairs.map((p) => p.ratio)),
      import_pairs: importPairs,
      ratsdesk_cpu_s: median(importPairs.map((p) => p.ratsdesk_cpu_s)),
      ratsdesk_main_thread_cpu_s: median(importPairs.map((p) => p.ratsdesk_main_thread_cpu_s)),
      target_ratio_raw: 1.5,
      noop_sync_requests: noopRequests,
      lists: noop.lists.length,
      offline_meeting_files: files,
      offline_meeting_s: round(median(offlinePairs.map((p) => p.ratsdesk_s))),
      offline_raw_s: round(median(offlinePairs.map((p) => p.raw_s))),
      offline_ratio_raw: median(offlinePairs.map((p) => p.ratio)),
      offline_raw_cpu_s: median(offlinePairs.map((p) => p.raw_cpu_s)),
      offline_ratsdesk_cpu_s: median(offlinePairs.map((p) => p.ratsdesk_cpu_s)),
      target_offline_ratio_raw: 3,
      offline_pairs: offlinePairs,
      latency_ms: LATENCY_MS,
      import_s_at_latency: round(median(latencyRuns.pages_at_once)),
      import_requests_at_latency: latencyRequests.pages_at_once,
      follow_next_s_at_latency: round(median(latencyRuns.follow_next)),
      follow_next_requests_at_latency: latencyRequests.follow_next,
      ratio_follow_next_at_latency: round(median(latencyRuns.pages_at_once) / median(latencyRuns.follow_next), 2),
      runs: RUNS,
      cpus: cpus().length,
      load_avg_1m: round(loadavg()[0] ?? 0, 1),
      baseline:
        'raw: same pages/files over node:https keep-alive, 3 per host, nothing parsed or stored; follow_next: the same client and store at the same latency, reading each list page after page',
    };
  } finally {
    for (const v of vaults) v.close();
    await server.stop();
    for (const account of await keychain.accounts()) await keychain.delete(account);
    rmSync(dir, { recursive: true, force: true });
    await keyring.stop();
  }
}
