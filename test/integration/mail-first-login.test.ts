import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { NewMail, OfflineProgress } from '../../electron/contract/mail-sync';
import type { OutboxItemInfo } from '../../electron/contract/compose';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { MailAccountSession } from '../../electron/services/mail/mail-account-session';
import { mailMigrations } from '../../electron/services/mail/mail-migrations';
import { MailSyncService } from '../../electron/services/mail/mail-sync-service';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { vaultMigrations } from '../../electron/services/vault/vault-schema';
import { startChaosProxy, type ChaosProxy } from '../servers/dovecot-chaos';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { startPostfix, stopAndRemovePostfix, type PostfixServer } from '../servers/postfix';
import { startShapedLink, type ShapedLink } from '../servers/shaped-link';
import type { MailSyncChildJob } from './helpers/mail-sync-child';
import { bundleForNode } from './helpers/node-child-bundle';
import { plainSendInput } from '../support/send-input';
import { until } from '../support/wait-until';
import { accountOf, germanMessage, otherDevice } from './mail-sync-fixture';

/** "3:5,9" → [3, 4, 5, 9] */
function uidsOf(set: string): number[] {
  return set.split(',').flatMap((part) => {
    const [a, b] = part.split(':').map(Number);
    return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
  });
}

/** A header FETCH: flags, structure and the shown header lines (BODY.PEEK[HEADER.FIELDS], not ENVELOPE: #19.3). */
const HEADER_FETCH = /UID FETCH (\S+) \(UID FLAGS BODYSTRUCTURE [^)]*BODY\.PEEK\[HEADER\.FIELDS /;
/** A body FETCH (imapflow adds MODSEQ with CONDSTORE): the download's chunks and a message opened now. */
const BODY_FETCH = /UID FETCH (\S+) \(UID BODY\.PEEK\[\](?: MODSEQ)?\)/;

interface Fetch {
  kind: 'headers' | 'bodies';
  folder: string;
  uids: number[];
}

/** The FETCHes of headers and bodies in the order sent, each with the folder its connection had selected. */
function fetchesOf(proxy: ChaosProxy, from = 0): Fetch[] {
  const selected = new Map<number, string>();
  const out: Fetch[] = [];
  for (const { connection, line } of proxy.commandsByConnection.slice(from)) {
    const box = /(?:EXAMINE|SELECT) "?([^" ]+)"?/.exec(line)?.[1];
    if (box) selected.set(connection, box);
    const headers = HEADER_FETCH.exec(line)?.[1];
    const bodies = BODY_FETCH.exec(line)?.[1];
    const folder = selected.get(connection) ?? '';
    if (headers) out.push({ kind: 'headers', folder, uids: uidsOf(headers) });
    if (bodies) out.push({ kind: 'bodies', folder, uids: uidsOf(bodies) });
  }
  return out;
}

/** Every "folder/uid" fetched of that kind, with repeats. */
function fetched(fetches: Fetch[], kind: Fetch['kind']): string[] {
  return fetches.filter((f) => f.kind === kind).flatMap((f) => f.uids.map((u) => `${f.folder}/${u}`));
}

function storedKeys(vault: Vault, withBody: boolean): Set<string> {
  const rows = vault.guard((db) =>
    db
      .prepare<[], { folder: string; uid: number }>(
        `SELECT folder, uid FROM mail_messages WHERE uid > 0 ${withBody ? 'AND has_body = 1' : ''}`,
      )
      .all(),
  );
  return new Set(rows.map((r) => `${r.folder}/${r.uid}`));
}

/** Messages on the server in the seeded folders (a test before may have filed a sent message). */
async function serverTotal(server: DovecotServer): Promise<number> {
  const other = await otherDevice(server);
  try {
    let n = 0;
    for (const folder of Object.keys(COUNTS)) {
      const status = await other.status(folder, { messages: true });
      n += (status && status.messages) || 0;
    }
    return n;
  } finally {
    await other.logout();
  }
}

const paragraph = 'Der Ausschuss für Stadtentwicklung berät über den Bebauungsplan und die Bürgerbeteiligung. ';
const COUNTS = { INBOX: 400, Sent: 60, Archive: 60 } as const;
const TOTAL = COUNTS.INBOX + COUNTS.Sent + COUNTS.Archive;

