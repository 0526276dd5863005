import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
import { Outbox, type BccCopy, type SubmitFn } from '../../electron/services/mail/outbox';
import { SmtpSubmission } from '../../electron/services/mail/smtp-submission';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { startPostfix, stopAndRemovePostfix, type PostfixServer } from '../servers/postfix';
import { maildirFilesWith } from '../support/server-folder';

const anna = { user: 'anna', pass: 'geheim-123' };
const bert = { user: 'bert', pass: 'bert-123' };
const clara = { user: 'clara', pass: 'clara-123' };
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
  dovecot = await startDovecot({ withLmtpAndAuth: true, users: [anna, bert, clara] });
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

const CURRENT = [...outboxMigrations, ...draftsMigrations];
/** The schema before Bcc copies: the outbox's first migration only (UNIQUE message_id). */
const OLD = [outboxMigrations[0]!, ...draftsMigrations];

/** Opens (or reopens, as after an app restart or an update) the vault file of one test. */
async function vaultAt(name: string, migrations = CURRENT): Promise<Vault> {
  const v = await openVault({ file: join(dir, `${name}.db`), keychain, migrations });
  vaults.push(v);
  return v;
}

function closeVault(v: Vault, o?: Outbox): void {
  o?.dispose();
  v.close();
  vaults.splice(vaults.indexOf(v), 1);
}

