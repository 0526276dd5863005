import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, type SeedMessage, startDovecot, stopAndRemove, type TestUser } from '../servers/dovecot';
import { BUDGET_CONVERSATION, conversationMail } from '../support/conversation-mail';
import { showArea, startSignedIn } from '../support/e2e-account';
import { messagesOnServer } from '../support/server-folder';
import type { AppHost } from './harness/app-host';

const PASSWORD = 'Unterhaltung-2026!';

/** A day at `hour` this month (all in the past), so the list's order is the order given here. */
function at(day: number, hour: number): Date {
  return new Date(Date.UTC(2026, 9, day, hour));
}

/**
 * Three conversations and a single message: "Haushalt" (3, the newest one unread), "Radweg" (2, its root
 * missing from the mailbox), "Kita" (2) and "Einzeln". Newest conversation first: Haushalt, Radweg, Kita, Einzeln.
 */
const INBOX: SeedMessage[] = [
  ...BUDGET_CONVERSATION,
  { id: 'r2', subject: 'Re: Radweg', from: 'Bauamt <bau@stadt.example>', date: at(9, 8), references: ['r1'] },
  {
    id: 'r3',
    subject: 'Re: Re: Radweg',
    from: 'Bürgerbüro <buerger@stadt.example>',
    date: at(13, 8),
    inReplyTo: 'r2',
    references: ['r1', 'r2'],
  },
  { id: 'k1', subject: 'Kita-Plätze', from: 'Jugendamt <jugend@stadt.example>', date: at(8, 8) },
  {
    id: 'k2',
    subject: 'Re: Kita-Plätze',
    from: 'Anna Schmidt <anna@rat.example>',
    date: at(12, 8),
    inReplyTo: 'k1',
    references: ['k1'],
  },
  { id: 'e1', subject: 'Einzeln', from: 'Zentrale <info@stadt.example>', date: at(7, 8) },
].map((m) => ({ subject: m.subject, seen: m.id !== 'h3', raw: conversationMail(m) }));

