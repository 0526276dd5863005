import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { AccountSettings } from '../../electron/contract/account';
import type { DraftInput } from '../../electron/contract/compose';
import { ListPageSchema, StoredMessageSchema, SyncedFolderSchema } from '../../electron/contract/mail-sync';
import { ELLIPSIS, MAIL_TEXT_LIMITS } from '../../electron/contract/shown-text';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { MailAccountSession } from '../../electron/services/mail/mail-account-session';
import type { RecipientRules } from '../../electron/services/mail/recipient-policy';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { vaultMigrations } from '../../electron/services/vault/vault-schema';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { until } from '../support/wait-until';
import { startPostfix, stopAndRemovePostfix, type PostfixServer } from '../servers/postfix';
import { hugeSubjectMail, twoSubjectsMail } from '../support/reading-fidelity-mail';
import { otherDevice } from './mail-sync-fixture';

const MB = 1024 * 1024;
const councilPdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(4096), Buffer.from('\n%%EOF\n')]);
const mailPdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(4096), Buffer.from('\n%%EOF\n')]);

function withAttachment(): string {
  const b64 = mailPdf.toString('base64').replace(/.{76}/g, '$&\r\n').trim();
  return [
    'From: Ratsbüro <buero@stadt.example>',
    'To: anna@stadt.example',
    'Subject: Vertrauliche Vorlage',
    'Date: Mon, 02 Feb 2026 09:00:00 +0100',
    'Message-ID: <vertraulich-1@stadt.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Bitte nicht weitergeben.',
    '--b1',
    'Content-Type: application/pdf; name="Vorlage vertraulich.pdf"',
    'Content-Disposition: attachment; filename="Vorlage vertraulich.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    b64,
    '--b1--',
    '',
  ].join('\r\n');
}

