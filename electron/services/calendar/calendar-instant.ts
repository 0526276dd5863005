import ICAL from 'ical.js';

/** True for times without a zone of their own: floating date-times and all-day dates (RFC 5545 3.3.5). */
export function isFloating(time: ICAL.Time): boolean {
  return time.zone === ICAL.Timezone.localTimezone || !time.zone;
}

/** Seconds since the epoch; floating times and dates count as wall time in `localZone`. */
export function unixSeconds(time: ICAL.Time, localZone: ICAL.Timezone): number {
  if (!isFloating(time)) return time.toUnixTime();
  const placed = time.clone();
  placed.zone = localZone;
  return placed.toUnixTime();
}

function pad(value: number, width = 2): string {
  return String(Math.abs(value)).padStart(width, '0');
}

/** The wall time of an instant in `zone`, and the zone's offset then (seconds east of UTC). */
export function wallTime(unix: number, zone: ICAL.Timezone): { time: ICAL.Time; offset: number } {
  const utc = ICAL.Time.fromJSDate(new Date(unix * 1000), true);
  const time = utc.convertToZone(zone);
  return { time, offset: zone.utcOffset(time) };
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
