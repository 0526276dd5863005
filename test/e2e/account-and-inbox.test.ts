import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { freePort } from '../servers/free-port';
import { makeTestCa } from '../servers/tls-ca';
import { type AppHost, startAppHost } from './harness/app-host';
import { keychainAccountName } from '../../electron/services/account/account-service';

const USER = { user: 'anna', pass: 'Rathaus-2020!' };

/**
 * The app arrives on "Heute" with the focus on its heading (a screen reader says where one is), then the
 * person goes to the mail.
 */
async function expectStartPageThenMail(host: AppHost): Promise<void> {
  const heading = host.page.getByRole('heading', { level: 1, name: 'Heute' });
  await heading.waitFor();
  await expect.poll(() => heading.evaluate((h) => h === document.activeElement)).toBe(true);
  const nav = host.page.getByRole('navigation', { name: 'Bereiche' });
  expect(await nav.getByRole('button', { name: 'Heute' }).getAttribute('aria-current')).toBe('page');
  await nav.getByRole('button', { name: 'E-Mail' }).click();
}

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
  // First run starts with the e-mail address (server discovery); manual entry is one click away.
  const manual = page.getByRole('button', { name: 'Manuell einrichten' });
  await Promise.race([manual.waitFor(), page.getByLabel('Mailserver (IMAP)').waitFor()]);
  if (await manual.isVisible()) await manual.click();
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

  test('a person connects over TLS, sees all 60 messages newest first, and the next start connects without asking', async () => {
    const host = await startAppHost({ trust: { extraCaPem: [dovecot.cert.caPem] } });
    try {
      await host.open();
      await fillAccountForm(host, { host: '127.0.0.1', port: dovecot.imapsPort, user: USER.user, pass: USER.pass });
      await expectStartPageThenMail(host);
      const list = host.page.getByRole('listbox', { name: 'Nachrichten' });
      await list.waitFor();
      const options = list.getByRole('option');
      // newest first by date: Vorlage 54 (27 Nov, 09:53) heads the list
      await expect.poll(() => options.first().textContent()).toContain('Vorlage 54');
      // all 60 are synced into the vault; the list is virtualized, so it reports the size instead of rendering all
      await expect.poll(() => options.first().getAttribute('aria-setsize')).toBe('60');
      expect(await options.count()).toBeLessThan(60);
      expect(await options.first().textContent()).toContain('Bürgerbüro');
      // unread state is shown (i % 3 === 0 were seeded as seen; #54 has i = 53 → unread)
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
      // the keychain holds the account's password (bound to its IMAP and SMTP servers) and the vault key, nothing else
      const stored = await host.services.keychain.accounts();
      const account = (await host.services.account.status()).account;
      expect(account).toBeDefined();
      expect(stored.filter((a) => a.startsWith('account:'))).toEqual([keychainAccountName(account!)]);
      expect(keychainAccountName(account!)).toContain(`"${USER.user}","127.0.0.1",${dovecot.imapsPort}`);
      expect(stored.filter((a) => !a.startsWith('account:'))).toEqual(
        stored.includes('vault-key') ? ['vault-key'] : [],
      );

      // Next start: fresh services over the same data folder, a fresh page: no form, straight to "Heute".
      await host.restartServices();
      await host.open();
      await expectStartPageThenMail(host);
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
    // no password was stored for a failed connection
    expect((await host.services.keychain.accounts()).filter((a) => a.startsWith('imap:'))).toEqual([]);
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
