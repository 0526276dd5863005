// Many clients, one server (#15 target 5): N real sync clients - the app's own MailSyncService, each with
// its own encrypted vault - against one Dovecot with N users. The clients run in a few child processes
// (RATSDESK_BENCH_WORKERS) so the bench's own orchestration does not share their event loop.
//
// Phases, all in one run:
//  1. initial sync of every client (small mailboxes: the storm, not the download, is measured here);
//  2. idle: commands per client-hour beyond IDLE renewals, time compressed by RATSDESK_BENCH_COMPRESSION
//     (the poll interval and the observed window are both divided by it; stated in the JSON);
//  3. one new mail delivered to every mailbox: bytes each client receives until it has stored it;
//  4. Dovecot restarted: logins per second from Dovecot's own log, and the time until every client is
//     online again - once with the app's reconnect policy, once with the jitter switched off (baseline).
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KeychainService } from '../electron/services/keychain/keychain-service';
import { MailSyncService } from '../electron/services/mail/mail-sync-service';
import { mailMigrations } from '../electron/services/mail/mail-migrations';
import { ReconnectBackoff } from '../electron/services/mail/reconnect-backoff';
import { openVault, type Vault } from '../electron/services/vault/vault';
import { startDovecot, stopAndRemove, type DovecotServer } from '../test/servers/dovecot';
import { startKeyring } from '../test/servers/keyring';
import { buildMimeMessage } from '../test/support/mime-message';

const CLIENTS = Number(process.env.RATSDESK_BENCH_CLIENTS ?? '200');
const WORKERS = Math.max(1, Math.min(CLIENTS, Number(process.env.RATSDESK_BENCH_WORKERS ?? '4')));
const MESSAGES = Number(process.env.RATSDESK_BENCH_MESSAGES ?? '20');
/**
 * The idle phase stands for RATSDESK_BENCH_IDLE_MINUTES (default 60: the app's slow poll runs every 30
 * minutes while IDLE works) and is observed in that time divided by COMPRESSION; the poll intervals are
 * divided alike. Socket and server timeouts are not compressed: run with COMPRESSION=1 to see them.
 */
const COMPRESSION = Number(process.env.RATSDESK_BENCH_COMPRESSION ?? '30');
const IDLE_REAL_MS = Number(process.env.RATSDESK_BENCH_IDLE_MINUTES ?? '60') * 60_000;
const APP_POLL_MS = 5 * 60_000;
const APP_IDLE_POLL_MS = 30 * 60_000;

interface ClientJob {
  user: string;
  pass: string;
  vaultFile: string;
  keyAccount: string;
}

interface WorkerInit {
  port: number;
  caPem: string;
  keychainService: string;
  pollMs: number;
  idlePollMs: number;
  clients: ClientJob[];
}

interface WorkerStats {
  /** Clients whose sync connection is online. */
  online: number;
  /** Clients whose IDLE connection watches INBOX. */
  idling: number;
  /** Commands sent on every connection, without IDLE and DONE. */
  commands: number;
  /** IDLE and DONE sent (renewals). */
  idleCommands: number;
  /** Bytes read from the servers' sockets (TLS records included). */
  bytesRead: number;
  /** Clients that stored the delivered mail. */
  gotNewMail: number;
  /** Clients whose first full sync finished. */
  synced: number;
}

type ToWorker = { cmd: 'init'; init: WorkerInit } | { cmd: 'stats' } | { cmd: 'jitter'; on: boolean } | { cmd: 'stop' };
type FromWorker =
  | { kind: 'ready' }
  | { kind: 'stats'; stats: WorkerStats; verbs: Record<string, number> }
  | { kind: 'stopped' }
  | { kind: 'error'; message: string };

// ---------------------------------------------------------------------------------------------------------
// Worker: a share of the clients.

