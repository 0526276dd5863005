import ICAL from 'ical.js';
import { RatsdeskError } from '../../contract/errors';
import { isFloating } from './calendar-instant';
import type { CalendarPerson } from './calendar-reading';
import { DeadlineExceeded, runWithDeadline } from './deadline-run';
import { calendarLimits, parseCalendarRoots } from './read-calendar';
import { resolveCalendarZones } from './time-zones';

/** The answers an attendee can give to a REQUEST (RFC 5546 3.2.3). */
export type ReplyAnswer = 'ACCEPTED' | 'TENTATIVE' | 'DECLINED';

export const CALENDAR_PRODID = '-//Ratsdesk//Ratsdesk Kalender//DE';

export interface ReplyInput {
  /** The REQUEST's iCalendar text as received. */
  requestText: string;
  uid: string;
  /** For an answer to one instance of a series: its RECURRENCE-ID as an instant; null answers the whole series. */
  recurrenceId?: string | null;
  /** Every address of the person answering (account address and aliases); matched case-insensitively. */
  myAddresses: string[];
  /** Name for an ATTENDEE line the person is not yet on (invited through a list). */
  myName: string;
  answer: ReplyAnswer;
  comment?: string | null;
  now: Date;
}

export interface ItipReply {
  /** The REPLY as iCalendar text (METHOD:REPLY, one VEVENT, one ATTENDEE). */
  ics: string;
  uid: string;
  sequence: number;
  summary: string;
  organizer: CalendarPerson;
  /** The address the person answered as. */
  attendee: string;
}

const MAX_COMMENT = 2_000;

function address(prop: ICAL.Property): string {
  const value = prop.getFirstValue();
  return typeof value === 'string' ? value.trim().replace(/^mailto:/i, '') : '';
}

function copyProperty(prop: ICAL.Property): ICAL.Property {
  return new ICAL.Property(structuredClone(prop.toJSON()));
}

/** A copy of a time property in UTC, so the REPLY needs no VTIMEZONE; dates and floating times stay as they are. */
function utcCopy(prop: ICAL.Property): ICAL.Property {
  const value = prop.getFirstValue();
  if (!(value instanceof ICAL.Time) || value.isDate || isFloating(value)) {
    const copy = copyProperty(prop);
    copy.removeParameter('tzid');
    return copy;
  }
  const copy = new ICAL.Property(prop.name);
  copy.setValue(value.convertToZone(ICAL.Timezone.utcTimezone));
  return copy;
}

function sameInstant(time: unknown, iso: string): boolean {
  if (!(time instanceof ICAL.Time)) return false;
  return time.toUnixTime() === Math.floor(Date.parse(iso) / 1000);
}

/**
 * Builds the REPLY (RFC 5546 3.2.3) to a REQUEST: METHOD:REPLY, the event's UID, SEQUENCE and RECURRENCE-ID,
 * the ORGANIZER as the request names it, and exactly one ATTENDEE — the person — with the chosen PARTSTAT.
 * Times are copied in UTC (informative; Outlook shows them), an optional COMMENT carries the person's note.
 */
export function buildItipReply(input: ReplyInput): ItipReply {
  if (input.requestText.length > calendarLimits.maxCharacters) throw new RatsdeskError('CALENDAR_TOO_LARGE');
  try {
    return runWithDeadline(() => build(input), calendarLimits.readMilliseconds);
  } catch (err) {
    if (err instanceof DeadlineExceeded)
      throw new RatsdeskError('CALENDAR_TOO_LARGE', 'reading the request took too long');
    if (err instanceof RatsdeskError) throw err;
    throw new RatsdeskError('CALENDAR_UNREADABLE', 'request could not be read', { cause: err });
  }
}

function build(input: ReplyInput): ItipReply {
  const root = parseCalendarRoots(input.requestText)[0]!;
  const method = String(root.getFirstPropertyValue('method') ?? '').toUpperCase();
  if (method !== 'REQUEST')
    throw new RatsdeskError('INVALID_INPUT', `only a REQUEST can be answered, not ${method || 'none'}`);
  resolveCalendarZones(root, []);
  const candidates = root
    .getAllSubcomponents('vevent')
    .filter((c) => String(c.getFirstPropertyValue('uid') ?? '').trim() === input.uid);
  const wanted = input.recurrenceId ?? null;
  const source =
    wanted === null
      ? (candidates.find((c) => !c.hasProperty('recurrence-id')) ?? candidates[0])
      : candidates.find((c) => sameInstant(c.getFirstPropertyValue('recurrence-id'), wanted));
  if (!source) throw new RatsdeskError('INVALID_INPUT', 'the request has no such event');
  const organizer = source.getFirstProperty('organizer');
  if (!organizer || address(organizer) === '')
    throw new RatsdeskError('INVALID_INPUT', 'the request names no organizer');

  const mine = new Set(input.myAddresses.map((a) => a.trim().toLowerCase()).filter((a) => a !== ''));
  if (mine.size === 0) throw new RatsdeskError('INVALID_INPUT', 'no address to answer as');
  const listed = source.getAllProperties('attendee').find((p) => mine.has(address(p).toLowerCase()));
  let attendee: ICAL.Property;
  if (listed) {
    attendee = copyProperty(listed);
    // RSVP asks for an answer; the answer itself does not ask again
    attendee.removeParameter('rsvp');
  } else {
    // invited through a distribution list: RFC 5546 lets the person answer with their own address
    attendee = new ICAL.Property('attendee');
    attendee.setValue(`mailto:${input.myAddresses[0]!.trim()}`);
    if (input.myName.trim() !== '') attendee.setParameter('cn', input.myName.trim());
  }
  attendee.setParameter('partstat', input.answer);

  const reply = new ICAL.Component('vevent');
  reply.addPropertyWithValue('uid', input.uid);
  reply.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(input.now, true));
  const sequence = Number(source.getFirstPropertyValue('sequence') ?? 0);
  const sequenceNumber = Number.isInteger(sequence) && sequence >= 0 ? sequence : 0;
  reply.addPropertyWithValue('sequence', sequenceNumber);
  for (const name of ['recurrence-id', 'dtstart', 'dtend']) {
    const prop = source.getFirstProperty(name);
    if (prop) reply.addProperty(utcCopy(prop));
  }
  const summary = String(source.getFirstPropertyValue('summary') ?? '');
  if (summary !== '') reply.addPropertyWithValue('summary', summary);
  reply.addProperty(copyProperty(organizer));
  reply.addProperty(attendee);
  const comment = (input.comment ?? '').trim().slice(0, MAX_COMMENT);
  if (comment !== '') reply.addPropertyWithValue('comment', comment);

  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('prodid', CALENDAR_PRODID);
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('method', 'REPLY');
  calendar.addSubcomponent(reply);

  const organizerCn = organizer.getParameter('cn');
  return {
    ics: calendar.toString() + '\r\n',
    uid: input.uid,
    sequence: sequenceNumber,
    summary,
    organizer: { email: address(organizer), name: typeof organizerCn === 'string' ? organizerCn : '' },
    attendee: address(attendee),
  };
}
