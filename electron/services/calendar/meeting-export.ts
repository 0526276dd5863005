import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { unixSeconds, wallTime } from './calendar-instant';
import type { CalendarLanguage } from './calendar-reading';
import { CALENDAR_PRODID } from './itip-reply';
import { ianaTimezone, ianaZoneComponent } from './time-zones';

/**
 * Council meetings as an iCalendar file people put into the calendar they already use (Outlook, Thunderbird,
 * a phone). Pure: the SEQUENCE of each meeting comes from the caller's bookkeeping (nextMeetingSequence).
 */

export const EXPORT_ZONE = 'Europe/Berlin';

export interface ExportableMeeting {
  /** The OParl id (a URL): the UID is derived from it, so every export names the same meeting the same way. */
  oparlId: string;
  name: string | null;
  /** OParl date-time (with offset; without one it counts as Berlin time) or a date for an all-day meeting. */
  start: string | null;
  end: string | null;
  location: string | null;
  cancelled: boolean;
  /** Names of the bodies (committees, council) holding the meeting. */
  organizations: string[];
  /** The meeting's page in the council system (https), shown as URL and in the description. */
  web: string | null;
  sequence: number;
}

/** A UID stable across exports and machines: a digest of the OParl id (which is long and full of URL characters). */
export function meetingUid(oparlId: string): string {
  return `oparl-${createHash('sha256').update(oparlId, 'utf8').digest('hex').slice(0, 40)}@ratsdesk`;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/;

type MeetingTime = { kind: 'date'; time: ICAL.Time } | { kind: 'instant'; unix: number };

/** Reads an OParl time: a date, a date-time with offset, or a bare date-time (Berlin wall time). */
function meetingTime(value: string | null, berlin: ICAL.Timezone): MeetingTime | null {
  if (!value || value.length > 40) return null;
  const text = value.trim();
  const date = DATE_ONLY.exec(text);
  if (date) {
    return {
      kind: 'date',
      time: ICAL.Time.fromData({ year: +date[1]!, month: +date[2]!, day: +date[3]!, isDate: true }),
    };
  }
  const local = LOCAL_DATE_TIME.exec(text);
  if (local) {
    const time = ICAL.Time.fromData(
      {
        year: +local[1]!,
        month: +local[2]!,
        day: +local[3]!,
        hour: +local[4]!,
        minute: +local[5]!,
        second: +(local[6] ?? 0),
      },
      berlin,
    );
    return { kind: 'instant', unix: time.toUnixTime() };
  }
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? { kind: 'instant', unix: Math.floor(ms / 1000) } : null;
}

function unixOf(time: MeetingTime, berlin: ICAL.Timezone): number {
  if (time.kind === 'instant') return time.unix;
  const placed = time.time.clone();
  placed.zone = berlin;
  return placed.toUnixTime();
}

export interface MeetingSequenceState {
  sequence: number;
  /** Time, place and cancellation as last exported. */
  fingerprint: string;
}

/** What, when changed in the RIS, makes calendar programs update their copy: time, place and cancellation. */
export function meetingFingerprint(
  meeting: Pick<ExportableMeeting, 'start' | 'end' | 'location' | 'cancelled'>,
): string {
  const berlin = ianaTimezone(EXPORT_ZONE);
  const instant = (value: string | null): string => {
    const time = meetingTime(value, berlin);
    if (!time) return '';
    return time.kind === 'date' ? time.time.toString() : String(time.unix);
  };
  return JSON.stringify([
    instant(meeting.start),
    instant(meeting.end),
    (meeting.location ?? '').trim(),
    meeting.cancelled,
  ]);
}

/**
 * The SEQUENCE for the next export: unchanged while time, place and cancellation stay, one higher when the RIS
 * changed any of them (RFC 5546 2.1.4 — calendar programs ignore an update whose SEQUENCE did not rise).
 */
export function nextMeetingSequence(
  previous: MeetingSequenceState | null,
  meeting: Pick<ExportableMeeting, 'start' | 'end' | 'location' | 'cancelled'>,
): MeetingSequenceState {
  const fingerprint = meetingFingerprint(meeting);
  if (!previous) return { sequence: 0, fingerprint };
  if (previous.fingerprint === fingerprint) return previous;
  return { sequence: previous.sequence + 1, fingerprint };
}

const texts = {
  de: { cancelled: 'Abgesagt.', bodies: 'Gremium', agenda: 'Tagesordnung', calendar: 'Sitzungen' },
  en: { cancelled: 'Cancelled.', bodies: 'Body', agenda: 'Agenda', calendar: 'Meetings' },
} as const;

function zonedTime(unix: number, berlin: ICAL.Timezone): ICAL.Time {
  const time = wallTime(unix, berlin).time;
  return ICAL.Time.fromData(
    { year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second },
    berlin,
  );
}

function timeProperty(name: string, time: MeetingTime, berlin: ICAL.Timezone): ICAL.Property {
  const prop = new ICAL.Property(name);
  if (time.kind === 'date') {
    prop.setValue(time.time);
    return prop;
  }
  const local = zonedTime(time.unix, berlin);
  if (unixSeconds(local, berlin) === time.unix) {
    prop.setValue(local);
    prop.setParameter('tzid', EXPORT_ZONE);
  } else {
    // the second 02:30 of the night clocks go back: Berlin wall time cannot name it, UTC can
    prop.setValue(ICAL.Time.fromJSDate(new Date(time.unix * 1000), true));
  }
  return prop;
}

function httpsUrl(value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

export interface MeetingCalendar {
  ics: string;
  exported: number;
  /** OParl ids of meetings left out because they have no readable start. */
  skipped: string[];
}

/**
 * Builds the .ics: METHOD:PUBLISH, the Europe/Berlin VTIMEZONE, one VEVENT per meeting with its stable UID,
 * the caller's SEQUENCE, STATUS:CANCELLED for cancelled meetings. Serialisation (escaping, line folding) is
 * ical.js's.
 */
export function buildMeetingCalendar(
  meetings: ExportableMeeting[],
  options: { now: Date; language: CalendarLanguage; calendarName?: string },
): MeetingCalendar {
  const berlin = ianaTimezone(EXPORT_ZONE);
  const t = texts[options.language];
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('prodid', CALENDAR_PRODID);
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('calscale', 'GREGORIAN');
  calendar.addPropertyWithValue('method', 'PUBLISH');
  calendar.addPropertyWithValue('x-wr-calname', options.calendarName ?? t.calendar);
  calendar.addPropertyWithValue('x-wr-timezone', EXPORT_ZONE);
  calendar.addSubcomponent(ianaZoneComponent(EXPORT_ZONE));
  const stamp = ICAL.Time.fromJSDate(options.now, true);
  const skipped: string[] = [];
  let exported = 0;

  for (const meeting of meetings) {
    const start = meetingTime(meeting.start, berlin);
    if (!start) {
      skipped.push(meeting.oparlId);
      continue;
    }
    let end = meetingTime(meeting.end, berlin);
    // an end before the start (a typo in the RIS) would make the whole event invalid: leave it out
    if (end && (end.kind !== start.kind || unixOf(end, berlin) < unixOf(start, berlin))) end = null;
    if (start.kind === 'date' && !end) {
      const next = start.time.clone();
      next.day += 1;
      end = { kind: 'date', time: next };
    }

    const event = new ICAL.Component('vevent');
    event.addPropertyWithValue('uid', meetingUid(meeting.oparlId));
    event.addPropertyWithValue('dtstamp', stamp);
    event.addPropertyWithValue('sequence', Math.max(0, Math.floor(meeting.sequence)));
    event.addProperty(timeProperty('dtstart', start, berlin));
    if (end) event.addProperty(timeProperty('dtend', end, berlin));
    event.addPropertyWithValue('summary', meeting.name?.trim() || meeting.organizations[0] || t.calendar);
    if (meeting.location?.trim()) event.addPropertyWithValue('location', meeting.location.trim());
    event.addPropertyWithValue('status', meeting.cancelled ? 'CANCELLED' : 'CONFIRMED');
    event.addPropertyWithValue('transp', meeting.cancelled ? 'TRANSPARENT' : 'OPAQUE');
    const web = httpsUrl(meeting.web);
    const lines: string[] = [];
    if (meeting.cancelled) lines.push(t.cancelled);
    if (meeting.organizations.length > 0) lines.push(`${t.bodies}: ${meeting.organizations.join(', ')}`);
    if (web) {
      lines.push(`${t.agenda}: ${web}`);
      event.addPropertyWithValue('url', web);
    }
    if (lines.length > 0) event.addPropertyWithValue('description', lines.join('\n'));
    // lets Ratsdesk (and people) find the meeting again from an imported copy
    event.addPropertyWithValue('x-ratsdesk-oparl-id', meeting.oparlId);
    calendar.addSubcomponent(event);
    exported++;
  }
  return { ics: calendar.toString() + '\r\n', exported, skipped };
}
