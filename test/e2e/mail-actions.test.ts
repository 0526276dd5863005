import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type DovecotServer, type SeedMessage, startDovecot, stopAndRemove, type TestUser } from '../servers/dovecot';
import { freePort } from '../servers/free-port';
import { showArea, startSignedIn } from '../support/e2e-account';
import { messagesOnServer } from '../support/server-folder';
import { buildMimeMessage } from '../support/mime-message';
import type { AppHost } from './harness/app-host';
import { makeTestPdf } from './harness/test-pdf';
import { inkedPixels } from './harness/canvas-ink';

const PASSWORD = 'Rathaus-2020!';
const day = (d: number) => new Date(Date.UTC(2026, 10, d, 9, 0));

describe('mail actions in Chromium against real Dovecot: flag, move, archive, drafts, attachments in the viewer', () => {
  let dovecot: DovecotServer;
  /** A loopback port where nothing listens: the SMTP server of this account refuses every connection. */
  let closedSmtpPort: number;
  const policyDir = mkdtempSync(join(tmpdir(), 'ratsdesk-policy-'));
  const policyFile = join(policyDir, 'policy.json');
  let inbox: SeedMessage[];
  let mailboxes = 0;
  /** Each test's own mailbox on the server, and the app signed in to it. */
  let user: TestUser;
  let host: AppHost;

  const onServer = (folder: string) => messagesOnServer(dovecot, user, folder);
  const subjectsOn = async (folder: string) => (await onServer(folder)).map((m) => m.subject);

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [] });
    const pdf = await makeTestPdf({ pages: 3 });
    inbox = [
      { subject: 'Radweg Nordstadt: Sitzungsvorlage', body: 'Die Vorlage zum Radweg.', date: day(2) },
      { subject: 'Kulturausschuss: Einladung', body: 'Einladung zur Sitzung.', date: day(3) },
      { subject: 'Protokoll Bauausschuss', body: 'Das Protokoll der letzten Sitzung.', date: day(4) },
      {
        subject: '',
        // A message with a PDF attachment, as a council office would send it.
        raw: buildMimeMessage({
          from: 'Kämmerei <kaemmerei@stadt.example>',
          to: 'anna@stadt.example',
          subject: 'Haushaltssatzung 2027 als PDF',
          date: day(10),
          messageId: 'pdf-4711@stadt.example',
          text: 'Anbei die Haushaltssatzung als PDF.',
          attachments: [{ filename: 'Haushaltssatzung.pdf', contentType: 'application/pdf', content: pdf }],
        }),
      },
    ];
    closedSmtpPort = await freePort();
    // The administration's house rule: recipients outside stadt.example are confirmed before sending.
    writeFileSync(policyFile, JSON.stringify({ recipientDomainsAllowed: ['stadt.example'] }));
  });

  // Every test starts from the same state of its own: a fresh mailbox with the inbox above and a folder
  // "Projekte", and the app signed in to it (anna@stadt.example, sending through the refusing SMTP port).
  beforeEach(async () => {
    user = { user: `anna${++mailboxes}`, pass: PASSWORD };
    await dovecot.addUser(user);
    dovecot.seed(user.user, inbox);
    dovecot.seed(user.user, [{ subject: 'Projektplan Ratsdesk', date: day(1) }], 'Projekte');
    host = await startSignedIn(dovecot, user, {
      policy: { file: policyFile },
      account: {
        email: 'anna@stadt.example',
        smtp: { host: '127.0.0.1', port: closedSmtpPort, security: 'starttls' },
      },
    });
  });

  afterEach(async () => {
    await host?.close();
    await dovecot.start(); // the offline test stops it
  });

  afterAll(async () => {
    await stopAndRemove(dovecot);
    rmSync(policyDir, { recursive: true, force: true });
  });

  const list = () => host.page.getByRole('listbox', { name: 'Nachrichten' });
  const row = (subject: string) => list().getByRole('option').filter({ hasText: subject });
  const reader = () => host.page.getByRole('region', { name: 'Nachricht', exact: true });
  const toolbar = () => host.page.getByRole('toolbar', { name: 'Aktionen' });

  async function select(subject: string) {
    await row(subject).click();
    await reader().getByRole('heading', { name: subject }).waitFor();
    await list().focus();
  }

  test('"s" flags a message: shown in the list, the reading pane and the toolbar, and flagged on the server', async () => {
    const { page } = host;
    await select('Radweg Nordstadt: Sitzungsvorlage');
    await page.keyboard.press('s');
    await expect.poll(() => row('Radweg Nordstadt').getAttribute('data-flagged')).toBe('true');
    expect(await row('Radweg Nordstadt').textContent()).toContain('markiert');
    const badge = reader().locator('[data-flagged="true"]');
    await badge.waitFor();
    expect(await badge.textContent()).toContain('Markiert');
    expect(await toolbar().getByRole('button', { name: 'Markieren' }).getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(async () => (await onServer('INBOX')).find((m) => m.subject.startsWith('Radweg'))?.flags, {
        timeout: 20_000,
      })
      .toContain('\\Flagged');

    // and the toolbar button takes it back
    await toolbar().getByRole('button', { name: 'Markieren' }).click();
    await expect.poll(() => row('Radweg Nordstadt').getAttribute('data-flagged')).toBe(null);
    expect(await badge.count()).toBe(0);
    await expect
      .poll(async () => (await onServer('INBOX')).find((m) => m.subject.startsWith('Radweg'))?.flags, {
        timeout: 20_000,
      })
      .not.toContain('\\Flagged');
  });

  test('"m" opens the folder picker (German names, keyboard only) and moves the message; "e" archives', async () => {
    const { page } = host;
    await select('Kulturausschuss: Einladung');
    await page.keyboard.press('m');
    const picker = page.getByRole('dialog', { name: 'In Ordner verschieben' });
    await picker.waitFor();
    const names = await picker.getByRole('button').allTextContents();
    expect(names).toEqual(
      expect.arrayContaining(['Entwürfe', 'Gesendet', 'Archiv', 'Spam', 'Papierkorb', 'Projekte', 'Abbrechen']),
    );
    // The folder the message is in is not offered.
    expect(names).not.toContain('Posteingang');
    // Type-ahead: "p" → Papierkorb, "p" again → Projekte; Enter moves.
    await page.keyboard.press('p');
    await page.keyboard.press('p');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Projekte');
    await host.screenshot('mail-move-picker');
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'hidden' });
    await expect.poll(() => row('Kulturausschuss').count()).toBe(0);
    await expect.poll(() => page.locator('.mail-toolbar .notice').textContent()).toContain('„Projekte“');
    await expect.poll(() => subjectsOn('Projekte'), { timeout: 20_000 }).toContain('Kulturausschuss: Einladung');
    expect(await subjectsOn('INBOX')).not.toContain('Kulturausschuss: Einladung');

    // Archive (special use \Archive): key e
    await select('Protokoll Bauausschuss');
    await page.keyboard.press('e');
    await expect.poll(() => row('Protokoll Bauausschuss').count()).toBe(0);
    await expect.poll(() => subjectsOn('Archive'), { timeout: 20_000 }).toContain('Protokoll Bauausschuss');

    // The moved message is in its new folder in the app too.
    await page
      .getByRole('navigation', { name: 'Ordner' })
      .getByRole('button', { name: /Projekte/ })
      .click();
    await row('Kulturausschuss: Einladung').waitFor();
    await page
      .getByRole('navigation', { name: 'Ordner' })
      .getByRole('button', { name: /Posteingang/ })
      .click();
    await row('Radweg Nordstadt').waitFor();
  });

  test('offline, flag and move are queued in the vault and reach the server once it is back', async () => {
    const { page } = host;
    // Starting state: the Radweg message is read and flagged, in the app and on the server.
    const { items } = await host.services.handlers.mailSync.listPage({ folder: 'INBOX', offset: 0, limit: 10 });
    const radweg = items.find((m) => m.subject === 'Radweg Nordstadt: Sitzungsvorlage');
    await host.services.handlers.mailSync.setFlags({ ids: [radweg?.id ?? -1], seen: true, flagged: true });
    await expect
      .poll(async () => (await onServer('INBOX')).find((m) => m.subject.startsWith('Radweg'))?.flags, {
        timeout: 20_000,
      })
      .toContain('\\Flagged');
    await host.open();
    await showArea(host, 'mail');
    await expect.poll(() => row('Radweg Nordstadt').getAttribute('data-flagged')).toBe('true');

    await dovecot.stop();
    await page.locator('.mail-status[data-connection="offline"]').waitFor();
    await select('Radweg Nordstadt: Sitzungsvorlage');
    await page.keyboard.press('s');
    await expect.poll(() => row('Radweg Nordstadt').getAttribute('data-flagged')).toBe(null);
    await expect
      .poll(() => page.locator('.mail-toolbar .notice').textContent())
      .toMatch(/^Offline: 1 Änderung wird übertragen, sobald eine Verbindung besteht\.$/);
    await page.keyboard.press('m');
    const picker = page.getByRole('dialog', { name: 'In Ordner verschieben' });
    await picker.waitFor();
    await page.keyboard.press('a');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Archiv');
    await page.keyboard.press('Enter');
    await expect.poll(() => row('Radweg Nordstadt').count()).toBe(0);
    await expect.poll(() => page.locator('.mail-toolbar .notice').textContent()).toMatch(/^Offline: \d+ Änderungen/);

    await dovecot.start();
    // The server ended the connection (a restart): the app spreads its reconnect over minutes so a whole
    // city's clients do not come back in the same second, and says when it tries again.
    await expect
      .poll(() => page.getByRole('status', { name: 'Verbindungsstatus' }).textContent())
      .toMatch(/Offline – nächster Versuch in \d+ s/);
    // Opening a folder syncs it now: the person need not wait.
    await page
      .getByRole('navigation', { name: 'Ordner' })
      .getByRole('button', { name: /Posteingang/ })
      .click();
    await page.locator('.mail-status[data-connection="online"]').waitFor({ timeout: 60_000 });
    const archived = async () => {
      const m = (await onServer('Archive')).find((x) => x.subject === 'Radweg Nordstadt: Sitzungsvorlage');
      return m ? (m.flags.includes('\\Flagged') ? 'flagged' : 'not flagged') : 'missing';
    };
    await expect.poll(archived, { timeout: 30_000 }).toBe('not flagged');
    expect(await subjectsOn('INBOX')).not.toContain('Radweg Nordstadt: Sitzungsvorlage');
  });

  test('a saved draft is listed and opens again; sent with the SMTP server refusing, the outbox says why it waits', async () => {
    const { page } = host;
    await list().focus();
    await page.keyboard.press('n');
    const compose = page.getByRole('dialog', { name: 'Nachricht verfassen' });
    await compose.waitFor();
    await compose.getByLabel('An', { exact: true }).fill('ratsbuero@stadt.example');
    await compose.getByLabel('Betreff').fill('Anfrage zur Radwegplanung');
    await compose.getByLabel('Text').fill('Sehr geehrte Damen und Herren,\nbitte um Auskunft.');
    await compose.getByRole('button', { name: 'Entwurf speichern' }).click();
    await expect.poll(() => page.locator('.mail-toolbar .notice').textContent()).toBe('Entwurf gespeichert.');
    await page.keyboard.press('Escape');
    await compose.waitFor({ state: 'hidden' });

    // The draft goes to the server's Drafts folder as well.
    await expect.poll(() => subjectsOn('Drafts'), { timeout: 20_000 }).toContain('Anfrage zur Radwegplanung');

    await list().focus();
    await page.keyboard.press('d');
    const panel = page.getByRole('dialog', { name: 'Entwürfe und Postausgang' });
    await panel.waitFor();
    await panel.getByText('Im Postausgang wartet nichts auf den Versand.').waitFor();
    await panel.getByRole('button', { name: 'Entwurf „Anfrage zur Radwegplanung“ öffnen' }).click();
    const again = page.getByRole('dialog', { name: 'Entwurf bearbeiten' });
    await again.waitFor();
    expect(await again.getByLabel('Betreff').inputValue()).toBe('Anfrage zur Radwegplanung');
    expect(await again.getByLabel('An', { exact: true }).inputValue()).toContain('ratsbuero@stadt.example');
    expect(await again.getByLabel('Text').inputValue()).toContain('bitte um Auskunft.');

    // Sending puts it into the outbox; the SMTP server refuses, so it waits, and the status line says why.
    await again.getByRole('button', { name: 'Senden' }).click();
    await again.waitFor({ state: 'hidden' });
    const outbox = page.locator('.mail-status button.outbox');
    await expect
      .poll(() => outbox.textContent(), { timeout: 20_000 })
      .toBe(
        '1 Nachricht wartet auf den Versand – ' +
          'Der Server nimmt auf diesem Port keine Verbindung an. Prüfen Sie Servername und Port.',
      );
    // The draft became the outbox item; the panel lists it with its state, and it can be withdrawn.
    await outbox.click();
    await panel.waitFor();
    await panel.getByText('Es gibt keine gespeicherten Entwürfe.').waitFor();
    const item = panel.getByRole('listitem').filter({ hasText: 'Anfrage zur Radwegplanung' });
    expect(await item.textContent()).toContain('Wartet auf den Versand');
    await host.screenshot('mail-drafts-outbox');
    await panel.getByRole('button', { name: 'Nachricht „Anfrage zur Radwegplanung“ zurückziehen' }).click();
    await panel.getByText('Im Postausgang wartet nichts auf den Versand.').waitFor();
    expect(await host.services.handlers.compose.listOutbox()).toEqual([]);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    expect(await outbox.count()).toBe(0);
  });

  test('a recipient outside the administration is named and confirmed before the message goes to the outbox', async () => {
    const { page } = host;
    await list().focus();
    await page.keyboard.press('n');
    const compose = page.getByRole('dialog', { name: 'Nachricht verfassen' });
    await compose.waitFor();
    await compose
      .getByLabel('An', { exact: true })
      .fill('ratsbuero@stadt.example, Bürgerin <buergerin@extern.example>');
    await compose.getByLabel('Betreff').fill('Antwort auf Ihre Eingabe');
    await compose.getByLabel('Text').fill('Vielen Dank für Ihre Eingabe.');
    await compose.getByRole('button', { name: 'Senden' }).click();
    const confirm = compose.locator('.compose-confirm');
    await confirm.waitFor();
    expect(await confirm.getAttribute('role')).toBe('alert');
    expect(await confirm.getByRole('listitem').allTextContents()).toEqual(['buergerin@extern.example']);
    await host.screenshot('mail-compose-confirm-outside');
    // Back to editing keeps the message; sending again asks again.
    await compose.getByRole('button', { name: 'Empfänger ändern' }).click();
    await confirm.waitFor({ state: 'detached' });
    await compose.getByRole('button', { name: 'Senden' }).click();
    await compose.getByRole('button', { name: 'Trotzdem senden' }).click();
    await compose.waitFor({ state: 'hidden' });
    await expect
      .poll(() => host.services.handlers.compose.listOutbox().then((items) => items.map((i) => i.subject)))
      .toEqual(['Antwort auf Ihre Eingabe']);
    // The SMTP server refuses: withdraw it so nothing is left in the outbox.
    await page.locator('.mail-status button.outbox').click();
    const panel = page.getByRole('dialog', { name: 'Entwürfe und Postausgang' });
    await panel.getByRole('button', { name: 'Nachricht „Antwort auf Ihre Eingabe“ zurückziehen' }).click();
    await panel.getByText('Im Postausgang wartet nichts auf den Versand.').waitFor();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
  });

  test('a PDF attachment opens in the in-app viewer (page 1 rendered), and the way back leads to the message', async () => {
    const { page } = host;
    await select('Haushaltssatzung 2027 als PDF');
    const attachments = reader().getByRole('region', { name: 'Anhänge' });
    await attachments.getByRole('button', { name: '„Haushaltssatzung.pdf“ öffnen' }).click();
    await page.getByRole('heading', { name: 'Haushaltssatzung.pdf', level: 1 }).waitFor();
    const canvas = page.locator('.pdf-page canvas[data-rendered-page="1"]');
    await canvas.waitFor();
    expect((await inkedPixels(canvas)).n).toBeGreaterThan(5000);
    expect(await page.getByText('von 3').count()).toBeGreaterThan(0);
    // The attachment now lives in the encrypted document cache, named as in the mail.
    const cached = (await host.services.documents()).list().map((d) => d.name);
    expect(cached).toContain('Haushaltssatzung.pdf');

    await page.getByRole('button', { name: 'Zurück zur E-Mail' }).click();
    await reader().getByRole('heading', { name: 'Haushaltssatzung 2027 als PDF' }).waitFor();
    await host.screenshot('mail-actions');

    // Forwarding carries the attachment along, named as in the mail.
    await page.getByRole('toolbar').getByRole('button', { name: 'Weiterleiten' }).click();
    const compose = page.getByRole('dialog', { name: 'Weiterleiten' });
    await compose.getByRole('listitem').filter({ hasText: 'Haushaltssatzung.pdf' }).waitFor();
    await compose.getByRole('button', { name: 'Verwerfen' }).click();
    await compose.waitFor({ state: 'hidden' });
    expect(host.foreignRequests).toEqual([]);
  });

  test('manual setup shows sender and SMTP server (default first) and stores what the person changed', async () => {
    const { page } = host;
    // Removing the account is in the settings (not in the header beside "Sperren"), and asked twice.
    expect(
      await page
        .locator('.app-header')
        .getByRole('button', { name: /Konto entfernen/ })
        .count(),
    ).toBe(0);
    await showArea(host, 'settings');
    const start = page.getByRole('button', { name: 'Konto entfernen …' });
    await start.click();
    const confirm = page.getByRole('alertdialog', { name: 'Konto wirklich entfernen?' });
    await expect
      .poll(() =>
        confirm
          .getByRole('button', { name: 'Konto entfernen', exact: true })
          .evaluate((b) => b === document.activeElement),
      )
      .toBe(true);
    // Escape steps back: nothing removed, the focus on the button that asked.
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await start.evaluate((b) => b === document.activeElement)).toBe(true);
    expect((await host.services.account.status()).configured).toBe(true);
    await start.click();
    await confirm.getByRole('button', { name: 'Konto entfernen', exact: true }).click();
    await page.getByRole('button', { name: 'Manuell einrichten' }).click();
    // The form starts from the removed account: its sender and its own SMTP server.
    const sender = page.getByLabel('Absenderadresse');
    expect(await sender.inputValue()).toBe('anna@stadt.example');
    expect(await page.getByLabel('SMTP-Port').inputValue()).toBe(String(closedSmtpPort));
    await page.getByLabel('Mailserver (IMAP)').fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(dovecot.imapsPort));
    await page.getByLabel('Benutzername').fill(user.user);
    await page.getByLabel('Passwort').fill(user.pass);
    await sender.fill('anna.schoene@stadt.example');
    const smtp = page.getByRole('group', { name: 'Postausgang (SMTP)' });
    await smtp.getByRole('button', { name: /Standard verwenden/ }).click();
    expect(await smtp.textContent()).toContain('Gesendet wird über 127.0.0.1:587 (STARTTLS)');
    expect(await page.getByLabel('SMTP-Port').count()).toBe(0);
    await smtp.getByRole('button', { name: 'Anderen Postausgangsserver eintragen' }).click();
    expect(await page.getByLabel('Postausgangsserver (SMTP)').inputValue()).toBe('127.0.0.1');
    expect(await page.getByLabel('SMTP-Port').inputValue()).toBe('587');
    await page.getByLabel('SMTP-Verschlüsselung').selectOption('tls');
    expect(await page.getByLabel('SMTP-Port').inputValue()).toBe('465');
    await host.screenshot('account-form-smtp');
    await page.getByLabel('SMTP-Port').fill(String(closedSmtpPort));
    await page.getByRole('button', { name: 'Verbinden' }).click();
    await showArea(host, 'mail');
    await list().getByRole('option').first().waitFor();
    expect((await host.services.account.status()).account).toMatchObject({
      host: '127.0.0.1',
      port: dovecot.imapsPort,
      username: user.user,
      email: 'anna.schoene@stadt.example',
      smtp: { host: '127.0.0.1', port: closedSmtpPort, security: 'tls' },
    });
  });
});
