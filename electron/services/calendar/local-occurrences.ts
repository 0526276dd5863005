import type { CalendarDate } from '../../contract/calendar';
import type { CalendarReading } from './calendar-reading';
import type { LocalEvent } from './calendar-repository';

/** Occurrences of one local event listed in the Termine view at most (a daily series over a year fits). */
const MAX_PER_EVENT = 400;

function sameInstant(a: string, b: string): boolean {
  return Date.parse(a) === Date.parse(b);
}

/**
 * The occurrences in [from, to) of the local calendar's events (accepted invitations, imports) as dates of the
 * Termine view. A single event is its stored time; a series is expanded by re-reading the iCalendar text it
 * came from (each text read once per call). Instances cancelled later (exdates added by a CANCEL) and
 * instances stored on their own (an updated single date) replace the series' original occurrence.
 */
export function localOccurrences(
  events: readonly LocalEvent[],
  from: Date,
  to: Date,
  read: (ics: string) => CalendarReading,
): CalendarDate[] {
  const readings = new Map<string, CalendarReading | null>();
  const readOnce = (ics: string): CalendarReading | null => {
    if (!readings.has(ics)) {
      try {
        readings.set(ics, read(ics));
      } catch {
        readings.set(ics, null); // stored once, readable then; a text that no longer reads shows its first date
      }
    }
    return readings.get(ics) ?? null;
  };
  const moved = new Map<string, string[]>();
  for (const e of events) {
    if (e.data.recurrenceId) moved.set(e.data.uid, [...(moved.get(e.data.uid) ?? []), e.data.recurrenceId]);
  }
  const out: CalendarDate[] = [];
  for (const e of events) {
    const { data } = e;
    const date = (start: string, end: string): CalendarDate => ({
      kind: 'event',
      id: `${data.uid} ${data.recurrenceId ?? ''} ${start}`.slice(0, 3000),
      uid: data.uid,
      title: data.summary.slice(0, 2000),
      start,
      end,
      allDay: data.allDay,
      location: data.location.slice(0, 2000),
      cancelled: data.status === 'CANCELLED',
      myAnswer: e.myAnswer,
      source: e.source,
      organizer: (data.organizer?.name || data.organizer?.email || '').slice(0, 400),
    });
    let spans: { start: string; end: string }[];
    if (!data.rrule || data.recurrenceId) {
      spans = [{ start: data.start, end: data.end }];
    } else {
      const reading = readOnce(e.ics);
      const series = reading?.events.find((r) => r.uid === data.uid && r.recurrenceId === null);
      spans = series
        ? series.occurrences(from.toISOString(), to.toISOString()).slice(0, MAX_PER_EVENT)
        : [{ start: data.start, end: data.end }];
      const replaced = [...data.exdates, ...(moved.get(data.uid) ?? [])];
      spans = spans.filter((s) => !replaced.some((x) => sameInstant(x, s.start)));
    }
    for (const s of spans) {
      if (Date.parse(s.end) > from.getTime() && Date.parse(s.start) < to.getTime()) out.push(date(s.start, s.end));
    }
  }
  return out;
}
