import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { RatsdeskError } from '../../contract/errors';
import { isFloating, isoInstant, parseInstant, unixSeconds, wallTime } from './calendar-instant';
import type {
  CalendarAttendee,
  CalendarEvent,
  CalendarEventData,
  CalendarLanguage,
  CalendarNotice,
  CalendarPerson,
  CalendarReading,
  EventStatus,
  Occurrence,
  ParticipationStatus,
} from './calendar-reading';
import { DeadlineExceeded, runWithDeadline } from './deadline-run';
import { type CalendarDate, describeRecurrence, type RecurrenceFacts } from './recurrence-text';
import { ianaTimezone, personTimeZoneName, type ResolvedZone, resolveCalendarZones } from './time-zones';

export interface ReadCalendarOptions {
  /** The person's IANA zone; times are given with its offsets and floating times count in it. Default: the system's. */
  timeZone?: string;
  /** Language of `recurrenceText` (both are in `recurrenceTexts`). Default German. */
  language?: CalendarLanguage;
}

/** Limits that keep hostile input from costing more than a moment; beyond them the text is refused or cut. */
export const calendarLimits = {
  /** Characters of iCalendar text (an invitation is a few KB; a year of a council's meetings well under 1 MB). */
  maxCharacters: 2_000_000,
  /** Wall time for parsing and reading one text. */
  readMilliseconds: 750,
  maxEvents: 1_000,
  maxAttendees: 1_000,
  maxTextField: 20_000,
  /** Per occurrences() call: steps of the recurrence iterator, results, and wall time. */
  maxExpansionSteps: 50_000,
  maxOccurrences: 2_000,
  expansionMilliseconds: 250,
  /** Years outside this range are not dates anyone meets on; they only make zone expansion expensive. */
  minYear: 1800,
  maxYear: 2300,
} as const;

const PARTSTATS: readonly ParticipationStatus[] = ['NEEDS-ACTION', 'ACCEPTED', 'DECLINED', 'TENTATIVE', 'DELEGATED'];
const STATUSES: readonly EventStatus[] = ['TENTATIVE', 'CONFIRMED', 'CANCELLED'];
const DESCRIBED_PARTS = new Set(['BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS']);

/**
 * Reads an iCalendar text (RFC 5545) with ical.js: events with their times as instants in the person's zone,
 * recurrence in words, organizer and attendees, and bounded occurrence expansion. Throws CALENDAR_UNREADABLE
 * for text that is not iCalendar and CALENDAR_TOO_LARGE for text over the limits; smaller problems (a broken
 * VTIMEZONE, an unreadable event) become notices.
 */
export function readCalendar(text: string, options: ReadCalendarOptions = {}): CalendarReading {
  if (typeof text !== 'string') throw new RatsdeskError('INVALID_INPUT', 'calendar text must be a string');
  if (text.length > calendarLimits.maxCharacters) {
    throw new RatsdeskError('CALENDAR_TOO_LARGE', `${text.length} characters`);
  }
  const language = options.language ?? 'de';
  const personZoneName = personTimeZoneName(options.timeZone);
  try {
    return runWithDeadline(() => read(text, personZoneName, language), calendarLimits.readMilliseconds);
  } catch (err) {
    if (err instanceof DeadlineExceeded) {
      throw new RatsdeskError('CALENDAR_TOO_LARGE', `reading took over ${calendarLimits.readMilliseconds} ms`);
    }
    if (err instanceof RatsdeskError) throw err;
    throw new RatsdeskError('CALENDAR_UNREADABLE', parserDetail(err), { cause: err });
  }
}

/** ical.js quotes the offending line in its messages: keep only the part before the quote (no content). */
function parserDetail(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('"')[0]!.trim().slice(0, 120) || 'not iCalendar';
}

