import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../electron/services/app-services';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { startPostfix, stopAndRemovePostfix, type PostfixServer } from '../servers/postfix';
import { makeSmimeCa, type SmimeCa, type SmimePerson } from '../servers/smime-ca';
import { sendInput as mail } from '../support/send-input';
import { maildirFilesWith } from '../support/server-folder';
import { until } from '../support/wait-until';

// S/MIME through the app's own services against a real Dovecot: an identity imported from a PKCS#12
// file into the vault opens encrypted mail in the reader, signatures show their status line, and
// correspondents' certificates are collected from signed mail. Encrypted mail with Bcc recipients goes out
// as separate messages: the CMS EnvelopedData names every recipient it is encrypted to (a RecipientInfo
// with issuer and serial each), so To and Cc must not get one encrypted to the Bcc recipients, nor a Bcc
// recipient one encrypted to another; OpenSSL reads the RecipientInfos of what Dovecot delivered.

const USER = { user: 'anna', pass: 'Rat#2026' };
const BOB = { user: 'bob', pass: 'Bob#2026' };
/** Recipients of the Bcc test, each with a mailbox and a certificate. */
const PEOPLE = ['bob', 'carl', 'dora', 'emil'] as const;
type Person = (typeof PEOPLE)[number];
const SUBJECT = 'Personalsache vertraulich';
const SECRET = 'Vertrauliche Personalsache 4711';
const BODY = 'Content-Type: text/plain; charset=utf-8\r\n\r\nGeheime Vorlage 17/2026\r\n';

