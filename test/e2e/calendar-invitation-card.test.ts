import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { type PostfixServer, startPostfix, stopAndRemovePostfix } from '../servers/postfix';
import { startSignedIn } from '../support/e2e-account';
import { composeRaw, submitRaw } from '../support/submit-mail';
import type { AppHost } from './harness/app-host';

const ANNA = { user: 'anna', pass: 'Rathaus-2020!' };
const ORGANIZER = { user: 'kaemmerei', pass: 'Kasse-2021!' };
const SUBJECT = 'Abstimmung Haushalt 2027';

// The invitation card in Chromium, through real Postfix and Dovecot: Anna's Ratsdesk shows the invitation
// above the mail and answers it (Zusagen with a comment, a REPLY through the outbox); the organizer's Ratsdesk
// (another account with its own vault) reads the REPLY and shows Anna's new answer. Screenshots of both cards.
describe('invitation card: Zusagen in one Ratsdesk, the answer in the organizer’s', () => {
  let dovecot: DovecotServer;
  let postfix: PostfixServer;
  let host: AppHost | undefined;

  const submit = (who: typeof ANNA, to: string, raw: Buffer) => submitRaw(postfix, dovecot.cert.caPem, who, to, raw);

  function openApp(who: typeof ANNA): Promise<AppHost> {
    return startSignedIn(dovecot, who, {
      timezoneId: 'Europe/Berlin',
      account: {
        email: postfix.addressOf(who.user),
        smtp: { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls' },
      },
    });
  }

  const row = (app: AppHost, subject: string | RegExp) =>
    app.page.getByRole('listbox', { name: 'Nachrichten' }).getByRole('option').filter({ hasText: subject });

  beforeAll(async () => {
    dovecot = await startDovecot({ withLmtpAndAuth: true, users: [ANNA, ORGANIZER] });
    postfix = await startPostfix({ dovecot });
    const ics = readFileSync(join(__dirname, '..', 'fixtures', 'calendar', 'outlook-request.ics'), 'utf8')
      .replaceAll('kaemmerei@stadt.example', postfix.addressOf(ORGANIZER.user))
      .replaceAll('anna@stadt.example', postfix.addressOf(ANNA.user));
    const raw = await composeRaw({
      from: `Kämmerei Musterstadt <${postfix.addressOf(ORGANIZER.user)}>`,
      to: postfix.addressOf(ANNA.user),
      subject: SUBJECT,
      text: 'Bitte um Zusage.',
      icalEvent: { method: 'REQUEST', content: ics },
    });
    await submit(ORGANIZER, postfix.addressOf(ANNA.user), raw);
    // The organizer's program keeps its copy in Sent, as Outlook and Thunderbird do.
    dovecot.seed(ORGANIZER.user, [{ subject: '', raw: raw.toString('utf8') }], 'Sent');
  });

  afterAll(async () => {
    await host?.close();
    await stopAndRemovePostfix(postfix);
    await stopAndRemove(dovecot);
  });

  test('Anna answers on the card; the organizer’s card shows her answer', async () => {
    host = await openApp(ANNA);
    await row(host, SUBJECT).click();
    const card = host.page.locator('.reading-pane .invitation-card');
    await card.getByRole('heading', { name: `Einladung: ${SUBJECT}` }).waitFor();
    const text = await card.innerText();
    expect(text).toContain('Dienstag, 17. März 2026 um 10:00 – 11:30');
    expect(text).toContain('jeden zweiten Dienstag bis 30.06.2027, außer 14.04.');
    expect(text).toContain('Rathaus, Sitzungssaal 2');
    expect(text).toContain('Groß, Jürgen: noch keine Antwort');
    await card.getByLabel('Kommentar an den Organisator (optional)').fill('Ich komme gern.');
    await card.getByRole('button', { name: 'Zusagen' }).click();
    await expect
      .poll(() => card.getByRole('status').textContent())
      .toBe('Ihre Antwort liegt im Postausgang und wird gesendet, sobald eine Verbindung besteht.');
    await expect.poll(() => card.getAttribute('data-my-answer')).toBe('ACCEPTED');
    expect(await card.getByRole('button', { name: 'Zusagen' }).getAttribute('aria-pressed')).toBe('true');
    expect(await card.innerText()).toContain('Steht in Ihrem Kalender');
    await host.screenshot('calendar-invitation-card');
    // A second click sends nothing more.
    await card.getByRole('button', { name: 'Zusagen' }).click();
    await expect.poll(() => card.getByRole('status').textContent()).toBe('Diese Antwort haben Sie bereits gesendet.');
    const session = await host.services.mailSessions.current();
    await expect
      .poll(() => session.compose.listOutbox().map((i) => [i.subject, i.state]), { timeout: 30_000 })
      .toEqual([[`Zugesagt: ${SUBJECT}`, 'sent']]);
    await host.close();
    host = undefined;

    // The organizer's Ratsdesk: their invitation in Sent, then Anna's REPLY in the inbox.
    host = await openApp(ORGANIZER);
    const page = host.page;
    await page
      .getByRole('navigation', { name: 'Ordner' })
      .getByRole('button', { name: /Gesendet/ })
      .click();
    await row(host, SUBJECT).click();
    const own = page.locator('.reading-pane .invitation-card');
    await own.getByRole('heading', { name: `Einladung: ${SUBJECT}` }).waitFor();
    // The organizer does not answer their own invitation.
    expect(await own.getByRole('button', { name: 'Zusagen' }).count()).toBe(0);
    await page
      .getByRole('navigation', { name: 'Ordner' })
      .getByRole('button', { name: /Posteingang/ })
      .click();
    await row(host, `Zugesagt: ${SUBJECT}`).click({ timeout: 30_000 });
    const reply = page.locator('.reading-pane .invitation-card[data-method="REPLY"]');
    await reply.getByRole('heading', { name: `Antwort auf Ihre Einladung: ${SUBJECT}` }).waitFor();
    const answers = reply.getByRole('list', { name: 'Antworten' });
    expect(await answers.innerText()).toContain('Anna Schöne: zugesagt');
    expect(await reply.innerText()).toContain('Ich komme gern.');
    await host.screenshot('calendar-reply-card');
  });
});