function smtp(): SmtpSubmission {
  return new SmtpSubmission(
    { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls', username: anna.user },
    { password: async () => anna.pass, trust: { extraCaPem: [dovecot.cert.caPem] } },
  );
}

/** The real SMTP submission, counting how often it was called and recording the envelopes. */
function countingSubmit(): SubmitFn & { calls: number; envelopes: string[][] } {
  const s = smtp();
  const fn = (async (raw, envelope) => {
    fn.calls++;
    fn.envelopes.push(envelope.to);
    return s.send(raw, envelope);
  }) as SubmitFn & { calls: number; envelopes: string[][] };
  fn.calls = 0;
  fn.envelopes = [];
  return fn;
}

function outbox(vault: Vault, submit: SubmitFn, access: MailFolderAccess = folders): Outbox {
  const o = new Outbox({ vault, submit, folders: access, sentFolder });
  outboxes.push(o);
  return o;
}

async function mail(subject: string, to = postfix.addressOf('anna')): Promise<OutboundMessage> {
  return (await mailWithCopies(subject, [to], [])).main;
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

// The outbox's Bcc copies (an encrypted message's copy per Bcc recipient, outbox.ts): stored with their main
// message in one transaction, kept by the schema migration, sent only after the main message, to their one
// address, never filed in Sent, and re-submitted when interrupted.

const address = (user: string) => postfix.addressOf(user);

/** A message to `to` with Bcc header for `bcc`, and the copy per Bcc recipient (its body names it). */
async function mailWithCopies(
  subject: string,
  to: string[],
  bcc: string[],
): Promise<{ main: OutboundMessage; copies: BccCopy[] }> {
  const main = await buildOutboundMessage(
    {
      from: { name: 'Anna Schöne', address: address('anna') },
      to: to.map((a) => ({ name: '', address: a })),
      cc: [],
      bcc: bcc.map((a) => ({ name: '', address: a })),
      subject,
      text: `Text von ${subject}`,
      html: null,
      inReplyTo: null,
      references: [],
      attachments: [],
    },
    { allowNoRecipients: true },
  );
  // As ComposeService does for encrypted mail: the main message goes to To and Cc only.
  main.envelope = { from: main.envelope.from, to };
  const copies = bcc.map((recipient) => ({
    recipient,
    raw: Buffer.from(main.raw.toString('latin1').replace(`Text von ${subject}`, `Kopie für ${recipient}`), 'latin1'),
  }));
  return { main, copies };
}

const inboxFiles = (user: string, messageId: string, folder = 'INBOX') =>
  maildirFilesWith(dovecot, user, folder, messageId);

/**
 * How many copies of messageId reached the user. A marker sent through the same Postfix afterwards is
 * awaited first, so a copy submitted earlier would have been delivered by then.
 */
async function deliveredTo(user: string, messageId: string): Promise<number> {
  const { main: marker } = await mailWithCopies(`Marker ${randomUUID()}`, [address(user)], []);
  await smtp().send(marker.raw, marker.envelope);
  for (let i = 0; i < 200 && inboxFiles(user, marker.messageId).length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(inboxFiles(user, marker.messageId)).toHaveLength(1);
  return inboxFiles(user, messageId).length;
}

describe('Bcc copies in the outbox with real Postfix and Dovecot', () => {
  it('the schema migration keeps every queued and sent item of an old vault, which then sends as before', async () => {
    const old = await vaultAt('migrate', OLD);
    const queued = await mailWithCopies('Vor dem Update geschrieben', [address('bert')], []);
    const rows = [
      { id: randomUUID(), m: queued.main, state: 'queued', attempts: 2, error: 'CONNECTION_REFUSED', sentAt: null },
      {
        id: randomUUID(),
        m: (await mailWithCopies('Vor dem Update gesendet', [address('bert')], [])).main,
        state: 'sent',
        attempts: 1,
        error: null,
        sentAt: '2026-03-01T08:00:01.000Z',
      },
    ];
    old.transaction((db) => {
      for (const r of rows) {
        db.prepare(
          `INSERT INTO mail_outbox (id, message_id, subject, envelope_from, envelope_to, raw, state, attempts, last_error,
             sent_copy, created_at, updated_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          r.id,
          r.m.messageId,
          r.m.subject,
          r.m.envelope.from,
          JSON.stringify(r.m.envelope.to),
          r.m.raw,
          r.state,
          r.attempts,
          r.error,
          r.state === 'sent' ? 1 : 0,
          '2026-03-01T08:00:00.000Z',
          '2026-03-01T08:00:00.000Z',
          r.sentAt,
        );
      }
    });
    closeVault(old);

    const migrated = await vaultAt('migrate');
    const submit = countingSubmit();
    const o = outbox(migrated, submit);
    expect(o.list()).toEqual(
      rows.map((r) => ({
        id: r.id,
        messageId: r.m.messageId,
        subject: r.m.subject,
        to: [address('bert')],
        state: r.state,
        attempts: r.attempts,
        lastError: r.error,
        createdAt: '2026-03-01T08:00:00.000Z',
        sentAt: r.sentAt,
      })),
    );
    const raws = migrated.guard((db) => db.pluck<[], Buffer>(`SELECT raw FROM mail_outbox ORDER BY rowid`).all());
    expect(raws).toEqual(rows.map((r) => r.m.raw));
    // Still unique per Message-ID for a main message: enqueuing the stored one again adds nothing.
    expect(o.enqueue(queued.main).id).toBe(rows[0]!.id);
    expect(o.list()).toHaveLength(2);
    // The queued item goes out once, as it would have before the update.
    expect((await o.flush()).sent).toEqual([rows[0]!.id]);
    expect(submit.envelopes).toEqual([[address('bert')]]);
    expect(await deliveredTo('bert', queued.main.messageId)).toBe(1);
    // The migrated table takes a copy under its main message's Message-ID (the old UNIQUE did not).
    const later = await mailWithCopies('Nach dem Update', [address('bert')], [address('clara')]);
    o.enqueue(later.main, later.copies);
    expect(o.list().filter((i) => i.messageId === later.main.messageId)).toHaveLength(2);
  });

  it('stores the main message and its copies all or nothing, once, and sends each copy to its one address only', async () => {
    const v = await vaultAt('atomic');
    const submit = countingSubmit();
    const o = outbox(v, submit);
    const { main, copies } = await mailWithCopies(
      'Mit Blindkopien',
      [address('anna')],
      [address('bert'), address('clara')],
    );

    // A copy that cannot be stored (no bytes) leaves nothing behind, not even the main message.
    const broken = [copies[0]!, { recipient: address('clara'), raw: null as unknown as Buffer }];
    expect(() => o.enqueue(main, broken)).toThrow();
    expect(o.list()).toEqual([]);

    const item = o.enqueue(main, copies);
    expect(o.enqueue(main, copies).id).toBe(item.id);
    const listed = o.list();
    expect(listed.map((i) => [i.messageId, i.to, i.bccCopyFor, i.state])).toEqual([
      [main.messageId, [address('anna')], undefined, 'queued'],
      [main.messageId, [address('bert')], address('bert'), 'queued'],
      [main.messageId, [address('clara')], address('clara'), 'queued'],
    ]);

    const report = await o.flush();
    expect(report.sent).toEqual(listed.map((i) => i.id));
    // Main first, then one transaction per copy with an envelope of that one address.
    expect(submit.envelopes).toEqual([[address('anna')], [address('bert')], [address('clara')]]);
    expect(await deliveredTo('bert', main.messageId)).toBe(1);
    expect(await deliveredTo('clara', main.messageId)).toBe(1);
    expect(readFileSync(inboxFiles('bert', main.messageId)[0]!, 'latin1')).toContain(`Kopie für ${address('bert')}`);
    // No Bcc header went out; Sent holds the main message only (with its Bcc header).
    expect(readFileSync(inboxFiles('clara', main.messageId)[0]!, 'latin1')).not.toMatch(/^bcc\s*:/im);
    expect(await folders.findByMessageId(sentFolder, main.messageId)).toHaveLength(1);
    const filed = inboxFiles('anna', main.messageId, sentFolder);
    expect(filed).toHaveLength(1);
    expect(readFileSync(filed[0]!, 'latin1')).toContain('Text von Mit Blindkopien');
    expect(readFileSync(filed[0]!, 'latin1')).toMatch(/^bcc: .*bert@/im);
    expect(o.list().map((i) => i.state)).toEqual(['sent', 'sent', 'sent']);
    // Nothing is left to do: a sent copy is never filed.
    submit.envelopes.length = 0;
    expect(await o.flush()).toEqual({ sent: [], deferred: [], failed: [] });
    expect(submit.envelopes).toEqual([]);
  });

  it('an encrypted message to Bcc recipients only is filed in Sent and its copies go out', async () => {
    const v = await vaultAt('bcc-only');
    const submit = countingSubmit();
    const o = outbox(v, submit);
    const { main, copies } = await mailWithCopies('Nur Blindkopie', [], [address('bert')]);
    o.enqueue(main, copies);
    expect((await o.flush()).sent).toHaveLength(2);
    expect(submit.envelopes).toEqual([[address('bert')]]);
    expect(await folders.findByMessageId(sentFolder, main.messageId)).toHaveLength(1);
    expect(await deliveredTo('bert', main.messageId)).toBe(1);
  });

  it('copies wait for a refused main message; cancelling the main message cancels them, nothing reaches Bcc', async () => {
    const o = outbox(await vaultAt('cancel'), countingSubmit());
    const { main, copies } = await mailWithCopies('Abgelehnt', ['niemand@stadt.example'], [address('bert')]);
    const item = o.enqueue(main, copies);
    const report = await o.flush();
    expect(report.failed).toEqual([item.id]);
    expect(report.sent).toEqual([]);
    const [, copy] = o.list();
    expect(o.get(item.id)).toMatchObject({ state: 'failed', lastError: 'SMTP_RECIPIENT_REJECTED' });
    expect(copy).toMatchObject({ state: 'queued', bccCopyFor: address('bert'), attempts: 0 });
    // Retrying the main message alone: refused again, the copy still waits.
    expect(o.retry(item.id)).toBe(true);
    await o.flush();
    expect(o.list().map((i) => i.state)).toEqual(['failed', 'queued']);

    expect(o.cancel(item.id)).toBe(true);
    expect(o.list()).toEqual([]);
    expect(await deliveredTo('bert', main.messageId)).toBe(0);
  });

  it('a copy interrupted in "sending" is submitted again after a restart (never lost; at most one duplicate)', async () => {
    const vaultA = await vaultAt('copy-crash');
    const real = smtp();
    // The process dies during the copy's SMTP transaction, after the server accepted it.
    const a = outbox(vaultA, async (raw, envelope) => {
      const res = await real.send(raw, envelope);
      return envelope.to[0] === address('clara') ? crashHere() : res;
    });
    const { main, copies } = await mailWithCopies('Absturz bei der Kopie', [address('bert')], [address('clara')]);
    const item = a.enqueue(main, copies);
    void a.flush();
    const copyId = a.list()[1]!.id;
    for (let i = 0; i < 200 && inboxFiles('clara', main.messageId).length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(a.get(copyId).state).toBe('sending');
    expect(a.get(item.id).state).toBe('sent');
    closeVault(vaultA, a);

    const submitB = countingSubmit();
    const b = outbox(await vaultAt('copy-crash'), submitB);
    const report = await b.flush();
    // No Sent copy can prove a copy went out: it is submitted again, to its one recipient only.
    expect(report.sent).toEqual([copyId]);
    expect(submitB.envelopes).toEqual([[address('clara')]]);
    expect(b.get(copyId)).toMatchObject({ state: 'sent', attempts: 2, bccCopyFor: address('clara') });
    expect(await deliveredTo('clara', main.messageId)).toBe(2);
    expect(await deliveredTo('bert', main.messageId)).toBe(1);
    expect(await folders.findByMessageId(sentFolder, main.messageId)).toHaveLength(1);
  });

  it('a refused copy is shown as failed with its recipient, can be retried, and withdrawn alone', async () => {
    const submit = countingSubmit();
    const o = outbox(await vaultAt('copy-failed'), submit);
    const { main, copies } = await mailWithCopies('Kopie abgelehnt', [address('bert')], ['niemand@stadt.example']);
    const item = o.enqueue(main, copies);
    const copyId = o.list()[1]!.id;
    const report = await o.flush();
    expect(report).toMatchObject({ sent: [item.id], failed: [copyId] });
    expect(o.get(copyId)).toMatchObject({
      state: 'failed',
      lastError: 'SMTP_RECIPIENT_REJECTED',
      bccCopyFor: 'niemand@stadt.example',
      to: ['niemand@stadt.example'],
    });
    expect(o.retry(copyId)).toBe(true);
    expect(o.get(copyId)).toMatchObject({ state: 'queued', lastError: null });
    submit.envelopes.length = 0;
    expect((await o.flush()).failed).toEqual([copyId]);
    expect(submit.envelopes).toEqual([['niemand@stadt.example']]);
    // Withdrawing the copy leaves the sent main message.
    expect(o.cancel(copyId)).toBe(true);
    expect(o.list().map((i) => [i.id, i.state])).toEqual([[item.id, 'sent']]);
    expect(await deliveredTo('bert', main.messageId)).toBe(1);
  });
});