async function worker(): Promise<void> {
  // Every socket the clients open goes through tls.connect (implicit TLS): count what they read.
  const sockets: tls.TLSSocket[] = [];
  const connect = tls.connect.bind(tls);
  (tls as { connect: typeof tls.connect }).connect = ((...args: Parameters<typeof tls.connect>) => {
    const s = connect(...args);
    sockets.push(s);
    return s;
  }) as typeof tls.connect;
  const bytesRead = () => sockets.reduce((n, s) => n + s.bytesRead, 0);

  let jitter = true;
  let commands = 0;
  let idleCommands = 0;
  // Which commands they were (the word after the tag, UID's next word too): says what an idle client spends.
  const verbs = new Map<string, number>();
  const logger = {
    debug: (o: { src?: string; msg?: string }) => {
      if (o.src !== 'c' || !o.msg || o.msg.startsWith('(*')) return;
      if (/^(\S+ )?(IDLE|DONE)\b/i.test(o.msg)) idleCommands++;
      else {
        commands++;
        const verb = /^\S+ (UID \S+|\S+)/.exec(o.msg)?.[1]?.toUpperCase() ?? '?';
        verbs.set(verb, (verbs.get(verb) ?? 0) + 1);
      }
    },
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  };

  const services: { service: MailSyncService; vault: Vault; synced: boolean; newMail: boolean }[] = [];
  let init: WorkerInit | undefined;
  const send = (m: FromWorker) => process.send!(m);

  process.on('message', (m: ToWorker) => {
    void (async () => {
      try {
        if (m.cmd === 'init') {
          init = m.init;
          const keychain = new KeychainService(init.keychainService);
          for (const c of init.clients) {
            const vault = await openVault({
              file: c.vaultFile,
              keychain,
              keyAccount: c.keyAccount,
              migrations: mailMigrations,
            });
            const service = new MailSyncService({
              vault,
              settings: { host: '127.0.0.1', port: init.port, security: 'tls', username: c.user },
              trust: { extraCaPem: [init.caPem] },
              password: async () => c.pass,
              pollMs: init.pollMs,
              idlePollMs: init.idlePollMs,
              logger,
              // The app's backoff; "jitter off" replaces the random draw by the window's upper bound.
              backoff: new ReconnectBackoff({ random: () => (jitter ? Math.random() : 1) }),
            });
            const entry = { service, vault, synced: false, newMail: false };
            service.on('newMail', (n) => {
              if (n.folder === 'INBOX') entry.newMail = true;
            });
            service.on('connectionState', (s) => {
              if (s.state === 'online' && !entry.synced)
                void service.syncAll().then(
                  () => (entry.synced = true),
                  () => undefined,
                );
            });
            services.push(entry);
            service.start();
          }
          send({ kind: 'ready' });
        } else if (m.cmd === 'stats') {
          send({
            kind: 'stats',
            stats: {
              online: services.filter((s) => s.service.connectionState.state === 'online').length,
              idling: services.filter((s) => s.service.idleFolder === 'INBOX').length,
              commands,
              idleCommands,
              bytesRead: bytesRead(),
              gotNewMail: services.filter((s) => s.newMail).length,
              synced: services.filter((s) => s.synced).length,
            },
            verbs: Object.fromEntries(verbs),
          });
        } else if (m.cmd === 'jitter') {
          jitter = m.on;
        } else if (m.cmd === 'stop') {
          for (const s of services) {
            await s.service.dispose();
            s.vault.close();
          }
          send({ kind: 'stopped' });
        }
      } catch (err) {
        send({ kind: 'error', message: String((err as Error)?.stack ?? err) });
      }
    })();
  });
}

// ---------------------------------------------------------------------------------------------------------
// Orchestrator.

class Fleet {
  private constructor(private readonly children: ChildProcess[]) {}

  static async start(env: NodeJS.ProcessEnv, inits: WorkerInit[]): Promise<Fleet> {
    const children = inits.map(() =>
      fork(fileURLToPath(import.meta.url), [], {
        env: { ...env, RATSDESK_BENCH_SERVER_LOAD_WORKER: '1' },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    const fleet = new Fleet(children);
    await Promise.all(children.map((c, i) => fleet.ask(c, { cmd: 'init', init: inits[i]! }, 'ready')));
    return fleet;
  }

  private ask(child: ChildProcess, m: ToWorker, kind: FromWorker['kind']): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const on = (r: FromWorker) => {
        if (r.kind === 'error') {
          child.off('message', on);
          reject(new Error(r.message));
        } else if (r.kind === kind) {
          child.off('message', on);
          resolve(r);
        }
      };
      child.on('message', on);
      child.send(m);
    });
  }

  async stats(): Promise<WorkerStats> {
    const all = await Promise.all(this.children.map((c) => this.ask(c, { cmd: 'stats' }, 'stats')));
    const sum: WorkerStats = {
      online: 0,
      idling: 0,
      commands: 0,
      idleCommands: 0,
      bytesRead: 0,
      gotNewMail: 0,
      synced: 0,
    };
    for (const r of all) {
      if (r.kind !== 'stats') continue;
      for (const k of Object.keys(sum) as (keyof WorkerStats)[]) sum[k] += r.stats[k];
    }
    return sum;
  }

