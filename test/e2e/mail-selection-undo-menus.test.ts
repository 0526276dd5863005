import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type DovecotServer, type SeedMessage, startDovecot, stopAndRemove, type TestUser } from '../servers/dovecot';
import { showArea, startSignedIn } from '../support/e2e-account';
import { messagesOnServer } from '../support/server-folder';
import type { AppHost } from './harness/app-host';

const PASSWORD = 'Rathaus-2020!';
/** The app holds a move or delete this long before the server hears of it (MailAccountSession's default). */
const SERVER_HOLD_MS = 12_000;

/** Dates around now, as the list shows them: today a time, this week a weekday, older a date. */
function daysAgo(days: number, hour = 9, minute = 5): Date {
  const d = new Date();
  d.setDate(d.getDate() - days);
  d.setHours(hour, minute, 0, 0);
  return d;
}

describe('daily mail work in Chromium against real Dovecot: multi-select, undo, context menus, drag, panes, dates', () => {
  let dovecot: DovecotServer;
  let mailboxes = 0;
  let user: TestUser;
  let host: AppHost;
  let inbox: SeedMessage[];

  const onServer = (folder: string) => messagesOnServer(dovecot, user, folder);
  const subjectsOn = async (folder: string) => (await onServer(folder)).map((m) => m.subject).sort();

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [] });
    inbox = [
      { subject: 'Haushalt 2027: Entwurf', body: 'Der Entwurf des Haushalts liegt bei.', date: daysAgo(20) },
      { subject: 'Radweg Nordstadt', body: 'Die Vorlage zum Radweg Nordstadt.', date: daysAgo(3) },
      { subject: 'Kulturausschuss: Einladung', body: 'Einladung zur Sitzung am Donnerstag.', date: daysAgo(2) },
      { subject: 'Protokoll Bauausschuss', body: 'Das Protokoll der letzten Sitzung.', date: daysAgo(0, 0, 5) },
    ];
  });

  // Every test: a fresh mailbox (the inbox above, unread, and a folder "Projekte"), the app signed in to it.
  beforeEach(async () => {
    user = { user: `lena${++mailboxes}`, pass: PASSWORD };
    await dovecot.addUser(user);
    dovecot.seed(user.user, inbox);
    dovecot.seed(user.user, [{ subject: 'Projektplan Ratsdesk', date: daysAgo(40) }], 'Projekte');
    host = await startSignedIn(dovecot, user);
    await row('Protokoll Bauausschuss').waitFor();
  });

  afterEach(async () => {
    await host?.close();
  });

  afterAll(async () => {
    await stopAndRemove(dovecot);
  });

  const list = () => host.page.getByRole('listbox', { name: 'Nachrichten' });
  const row = (subject: string) => list().getByRole('option').filter({ hasText: subject });
  const selectedSubjects = async () =>
    (await list().locator('[role="option"][aria-selected="true"] .subject').allTextContents()).sort();
  const notice = () => host.page.locator('.mail-toolbar .notice');
  const toolbar = () => host.page.getByRole('toolbar', { name: 'Aktionen' });
  const folderButton = (name: RegExp) =>
    host.page.getByRole('navigation', { name: 'Ordner' }).getByRole('button', { name });

  test('Ctrl-click, Shift-click, Shift+arrows and Ctrl+A select; read and flag act on the whole selection, on the server too', async () => {
    const { page } = host;
    await row('Protokoll Bauausschuss').click();
    await row('Radweg Nordstadt').click({ modifiers: ['Control'] });
    expect(await selectedSubjects()).toEqual(['Protokoll Bauausschuss', 'Radweg Nordstadt']);
    expect(await list().getAttribute('aria-multiselectable')).toBe('true');
    // Two selected: the reading pane waits for one, replying needs one.
    expect(await toolbar().getByRole('button', { name: 'Antworten', exact: true }).isDisabled()).toBe(true);

    await toolbar().getByRole('button', { name: 'Markieren' }).click();
    await expect.poll(() => list().locator('[data-flagged="true"]').count()).toBe(2);
    await expect.poll(() => notice().textContent()).toBe('2 Nachrichten markiert.');
    await expect
      .poll(
        async () =>
          (await onServer('INBOX'))
            .filter((m) => m.flags.includes('\\Flagged'))
            .map((m) => m.subject)
            .sort(),
        {
          timeout: 20_000,
        },
      )
      .toEqual(['Protokoll Bauausschuss', 'Radweg Nordstadt']);

    // Shift-click: a range from the anchor (the last plain or Ctrl click).
    await row('Protokoll Bauausschuss').click();
    await row('Radweg Nordstadt').click({ modifiers: ['Shift'] });
    expect(await selectedSubjects()).toEqual([
      'Kulturausschuss: Einladung',
      'Protokoll Bauausschuss',
      'Radweg Nordstadt',
    ]);
    // Shift+↑ takes one back; Shift+↓ adds it again and one more.
    await page.keyboard.press('Shift+ArrowUp');
    expect(await selectedSubjects()).toEqual(['Kulturausschuss: Einladung', 'Protokoll Bauausschuss']);
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    expect(await selectedSubjects()).toHaveLength(4);
    await host.screenshot('mail-multi-select');

    // "u" on all four: all read in the app and on the server.
    await page.keyboard.press('u');
    await expect.poll(() => list().locator('.message.unread').count()).toBe(0);
    await expect
      .poll(async () => (await onServer('INBOX')).filter((m) => m.flags.includes('\\Seen')).length, { timeout: 20_000 })
      .toBe(4);

    // Ctrl+A after a plain click selects every message again.
    await row('Radweg Nordstadt').click();
    expect(await selectedSubjects()).toEqual(['Radweg Nordstadt']);
    await page.keyboard.press('Control+A');
    expect(await selectedSubjects()).toHaveLength(4);
  });

  test('archiving a selection shows "In Archiv verschoben — Rückgängig"; undo brings it back and the server never sees a move', async () => {
    const { page } = host;
    await row('Radweg Nordstadt').click();
    await row('Kulturausschuss: Einladung').click({ modifiers: ['Control'] });
    await page.keyboard.press('e');
    await expect.poll(() => row('Radweg Nordstadt').count()).toBe(0);
    expect(await row('Kulturausschuss').count()).toBe(0);
    await expect.poll(() => notice().textContent()).toBe('2 Nachrichten in Archiv verschoben — Rückgängig');
    await host.screenshot('mail-undo-notice');
    await notice().getByRole('button', { name: 'Rückgängig' }).click();
    await row('Radweg Nordstadt').waitFor();
    await row('Kulturausschuss: Einladung').waitFor();
    await expect.poll(() => notice().textContent()).toBe('Rückgängig gemacht.');

    // Past the time the app holds a move: the server still has both in the inbox, nothing in Archive.
    await page.waitForTimeout(SERVER_HOLD_MS + 2_000);
    await toolbar().getByRole('button', { name: 'Mehr' }).click();
    await page.getByRole('menuitem', { name: 'Jetzt abrufen' }).click();
    expect(await subjectsOn('Archive')).toEqual([]);
    expect(await subjectsOn('INBOX')).toEqual(inbox.map((m) => m.subject).sort());
    expect(await list().getByRole('option').count()).toBe(4);

    // Without undo: one message alone, archived; the notice leaves after about ten seconds.
    await row('Protokoll Bauausschuss').click();
    await page.keyboard.press('e');
    await expect.poll(() => notice().textContent()).toBe('In Archiv verschoben — Rückgängig');
    await expect.poll(() => notice().getByRole('button', { name: 'Rückgängig' }).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => subjectsOn('Archive'), { timeout: 20_000 }).toEqual(['Protokoll Bauausschuss']);
  });

  test('context menus: Shift+F10 on the list, the Menu key on a folder, right-click on a row; Escape returns focus', async () => {
    const { page } = host;
    await row('Radweg Nordstadt').click();
    await list().focus();
    await page.keyboard.press('Shift+F10');
    const menu = page.getByRole('menu', { name: 'Nachricht' });
    await menu.waitFor();
    // What the toolbar offers, in the same order.
    expect(await menu.locator('[role="menuitem"] .label').allTextContents()).toEqual(
      expect.arrayContaining([
        'Antworten',
        'Allen antworten',
        'Weiterleiten',
        'Verschieben …',
        'Archivieren',
        'Löschen',
      ]),
    );
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('menuitem');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Allen antworten');
    await host.screenshot('mail-context-menu');
    // The toolbar is one grouped row at the usual window width (1200 px); the rest is in "Mehr".
    const tops = await toolbar()
      .locator('button.tool')
      .evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    // The page fits the window (a full-page screenshot needed no resize), so the picture shows the open menu.
    expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
    expect(await menu.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Nachrichten');
    // Closed by the window instead (here: it changes size), focus goes back to the list all the same.
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    await page.setViewportSize({ width: 1180, height: 800 });
    await menu.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Nachrichten');
    await page.setViewportSize({ width: 1200, height: 800 });
    // The page hears of the new size at its next frame: that resize must not close the folder's menu below.
    await page.waitForFunction(() => window.innerWidth === 1200);
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

    // The Menu key on a folder: open it from there.
    await folderButton(/Projekte/).focus();
    await page.keyboard.press('ContextMenu');
    const folderMenu = page.getByRole('menu', { name: 'Ordner „Projekte“' });
    await folderMenu.waitFor();
    await folderMenu.getByRole('menuitem', { name: 'Öffnen' }).click();
    await row('Projektplan Ratsdesk').waitFor();
    await folderButton(/Posteingang/).click();
    await row('Radweg Nordstadt').waitFor();

    // Right-click on a row outside the selection selects it; "Löschen" puts it in Trash, undoable.
    await row('Haushalt 2027').click({ button: 'right' });
    await menu.waitFor();
    expect(await selectedSubjects()).toEqual(['Haushalt 2027: Entwurf']);
    await menu.getByRole('menuitem', { name: 'Löschen' }).click();
    await expect.poll(() => row('Haushalt 2027').count()).toBe(0);
    await expect.poll(() => notice().textContent()).toBe('In den Papierkorb verschoben — Rückgängig');
    await expect.poll(() => subjectsOn('Trash'), { timeout: 25_000 }).toEqual(['Haushalt 2027: Entwurf']);
  });

  test('messages dragged onto a folder move there (one move for the selection)', async () => {
    const { page } = host;
    await row('Radweg Nordstadt').click();
    await row('Kulturausschuss: Einladung').click({ modifiers: ['Shift'] });
    await row('Kulturausschuss: Einladung').dragTo(folderButton(/Projekte/));
    await expect.poll(() => row('Radweg Nordstadt').count()).toBe(0);
    expect(await row('Kulturausschuss').count()).toBe(0);
    await expect.poll(() => notice().textContent()).toBe('2 Nachrichten nach „Projekte“ verschoben — Rückgängig');
    await expect
      .poll(() => subjectsOn('Projekte'), { timeout: 25_000 })
      .toEqual(['Kulturausschuss: Einladung', 'Projektplan Ratsdesk', 'Radweg Nordstadt']);
    expect(await subjectsOn('INBOX')).toEqual(['Haushalt 2027: Entwurf', 'Protokoll Bauausschuss']);
    await folderButton(/Projekte/).click();
    await row('Radweg Nordstadt').waitFor();
    expect(page.url()).toContain('index.html');
  });

  test('rows show sender, subject, preview and the date as time, weekday or date; the reading pane moves below and stays there', async () => {
    const { page } = host;
    const today = row('Protokoll Bauausschuss');
    // The preview comes with the body, which the first login's download may still be fetching.
    await expect.poll(() => today.locator('.preview').textContent()).toContain('Das Protokoll der letzten Sitzung.');
    expect(await today.locator('time').textContent()).toBe('00:05');
    const weekday = daysAgo(2).toLocaleDateString('de-DE', { weekday: 'long' });
    expect(await row('Kulturausschuss').locator('time').textContent()).toBe(weekday);
    const older = daysAgo(20);
    const dd = String(older.getDate()).padStart(2, '0');
    const mm = String(older.getMonth() + 1).padStart(2, '0');
    expect(await row('Haushalt 2027').locator('time').textContent()).toBe(`${dd}.${mm}.${older.getFullYear()}`);
    // The unread state is an icon and a spoken word.
    expect(await today.textContent()).toContain('ungelesen');
    // Each toolbar button names its shortcut in its tooltip.
    expect(await toolbar().getByRole('button', { name: 'Antworten', exact: true }).getAttribute('title')).toBe(
      'Antworten (R)',
    );
    expect(await toolbar().getByRole('button', { name: 'Löschen' }).getAttribute('title')).toBe('Löschen (Entf)');
    await host.screenshot('mail-list-rows');
    // Sorted by subject, then back to newest first.
    const subjects = () => list().locator('[role="option"] .subject').allTextContents();
    await page.getByLabel('Sortieren nach').selectOption('subject');
    await expect
      .poll(subjects)
      .toEqual(['Haushalt 2027: Entwurf', 'Kulturausschuss: Einladung', 'Protokoll Bauausschuss', 'Radweg Nordstadt']);
    await page.getByLabel('Sortieren nach').selectOption('date');
    await expect
      .poll(subjects)
      .toEqual(['Protokoll Bauausschuss', 'Kulturausschuss: Einladung', 'Radweg Nordstadt', 'Haushalt 2027: Entwurf']);

    await toolbar().getByRole('button', { name: 'Mehr' }).click();
    await page.getByRole('menuitem', { name: 'Lesebereich unten' }).click();
    await page.locator('.mail-panes[data-reading-pane="below"]').waitFor();
    const splitter = page.getByRole('separator', { name: 'Höhe der Nachrichtenliste' });
    await splitter.focus();
    await page.keyboard.press('ArrowDown');
    const height = Number(await splitter.getAttribute('aria-valuenow'));
    expect(height).toBe(290);
    await row('Radweg Nordstadt').click();
    await host.screenshot('mail-reading-pane-below');
    // A restart of the window keeps the position and the height.
    await host.open();
    await showArea(host, 'mail');
    await page.locator('.mail-panes[data-reading-pane="below"]').waitFor();
    expect(
      Number(await page.getByRole('separator', { name: 'Höhe der Nachrichtenliste' }).getAttribute('aria-valuenow')),
    ).toBe(290);
  });

  test('the date filters read and write TT.MM.JJJJ in the German UI; an impossible date is named, not taken', async () => {
    const { page } = host;
    const since = page.getByRole('textbox', { name: 'Von Datum' });
    expect(await since.getAttribute('placeholder')).toBe('TT.MM.JJJJ');
    const d = daysAgo(3);
    const typed = `${String(d.getDate()).padStart(2, '0')}.${String(d.getMonth() + 1).padStart(2, '0')}.${d.getFullYear()}`;
    await since.fill(typed);
    await page.getByText('3 Treffer').waitFor();
    expect(await list().getByRole('option').count()).toBe(3);
    expect(await row('Haushalt 2027').count()).toBe(0);
    expect(await since.inputValue()).toBe(typed);

    const until = page.getByRole('textbox', { name: 'Bis Datum' });
    await until.fill('31.02.2026');
    await until.press('Tab');
    await page.getByRole('alert').filter({ hasText: 'Kein gültiges Datum' }).waitFor();
    expect(await until.getAttribute('aria-invalid')).toBe('true');
    // The impossible date filtered nothing away.
    expect(await list().getByRole('option').count()).toBe(3);
    await host.screenshot('mail-date-filter');
  });
});
