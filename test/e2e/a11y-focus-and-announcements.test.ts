import { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove, type TestUser } from '../servers/dovecot';
import { buildMimeMessage } from '../support/mime-message';
import { signedInWithLanguage } from './harness/a11y-mailbox';
import type { AppHost } from './harness/app-host';
import { makeTestPdf } from './harness/test-pdf';

const PASSWORD = 'Tastatur-2026!';

/** What the focused element shows: its outline (style, width, colour) and box shadow, and where it is. */
interface FocusLook {
  tag: string;
  label: string;
  outlineStyle: string;
  outlineWidth: number;
  boxShadow: string;
}

/**
 * Keyboard and screen-reader users in Chromium against real Dovecot: the focus is always visible, it returns
 * where it was when a dialog closes, the message list says position and unread state, and new mail and sync
 * state are announced in live regions without taking the focus.
 */
describe('focus and announcements', () => {
  let dovecot: DovecotServer;
  let host: AppHost;
  let user: TestUser;
  let mailboxes = 0;
  let pdf: Uint8Array;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [] });
    pdf = await makeTestPdf({ pages: 1 });
  });
  beforeEach(async () => {
    user = { user: `tara${++mailboxes}`, pass: PASSWORD };
    host = await signedInWithLanguage(dovecot, user, pdf, 'de');
    await host.page.getByRole('listbox', { name: 'Nachrichten' }).getByRole('option').first().waitFor();
  });
  afterEach(async () => {
    await host?.close();
  });
  afterAll(async () => {
    await stopAndRemove(dovecot);
  });

  const focusLook = () =>
    host.page.evaluate((): FocusLook | undefined => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return undefined;
      const cs = getComputedStyle(el);
      return {
        tag: el.tagName.toLowerCase() + (el.getAttribute('type') ? `[${el.getAttribute('type')}]` : ''),
        label: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40),
        outlineStyle: cs.outlineStyle,
        outlineWidth: parseFloat(cs.outlineWidth),
        boxShadow: cs.boxShadow,
      };
    });

  test('Tab through the mail view: every stop shows a focus ring of at least 2 px', async () => {
    const { page } = host;
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    const seen: FocusLook[] = [];
    for (let i = 0; i < 45; i++) {
      await page.keyboard.press('Tab');
      const look = await focusLook();
      if (look) seen.push(look);
    }
    // The walk reached the header, the toolbar, the search, the folders and the list.
    const labels = seen.map((s) => s.label);
    for (const expected of ['Sperren', 'Neue Nachricht', 'Posteingang', 'Nachrichten'])
      expect(labels.some((l) => l.startsWith(expected))).toBe(true);
    const invisible = seen.filter(
      (s) => (s.outlineStyle === 'none' || s.outlineWidth < 2) && (s.boxShadow === 'none' || s.boxShadow === ''),
    );
    expect(invisible.map((s) => `${s.tag} „${s.label}“`)).toEqual([]);
  });

  test('closing a dialog (compose, move, drafts, shortcuts) puts the focus back on the message list', async () => {
    const { page } = host;
    const list = page.getByRole('listbox', { name: 'Nachrichten' });
    await list.getByRole('option').filter({ hasText: 'Klartext' }).click();
    const dialogs: [string, string][] = [
      ['n', 'Nachricht verfassen'],
      ['m', 'In Ordner verschieben'],
      ['d', 'Entwürfe und Postausgang'],
      ['?', 'Tastenkürzel'],
    ];
    for (const [key, name] of dialogs) {
      await list.focus();
      await page.keyboard.press(key);
      const dialog = page.getByRole('dialog', { name });
      await dialog.waitFor();
      // The focus went into the dialog …
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      // … and comes back to where it was.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('role')), `after „${name}“`).toBe(
        'listbox',
      );
    }
  });

  test('the list says position and unread state; new mail and sync state are announced without moving the focus', async () => {
    const { page } = host;
    const list = page.getByRole('listbox', { name: 'Nachrichten' });
    const options = list.getByRole('option');
    expect(await options.count()).toBe(3);
    const first = options.first();
    expect(await first.getAttribute('aria-setsize')).toBe('3');
    expect(await first.getAttribute('aria-posinset')).toBe('1');
    expect(await options.nth(2).getAttribute('aria-posinset')).toBe('3');
    // The unread state is in the option's accessible text, not only in its bold type.
    expect(await first.textContent()).toContain('ungelesen');
    expect(await list.getAttribute('aria-activedescendant')).toBe(await first.getAttribute('id'));

    // Sync state and notices are polite live regions.
    expect(await page.locator('.mail-status .sync').getAttribute('aria-live')).toBe('polite');
    const notice = page.locator('.mail-toolbar .notice');
    expect(await notice.getAttribute('role')).toBe('status');
    expect(await notice.getAttribute('aria-live')).toBe('polite');

    // The person is reading the list when a new mail arrives on the server (IMAP APPEND, Dovecot's IDLE).
    await list.focus();
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.imapsPort,
      secure: true,
      auth: { user: user.user, pass: user.pass },
      tls: { ca: [dovecot.cert.caPem] },
      logger: false,
    });
    await client.connect();
    try {
      await client.append(
        'INBOX',
        buildMimeMessage({
          from: 'Ratsbüro <ratsbuero@stadt.example>',
          to: 'axel@stadt.example',
          subject: 'Neu: Sitzungstermin verschoben',
          date: new Date(),
          messageId: 'neu-1@stadt.example',
          text: 'Die Sitzung findet eine Woche später statt.',
        }),
      );
    } finally {
      await client.logout();
    }
    await expect.poll(() => notice.textContent(), { timeout: 30_000 }).toBe('1 neue Nachricht');
    await options.filter({ hasText: 'Neu: Sitzungstermin verschoben' }).waitFor();
    // The announcement did not take the focus.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('listbox');
    expect(await options.first().getAttribute('aria-setsize')).toBe('4');
  });
});
