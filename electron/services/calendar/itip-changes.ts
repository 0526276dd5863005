import type { CalendarAttendee, CalendarEventData, CalendarLanguage, ParticipationStatus } from './calendar-reading';

/**
 * What iTIP messages (RFC 5546) do to an event already known: a newer REQUEST replaces it and says what
 * changed, a CANCEL cancels it (or one instance), a REPLY updates one attendee's answer, a COUNTER proposes
 * another time. All pure: the caller stores the result.
 */

export type VersionVerdict = 'new' | 'newer' | 'same' | 'older';

/** RFC 5546 2.1.5: SEQUENCE orders versions; with equal SEQUENCE the later DTSTAMP wins. */
export function compareVersions(
  stored: Pick<CalendarEventData, 'sequence' | 'stamp'> | null,
  incoming: Pick<CalendarEventData, 'sequence' | 'stamp'>,
): VersionVerdict {
  if (!stored) return 'new';
  if (incoming.sequence !== stored.sequence) return incoming.sequence > stored.sequence ? 'newer' : 'older';
  const before = stored.stamp ? Date.parse(stored.stamp) : NaN;
  const after = incoming.stamp ? Date.parse(incoming.stamp) : NaN;
  if (Number.isFinite(before) && Number.isFinite(after) && after !== before) return after > before ? 'newer' : 'older';
  return 'same';
}

export interface TimeSpan {
  start: string;
  end: string;
  allDay: boolean;
}

export type EventChange =
  | { field: 'time'; before: TimeSpan; after: TimeSpan }
  | { field: 'recurrence'; before: { de: string; en: string } | null; after: { de: string; en: string } | null }
  | { field: 'location' | 'summary' | 'description'; before: string; after: string }
  | { field: 'status'; before: string | null; after: string | null };

function sameInstant(a: string, b: string): boolean {
  return Date.parse(a) === Date.parse(b);
}

/** The differences a person cares about between two versions of one event, in a fixed order. */
export function describeChanges(before: CalendarEventData, after: CalendarEventData): EventChange[] {
  const changes: EventChange[] = [];
  if (
    !sameInstant(before.start, after.start) ||
    !sameInstant(before.end, after.end) ||
    before.allDay !== after.allDay
  ) {
    changes.push({
      field: 'time',
      before: { start: before.start, end: before.end, allDay: before.allDay },
      after: { start: after.start, end: after.end, allDay: after.allDay },
    });
  }
  // excluded days, not instants: when a series moves to another hour its exceptions move with it
  const exdates = (e: CalendarEventData): string => [...new Set(e.exdates.map((d) => d.slice(0, 10)))].sort().join(',');
  if (before.rrule !== after.rrule || exdates(before) !== exdates(after)) {
    changes.push({ field: 'recurrence', before: before.recurrenceTexts, after: after.recurrenceTexts });
  }
  for (const field of ['location', 'summary', 'description'] as const) {
    if (before[field].trim() !== after[field].trim())
      changes.push({ field, before: before[field], after: after[field] });
  }
  if ((before.status ?? 'CONFIRMED') !== (after.status ?? 'CONFIRMED')) {
    changes.push({ field: 'status', before: before.status, after: after.status });
  }
  return changes;
}

function formatSpan(span: TimeSpan, language: CalendarLanguage, timeZone: string): string {
  const locale = language === 'de' ? 'de-DE' : 'en-GB';
  const day = new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone,
  });
  const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone });
  const start = new Date(span.start);
  if (span.allDay) return day.format(start);
  return `${day.format(start)} ${clock.format(start)}–${clock.format(new Date(span.end))}`;
}

const labels = {
  de: {
    time: 'Neue Zeit',
    recurrence: 'Neue Wiederholung',
    location: 'Neuer Ort',
    summary: 'Neuer Titel',
    description: 'Die Beschreibung wurde geändert',
    cancelled: 'Der Termin wurde abgesagt',
    status: 'Neuer Status',
    before: 'vorher',
    none: 'keine',
    empty: 'keiner',
  },
  en: {
    time: 'New time',
    recurrence: 'New recurrence',
    location: 'New place',
    summary: 'New title',
    description: 'The description was changed',
    cancelled: 'The event was cancelled',
    status: 'New status',
    before: 'before',
    none: 'none',
    empty: 'none',
  },
} as const;

