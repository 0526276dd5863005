import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { makeSmimeCa, type SmimeCa } from '../servers/smime-ca';
import { type AppHost, startAppHost } from './harness/app-host';
import { showArea } from '../support/e2e-account';

const USER = { user: 'anna', pass: 'Rathaus-2020!' };
const BODY = 'Content-Type: text/plain; charset=utf-8\r\n\r\nDie Vorlage 17/2026 liegt bei.\r\n';

// The reading pane's S/MIME status line in Chromium, for mail OpenSSL signed and encrypted, read from a
// real Dovecot with the test CA as the policy's smimeTrustAnchors.
describe('S/MIME status line in the reading pane', () => {
  let ca: SmimeCa;
  let dovecot: DovecotServer;
  let host: AppHost;

  beforeAll(async () => {
    ca = makeSmimeCa();
    const bob = ca.person('Bob Beispiel', 'bob@stadt.example');
    const anna = ca.person('Anna Rat', 'anna@stadt.example');
    const body = ca.file('body.eml', BODY);
    const signed = ca
      .openssl(['cms', '-sign', '-in', body, '-signer', bob.certFile, '-inkey', bob.keyFile])
      .toString('latin1');
    const encrypted = ca.openssl(['cms', '-encrypt', '-in', body, '-aes-256-cbc', anna.certFile]).toString('latin1');
    const head = (subject: string, i: number) =>
      `From: Bob Beispiel <bob@stadt.example>\r\nTo: anna@stadt.example\r\nSubject: ${subject}\r\nDate: Mon, 2 Mar 2026 0${i}:00:00 +0000\r\nMessage-ID: <smime-${i}@stadt.example>\r\n`;
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(USER.user, [
      { subject: '', raw: head('Signierte Vorlage', 1) + signed },
      { subject: '', raw: head('Veraenderte Vorlage', 2) + signed.replace('17/2026', '18/2026') },
      { subject: '', raw: head('Verschluesselte Vorlage', 3) + encrypted },
    ]);
    const policyFile = join(ca.dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ smimeTrustAnchors: [ca.caPem] }));
    host = await startAppHost({ trust: { extraCaPem: [dovecot.cert.caPem] }, policy: { file: policyFile } });
    await host.services.handlers.account.connect({
      host: '127.0.0.1',
      port: dovecot.imapsPort,
      security: 'tls',
      username: USER.user,
      password: USER.pass,
    });
    await host.open();
    await showArea(host, 'mail');
  });

  afterAll(async () => {
    await host?.close();
    await stopAndRemove(dovecot);
    ca?.remove();
  });

  async function open(subject: string) {
    await host.page
      .getByRole('listbox', { name: 'Nachrichten' })
      .getByRole('option')
      .filter({ hasText: subject })
      .click();
    return host.page.locator('.reading-pane .smime-status');
  }

  test('a valid signature: sentence with name and address, certificate one click away', async () => {
    const line = await open('Signierte Vorlage');
    await expect.poll(() => line.getAttribute('data-smime-code')).toBe('signed-valid');
    expect(await line.innerText()).toContain(
      'Digital signiert von Bob Beispiel (bob@stadt.example), Zertifikat gültig',
    );
    await line.getByText('Zertifikat anzeigen').click();
    const details = await line.locator('.smime-certificate').innerText();
    expect(details).toContain('Ratsdesk SMIME Test CA');
    expect(details).toMatch(/([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    expect(await host.page.locator('.reading-pane').innerText()).toContain('Die Vorlage 17/2026 liegt bei.');
    await host.screenshot('smime-signed-valid');
  });

  test('changed content and a missing key each have their own sentence', async () => {
    const bad = await open('Veraenderte Vorlage');
    await expect.poll(() => bad.getAttribute('data-smime-code')).toBe('signature-bad');
    expect(await bad.innerText()).toContain('Signatur ungültig — der Inhalt wurde verändert');
    await host.screenshot('smime-signature-bad');
    const closed = await open('Verschluesselte Vorlage');
    await expect.poll(() => closed.getAttribute('data-smime-code')).toBe('encrypted-no-key');
    expect(await closed.innerText()).toContain('Verschlüsselt — kein passender Schlüssel auf diesem Gerät');
    await host.screenshot('smime-encrypted-no-key');
  });
});
