import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { type OparlTestServer, startOparlServer } from '../servers/oparl-server';
import { type PostfixServer, startPostfix, stopAndRemovePostfix } from '../servers/postfix';
import { startSignedIn } from '../support/e2e-account';
import type { AppHost } from './harness/app-host';

const USER = { user: 'kai', pass: 'Tastatur-Weg-2026!' };
const CLERK = { user: 'ratsbuero', pass: 'Ratsbuero-2026!' };

/**
 * A working day with the keyboard alone, in Chromium against real Dovecot, Postfix, the OParl server, the vault
 * and the keychain: find a mail, reply and send, open its council link, make the meeting available offline,
 * open a file and search inside it, move the mail, lock and unlock. No click, no mouse: only key presses.
 */
describe('the daily path with the keyboard alone', () => {
  let dovecot: DovecotServer;
  let postfix: PostfixServer;
  let oparl: OparlTestServer;
  let host: AppHost;
  let meeting = 0;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER, CLERK], withLmtpAndAuth: true });
    postfix = await startPostfix({ dovecot });
    oparl = await startOparlServer({
      papers: 8,
      meetings: 3,
      organizations: 2,
      persons: 3,
      itemsPerMeeting: 2,
      pageSize: 20,
    });
    meeting = oparl.generated.meetings - 1;
    dovecot.seed(USER.user, [
      { subject: 'Kantine: Speiseplan', from: 'Kantine <kantine@stadt.example>', date: new Date() },
      {
        subject: 'Sitzung verlegt: bitte Unterlagen lesen',
        from: `Ratsbüro <${postfix.addressOf(CLERK.user)}>`,
        date: new Date(Date.now() - 3_600_000),
        body: `Hallo Kai,\r\n\r\ndie Sitzung ist verlegt, Unterlagen hier:\r\n${oparl.generated.meetingWebUrl(meeting)}\r\n`,
      },
    ]);
    host = await startSignedIn(dovecot, USER, {
      account: {
        email: postfix.addressOf(USER.user),
        smtp: { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls' },
      },
      trust: { extraCaPem: [oparl.caPem] },
      ris: { systemUrl: oparl.generated.systemUrl, allowedOrigins: [oparl.origin] },
      async beforeOpen(h) {
        for (const body of await h.services.handlers.ris.bodies())
          await h.services.handlers.ris.sync({ bodyId: body.id });
      },
    });
  });

  afterAll(async () => {
    await host?.close();
    await oparl?.stop();
    await stopAndRemovePostfix(postfix);
    await stopAndRemove(dovecot);
  });

  /** The focused element's accessible name as a person hears it (aria-label, its label, else its text). */
  const focusedName = () =>
    host.page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      if (!el || el === document.body) return '';
      return (el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '').trim();
    });

  /** Presses Tab (Shift+Tab with `back`) until the focused element's name matches; fails after `max` presses. */
  async function tabTo(name: RegExp, { back = false, max = 80 } = {}): Promise<void> {
    const seen: string[] = [];
    for (let i = 0; i < max; i++) {
      await host.page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
      const now = await focusedName();
      if (name.test(now)) return;
      seen.push(now.slice(0, 30));
    }
    throw new Error(`Tab never reached ${name}; passed: ${seen.join(' | ')}`);
  }

  test('find, reply, send, council link, offline meeting, file and search in it, move, lock, unlock', async () => {
    const { page, services } = host;
    const list = page.getByRole('listbox', { name: 'Nachrichten' });
    const reader = page.getByRole('region', { name: 'Nachricht', exact: true });
    await list.getByRole('option').first().waitFor();

    // Find: "/" into the search, type, then to the list and the message.
    await page.keyboard.press('/');
    await page.keyboard.type('verlegt');
    await expect.poll(() => list.getByRole('option').count()).toBe(1);
    await tabTo(/^Nachrichten$/);
    await page.keyboard.press('Enter');
    await reader.getByRole('heading', { name: 'Sitzung verlegt: bitte Unterlagen lesen' }).waitFor();

    // Reply: "r", the text, Tab to "Senden", Enter; it goes through Postfix.
    await page.keyboard.press('r');
    const compose = page.getByRole('dialog', { name: 'Antwort verfassen' });
    await compose.waitFor();
    await tabTo(/^Text$/);
    await page.keyboard.type('Danke, ich lese die Unterlagen vorher.');
    await tabTo(/^Senden$/);
    await page.keyboard.press('Enter');
    await compose.waitFor({ state: 'hidden' });
    await expect
      .poll(() => services.handlers.compose.listOutbox().then((items) => items.map((i) => i.state)), {
        timeout: 30_000,
      })
      .toEqual(['sent']);

    // The council link in the mail: Tab to it, Enter: the meeting opens in the council area.
    await tabTo(/^Öffnen … .*gen\/bi\/to010/);
    await page.keyboard.press('Enter');
    const article = page.getByRole('article');
    await article.getByRole('heading', { level: 1 }).filter({ hasText: 'Sitzung' }).waitFor();

    // Make the meeting available offline.
    await tabTo(/^Offline verfügbar machen$/);
    await page.keyboard.press('Enter');
    const total = oparl.generated.filesOfMeeting(meeting).length;
    await article
      .getByRole('status')
      .filter({ hasText: `${total} von ${total} Dateien gespeichert` })
      .waitFor({ timeout: 60_000 });

    // Open the invitation, search inside it (Ctrl+F, type, Enter).
    await tabTo(/Einladung/);
    await page.keyboard.press('Enter');
    await page.locator('.ris-document canvas').first().waitFor();
    // Into the viewer (its page field), then Ctrl+F to its search field.
    await tabTo(/^Seite/, { max: 30 });
    await page.keyboard.press('Control+f');
    expect(await focusedName()).toBe('Im Dokument suchen');
    await page.keyboard.type('Testdatei');
    await page.keyboard.press('Enter');
    await page.locator('.ris-document').getByText('Treffer 1 von 1').waitFor({ timeout: 20_000 });

    // Back to the mail by the area navigation; "m" moves the mail into the archive ("a" + Enter).
    await tabTo(/^E-Mail$/, { back: true, max: 120 });
    await page.keyboard.press('Enter');
    await tabTo(/^Nachrichten$/);
    await page.keyboard.press('m');
    const picker = page.getByRole('dialog', { name: 'In Ordner verschieben' });
    await picker.waitFor();
    await page.keyboard.press('a');
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'hidden' });
    await expect.poll(() => list.getByRole('option').filter({ hasText: 'Sitzung verlegt' }).count()).toBe(0);
    await expect
      .poll(
        async () =>
          (await services.handlers.mailSync.search({ query: 'verlegt', folder: 'Archive', limit: 10 })).items.map(
            (m) => m.subject,
          ),
        { timeout: 30_000 },
      )
      .toContain('Sitzung verlegt: bitte Unterlagen lesen');

    // Lock with Ctrl+Shift+L, unlock with the password and Enter.
    await page.keyboard.press('Control+Shift+L');
    await page.getByRole('heading', { name: 'Ratsdesk ist gesperrt' }).waitFor();
    await page.keyboard.type(USER.pass);
    await page.keyboard.press('Enter');
    // Unlocked onto "Heute", the focus on its heading: the keyboard (and a screen reader) start from there.
    const heading = page.getByRole('heading', { level: 1, name: 'Heute' });
    await heading.waitFor({ timeout: 30_000 });
    await expect.poll(() => heading.evaluate((h) => h === document.activeElement)).toBe(true);
    expect(host.foreignRequests).toEqual([]);
    await host.screenshot('keyboard-daily-path');
  });
});