describe('the reader and composer decide from what they store (real Dovecot + Postfix)', () => {
  const anna = { user: 'anna', pass: 'geheim-123' };
  const bert = { user: 'bert', pass: 'auch-geheim-456' };
  let dovecot: DovecotServer;
  let postfix: PostfixServer;
  let dir: string;
  let vault: Vault;
  let documents: DocumentCache;
  let session: MailAccountSession;
  const keychain = new KeychainService(`ratsdesk-test-${randomUUID()}`);
  let rules: RecipientRules = { allowedDomains: null, outsideAction: 'warn', forwardingOutsideAllowed: true };
  let exportAllowed = true;
  const logged: string[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot({ withLmtpAndAuth: true, users: [anna, bert] });
    postfix = await startPostfix({ dovecot });
    dovecot.seed(anna.user, [
      { subject: 'Vor der langen Betreffzeile', body: 'eins', date: new Date(Date.UTC(2026, 1, 1)) },
      { subject: '', raw: hugeSubjectMail(MB) },
      { subject: 'Nach der langen Betreffzeile', body: 'drei', date: new Date(Date.UTC(2026, 1, 3)) },
      { subject: '', raw: withAttachment() },
    ]);
    const other = await otherDevice(dovecot);
    await other.append('INBOX', twoSubjectsMail());
    await other.logout();

    dir = mkdtempSync(join(tmpdir(), 'ratsdesk-reader-trust-'));
    vault = await openVault({ file: join(dir, 'vault.db'), keychain, migrations: vaultMigrations });
    documents = new DocumentCache(vault);
    const settings: AccountSettings = {
      host: '127.0.0.1',
      port: dovecot.imapsPort,
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
      exportAllowed: async () => exportAllowed,
      log: {
        info: () => undefined,
        warn: (code, detail) => logged.push(`${code} ${detail ?? ''}`),
        error: (code, detail) => logged.push(`${code} ${detail ?? ''}`),
      },
      events: {
        syncProgress: () => undefined,
        newMail: () => undefined,
        connectionState: () => undefined,
        outboxChanged: () => undefined,
      },
    });
    session.start();
    await until('initial sync', () => session.sync.queries.count('INBOX') === 5);
  }, 90_000);

  afterAll(async () => {
    await session?.dispose();
    vault?.close();
    await stopAndRemovePostfix(postfix);
    await stopAndRemove(dovecot);
    await keychain.delete('vault-key').catch(() => false);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const draft = (over: Partial<DraftInput>): DraftInput => ({
    to: [{ name: '', address: postfix.addressOf('bert') }],
    cc: [],
    bcc: [],
    subject: 'Unterlagen',
    text: 'Anbei.',
    html: null,
    inReplyTo: null,
    references: [],
    attachments: [],
    forwarded: false,
    ...over,
  });

  /** The subjects in bert's inbox (Postfix → LMTP → Dovecot). */
  async function bertsSubjects(): Promise<string[]> {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.imapsPort,
      secure: true,
      auth: bert,
      tls: { ca: [dovecot.cert.caPem] },
      logger: false,
    });
    await client.connect();
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const subjects: string[] = [];
        for await (const m of client.fetch('1:*', { envelope: true })) subjects.push(m.envelope?.subject ?? '');
        return subjects;
      } catch {
        return [];
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  }

  test('#10.3: a megabyte subject is stored bounded; the page with it and its neighbours fits the contract', async () => {
    const page = session.sync.listPage('INBOX');
    expect(page.items).toHaveLength(5);
    expect(ListPageSchema.safeParse(page).success).toBe(true);
    const huge = page.items.find((m) => m.subject.startsWith('Sehr wichtige Angelegenheit'))!;
    expect(huge.subject).toHaveLength(MAIL_TEXT_LIMITS.subject);
    expect(huge.subject.endsWith(ELLIPSIS)).toBe(true);
    expect(page.items.map((m) => m.subject)).toEqual(
      expect.arrayContaining(['Vor der langen Betreffzeile', 'Nach der langen Betreffzeile']),
    );
    expect(StoredMessageSchema.safeParse(session.sync.getMessage(huge.id)).success).toBe(true);
    // The original stays in the stored source (the first-login download stores bodies after the headers).
    const source = await until('the body stored', () => session.sync.queries.getSource(huge.id));
    expect(source.length).toBeGreaterThan(MB);
    // A reply starts from the bounded subject (a draft allows 2,000 characters).
    const reply = await session.compose.startReply('INBOX', huge.uid, 'reply');
    expect(reply.subject).toBe(`AW: ${huge.subject}`);
    // Nothing had to be listed degraded: the bounds were applied where the sync stored the message.
    expect(logged.filter((l) => /^mail\.(list-item|message-headers)/.test(l))).toEqual([]);
  });

  test('#10.3: a folder with a megabyte name is listed bounded; one whose path no call can carry is left out', () => {
    const longPath = `Archiv/${'x'.repeat(2000)}`;
    vault.transaction((db) => {
      const insert = db.prepare('INSERT INTO mail_folders (path, name) VALUES (?, ?)');
      insert.run('Projekte', `Projekte ${'\u202E'}${'N'.repeat(MB)}`);
      insert.run(longPath, 'zu lang');
    });
    try {
      const folders = session.sync.folders();
      expect(z.array(SyncedFolderSchema).safeParse(folders).success).toBe(true);
      const projekte = folders.find((f) => f.path === 'Projekte')!;
      expect(projekte.name).toHaveLength(MAIL_TEXT_LIMITS.folder);
      expect(projekte.name.startsWith('Projekte N')).toBe(true);
      expect(folders.some((f) => f.path === longPath)).toBe(false);
      expect(folders.some((f) => f.role === 'inbox')).toBe(true);
      expect(logged).toContain('mail.folder-path-too-long 2007 characters');
    } finally {
      vault.transaction((db) => db.prepare('DELETE FROM mail_folders WHERE path IN (?, ?)').run('Projekte', longPath));
      logged.length = 0;
    }
  });

  test('#19.3: list, reading pane and reply agree on the headers of a message with two subjects', async () => {
    const listed = session.sync.listPage('INBOX').items.find((m) => m.from.address === 'kaemmerei@stadt.example')!;
    const stored = session.sync.getMessage(listed.id);
    const reply = await session.compose.startReply('INBOX', listed.uid, 'reply');
    expect(listed.subject).toBe('Haushaltssatzung 2027');
    expect(stored.subject).toBe(listed.subject);
    expect(reply.subject).toBe(`AW: ${listed.subject}`);
    expect(listed.from).toEqual({ name: 'Stadtkämmerei Müller', address: 'kaemmerei@stadt.example' });
    expect(reply.text).toContain('Stadtkämmerei Müller <kaemmerei@stadt.example>');
    const forward = await session.compose.startReply('INBOX', listed.uid, 'forward');
    expect(forward.text).toContain('Betreff: Haushaltssatzung 2027');
  });

  test('#10.12: a council document is not mailed while export is forbidden — not as a draft, not sent', async () => {
    const council = documents.put({
      bytes: councilPdf,
      name: 'Vorlage 2026-014 nichtöffentlich.pdf',
      mimeType: 'application/pdf',
      source: { kind: 'url', ref: 'https://ris.stadt.example/oparl/v1.1/file/14' },
    });
    const upload = documents.put({
      bytes: Buffer.from('Eigene Notiz'),
      name: 'notiz.txt',
      mimeType: 'text/plain',
      source: { kind: 'upload', ref: `file/${randomUUID()}/notiz.txt` },
    });
    const withCouncil = draft({
      subject: 'Ratsdokument nach draußen',
      attachments: [
        { kind: 'document', documentId: upload.id },
        { kind: 'document', documentId: council.id },
      ],
    });
    exportAllowed = false;
    const before = session.compose.listOutbox().length;
    await expect(session.compose.checkRecipients(withCouncil)).rejects.toMatchObject({ code: 'EXPORT_FORBIDDEN' });
    await expect(session.compose.saveDraft(withCouncil)).rejects.toMatchObject({ code: 'EXPORT_FORBIDDEN' });
    await expect(session.compose.send({ ...withCouncil, confirmOutsideRecipients: false })).rejects.toMatchObject({
      code: 'EXPORT_FORBIDDEN',
    });
    expect(session.compose.listOutbox()).toHaveLength(before);
    expect(session.compose.listDrafts()).toEqual([]);

    // A file from the disk alone is the person's own: it goes.
    await session.compose.send({
      ...draft({ subject: 'Nur die Notiz', attachments: [withCouncil.attachments[0]!] }),
      confirmOutsideRecipients: false,
    });
    // With export allowed, the council document goes too, and arrives through Postfix.
    exportAllowed = true;
    await session.compose.send({ ...withCouncil, subject: 'Ratsdokument erlaubt', confirmOutsideRecipients: false });
    const subjects = await until('both mails delivered', async () => {
      const s = await bertsSubjects();
      return s.includes('Nur die Notiz') && s.includes('Ratsdokument erlaubt') ? s : undefined;
    });
    expect(subjects).not.toContain('Ratsdokument nach draußen');
  });

  test('#10.12: a mail attachment attached again as a "document" is a forward, whatever the renderer flag says', async () => {
    const received = session.sync.listPage('INBOX').items.find((m) => m.subject === 'Vertrauliche Vorlage')!;
    const read = await session.reader.read(received.id);
    const pdf = read.attachments.find((a) => a.mimeType === 'application/pdf')!;
    // The person opened it in the viewer: now it is a document in the cache, from a message.
    const documentId = await session.reader.openAttachment(received.id, pdf.partId);
    rules = { allowedDomains: ['stadt.example'], outsideAction: 'warn', forwardingOutsideAllowed: false };
    const laundered = draft({
      to: [{ name: '', address: 'presse@zeitung.example' }],
      subject: 'Neue Unterlage',
      attachments: [{ kind: 'document', documentId }],
      forwarded: false,
    });
    expect(await session.compose.checkRecipients(laundered)).toMatchObject({ verdict: 'block', reason: 'forward' });
    await expect(session.compose.send({ ...laundered, confirmOutsideRecipients: true })).rejects.toMatchObject({
      code: 'FORWARD_OUTSIDE_BLOCKED',
    });
    // Inside the city the same mail is fine, and the attachment arrives whole.
    const inside = { ...laundered, to: [{ name: '', address: postfix.addressOf('bert') }], subject: 'Intern weiter' };
    expect((await session.compose.checkRecipients(inside)).verdict).toBe('allow');
    await session.compose.send({ ...inside, confirmOutsideRecipients: false });
    await until('delivered inside', async () => (await bertsSubjects()).includes('Intern weiter'));
    rules = { allowedDomains: null, outsideAction: 'warn', forwardingOutsideAllowed: true };
  });
});