// Generous limits: under a loaded CI machine the 10 MB download and the slow line take their time.
describe('first login on a big mailbox (real Dovecot): newest first, headers first, chunked, resumable', () => {
  const anna = { user: 'anna', pass: 'geheim-123' };
  const bert = { user: 'bert', pass: 'auch-geheim-456' };
  let server: DovecotServer;
  let postfix: PostfixServer;
  let proxy: ChaosProxy;
  let dir: string;

  beforeAll(async () => {
    server = await startDovecot({ withLmtpAndAuth: true, users: [anna, bert] });
    postfix = await startPostfix({ dovecot: server });
    for (const [folder, n] of Object.entries(COUNTS)) {
      // ~20 KB each: 10 MB in all, enough for a download a send can overtake on a shaped link.
      server.seed(
        'anna',
        Array.from({ length: n }, (_, i) =>
          germanMessage(i, `${folder} ${i}`, `${folder} Nummer ${i}. ${paragraph.repeat(200 + (i % 20))}`),
        ),
        folder,
      );
    }
    proxy = await startChaosProxy(server.imapsPort, server.cert);
    dir = mkdtempSync(join(tmpdir(), 'ratsdesk-first-login-'));
  }, 120_000);

  afterAll(async () => {
    await proxy?.stop();
    await stopAndRemovePostfix(postfix);
    await stopAndRemove(server);
    rmSync(dir, { recursive: true, force: true });
  });

  test('inbox first, newest page first, every header before any body, bodies newest first, nothing twice', async () => {
    const keychain = new KeychainService(`ratsdesk-test-${randomUUID()}`);
    const vault = await openVault({ file: join(dir, 'order.db'), keychain, migrations: mailMigrations });
    const acc = accountOf(server, proxy.port);
    const service = new MailSyncService({
      vault,
      settings: acc.settings,
      trust: acc.trust,
      password: async () => acc.password,
      idle: false,
      backfill: { firstHeaderChunk: 50, headerChunk: 150, bodyChunk: 60 },
    });
    const progress: OfflineProgress[] = [];
    service.on('offlineProgress', (p) => progress.push(p));
    const from = proxy.commandsByConnection.length;
    try {
      service.start();
      await until(
        'every body offline',
        () => service.offlineStatus().reduce((n, f) => n + f.offline, 0) === TOTAL,
        120_000,
      );
      await service.backfillSettled();
      const fetches = fetchesOf(proxy, from);

      // The inbox's newest page comes first, on its own, and is listable at once; the progress is honest.
      const maxInbox = Math.max(...service.syncRepository.uids('INBOX'));
      expect(fetches[0]).toEqual({
        kind: 'headers',
        folder: 'INBOX',
        uids: Array.from({ length: 50 }, (_, i) => maxInbox - 49 + i),
      });
      expect(progress[0]).toEqual({
        folder: 'INBOX',
        listed: 50,
        total: COUNTS.INBOX,
        offline: 0,
        wanted: COUNTS.INBOX,
        headersDone: false,
      });

      // Headers of every folder (inbox, Sent, then the rest) before any body.
      const firstBody = fetches.findIndex((f) => f.kind === 'bodies');
      const headerFolders = fetches.slice(0, firstBody).map((f) => f.folder);
      expect(fetches.slice(firstBody).every((f) => f.kind === 'bodies')).toBe(true);
      expect([...new Set(headerFolders)]).toEqual(['INBOX', 'Sent', 'Archive']);
      // Bodies in the same folder order, each folder newest first, each FETCH bounded.
      const bodyFetches = fetches.slice(firstBody);
      expect([...new Set(bodyFetches.map((f) => f.folder))]).toEqual(['INBOX', 'Sent', 'Archive']);
      for (const [i, f] of bodyFetches.entries()) {
        expect(f.uids.length).toBeLessThanOrEqual(60);
        const before = bodyFetches[i - 1];
        if (before?.folder === f.folder) expect(Math.max(...f.uids)).toBeLessThan(Math.min(...before.uids));
      }

      // Nothing fetched twice, nothing missing.
      const headers = fetched(fetches, 'headers');
      const bodies = fetched(fetches, 'bodies');
      expect(headers).toHaveLength(TOTAL);
      expect(new Set(headers).size).toBe(TOTAL);
      expect(bodies).toHaveLength(TOTAL);
      expect(new Set(bodies)).toEqual(storedKeys(vault, true));

      // The progress only grows, and ends complete for every folder.
      const inboxOffline = progress.filter((p) => p.folder === 'INBOX').map((p) => p.offline);
      expect(inboxOffline).toEqual([...inboxOffline].sort((a, b) => a - b));
      for (const [folder, n] of Object.entries(COUNTS)) {
        expect(service.offlineStatus().find((f) => f.folder === folder)).toEqual({
          folder,
          listed: n,
          total: n,
          offline: n,
          wanted: n,
          headersDone: true,
        });
      }
      expect(service.searchMessages({ query: 'Bebauungsplan', folder: 'INBOX', limit: 500 })).toHaveLength(
        COUNTS.INBOX,
      );

      // A second sync fetches nothing more.
      const again = proxy.commandsByConnection.length;
      await service.syncNow();
      await service.backfillSettled();
      expect(fetchesOf(proxy, again)).toEqual([]);
    } finally {
      await service.dispose();
      vault.close();
      await keychain.delete('vault-key').catch(() => false);
    }
  }, 180_000);

  test('over a slow line: a send, a message opened now and new mail go between two chunks while the download goes on', async () => {
    // 16 Mbit/s: the 10 MB download takes about five seconds, one chunk of 20 messages (~400 KB) a fifth.
    const link: ShapedLink = startShapedLink({ bitsPerSecond: 16e6, rttMs: 20 });
    const keychain = new KeychainService(`ratsdesk-test-${randomUUID()}`);
    const vault = await openVault({ file: join(dir, 'interleave.db'), keychain, migrations: vaultMigrations });
    const documents = new DocumentCache(vault);
    const outbox: OutboxItemInfo[][] = [];
    const newMail: NewMail[] = [];
    const offlineAtNewMail: number[] = [];
    const from = proxy.commandsByConnection.length;
    const session = new MailAccountSession({
      vault,
      settings: {
        host: '127.0.0.1',
        port: await link.forward(proxy.port),
        security: 'tls',
        username: anna.user,
        email: postfix.addressOf('anna'),
        smtp: { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls' },
      },
      password: async () => anna.pass,
      trust: { extraCaPem: [server.cert.caPem] },
      documents: async () => documents,
      events: {
        syncProgress: () => undefined,
        newMail: (n) => {
          newMail.push(n);
          offlineAtNewMail.push(offline());
        },
        connectionState: () => undefined,
        outboxChanged: (items) => outbox.push(items),
      },
      sync: { backfill: { firstHeaderChunk: 50, headerChunk: 200, bodyChunk: 20 } },
    });
    const offline = () => session.sync.offlineStatus().reduce((n, f) => n + f.offline, 0);
    try {
      session.start();
      await until('the download has begun on bodies', () => offline() > 0);

      // New mail during the download is reported at once (IDLE stays served), not after it. Appended first
      // of all, while most of the download is still ahead: a busy machine takes long over the steps below.
      const other = await otherDevice(server);
      await other.append(
        'INBOX',
        'Subject: Eilt: Sitzung verlegt\r\nFrom: buero@stadt.example\r\n\r\nHeute 18 Uhr.\r\n',
      );
      await other.logout();
      await until('the new-mail event', () =>
        newMail.some((n) => n.items.some((i) => i.subject === 'Eilt: Sitzung verlegt')),
      );
      // Counted when the event came (a loaded machine may poll late): the download was still going.
      expect(offlineAtNewMail.at(-1)).toBeLessThan(TOTAL);

      // The inbox's first message (lowest UID), whose body the download would fetch last: opened now.
      const first = vault.guard((db) =>
        db
          .prepare<[], { id: number; uid: number }>(
            "SELECT id, uid FROM mail_messages WHERE folder = 'INBOX' ORDER BY uid LIMIT 1",
          )
          .get(),
      )!;
      expect(session.sync.queries.getMessage(first.id).hasBody).toBe(false);
      const read = await session.reader.read(first.id);
      expect(read.hasBody).toBe(true);
      expect(read.text).toContain('INBOX Nummer');
      expect(session.sync.queries.getMessage(first.id).hasBody).toBe(true); // stored: never fetched again

      const sentCount = session.sync.queries.count('Sent');
      await session.compose.send(
        plainSendInput(
          postfix.addressOf('bert'),
          'Senden während des ersten Abgleichs',
          'Diese Nachricht wartet nicht auf den Abgleich.',
        ),
      );
      await until('submitted', () => outbox.at(-1)?.some((i) => i.state === 'sent'));
      const offlineWhenSent = offline();
      expect(offlineWhenSent).toBeLessThan(TOTAL - 100); // the download was far from done and went on
      await until('filed in Sent', () => session.sync.queries.count('Sent') > sentCount);

      await until('every body offline', () => offline() >= TOTAL + 2, 120_000);
      await session.sync.backfillSettled();
      const fetches = fetchesOf(proxy, from);
      const bodies = fetched(fetches, 'bodies');
      // The opened message was fetched once, before the download reached the oldest messages.
      expect(bodies.filter((k) => k === `INBOX/${first.uid}`)).toHaveLength(1);
      expect(bodies.indexOf(`INBOX/${first.uid}`)).toBeLessThan(bodies.indexOf(`INBOX/${first.uid + 1}`));
      expect(new Set(bodies).size).toBe(bodies.length);
      // One connection for sync and sends' filing, one for IDLE: never a second one fetching.
      const fetchingConnections = new Set(
        proxy.commandsByConnection
          .slice(from)
          .filter(({ line }) => /UID FETCH/.test(line))
          .map((c) => c.connection),
      );
      expect(fetchingConnections.size).toBe(1);
    } finally {
      await session.dispose();
      vault.close();
      await link.stop();
      // The seeded mailbox as it was, for the other tests.
      const other = await otherDevice(server);
      await other.mailboxOpen('Sent');
      await other.messageDelete({ subject: 'Senden während des ersten Abgleichs' });
      await other.mailboxOpen('INBOX');
      await other.messageDelete({ subject: 'Eilt: Sitzung verlegt' });
      await other.logout();
      await keychain.delete('vault-key').catch(() => false);
    }
  }, 180_000);

  test('killed mid-download (SIGKILL): the next start resumes there and fetches nothing stored again', async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const child = await bundleForNode(join(here, 'helpers', 'mail-sync-child.ts'), 'mail-sync-child');
    const keychainService = `ratsdesk-test-${randomUUID()}`;
    const file = join(dir, 'kill.db');
    const acc = accountOf(server, proxy.port);
    const job: MailSyncChildJob = { ...acc, backfill: { firstHeaderChunk: 50, headerChunk: 150, bodyChunk: 40 } };
    // The vault is created here so its key is in the keychain the child reads.
    (await openVault({ file, keychain: new KeychainService(keychainService), migrations: mailMigrations })).close();
    const total = await serverTotal(server);
    let vault: Vault | undefined;
    let service: MailSyncService | undefined;
    try {
      const from = proxy.commandsByConnection.length;
      const proc: ChildProcess = spawn(process.execPath, [child.script, file, keychainService, JSON.stringify(job)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      await new Promise<void>((resolve, reject) => {
        let out = '';
        proc.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          const last = /offline (\d+)\n$/.exec(out)?.[1];
          // Killed in the middle of the bodies: after 200 of about 520 are stored, while the next chunk is on its way.
          if (last && Number(last) >= 200 && proc.exitCode === null) proc.kill('SIGKILL');
        });
        proc.once('exit', (_code, signal) =>
          signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended without a kill: ${stderr}`)),
        );
      });
      const firstRun = fetchesOf(proxy, from);

      vault = await openVault({ file, keychain: new KeychainService(keychainService), migrations: mailMigrations });
      const headersBefore = storedKeys(vault, false);
      const bodiesBefore = storedKeys(vault, true);
      expect(headersBefore.size).toBe(total);
      expect(bodiesBefore.size).toBeGreaterThanOrEqual(200);
      expect(bodiesBefore.size).toBeLessThan(total);

      const second = proxy.commandsByConnection.length;
      service = new MailSyncService({
        vault,
        settings: acc.settings,
        trust: acc.trust,
        password: async () => acc.password,
        idle: false,
        backfill: job.backfill,
      });
      service.start();
      await until(
        'every body offline',
        () => service!.offlineStatus().reduce((n, f) => n + f.offline, 0) === total,
        120_000,
      );
      await service.backfillSettled();
      const secondRun = fetchesOf(proxy, second);

      // Resumed: no header again, no stored body again; only the chunk the kill cut short comes twice.
      expect(fetched(secondRun, 'headers')).toEqual([]);
      const again = fetched(secondRun, 'bodies');
      expect(again.filter((k) => bodiesBefore.has(k))).toEqual([]);
      expect(new Set(again).size).toBe(again.length);
      expect(again.length).toBe(total - bodiesBefore.size);
      const twice = fetched(firstRun, 'bodies').filter((k) => again.includes(k));
      expect(twice.length).toBeLessThanOrEqual(40);
      expect(storedKeys(vault, true).size).toBe(total);
    } finally {
      await service?.dispose();
      vault?.close();
      child.cleanup();
      await new KeychainService(keychainService).delete('vault-key').catch(() => false);
    }
  }, 180_000);
});