describe('S/MIME in the mail services', () => {
  let ca: SmimeCa;
  let anna: SmimePerson;
  let bob: SmimePerson;
  const person = {} as Record<Person, SmimePerson>;
  let dovecot: DovecotServer;
  let postfix: PostfixServer;
  let dataDir: string;
  let services: ReturnType<typeof createServices>;

  beforeAll(async () => {
    ca = makeSmimeCa();
    anna = ca.person('Anna Rat', 'anna@stadt.example');
    bob = ca.person('Bob Beispiel', 'bob@stadt.example');
    person.bob = bob;
    for (const p of PEOPLE.slice(1)) person[p] = ca.person(p, `${p}@stadt.example`);
    dovecot = await startDovecot({
      users: [USER, BOB, ...PEOPLE.slice(1).map((user) => ({ user, pass: `${user}-pw` }))],
      withLmtpAndAuth: true,
    });
    postfix = await startPostfix({ dovecot });
    const body = ca.file('body.eml', BODY);
    const signed = ca.openssl(['cms', '-sign', '-in', body, '-signer', bob.certFile, '-inkey', bob.keyFile]);
    const signedFile = ca.file('signed.eml', signed);
    const encrypted = ca.openssl(['cms', '-encrypt', '-in', signedFile, '-aes-256-cbc', anna.certFile]);
    const head = (subject: string) =>
      `From: Bob Beispiel <bob@stadt.example>\r\nTo: anna@stadt.example\r\nSubject: ${subject}\r\nDate: Mon, 2 Mar 2026 08:00:00 +0000\r\nMessage-ID: <${randomUUID()}@stadt.example>\r\n`;
    dovecot.seed(USER.user, [
      { subject: 'signiert', raw: head('signiert') + signed.toString('latin1') },
      { subject: 'verschluesselt', raw: head('verschluesselt') + encrypted.toString('latin1') },
    ]);
    dataDir = mkdtempSync(join(tmpdir(), 'ratsdesk-smime-services-'));
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

  let connected: Promise<unknown> | undefined;
  /** Anna's account, connected once for the tests that need it (each stands alone). */
  function connectAnna(): Promise<unknown> {
    connected ??= services.handlers.account.connect({
      host: '127.0.0.1',
      port: dovecot.imapsPort,
      security: 'tls',
      username: USER.user,
      email: 'anna@stadt.example',
      smtp: { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls' },
      password: USER.pass,
    });
    return connected;
  }

  /** Anna's identity as a PKCS#12 file (password "pw"), base64 as the renderer sends it. */
  function annaP12(): string {
    const p12 = ca.file('anna.p12', '');
    ca.openssl(['pkcs12', '-export', '-in', anna.certFile, '-inkey', anna.keyFile, '-passout', 'pass:pw', '-out', p12]);
    return readFileSync(p12).toString('base64');
  }

  it('imports the identity, reads signed and encrypted mail with its status, collects the signer’s certificate', async () => {
    const h = services.handlers;
    await connectAnna();
    const fileBase64 = annaP12();
    await expect(h.smime.importIdentity({ fileBase64, password: 'falsch' })).rejects.toMatchObject({
      code: 'SMIME_PKCS12_PASSWORD',
    });
    const identity = await h.smime.importIdentity({ fileBase64, password: 'pw' });
    expect(identity).toMatchObject({ email: ['anna@stadt.example'], expired: false, expiresSoon: true }); // the test CA issues for 20 days
    const state = await h.smime.state();
    expect(state.canProtect).toBe(true);
    expect(state.identities).toHaveLength(1);
    expect(await h.smime.recipients({ addresses: ['bob@stadt.example'] })).toEqual([
      { address: 'bob@stadt.example', known: false },
    ]);

    const items = await until('both messages in the inbox', async () => {
      const page = await h.mailSync.listPage({ folder: 'INBOX', offset: 0, limit: 10 });
      return page.items.length === 2 ? page.items : undefined;
    });
    const bySubject = (s: string) => items.find((i) => i.subject === s)!;

    const signed = await h.mailReader.read({ id: bySubject('signiert').id });
    expect(signed.smime).toMatchObject({ code: 'signed-valid', encrypted: false });
    expect(signed.smime?.signer?.email).toEqual(['bob@stadt.example']);
    expect(signed.smime?.signer?.fingerprint).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    expect(signed.text).toContain('Geheime Vorlage 17/2026');

    const encrypted = await h.mailReader.read({ id: bySubject('verschluesselt').id });
    expect(encrypted.smime).toMatchObject({ code: 'signed-valid', encrypted: true });
    expect(encrypted.text).toContain('Geheime Vorlage 17/2026');
    expect(encrypted.attachments.map((a) => a.filename)).not.toContain('smime.p7m');

    // Bob's certificate came with his signed mail: he can now get encrypted mail.
    expect(await h.smime.recipients({ addresses: ['Bob@Stadt.Example'] })).toEqual([
      { address: 'bob@stadt.example', known: true, source: 'mail' },
    ]);

    // Compose: signed and encrypted to Bob and to oneself, through Postfix into Dovecot.
    await h.compose.send(
      mail({
        to: ['bob@stadt.example'],
        cc: ['anna@stadt.example'],
        subject: 'Antwort vertraulich',
        text: 'Vertraulicher Text für den Ausschuss',
        smime: { sign: true, encrypt: true },
      }),
    );
    const delivered = await until(
      'the sent message in the inbox',
      async () => {
        const page = await h.mailSync.listPage({ folder: 'INBOX', offset: 0, limit: 10 });
        return page.items.find((i) => i.subject === 'Antwort vertraulich');
      },
      40_000,
    );
    const mine = await h.mailReader.read({ id: delivered.id });
    expect(mine.smime).toMatchObject({ code: 'signed-valid', encrypted: true });
    expect(mine.smime?.signer?.email).toEqual(['anna@stadt.example']);
    expect(mine.text).toContain('Vertraulicher Text für den Ausschuss');
    // Bob's copy: OpenSSL decrypts it with his key and verifies Anna's signature.
    const bobFile = await until("Bob's copy in his maildir", async () => {
      const { readdirSync } = await import('node:fs');
      const dirNew = join(dovecot.maildir('bob'), 'new');
      try {
        const names = readdirSync(dirNew);
        return names.length ? join(dirNew, names[0]!) : undefined;
      } catch {
        return undefined;
      }
    });
    const raw = readFileSync(bobFile);
    expect(raw.toString('latin1')).not.toContain('Vertraulicher');
    const inner = ca.openssl(['cms', '-decrypt', '-in', bobFile, '-recip', bob.certFile, '-inkey', bob.keyFile]);
    const verified = ca
      .openssl(['cms', '-verify', '-CAfile', ca.caFile, '-in', ca.file('bob-inner.eml', inner)])
      .toString();
    expect(verified).toContain('text/plain');

    // Encrypting to someone without a known certificate is refused with its own code.
    await expect(
      h.compose.send(
        mail({ to: ['niemand@stadt.example'], subject: 'x', text: 'x', smime: { sign: false, encrypt: true } }),
      ),
    ).rejects.toMatchObject({ code: 'SMIME_RECIPIENT_CERTIFICATE_MISSING' });

    // Without the identity the encrypted mail stays closed, with its own status.
    expect(await h.smime.removeIdentity({ id: identity.id })).toBe(true);
  });

  const filesWith = (user: string, folder: string, messageId: string) =>
    maildirFilesWith(dovecot, user, folder, messageId);

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
    await connectAnna();
    await h.smime.importIdentity({ fileBase64: annaP12(), password: 'pw' });
    const pems = PEOPLE.map((p) => person[p].certPem).join('\n');
    await h.smime.importCertificates({ fileBase64: Buffer.from(pems).toString('base64') });
    expect(
      (await h.smime.recipients({ addresses: PEOPLE.map((p) => `${p}@stadt.example`) })).map((r) => r.known),
    ).toEqual([true, true, true, true]);

    // A Bcc recipient needs a certificate as much as To and Cc do: refused, naming the address, nothing queued.
    await expect(
      h.compose.send({
        ...mail({ to: ['bob@stadt.example'], subject: 'x', text: 'x', smime: { sign: true, encrypt: true } }),
        bcc: [{ name: '', address: 'ohne.zertifikat@stadt.example' }],
      }),
    ).rejects.toMatchObject({
      code: 'SMIME_RECIPIENT_CERTIFICATE_MISSING',
      message: /ohne\.zertifikat@stadt\.example/,
    });
    expect((await h.compose.listOutbox()).filter((i) => i.subject === 'x')).toEqual([]);

    const sent = await h.compose.send({
      ...mail({
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
      mail({ to: PEOPLE.map((p) => `${p}@stadt.example`), subject: 'Marker', text: 'Marker' }),
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
    const sentCopies = filesWith(USER.user, 'Sent', messageId);
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
