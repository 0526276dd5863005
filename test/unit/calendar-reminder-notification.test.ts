import { describe, expect, it } from 'vitest';
import type { MeetingReminderInfo } from '../../electron/contract/calendar';
import { gateEventsWhileLocked } from '../../electron/contract/events-while-locked';
import { meetingReminderNotificationText } from '../../electron/main/meeting-reminder-notification';

const reminder: MeetingReminderInfo = {
  meetingId: 'https://ris.example/oparl/meeting/6',
  title: '4. Sitzung Bauausschuss',
  start: '2026-03-17T17:00:00.000Z',
  location: 'Rathaus, Sitzungssaal 1',
  minutes: 20,
};

/** What the host receives for one reminder event, locked or not (the same gate as Electron's main process). */
function delivered(locked: boolean): MeetingReminderInfo {
  const got: unknown[] = [];
  gateEventsWhileLocked(
    (_domain, _name, payload) => got.push(payload),
    () => locked,
  )!('calendar', 'meetingReminder', reminder);
  expect(got).toHaveLength(1);
  return got[0] as MeetingReminderInfo;
}

// The desktop notification before a meeting (the host's thin glue): German and English, and while the app is
// locked only when a meeting begins, not which (the bodies a person follows are not for the lock screen).
describe('meeting reminder notification', () => {
  it('names the meeting, the place and the time when unlocked', () => {
    const text = meetingReminderNotificationText(delivered(false), 'de');
    expect(text.title).toBe('Sitzung in 20 Minuten');
    expect(text.body).toMatch(/^4\. Sitzung Bauausschuss, Rathaus, Sitzungssaal 1 um \d\d:\d\d Uhr$/);
    expect(meetingReminderNotificationText(delivered(false), 'en').title).toBe('Meeting in 20 minutes');
  });

  it('names neither meeting nor place while locked, and a click then opens no meeting', () => {
    const locked = delivered(true);
    expect(locked.meetingId).toBe('');
    const text = meetingReminderNotificationText(locked, 'de');
    expect(JSON.stringify(text)).not.toContain('Bauausschuss');
    expect(JSON.stringify(text)).not.toContain('Sitzungssaal');
    expect(text.body).toMatch(/^Eine Sitzung Ihrer Gremien beginnt um \d\d:\d\d Uhr$/);
  });
});
