import { rmSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOutboundMessage, withoutBcc } from '../../electron/services/mail/outbound-message';
import { SmtpSubmission, type SmtpSettings } from '../../electron/services/mail/smtp-submission';
import { parseMessage } from '../../electron/services/mail/message-parser';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { startPostfix, stopAndRemovePostfix, type PostfixServer } from '../servers/postfix';
import { makeTestCa, type ServerCert } from '../servers/tls-ca';

let dovecot: DovecotServer;
let postfix: PostfixServer;
let otherCa: ServerCert;

const anna = { user: 'anna', pass: 'geheim-123' };
const bernd = { user: 'bernd', pass: 'auch-geheim-456' };

beforeAll(async () => {
  dovecot = await startDovecot({ withLmtpAndAuth: true, users: [anna, bernd] });
  postfix = await startPostfix({ dovecot });
  otherCa = makeTestCa();
});

afterAll(async () => {
  await stopAndRemovePostfix(postfix);
  await stopAndRemove(dovecot);
  if (otherCa) rmSync(otherCa.dir, { recursive: true, force: true });
});

function submission(security: 'tls' | 'starttls', opts: { pass?: string; ca?: string[] } = {}): SmtpSubmission {
  const settings: SmtpSettings = {
    host: '127.0.0.1',
    port: security === 'tls' ? postfix.smtpsPort : postfix.submissionPort,
    security,
    username: anna.user,
  };
  return new SmtpSubmission(settings, {
    password: async () => opts.pass ?? anna.pass,
    trust: { extraCaPem: opts.ca ?? [dovecot.cert.caPem] },
  });
}

async function imap(user: { user: string; pass: string }): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: dovecot.imapsPort,
    secure: true,
    auth: { user: user.user, pass: user.pass },
    tls: { ca: [dovecot.cert.caPem] },
    logger: false,
  });
  await client.connect();
  return client;
}

