/** Days, weeks and months of the Termine view, in local time (weeks start on Monday, as in Germany). */

export type CalendarMode = 'week' | 'month' | 'agenda';

/** Local midnight of the day `date` falls on. */
export function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** The same wall time `days` later (a DST change keeps midnight at midnight). */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

export function startOfWeek(date: Date): Date {
  const day = startOfDay(date);
  return addDays(day, -((day.getDay() + 6) % 7));
}

export function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** A stable key per local day ("2026-03-17"). */
export function dayKey(date: Date): string {
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${m}-${d}`;
}

/** The rows of days a mode shows around `anchor`: one week, or the weeks covering the anchor's month. */
export function visibleWeeks(mode: CalendarMode, anchor: Date): Date[][] {
  if (mode === 'week') {
    const first = startOfWeek(anchor);
    return [Array.from({ length: 7 }, (_, i) => addDays(first, i))];
  }
  const monthStart = new Date(anchor.getFullYear(), anchor.getMonth(), 1);
  const monthEnd = new Date(anchor.getFullYear(), anchor.getMonth() + 1, 0);
  const weeks: Date[][] = [];
  for (let first = startOfWeek(monthStart); first <= monthEnd; first = addDays(first, 7)) {
    weeks.push(Array.from({ length: 7 }, (_, i) => addDays(first, i)));
  }
  return weeks;
}

/** The period a mode loads: the week, the month's weeks, or 8 weeks from the anchor for the list. */
export function visibleRange(mode: CalendarMode, anchor: Date): { from: Date; to: Date } {
  if (mode === 'agenda') {
    const from = startOfDay(anchor);
    return { from, to: addDays(from, 56) };
  }
  const weeks = visibleWeeks(mode, anchor);
  const first = weeks[0]![0]!;
  const last = weeks[weeks.length - 1]![6]!;
  return { from: first, to: addDays(last, 1) };
}

/** The anchor one step back or forward: a week, a month, or the list's 8 weeks. */
export function stepAnchor(mode: CalendarMode, anchor: Date, direction: -1 | 1): Date {
  if (mode === 'week') return addDays(anchor, 7 * direction);
  if (mode === 'agenda') return addDays(anchor, 56 * direction);
  return new Date(anchor.getFullYear(), anchor.getMonth() + direction, 1);
}

/** Whether a date (start/end instants) touches a local day; an end exactly at midnight does not. */
export function touchesDay(start: string, end: string | null, day: Date): boolean {
  const from = day.getTime();
  const to = addDays(day, 1).getTime();
  const s = Date.parse(start);
  const e = end ? Date.parse(end) : s;
  if (Number.isNaN(s)) return false;
  return s < to && (e > from || (e === s && s >= from));
}
