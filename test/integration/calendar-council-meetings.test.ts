import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { CalendarService } from '../../electron/services/calendar/calendar-service';
import { meetingUid } from '../../electron/services/calendar/meeting-export';
import { MeetingReminders, type MeetingReminder } from '../../electron/services/calendar/meeting-reminders';
import { readCalendar } from '../../electron/services/calendar/read-calendar';
import { RisService } from '../../electron/services/ris/ris-service';
import { VaultSession } from '../../electron/services/vault-session';
import { startOparlServer, type OparlTestServer } from '../servers/oparl-server';
import { leakCheck } from '../support/leak-check';
import { until } from '../support/wait-until';
import { makeVaultFixture, type VaultFixture } from './helpers/vault-fixture';

// Council meetings as dates, over a real vault and the loopback OParl server: the .ics export keeps each
// meeting's UID, raises SEQUENCE only when the RIS moved, relocated or cancelled it, and reads back with the
// same times; reminders come once per meeting of the person's bodies, within the person's lead time, never for
// a cancelled meeting, and not at all while the setting is off.

const MEETINGS = 8;
/** Organization 0 is "my body": meetings 0, 2, 4, 6. Meeting m starts at 17:00 UTC on day m - 4 from today. */
const MINE = [0, 2, 4, 6];

let server: OparlTestServer;
let fx: VaultFixture;
let vaultSession: VaultSession;
let ris: RisService;
let calendar: CalendarService;
const gen = () => server.generated;

async function sync(): Promise<void> {
  const [body] = await ris.bodies();
  await ris.syncBody(body!.id);
}

/** Exports all meetings of my bodies as the host does (file written, then commit) and reads the file back. */
async function exportAll() {
  const file = await calendar.meetingCalendar({});
  file.commit();
  return { file, reading: readCalendar(file.ics, { timeZone: 'Europe/Berlin' }) };
}

beforeAll(async () => {
  server = await startOparlServer({ papers: 6, meetings: MEETINGS, organizations: 2, persons: 2, itemsPerMeeting: 1 });
});
afterAll(async () => {
  await server.stop();
});
beforeEach(async () => {
  server.resetChanges();
  fx = makeVaultFixture();
  vaultSession = new VaultSession({ file: fx.file, keychain: fx.keychain });
  ris = new RisService({ systemUrl: gen().systemUrl, extraCaPem: [server.caPem] }, () => vaultSession.open());
  calendar = new CalendarService({
    vault: () => vaultSession.vault(),
    mail: () => Promise.reject(new Error('no mail in this test')),
    council: async () => ris,
    timeZone: 'Europe/Berlin',
  });
  await sync();
  const [body] = await ris.bodies();
  (await ris.queries()).chooseOrganizations(body!.id, [`${gen().base}/organization/0`]);
});
afterEach(async () => {
  server.resetChanges();
  await vaultSession.dispose();
  await fx.cleanup();
});

describe('meeting export', () => {
  test('a meeting moved in the RIS gets a higher SEQUENCE on the next export; the others keep theirs', async () => {
    const first = await exportAll();
    expect(first.file.fileName).toBe('sitzungen.ics');
    expect(first.reading.events.map((e) => e.uid).sort()).toEqual(
      MINE.map((m) => meetingUid(gen().meetingUrl(m))).sort(),
    );
    for (const m of MINE) {
      const event = first.reading.events.find((e) => e.uid === meetingUid(gen().meetingUrl(m)))!;
      expect(event.sequence).toBe(0);
      expect(Date.parse(event.start)).toBe(gen().meetingStart(m).getTime());
      expect(event.timeZone).toBe('Europe/Berlin');
    }
    expect(first.file.ics).toContain('BEGIN:VTIMEZONE');

    // Exported again without a change in the RIS: the same SEQUENCE (calendar programs see nothing new).
    const unchanged = await exportAll();
    expect(unchanged.reading.events.map((e) => e.sequence)).toEqual(MINE.map(() => 0));

    // The RIS moves meeting 6 by 90 minutes into another room; the next sync brings it.
    server.touch('meeting', 6, { shiftMinutes: 90, location: 'Bürgerhaus, Großer Saal' });
    await sync();
    const moved = await exportAll();
    const six = moved.reading.events.find((e) => e.uid === meetingUid(gen().meetingUrl(6)))!;
    expect(six.sequence).toBe(1);
    expect(Date.parse(six.start)).toBe(gen().meetingStart(6).getTime() + 90 * 60_000);
    expect(six.location).toContain('Bürgerhaus, Großer Saal');
    for (const m of MINE.filter((x) => x !== 6))
      expect(moved.reading.events.find((e) => e.uid === meetingUid(gen().meetingUrl(m)))?.sequence).toBe(0);

    // Cancelled in the RIS: one higher again, STATUS:CANCELLED.
    server.touch('meeting', 6, { shiftMinutes: 90, location: 'Bürgerhaus, Großer Saal', cancelled: true });
    await sync();
    const cancelled = (await exportAll()).reading.events.find((e) => e.uid === meetingUid(gen().meetingUrl(6)))!;
    expect(cancelled).toMatchObject({ sequence: 2, status: 'CANCELLED' });
  });

  test('an export whose file was not written does not count: the next one still raises SEQUENCE by one', async () => {
    await exportAll();
    server.touch('meeting', 4, { shiftMinutes: 30 });
    await sync();
    // The save dialog was cancelled: no commit.
    const notSaved = await calendar.meetingCalendar({});
    expect(readCalendar(notSaved.ics).events.find((e) => e.uid === meetingUid(gen().meetingUrl(4)))?.sequence).toBe(1);
    const one = await calendar.meetingCalendar({ meetingId: gen().meetingUrl(4), language: 'en' });
    one.commit();
    expect(one.fileName).toBe(`meeting-${gen().meetingStart(4).toISOString().slice(0, 10)}.ics`);
    expect(readCalendar(one.ics).events.map((e) => e.sequence)).toEqual([1]);
  });
});