/** Waits until a message with this Message-ID is in the user's INBOX (Postfix → LMTP → Dovecot) and returns it. */
async function awaitDelivery(user: { user: string; pass: string }, messageId: string): Promise<Buffer> {
  const client = await imap(user);
  try {
    for (let i = 0; i < 200; i++) {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const uids = (await client.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
        if (uids.length > 0) {
          const msg = await client.fetchOne(String(uids[0]), { source: true }, { uid: true });
          if (msg && msg.source) return msg.source;
        }
      } finally {
        lock.release();
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${messageId} never arrived; maillog:\n${postfix.maillog().slice(-2000)}`);
  } finally {
    await client.logout();
  }
}

async function message(subject: string, extra: { bcc?: string } = {}) {
  return buildOutboundMessage({
    from: { name: 'Anna Schöne', address: postfix.addressOf('anna') },
    to: [{ name: 'Anna Schöne', address: postfix.addressOf('anna') }],
    cc: [],
    bcc: extra.bcc ? [{ name: '', address: extra.bcc }] : [],
    subject,
    text: 'Sehr geehrte Damen und Herren,\n\nanbei die Unterlagen zur Sitzung.\n',
    html: null,
    inReplyTo: null,
    references: [],
    attachments: [
      { filename: 'Tagesordnung.pdf', mimeType: 'application/pdf', content: new TextEncoder().encode('%PDF-1.4 test') },
    ],
  });
}

describe('SMTP submission through a real Postfix into Dovecot', () => {
  it('sends over STARTTLS (587 style) with AUTH and the message arrives in INBOX', async () => {
    const m = await message('Über STARTTLS: Sitzung des Bauausschusses');
    const result = await submission('starttls').send(withoutBcc(m.raw), m.envelope);
    expect(result.accepted).toEqual([postfix.addressOf('anna')]);
    expect(result.response).toMatch(/^250 /);
    const delivered = await parseMessage(await awaitDelivery(anna, m.messageId));
    expect(delivered.subject).toBe('Über STARTTLS: Sitzung des Bauausschusses');
    expect(delivered.messageId).toBe(m.messageId);
    expect(delivered.attachments.map((a) => a.filename)).toEqual(['Tagesordnung.pdf']);
    expect(postfix.maillog()).toMatch(/postfix\/submission\/smtpd.*sasl_username=anna/);
  });

  it('sends over implicit TLS (465 style) with AUTH and the message arrives in INBOX', async () => {
    const m = await message('Über implizites TLS');
    await submission('tls').send(withoutBcc(m.raw), m.envelope);
    const delivered = await parseMessage(await awaitDelivery(anna, m.messageId));
    expect(delivered.subject).toBe('Über implizites TLS');
    expect(postfix.maillog()).toMatch(/postfix\/submissions\/smtpd.*sasl_username=anna/);
  });

  it('delivers to a Bcc recipient without revealing the Bcc header', async () => {
    const m = await message('Mit Blindkopie', { bcc: postfix.addressOf('bernd') });
    expect(m.raw.toString()).toMatch(/^Bcc: bernd@stadt\.example/m);
    expect(m.envelope.to).toContain(postfix.addressOf('bernd'));
    await submission('starttls').send(withoutBcc(m.raw), m.envelope);
    const atBernd = await awaitDelivery(bernd, m.messageId);
    expect(atBernd.toString()).not.toMatch(/^Bcc:/im);
  });

  it('verify() negotiates TLS and logs in', async () => {
    await expect(submission('starttls').verify()).resolves.toBeUndefined();
    await expect(submission('tls').verify()).resolves.toBeUndefined();
  });

  it('a certificate from a CA nobody added is TLS_CERT_UNTRUSTED, on both ports, before any AUTH', async () => {
    const m = await message('nicht vertrauenswürdig');
    await expect(submission('starttls', { ca: [otherCa.caPem] }).send(m.raw, m.envelope)).rejects.toMatchObject({
      code: 'TLS_CERT_UNTRUSTED',
    });
    await expect(submission('tls', { ca: [] }).send(m.raw, m.envelope)).rejects.toMatchObject({
      code: 'TLS_CERT_UNTRUSTED',
    });
  });

  it('an unknown recipient is SMTP_RECIPIENT_REJECTED', async () => {
    const m = await buildOutboundMessage({
      from: { name: '', address: postfix.addressOf('anna') },
      to: [{ name: '', address: 'niemand@stadt.example' }],
      cc: [],
      bcc: [],
      subject: 'an niemanden',
      text: 'x',
      html: null,
      inReplyTo: null,
      references: [],
      attachments: [],
    });
    await expect(submission('starttls').send(m.raw, m.envelope)).rejects.toMatchObject({
      code: 'SMTP_RECIPIENT_REJECTED',
    });
  });

  it('a closed port is CONNECTION_REFUSED', async () => {
    const s = new SmtpSubmission(
      { host: '127.0.0.1', port: 1, security: 'starttls', username: 'anna' },
      { password: async () => 'x', trust: { extraCaPem: [dovecot.cert.caPem] } },
    );
    await expect(s.verify()).rejects.toMatchObject({ code: 'CONNECTION_REFUSED' });
  });

  it('a message over the size limit is SMTP_MESSAGE_TOO_LARGE (a second Postfix instance runs alongside)', async () => {
    const small = await startPostfix({ dovecot, messageSizeLimit: 20_000 });
    try {
      expect(small.submissionPort).not.toBe(postfix.submissionPort);
      const m = await buildOutboundMessage({
        from: { name: '', address: postfix.addressOf('anna') },
        to: [{ name: '', address: postfix.addressOf('anna') }],
        cc: [],
        bcc: [],
        subject: 'zu groß',
        text: 'x',
        html: null,
        inReplyTo: null,
        references: [],
        attachments: [{ filename: 'plan.pdf', mimeType: 'application/pdf', content: new Uint8Array(64 * 1024) }],
      });
      const s = new SmtpSubmission(
        { host: '127.0.0.1', port: small.submissionPort, security: 'starttls', username: anna.user },
        { password: async () => anna.pass, trust: { extraCaPem: [dovecot.cert.caPem] } },
      );
      await expect(s.send(m.raw, m.envelope)).rejects.toMatchObject({ code: 'SMTP_MESSAGE_TOO_LARGE' });
      // The first instance still works.
      await expect(submission('starttls').verify()).resolves.toBeUndefined();
    } finally {
      await stopAndRemovePostfix(small);
    }
  });

  // Last: Dovecot delays every later login from 127.0.0.1 after a failed one (auth penalty).
  it('a wrong password is SMTP_AUTH_FAILED', async () => {
    const m = await message('falsches Passwort');
    await expect(submission('starttls', { pass: 'falsch' }).send(m.raw, m.envelope)).rejects.toMatchObject({
      code: 'SMTP_AUTH_FAILED',
    });
  });
});
