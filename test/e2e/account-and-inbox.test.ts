import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { freePort } from '../servers/free-port';
import { makeTestCa } from '../servers/tls-ca';
import { type AppHost, startAppHost } from './harness/app-host';

const USER = { user: 'anna', pass: 'Rathaus-2020!' };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

async function fillAccountForm(
  host: AppHost,
  fields: { host: string; port: number; security?: 'tls' | 'starttls'; user: string; pass: string },
) {
  const { page } = host;
  await page.getByLabel('Mailserver (IMAP)').fill(fields.host);
  await page.getByLabel('Verschlüsselung').selectOption(fields.security ?? 'tls');
  await page.getByLabel('Port').fill(String(fields.port));
  await page.getByLabel('Benutzername').fill(fields.user);
  await page.getByLabel('Passwort').fill(fields.pass);
  await page.getByRole('button', { name: 'Verbinden' }).click();
}

describe('account setup and inbox, in Chromium against real Dovecot and the real keychain', () => {
  let dovecot: DovecotServer;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    const seeded = Array.from({ length: 60 }, (_, i) => ({
      from: `Bürgerbüro <buergerbuero${i}@stadt.example>`,
      subject: `Vorlage ${i + 1}: Haushaltsplan ${2020 + (i % 5)}`,
      date: new Date(Date.UTC(2026, 10, 1 + (i % 27), 9, i % 60)),
      seen: i % 3 === 0,
    }));
    dovecot.seed(USER.user, seeded);
  });
  afterAll(async () => {
    await stopAndRemove(dovecot);
  });

  test('a person connects over TLS, sees the newest 50 messages, and the next start connects without asking', async () => {
    const host = await startAppHost({ trust: { extraCaPem: [dovecot.cert.caPem] } });
    try {
      await host.open();
      await fillAccountForm(host, { host: '127.0.0.1', port: dovecot.imapsPort, user: USER.user, pass: USER.pass });
      const list = host.page.getByRole('listbox', { name: 'Nachrichten' });
      await list.waitFor();
      const options = list.getByRole('option');
      expect(await options.count()).toBe(50);
      // newest first: the last seeded message (Vorlage 60) heads the list
      await expect.poll(() => options.first().textContent()).toContain('Vorlage 60');
      expect(await options.first().textContent()).toContain('Bürgerbüro');
      // unread state is shown (i % 3 === 0 were seeded as seen; #60 has i = 59 → unread)
      expect(await options.first().getAttribute('class')).toContain('unread');
      await host.page.getByText('Posteingang', { exact: true }).first().waitFor();
      // keyboard: the list is focusable and arrow keys move the selection
      await list.focus();
      await host.page.keyboard.press('ArrowDown');
      expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
      const shot = await host.screenshot('inbox');
      expect(statSync(shot).size).toBeGreaterThan(10_000);

      // The password lives in the keychain only: no file in the data folder contains it.
      for (const file of filesUnder(host.dataDir)) {
        expect(readFileSync(file).includes(Buffer.from(USER.pass)), file).toBe(false);
      }
      expect(await host.services.keychain.accounts()).toHaveLength(1);

      // Next start: fresh services over the same data folder, a fresh page: no form, straight to the inbox.
      await host.restartServices();
      await host.open();
      await host.page.getByRole('listbox', { name: 'Nachrichten' }).waitFor();
      expect(await host.page.getByLabel('Passwort').count()).toBe(0);
      expect(host.foreignRequests).toEqual([]);
    } finally {
      await host.close();
    }
  });

  test('English UI on demand', async () => {
    const host = await startAppHost({ trust: { extraCaPem: [dovecot.cert.caPem] } });
    try {
      await host.open();
      await host.page.getByLabel('Sprache').selectOption('en');
      await host.page.getByRole('heading', { name: 'Connect your work mailbox' }).waitFor();
      expect(await host.page.evaluate(() => document.documentElement.lang)).toBe('en');
    } finally {
      await host.close();
    }
  });

  async function expectError(host: AppHost, code: string, sentence: RegExp) {
    const alert = host.page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.getAttribute('data-error-code')).toBe(code);
    const text = (await alert.textContent()) ?? '';
    expect(text).toMatch(sentence);
    expect(text).not.toMatch(/at \w+ \(|Error:|\.ts:\d+/);
    // the form is still there to correct the input: no silent retry loop
    expect(await host.page.getByRole('button', { name: 'Verbinden' }).isEnabled()).toBe(true);
    expect(await host.services.keychain.accounts()).toEqual([]);
  }

  test('a wrong password says so and stores nothing', async () => {
    const host = await startAppHost({ trust: { extraCaPem: [dovecot.cert.caPem] } });
    try {
      await host.open();
      await fillAccountForm(host, { host: '127.0.0.1', port: dovecot.imapsPort, user: USER.user, pass: 'falsch' });
      await expectError(host, 'AUTH_FAILED', /Passwort ist falsch/);
    } finally {
      await host.close();
    }
  });

  test('an untrusted certificate is refused with a plain sentence', async () => {
    const otherCa = makeTestCa();
    const host = await startAppHost({ trust: { extraCaPem: [otherCa.caPem] } });
    try {
      await host.open();
      await fillAccountForm(host, { host: '127.0.0.1', port: dovecot.imapsPort, user: USER.user, pass: USER.pass });
      await expectError(host, 'TLS_CERT_UNTRUSTED', /Zertifikat des Servers ist nicht vertrauenswürdig/);
    } finally {
      await host.close();
    }
  });

  test('a closed port says the server does not accept connections', async () => {
    const host = await startAppHost({ trust: { extraCaPem: [dovecot.cert.caPem] } });
    try {
      await host.open();
      await fillAccountForm(host, { host: '127.0.0.1', port: await freePort(), user: USER.user, pass: USER.pass });
      await expectError(host, 'CONNECTION_REFUSED', /nimmt auf diesem Port keine Verbindung an/);
    } finally {
      await host.close();
    }
  });

  test('a server without TLS is refused, with implicit TLS and with STARTTLS', async () => {
    const plain = await startDovecot({ users: [USER], tls: 'none' });
    const host = await startAppHost({ trust: { extraCaPem: [dovecot.cert.caPem] } });
    try {
      await host.open();
      await fillAccountForm(host, { host: '127.0.0.1', port: plain.imapPort, user: USER.user, pass: USER.pass });
      await expectError(host, 'TLS_NOT_OFFERED', /keine verschlüsselte Verbindung/);
      await fillAccountForm(host, {
        host: '127.0.0.1',
        port: plain.imapPort,
        security: 'starttls',
        user: USER.user,
        pass: USER.pass,
      });
      await expectError(host, 'TLS_NOT_OFFERED', /keine verschlüsselte Verbindung/);
    } finally {
      await host.close();
      await stopAndRemove(plain);
    }
  });
});
