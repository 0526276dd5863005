import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { type PostfixServer, startPostfix, stopAndRemovePostfix } from '../servers/postfix';
import { startSignedIn } from '../support/e2e-account';
import { addFlagOnServer, messagesOnServer } from '../support/server-folder';
import type { AppHost } from './harness/app-host';

const USER = { user: 'anna', pass: 'Rathaus-2020!' };

describe('sending from the UI through real Postfix into real Dovecot, arriving through IDLE', () => {
  let dovecot: DovecotServer;
  let postfix: PostfixServer;
  let host: AppHost;
  const filesDir = mkdtempSync(join(tmpdir(), 'ratsdesk-e2e-attach-'));

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER], withLmtpAndAuth: true });
    postfix = await startPostfix({ dovecot });
    dovecot.seed(USER.user, [
      {
        subject: 'Tagesordnung Bauausschuss',
        body: 'Bitte um Rückmeldung bis Freitag.',
        from: 'Ratsbüro <ratsbuero@stadt.example>',
      },
      { subject: 'Haushalt: Rückfragen', body: 'Zwei Fragen zum Entwurf.', from: 'Kämmerei <kaemmerei@stadt.example>' },
      { subject: 'Bauantrag Nordstadt', body: 'Der Antrag liegt bei.', from: 'Bauamt <bauamt@stadt.example>' },
      { subject: 'Vom Handy weitergeleitet', body: 'Schon weitergegeben.', from: 'Presse <presse@stadt.example>' },
    ]);
    // Another mail program (the phone) forwarded this one already: it left the keyword on the server.
    await addFlagOnServer(dovecot, USER, 'INBOX', 'Vom Handy weitergeleitet', '$Forwarded');
    host = await startSignedIn(dovecot, USER, {
      account: {
        email: postfix.addressOf(USER.user),
        smtp: { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls' },
      },
    });
  });

  afterAll(async () => {
    await host?.close();
    await stopAndRemovePostfix(postfix);
    await stopAndRemove(dovecot);
    rmSync(filesDir, { recursive: true, force: true });
  });

  test('a mail written in the UI is submitted, filed in Sent, and pushed into the inbox by IDLE; a reply joins the thread', async () => {
    const { page } = host;
    const list = page.getByRole('listbox', { name: 'Nachrichten' });
    await list.getByRole('option').filter({ hasText: 'Tagesordnung Bauausschuss' }).waitFor();
    await page.locator('.mail-status[data-connection="online"]').waitFor();
    // IDLE watches the open folder (the inbox); a periodic poll would take minutes.
    await expect.poll(() => host.services.mailSessions.current().then((s) => s.sync.idleFolder)).toBe('INBOX');

    // "n" opens the composer (keyboard shortcut), the person writes and sends.
    await list.focus();
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog', { name: 'Nachricht verfassen' });
    await dialog.waitFor();
    const subject = `Haushaltsrede ${randomUUID().slice(0, 8)}`;
    await dialog.getByLabel('An', { exact: true }).fill(`Anna Schöne <${postfix.addressOf(USER.user)}>`);
    await dialog.getByLabel('Betreff').fill(subject);
    await dialog.getByLabel('Text').fill('Liebe Kolleginnen und Kollegen,\nanbei mein Entwurf für die Haushaltsrede.');
    // Attachments: a file from disk (through the host's open dialog) and a document from the encrypted cache.
    const file = join(filesDir, 'Redeentwurf.txt');
    writeFileSync(file, 'Sehr geehrte Damen und Herren, …');
    host.pickedFiles.push(file);
    await dialog.getByRole('button', { name: 'Datei anhängen …' }).click();
    await dialog.getByRole('listitem').filter({ hasText: 'Redeentwurf.txt' }).waitFor();
    const doc = (await host.services.documents()).put({
      bytes: new TextEncoder().encode('Haushaltsplan 2027, Entwurf'),
      name: 'Haushaltsplan-2027.txt',
      mimeType: 'text/plain',
      source: { kind: 'upload', ref: 'e2e' },
    });
    await dialog.getByRole('button', { name: 'Dokument aus dem Speicher anhängen' }).click();
    await dialog.getByLabel('Dokument wählen').selectOption(doc.id);
    await dialog.getByRole('listitem').filter({ hasText: 'Haushaltsplan-2027.txt' }).waitFor();
    await host.screenshot('mail-compose');
    await dialog.getByRole('button', { name: 'Senden' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Postfix → LMTP → Dovecot → IDLE → sync → the list, without anyone pressing "check now".
    const arrived = list.getByRole('option').filter({ hasText: subject });
    try {
      await arrived.waitFor({ timeout: 30_000 });
    } catch (err) {
      // Say which layer lost it: outbox, delivery (maillog), the vault (sync/IDLE), or the list.
      const s = await host.services.mailSessions.current();
      const facts = {
        outbox: s.compose.listOutbox().map((i) => [i.state, i.lastError]),
        idle: s.sync.idleFolder,
        connection: s.sync.connectionState,
        vaultInbox: s.sync.listPage('INBOX', 0, 5).items.map((i) => i.subject),
        list: await list.textContent(),
        maillog: postfix.maillog().slice(-1500),
      };
      throw new Error(`the sent mail did not show up: ${JSON.stringify(facts)}`, { cause: err });
    }
    expect(await arrived.getAttribute('class')).toContain('unread');
    await expect.poll(() => page.locator('.mail-toolbar .notice').textContent()).toMatch(/neue Nachricht/);
    await arrived.click();
    const reader = page.getByRole('region', { name: 'Nachricht', exact: true });
    await expect.poll(() => reader.locator('.mail-text').textContent()).toContain('Entwurf für die Haushaltsrede');
    const attachments = reader.getByRole('region', { name: 'Anhänge' });
    expect(await attachments.textContent()).toContain('Redeentwurf.txt');
    expect(await attachments.textContent()).toContain('Haushaltsplan-2027.txt');
    await host.screenshot('mail-received');

    // The outbox filed the sent message in Sent (appended over IMAP) and is empty again.
    await expect
      .poll(() => host.services.handlers.compose.listOutbox().then((items) => items.map((i) => i.state)))
      .toEqual(['sent']);
    await page
      .getByRole('navigation', { name: 'Ordner' })
      .getByRole('button', { name: /Gesendet/ })
      .click();
    await list.getByRole('option').filter({ hasText: subject }).waitFor();

    // Reply ("r") to the received message: prefilled "AW:", same thread.
    await page
      .getByRole('navigation', { name: 'Ordner' })
      .getByRole('button', { name: /Posteingang/ })
      .click();
    await list.getByRole('option').filter({ hasText: subject }).first().click();
    await reader.getByRole('heading', { name: subject }).waitFor();
    await list.focus();
    await page.keyboard.press('r');
    const replyDialog = page.getByRole('dialog', { name: 'Antwort verfassen' });
    await replyDialog.waitFor();
    expect(await replyDialog.getByLabel('Betreff').inputValue()).toBe(`AW: ${subject}`);
    expect(await replyDialog.getByLabel('An', { exact: true }).inputValue()).toContain(postfix.addressOf(USER.user));
    expect(await replyDialog.getByLabel('Text').inputValue()).toContain('> anbei mein Entwurf');
    await replyDialog.getByRole('button', { name: 'Senden' }).click();
    const reply = list.getByRole('option').filter({ hasText: `AW: ${subject}` });
    await reply.waitFor({ timeout: 30_000 });
    await reply.click();
    await expect
      .poll(() => reader.getByRole('region', { name: 'Unterhaltung' }).textContent())
      .toContain('2 Nachrichten in dieser Unterhaltung');
    expect(host.foreignRequests).toEqual([]);
  });

  test('answered and forwarded: read from the server, shown with a name, and set on the original when a reply or forward is sent (offline too)', async () => {
    const { page } = host;
    const list = page.getByRole('listbox', { name: 'Nachrichten' });
    // The row whose subject is exactly `subject`: the reply sent below ("AW: …") arrives in this inbox too.
    const row = (subject: string) =>
      list
        .getByRole('option')
        .filter({ has: page.locator('.subject').getByText(subject, { exact: true }) })
        .first();
    const flagsOnServer = async (subject: string) =>
      (await messagesOnServer(dovecot, USER, 'INBOX')).find((m) => m.subject === subject)?.flags ?? [];
    const me = postfix.addressOf(USER.user);

    // Set by another program: read in the sync, shown as an icon with a name a screen reader says.
    await expect.poll(() => row('Vom Handy weitergeleitet').getAttribute('data-forwarded')).toBe('true');
    expect(await row('Vom Handy weitergeleitet').textContent()).toContain('weitergeleitet');
    expect(await row('Vom Handy weitergeleitet').locator('svg.forwarded').count()).toBe(1);
    expect(await row('Haushalt: Rückfragen').getAttribute('data-answered')).toBe(null);

    // A reply: the original is marked answered, in the list and on the server.
    await row('Haushalt: Rückfragen').click();
    await list.focus();
    await page.keyboard.press('r');
    const replyDialog = page.getByRole('dialog', { name: 'Antwort verfassen' });
    await replyDialog.waitFor();
    await replyDialog.getByLabel('An', { exact: true }).fill(me);
    await replyDialog.getByRole('button', { name: 'Senden' }).click();
    await replyDialog.waitFor({ state: 'hidden' });
    await expect.poll(() => row('Haushalt: Rückfragen').getAttribute('data-answered')).toBe('true');
    expect(await row('Haushalt: Rückfragen').textContent()).toContain('beantwortet');
    await expect.poll(() => flagsOnServer('Haushalt: Rückfragen'), { timeout: 30_000 }).toContain('\\Answered');
    expect(await flagsOnServer('Haushalt: Rückfragen')).not.toContain('$Forwarded');

    // A forward while the mail server is away: marked at once in the vault, on the server once it is back.
    await dovecot.stop();
    await page.locator('.mail-status[data-connection="offline"]').waitFor({ timeout: 60_000 });
    await row('Bauantrag Nordstadt').click();
    await list.focus();
    await page.keyboard.press('f');
    const forwardDialog = page.getByRole('dialog', { name: 'Weiterleiten' });
    await forwardDialog.waitFor();
    await forwardDialog.getByLabel('An', { exact: true }).fill(me);
    await forwardDialog.getByRole('button', { name: 'Senden' }).click();
    await forwardDialog.waitFor({ state: 'hidden' });
    await expect.poll(() => row('Bauantrag Nordstadt').getAttribute('data-forwarded')).toBe('true');
    expect(await row('Bauantrag Nordstadt').getAttribute('data-answered')).toBe(null);
    await host.screenshot('mail-answered-forwarded');

    await dovecot.start();
    // Opening a folder syncs it now (the reconnect would otherwise wait its spread-out time).
    await page
      .getByRole('navigation', { name: 'Ordner' })
      .getByRole('button', { name: /Posteingang/ })
      .click();
    await page.locator('.mail-status[data-connection="online"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => flagsOnServer('Bauantrag Nordstadt'), { timeout: 30_000 }).toContain('$Forwarded');
    expect(await flagsOnServer('Bauantrag Nordstadt')).not.toContain('\\Answered');
    // The sync after the replay reads the keyword back: the row keeps it.
    expect(await row('Bauantrag Nordstadt').getAttribute('data-forwarded')).toBe('true');
  });
});
