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
import { until } from '../support/wait-until';

// S/MIME through the app's own services against a real Dovecot: an identity imported from a PKCS#12
// file into the vault opens encrypted mail in the reader, signatures show their status line, and
// correspondents' certificates are collected from signed mail.

const USER = { user: 'anna', pass: 'Rat#2026' };
const BOB = { user: 'bob', pass: 'Bob#2026' };
const BODY = 'Content-Type: text/plain; charset=utf-8\r\n\r\nGeheime Vorlage 17/2026\r\n';

describe('S/MIME in the mail services', () => {
  let ca: SmimeCa;
  let anna: SmimePerson;
  let bob: SmimePerson;
  let dovecot: DovecotServer;
  let postfix: PostfixServer;
  let dataDir: string;
  let services: ReturnType<typeof createServices>;

  beforeAll(async () => {
    ca = makeSmimeCa();
    anna = ca.person('Anna Rat', 'anna@stadt.example');
    bob = ca.person('Bob Beispiel', 'bob@stadt.example');
    dovecot = await startDovecot({ users: [USER, BOB], withLmtpAndAuth: true });
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

  it('imports the identity, reads signed and encrypted mail with its status, collects the signer’s certificate', async () => {
    const h = services.handlers;
    await h.account.connect({
      host: '127.0.0.1',
      port: dovecot.imapsPort,
      security: 'tls',
      username: USER.user,
      email: 'anna@stadt.example',
      smtp: { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls' },
      password: USER.pass,
    });
    const p12 = ca.file('anna.p12', '');
    ca.openssl(['pkcs12', '-export', '-in', anna.certFile, '-inkey', anna.keyFile, '-passout', 'pass:pw', '-out', p12]);
    const fileBase64 = readFileSync(p12).toString('base64');
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
});