/** Parses with ical.js and returns the VCALENDAR components. */
export function parseCalendarRoots(text: string): ICAL.Component[] {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (!/^BEGIN:VCALENDAR/i.test(body)) throw new RatsdeskError('CALENDAR_UNREADABLE', 'no VCALENDAR');
  const parsed = ICAL.parse(body) as unknown[];
  // one component parses to [name, props, comps]; several to a list of those
  const list = typeof parsed[0] === 'string' ? [parsed] : parsed;
  const roots = list.map((jcal) => new ICAL.Component(jcal as unknown[])).filter((c) => c.name === 'vcalendar');
  if (roots.length === 0) throw new RatsdeskError('CALENDAR_UNREADABLE', 'no VCALENDAR');
  return roots;
}

function read(text: string, personZoneName: string, language: CalendarLanguage): CalendarReading {
  const roots = parseCalendarRoots(text);
  const personZone = ianaTimezone(personZoneName);
  const notices: CalendarNotice[] = [];
  const events: CalendarEvent[] = [];
  let method: string | null = null;
  let seen = 0;
  for (const root of roots) {
    const methodValue = root.getFirstPropertyValue('method');
    if (method === null && typeof methodValue === 'string' && methodValue.trim() !== '') {
      method = methodValue.trim().toUpperCase().slice(0, 40);
    }
    const zones = resolveCalendarZones(root, notices);
    const vevents = root.getAllSubcomponents('vevent');
    const room = calendarLimits.maxEvents - seen;
    if (vevents.length > room) {
      notices.push({ code: 'EVENTS_LIMITED', detail: `${vevents.length - room} events left out` });
    }
    const taken = vevents.slice(0, Math.max(0, room));
    seen += taken.length;
    const context: ReadContext = { personZone, zones, notices, language };
    events.push(...readEvents(taken, context));
  }
  return { method, events, notices };
}

interface ReadContext {
  personZone: ICAL.Timezone;
  zones: Map<string, ResolvedZone>;
  notices: CalendarNotice[];
  language: CalendarLanguage;
}

function readEvents(vevents: ICAL.Component[], context: ReadContext): CalendarEvent[] {
  // group a series' master with its changed instances (RECURRENCE-ID), as RFC 5545 3.8.4.4 ties them by UID
  const masters = new Map<string, ICAL.Component>();
  const instances = new Map<string, ICAL.Component[]>();
  const order: { uid: string; component: ICAL.Component }[] = [];
  for (const component of vevents) {
    const uid = eventUid(component);
    if (component.hasProperty('recurrence-id')) {
      instances.set(uid, [...(instances.get(uid) ?? []), component]);
      order.push({ uid, component });
    } else if (!masters.has(uid)) {
      masters.set(uid, component);
      order.push({ uid, component });
    }
  }
  const events: CalendarEvent[] = [];
  for (const { uid, component } of order) {
    const isInstance = component.hasProperty('recurrence-id');
    // an instance whose master is here is read as part of the master's series
    if (isInstance && masters.has(uid)) continue;
    try {
      const exceptions = isInstance ? [] : (instances.get(uid) ?? []);
      const event = readEvent(uid, component, exceptions, context);
      if (event) events.push(event);
    } catch (err) {
      if (err instanceof DeadlineExceeded) throw err;
      context.notices.push({ code: 'EVENT_UNREADABLE', detail: parserDetail(err) });
    }
  }
  return events;
}

function eventUid(component: ICAL.Component): string {
  const uid = component.getFirstPropertyValue('uid');
  if (typeof uid === 'string' && uid.trim() !== '') return uid.trim().slice(0, 1000);
  // RFC 5545 requires a UID; for one that lacks it, derive a stable one so importing twice does not duplicate it
  const digest = createHash('sha256').update(component.toString()).digest('hex').slice(0, 32);
  return `ratsdesk-no-uid-${digest}`;
}

function textValue(component: ICAL.Component, name: string): string {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' ? value.slice(0, calendarLimits.maxTextField) : '';
}

function calendarAddress(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value
    .trim()
    .replace(/^mailto:/i, '')
    .slice(0, 320);
}

