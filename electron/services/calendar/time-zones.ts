import ICAL from 'ical.js';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import { findIana } from 'windows-iana';
import type { CalendarNotice } from './calendar-reading';
import { onInterrupted } from './deadline-run';

// Where zone rules come from:
// - IANA names (Google, Thunderbird, Apple) and Mozilla-style "/mozilla.org/…/Europe/Berlin" ids resolve to
//   the VTIMEZONE of timezones-ical-library, which is generated from the IANA database with vzic (the same
//   source as Thunderbird's zones.json) and republished when the database changes.
// - Windows names ("W. Europe Standard Time", as Outlook and Exchange write them) map to IANA through
//   windows-iana, a maintained copy of CLDR's windowsZones.xml — the table Microsoft and ICU themselves use —
//   taking CLDR's default ("001") zone for the name.
// - Any other TZID (Outlook's "Customized Time Zone", display names) uses the VTIMEZONE the file carries.
// Known zones use our definition rather than the sender's, as Thunderbird does: a known name means the same
// rules, and ours are current.

const MAX_TZID_LENGTH = 200;

const ianaNames: ReadonlySet<string> = new Set(tzlib_get_timezones(false) as string[]);
const zoneDefinitions = new Map<string, unknown[]>();

/** The IANA name a TZID stands for (IANA itself, a Mozilla-prefixed id, or a Windows name), or null. */
export function ianaNameFor(tzid: string): string | null {
  const name = tzid.trim();
  if (name.length === 0 || name.length > MAX_TZID_LENGTH) return null;
  if (ianaNames.has(name)) return name;
  const segments = name.split('/').filter((s) => s.length > 0);
  for (const take of [3, 2]) {
    if (segments.length > take) {
      const tail = segments.slice(-take).join('/');
      if (ianaNames.has(tail)) return tail;
    }
  }
  const windows = findIana(name)[0];
  return windows !== undefined && ianaNames.has(windows) ? windows : null;
}

/** Whether the name is an IANA zone this build has rules for. */
export function isKnownIanaName(name: string): boolean {
  return ianaNames.has(name);
}

/** The VTIMEZONE of an IANA zone as an ical.js component (a fresh copy: callers may rename its TZID). */
export function ianaZoneComponent(iana: string): ICAL.Component {
  let jcal = zoneDefinitions.get(iana);
  if (!jcal) {
    if (!ianaNames.has(iana)) throw new Error(`unknown IANA zone ${iana}`);
    const block = tzlib_get_ical_block(iana, false);
    const text = Array.isArray(block) ? block[0] : undefined;
    if (!text) throw new Error(`no VTIMEZONE for ${iana}`);
    jcal = ICAL.parse(text) as unknown[];
    zoneDefinitions.set(iana, jcal);
  }
  return new ICAL.Component(structuredClone(jcal));
}

// Zones are shared between readings: ical.js expands a zone's changes from 1970 on first use, which costs
// more than reading an invitation. An interrupted job may have left one half-expanded, so they are dropped then.
const sharedZones = new Map<string, ICAL.Timezone>();
onInterrupted(() => sharedZones.clear());

/** The ical.js zone for an IANA name. */
export function ianaTimezone(iana: string): ICAL.Timezone {
  let zone = sharedZones.get(iana);
  if (!zone) {
    zone = new ICAL.Timezone({ component: ianaZoneComponent(iana), tzid: iana });
    sharedZones.set(iana, zone);
  }
  return zone;
}

/**
 * Makes ical.js use the shared zone for a TZID of this calendar. It looks TZIDs up in the root component's
 * cache before building a zone from the VTIMEZONE; without that cache (another ical.js version) it builds
 * one from the VTIMEZONE we added, which is slower but the same.
 */
function useSharedZone(root: ICAL.Component, tzid: string, iana: string): void {
  const cache = (root as unknown as { _timezoneCache?: unknown })._timezoneCache;
  if (cache instanceof Map) cache.set(tzid, ianaTimezone(iana));
}

/** The zone the person lives in: the asked one if known, else the system's, else Europe/Berlin. */
export function personTimeZoneName(asked?: string): string {
  if (asked && ianaNames.has(asked)) return asked;
  const system = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (system && ianaNames.has(system)) return system;
  return 'Europe/Berlin';
}

