import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pemToDer } from '../../electron/services/mail/smime/certificate-facts';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { startLdap, type LdapServer } from '../servers/ldap';
import { type PostfixServer, startPostfix, stopAndRemovePostfix } from '../servers/postfix';
import { makeSmimeCa, type SmimeCa, type SmimePerson } from '../servers/smime-ca';
import { startSignedIn } from '../support/e2e-account';
import { until } from '../support/wait-until';
import type { AppHost } from './harness/app-host';

const ANNA = { user: 'anna', pass: 'Rat#2026-Anna' };
const BOB = { user: 'bob', pass: 'Rat#2026-Bob' };

// S/MIME from the UI, with real components only: the own certificate imported as a PKCS#12 file in the
// settings (OpenSSL made it), a contact's certificate from a file, a message written signed and encrypted
// in the compose window → Postfix → Dovecot → sync → the reading pane's status line; Bob's copy opens with
// OpenSSL. A real slapd serves a recipient's certificate that the compose window picks up.
describe('S/MIME: settings, compose, round trip through Postfix and Dovecot, directory look-up', () => {
  let ca: SmimeCa;
  let anna: SmimePerson;
  let bob: SmimePerson;
  let carol: SmimePerson;
  let dovecot: DovecotServer;
  let postfix: PostfixServer;
  let ldap: LdapServer;
  let host: AppHost;
  let p12File: string;

  beforeAll(async () => {
    ca = makeSmimeCa();
    anna = ca.person('Anna Rat', 'anna@stadt.example');
    bob = ca.person('Bob Beispiel', 'bob@stadt.example');
    carol = ca.person('Carol Verzeichnis', 'carol@stadt.example');
    p12File = ca.file('anna.p12', '');
    ca.openssl([
      'pkcs12',
      '-export',
      '-in',
      anna.certFile,
      '-inkey',
      anna.keyFile,
      '-certfile',
      ca.caFile,
      '-passout',
      'pass:Schluessel-2026',
      '-out',
      p12File,
    ]);
    ldap = await startLdap([
      {
        uid: 'carol',
        cn: 'Carol Verzeichnis',
        mail: 'carol@stadt.example',
        certificates: [pemToDer(carol.certPem, 'CERTIFICATE')],
      },
    ]);
    dovecot = await startDovecot({ users: [ANNA, BOB], withLmtpAndAuth: true });
    postfix = await startPostfix({ dovecot });
    dovecot.seed(ANNA.user, [{ subject: 'Willkommen', body: 'Start', from: 'Ratsbüro <rat@stadt.example>' }]);
    const policyFile = ca.file('policy.json', '');
    writeFileSync(
      policyFile,
      JSON.stringify({ smimeTrustAnchors: [ca.caPem], smimeDirectoryUrl: ldap.url, smimeSigning: 'default' }),
    );
    host = await startSignedIn(dovecot, ANNA, {
      policy: { file: policyFile },
      trust: { extraCaPem: [ldap.cert.caPem] },
      account: {
        email: postfix.addressOf(ANNA.user),
        smtp: { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls' },
      },
    });
  });

  afterAll(async () => {
    await host?.close();
    await stopAndRemovePostfix(postfix);
    await stopAndRemove(dovecot);
    await ldap?.stop();
    ca?.remove();
  });

  async function openCompose() {
    const { page } = host;
    await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'E-Mail' }).click();
    const list = page.getByRole('listbox', { name: 'Nachrichten' });
    await list.waitFor();
    await list.focus();
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog', { name: 'Nachricht verfassen' });
    await dialog.waitFor();
    return dialog;
  }

  test('import in the settings, write signed and encrypted, read it back with its status line', async () => {
    const { page } = host;
    await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Einstellungen' }).click();
    const section = page.getByRole('region', { name: 'S/MIME: signieren und verschlüsseln' });
    await section.getByText('Noch kein eigenes Zertifikat eingerichtet.').waitFor();

    // A wrong password: its own sentence; nothing is stored.
    await section.getByLabel('Schlüsseldatei (.p12/.pfx)').setInputFiles(p12File);
    await section.getByLabel('Passwort der Schlüsseldatei').fill('falsch');
    await section.getByRole('button', { name: 'Eigenes Zertifikat importieren' }).click();
    await section.locator('[data-error-code="SMIME_PKCS12_PASSWORD"]').waitFor();
    expect(await section.locator('[data-error-code="SMIME_PKCS12_PASSWORD"]').innerText()).toContain(
      'Das Passwort passt nicht zu dieser Schlüsseldatei',
    );
    expect((await host.services.handlers.smime.state()).identities).toEqual([]);

    await section.getByLabel('Passwort der Schlüsseldatei').fill('Schluessel-2026');
    await section.getByRole('button', { name: 'Eigenes Zertifikat importieren' }).click();
    const card = section.getByRole('listitem').filter({ hasText: 'anna@stadt.example' });
    await card.waitFor();
    expect(await section.getByLabel('Passwort der Schlüsseldatei').inputValue()).toBe('');
    const cardText = await card.innerText();
    expect(cardText).toContain('CN=Anna Rat');
    expect(cardText).toContain('Ratsdesk SMIME Test CA'); // issuer and the chain that came in the file
    expect(cardText).toMatch(/([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    // The test CA issues for 20 days: within the 30 days' warning.
    const warning = card.getByRole('alert');
    expect(await warning.innerText()).toMatch(/Läuft am .* ab \(in (19|20) Tagen\)/);

    // Bob's certificate from a file, as a contact's.
    await section.getByLabel('Zertifikatsdatei').setInputFiles(bob.certFile);
    await section.getByRole('button', { name: 'Kontaktzertifikat importieren' }).click();
    await section.getByText('Zertifikat für eine Adresse gespeichert.').waitFor();
    await host.screenshot('smime-settings');

    // Compose: signing is on from the start (policy "default"); encrypt; every recipient has a certificate.
    const dialog = await openCompose();
    const sign = dialog.getByRole('checkbox', { name: 'Signieren' });
    const encrypt = dialog.getByRole('checkbox', { name: 'Verschlüsseln' });
    await expect.poll(() => sign.isChecked()).toBe(true);
    expect(await sign.isDisabled()).toBe(false);
    const subject = `Vertrauliche Vorlage ${randomUUID().slice(0, 8)}`;
    await dialog.getByLabel('An', { exact: true }).fill(postfix.addressOf(BOB.user));
    await dialog.getByLabel('Kopie (Cc)', { exact: true }).fill(postfix.addressOf(ANNA.user));
    await dialog.getByLabel('Betreff').fill(subject);
    await dialog.getByLabel('Text').fill('Der Entwurf zur Zinsbindung bleibt vertraulich.');
    await encrypt.check();
    const recipients = dialog.locator('.compose-smime-recipients');
    await recipients.getByText('Für alle Empfänger ist ein Zertifikat bekannt.').waitFor();
    expect(await recipients.locator('li[data-source="file"]').innerText()).toContain('bob@stadt.example');
    expect(await recipients.locator('li[data-source="own"]').innerText()).toContain('anna@stadt.example');
    await recipients.scrollIntoViewIfNeeded();
    await host.screenshot('smime-compose');
    await dialog.getByRole('button', { name: 'Senden' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Postfix → LMTP → Dovecot → sync → the list; the reading pane opens it and shows the status line.
    const list = page.getByRole('listbox', { name: 'Nachrichten' });
    const arrived = list.getByRole('option').filter({ hasText: subject });
    await arrived.waitFor({ timeout: 40_000 });
    await arrived.click();
    const status = page.locator('.reading-pane .smime-status');
    await expect.poll(() => status.getAttribute('data-smime-code')).toBe('signed-valid');
    expect(await status.innerText()).toContain('Digital signiert von Anna Rat (anna@stadt.example), Zertifikat gültig');
    expect(await status.innerText()).toContain('verschlüsselt');
    expect(await page.locator('.reading-pane').innerText()).toContain(
      'Der Entwurf zur Zinsbindung bleibt vertraulich.',
    );
    await host.screenshot('smime-round-trip-reading-pane');

    // Bob's copy: encrypted on the wire and in his mailbox; OpenSSL opens it with his key and verifies Anna.
    const bobFile = await until("Bob's copy in his maildir", async () => {
      const dirNew = join(dovecot.maildir(BOB.user), 'new');
      try {
        const names = readdirSync(dirNew);
        return names.length ? join(dirNew, names[0]!) : undefined;
      } catch {
        return undefined;
      }
    });
    expect(readFileSync(bobFile).toString('latin1')).not.toContain('Zinsbindung');
    const inner = ca.openssl(['cms', '-decrypt', '-in', bobFile, '-recip', bob.certFile, '-inkey', bob.keyFile]);
    const verified = ca.openssl(['cms', '-verify', '-CAfile', ca.caFile, '-in', ca.file('bob-inner.eml', inner)]);
    expect(verified.toString()).toContain('Zinsbindung');
  });

  test('the compose window picks up a certificate from the LDAP directory and names who has none', async () => {
    // Stands alone: the identity through the service (the settings test shows the UI path).
    await host.services.handlers.smime.importIdentity({
      fileBase64: readFileSync(p12File).toString('base64'),
      password: 'Schluessel-2026',
    });
    const dialog = await openCompose();
    await dialog.getByLabel('An', { exact: true }).fill('carol@stadt.example, dave@stadt.example');
    await dialog.getByLabel('Betreff').fill('Nur für Carol');
    await dialog.getByRole('checkbox', { name: 'Verschlüsseln' }).check();
    const recipients = dialog.locator('.compose-smime-recipients');
    await recipients.getByText('Für einen Empfänger ist kein Zertifikat bekannt').waitFor();
    const carolRow = recipients.locator('li', { hasText: 'carol@stadt.example' });
    expect(await carolRow.getAttribute('data-source')).toBe('directory');
    expect(await carolRow.innerText()).toContain('Zertifikat aus dem Verzeichnis');
    const daveRow = recipients.locator('li', { hasText: 'dave@stadt.example' });
    expect(await daveRow.getAttribute('data-known')).toBe('false');
    expect(await daveRow.innerText()).toContain('kein Zertifikat');
    await recipients.scrollIntoViewIfNeeded();
    await host.screenshot('smime-compose-directory');

    // Sending encrypted anyway is refused with its sentence; nothing reaches the outbox.
    await dialog.getByRole('button', { name: 'Senden' }).click();
    await dialog.locator('[data-error-code="SMIME_RECIPIENT_CERTIFICATE_MISSING"]').waitFor();
    expect((await host.services.handlers.compose.listOutbox()).filter((i) => i.subject === 'Nur für Carol')).toEqual(
      [],
    );

    // Without Dave, Carol's certificate from the directory is enough.
    await dialog.getByLabel('An', { exact: true }).fill('carol@stadt.example');
    await dialog.getByLabel('Betreff').click();
    await recipients.getByText('Für alle Empfänger ist ein Zertifikat bekannt.').waitFor();
    await dialog.getByRole('button', { name: 'Verwerfen' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  test('encrypted with Bcc: the Bcc recipient gets a copy of its own, which the outbox names when it waits', async () => {
    // Stands alone: identity and Bob's certificate through the service; Carol's comes from the directory.
    // Carol has no mailbox here, so Postfix refuses her copy: it stays in the outbox, named as hers.
    await host.services.handlers.smime.importIdentity({
      fileBase64: readFileSync(p12File).toString('base64'),
      password: 'Schluessel-2026',
    });
    await host.services.handlers.smime.importCertificates({ fileBase64: Buffer.from(bob.certPem).toString('base64') });
    const subject = `Mit Blindkopie ${randomUUID().slice(0, 8)}`;
    const dialog = await openCompose();
    await dialog.getByLabel('An', { exact: true }).fill('bob@stadt.example');
    await dialog.getByLabel('Blindkopie (Bcc)').fill('carol@stadt.example');
    await dialog.getByLabel('Betreff').fill(subject);
    await dialog.getByLabel('Text').fill('Vertraulich, mit Blindkopie.');
    await dialog.getByRole('checkbox', { name: 'Verschlüsseln' }).check();
    const recipients = dialog.locator('.compose-smime-recipients');
    await recipients.getByText('Für alle Empfänger ist ein Zertifikat bekannt.').waitFor();
    expect(await recipients.locator('li', { hasText: 'carol@stadt.example' }).getAttribute('data-known')).toBe('true');
    await dialog.getByRole('button', { name: 'Senden' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const items = await until('the main message sent and the Bcc copy refused', async () => {
      const mine = (await host.services.handlers.compose.listOutbox()).filter((i) => i.subject === subject);
      return mine.length === 2 && mine[0]!.state === 'sent' && mine[1]!.state === 'failed' ? mine : undefined;
    });
    expect(items.map((i) => [i.to, i.bccCopyFor])).toEqual([
      [['bob@stadt.example'], undefined],
      [['carol@stadt.example'], 'carol@stadt.example'],
    ]);

    const { page } = host;
    await page.getByRole('listbox', { name: 'Nachrichten' }).focus();
    await page.keyboard.press('d');
    const panel = page.getByRole('dialog', { name: 'Entwürfe und Postausgang' });
    await panel.waitFor();
    const outbox = panel.getByRole('region', { name: 'Postausgang' });
    // Only the waiting copy is listed (the main message went out).
    await expect.poll(() => outbox.getByRole('listitem').count()).toBe(1);
    const copy = outbox.getByRole('listitem').filter({ hasText: subject });
    expect(await copy.innerText()).toContain('Bcc-Kopie an carol@stadt.example');
    expect(await copy.innerText()).toContain('Versand fehlgeschlagen');
    await copy.getByRole('button', { name: `Nachricht „${subject}“ erneut senden` }).waitFor();
    await host.screenshot('smime-outbox-bcc-copy');
    await copy.getByRole('button', { name: `Nachricht „${subject}“ zurückziehen` }).click();
    await panel.getByText('Im Postausgang wartet nichts auf den Versand.').waitFor();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
  });

  test('a draft keeps its sign/encrypt switches, and one to be encrypted stays on this device', async () => {
    // Stands alone: identity and Bob's certificate through the service.
    await host.services.handlers.smime.importIdentity({
      fileBase64: readFileSync(p12File).toString('base64'),
      password: 'Schluessel-2026',
    });
    await host.services.handlers.smime.importCertificates({ fileBase64: Buffer.from(bob.certPem).toString('base64') });
    const subject = `Vertraulicher Entwurf ${randomUUID().slice(0, 8)}`;
    const { page } = host;
    const dialog = await openCompose();
    await dialog.getByLabel('An', { exact: true }).fill('bob@stadt.example');
    await dialog.getByLabel('Betreff').fill(subject);
    await dialog.getByLabel('Text').fill('Noch nicht fertig.');
    await dialog.getByRole('checkbox', { name: 'Verschlüsseln' }).check();
    await dialog.getByRole('button', { name: 'Entwurf speichern' }).click();
    await page.getByText('Entwurf gespeichert.').first().waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('listbox', { name: 'Nachrichten' }).focus();
    await page.keyboard.press('d');
    const panel = page.getByRole('dialog', { name: 'Entwürfe und Postausgang' });
    await panel.waitFor();
    const entry = panel.getByRole('listitem').filter({ hasText: subject });
    expect(await entry.innerText()).toContain('nur auf diesem Gerät');
    await entry.getByRole('button', { name: `Entwurf „${subject}“ öffnen` }).click();
    const reopened = page.getByRole('dialog', { name: 'Entwurf bearbeiten' });
    await reopened.waitFor();
    await expect.poll(() => reopened.getByRole('checkbox', { name: 'Verschlüsseln' }).isChecked()).toBe(true);
    expect(await reopened.getByRole('checkbox', { name: 'Signieren' }).isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    await reopened.waitFor({ state: 'hidden' });
  });
});