function personOf(prop: ICAL.Property): CalendarPerson {
  const cn = prop.getParameter('cn');
  return { email: calendarAddress(prop.getFirstValue()), name: typeof cn === 'string' ? cn.slice(0, 200) : '' };
}

function readAttendees(component: ICAL.Component, notices: CalendarNotice[]): CalendarAttendee[] {
  const props = component.getAllProperties('attendee');
  if (props.length > calendarLimits.maxAttendees) {
    notices.push({ code: 'ATTENDEES_LIMITED', detail: `${props.length - calendarLimits.maxAttendees} left out` });
  }
  return props.slice(0, calendarLimits.maxAttendees).map((prop) => {
    const partstat = String(prop.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase();
    const role = prop.getParameter('role');
    return {
      ...personOf(prop),
      partstat: (PARTSTATS as readonly string[]).includes(partstat)
        ? (partstat as ParticipationStatus)
        : 'NEEDS-ACTION',
      role: typeof role === 'string' ? role.toUpperCase().slice(0, 40) : 'REQ-PARTICIPANT',
      rsvp: String(prop.getParameter('rsvp') ?? '').toUpperCase() === 'TRUE',
    };
  });
}

function sequenceOf(component: ICAL.Component): number {
  const value = Number(component.getFirstPropertyValue('sequence'));
  return Number.isInteger(value) && value >= 0 ? Math.min(value, 2_147_483_647) : 0;
}

function checkYear(time: ICAL.Time, what: string): void {
  if (!Number.isFinite(time.year) || time.year < calendarLimits.minYear || time.year > calendarLimits.maxYear) {
    throw new Error(`${what} outside ${calendarLimits.minYear}–${calendarLimits.maxYear}`);
  }
}

function zoneNameOf(time: ICAL.Time, zones: Map<string, ResolvedZone>, prop: ICAL.Property | null): string | null {
  if (time.zone === ICAL.Timezone.utcTimezone) return 'UTC';
  if (isFloating(time)) return null;
  const tzid = prop?.getParameter('tzid');
  if (typeof tzid !== 'string') return null;
  const resolved = zones.get(tzid);
  return resolved?.iana ?? tzid.slice(0, 200);
}

function calendarDate(time: CalendarDate): CalendarDate {
  return { year: time.year, month: time.month, day: time.day };
}

/** A time shown in the event's own zone (where "every Tuesday" is a Tuesday). */
function inEventZone(time: ICAL.Time, start: ICAL.Time, personZone: ICAL.Timezone): CalendarDate {
  if (time.isDate || isFloating(start)) return time;
  return wallTime(unixSeconds(time, personZone), start.zone).time;
}

function recurrenceFacts(
  rule: ICAL.Recur,
  master: ICAL.Component,
  instances: ICAL.Component[],
  start: ICAL.Time,
  personZone: ICAL.Timezone,
): RecurrenceFacts {
  const parts = rule.parts as Record<string, unknown[] | undefined>;
  const numbers = (name: string): number[] => (parts[name] ?? []).map(Number).filter(Number.isFinite);
  const exceptions: CalendarDate[] = [];
  for (const prop of master.getAllProperties('exdate')) {
    for (const value of prop.getValues()) {
      if (value instanceof ICAL.Time) exceptions.push(calendarDate(inEventZone(value, start, personZone)));
    }
  }
  // an instance cancelled on its own (Google's way) is an exception too; one at another time counts as moved
  let moved = 0;
  for (const instance of instances) {
    const id = instance.getFirstPropertyValue('recurrence-id');
    if (!(id instanceof ICAL.Time)) continue;
    if (String(instance.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') {
      exceptions.push(calendarDate(inEventZone(id, start, personZone)));
      continue;
    }
    const at = instance.getFirstPropertyValue('dtstart');
    if (at instanceof ICAL.Time && unixSeconds(at, personZone) !== unixSeconds(id, personZone)) moved++;
  }
  const additions: CalendarDate[] = [];
  for (const prop of master.getAllProperties('rdate')) {
    for (const value of prop.getValues()) {
      const time = value instanceof ICAL.Period ? value.start : value;
      if (time instanceof ICAL.Time) additions.push(calendarDate(inEventZone(time, start, personZone)));
    }
  }
  return {
    freq: String(rule.freq ?? ''),
    interval: Number(rule.interval) || 1,
    count: typeof rule.count === 'number' && rule.count > 0 ? rule.count : null,
    until: rule.until ? calendarDate(inEventZone(rule.until, start, personZone)) : null,
    byDay: (parts.BYDAY ?? []).map(String),
    byMonthDay: numbers('BYMONTHDAY'),
    byMonth: numbers('BYMONTH'),
    bySetPos: numbers('BYSETPOS'),
    otherParts: Object.keys(parts).filter((name) => !DESCRIBED_PARTS.has(name) && (parts[name]?.length ?? 0) > 0),
    start: { ...calendarDate(start), weekday: start.dayOfWeek() - 1 },
    exceptions,
    additions,
    moved,
  };
}

function readEvent(
  uid: string,
  component: ICAL.Component,
  exceptions: ICAL.Component[],
  context: ReadContext,
): CalendarEvent | null {
  const { personZone, zones, notices } = context;
  const event = new ICAL.Event(component, { exceptions, strictExceptions: false });
  const startProp = component.getFirstProperty('dtstart');
  if (!startProp) throw new Error('event without DTSTART');
  const start = event.startDate;
  const end = event.endDate;
  if (!(start instanceof ICAL.Time) || !(end instanceof ICAL.Time)) throw new Error('event without readable times');
  checkYear(start, 'start');
  checkYear(end, 'end');
  const startUnix = unixSeconds(start, personZone);
  const endUnix = Math.max(startUnix, unixSeconds(end, personZone));

  const statusText = textValue(component, 'status').toUpperCase();
  const organizerProp = component.getFirstProperty('organizer');
  const recurrenceIdTime = component.getFirstPropertyValue('recurrence-id');
  const stamp = component.getFirstPropertyValue('dtstamp');

  const ruleProp = component.getFirstProperty('rrule');
  let rule: ICAL.Recur | null = null;
  if (ruleProp) {
    const value = ruleProp.getFirstValue();
    if (value instanceof ICAL.Recur && typeof value.freq === 'string') rule = value;
    else notices.push({ code: 'RECURRENCE_UNREADABLE', detail: `event ${uid.slice(0, 80)}` });
  }
  const recurring = rule !== null || component.hasProperty('rdate');
  let recurrenceTexts: { de: string; en: string } | null = null;
  if (rule) {
    const facts = recurrenceFacts(rule, component, exceptions, start, personZone);
    recurrenceTexts = { de: describeRecurrence(facts, 'de'), en: describeRecurrence(facts, 'en') };
  }

  const exdates: string[] = [];
  for (const prop of component.getAllProperties('exdate')) {
    for (const value of prop.getValues()) {
      if (value instanceof ICAL.Time) exdates.push(isoInstant(unixSeconds(value, personZone), personZone));
    }
  }

  const data: CalendarEventData = {
    uid,
    sequence: sequenceOf(component),
    stamp: stamp instanceof ICAL.Time ? isoInstant(unixSeconds(stamp, personZone), personZone) : null,
    recurrenceId:
      recurrenceIdTime instanceof ICAL.Time ? isoInstant(unixSeconds(recurrenceIdTime, personZone), personZone) : null,
    summary: textValue(component, 'summary'),
    location: textValue(component, 'location'),
    description: textValue(component, 'description'),
    status: (STATUSES as readonly string[]).includes(statusText) ? (statusText as EventStatus) : null,
    allDay: start.isDate,
    start: isoInstant(startUnix, personZone),
    end: isoInstant(endUnix, personZone),
    timeZone: zoneNameOf(start, zones, startProp),
    rrule: rule ? rule.toString().slice(0, 2000) : null,
    exdates,
    recurrenceText: recurrenceTexts ? recurrenceTexts[context.language] : null,
    recurrenceTexts,
    organizer: organizerProp ? personOf(organizerProp) : null,
    attendees: readAttendees(component, notices),
    comment: component
      .getAllProperties('comment')
      .map((p) => String(p.getFirstValue() ?? ''))
      .join('\n')
      .slice(0, calendarLimits.maxTextField),
  };

  let limitNoticed = false;
  const noteLimit = (why: string): void => {
    if (limitNoticed) return;
    limitNoticed = true;
    notices.push({ code: 'RECURRENCE_LIMITED', detail: `event ${uid.slice(0, 80)}: ${why}` });
  };

  const occurrences = (fromIso: string, toIso: string): Occurrence[] => {
    const from = parseInstant(fromIso);
    const to = parseInstant(toIso);
    if (from === null || to === null) throw new RatsdeskError('INVALID_INPUT', 'occurrence window is not ISO 8601');
    if (to <= from) return [];
    const overlaps = (s: number, e: number): boolean => s < to && (e > from || (e === s && s >= from));
    if (!recurring) {
      return overlaps(startUnix, endUnix) ? [{ start: data.start, end: data.end }] : [];
    }
    const found: { start: number; end: number }[] = [];
    try {
      runWithDeadline(
        () => expand(event, personZone, from, to, found, overlaps, noteLimit),
        calendarLimits.expansionMilliseconds,
      );
    } catch (err) {
      if (err instanceof DeadlineExceeded) noteLimit('took too long');
      else noteLimit(parserDetail(err));
    }
    return found
      .sort((a, b) => a.start - b.start)
      .map((o) => ({ start: isoInstant(o.start, personZone), end: isoInstant(o.end, personZone) }));
  };

  return { ...data, occurrences };
}

function isCancelled(item: ICAL.Event | undefined): boolean {
  return String(item?.component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
}

/** Walks the series with ical.js's own expansion (RRULE, RDATE, EXDATE, RECURRENCE-ID), within the bounds. */
function expand(
  event: ICAL.Event,
  personZone: ICAL.Timezone,
  from: number,
  to: number,
  found: { start: number; end: number }[],
  overlaps: (start: number, end: number) => boolean,
  noteLimit: (why: string) => void,
): void {
  const iterator = event.iterator();
  const exceptions = Object.values(event.exceptions) as ICAL.Event[];
  // without changed instances the occurrence is the rule's own time (what getOccurrenceDetails would compute,
  // at a fraction of its cost: every zone conversion in ical.js deep-clones its change table)
  const plain = exceptions.length === 0 && event.rangeExceptions.length === 0;
  const duration = event.duration;
  const visited = new Set<string>();
  for (let step = 0; ; step++) {
    if (step >= calendarLimits.maxExpansionSteps) return noteLimit('too many steps');
    const next = iterator.next();
    if (!next) break;
    const recurrenceId = unixSeconds(next, personZone);
    if (recurrenceId >= to) break;
    let start = recurrenceId;
    let endTime: ICAL.Time;
    if (plain) {
      endTime = next.clone();
      endTime.addDuration(duration);
    } else {
      const details = event.getOccurrenceDetails(next);
      visited.add(next.toString());
      if (isCancelled(details.item)) continue;
      start = unixSeconds(details.startDate, personZone);
      endTime = details.endDate;
    }
    const end = Math.max(start, unixSeconds(endTime, personZone));
    if (overlaps(start, end)) {
      if (found.length >= calendarLimits.maxOccurrences) return noteLimit('too many occurrences');
      found.push({ start, end });
    }
  }
  // an instance moved into the window from a date after it
  for (const exception of exceptions) {
    const id = exception.recurrenceId;
    if (!id || visited.has(id.toString()) || unixSeconds(id, personZone) < to || isCancelled(exception)) continue;
    const start = unixSeconds(exception.startDate, personZone);
    const end = Math.max(start, unixSeconds(exception.endDate, personZone));
    if (overlaps(start, end) && found.length < calendarLimits.maxOccurrences) found.push({ start, end });
  }
}