describe('meeting reminders', () => {
  function reminders(lead: number | null, now: Date) {
    const sent: MeetingReminder[] = [];
    const r = new MeetingReminders({
      leadMinutes: async () => lead,
      meetings: (from, to) => ris.meetingsBetween(from, to, 'mine'),
      remind: (reminder) => sent.push(reminder),
      now: () => now,
    });
    return { r, sent };
  }

  test('a meeting of my bodies within the lead time is reminded of once; another body’s is not', async () => {
    // 20 minutes before meeting 6 (mine) and meeting 7 (not mine) is a day later.
    const now = new Date(gen().meetingStart(6).getTime() - 20 * 60_000);
    const { r, sent } = reminders(30, now);
    expect(await r.check()).toHaveLength(1);
    expect(await r.check()).toEqual([]);
    expect(sent).toEqual([
      {
        meetingId: gen().meetingUrl(6),
        title: expect.stringContaining('Sitzung') as string,
        start: gen().meetingStart(6).toISOString(),
        location: expect.stringContaining('Sitzungssaal 1') as string,
        minutes: 20,
      },
    ]);
    r.dispose();

    // 20 minutes before meeting 7: not one of my bodies.
    const other = reminders(30, new Date(gen().meetingStart(7).getTime() - 20 * 60_000));
    expect(await other.r.check()).toEqual([]);
  });

  test('off (the default), too early, or cancelled in the RIS: no reminder', async () => {
    const before = (minutes: number) => new Date(gen().meetingStart(6).getTime() - minutes * 60_000);
    expect(await reminders(null, before(20)).r.check()).toEqual([]);
    expect(await reminders(30, before(45)).r.check()).toEqual([]);
    server.touch('meeting', 6, { cancelled: true });
    await sync();
    expect(await reminders(30, before(20)).r.check()).toEqual([]);
  });

  test('a meeting moved in the RIS is reminded of again at its new time', async () => {
    const { r, sent } = reminders(30, new Date(gen().meetingStart(6).getTime() - 20 * 60_000));
    await r.check();
    server.touch('meeting', 6, { shiftMinutes: 5 });
    await sync();
    await r.check();
    expect(sent.map((s) => s.start)).toEqual([
      gen().meetingStart(6).toISOString(),
      new Date(gen().meetingStart(6).getTime() + 5 * 60_000).toISOString(),
    ]);
  });
});

describe('reminders live as long as the open vault', () => {
  test('registered on the vault session, they stop when it closes and do not open it again', async () => {
    const leaks = await leakCheck();
    await vaultSession.close();
    let looks = 0;
    vaultSession.onOpen((scope) => {
      const reminders = new MeetingReminders({
        leadMinutes: async () => 30,
        meetings: (from, to) => {
          looks++;
          return ris.meetingsBetween(from, to, 'mine');
        },
        remind: () => undefined,
        checkEveryMs: 20,
      });
      reminders.start();
      scope.owned.add(reminders);
    });
    const vault = await vaultSession.vault();
    await until('a few looks at the meetings', () => looks >= 3);
    await vaultSession.close();
    expect(vault.isOpen).toBe(false);
    const after = looks;
    await new Promise((r) => setTimeout(r, 200));
    expect(looks).toBe(after);
    await leaks.assertNoneLeft();
  });
});
