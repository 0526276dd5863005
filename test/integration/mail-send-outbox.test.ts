import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { draftsMigrations, outboxMigrations } from '../../electron/services/mail/mail-migrations';
import {
  ImapFolderAccess,
  resolveSpecialFolder,
  type MailFolderAccess,
} from '../../electron/services/mail/imap-folder-access';
import { buildOutboundMessage, type OutboundMessage } from '../../electron/services/mail/outbound-message';
import { Outbox, type SubmitFn } from '../../electron/services/mail/outbox';
import { SmtpSubmission } from '../../electron/services/mail/smtp-submission';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { startPostfix, stopAndRemovePostfix, type PostfixServer } from '../servers/postfix';

const anna = { user: 'anna', pass: 'geheim-123' };
let dovecot: DovecotServer;
let postfix: PostfixServer;
let imap: ImapFlow;
let folders: ImapFolderAccess;
let sentFolder: string;
let dir: string;
const keychain = new KeychainService(`ratsdesk-test-${randomUUID()}`);
const vaults: Vault[] = [];
const outboxes: Outbox[] = [];

beforeAll(async () => {
  dovecot = await startDovecot({ withLmtpAndAuth: true, users: [anna] });
  postfix = await startPostfix({ dovecot });
  imap = new ImapFlow({
    host: '127.0.0.1',
    port: dovecot.imapsPort,
    secure: true,
    auth: anna,
    tls: { ca: [dovecot.cert.caPem] },
    logger: false,
  });
  await imap.connect();
  folders = new ImapFolderAccess((work) => work(imap));
  sentFolder = (await resolveSpecialFolder(imap, '\\Sent'))!;
  dir = mkdtempSync(join(tmpdir(), 'ratsdesk-outbox-'));
});

afterEach(() => {
  for (const o of outboxes.splice(0)) o.dispose();
  for (const v of vaults.splice(0)) v.close();
});

