import ICAL from 'ical.js';

/** True for times without a zone of their own: floating date-times and all-day dates (RFC 5545 3.3.5). */
export function isFloating(time: ICAL.Time): boolean {
  return time.zone === ICAL.Timezone.localTimezone || !time.zone;
}

/**
 * Seconds since the epoch; floating times and dates count as wall time in `localZone`. Around a change of
 * the clocks RFC 5545 3.3.5 decides, not ical.js: a wall time that occurs twice (clocks go back) means its
 * first occurrence, one that does not occur (clocks go forward) is read with the offset before the gap.
 */
export function unixSeconds(time: ICAL.Time, localZone: ICAL.Timezone): number {
  let placed = time;
  if (isFloating(time)) {
    placed = time.clone();
    placed.zone = localZone;
  }
  const unix = placed.toUnixTime();
  if (placed.isDate || placed.zone === ICAL.Timezone.utcTimezone) return unix;
  const zone = placed.zone;
  const wallAsUtc =
    Date.UTC(placed.year, placed.month - 1, placed.day, placed.hour, placed.minute, placed.second) / 1000;
  // no zone changes its clocks twice within six hours: the offsets around are all the candidates
  const before = offsetAt(zone, unix - 6 * 3600);
  const candidates = new Set([before, offsetAt(zone, unix), offsetAt(zone, unix + 6 * 3600)]);
  const instants = [...candidates].map((o) => wallAsUtc - o).filter((u) => offsetAt(zone, u) === wallAsUtc - u);
  return instants.length > 0 ? Math.min(...instants) : wallAsUtc - before;
}

function pad(value: number, width = 2): string {
  return String(Math.abs(value)).padStart(width, '0');
}

/** Calendar fields of a wall time. */
export interface WallFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

interface ZoneChange extends WallFields {
  utcOffset: number;
  prevUtcOffset: number;
}

/**
 * The offset (seconds east of UTC) `zone` has at an instant. Read from ical.js's own table of the zone's
 * changes (kept in UTC), not through Time#convertToZone: that applies the target zone's offset to the UTC
 * fields as if they were wall time, and is an hour off in the hour after each change.
 */
export function offsetAt(zone: ICAL.Timezone, unix: number): number {
  if (zone === ICAL.Timezone.utcTimezone || zone === ICAL.Timezone.localTimezone) return 0;
  const year = new Date(unix * 1000).getUTCFullYear();
  // ical.js expands a zone's changes lazily, up to a year; asking for an offset in that year makes it do so
  if (((zone as unknown as { expandedUntilYear?: number }).expandedUntilYear ?? -Infinity) <= year) {
    zone.utcOffset(ICAL.Time.fromJSDate(new Date(unix * 1000), true));
  }
  const changes = zone.changes as ZoneChange[];
  if (changes.length === 0) return 0;
  const at = (c: ZoneChange): number => Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) / 1000;
  let low = 0;
  let high = changes.length - 1;
  if (at(changes[0]!) > unix) return changes[0]!.prevUtcOffset;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (at(changes[middle]!) <= unix) low = middle;
    else high = middle - 1;
  }
  return changes[low]!.utcOffset;
}

/** The wall time of an instant in `zone`, and the zone's offset then (seconds east of UTC). */
export function wallTime(unix: number, zone: ICAL.Timezone): { time: WallFields; offset: number } {
  const offset = offsetAt(zone, unix);
  const shifted = new Date((unix + offset) * 1000);
  return {
    time: {
      year: shifted.getUTCFullYear(),
      month: shifted.getUTCMonth() + 1,
      day: shifted.getUTCDate(),
      hour: shifted.getUTCHours(),
      minute: shifted.getUTCMinutes(),
      second: shifted.getUTCSeconds(),
    },
    offset,
  };
}

/** An ISO 8601 instant with the offset `zone` has at that moment: "2026-03-10T17:00:00+01:00". */
export function isoInstant(unix: number, zone: ICAL.Timezone): string {
  const { time, offset } = wallTime(unix, zone);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.floor(Math.abs(offset) / 60);
  const year = time.year < 0 || time.year > 9999 ? String(time.year) : pad(time.year, 4);
  return (
    `${year}-${pad(time.month)}-${pad(time.day)}T${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}` +
    `${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
  );
}

/** Seconds since the epoch of an ISO 8601 text, or null when it is not one Date can read. */
export function parseInstant(iso: string): number | null {
  if (typeof iso !== 'string' || iso.length > 40) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}
