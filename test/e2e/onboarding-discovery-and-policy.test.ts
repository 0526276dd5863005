import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { makeTestCa, type ServerCert } from '../servers/tls-ca';
import { resultsDir, startAppHost } from './harness/app-host';
import { showArea } from '../support/e2e-account';

const USER = { user: 'anna.schmidt', pass: 'Rathaus-2020!' };
const EMAIL = 'anna.schmidt@stadt.example';

describe('first-run setup in Chromium: discovery through autoconfig, and a mail server preset by policy', () => {
  let dovecot: DovecotServer;
  let autoconfigCa: ServerCert;
  let https: Server;
  let httpsPort: number;
  const autoconfigRequests: string[] = [];
  let policyDir: string;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(
      USER.user,
      Array.from({ length: 20 }, (_, i) => ({
        from: `Ratsbüro <rat${i}@stadt.example>`,
        subject: `Sitzungseinladung ${i + 1}`,
        date: new Date(Date.UTC(2026, 10, 1 + i, 9)),
      })),
    );
    // The city's autoconfig document on loopback HTTPS, with a certificate from a throwaway CA.
    autoconfigCa = makeTestCa(['autoconfig.stadt.example', 'stadt.example']);
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="stadt.example">
    <domain>stadt.example</domain>
    <incomingServer type="imap"><hostname>127.0.0.1</hostname><port>${dovecot.imapsPort}</port><socketType>SSL</socketType><username>%EMAILLOCALPART%</username></incomingServer>
    <outgoingServer type="smtp"><hostname>127.0.0.1</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILLOCALPART%</username></outgoingServer>
  </emailProvider>
</clientConfig>`;
    https = createServer({ cert: autoconfigCa.certPem, key: autoconfigCa.keyPem }, (req, res) => {
      const where = `${req.headers.host ?? ''}${req.url ?? ''}`;
      autoconfigRequests.push(where);
      const hit = where.startsWith('autoconfig.stadt.example/mail/config-v1.1.xml');
      res.writeHead(hit ? 200 : 404, { 'Content-Type': 'text/xml' }).end(hit ? xml : 'not found');
    });
    await new Promise<void>((ok) => https.listen(0, '127.0.0.1', ok));
    httpsPort = (https.address() as AddressInfo).port;
    policyDir = mkdtempSync(join(tmpdir(), 'ratsdesk-policy-'));
  });

  afterAll(async () => {
    await new Promise((ok) => https?.close(ok));
    await stopAndRemove(dovecot);
    rmSync(policyDir, { recursive: true, force: true });
    rmSync(autoconfigCa.dir, { recursive: true, force: true });
  });

  test('without policy: e-mail address → autoconfig on loopback HTTPS → connection test → inbox', async () => {
    const host = await startAppHost({
      trust: { extraCaPem: [dovecot.cert.caPem] },
      policy: { file: join(policyDir, 'absent.json') },
      discovery: {
        extraCaPem: [autoconfigCa.caPem],
        connectTo: () => ({ host: '127.0.0.1', port: httpsPort }),
        // No DNS in tests: SRV is never needed here, autoconfig answers first.
        resolveSrv: async () => [],
      },
    });
    try {
      const started = performance.now();
      await host.open();
      const { page } = host;
      await page.getByLabel('E-Mail-Adresse').fill(EMAIL);
      await page.getByRole('button', { name: 'Weiter' }).click();
      // Issue #10 item 7: the city's autoconfig names 127.0.0.1, a host outside stadt.example. The person is
      // warned with the host and the domain, and no password can be entered before confirming it.
      const warning = page
        .getByRole('alert')
        .filter({ has: page.getByRole('heading', { name: 'Server außerhalb Ihrer Domain' }) });
      await warning.waitFor();
      expect(await warning.textContent()).toContain('nicht zur Domain stadt.example Ihrer Adresse gehört: 127.0.0.1');
      expect(await page.getByLabel('Passwort').count()).toBe(0);
      await host.screenshot('onboarding-foreign-server-warning');
      await page.getByRole('button', { name: 'Ich vertraue 127.0.0.1 – weiter zur Anmeldung' }).click();
      // The servers found are shown before the password is asked.
      await page.getByRole('heading', { name: 'Server gefunden' }).waitFor();
      const summary = page.getByRole('definition').first();
      expect(await summary.textContent()).toBe(`127.0.0.1:${dovecot.imapsPort} (TLS) (außerhalb von stadt.example)`);
      expect(await page.getByLabel('Benutzername').inputValue()).toBe(USER.user);
      await host.screenshot('onboarding-servers-found');
      await page.getByLabel('Passwort').fill(USER.pass);
      await page.getByRole('button', { name: 'Verbinden' }).click();
      await showArea(host, 'mail');
      const first = page.getByRole('listbox', { name: 'Nachrichten' }).getByRole('option').first();
      await first.waitFor();
      await expect.poll(() => first.textContent()).toContain('Sitzungseinladung 20');
      const firstMessageMs = Math.round(performance.now() - started);
      console.log(`[onboarding] first window → first message shown: ${firstMessageMs} ms (autoconfig, Dovecot)`);
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(join(resultsDir, 'onboarding-timing.json'), JSON.stringify({ firstMessageMs }));
      await host.screenshot('onboarding-inbox');

      expect(
        autoconfigRequests.some((r) => r.startsWith('autoconfig.stadt.example/mail/config-v1.1.xml?emailaddress=')),
      ).toBe(true);
      const stored = await host.services.account.status();
      expect(stored.configured).toBe(true);
      expect(stored.account).toMatchObject({
        host: '127.0.0.1',
        port: dovecot.imapsPort,
        security: 'tls',
        username: USER.user,
        email: EMAIL,
      });
      expect(host.foreignRequests).toEqual([]);
    } finally {
      await host.close();
    }
  });

  test('an address without autoconfig says so and offers manual setup', async () => {
    const host = await startAppHost({
      trust: { extraCaPem: [dovecot.cert.caPem] },
      policy: { file: join(policyDir, 'absent.json') },
      discovery: {
        extraCaPem: [autoconfigCa.caPem],
        connectTo: () => ({ host: '127.0.0.1', port: httpsPort }),
        resolveSrv: async () => {
          throw Object.assign(new Error('no record'), { code: 'ENOTFOUND' });
        },
      },
    });
    try {
      await host.open();
      await host.page.getByLabel('E-Mail-Adresse').fill('jemand@unbekannt.example');
      await host.page.getByRole('button', { name: 'Weiter' }).click();
      const alert = host.page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.getAttribute('data-error-code')).toBe('DISCOVERY_FAILED');
      await host.page.getByRole('button', { name: 'Manuell einrichten' }).click();
      await host.page.getByLabel('Mailserver (IMAP)').waitFor();
    } finally {
      await host.close();
    }
  });

  test('with a policy presetting the mail server (and its CA): only user name and password, then the inbox', async () => {
    const policyFile = join(policyDir, 'policy.json');
    writeFileSync(
      policyFile,
      JSON.stringify({
        imapHost: '127.0.0.1',
        imapPort: dovecot.imapsPort,
        imapTls: 'tls',
        extraCaCertificates: [dovecot.cert.caPem],
      }),
    );
    // No trust option: the CA comes from the policy only.
    const host = await startAppHost({ policy: { file: policyFile } });
    try {
      await host.open();
      const { page } = host;
      await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
      expect(await page.getByLabel('E-Mail-Adresse').count()).toBe(0);
      expect(await page.getByLabel('Mailserver (IMAP)').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Manuell einrichten' }).count()).toBe(0);
      await host.screenshot('onboarding-policy-preset');
      await page.getByLabel('Benutzername').fill(USER.user);
      await page.getByLabel('Passwort').fill(USER.pass);
      await page.getByRole('button', { name: 'Verbinden' }).click();
      await showArea(host, 'mail');
      const first = page.getByRole('listbox', { name: 'Nachrichten' }).getByRole('option').first();
      await expect.poll(() => first.textContent()).toContain('Sitzungseinladung 20');
      expect((await host.services.account.status()).account).toMatchObject({
        host: '127.0.0.1',
        port: dovecot.imapsPort,
      });
    } finally {
      await host.close();
    }
  });
});
