/**
 * What `readCalendar` makes of an iCalendar text (RFC 5545), in plain data: the shape interop suites and
 * the invitation card rely on. Times are ISO 8601 instants with the offset of the person's time zone.
 */

export type CalendarLanguage = 'de' | 'en';

/** RFC 5545 PARTSTAT for events; unknown values count as NEEDS-ACTION (RFC 5545 3.2.12). */
export type ParticipationStatus = 'NEEDS-ACTION' | 'ACCEPTED' | 'DECLINED' | 'TENTATIVE' | 'DELEGATED';

export type EventStatus = 'TENTATIVE' | 'CONFIRMED' | 'CANCELLED';

export interface CalendarPerson {
  /** The calendar address without its `mailto:`, as written (compare case-insensitively). */
  email: string;
  /** The CN parameter, or '' when there is none. */
  name: string;
}

export interface CalendarAttendee extends CalendarPerson {
  partstat: ParticipationStatus;
  /** REQ-PARTICIPANT, OPT-PARTICIPANT, CHAIR, NON-PARTICIPANT (default REQ-PARTICIPANT). */
  role: string;
  rsvp: boolean;
}

export interface Occurrence {
  start: string;
  end: string;
}

/**
 * Something the reader noticed but could live with. `code` is stable (the UI turns it into a German or
 * English sentence); `detail` names the time zone or rule concerned, never content of the invitation.
 */
export interface CalendarNotice {
  code:
    | 'TIMEZONE_BROKEN'
    | 'TIMEZONE_UNKNOWN'
    | 'RECURRENCE_UNREADABLE'
    | 'RECURRENCE_LIMITED'
    | 'EVENTS_LIMITED'
    | 'ATTENDEES_LIMITED'
    | 'EVENT_UNREADABLE';
  detail: string;
}

/** One event as plain, storable data (what the vault keeps and what crosses to the renderer). */
export interface CalendarEventData {
  uid: string;
  /** RFC 5545 SEQUENCE, 0 when absent. */
  sequence: number;
  /** DTSTAMP as an instant, or null. Orders two versions with the same SEQUENCE. */
  stamp: string | null;
  /** Set when this is one changed or cancelled instance of a series (RECURRENCE-ID), as an instant. */
  recurrenceId: string | null;
  summary: string;
  location: string;
  description: string;
  status: EventStatus | null;
  allDay: boolean;
  /** Start and end as instants in the person's zone; an all-day event runs from local midnight to midnight. */
  start: string;
  end: string;
  /** The event's own zone: an IANA name (also for Windows names), 'UTC', the file's TZID, or null when floating. */
  timeZone: string | null;
  /** The RRULE as written, or null for a single event. */
  rrule: string | null;
  /** EXDATE instants (excluded occurrences). */
  exdates: string[];
  /** The recurrence in words, in the language asked for (German by default), or null. */
  recurrenceText: string | null;
  recurrenceTexts: { de: string; en: string } | null;
  organizer: CalendarPerson | null;
  attendees: CalendarAttendee[];
  /** COMMENT (REPLY and COUNTER carry the attendee's note here). */
  comment: string;
}

export interface CalendarEvent extends CalendarEventData {
  /**
   * The occurrences overlapping [fromIso, toIso), moved instances at their new time, cancelled and excluded
   * ones left out, ordered by start. Expansion is bounded (count and time); when a bound cut it short the
   * reading gains a RECURRENCE_LIMITED notice.
   */
  occurrences(fromIso: string, toIso: string): Occurrence[];
}

export interface CalendarReading {
  /** The iTIP METHOD (REQUEST, REPLY, CANCEL, COUNTER, PUBLISH, …) in capitals, or null. */
  method: string | null;
  events: CalendarEvent[];
  notices: CalendarNotice[];
}
