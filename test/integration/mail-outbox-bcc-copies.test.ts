import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { ImapFolderAccess, resolveSpecialFolder } from '../../electron/services/mail/imap-folder-access';
import { draftsMigrations, outboxMigrations } from '../../electron/services/mail/mail-migrations';
import { buildOutboundMessage, type OutboundMessage } from '../../electron/services/mail/outbound-message';
import { Outbox, type BccCopy, type SubmitFn } from '../../electron/services/mail/outbox';
import { SmtpSubmission } from '../../electron/services/mail/smtp-submission';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { startPostfix, stopAndRemovePostfix, type PostfixServer } from '../servers/postfix';

// The outbox's Bcc copies (an encrypted message's copy per Bcc recipient, outbox.ts) against real Postfix
// and Dovecot: stored with their main message in one transaction, kept by the schema migration, sent only
// after the main message, to their one address, never filed in Sent, and re-submitted when interrupted.

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
  dir = mkdtempSync(join(tmpdir(), 'ratsdesk-outbox-bcc-'));
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

function realSmtp(): SmtpSubmission {
  return new SmtpSubmission(
    { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls', username: anna.user },
    { password: async () => anna.pass, trust: { extraCaPem: [dovecot.cert.caPem] } },
  );
}

/** The real SMTP submission, recording every envelope it was called with. */
function recordingSubmit(): SubmitFn & { envelopes: string[][] } {
  const s = realSmtp();
  const fn = (async (raw, envelope) => {
    fn.envelopes.push(envelope.to);
    return s.send(raw, envelope);
  }) as SubmitFn & { envelopes: string[][] };
  fn.envelopes = [];
  return fn;
}

function outbox(vault: Vault, submit: SubmitFn): Outbox {
  const o = new Outbox({ vault, submit, folders, sentFolder });
  outboxes.push(o);
  return o;
}

const address = (user: string) => postfix.addressOf(user);

/** A message to `to` with Bcc header for `bcc`, and the copy per Bcc recipient (its body names it). */
async function mailWithCopies(
  subject: string,
  to: string[],
  bcc: string[],
): Promise<{ main: OutboundMessage; copies: BccCopy[] }> {
  const main = await buildOutboundMessage(
    {
      from: { name: 'Anna', address: address('anna') },
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

/** The files of a user's folder holding this Message-ID (the maildir, as Dovecot stored them). */
function inboxFiles(user: string, messageId: string, folder = 'INBOX'): string[] {
  const base = folder === 'INBOX' ? dovecot.maildir(user) : join(dovecot.maildir(user), `.${folder}`);
  const out: string[] = [];
  for (const sub of ['new', 'cur']) {
    const d = join(base, sub);
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d)) {
      if (readFileSync(join(d, name), 'latin1').includes(messageId)) out.push(join(d, name));
    }
  }
  return out;
}

/**
 * How many copies of messageId reached the user. A marker sent through the same Postfix afterwards is
 * awaited first, so a copy submitted earlier would have been delivered by then.
 */
async function deliveredTo(user: string, messageId: string): Promise<number> {
  const { main: marker } = await mailWithCopies(`Marker ${randomUUID()}`, [address(user)], []);
  await realSmtp().send(marker.raw, marker.envelope);
  for (let i = 0; i < 200 && inboxFiles(user, marker.messageId).length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(inboxFiles(user, marker.messageId)).toHaveLength(1);
  return inboxFiles(user, messageId).length;
}

/** A promise that never settles: the process "dies" at this point. */
const crashHere = (): Promise<never> => new Promise<never>(() => undefined);

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
    const submit = recordingSubmit();
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
    const submit = recordingSubmit();
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
    const submit = recordingSubmit();
    const o = outbox(v, submit);
    const { main, copies } = await mailWithCopies('Nur Blindkopie', [], [address('bert')]);
    o.enqueue(main, copies);
    expect((await o.flush()).sent).toHaveLength(2);
    expect(submit.envelopes).toEqual([[address('bert')]]);
    expect(await folders.findByMessageId(sentFolder, main.messageId)).toHaveLength(1);
    expect(await deliveredTo('bert', main.messageId)).toBe(1);
  });

  it('copies wait for a refused main message; cancelling the main message cancels them, nothing reaches Bcc', async () => {
    const o = outbox(await vaultAt('cancel'), recordingSubmit());
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
    const real = realSmtp();
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

    const submitB = recordingSubmit();
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
    const submit = recordingSubmit();
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