afterAll(async () => {
  await imap?.logout().catch(() => undefined);
  await stopAndRemovePostfix(postfix);
  await stopAndRemove(dovecot);
  await keychain.delete('vault-key').catch(() => false);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens (or reopens, as after an app restart) the vault file of one test. */
async function vaultAt(name: string): Promise<Vault> {
  const v = await openVault({
    file: join(dir, `${name}.db`),
    keychain,
    migrations: [...outboxMigrations, ...draftsMigrations],
  });
  vaults.push(v);
  return v;
}

function smtp(): SmtpSubmission {
  return new SmtpSubmission(
    { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls', username: anna.user },
    { password: async () => anna.pass, trust: { extraCaPem: [dovecot.cert.caPem] } },
  );
}

/** The real SMTP submission, counting how often it was called. */
function countingSubmit(): SubmitFn & { calls: number } {
  const s = smtp();
  const fn = (async (raw, envelope) => {
    fn.calls++;
    return s.send(raw, envelope);
  }) as SubmitFn & { calls: number };
  fn.calls = 0;
  return fn;
}

function outbox(vault: Vault, submit: SubmitFn, access: MailFolderAccess = folders): Outbox {
  const o = new Outbox({ vault, submit, folders: access, sentFolder });
  outboxes.push(o);
  return o;
}

async function mail(subject: string, to = postfix.addressOf('anna')): Promise<OutboundMessage> {
  return buildOutboundMessage({
    from: { name: 'Anna Schöne', address: postfix.addressOf('anna') },
    to: [{ name: '', address: to }],
    cc: [],
    bcc: [],
    subject,
    text: `Text von ${subject}`,
    html: null,
    inReplyTo: null,
    references: [],
    attachments: [],
  });
}

async function uidsIn(folder: string, messageId: string): Promise<number[]> {
  return folders.findByMessageId(folder, messageId);
}

/**
 * How many copies of messageId reached INBOX. A marker mail is sent through the same Postfix and awaited
 * first, so a duplicate submitted earlier would have been delivered by then.
 */
async function deliveredCount(messageId: string): Promise<number> {
  const marker = await mail(`Marker ${randomUUID()}`);
  await smtp().send(marker.raw, marker.envelope);
  for (let i = 0; i < 200 && (await uidsIn('INBOX', marker.messageId)).length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return (await uidsIn('INBOX', messageId)).length;
}

/** A promise that never settles: the process "dies" at this point. */
const crashHere = (): Promise<never> => new Promise<never>(() => undefined);

describe('outbox in the vault with real Postfix and Dovecot', () => {
  it('keeps a message written while SMTP is down, survives a restart, and sends it once the server is back', async () => {
    await postfix.stop();
    try {
      const vaultA = await vaultAt('offline');
      const a = outbox(vaultA, countingSubmit());
      const m = await mail('Geschrieben ohne Verbindung');
      const item = a.enqueue(m);
      expect(item.state).toBe('queued');
      const first = await a.flush();
      expect(first.deferred).toEqual([item.id]);
      expect(a.get(item.id)).toMatchObject({ state: 'queued', lastError: 'CONNECTION_REFUSED', attempts: 1 });

      // Restart: the app closes, the vault is reopened, a new outbox takes over.
      a.dispose();
      vaultA.close();
      vaults.splice(vaults.indexOf(vaultA), 1);
      await postfix.start();
      const vaultB = await vaultAt('offline');
      const submitB = countingSubmit();
      const b = outbox(vaultB, submitB);
      expect(b.list().map((i) => [i.messageId, i.state])).toEqual([[m.messageId, 'queued']]);
      const second = await b.flush();
      expect(second.sent).toEqual([item.id]);
      expect(submitB.calls).toBe(1);
      expect(b.get(item.id)).toMatchObject({ state: 'sent', lastError: null, attempts: 2 });
      expect(b.get(item.id).sentAt).not.toBeNull();
      expect(await deliveredCount(m.messageId)).toBe(1);
      // The sent copy is in the Sent folder, exactly once.
      expect(await uidsIn(sentFolder, m.messageId)).toHaveLength(1);
      // A further flush has nothing to do.
      expect(await b.flush()).toEqual({ sent: [], deferred: [], failed: [] });
    } finally {
      await postfix.start();
    }
  });

  it('enqueuing the same Message-ID twice keeps one item', async () => {
    const o = outbox(await vaultAt('idempotent'), countingSubmit());
    const m = await mail('Doppelt eingereiht');
    const one = o.enqueue(m);
    const two = o.enqueue(m);
    expect(two.id).toBe(one.id);
    expect(o.list()).toHaveLength(1);
  });

  it('a crash between the SMTP transaction and the "sent" record does not send twice', async () => {
    const vaultA = await vaultAt('crash-after-smtp');
    const submitA = countingSubmit();
    // The process dies while filing the Sent copy: after the server accepted the message.
    const dyingFolders: MailFolderAccess = {
      findByMessageId: () => crashHere(),
      append: () => crashHere(),
      deleteUid: () => crashHere(),
    };
    const a = outbox(vaultA, submitA, dyingFolders);
    const m = await mail('Absturz nach SMTP');
    const item = a.enqueue(m);
    void a.flush();
    for (let i = 0; i < 200 && a.get(item.id).state !== 'submitted'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(a.get(item.id).state).toBe('submitted');
    expect(submitA.calls).toBe(1);
    a.dispose();
    vaultA.close();
    vaults.splice(vaults.indexOf(vaultA), 1);

    const submitB = countingSubmit();
    const b = outbox(await vaultAt('crash-after-smtp'), submitB);
    await b.flush();
    expect(submitB.calls).toBe(0);
    expect(b.get(item.id).state).toBe('sent');
    expect(await uidsIn(sentFolder, m.messageId)).toHaveLength(1);
    expect(await deliveredCount(m.messageId)).toBe(1);
  });

  it('an interrupted "sending" item already in the Sent folder is not submitted again', async () => {
    const vaultA = await vaultAt('crash-in-smtp');
    const real = smtp();
    let aCalls = 0;
    // The process dies right after the server accepted, before the outbox saw the answer; the server
    // (or another client of the same person) filed the message into Sent.
    const a = outbox(vaultA, async (raw, envelope) => {
      aCalls++;
      await real.send(raw, envelope);
      await folders.append(sentFolder, raw, ['\\Seen']);
      return crashHere();
    });
    const m = await mail('Absturz während SMTP');
    const item = a.enqueue(m);
    void a.flush();
    for (let i = 0; i < 200 && (await uidsIn(sentFolder, m.messageId)).length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(a.get(item.id).state).toBe('sending');
    a.dispose();
    vaultA.close();
    vaults.splice(vaults.indexOf(vaultA), 1);

    const submitB = countingSubmit();
    const b = outbox(await vaultAt('crash-in-smtp'), submitB);
    const report = await b.flush();
    expect(report.sent).toEqual([item.id]);
    expect(aCalls).toBe(1);
    expect(submitB.calls).toBe(0);
    expect(await uidsIn(sentFolder, m.messageId)).toHaveLength(1);
    expect(await deliveredCount(m.messageId)).toBe(1);
  });

  it('an interrupted "sending" item absent from Sent is checked there first and then submitted', async () => {
    const vaultA = await vaultAt('crash-before-smtp');
    const a = outbox(vaultA, () => crashHere());
    const m = await mail('Absturz vor SMTP');
    const item = a.enqueue(m);
    void a.flush();
    for (let i = 0; i < 100 && a.get(item.id).state !== 'sending'; i++) await new Promise((r) => setTimeout(r, 20));
    a.dispose();
    vaultA.close();
    vaults.splice(vaults.indexOf(vaultA), 1);

    let lookups = 0;
    const watching: MailFolderAccess = {
      findByMessageId: (f, id) => {
        lookups++;
        return folders.findByMessageId(f, id);
      },
      append: (f, raw, flags) => folders.append(f, raw, flags),
      deleteUid: (f, uid) => folders.deleteUid(f, uid),
    };
    const submitB = countingSubmit();
    const b = outbox(await vaultAt('crash-before-smtp'), submitB, watching);
    await b.flush();
    expect(lookups).toBeGreaterThanOrEqual(2); // before resubmitting, and before filing the Sent copy
    expect(submitB.calls).toBe(1);
    expect(b.get(item.id).state).toBe('sent');
    expect(await deliveredCount(m.messageId)).toBe(1);
  });

  it('a rejected recipient fails the item with a stable code; it can be retried or cancelled, a sent one cannot', async () => {
    const o = outbox(await vaultAt('rejected'), countingSubmit());
    const bad = o.enqueue(await mail('An Unbekannt', 'niemand@stadt.example'));
    const good = o.enqueue(await mail('An Anna'));
    const report = await o.flush();
    expect(report.failed).toEqual([bad.id]);
    expect(report.sent).toEqual([good.id]);
    expect(o.get(bad.id)).toMatchObject({ state: 'failed', lastError: 'SMTP_RECIPIENT_REJECTED' });
    // "Send again" puts only a failed item back into the queue; the server refuses it again, nothing doubles.
    expect(o.retry(good.id)).toBe(false);
    expect(o.retry(bad.id)).toBe(true);
    expect(o.get(bad.id)).toMatchObject({ state: 'queued', lastError: null });
    expect((await o.flush()).failed).toEqual([bad.id]);
    expect(o.get(bad.id).state).toBe('failed');
    expect(o.cancel(good.id)).toBe(false);
    expect(o.cancel(bad.id)).toBe(true);
    expect(() => o.get(bad.id)).toThrow(expect.objectContaining({ code: 'OUTBOX_ITEM_NOT_FOUND' }));
  });

  it('the outbox contents are encrypted at rest', async () => {
    const v = await vaultAt('at-rest');
    const o = outbox(v, countingSubmit());
    o.enqueue(await mail('Vertraulicher Betreff Haushaltssperre'));
    v.checkpoint();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dir, 'at-rest.db')).includes(Buffer.from('Haushaltssperre'))).toBe(false);
  });
});
