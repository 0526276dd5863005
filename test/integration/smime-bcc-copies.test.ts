import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../electron/services/app-services';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { startPostfix, stopAndRemovePostfix, type PostfixServer } from '../servers/postfix';
import { makeSmimeCa, type SmimeCa, type SmimePerson } from '../servers/smime-ca';
import { sendInput } from '../support/send-input';
import { until } from '../support/wait-until';

// Encrypted mail with Bcc recipients, through the app's services, real Postfix and Dovecot, checked with
// OpenSSL: the CMS EnvelopedData of a message names every recipient it is encrypted to (a RecipientInfo
// with issuer and serial each), so To and Cc must not get a message encrypted to the Bcc recipients, and
// no Bcc recipient one encrypted to another. Each Bcc recipient gets a copy of its own; Sent holds one.

const SENDER = { user: 'anna', pass: 'Rat#2026' };
const PEOPLE = ['bob', 'carl', 'dora', 'emil'] as const;
type Person = (typeof PEOPLE)[number];
const SUBJECT = 'Personalsache vertraulich';
const SECRET = 'Vertrauliche Personalsache 4711';

describe('S/MIME encrypted mail with Bcc recipients', () => {
  let ca: SmimeCa;
  let anna: SmimePerson;
  const person = {} as Record<Person, SmimePerson>;
  let dovecot: DovecotServer;
  let postfix: PostfixServer;
  let dataDir: string;
  let services: ReturnType<typeof createServices>;

  beforeAll(async () => {
    ca = makeSmimeCa();
    anna = ca.person('Anna Rat', 'anna@stadt.example');
    for (const p of PEOPLE) person[p] = ca.person(p, `${p}@stadt.example`);
    dovecot = await startDovecot({
      users: [SENDER, ...PEOPLE.map((user) => ({ user, pass: `${user}-pw` }))],
      withLmtpAndAuth: true,
    });
    postfix = await startPostfix({ dovecot });
    dataDir = mkdtempSync(join(tmpdir(), 'ratsdesk-smime-bcc-'));
    const policyFile = join(dataDir, 'machine-policy.json');
    writeFileSync(policyFile, JSON.stringify({ smimeTrustAnchors: [ca.caPem] }));
    services = createServices({
      dataDir,
      keychainService: `ratsdesk-test-${randomUUID()}`,
      trust: { extraCaPem: [dovecot.cert.caPem] },
      policy: { file: policyFile },
    });
  });
  afterAll(async () => {
    await services?.dispose();
    await stopAndRemovePostfix(postfix);
    await stopAndRemove(dovecot);
    rmSync(dataDir, { recursive: true, force: true });
    ca?.remove();
  });

  /** The files of a maildir folder holding this Message-ID. */
  function filesWith(user: string, folder: string, messageId: string): string[] {
    const base = folder === 'INBOX' ? dovecot.maildir(user) : join(dovecot.maildir(user), `.${folder}`);
    const out: string[] = [];
    for (const sub of ['new', 'cur']) {
      const dir = join(base, sub);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir)) {
        const file = join(dir, name);
        if (readFileSync(file, 'latin1').includes(messageId)) out.push(file);
      }
    }
    return out;
  }

  /** The certificate serial numbers a message's CMS RecipientInfos name, read by OpenSSL. */
  function recipientSerials(file: string): bigint[] {
    const printed = ca.openssl(['cms', '-cmsout', '-print', '-in', file]).toString();
    const infos = printed.slice(printed.indexOf('recipientInfos:'), printed.indexOf('encryptedContentInfo:'));
    return [...infos.matchAll(/serialNumber: (\S+)/g)].map((m) => BigInt(m[1]!)).sort();
  }

  function serialOf(p: SmimePerson): bigint {
    const out = ca.openssl(['x509', '-noout', '-serial', '-in', p.certFile]).toString();
    return BigInt(`0x${out.trim().replace(/^serial=/, '')}`);
  }

  const serials = (...people: SmimePerson[]) => people.map(serialOf).sort();

  function decrypt(file: string, p: SmimePerson): string {
    return ca.openssl(['cms', '-decrypt', '-in', file, '-recip', p.certFile, '-inkey', p.keyFile]).toString('latin1');
  }

  it('sends one message to To and Cc and one copy per Bcc recipient, each encrypted only to its readers', async () => {
    const h = services.handlers;
    await h.account.connect({
      host: '127.0.0.1',
      port: dovecot.imapsPort,
      security: 'tls',
      username: SENDER.user,
      email: 'anna@stadt.example',
      smtp: { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls' },
      password: SENDER.pass,
    });
    const p12 = ca.file('anna.p12', '');
    ca.openssl(['pkcs12', '-export', '-in', anna.certFile, '-inkey', anna.keyFile, '-passout', 'pass:pw', '-out', p12]);
    await h.smime.importIdentity({ fileBase64: readFileSync(p12).toString('base64'), password: 'pw' });
    const pems = PEOPLE.map((p) => person[p].certPem).join('\n');
    expect(await h.smime.importCertificates({ fileBase64: Buffer.from(pems).toString('base64') })).toEqual({
      stored: 4,
    });

    // A Bcc recipient needs a certificate as much as To and Cc do: refused, naming the address, nothing queued.
    await expect(
      h.compose.send({
        ...sendInput({ to: ['bob@stadt.example'], subject: 'x', text: 'x', smime: { sign: true, encrypt: true } }),
        bcc: [{ name: '', address: 'ohne.zertifikat@stadt.example' }],
      }),
    ).rejects.toMatchObject({
      code: 'SMIME_RECIPIENT_CERTIFICATE_MISSING',
      message: /ohne\.zertifikat@stadt\.example/,
    });
    expect(await h.compose.listOutbox()).toEqual([]);

    const sent = await h.compose.send({
      ...sendInput({
        to: ['bob@stadt.example'],
        cc: ['carl@stadt.example'],
        subject: SUBJECT,
        text: SECRET,
        smime: { sign: true, encrypt: true },
      }),
      bcc: [
        { name: '', address: 'dora@stadt.example' },
        { name: 'Emil', address: 'emil@stadt.example' },
      ],
    });
    const messageId = sent.messageId;
    // A plain marker to everyone after it: once each has it, every copy of the encrypted one has arrived too.
    const marker = await h.compose.send(
      sendInput({ to: PEOPLE.map((p) => `${p}@stadt.example`), subject: 'Marker', text: 'Marker' }),
    );
    for (const p of PEOPLE) {
      await until(`the marker for ${p}`, async () => filesWith(p, 'INBOX', marker.messageId).length === 1 || undefined);
    }

    const delivered = {} as Record<Person, string>;
    for (const p of PEOPLE) {
      const files = filesWith(p, 'INBOX', messageId);
      expect(files, `${p} gets exactly one copy`).toHaveLength(1);
      delivered[p] = files[0]!;
      const raw = readFileSync(delivered[p], 'latin1');
      expect(raw).not.toContain(SECRET);
      // No delivered message carries a Bcc header, outside or inside the encryption.
      expect(raw).not.toMatch(/^bcc\s*:/im);
      const inner = decrypt(delivered[p], person[p]);
      expect(inner).not.toMatch(/^bcc\s*:/im);
      expect(inner).not.toContain('dora@stadt.example');
      expect(inner).not.toContain('emil@stadt.example');
      // Signed inside: OpenSSL verifies Anna's signature against the test CA.
      const verified = ca
        .openssl(['cms', '-verify', '-CAfile', ca.caFile, '-in', ca.file(`${p}-inner.eml`, inner)])
        .toString('utf8');
      expect(verified).toContain(SECRET);
    }
    // Who each message is encrypted to: To and Cc see only each other and the sender, each Bcc recipient
    // only itself and the sender.
    expect(recipientSerials(delivered.bob)).toEqual(serials(person.bob, person.carl, anna));
    expect(recipientSerials(delivered.carl)).toEqual(serials(person.bob, person.carl, anna));
    expect(recipientSerials(delivered.dora)).toEqual(serials(person.dora, anna));
    expect(recipientSerials(delivered.emil)).toEqual(serials(person.emil, anna));
    // Only the own key opens a Bcc copy.
    expect(() => decrypt(delivered.dora, person.emil)).toThrow();
    expect(() => decrypt(delivered.bob, person.dora)).toThrow();

    // The outbox names the copies, with the same Message-ID; all are sent, no copy is filed.
    const items = await until('the main message and both copies sent', async () => {
      const list = (await h.compose.listOutbox()).filter((i) => i.messageId === messageId);
      return list.length === 3 && list.every((i) => i.state === 'sent') ? list : undefined;
    });
    expect(items.map((i) => [i.messageId, i.to, i.bccCopyFor])).toEqual([
      [messageId, ['bob@stadt.example', 'carl@stadt.example'], undefined],
      [messageId, ['dora@stadt.example'], 'dora@stadt.example'],
      [messageId, ['emil@stadt.example'], 'emil@stadt.example'],
    ]);

    // Sent holds exactly one copy: the main message, its Bcc header outside the encrypted entity, readable
    // by the sender.
    const sentCopies = filesWith(SENDER.user, 'Sent', messageId);
    expect(sentCopies).toHaveLength(1);
    const sentRaw = readFileSync(sentCopies[0]!, 'latin1');
    const outerHead = sentRaw.slice(0, sentRaw.search(/\r?\n\r?\n/));
    expect(outerHead).toMatch(/^bcc: dora@stadt\.example, "?Emil"? <emil@stadt\.example>/im);
    expect(recipientSerials(sentCopies[0]!)).toEqual(serials(person.bob, person.carl, anna));
    const sentInner = decrypt(sentCopies[0]!, anna);
    expect(sentInner).not.toMatch(/^bcc\s*:/im);
    expect(sentInner).toContain('application/pkcs7-signature');
  });
});