/** How one TZID of a file was resolved. */
export interface ResolvedZone {
  /** The IANA name, when the TZID maps to one. */
  iana: string | null;
  /** False when the file's times in this zone are read as floating (in the person's zone). */
  usable: boolean;
}

const OBSERVANCES = ['standard', 'daylight'];

/** Whether a file's VTIMEZONE can be trusted: observances with readable offsets and yearly rules only. */
function vtimezoneProblem(zone: ICAL.Component): string | null {
  const observances = zone.getAllSubcomponents().filter((c) => OBSERVANCES.includes(c.name));
  if (observances.length === 0) return 'no STANDARD or DAYLIGHT part';
  for (const observance of observances) {
    const start = observance.getFirstPropertyValue('dtstart');
    if (!(start instanceof ICAL.Time) || !Number.isFinite(start.year)) return 'observance without a readable DTSTART';
    for (const name of ['tzoffsetto', 'tzoffsetfrom']) {
      const offset = observance.getFirstPropertyValue(name);
      if (!(offset instanceof ICAL.UtcOffset)) return `observance without a readable ${name.toUpperCase()}`;
      const seconds = offset.toSeconds();
      if (!Number.isFinite(seconds) || Math.abs(seconds) > 18 * 3600) return `${name.toUpperCase()} out of range`;
    }
    for (const rule of observance.getAllProperties('rrule')) {
      const value = rule.getFirstValue();
      // Every real zone changes at most yearly; anything finer is either broken or an attempt to make the
      // expansion of the zone expensive.
      if (!(value instanceof ICAL.Recur) || value.freq !== 'YEARLY') return 'observance rule is not yearly';
    }
    if (observance.getAllProperties('rdate').length > 1000) return 'too many RDATEs';
  }
  return null;
}

const ZONED_PROPERTIES = ['dtstart', 'dtend', 'due', 'recurrence-id', 'exdate', 'rdate'];

/**
 * Gives every TZID used by the events of `root` a definition ical.js will find in the file itself: ours for
 * known names, the file's own when it is sound. Broken or unknown ones are removed, so their times read as
 * floating; each such case leaves a notice. Returns how each TZID was resolved.
 */
export function resolveCalendarZones(root: ICAL.Component, notices: CalendarNotice[]): Map<string, ResolvedZone> {
  const used = new Set<string>();
  for (const child of root.getAllSubcomponents()) {
    if (child.name === 'vtimezone') continue;
    for (const name of ZONED_PROPERTIES) {
      for (const prop of child.getAllProperties(name)) {
        const tzid = prop.getParameter('tzid');
        if (typeof tzid === 'string' && tzid.length > 0) used.add(tzid);
      }
    }
  }
  const own = new Map<string, ICAL.Component>();
  for (const zone of root.getAllSubcomponents('vtimezone')) {
    const tzid = zone.getFirstPropertyValue('tzid');
    if (typeof tzid === 'string' && !own.has(tzid)) own.set(tzid, zone);
    root.removeSubcomponent(zone);
  }

  const resolved = new Map<string, ResolvedZone>();
  for (const tzid of used) {
    if (tzid.toUpperCase() === 'UTC' || tzid.toUpperCase() === 'GMT' || tzid === 'Z') {
      resolved.set(tzid, { iana: 'UTC', usable: true });
      continue;
    }
    const iana = ianaNameFor(tzid);
    if (iana) {
      const definition = ianaZoneComponent(iana);
      definition.updatePropertyWithValue('tzid', tzid);
      root.addSubcomponent(definition);
      useSharedZone(root, tzid, iana);
      resolved.set(tzid, { iana, usable: true });
      continue;
    }
    const file = own.get(tzid);
    const problem = file ? vtimezoneProblem(file) : 'no VTIMEZONE';
    if (file && problem === null) {
      root.addSubcomponent(file);
      resolved.set(tzid, { iana: null, usable: true });
      continue;
    }
    notices.push({
      code: file ? 'TIMEZONE_BROKEN' : 'TIMEZONE_UNKNOWN',
      detail: `${tzid.slice(0, 80)}: ${problem ?? 'unknown'}`,
    });
    resolved.set(tzid, { iana: null, usable: false });
  }
  return resolved;
}
