import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';
import type { AccountSettings } from '../electron/contract/account';
import type { OutboxItemInfo } from '../electron/contract/compose';
import { DocumentCache } from '../electron/services/documents/document-cache';
import { KeychainService } from '../electron/services/keychain/keychain-service';
import { HEADER_QUERY } from '../electron/services/mail/imap-sync';
import { MailAccountSession } from '../electron/services/mail/mail-account-session';
import { openVault } from '../electron/services/vault/vault';
import { vaultMigrations } from '../electron/services/vault/vault-schema';
import { startDovecot, stopAndRemove, type DovecotServer } from '../test/servers/dovecot';
import { startKeyring } from '../test/servers/keyring';
import { startPostfix, stopAndRemovePostfix, type PostfixServer } from '../test/servers/postfix';
import { startShapedLink, type ShapedLink } from '../test/servers/shaped-link';
import { plainSendInput } from '../test/support/send-input';
import { corpus } from './fixtures/mail-corpus';

/**
 * First login on a big mailbox over a home line (issue #20): 50,000 messages (~750 MB) in four folders behind a
 * shaped link on loopback (50 Mbit/s, 30 ms round trip), a fresh vault. The floors go through the same link:
 * every folder's headers in one raw FETCH each, and every source in one raw FETCH each.
 */

const SCALE = Number(process.env.RATSDESK_BENCH_SCALE ?? '1');
const TOTAL = Math.round(50_000 * SCALE);
const LINK = { bitsPerSecond: 50e6, rttMs: 30 };
/** Share of the messages per folder (a staff mailbox: mostly inbox, a tenth sent, an archive). */
const FOLDERS: readonly [string, number][] = [
  ['INBOX', 0.7],
  ['Sent', 0.16],
  ['Drafts', 0.004],
  ['Archive', 0.136],
];
const SEND_AFTER_MS = 10_000;
const FIRST_PAGE = 50;

function stage(name: string): void {
  if (process.env.RATSDESK_BENCH_VERBOSE) process.stderr.write(`${new Date().toISOString()} ${name}\n`);
}

const seconds = (ms: number) => Math.round(ms) / 1000;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

interface Endpoint {
  settings: AccountSettings;
  caPem: string;
  password: string;
}

/** Child modes: the raw floors and Ratsdesk each run in a process of their own, beside the line. */
type ChildJob =
  | { mode: 'raw'; what: 'headers' | 'sources'; endpoint: Endpoint; folders: string[] }
  | {
      mode: 'ratsdesk';
      endpoint: Endpoint;
      counts: Record<string, number>;
      /** The 50th highest UID of the inbox: the newest page is stored when every UID from it on is. */
      firstPageFrom: number;
      vaultFile: string;
      keychainService: string;
      sendTo: string;
    };

interface RawFigures {
  ms: number;
  bytes: number;
  count: number;
}

interface RatsdeskFigures {
  startedAt: number;
  firstPageMs: number;
  allHeadersMs: number;
  allBodiesMs: number;
  sendCalledAt: number;
  sentAt: number;
  /** Bodies stored when the send was filed in Sent: the backfill was still running then when below the total. */
  bodiesWhenSent: number;
  stored: number;
}

function client(endpoint: Endpoint): ImapFlow {
  const c = new ImapFlow({
    host: endpoint.settings.host,
    port: endpoint.settings.port,
    secure: true,
    auth: { user: endpoint.settings.username, pass: endpoint.password },
    tls: { ca: [endpoint.caPem] },
    logger: false,
  });
  c.on('error', () => undefined);
  return c;
}

/** The floor: one connection, one FETCH per folder of the same items, nothing stored. */
async function rawFetch(job: Extract<ChildJob, { mode: 'raw' }>): Promise<RawFigures> {
  const t0 = performance.now();
  const c = client(job.endpoint);
  await c.connect();
  let bytes = 0;
  let count = 0;
  const query = job.what === 'headers' ? HEADER_QUERY : { uid: true, source: true };
  for (const folder of job.folders) {
    const lock = await c.getMailboxLock(folder, { readOnly: true });
    try {
      for await (const m of c.fetch('1:*', query, { uid: true })) {
        bytes += m.source?.length ?? 0;
        count++;
      }
    } finally {
      lock.release();
    }
  }
  await c.logout();
  return { ms: performance.now() - t0, bytes, count };
}

