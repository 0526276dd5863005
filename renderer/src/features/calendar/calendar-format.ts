import { dateTimeFormat } from '../../i18n/date-time-format';

/** Dates and times of the calendar in the UI language and the person's own zone (the system's). */

/** A span as people write it: "Dienstag, 17. März 2026, 10:00 – 11:30"; all-day without clock times. */
export function formatSpan(
  start: string,
  end: string | null,
  allDay: boolean,
  language: string,
  timeZone?: string,
): string {
  const from = new Date(start);
  if (Number.isNaN(from.getTime())) return start;
  const day = dateTimeFormat(language, { dateStyle: 'full', timeZone });
  if (allDay) {
    const last = end ? new Date(new Date(end).getTime() - 1) : from;
    const a = day.format(from);
    const b = day.format(last);
    return a === b || Number.isNaN(last.getTime()) ? a : `${a} – ${b}`;
  }
  const withTime = dateTimeFormat(language, { dateStyle: 'full', timeStyle: 'short', timeZone });
  if (!end) return withTime.format(from);
  const to = new Date(end);
  if (Number.isNaN(to.getTime())) return withTime.format(from);
  const sameDay = day.format(from) === day.format(to);
  const clock = dateTimeFormat(language, { timeStyle: 'short', timeZone });
  return `${withTime.format(from)} – ${sameDay ? clock.format(to) : withTime.format(to)}`;
}

/** "10:00–11:30" (or the start alone) for an entry inside a day. */
export function formatClockSpan(start: string, end: string | null, language: string): string {
  const clock = dateTimeFormat(language, { timeStyle: 'short' });
  const from = new Date(start);
  const to = end ? new Date(end) : null;
  if (!to || Number.isNaN(to.getTime())) return clock.format(from);
  return `${clock.format(from)}–${clock.format(to)}`;
}

/** "Di., 17.03." — a day heading in grids. */
export function formatDayHeading(day: Date, language: string): string {
  return dateTimeFormat(language, { weekday: 'short', day: '2-digit', month: '2-digit' }).format(day);
}

/** "Dienstag, 17. März 2026" — a day in lists and labels. */
export function formatLongDay(day: Date, language: string): string {
  return dateTimeFormat(language, { dateStyle: 'full' }).format(day);
}

/** "März 2026". */
export function formatMonth(day: Date, language: string): string {
  return dateTimeFormat(language, { month: 'long', year: 'numeric' }).format(day);
}

/** "17.03.2026". */
export function formatShortDate(day: Date, language: string): string {
  return dateTimeFormat(language, { day: '2-digit', month: '2-digit', year: 'numeric' }).format(day);
}