/** The changes as one German or English sentence per change, times in the person's zone. */
export function changeSentences(changes: EventChange[], language: CalendarLanguage, timeZone: string): string[] {
  const l = labels[language];
  return changes.map((change) => {
    switch (change.field) {
      case 'time':
        return `${l.time}: ${formatSpan(change.after, language, timeZone)} (${l.before} ${formatSpan(change.before, language, timeZone)})`;
      case 'recurrence':
        return `${l.recurrence}: ${change.after?.[language] ?? l.none} (${l.before} ${change.before?.[language] ?? l.none})`;
      case 'location':
      case 'summary':
        return `${l[change.field]}: ${change.after || l.empty} (${l.before} ${change.before || l.empty})`;
      case 'description':
        return l.description;
      case 'status':
        return change.after === 'CANCELLED' ? l.cancelled : `${l.status}: ${change.after ?? l.none}`;
    }
  });
}

function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export interface ReplyOutcome {
  attendees: CalendarAttendee[];
  /** Each answer that changed. */
  answered: { email: string; name: string; before: ParticipationStatus | null; after: ParticipationStatus }[];
  /** The reply answered an older version than the one stored (RFC 5546 3.2.3: kept, but shown as such). */
  outdated: boolean;
}

/**
 * Applies an attendee's REPLY to the organizer's copy of the event: each ATTENDEE of the reply gets the
 * answer given; someone not on the list (invited through a list or forwarded) is added.
 */
export function applyReply(organizerCopy: CalendarEventData, reply: CalendarEventData): ReplyOutcome {
  if (organizerCopy.uid !== reply.uid) throw new Error('reply is for another event');
  const attendees = organizerCopy.attendees.map((a) => ({ ...a }));
  const answered: ReplyOutcome['answered'] = [];
  for (const answer of reply.attendees) {
    const known = attendees.find((a) => sameAddress(a.email, answer.email));
    if (known) {
      if (known.partstat !== answer.partstat) {
        answered.push({
          email: known.email,
          name: known.name || answer.name,
          before: known.partstat,
          after: answer.partstat,
        });
        known.partstat = answer.partstat;
        known.rsvp = false;
      }
    } else {
      attendees.push({ ...answer, role: answer.role || 'REQ-PARTICIPANT', rsvp: false });
      answered.push({ email: answer.email, name: answer.name, before: null, after: answer.partstat });
    }
  }
  return { attendees, answered, outdated: reply.sequence < organizerCopy.sequence };
}

/** What a CANCEL does: the whole event, or one instance of a series (its RECURRENCE-ID becomes an exception). */
export function applyCancel(stored: CalendarEventData, cancel: CalendarEventData): CalendarEventData {
  if (stored.uid !== cancel.uid) throw new Error('cancel is for another event');
  if (cancel.recurrenceId && stored.rrule && stored.recurrenceId === null) {
    if (stored.exdates.some((d) => sameInstant(d, cancel.recurrenceId!))) return stored;
    return { ...stored, exdates: [...stored.exdates, cancel.recurrenceId] };
  }
  return { ...stored, status: 'CANCELLED', sequence: Math.max(stored.sequence, cancel.sequence) };
}

export interface CounterProposal {
  from: { email: string; name: string } | null;
  proposed: TimeSpan;
  location: string;
  comment: string;
  /** The time the event has now, when the organizer's copy is known. */
  current: TimeSpan | null;
}

/** A COUNTER (RFC 5546 3.2.7) as a proposal to show the organizer. */
export function counterProposal(counter: CalendarEventData, stored: CalendarEventData | null): CounterProposal {
  const from = counter.attendees[0] ?? null;
  return {
    from: from ? { email: from.email, name: from.name } : null,
    proposed: { start: counter.start, end: counter.end, allDay: counter.allDay },
    location: counter.location,
    comment: counter.comment,
    current: stored ? { start: stored.start, end: stored.end, allDay: stored.allDay } : null,
  };
}
