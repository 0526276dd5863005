import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../electron/services/app-services';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { makeSmimeCa, type SmimeCa, type SmimePerson } from '../servers/smime-ca';
import { connectAccount } from '../support/e2e-account';
import { sendInput } from '../support/send-input';
import { until } from '../support/wait-until';

// The policy keys smimeSearchDecrypted and smimeSigning, applied by the app's own services against a real
// Dovecot, with mail encrypted by OpenSSL: decrypted words are found by the search (the index is inside the
// encrypted vault) and appear in no file of the data folder; with the key off they stay out of the index;
// `mandatory` refuses to send anything unsigned.

const USER = { user: 'anna', pass: 'Rat#2026' };

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  );
}

describe('S/MIME policy keys: decrypted text in the search index, mandatory signing', () => {
  let ca: SmimeCa;
  let anna: SmimePerson;
  let bob: SmimePerson;
  let dovecot: DovecotServer;
  let dataDir: string;
  let services: ReturnType<typeof createServices>;

  /** An encrypted (signed by Bob, then encrypted to Anna) message as OpenSSL writes it. */
  function encryptedMail(subject: string, text: string): string {
    const body = ca.file(`${subject}.eml`, `Content-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`);
    const signed = ca.file(
      `${subject}-signed.eml`,
      ca.openssl(['cms', '-sign', '-in', body, '-signer', bob.certFile, '-inkey', bob.keyFile]),
    );
    const encrypted = ca.openssl(['cms', '-encrypt', '-in', signed, '-aes-256-cbc', anna.certFile]);
    return (
      `From: Bob Beispiel <bob@stadt.example>\r\nTo: anna@stadt.example\r\nSubject: ${subject}\r\n` +
      `Date: Mon, 2 Mar 2026 08:00:00 +0000\r\nMessage-ID: <${randomUUID()}@stadt.example>\r\n` +
      encrypted.toString('latin1')
    );
  }

  async function deliver(subject: string, text: string): Promise<number> {
    dovecot.seed(USER.user, [{ subject, raw: encryptedMail(subject, text) }]);
    await services.handlers.mailSync.syncNow({ folder: 'INBOX' });
    const item = await until(`"${subject}" in the inbox`, async () => {
      const page = await services.handlers.mailSync.listPage({ folder: 'INBOX', offset: 0, limit: 20 });
      return page.items.find((i) => i.subject === subject);
    });
    return item.id;
  }

  const found = async (query: string) =>
    (await services.handlers.mailSync.search({ query, limit: 10 })).items.map((i) => i.subject);

  beforeAll(async () => {
    ca = makeSmimeCa();
    anna = ca.person('Anna Rat', 'anna@stadt.example');
    bob = ca.person('Bob Beispiel', 'bob@stadt.example');
    dovecot = await startDovecot({ users: [USER] });
    dataDir = mkdtempSync(join(tmpdir(), 'ratsdesk-smime-policy-'));
    services = createServices({
      dataDir,
      keychainService: `ratsdesk-test-${randomUUID()}`,
      trust: { extraCaPem: [dovecot.cert.caPem] },
    });
    await connectAccount(services, dovecot, USER, { email: 'anna@stadt.example' });
    const p12 = ca.file('anna.p12', '');
    ca.openssl(['pkcs12', '-export', '-in', anna.certFile, '-inkey', anna.keyFile, '-passout', 'pass:pw', '-out', p12]);
    await services.handlers.smime.importIdentity({ fileBase64: readFileSync(p12).toString('base64'), password: 'pw' });
  });
  afterAll(async () => {
    await services?.dispose();
    await stopAndRemove(dovecot);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    ca?.remove();
  });

  it('finds words of decrypted mail by default, and no file of the data folder holds them', async () => {
    await deliver('Vertrauliche Vorlage', 'Die Zinsbindung endet im Haushaltsjahr.');
    // Headers come first, the body with the first-login download a moment later: its words then.
    expect(
      await until('the decrypted word in the index', async () => {
        const subjects = await found('Zinsbindung');
        return subjects.length ? subjects : undefined;
      }),
    ).toEqual(['Vertrauliche Vorlage']);
    // The index is in the vault (SQLCipher, WAL included): the word is in no file as plain bytes, in
    // UTF-8 or as the index's folded form.
    for (const file of filesUnder(dataDir)) {
      const bytes = readFileSync(file);
      expect(bytes.includes('Zinsbindung'), file).toBe(false);
      expect(bytes.includes('zinsbindung'), file).toBe(false);
    }
  });

  it('with smimeSearchDecrypted off, a newly stored encrypted mail is not found, yet opens in the reader', async () => {
    await services.handlers.policy.setUserValue({ key: 'smimeSearchDecrypted', value: false });
    const id = await deliver('Zweite Vorlage', 'Die Kreisumlage steigt.');
    // Reading it stores its body (if the download had not yet) and opens it in memory: the body is indexed
    // by then, without the decrypted words.
    const read = await services.handlers.mailReader.read({ id });
    expect(read.smime).toMatchObject({ encrypted: true });
    expect(read.text).toContain('Die Kreisumlage steigt.');
    // Its body is in the vault (so it went through the index), and still the decrypted word is not found.
    const session = await services.mailSessions.current();
    await until('the body stored', async () => session.sync.queries.getSource(id) ?? undefined);
    expect(await found('Kreisumlage')).toEqual([]);
    // The subject stays searchable (it travels in clear).
    expect(await found('Zweite')).toEqual(['Zweite Vorlage']);
    await services.handlers.policy.setUserValue({ key: 'smimeSearchDecrypted', value: true });
  });

  it('smimeSigning mandatory: an unsigned mail is refused before it reaches the outbox', async () => {
    await services.handlers.policy.setUserValue({ key: 'smimeSigning', value: 'mandatory' });
    const send = (smime?: { sign: boolean; encrypt: boolean }) =>
      services.handlers.compose.send(
        sendInput({ to: ['bob@stadt.example'], subject: 'Unsigniert', text: 'x', ...(smime ? { smime } : {}) }),
      );
    await expect(send()).rejects.toMatchObject({ code: 'SMIME_SIGNING_REQUIRED' });
    await expect(send({ sign: false, encrypt: true })).rejects.toMatchObject({ code: 'SMIME_SIGNING_REQUIRED' });
    expect(await services.handlers.compose.listOutbox()).toEqual([]);
    expect((await services.handlers.smime.state()).signing).toBe('mandatory');
    await services.handlers.policy.setUserValue({ key: 'smimeSigning', value: undefined });
  });
});