async function ratsdesk(job: Extract<ChildJob, { mode: 'ratsdesk' }>): Promise<RatsdeskFigures> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const keychain = new KeychainService(job.keychainService);
  const vault = await openVault({ file: job.vaultFile, keychain, migrations: vaultMigrations });
  const documents = new DocumentCache(vault);
  let sentAt = 0;
  let bodiesWhenSent = -1;
  const session: MailAccountSession = new MailAccountSession({
    vault,
    settings: job.endpoint.settings,
    password: async () => job.endpoint.password,
    trust: { extraCaPem: [job.endpoint.caPem] },
    documents: async () => documents,
    events: {
      syncProgress: () => undefined,
      newMail: () => undefined,
      connectionState: () => undefined,
      outboxChanged: (items: OutboxItemInfo[]) => {
        if (sentAt === 0 && items.some((i) => i.state === 'sent')) {
          sentAt = Date.now();
          bodiesWhenSent = offline();
        }
      },
    },
  });
  const total = Object.values(job.counts).reduce((a, b) => a + b, 0);
  const offline = () => session.sync.offlineStatus().reduce((n, f) => n + f.offline, 0);
  const listed = () => session.sync.offlineStatus().reduce((n, f) => n + f.listed, 0);
  const firstPage = () =>
    vault.guard(
      (db) =>
        db
          .pluck<[number], number>("SELECT count(*) FROM mail_messages WHERE folder = 'INBOX' AND uid >= ?")
          .get(job.firstPageFrom) ?? 0,
    ) >= FIRST_PAGE;
  session.start();
  let firstPageMs = 0;
  let allHeadersMs = 0;
  let sendCalledAt = 0;
  const sendTimer = setTimeout(() => {
    sendCalledAt = Date.now();
    void session.compose.send(
      plainSendInput(
        job.sendTo,
        'Senden während des ersten Abgleichs',
        'Diese Nachricht wartet nicht auf den Abgleich.',
      ),
    );
  }, SEND_AFTER_MS);
  for (;;) {
    await new Promise((r) => setTimeout(r, 25));
    if (!firstPageMs && firstPage()) firstPageMs = performance.now() - t0;
    if (!allHeadersMs && listed() >= total) allHeadersMs = performance.now() - t0;
    // The message sent meanwhile is filed in Sent: one more body to store.
    if (allHeadersMs && offline() >= total + 1 && sentAt) break;
  }
  const allBodiesMs = performance.now() - t0;
  clearTimeout(sendTimer);
  const stored = session.sync.queries.count();
  await session.dispose();
  vault.close();
  return {
    startedAt,
    firstPageMs,
    allHeadersMs,
    allBodiesMs,
    sendCalledAt,
    sentAt,
    bodiesWhenSent,
    stored,
  };
}

if (process.env.RATSDESK_BENCH_FIRST_LOGIN_CHILD && process.send) {
  process.once('message', (job: ChildJob) => {
    const work = job.mode === 'raw' ? rawFetch(job) : ratsdesk(job);
    work.then(
      (figures) => process.send?.(figures, () => process.exit(0)),
      (err: unknown) => {
        process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
        process.exit(1);
      },
    );
  });
}

