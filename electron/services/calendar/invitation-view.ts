import type { Invitation, Partstat } from '../../contract/calendar';
import type { CalendarEvent, CalendarEventData, CalendarReading } from './calendar-reading';
import { applyCancel, applyReply, compareVersions, counterProposal, describeChanges } from './itip-changes';

/** What the local calendar knows of one event. */
export interface StoredEvent {
  data: CalendarEventData;
  /** The person's answer (their last REPLY). */
  myAnswer: Partstat | null;
}

/** What reading an iTIP message does to the local calendar (the service stores it; the view shows it). */
export type CalendarEffect =
  | { kind: 'none' }
  /** A newer version of an event in the calendar replaces it. */
  | { kind: 'replace'; data: CalendarEventData }
  /** A REPLY changed attendees' answers on an event the person organised. */
  | { kind: 'answers'; data: CalendarEventData };

const METHODS = ['REQUEST', 'REPLY', 'CANCEL', 'COUNTER', 'PUBLISH'] as const;

function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The event an iTIP message is about: the first one (iTIP carries one event, maybe with its changed instances). */
export function invitationEvent(reading: CalendarReading): CalendarEvent | null {
  return reading.events[0] ?? null;
}

/**
 * The invitation card's content for one calendar part of a mail, and what it does to the local calendar:
 * an updated REQUEST replaces the stored version (saying what changed), a CANCEL cancels it or one instance,
 * a REPLY updates the answer of the attendee on an event the person organised, a COUNTER is shown.
 */
export function invitationView(
  reading: CalendarReading,
  partId: string,
  myAddresses: string[],
  stored: StoredEvent | null,
): { view: Invitation; effect: CalendarEffect } | null {
  const event = invitationEvent(reading);
  if (!event) return null;
  const method = (METHODS as readonly string[]).includes(reading.method ?? '')
    ? (reading.method as Invitation['method'])
    : 'OTHER';
  const mine = (email: string) => myAddresses.some((address) => sameAddress(address, email));
  const iAmOrganizer = event.organizer !== null && mine(event.organizer.email);
  const verdict = compareVersions(stored?.data ?? null, event);
  let effect: CalendarEffect = { kind: 'none' };
  let shown: CalendarEventData = event;
  let answers: Invitation['answers'] = [];
  let changes: Invitation['changes'] = [];

  if (method === 'REQUEST' && stored) {
    if (verdict === 'newer') {
      changes = describeChanges(stored.data, event);
      effect = { kind: 'replace', data: event };
    } else if (verdict === 'same') {
      // The version in the calendar: it carries the answers that arrived since (the organizer's copy) and the
      // person's own.
      shown = stored.data;
    }
  } else if (method === 'CANCEL' && stored && verdict !== 'older') {
    const cancelled = applyCancel(stored.data, event);
    if (cancelled !== stored.data && JSON.stringify(cancelled) !== JSON.stringify(stored.data)) {
      effect = { kind: 'replace', data: cancelled };
    }
  } else if (method === 'REPLY' && stored) {
    const outcome = applyReply(stored.data, event);
    // Every answer the REPLY carries, also when it was applied before (the card is read again, in a second window).
    answers = event.attendees.map(
      (a) =>
        outcome.answered.find((changed) => sameAddress(changed.email, a.email)) ?? {
          email: a.email,
          name: stored.data.attendees.find((known) => sameAddress(known.email, a.email))?.name || a.name,
          before: a.partstat,
          after: a.partstat,
        },
    );
    shown = { ...stored.data, attendees: outcome.attendees };
    if (outcome.answered.length > 0) effect = { kind: 'answers', data: shown };
  }

  const myAttendee = event.attendees.find((a) => mine(a.email));
  const counter = method === 'COUNTER' ? counterProposal(event, stored?.data ?? null) : null;
  const view: Invitation = {
    partId,
    method,
    uid: event.uid,
    recurrenceId: event.recurrenceId,
    sequence: event.sequence,
    summary: shown.summary,
    location: shown.location,
    description: shown.description,
    start: shown.start,
    end: shown.end,
    allDay: shown.allDay,
    timeZone: shown.timeZone,
    recurrence: shown.recurrenceTexts,
    organizer: shown.organizer,
    attendees: shown.attendees.map(({ email, name, partstat, role }) => ({ email, name, partstat, role })),
    iAmOrganizer,
    myAnswer: stored?.myAnswer ?? (method === 'REQUEST' ? (myAttendee?.partstat ?? null) : null),
    verdict,
    changes,
    cancelled: method === 'CANCEL' || event.status === 'CANCELLED',
    counter: counter && { from: counter.from, proposed: counter.proposed, current: counter.current },
    answers,
    comment: event.comment,
    inCalendar: stored !== null,
    notices: reading.notices.slice(0, 20).map((n) => ({ code: n.code, detail: n.detail.slice(0, 300) })),
  };
  return { view, effect };
}