describe('the conversation view in Chromium against real Dovecot: toggle, rows, reading pane, Shift selection, move, undo', () => {
  let dovecot: DovecotServer;
  let user: TestUser;
  let host: AppHost | undefined;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [] });
    user = { user: 'clara', pass: PASSWORD };
    await dovecot.addUser(user);
    dovecot.seed(user.user, INBOX);
    dovecot.seed(user.user, [{ subject: 'Projektplan Ratsdesk', date: at(1, 8), seen: true }], 'Projekte');
  });
  afterEach(async () => {
    await host?.close();
    host = undefined;
  });
  afterAll(async () => {
    await stopAndRemove(dovecot);
  });

  test('one row per conversation with its count; opened it shows its messages; two conversations Shift-selected move with all their messages, undo brings them back; the toggle is remembered and turns off', async () => {
    host = await startSignedIn(dovecot, user);
    const { page } = host;
    const list = () => page.getByRole('listbox', { name: 'Nachrichten' });
    const rows = () => list().getByRole('option');
    const row = (subject: string) => rows().filter({ hasText: subject });
    const subjects = () => list().locator('[role="option"] .subject').allTextContents();
    const notice = () => page.locator('.mail-toolbar .notice');
    const toggle = () => page.getByRole('checkbox', { name: 'Unterhaltungen' });
    const folderButton = (name: RegExp) =>
      page.getByRole('navigation', { name: 'Ordner' }).getByRole('button', { name });
    const onServer = async (folder: string) =>
      (await messagesOnServer(dovecot, user, folder)).map((m) => m.subject).sort();

    await row('Einzeln').waitFor();
    await expect.poll(() => rows().count()).toBe(8);
    expect(await toggle().isChecked()).toBe(false);

    // On: one row per conversation, newest conversation first, each showing its newest message.
    await toggle().check();
    await expect.poll(subjects).toEqual(['Re: Re: Haushalt 2027', 'Re: Re: Radweg', 'Re: Kita-Plätze', 'Einzeln']);
    expect(await page.locator('#mail-list-heading .count').textContent()).toBe('4 Unterhaltungen');
    const haushalt = row('Haushalt');
    expect(await haushalt.getAttribute('data-conversation')).toBe('3');
    expect(await haushalt.locator('.conversation-count').textContent()).toBe('3');
    expect(await haushalt.getAttribute('class')).toContain('unread');
    // The screen reader hears what the row stands for.
    expect(await haushalt.locator('.visually-hidden').textContent()).toBe('Unterhaltung, 3 Nachrichten, 1 ungelesen');
    expect(await row('Radweg').locator('.visually-hidden').textContent()).toBe('Unterhaltung, 2 Nachrichten, gelesen');
    expect(await row('Einzeln').locator('.conversation-count').count()).toBe(0);
    expect(await list().getByRole('option').first().getAttribute('aria-setsize')).toBe('4');
    await host.screenshot('mail-conversations-list');

    // Opened: the earlier messages oldest first (collapsed), the newest in full below; the conversation is read.
    await haushalt.click();
    const pane = page.locator('.reading-pane[data-conversation="3"]');
    await pane.waitFor();
    expect(await pane.locator('h2').textContent()).toBe('Re: Re: Haushalt 2027');
    const earlier = pane.locator('.reader-conversation > li');
    expect(await earlier.locator('summary').allTextContents()).toEqual([
      expect.stringContaining('Kämmerei'),
      expect.stringContaining('Anna Schmidt'),
    ]);
    expect(await earlier.locator('details[open]').count()).toBe(0);
    await earlier.nth(1).locator('summary').click();
    await earlier.nth(1).getByText('Meine Anmerkungen zum Entwurf.').waitFor();
    await expect.poll(() => haushalt.getAttribute('class')).not.toContain('unread');
    await host.screenshot('mail-conversation-reading-pane');

    // Shift-click: Haushalt and Radweg, two conversations of five messages, moved by dragging onto "Projekte".
    await row('Radweg').click({ modifiers: ['Shift'] });
    expect(await list().locator('[role="option"][aria-selected="true"]').count()).toBe(2);
    await row('Radweg').dragTo(folderButton(/Projekte/));
    await expect.poll(subjects).toEqual(['Re: Kita-Plätze', 'Einzeln']);
    await expect.poll(() => notice().textContent()).toBe('5 Nachrichten nach „Projekte“ verschoben — Rückgängig');
    await notice().getByRole('button', { name: 'Rückgängig' }).click();
    await expect.poll(subjects).toEqual(['Re: Re: Haushalt 2027', 'Re: Re: Radweg', 'Re: Kita-Plätze', 'Einzeln']);
    await expect.poll(() => notice().textContent()).toBe('Rückgängig gemacht.');

    // Again with the keyboard's move picker, and this time to the server: all five messages move.
    await row('Haushalt').click();
    await row('Radweg').click({ modifiers: ['Shift'] });
    await list().focus();
    await page.keyboard.press('m');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /Projekte/ })
      .click();
    await expect.poll(subjects).toEqual(['Re: Kita-Plätze', 'Einzeln']);
    await expect
      .poll(() => onServer('Projekte'), { timeout: 30_000 })
      .toEqual([
        'Haushalt 2027',
        'Projektplan Ratsdesk',
        'Re: Haushalt 2027',
        'Re: Radweg',
        'Re: Re: Haushalt 2027',
        'Re: Re: Radweg',
      ]);
    expect(await onServer('INBOX')).toEqual(['Einzeln', 'Kita-Plätze', 'Re: Kita-Plätze']);

    // The choice is kept: a new window shows conversations again. Off through "Mehr": one row per message.
    await host.open();
    await showArea(host, 'mail');
    await row('Einzeln').waitFor();
    expect(await toggle().isChecked()).toBe(true);
    await expect.poll(subjects).toEqual(['Re: Kita-Plätze', 'Einzeln']);
    await page.getByRole('toolbar', { name: 'Aktionen' }).getByRole('button', { name: 'Mehr' }).click();
    await page.getByRole('menuitem', { name: 'Als einzelne Nachrichten anzeigen' }).click();
    await expect.poll(subjects).toEqual(['Re: Kita-Plätze', 'Kita-Plätze', 'Einzeln']);
    expect(await toggle().isChecked()).toBe(false);
    expect(await list().locator('[data-conversation]').count()).toBe(0);
  });
});
