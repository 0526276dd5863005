import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mailReader } from '../../electron/contract/mail-reader';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { MailAccountSession } from '../../electron/services/mail/mail-account-session';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { vaultMigrations } from '../../electron/services/vault/vault-schema';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { until } from '../support/wait-until';

// Issue #10 item 10 through the reader service, as the renderer calls it: a mail names an image on the
// laptop itself (a real TLS listener on loopback whose certificate the app trusts, as an intranet server's
// would be); after the person allowed remote content for that message, the app still must not connect there.
// Written against the session's public calls only, so it runs unchanged on the code before the fix (where the
// listener was reached and the image came back).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('remote images after consent never reach the laptop or its network (real Dovecot, real listener)', () => {
  const anna = { user: 'anna', pass: 'geheim-123' };
  let dovecot: DovecotServer;
  let internal: Server;
  const hits: string[] = [];
  let imageUrl = '';
  let dir: string;
  let vault: Vault;
  let session: MailAccountSession;
  const keychain = new KeychainService(`ratsdesk-test-${randomUUID()}`);

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [anna] });
    internal = createServer(
      { cert: readFileSync(dovecot.cert.certFile), key: readFileSync(dovecot.cert.keyFile) },
      (req, res) => {
        hits.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
      },
    );
    const port = await new Promise<number>((ok) =>
      internal.listen(0, '127.0.0.1', () => ok((internal.address() as AddressInfo).port)),
    );
    imageUrl = `https://127.0.0.1:${port}/router/status.png`;
    dovecot.seed(anna.user, [
      {
        subject: '',
        raw: [
          'From: Ratsbuero <ratsbuero@stadt.example>',
          'To: anna@stadt.example',
          'Subject: Bild aus dem Netz',
          'Date: Mon, 02 Feb 2026 09:00:00 +0100',
          'Message-ID: <bild-1@stadt.example>',
          'MIME-Version: 1.0',
          'Content-Type: text/html; charset=utf-8',
          '',
          `<p>Stand der Dinge:</p><img src="${imageUrl}" alt="Status" width="200" height="80">`,
          '',
        ].join('\r\n'),
      },
    ]);
    dir = mkdtempSync(join(tmpdir(), 'ratsdesk-remote-consent-'));
    vault = await openVault({ file: join(dir, 'vault.db'), keychain, migrations: vaultMigrations });
    const documents = new DocumentCache(vault);
    session = new MailAccountSession({
      vault,
      settings: { host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls', username: anna.user },
      password: async () => anna.pass,
      trust: { extraCaPem: [dovecot.cert.caPem] },
      documents: async () => documents,
      events: {
        syncProgress: () => undefined,
        newMail: () => undefined,
        connectionState: () => undefined,
        outboxChanged: () => undefined,
      },
    });
    session.start();
    await until('initial sync', () => session.sync.queries.count('INBOX') === 1);
  }, 90_000);

  afterAll(async () => {
    await session?.dispose();
    vault?.close();
    await new Promise((ok) => internal?.close(ok));
    await stopAndRemove(dovecot);
    await keychain.delete('vault-key').catch(() => false);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('an image on a loopback address is not fetched although the person allowed remote content', async () => {
    const [item] = session.sync.listPage('INBOX').items;
    const read = await session.reader.read(item!.id);
    expect(read.html).toContain(imageUrl);
    expect(await session.reader.remoteImage(item!.id, imageUrl)).toBeNull();
    expect(hits).toEqual([]);
  });

  test('there is no "always for this sender": the From line any sender writes grants nothing', async () => {
    const [item] = session.sync.listPage('INBOX').items;
    expect(Object.keys(mailReader)).not.toContain('setSenderRemoteContent');
    expect(Object.keys(await session.reader.read(item!.id))).not.toContain('remoteAllowed');
  });
});
