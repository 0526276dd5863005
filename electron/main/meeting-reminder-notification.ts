import type { MeetingReminderInfo } from '../contract/calendar';

/**
 * The desktop notification before a meeting of the person's bodies: when it begins, and — unless the app is
 * locked (the event then arrives without them, events-while-locked.ts) — which meeting and where. Times in the
 * system's zone, the language of the menu.
 */
export function meetingReminderNotificationText(
  reminder: MeetingReminderInfo,
  language: string,
): { title: string; body: string } {
  const en = language.startsWith('en');
  const start = new Date(reminder.start);
  const clock = Number.isNaN(start.getTime())
    ? ''
    : start.toLocaleTimeString(en ? 'en-GB' : 'de-DE', { hour: '2-digit', minute: '2-digit' });
  const title = en
    ? `Meeting in ${reminder.minutes} ${reminder.minutes === 1 ? 'minute' : 'minutes'}`
    : `Sitzung in ${reminder.minutes} ${reminder.minutes === 1 ? 'Minute' : 'Minuten'}`;
  const what = [reminder.title, reminder.location].filter((s) => s.trim() !== '').join(', ');
  const at = clock ? (en ? `at ${clock}` : `um ${clock} Uhr`) : '';
  const body = what
    ? `${what} ${at}`.trim()
    : en
      ? `A meeting of your bodies begins ${at}`.trim()
      : `Eine Sitzung Ihrer Gremien beginnt ${at}`.trim();
  return { title, body };
}
