import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { leakCheck, type LeakCheck } from '../support/leak-check';
import type { AccountSettings } from '../../electron/contract/account';
import type { OutboxItemInfo } from '../../electron/contract/compose';
import { vaultMigrations } from '../../electron/services/vault/vault-schema';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { rememberedAddressFields } from '../../electron/services/mail/message-headers';
import { MailAccountSession } from '../../electron/services/mail/mail-account-session';
import { noRecipientRules, type RecipientRules } from '../../electron/services/mail/recipient-policy';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { type ChaosProxy, startChaosProxy } from '../servers/dovecot-chaos';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { startPostfix, stopAndRemovePostfix, type PostfixServer } from '../servers/postfix';
import { otherDevice } from './mail-sync-fixture';
import { buildMimeMessage } from '../support/mime-message';
import { until } from '../support/wait-until';

/** A small but real PDF-like file; the bytes are random so a wrong part or a truncation shows. */
const pdfBytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(48 * 1024), Buffer.from('\n%%EOF\n')]);

function messageWithAttachment(): string {
  return buildMimeMessage({
    from: 'Ratsbüro <buero@stadt.example>',
    to: 'anna@stadt.example',
    subject: 'Vorlage zur Sitzung',
    date: new Date('2026-02-02T09:00:00+01:00'),
    messageId: 'vorlage-1@stadt.example',
    text: 'Die Vorlage liegt bei.',
    attachments: [{ filename: 'Vorlage 2026-014.pdf', contentType: 'application/pdf', content: pdfBytes }],
  });
}