function inChild<T>(job: ChildJob): Promise<T> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, RATSDESK_BENCH_FIRST_LOGIN_CHILD: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench child exited with ${code}`)));
    child.send(job);
  });
}

function seed(server: DovecotServer): { counts: Record<string, number>; bytes: number } {
  const counts: Record<string, number> = {};
  let bytes = 0;
  let offset = 0;
  for (const [folder, share] of FOLDERS) {
    const n = Math.max(1, Math.round(TOTAL * share));
    counts[folder] = n;
    let batch: { subject: string; raw: string }[] = [];
    for (const raw of corpus(n, { seed: 20 + offset })) {
      bytes += Buffer.byteLength(raw);
      batch.push({ subject: '', raw });
      if (batch.length >= 5_000) {
        server.seed('anna', batch, folder);
        batch = [];
      }
    }
    if (batch.length) server.seed('anna', batch, folder);
    offset += n;
  }
  return { counts, bytes };
}

/** Dovecot indexes and caches every folder once, so no contender pays for the first look at the Maildir. */
async function warm(server: DovecotServer, folders: string[]): Promise<number> {
  const c = client({
    settings: { host: '127.0.0.1', port: server.imapsPort, security: 'tls', username: 'anna' },
    caPem: server.cert.caPem,
    password: server.users[0]!.pass,
  });
  await c.connect();
  let firstPageFrom = 0;
  for (const folder of folders) {
    const lock = await c.getMailboxLock(folder, { readOnly: true });
    try {
      for await (const _m of c.fetch('1:*', { ...HEADER_QUERY, source: true }, { uid: true })) {
        // discard
      }
      if (folder === 'INBOX') {
        const uids = ((await c.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
        firstPageFrom = uids[Math.max(0, uids.length - FIRST_PAGE)] ?? 0;
      }
    } finally {
      lock.release();
    }
  }
  await c.logout();
  return firstPageFrom;
}

export async function run(): Promise<Record<string, unknown>> {
  const keyring = await startKeyring();
  Object.assign(process.env, keyring.env);
  const users = [
    { user: 'anna', pass: 'geheim-123' },
    { user: 'bert', pass: 'auch-geheim-456' },
  ];
  let server: DovecotServer | undefined;
  let postfix: PostfixServer | undefined;
  let link: ShapedLink | undefined;
  const vaultDir = mkdtempSync(join(tmpdir(), 'ratsdesk-bench-first-login-'));
  const keychainService = `ratsdesk-bench-${randomUUID()}`;
  try {
    server = await startDovecot({ withLmtpAndAuth: true, users });
    postfix = await startPostfix({ dovecot: server });
    stage('seed');
    const { counts, bytes } = seed(server);
    const folders = FOLDERS.map(([f]) => f);
    stage('warm');
    const firstPageFrom = await warm(server, folders);

    link = startShapedLink(LINK);
    const imapPort = await link.forward(server.imapsPort);
    const smtpPort = await link.forward(postfix.submissionPort);
    const endpoint: Endpoint = {
      settings: {
        host: '127.0.0.1',
        port: imapPort,
        security: 'tls',
        username: 'anna',
        email: postfix.addressOf('anna'),
        smtp: { host: '127.0.0.1', port: smtpPort, security: 'starttls' },
      },
      caPem: server.cert.caPem,
      password: users[0]!.pass,
    };
    stage('raw headers');
    const rawHeaders = await inChild<RawFigures>({ mode: 'raw', what: 'headers', endpoint, folders });
    stage('raw sources');
    const rawSources = await inChild<RawFigures>({ mode: 'raw', what: 'sources', endpoint, folders });
    stage('ratsdesk');
    const before = link.connections().length;
    const ours = await inChild<RatsdeskFigures>({
      mode: 'ratsdesk',
      endpoint,
      counts,
      firstPageFrom,
      vaultFile: join(vaultDir, 'vault.db'),
      keychainService,
      sendTo: postfix.addressOf('bert'),
    });
    const smtpOpened = link
      .connections()
      .slice(before)
      .find((c) => c.port === smtpPort && c.openedAt >= ours.sendCalledAt);
    const imapConnections = link
      .connections()
      .slice(before)
      .filter((c) => c.port === imapPort).length;
    return {
      bench: 'first-login',
      messages: TOTAL,
      corpus_mb: round(bytes / 1024 / 1024, 1),
      folders: counts,
      link_mbit_s: LINK.bitsPerSecond / 1e6,
      link_rtt_ms: LINK.rttMs,
      first_page_s: seconds(ours.firstPageMs),
      all_headers_s: seconds(ours.allHeadersMs),
      raw_headers_s: seconds(rawHeaders.ms),
      headers_ratio_raw: round(ours.allHeadersMs / rawHeaders.ms),
      all_bodies_s: seconds(ours.allBodiesMs),
      raw_sources_s: seconds(rawSources.ms),
      raw_sources_mb: round(rawSources.bytes / 1024 / 1024, 1),
      bodies_ratio_raw: round(ours.allBodiesMs / rawSources.ms),
      send_wait_during_backfill_s: smtpOpened ? seconds(smtpOpened.openedAt - ours.sendCalledAt) : null,
      send_filed_in_sent_s: ours.sentAt ? seconds(ours.sentAt - ours.sendCalledAt) : null,
      backfill_running_when_sent: ours.bodiesWhenSent >= 0 && ours.bodiesWhenSent < TOTAL,
      imap_connections: imapConnections,
      stored: ours.stored,
    };
  } finally {
    await link?.stop();
    await new KeychainService(keychainService).delete('vault-key').catch(() => false);
    rmSync(vaultDir, { recursive: true, force: true });
    await stopAndRemovePostfix(postfix);
    await stopAndRemove(server);
    await keyring.stop();
  }
}
