import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSmime } from '../../electron/services/mail/smime/smime-reader';
import type { SmimeReadContext } from '../../electron/services/mail/smime/smime-reading';
import { smimeStatus } from '../../electron/services/mail/smime/smime-status';
import { encryptEntity } from '../../electron/services/mail/smime/smime-encrypter';
import { signEntity } from '../../electron/services/mail/smime/smime-signer';
import { protectMessage } from '../../electron/services/mail/smime/smime-message';
import MailComposer from 'nodemailer/lib/mail-composer';
import { makeSmimeCa, opensslDate, type SmimeCa, type SmimePerson } from '../servers/smime-ca';

// OpenSSL (`openssl cms`, Debian's package) is the peer in both directions, with throwaway CAs made
// here: whatever OpenSSL produces, Ratsdesk reads; whatever Ratsdesk produces, OpenSSL verifies and
// decrypts.

const BODY =
  'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nSitzung am Montag, Vorlage R=C3=A4te 17/2026\r\n';
const DAY = 86_400_000;

function headers(from: string, to = 'Rat <rat@stadt.example>'): Buffer {
  return Buffer.from(
    `From: ${from}\r\nTo: ${to}\r\nSubject: Vorlage\r\nDate: Mon, 2 Mar 2026 08:00:00 +0000\r\nMessage-ID: <x@stadt.example>\r\n`,
  );
}

function identity(p: SmimePerson) {
  return { certificatePem: p.certPem, privateKeyPem: p.keyPem };
}

