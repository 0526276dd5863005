import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { readCalendar } from '../../electron/services/calendar/read-calendar';
import { meetingUid } from '../../electron/services/calendar/meeting-export';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { type OparlTestServer, startOparlServer } from '../servers/oparl-server';
import { startSignedIn } from '../support/e2e-account';
import { composeRaw } from '../support/submit-mail';
import { until } from '../support/wait-until';
import type { AppHost } from './harness/app-host';
import { AxeReport } from './harness/axe-check';

const USER = { user: 'anna', pass: 'Rathaus-2020!' };
const axe = new AxeReport();
const DAY = 86_400_000;

/** "20261130T170000Z" */
function icsUtc(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

// The Termine view in Chromium: meetings of the person's bodies from the loopback OParl server (synced into
// the vault) beside an event imported from an .ics attachment; week grid with keyboard navigation, list,
// "Alle Gremien", a cancelled meeting struck through, offline state, one click to the agenda, and the
// export of all meetings through the host's save dialog, read back with the same times.
describe('Termine view', () => {
  let dovecot: DovecotServer;
  let oparl: OparlTestServer;
  let host: AppHost | undefined;
  const gen = () => oparl.generated;
  /** Meetings m at 17:00 UTC on day m - 6 from today; organization m % 2; "my body" is organization 0. */
  const MEETINGS = 12;
  const mine = (m: number) => m % 2 === 0;
  const importedStart = new Date(Date.now() + 2 * DAY);
  importedStart.setUTCHours(9, 0, 0, 0);

  beforeAll(async () => {
    oparl = await startOparlServer({
      papers: 12,
      meetings: MEETINGS,
      organizations: 2,
      persons: 4,
      itemsPerMeeting: 2,
    });
    // Meeting 8 is cancelled in the RIS.
    oparl.touch('meeting', 8, { cancelled: true });
    dovecot = await startDovecot({ users: [USER] });
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Stadt//Fraktion//DE',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
      'UID:fraktion-klausur@stadt.example',
      `DTSTAMP:${icsUtc(new Date())}`,
      `DTSTART:${icsUtc(importedStart)}`,
      `DTEND:${icsUtc(new Date(importedStart.getTime() + 2 * 3_600_000))}`,
      'SUMMARY:Fraktionsklausur',
      'LOCATION:Haus der Vereine',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const raw = await composeRaw({
      from: 'Fraktionsbüro <buero@stadt.example>',
      to: 'anna@stadt.example',
      subject: 'Termin Klausur',
      text: 'Anbei der Termin.',
      attachments: [{ filename: 'klausur.ics', contentType: 'text/calendar', content: ics }],
    });
    dovecot.seed(USER.user, [{ subject: '', raw: raw.toString('utf8') }]);
  });

  /**
   * Each test its own app: signed in, the council synced with organization 0 as "my body" and meeting 6
   * offline; with `imported`, the .ics of the "Termin Klausur" mail already taken into the calendar.
   */
  async function openApp(imported: boolean): Promise<AppHost> {
    host = await startSignedIn(dovecot, USER, {
      ris: { systemUrl: gen().systemUrl, extraCaPem: [oparl.caPem] },
      timezoneId: 'Europe/Berlin',
      beforeOpen: async (app) => {
        const h = app.services.handlers;
        const [body] = await h.ris.bodies();
        await h.ris.sync({ bodyId: body!.id });
        // Only meeting 6 offline, by hand: the automatic offline pack stays off here.
        await h.policy.setUserValue({ key: 'offlinePackDays', value: 0 });
        await h.ris.chooseOrganizations({ bodyId: body!.id, organizationIds: [`${gen().base}/organization/0`] });
        await h.ris.makeMeetingOffline({ id: gen().meetingUrl(6) });
        if (!imported) return;
        const session = await app.services.mailSessions.current();
        const mail = await until('the Klausur mail', () =>
          session.sync.listPage('INBOX').items.find((m) => m.subject === 'Termin Klausur'),
        );
        const card = await h.calendar.invitation({ id: mail.id });
        await h.calendar.importAttachment({ id: mail.id, partId: card!.partId });
      },
    });
    return host;
  }

  afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  afterAll(async () => {
    axe.write();
    await stopAndRemove(dovecot);
    await oparl?.stop();
  });

  test('an .ics attachment goes into the calendar from the card', async () => {
    const { page } = await openApp(false);
    await page
      .getByRole('listbox', { name: 'Nachrichten' })
      .getByRole('option')
      .filter({ hasText: 'Termin Klausur' })
      .click();
    const card = page.locator('.reading-pane .invitation-card');
    await card.getByRole('heading', { name: 'Termin: Fraktionsklausur' }).waitFor();
    await card.getByRole('button', { name: 'In den Kalender übernehmen' }).click();
    await expect.poll(() => card.getByRole('status').textContent()).toBe('1 Termin in den Kalender übernommen.');
  });

  test('list: my bodies’ meetings and my own date; all bodies on request; cancelled struck through; offline marked', async () => {
    const app = await openApp(true);
    const page = app.page;
    await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Termine' }).click();
    await page.getByRole('group', { name: 'Ansicht' }).getByRole('button', { name: 'Liste' }).click();
    const list = page.getByRole('list', { name: 'Liste' });
    await list.waitFor();
    const upcoming = Array.from({ length: MEETINGS }, (_, m) => m).filter(
      (m) => gen().meetingStart(m).getTime() >= new Date(new Date().setHours(0, 0, 0, 0)).getTime(),
    );
    const meetingIds = async () =>
      (await list.locator('.date-entry[data-kind="meeting"] button.date-title').allTextContents()).map((s) => s.trim());
    const name = (m: number) => `${Math.floor(m / 2) + 1}. Sitzung`;
    await expect.poll(async () => (await meetingIds()).length).toBe(upcoming.filter(mine).length);
    for (const title of await meetingIds())
      expect(
        upcoming
          .filter(mine)
          .map(name)
          .some((n) => title.startsWith(n)),
      ).toBe(true);
    expect(await list.locator('.date-entry[data-kind="event"]').innerText()).toContain('Fraktionsklausur');
    const cancelled = list.locator('.date-entry[data-cancelled="true"]');
    expect(await cancelled.count()).toBe(1);
    expect(await cancelled.innerText()).toContain('abgesagt');
    expect(await cancelled.locator('s').count()).toBe(1);
    expect(await list.locator('.date-entry[data-offline="complete"]').innerText()).toContain('offline verfügbar');
    await app.screenshot('calendar-termine-list');

    await page.getByRole('checkbox', { name: 'Alle Gremien' }).check();
    await expect.poll(async () => (await meetingIds()).length).toBe(upcoming.length);
    await page.getByRole('checkbox', { name: 'Alle Gremien' }).uncheck();
    await expect.poll(async () => (await meetingIds()).length).toBe(upcoming.filter(mine).length);
  });

  test('week grid: arrow keys move the day (into the next week too); a meeting opens its agenda with one click', async () => {
    const app = await openApp(false);
    const page = app.page;
    await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Termine' }).click();
    await page.getByRole('group', { name: 'Ansicht' }).getByRole('button', { name: 'Woche' }).click();
    const grid = page.getByRole('grid');
    await grid.waitFor();
    expect(await grid.getByRole('columnheader').allTextContents()).toEqual([
      'Montag',
      'Dienstag',
      'Mittwoch',
      'Donnerstag',
      'Freitag',
      'Samstag',
      'Sonntag',
    ]);
    const focused = grid.locator('td[tabindex="0"]');
    expect(await focused.getAttribute('aria-current')).toBe('date');
    await focused.focus();
    const before = await focused.getAttribute('data-day');
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
    const after = await grid.locator('td[tabindex="0"]').getAttribute('data-day');
    expect(Date.parse(after!) - Date.parse(before!)).toBe(7 * DAY);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-day'))).toBe(after);
    await app.screenshot('calendar-termine-week');
    await page.locator('#main').getByRole('button', { name: 'Heute' }).click();

    // one click from the list to the agenda
    await page.getByRole('group', { name: 'Ansicht' }).getByRole('button', { name: 'Liste' }).click();
    await page
      .getByRole('button', { name: /^Tagesordnung öffnen: .*Sitzung/ })
      .first()
      .click();
    const heading = page.locator('.ris-main h1');
    await expect.poll(() => heading.textContent()).toMatch(/Sitzung/);
    expect(await page.locator('.ris-main').innerText()).toContain('Tagesordnung');
  });

  test('month grid: arrow keys and Page Down cross into the next month; every calendar view and the card pass axe in German and English', async () => {
    const app = await openApp(true);
    const page = app.page;
    const serious = async (view: string, language: string) => {
      const bad = await axe.check(page, view, language);
      await app.screenshot(`axe-${view}-${language}`);
      expect
        .soft(bad.map((v) => `${view}/${language}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).join(', ')}`))
        .toEqual([]);
    };
    await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Termine' }).click();
    await page.getByRole('group', { name: 'Ansicht' }).getByRole('button', { name: 'Monat' }).click();
    const grid = page.getByRole('grid');
    await grid.waitFor();
    // Whole weeks, Monday first, around the month: at least 28 days, at most 42.
    const days = await grid.locator('td[data-day]').count();
    expect(days % 7).toBe(0);
    expect(days).toBeGreaterThanOrEqual(28);
    expect(days).toBeLessThanOrEqual(42);
    const caption = await grid.locator('caption').textContent();
    const focused = grid.locator('td[tabindex="0"]');
    expect(await focused.getAttribute('aria-current')).toBe('date');
    await focused.focus();
    const start = Date.parse((await focused.getAttribute('data-day'))!);
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowDown');
    const after = Date.parse((await grid.locator('td[tabindex="0"]').getAttribute('data-day'))!);
    expect(Math.round((after - start) / DAY)).toBe(42);
    // Six weeks on is always another month: the grid followed, and the focus stayed on the day.
    expect(await grid.locator('caption').textContent()).not.toBe(caption);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-day'))).toBe(
      await grid.locator('td[tabindex="0"]').getAttribute('data-day'),
    );
    await page.keyboard.press('PageDown');
    const paged = new Date(Date.parse((await grid.locator('td[tabindex="0"]').getAttribute('data-day'))!));
    const from = new Date(after);
    expect(paged.getFullYear() * 12 + paged.getMonth() - (from.getFullYear() * 12 + from.getMonth())).toBe(1);
    await page.locator('#main').getByRole('button', { name: 'Heute' }).click();
    await expect.poll(() => grid.locator('td[tabindex="0"]').getAttribute('aria-current')).toBe('date');
    await app.screenshot('calendar-termine-month');

    const views: [string, { de: string; en: string }][] = [
      ['termine-month', { de: 'Monat', en: 'Month' }],
      ['termine-week', { de: 'Woche', en: 'Week' }],
      ['termine-list', { de: 'Liste', en: 'List' }],
    ];
    for (const language of ['de', 'en'] as const) {
      if (language === 'en') {
        await page.locator('.app-header .language select').selectOption('en');
        await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: 'Dates' }).click();
      }
      const modes = page.getByRole('group', { name: language === 'de' ? 'Ansicht' : 'View' });
      for (const [view, label] of views) {
        await modes.getByRole('button', { name: label[language] }).click();
        await page
          .locator(view === 'termine-list' ? '.date-list, .calendar-empty' : '.calendar-grid')
          .first()
          .waitFor();
        await serious(view, language);
      }
      // The card above the mail that brought the .ics.
      await page
        .getByRole('navigation')
        .first()
        .getByRole('button', { name: language === 'de' ? 'E-Mail' : 'Mail' })
        .click();
      await page.getByRole('option').filter({ hasText: 'Termin Klausur' }).click();
      await page.locator('.reading-pane .invitation-card').waitFor();
      await serious('invitation-card', language);
      if (language === 'de')
        await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Termine' }).click();
    }
  });

  test('a reminder’s click (a notification intent, as Electron pushes it) opens that meeting’s agenda', async () => {
    const app = await openApp(false);
    app.intents.push({ kind: 'showMeeting', id: gen().meetingUrl(6) });
    const heading = app.page.locator('.ris-main h1');
    await expect.poll(() => heading.textContent()).toMatch(/^4\. Sitzung/);
    expect(await app.page.locator('.ris-main').innerText()).toContain('Tagesordnung');
  });

  test('export: all meetings of my bodies through the save dialog, read back with the same times', async () => {
    const app = await openApp(false);
    const page = app.page;
    await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Termine' }).click();
    await page.getByRole('button', { name: 'Meine Sitzungen exportieren (.ics)' }).click();
    await expect
      .poll(() => page.locator('.calendar-export-status').textContent())
      .toMatch(/^\d+ Sitzungen exportiert\.$/);
    const file = app.savedFiles.at(-1)!;
    expect(file.endsWith('sitzungen.ics')).toBe(true);
    const reading = readCalendar(readFileSync(file, 'utf8'), { timeZone: 'Europe/Berlin' });
    const exported = Array.from({ length: MEETINGS }, (_, m) => m).filter(
      (m) => mine(m) && gen().meetingStart(m).getTime() >= Date.now() - 30 * DAY,
    );
    expect(reading.events.map((e) => e.uid).sort()).toEqual(
      exported.map((m) => meetingUid(gen().meetingUrl(m))).sort(),
    );
    for (const m of exported) {
      const event = reading.events.find((e) => e.uid === meetingUid(gen().meetingUrl(m)))!;
      expect(Date.parse(event.start)).toBe(gen().meetingStart(m).getTime());
      expect(event.status).toBe(m === 8 ? 'CANCELLED' : 'CONFIRMED');
    }
  });
});