describe('MailAccountSession: attachments into the document cache, one connection per account (real Dovecot + Postfix)', () => {
  const anna = { user: 'anna', pass: 'geheim-123' };
  const bert = { user: 'bert', pass: 'auch-geheim-456' };
  let dovecot: DovecotServer;
  let postfix: PostfixServer;
  let proxy: ChaosProxy;
  let dir: string;
  let vault: Vault;
  let session: MailAccountSession;
  let peakConnections = 0;
  let sampler: NodeJS.Timeout;
  const keychain = new KeychainService(`ratsdesk-test-${randomUUID()}`);
  const outbox: OutboxItemInfo[][] = [];
  let rules: RecipientRules = noRecipientRules;
  let leaks: LeakCheck;

  beforeAll(async () => {
    dovecot = await startDovecot({ withLmtpAndAuth: true, users: [anna, bert] });
    postfix = await startPostfix({ dovecot });
    const other = await otherDevice(dovecot);
    await other.append('INBOX', messageWithAttachment());
    await other.logout();

    // Every IMAP connection of the session goes through this proxy, which counts them.
    proxy = await startChaosProxy(dovecot.imapsPort, dovecot.cert);
    sampler = setInterval(() => (peakConnections = Math.max(peakConnections, proxy.connections())), 5);

    leaks = await leakCheck();
    dir = mkdtempSync(join(tmpdir(), 'ratsdesk-session-'));
    vault = await openVault({ file: join(dir, 'vault.db'), keychain, migrations: vaultMigrations });
    const documents = new DocumentCache(vault);
    const settings: AccountSettings = {
      host: '127.0.0.1',
      port: proxy.port,
      security: 'tls',
      username: anna.user,
      email: postfix.addressOf('anna'),
      smtp: { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls' },
    };
    session = new MailAccountSession({
      vault,
      settings,
      password: async () => anna.pass,
      trust: { extraCaPem: [dovecot.cert.caPem] },
      documents: async () => documents,
      recipientRules: async () => rules,
      events: {
        syncProgress: () => undefined,
        newMail: () => undefined,
        connectionState: () => undefined,
        outboxChanged: (items) => outbox.push(items),
      },
    });
    session.start();
    await until('initial sync', () => session.sync.queries.count('INBOX') === 1);
  }, 60_000);

  afterAll(async () => {
    clearInterval(sampler);
    await session?.dispose();
    vault?.close();
    // Sync, IDLE and SMTP connections, the outbox and draft timers: nothing of the session is left.
    await leaks?.assertNoneLeft();
    await proxy?.stop();
    await stopAndRemovePostfix(postfix);
    await stopAndRemove(dovecot);
    await keychain.delete('vault-key').catch(() => false);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('an attachment goes into the encrypted document cache once, with its bytes intact', async () => {
    const [item] = session.sync.listPage('INBOX').items;
    const read = await session.reader.read(item!.id);
    const att = read.attachments.find((a) => a.mimeType === 'application/pdf');
    expect(att?.filename).toBe('Vorlage 2026-014.pdf');

    const documents = new DocumentCache(vault);
    const id = await session.reader.openAttachment(item!.id, att!.partId);
    const doc = documents.open(id);
    expect(doc.meta).toMatchObject({ name: 'Vorlage 2026-014.pdf', mimeType: 'application/pdf' });
    expect(doc.meta.source.kind).toBe('message');
    expect(Buffer.from(doc.bytes).equals(pdfBytes)).toBe(true);

    // Opening again finds the cached copy: no second document.
    expect(await session.reader.openAttachment(item!.id, att!.partId)).toBe(id);
    expect(documents.list().filter((d) => d.name === 'Vorlage 2026-014.pdf')).toHaveLength(1);

    // A part the message does not have is a clear error, and nothing is stored.
    await expect(session.reader.openAttachment(item!.id, '9.9')).rejects.toMatchObject({ code: 'MAIL_PART_NOT_FOUND' });
    expect(documents.list()).toHaveLength(1);
  });

  test('drafts and the outbox use the sync connection: never more than one connection plus IDLE', async () => {
    await until('IDLE on INBOX', () => session.sync.idleFolder === 'INBOX');
    const loginsBefore = proxy.commands.filter((c) => /^\S+ (LOGIN|AUTHENTICATE)\b/i.test(c)).length;
    expect(loginsBefore).toBe(2); // the sync connection and the IDLE connection

    const draft = await session.compose.saveDraft({
      to: [{ name: '', address: postfix.addressOf('anna') }],
      cc: [],
      bcc: [],
      subject: 'Entwurf zur Haushaltsrede',
      text: 'Erster Absatz',
      html: null,
      inReplyTo: null,
      references: [],
      attachments: [],
      forwarded: false,
    });
    await until('draft on the server', async () =>
      session.sync.withClient(async (c) => {
        const lock = await c.getMailboxLock('Drafts', { readOnly: true });
        try {
          return ((await c.search({ subject: 'Haushaltsrede' }, { uid: true })) || []).length === 1;
        } finally {
          lock.release();
        }
      }),
    );

    await session.compose.send({
      ...session.compose.openDraft(draft.id),
      subject: 'Antwort an das Ratsbüro',
      id: draft.id,
      confirmOutsideRecipients: false,
    });
    await until('sent with its Sent copy', () =>
      outbox.at(-1)?.some((i) => i.subject === 'Antwort an das Ratsbüro' && i.state === 'sent'),
    );
    await until('the mail arrives in the inbox', () =>
      session.sync.listPage('INBOX').items.some((m) => m.subject === 'Antwort an das Ratsbüro'),
    );

    const logins = proxy.commands.filter((c) => /^\S+ (LOGIN|AUTHENTICATE)\b/i.test(c)).length;
    expect(logins).toBe(2);
    expect(peakConnections).toBeLessThanOrEqual(2);
  });

  test('the send path applies the recipient rules of the policy: nothing blocked reaches the outbox', async () => {
    const before = session.compose.listOutbox().length;
    const outside = {
      to: [{ name: '', address: 'ich@privat.example' }],
      cc: [],
      bcc: [],
      subject: 'Unterlagen nach Hause',
      text: 'Zum Lesen am Wochenende',
      html: null,
      inReplyTo: null,
      references: [],
      attachments: [],
      forwarded: false,
    };
    rules = { allowedDomains: ['stadt.example'], outsideAction: 'warn', forwardingOutsideAllowed: false };
    expect(await session.compose.checkRecipients(outside)).toEqual({
      verdict: 'confirm',
      outside: ['ich@privat.example'],
      reason: null,
    });
    await expect(session.compose.send({ ...outside, confirmOutsideRecipients: false })).rejects.toMatchObject({
      code: 'RECIPIENT_OUTSIDE_CONFIRM',
    });
    // A forward of a received message to outside: refused even when confirmed.
    const [received] = session.sync.listPage('INBOX').items.filter((m) => m.subject === 'Vorlage zur Sitzung');
    const forward = await session.compose.startReply('INBOX', received!.uid, 'forward');
    expect(forward.forwarded).toBe(true);
    await expect(
      session.compose.send({ ...forward, to: outside.to, confirmOutsideRecipients: true }),
    ).rejects.toMatchObject({
      code: 'FORWARD_OUTSIDE_BLOCKED',
    });
    rules = { ...rules, outsideAction: 'block' };
    await expect(session.compose.send({ ...outside, confirmOutsideRecipients: true })).rejects.toMatchObject({
      code: 'RECIPIENT_OUTSIDE_BLOCKED',
    });
    expect(session.compose.listOutbox()).toHaveLength(before);

    // Confirmed under "warn", the same message is accepted into the outbox.
    rules = { ...rules, outsideAction: 'warn' };
    const queued = await session.compose.send({ ...outside, confirmOutsideRecipients: true });
    expect(queued.to).toEqual(['ich@privat.example']);
    expect(session.compose.listOutbox()).toHaveLength(before + 1);
    session.compose.cancelOutboxItem(queued.id);
    rules = noRecipientRules;
  });

  test('the offline period of the policy: older bodies leave the vault, stay on the server, are read online for the moment only', async () => {
    const bertDevice = new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.imapsPort,
      secure: true,
      auth: bert,
      tls: { ca: [dovecot.cert.caPem] },
      logger: false,
    });
    await bertDevice.connect();
    const now = new Date();
    const old = new Date(now.getTime() - 400 * 86_400_000);
    await bertDevice.append(
      'INBOX',
      `Subject: Alter Bericht\r\nFrom: a@stadt.example\r\nDate: ${old.toUTCString()}\r\n\r\nJahresbericht Altlasten\r\n`,
      [],
      old,
    );
    await bertDevice.append(
      'INBOX',
      `Subject: Neue Vorlage\r\nFrom: a@stadt.example\r\nDate: ${now.toUTCString()}\r\n\r\nAktuelle Vorlage Radweg\r\n`,
      [],
      now,
    );
    await bertDevice.logout();

    const bertDir = mkdtempSync(join(tmpdir(), 'ratsdesk-session-bert-'));
    const bertKeychain = new KeychainService(`ratsdesk-test-${randomUUID()}`);
    const bertVault = await openVault({
      file: join(bertDir, 'vault.db'),
      keychain: bertKeychain,
      migrations: vaultMigrations,
    });
    const sessionFor = (bodyDays: number | null) =>
      new MailAccountSession({
        vault: bertVault,
        settings: { host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls', username: bert.user },
        password: async () => bert.pass,
        trust: { extraCaPem: [dovecot.cert.caPem] },
        documents: async () => new DocumentCache(bertVault),
        sync: { bodyDays },
        events: {
          syncProgress: () => undefined,
          newMail: () => undefined,
          connectionState: () => undefined,
          outboxChanged: () => undefined,
        },
      });
    // Before IT set a period: every body was stored.
    const before = sessionFor(null);
    before.start();
    await until('first sync', () => before.sync.queries.count('INBOX') === 2);
    await before.sync.settled();
    expect(before.sync.searchMessages({ query: 'Altlasten' })).toHaveLength(1);
    // The sync remembered the address fields it parsed (plaintext out of the mail): they go with the session.
    expect(rememberedAddressFields()).toBeGreaterThan(0);
    await before.dispose();
    expect(rememberedAddressFields()).toBe(0);

    // Now the policy keeps 30 days: at the next start the old body leaves the vault, its headers stay.
    const bertSession = sessionFor(30);
    try {
      bertSession.start();
      await until('online', () => bertSession.sync.connectionState.state === 'online');
      await bertSession.sync.settled();
      const bySubject = new Map(bertSession.sync.listPage('INBOX').items.map((m) => [m.subject, m.id]));
      const oldId = bySubject.get('Alter Bericht')!;
      const newId = bySubject.get('Neue Vorlage')!;
      expect(bertSession.sync.getMessage(newId).hasBody).toBe(true);
      expect(bertSession.sync.getMessage(oldId).hasBody).toBe(false);
      expect(bertSession.sync.queries.getSource(oldId)).toBeNull();
      // The body of the recent one is searchable offline; the old one only by its headers.
      expect(bertSession.sync.searchMessages({ query: 'Radweg' })).toHaveLength(1);
      expect(bertSession.sync.searchMessages({ query: 'Altlasten' })).toHaveLength(0);
      expect(bertSession.sync.searchMessages({ query: 'Alter Bericht' })).toHaveLength(1);
      expect(bertSession.sync.listPage('INBOX').items.find((m) => m.id === oldId)?.preview).toBe('');

      // Online, opening the old one shows its body, fetched for this reading and not stored.
      const read = await bertSession.reader.read(oldId);
      expect(read.hasBody).toBe(true);
      expect(read.text).toContain('Jahresbericht Altlasten');
      expect(bertSession.sync.queries.getSource(oldId)).toBeNull();
    } finally {
      await bertSession.dispose();
      bertVault.close();
      await bertKeychain.delete('vault-key').catch(() => false);
      rmSync(bertDir, { recursive: true, force: true });
    }
  });
});