  /** Commands sent so far by their verb, summed over the children. */
  async verbs(): Promise<Map<string, number>> {
    const all = await Promise.all(this.children.map((c) => this.ask(c, { cmd: 'stats' }, 'stats')));
    const sum = new Map<string, number>();
    for (const r of all) {
      if (r.kind !== 'stats') continue;
      for (const [verb, n] of Object.entries(r.verbs)) sum.set(verb, (sum.get(verb) ?? 0) + n);
    }
    return sum;
  }

  jitter(on: boolean): void {
    for (const c of this.children) c.send({ cmd: 'jitter', on } satisfies ToWorker);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(async (c) => {
        await this.ask(c, { cmd: 'stop' }, 'stopped').catch(() => undefined);
        c.kill();
      }),
    );
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<number> {
  const t0 = performance.now();
  while (!(await check())) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return performance.now() - t0;
}

/** Dovecot's log lines "Login: user=<…>" after `fromByte`, counted per second of their timestamp. */
function loginsPerSecond(logFile: string, fromByte: number): { total: number; peak: number; spreadS: number } {
  const text = readFileSync(logFile).subarray(fromByte).toString('utf8');
  const buckets = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!/imap-login: (Info: )?Login: user=</.test(line)) continue;
    // "Nov 29 08:01:02 imap-login: Info: Login: …" - the second is the bucket.
    const stamp = line.slice(0, 15);
    buckets.set(stamp, (buckets.get(stamp) ?? 0) + 1);
  }
  const counts = [...buckets.values()];
  return { total: counts.reduce((a, b) => a + b, 0), peak: Math.max(0, ...counts), spreadS: buckets.size };
}