describe('S/MIME interop with OpenSSL', () => {
  let ca: SmimeCa;
  let other: SmimeCa;
  let alice: SmimePerson; // RSA
  let bob: SmimePerson; // RSA
  let carol: SmimePerson; // EC P-256, announces GCM
  let dave: SmimePerson; // RSA, announces GCM
  let expired: SmimePerson;
  let notYet: SmimePerson;
  let noSigning: SmimePerson;
  let mallory: SmimePerson; // from a CA nobody trusts
  let bodyFile: string;
  let ctx: (ids?: SmimePerson[]) => SmimeReadContext;

  beforeAll(() => {
    ca = makeSmimeCa();
    other = makeSmimeCa('Unbekannte Stelle');
    alice = ca.person('Alice Muster', 'alice@stadt.example');
    bob = ca.person('Bob Beispiel', 'bob@stadt.example');
    carol = ca.person('Carol Kurve', 'carol@stadt.example', { key: 'ec', announcesGcm: true });
    dave = ca.person('Dave Galois', 'dave@stadt.example', { announcesGcm: true });
    expired = ca.person('Erik Abgelaufen', 'erik@stadt.example', {
      startDate: opensslDate(new Date(Date.now() - 20 * DAY)),
      endDate: opensslDate(new Date(Date.now() - DAY)),
    });
    notYet = ca.person('Nora Spaeter', 'nora@stadt.example', {
      startDate: opensslDate(new Date(Date.now() + 5 * DAY)),
      endDate: opensslDate(new Date(Date.now() + 20 * DAY)),
    });
    noSigning = ca.person('Nils Nurverschluesselt', 'nils@stadt.example', { keyUsage: 'critical,keyEncipherment' });
    mallory = other.person('Mallory Fremd', 'mallory@stadt.example');
    bodyFile = ca.file('body.eml', BODY);
    ctx = (ids = []) => ({ trustAnchorsPem: [ca.caPem], identities: ids.map(identity) });
  });
  afterAll(() => {
    ca?.remove();
    other?.remove();
  });

  const sign = (p: SmimePerson, extra: string[] = [], file = bodyFile) =>
    ca.openssl(['cms', '-sign', '-in', file, '-signer', p.certFile, '-inkey', p.keyFile, ...extra]);
  const message = (from: SmimePerson, smime: Buffer) => Buffer.concat([headers(`${from.name} <${from.email}>`), smime]);

  describe('reads what OpenSSL signs', () => {
    it.each([
      ['detached, SHA-256, RSA PKCS#1 v1.5', ['-md', 'sha256'], 'sha256'],
      ['detached, SHA-384', ['-md', 'sha384'], 'sha384'],
      ['detached, SHA-512', ['-md', 'sha512'], 'sha512'],
      ['opaque signed-data', ['-nodetach', '-md', 'sha256'], 'sha256'],
      ['RSA-PSS', ['-md', 'sha256', '-keyopt', 'rsa_padding_mode:pss'], 'sha256'],
    ])('%s: good, signer Alice', async (_name, args, digest) => {
      const reading = await readSmime(message(alice, sign(alice, args)), ctx());
      expect(reading.signature).toBe('good');
      expect(reading.signer?.email).toEqual(['alice@stadt.example']);
      expect(reading.signer?.subject).toContain('Alice Muster');
      expect(reading.layers[0]).toMatchObject({ kind: 'signed', digest });
      expect(reading.inner?.toString()).toContain('Vorlage R=C3=A4te 17/2026');
      expect(smimeStatus(reading)?.code).toBe('signed-valid');
    });

    it('ECDSA P-256, detached and opaque', async () => {
      for (const extra of [[], ['-nodetach']]) {
        const reading = await readSmime(message(carol, sign(carol, extra)), ctx());
        expect(reading.signature).toBe('good');
        expect(reading.signer?.email).toEqual(['carol@stadt.example']);
      }
    });

    it('SHA-1 verifies but is weak', async () => {
      const reading = await readSmime(message(alice, sign(alice, ['-md', 'sha1'])), ctx());
      expect(reading.signature).toBe('weak');
      expect(reading.layers[0]?.digest).toBe('sha1');
      expect(smimeStatus(reading)?.code).toBe('signed-weak');
    });

    it('a detached signature over a message stored with bare LF line ends still verifies', async () => {
      const lf = Buffer.from(message(alice, sign(alice)).toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
      expect((await readSmime(lf, ctx())).signature).toBe('good');
    });
  });

  describe('reads what OpenSSL encrypts', () => {
    it.each([
      ['RSA PKCS#1 v1.5, AES-256-CBC', ['-aes-256-cbc'], 'bob', 'enveloped', 'aes-256-cbc'],
      ['RSA PKCS#1 v1.5, AES-128-CBC', ['-aes-128-cbc'], 'bob', 'enveloped', 'aes-128-cbc'],
      [
        'RSA-OAEP (SHA-1), AES-256-CBC',
        ['-aes-256-cbc', '-keyopt', 'rsa_padding_mode:oaep'],
        'bob',
        'enveloped',
        'aes-256-cbc',
      ],
      [
        'RSA-OAEP (SHA-256), AES-256-GCM',
        ['-aes-256-gcm', '-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256'],
        'bob',
        'auth-enveloped',
        'aes-256-gcm',
      ],
      ['RSA PKCS#1 v1.5, AES-256-GCM (authEnveloped-data)', ['-aes-256-gcm'], 'bob', 'auth-enveloped', 'aes-256-gcm'],
      ['ECDH (SHA-1 KDF), AES-256-CBC', ['-aes-256-cbc'], 'carol', 'enveloped', 'aes-256-cbc'],
      [
        'ECDH (SHA-256 KDF), AES-256-GCM',
        ['-aes-256-gcm', '-keyopt', 'ecdh_kdf_md:sha256'],
        'carol',
        'auth-enveloped',
        'aes-256-gcm',
      ],
    ])('%s', async (_name, args, who, kind, cipher) => {
      const recipient = who === 'bob' ? bob : carol;
      const smime = ca.openssl([
        'cms',
        '-encrypt',
        '-in',
        bodyFile,
        ...args.slice(0, 1),
        '-recip',
        recipient.certFile,
        ...args.slice(1),
      ]);
      const reading = await readSmime(message(alice, smime), ctx([alice, recipient]));
      expect(reading).toMatchObject({ encrypted: true, decryption: 'ok', signature: 'none' });
      expect(reading.layers[0]).toMatchObject({ kind, cipher });
      expect(reading.inner?.toString()).toContain('Vorlage R=C3=A4te 17/2026');
      expect(smimeStatus(reading)?.code).toBe('encrypted');
    });

    it('finds its own entry among several recipients', async () => {
      const smime = ca.openssl([
        'cms',
        '-encrypt',
        '-in',
        bodyFile,
        '-aes-256-cbc',
        alice.certFile,
        carol.certFile,
        bob.certFile,
      ]);
      for (const p of [alice, bob, carol]) {
        expect((await readSmime(message(alice, smime), ctx([p]))).decryption).toBe('ok');
      }
    });
  });

  describe('nested layers', () => {
    it('signed, then encrypted: both layers, signature inside', async () => {
      const signed = ca.file('signed.eml', sign(alice));
      const smime = ca.openssl(['cms', '-encrypt', '-in', signed, '-aes-256-cbc', bob.certFile]);
      const reading = await readSmime(message(alice, smime), ctx([bob]));
      expect(reading.layers.map((l) => l.kind)).toEqual(['enveloped', 'signed']);
      expect(reading).toMatchObject({ encrypted: true, decryption: 'ok', signature: 'good' });
      expect(reading.inner?.toString()).toContain('Vorlage');
      expect(smimeStatus(reading)).toMatchObject({ code: 'signed-valid', encrypted: true });
    });

    it('encrypted, then signed: the signature covers the ciphertext, the content is opened', async () => {
      const encrypted = ca.file(
        'encrypted.eml',
        ca.openssl(['cms', '-encrypt', '-in', bodyFile, '-aes-256-cbc', bob.certFile]),
      );
      for (const extra of [[], ['-nodetach']]) {
        const reading = await readSmime(message(alice, sign(alice, extra, encrypted)), ctx([bob]));
        expect(reading.layers.map((l) => l.kind)).toEqual(['signed', 'enveloped']);
        expect(reading).toMatchObject({ signature: 'good', encrypted: true, decryption: 'ok' });
        expect(reading.inner?.toString()).toContain('Vorlage');
      }
    });

    it('encrypted, then signed, without the key: the signature still shows, the content stays closed', async () => {
      const encrypted = ca.file(
        'encrypted2.eml',
        ca.openssl(['cms', '-encrypt', '-in', bodyFile, '-aes-256-cbc', bob.certFile]),
      );
      const reading = await readSmime(message(alice, sign(alice, [], encrypted)), ctx([]));
      expect(reading).toMatchObject({ signature: 'good', encrypted: true, decryption: 'no-key' });
      expect(reading.inner).toBeUndefined();
      expect(smimeStatus(reading)?.code).toBe('encrypted-no-key');
    });

    it('a signed message forwarded inside another signed one: outer and inner status', async () => {
      const forwarded = Buffer.concat([headers(`${bob.name} <${bob.email}>`), sign(bob)]);
      const mixed = [
        'Content-Type: multipart/mixed; boundary="fwd"',
        '',
        '--fwd',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Zur Kenntnis, die Nachricht von Bob.',
        '--fwd',
        'Content-Type: message/rfc822',
        'Content-Disposition: attachment; filename="weitergeleitet.eml"',
        '',
        forwarded.toString('latin1'),
        '--fwd--',
        '',
      ].join('\r\n');
      const outer = sign(alice, [], ca.file('mixed.eml', mixed));
      const reading = await readSmime(message(alice, outer), ctx());
      expect(reading.signature).toBe('good');
      expect(reading.layers.map((l) => [l.scope, l.kind, l.signature])).toEqual([
        ['message', 'signed', 'good'],
        ['attached', 'signed', 'good'],
      ]);
      expect(reading.layers[1]?.signer?.email).toEqual(['bob@stadt.example']);
      expect(smimeStatus(reading)).toMatchObject({ code: 'signed-valid', attached: 'signed-valid' });
    });
  });

  describe('each failure has its own status, and nothing crashes', () => {
    it('tampered content: bad', async () => {
      const tampered = Buffer.from(
        message(alice, sign(alice)).toString('latin1').replace('17/2026', '18/2026'),
        'latin1',
      );
      const reading = await readSmime(tampered, ctx());
      expect(reading).toMatchObject({ signature: 'bad' });
      expect(reading.layers[0]?.problem).toBe('digest-mismatch');
      expect(smimeStatus(reading)?.code).toBe('signature-bad');
    });

    it('tampered opaque content: bad', async () => {
      const raw = sign(alice, ['-nodetach', '-binary']);
      const der = Buffer.from(raw.toString('latin1').split(/\r?\n\r?\n/)[1]!, 'base64');
      const at = der.indexOf('17/2026');
      expect(at).toBeGreaterThan(0);
      der[at] = '9'.charCodeAt(0);
      const smime = Buffer.from(
        `Content-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"\r\nContent-Transfer-Encoding: base64\r\n\r\n${der.toString('base64')}\r\n`,
      );
      expect((await readSmime(message(alice, smime), ctx())).signature).toBe('bad');
    });

    it('signer address is not the sender: signer-mismatch', async () => {
      const reading = await readSmime(message(bob, sign(alice)), ctx());
      expect(reading.signature).toBe('signer-mismatch');
      expect(reading.signer?.email).toEqual(['alice@stadt.example']);
      expect(smimeStatus(reading)?.code).toBe('signer-mismatch');
    });

    it('expired certificate: expired', async () => {
      // OpenSSL refuses nothing here: it signs with whatever it is given, as an attacker would.
      const reading = await readSmime(message(expired, sign(expired)), ctx());
      expect(reading.signature).toBe('expired');
      expect(smimeStatus(reading)?.code).toBe('signer-expired');
    });

    it('a certificate not valid yet: not-yet-valid', async () => {
      const reading = await readSmime(message(notYet, sign(notYet)), ctx());
      expect(reading.signature).toBe('not-yet-valid');
      expect(smimeStatus(reading)?.code).toBe('signer-not-yet-valid');
    });

    it('a certificate valid when it signed but expired since: expired, by the clock passed in', async () => {
      const reading = await readSmime(message(alice, sign(alice)), { ...ctx(), at: new Date(Date.now() + 40 * DAY) });
      expect(reading.signature).toBe('expired');
    });

    it('unknown CA: untrusted', async () => {
      const reading = await readSmime(message(mallory, sign(mallory)), ctx());
      expect(reading.signature).toBe('untrusted');
      expect(reading.layers[0]?.problem).toBe('chain-incomplete');
      expect(smimeStatus(reading)?.code).toBe('signer-untrusted');
      // …and trusted once its CA is an anchor
      expect(
        (await readSmime(message(mallory, sign(mallory)), { trustAnchorsPem: [other.caPem], identities: [] }))
          .signature,
      ).toBe('good');
    });

    it('a certificate whose key usage does not allow signing: untrusted (key-usage)', async () => {
      const reading = await readSmime(message(noSigning, sign(noSigning)), ctx());
      expect(reading.signature).toBe('untrusted');
      expect(reading.layers[0]?.problem).toBe('key-usage');
    });

    it('truncated CMS, signed or encrypted: malformed', async () => {
      for (const smime of [
        sign(alice, ['-nodetach']),
        ca.openssl(['cms', '-encrypt', '-in', bodyFile, '-aes-256-cbc', bob.certFile]),
      ]) {
        const text = smime.toString('latin1');
        const truncated = Buffer.from(text.slice(0, Math.floor(text.length * 0.6)), 'latin1');
        const reading = await readSmime(message(alice, truncated), ctx([bob]));
        expect(smimeStatus(reading)?.code).toBe('malformed');
      }
      const detached = sign(alice).toString('latin1');
      const cut = Buffer.from(detached.slice(0, detached.length - 300), 'latin1');
      const reading = await readSmime(message(alice, cut), ctx());
      expect(reading.signature).toBe('bad');
    });

    it('wrong key: no-key when no identity is a recipient, failed when the key does not fit the certificate', async () => {
      const smime = ca.openssl(['cms', '-encrypt', '-in', bodyFile, '-aes-256-cbc', bob.certFile]);
      const noKey = await readSmime(message(alice, smime), ctx([alice]));
      expect(noKey).toMatchObject({ encrypted: true, decryption: 'no-key' });
      expect(smimeStatus(noKey)?.code).toBe('encrypted-no-key');
      const wrong = await readSmime(message(alice, smime), {
        trustAnchorsPem: [ca.caPem],
        identities: [{ certificatePem: bob.certPem, privateKeyPem: dave.keyPem }],
      });
      expect(wrong).toMatchObject({ encrypted: true, decryption: 'failed' });
      expect(smimeStatus(wrong)?.code).toBe('encrypted-failed');
      for (const args of [['-aes-256-gcm'], ['-aes-256-cbc', '-keyopt', 'rsa_padding_mode:oaep']]) {
        const other = ca.openssl([
          'cms',
          '-encrypt',
          '-in',
          bodyFile,
          args[0]!,
          '-recip',
          bob.certFile,
          ...args.slice(1),
        ]);
        const r = await readSmime(message(alice, other), {
          trustAnchorsPem: [ca.caPem],
          identities: [{ certificatePem: bob.certPem, privateKeyPem: dave.keyPem }],
        });
        expect(r.decryption).toBe('failed');
      }
    });

    it('a tampered GCM ciphertext: failed, never the altered text', async () => {
      const smime = ca.openssl(['cms', '-encrypt', '-in', bodyFile, '-outform', 'DER', '-aes-256-gcm', bob.certFile]);
      smime.writeUInt8(smime.readUInt8(smime.length - 40) ^ 0x01, smime.length - 40);
      const wrapped = Buffer.from(
        `Content-Type: application/pkcs7-mime; smime-type=authEnveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\n${smime.toString('base64')}\r\n`,
      );
      const reading = await readSmime(message(alice, wrapped), ctx([bob]));
      expect(reading.decryption).toBe('failed');
      expect(reading.inner).toBeUndefined();
    });
  });

  describe('OpenSSL reads what Ratsdesk produces', () => {
    const verify = (file: string) =>
      ca.openssl(['cms', '-verify', '-in', file, '-CAfile', ca.caFile, '-purpose', 'smimesign']);

    it('multipart/signed, application/pkcs7-signature, SHA-256: verifies (RSA and ECDSA)', async () => {
      for (const p of [alice, carol]) {
        const smime = await signEntity(Buffer.from(BODY), identity(p));
        expect(smime.toString()).toMatch(/multipart\/signed; protocol="application\/pkcs7-signature"; micalg=sha-256/);
        const file = ca.file(`ours-signed-${p.email}.eml`, Buffer.concat([headers(p.email), smime]));
        expect(verify(file).toString()).toBe(BODY);
        const info = ca.openssl(['cms', '-cmsout', '-print', '-in', file]).toString();
        expect(info).toMatch(/digestAlgorithm:\s*\n\s*algorithm: sha256/);
        expect(info).toContain('S/MIME Capabilities');
        // and Ratsdesk reads its own
        expect((await readSmime(readFileSync(file), ctx())).signature).toBe('good');
      }
    });

    it('enveloped-data with AES-256-CBC when a recipient did not announce GCM, to the recipient and to oneself', async () => {
      const smime = await encryptEntity(Buffer.from(BODY), {
        recipients: [{ certificatePem: bob.certPem }],
        self: { certificatePem: alice.certPem },
      });
      expect(smime.toString()).toContain('application/pkcs7-mime; smime-type=enveloped-data');
      const file = ca.file('ours-cbc.eml', Buffer.concat([headers(alice.email), smime]));
      for (const p of [bob, alice]) {
        expect(ca.openssl(['cms', '-decrypt', '-in', file, '-recip', p.certFile, '-inkey', p.keyFile]).toString()).toBe(
          BODY,
        );
      }
      expect(ca.openssl(['cms', '-cmsout', '-print', '-in', file]).toString()).toContain('aes-256-cbc');
    });

    it('authEnveloped-data with AES-256-GCM when every certificate announces it; EC recipients by ECDH', async () => {
      const smime = await encryptEntity(Buffer.from(BODY), {
        recipients: [{ certificatePem: carol.certPem }],
        self: { certificatePem: dave.certPem },
      });
      expect(smime.toString()).toContain('smime-type=authEnveloped-data');
      const file = ca.file('ours-gcm.eml', Buffer.concat([headers(dave.email), smime]));
      for (const p of [carol, dave]) {
        expect(ca.openssl(['cms', '-decrypt', '-in', file, '-recip', p.certFile, '-inkey', p.keyFile]).toString()).toBe(
          BODY,
        );
      }
      expect(ca.openssl(['cms', '-cmsout', '-print', '-in', file]).toString()).toContain('aes-256-gcm');
    });

    it('GCM also when a recipient announced it in a signed mail instead of the certificate', async () => {
      const smime = await encryptEntity(Buffer.from(BODY), {
        recipients: [{ certificatePem: bob.certPem, capabilities: ['2.16.840.1.101.3.4.1.46'] }],
        self: { certificatePem: dave.certPem },
      });
      expect(smime.toString()).toContain('smime-type=authEnveloped-data');
    });

    it('a whole message built by nodemailer, signed and encrypted: OpenSSL opens it, the headers stay outside', async () => {
      const built = await new Promise<Buffer>((resolve, reject) =>
        new MailComposer({
          from: 'Alice Muster <alice@stadt.example>',
          to: 'carol@stadt.example',
          subject: 'Vorlage Räte 17/2026',
          text: 'Grüße aus dem Rathaus — Sitzung am Montag.',
          attachments: [{ filename: 'anlage.txt', content: 'Anlage äöü' }],
        })
          .compile()
          .build((err, msg) => (err ? reject(err) : resolve(msg))),
      );
      const smime = await protectMessage(built, {
        sign: identity(alice),
        encrypt: { recipients: [{ certificatePem: carol.certPem }], self: { certificatePem: alice.certPem } },
      });
      const text = smime.toString('latin1');
      expect(text).toMatch(/^From: Alice Muster <alice@stadt.example>\r\n/m);
      expect(text).toContain('Subject: =?UTF-8?');
      expect(text).not.toContain('Rathaus');
      const file = ca.file('ours-message.eml', smime);
      const decrypted = ca.openssl(['cms', '-decrypt', '-in', file, '-recip', carol.certFile, '-inkey', carol.keyFile]);
      const content = verify(ca.file('ours-message-inner.eml', decrypted)).toString();
      expect(content).toContain('multipart/mixed');
      expect(content).toContain('anlage.txt');
      const reading = await readSmime(smime, ctx([alice]));
      expect(reading).toMatchObject({ signature: 'good', decryption: 'ok' });
    });

    it('signed, then encrypted: OpenSSL decrypts, then verifies; Ratsdesk reads both layers', async () => {
      const signed = await signEntity(Buffer.from(BODY), identity(alice));
      const smime = await encryptEntity(signed, {
        recipients: [{ certificatePem: carol.certPem }],
        self: { certificatePem: alice.certPem },
      });
      const file = ca.file('ours-both.eml', Buffer.concat([headers(alice.email), smime]));
      const decrypted = ca.openssl(['cms', '-decrypt', '-in', file, '-recip', carol.certFile, '-inkey', carol.keyFile]);
      expect(verify(ca.file('ours-both-inner.eml', decrypted)).toString()).toBe(BODY);
      const reading = await readSmime(readFileSync(file), ctx([carol]));
      expect(reading).toMatchObject({ encrypted: true, decryption: 'ok', signature: 'good' });
      expect(reading.inner?.toString()).toBe(BODY);
    });
  });
});
