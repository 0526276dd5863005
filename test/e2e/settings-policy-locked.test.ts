import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { startAppHost } from './harness/app-host';
import { showArea } from '../support/e2e-account';

const USER = { user: 'bernd', pass: 'Stadtrat-2026!' };

describe('settings in Chromium: keys locked by policy are read-only, the others persist; connection diagnosis', () => {
  let dovecot: DovecotServer;
  let policyDir: string;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(USER.user, [
      { from: 'Ratsbüro <rat@stadt.example>', subject: 'Tagesordnung Bauausschuss', date: new Date() },
    ]);
    policyDir = mkdtempSync(join(tmpdir(), 'ratsdesk-policy-'));
  });
  afterAll(async () => {
    await stopAndRemove(dovecot);
    rmSync(policyDir, { recursive: true, force: true });
  });

  test('a policy key is shown as set by the administration and cannot be changed; an unlocked key can', async () => {
    const policyFile = join(policyDir, 'policy.json');
    writeFileSync(
      policyFile,
      JSON.stringify({
        imapHost: '127.0.0.1',
        imapPort: dovecot.imapsPort,
        extraCaCertificates: [dovecot.cert.caPem],
        documentExportAllowed: false,
        idleLockMinutes: 10,
      }),
    );
    const host = await startAppHost({ policy: { file: policyFile } });
    try {
      await host.open();
      const { page } = host;
      await page.getByLabel('Benutzername').fill(USER.user);
      await page.getByLabel('Passwort').fill(USER.pass);
      await page.getByRole('button', { name: 'Verbinden' }).click();
      await showArea(host, 'mail');
      await page.getByRole('listbox', { name: 'Nachrichten' }).waitFor();

      await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Einstellungen' }).click();
      await page.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();

      // Locked by policy: disabled, with the explanation tied to the control.
      const exportBox = page.getByLabel('Dokumente außerhalb von Ratsdesk speichern erlaubt');
      expect(await exportBox.isDisabled()).toBe(true);
      expect(await exportBox.isChecked()).toBe(false);
      const describedBy = (await exportBox.getAttribute('aria-describedby')) ?? '';
      expect(await page.locator(`[id="${describedBy}"]`).textContent()).toContain('Von Ihrer IT-Verwaltung festgelegt');
      expect(await page.getByLabel('Sperren nach Minuten ohne Eingabe', { exact: true }).isDisabled()).toBe(true);
      expect(await page.getByLabel('Sperren nach Minuten ohne Eingabe', { exact: true }).inputValue()).toBe('10');
      expect(await page.getByLabel('IMAP-Server', { exact: true }).isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Sperren nach Minuten ohne Eingabe speichern' }).count()).toBe(0);
      // Not even the contract lets the renderer change it.
      const refused = await page.evaluate(() =>
        (
          window as unknown as { ratsdesk: { policy: { setUserValue(i: unknown): Promise<unknown> } } }
        ).ratsdesk.policy.setUserValue({
          key: 'documentExportAllowed',
          value: true,
        }),
      );
      expect(refused).toMatchObject({ ok: false, error: { code: 'POLICY_LOCKED' } });
      // …and the policy reached the services: export is off.
      expect(await host.services.handlers.documents.exportAllowed()).toBe(false);

      // An unlocked key: changed by the person, persisted to the user settings, applied to the document cache.
      const retention = page.getByLabel('Aufbewahrung von Dokumenten (Tage)', { exact: true });
      expect(await retention.isDisabled()).toBe(false);
      await retention.fill('14');
      await page.getByRole('button', { name: 'Aufbewahrung von Dokumenten (Tage) speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'Gespeichert.' }).waitFor();
      const saved = JSON.parse(readFileSync(join(host.dataDir, 'user-settings.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(saved).toEqual({ vaultRetentionDays: 14 });
      // The services apply the house rules for mail, so the settings offer them (unlocked here).
      expect(await page.getByLabel('Weiterleiten an externe Empfänger erlaubt').isDisabled()).toBe(false);
      expect(await page.getByLabel('E-Mails offline verfügbar (Tage)', { exact: true }).isDisabled()).toBe(false);
      await host.screenshot('settings-policy-locked');

      // Connection diagnosis: the doctor runs against the real Dovecot and shows a helpdesk report.
      await page.getByRole('button', { name: 'Verbindung prüfen' }).click();
      const report = page.getByLabel('Bericht für den Helpdesk');
      await report.waitFor({ timeout: 60_000 });
      const text = (await report.textContent()) ?? '';
      expect(text).toContain('Ratsdesk connection diagnosis');
      expect(text).toContain('IMAP:');
      // the IMAP login with the keychain password succeeded (the password itself is not in the report)
      expect(text).toMatch(/\[OK {2}\] login/);
      expect(text).not.toContain(USER.pass);
      await page.getByRole('button', { name: 'Bericht kopieren' }).waitFor();
      await host.screenshot('settings-diagnosis');

      // After a restart the person's value is still there, shown as theirs.
      await host.restartServices();
      await host.open();
      await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Einstellungen' }).click();
      const again = page.getByLabel('Aufbewahrung von Dokumenten (Tage)', { exact: true });
      await expect.poll(() => again.inputValue()).toBe('14');
      const againDescribed = (await again.getAttribute('aria-describedby')) ?? '';
      expect(await page.locator(`[id="${againDescribed}"]`).textContent()).toContain('Von Ihnen geändert');
    } finally {
      await host.close();
    }
  });
});