async function restartStorm(
  server: DovecotServer,
  fleet: Fleet,
  clients: number,
): Promise<{ peak: number; logins: number; allBackS: number; secondsWithLogins: number }> {
  const logFile = join(server.dir, 'dovecot.log');
  const from = statSync(logFile).size;
  await server.stop({ sessions: 'end' });
  await waitFor('every client noticing the restart', async () => (await fleet.stats()).online === 0, 60_000, 100);
  await server.start();
  const t0 = performance.now();
  const ms = await waitFor(
    'every client online and idling again',
    async () => {
      const s = await fleet.stats();
      return s.online === clients && s.idling === clients;
    },
    15 * 60_000,
    500,
  );
  // Logins still on their way after the last client came back belong to the storm too.
  await new Promise((r) => setTimeout(r, 2_000));
  const l = loginsPerSecond(logFile, from);
  return {
    peak: l.peak,
    logins: l.total,
    allBackS: Math.round((ms || performance.now() - t0) / 100) / 10,
    secondsWithLogins: l.spreadS,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const keyring = await startKeyring();
  Object.assign(process.env, keyring.env);
  const users = Array.from({ length: CLIENTS }, (_, i) => ({ user: `rat${i}`, pass: `pw-${randomUUID()}` }));
  // 2 connections per client (sync + IDLE), each a login process in Dovecot's default high-security mode.
  const server = await startDovecot({
    users,
    extraConfig: `default_process_limit = ${CLIENTS * 3 + 50}\ndefault_client_limit = ${CLIENTS * 6 + 100}\n`,
  });
  const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-server-load-'));
  const keychainService = `ratsdesk-bench-${randomUUID()}`;
  let fleet: Fleet | undefined;
  try {
    for (const u of users)
      server.seed(
        u.user,
        Array.from({ length: MESSAGES }, (_, i) => ({
          subject: `Vorlage ${i} für ${u.user}`,
          body: 'Guten Tag,\n'.repeat(40),
        })),
      );
    const pollMs = Math.round(APP_POLL_MS / COMPRESSION);
    const jobs: ClientJob[] = users.map((u, i) => ({
      user: u.user,
      pass: u.pass,
      vaultFile: join(dir, `vault-${i}.db`),
      keyAccount: `vault-key-${i}`,
    }));
    const inits: WorkerInit[] = Array.from({ length: WORKERS }, (_, w) => ({
      port: server.imapsPort,
      caPem: server.cert.caPem,
      keychainService,
      pollMs,
      idlePollMs: Math.round(APP_IDLE_POLL_MS / COMPRESSION),
      clients: jobs.filter((_, i) => i % WORKERS === w),
    }));

    // 1. Initial sync.
    const t0 = performance.now();
    fleet = await Fleet.start(process.env, inits);
    const f = fleet;
    await waitFor(
      'initial sync of every client',
      async () => {
        const s = await f.stats();
        return s.synced === CLIENTS && s.idling === CLIENTS;
      },
      15 * 60_000,
      500,
    );
    const initialSyncS = Math.round(performance.now() - t0) / 1000;

    // 2. Idle.
    const idleWindowMs = Math.round(IDLE_REAL_MS / COMPRESSION);
    const before = await fleet.stats();
    const verbsBefore = await fleet.verbs();
    const idleLogFrom = statSync(join(server.dir, 'dovecot.log')).size;
    await new Promise((r) => setTimeout(r, idleWindowMs));
    const idleLogins = loginsPerSecond(join(server.dir, 'dovecot.log'), idleLogFrom).total;
    const after = await fleet.stats();
    const verbsAfter = await fleet.verbs();
    const clientHours = (CLIENTS * IDLE_REAL_MS) / 3_600_000;
    const idleVerbs = Object.fromEntries(
      [...verbsAfter]
        .map(([verb, n]) => [verb, Math.round(((n - (verbsBefore.get(verb) ?? 0)) / clientHours) * 100) / 100] as const)
        .filter(([, perHour]) => perHour > 0),
    );
    const idleCommandsPerClientHour = (after.commands - before.commands) / clientHours;
    const idleRenewalsPerClientHour = (after.idleCommands - before.idleCommands) / clientHours;

    // 3. One new mail for everyone.
    const raw = buildMimeMessage({
      from: 'Ratsbüro <ratsbuero@stadt.example>',
      to: 'alle@stadt.example',
      subject: 'Einladung zur Sitzung des Hauptausschusses',
      date: new Date(),
      messageId: `${randomUUID()}@stadt.example`,
      text: 'Sehr geehrte Damen und Herren,\n\nanbei die Tagesordnung.\n'.repeat(30),
    });
    const messageBytes = Buffer.byteLength(raw);
    const beforeMail = await fleet.stats();
    for (const u of users) server.seed(u.user, [{ subject: '', raw }]);
    await waitFor(
      'the new mail in every client',
      async () => (await f.stats()).gotNewMail === CLIENTS,
      10 * 60_000,
      250,
    );
    const afterMail = await fleet.stats();
    const newMailBytesPerClient = Math.round((afterMail.bytesRead - beforeMail.bytesRead) / CLIENTS);

    // 4. Restart storms: the app's policy, then the baseline without jitter.
    const withJitter = await restartStorm(server, fleet, CLIENTS);
    fleet.jitter(false);
    const noJitter = await restartStorm(server, fleet, CLIENTS);

    return {
      bench: 'server-load',
      clients: CLIENTS,
      worker_processes: WORKERS,
      messages_per_mailbox: MESSAGES,
      time_compression: COMPRESSION,
      poll_ms_in_run: pollMs,
      idle_poll_ms_in_run: Math.round(APP_IDLE_POLL_MS / COMPRESSION),
      idle_window_real_s: IDLE_REAL_MS / 1000,
      initial_sync_all_s: initialSyncS,
      idle_commands_per_client_hour: Math.round(idleCommandsPerClientHour * 100) / 100,
      idle_renewals_per_client_hour: Math.round(idleRenewalsPerClientHour * 100) / 100,
      idle_commands_by_verb: idleVerbs,
      idle_logins: idleLogins,
      new_mail_message_bytes: messageBytes,
      new_mail_bytes_per_client: newMailBytesPerClient,
      new_mail_overhead_bytes: newMailBytesPerClient - messageBytes,
      restart_peak_logins_per_s: withJitter.peak,
      restart_logins: withJitter.logins,
      restart_seconds_with_logins: withJitter.secondsWithLogins,
      restart_all_back_s: withJitter.allBackS,
      restart_peak_no_jitter: noJitter.peak,
      restart_all_back_no_jitter_s: noJitter.allBackS,
      ratio_peak_vs_no_jitter: noJitter.peak ? Math.round((withJitter.peak / noJitter.peak) * 100) / 100 : null,
      targets: {
        idle_commands_per_client_hour: 2,
        restart_peak_logins_per_s: 10,
        restart_all_back_s: 300,
        new_mail_bytes_per_client: messageBytes + 4096,
      },
    };
  } finally {
    await fleet?.stop();
    await stopAndRemove(server);
    const keychain = new KeychainService(keychainService);
    await Promise.all(users.map((_, i) => keychain.delete(`vault-key-${i}`).catch(() => false)));
    rmSync(dir, { recursive: true, force: true });
    await keyring.stop();
  }
}

if (process.env.RATSDESK_BENCH_SERVER_LOAD_WORKER && process.send) void worker();
