import { describe, expect, it } from 'vitest';
import { isRatsdeskError } from '../../electron/contract/errors';
import type { CalendarReading } from '../../electron/services/calendar/calendar-reading';
import { DeadlineExceeded, runWithDeadline } from '../../electron/services/calendar/deadline-run';
import { calendarLimits, readCalendar } from '../../electron/services/calendar/read-calendar';

// Hostile calendar text must be read within its bounds or refused with a stable code — never hang the main
// process. (How fast the bounds are reached is measured in bench/calendar.ts, not asserted here.)

const berlin = { timeZone: 'Europe/Berlin' };

function calendar(body: string): string {
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ratsdesk tests//hostile//DE\r\n${body}END:VCALENDAR\r\n`;
}

function event(rule: string, start = '20260101T100000Z'): string {
  return calendar(
    `BEGIN:VEVENT\r\nUID:hostile@ratsdesk.test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:${start}\r\nDURATION:PT1H\r\n${rule}\r\nSUMMARY:x\r\nEND:VEVENT\r\n`,
  );
}

type Outcome = { read: CalendarReading } | { refused: string };

function attempt(text: string): Outcome {
  try {
    return { read: readCalendar(text, berlin) };
  } catch (err) {
    if (isRatsdeskError(err)) return { refused: err.code };
    throw err;
  }
}

describe('hostile calendar input', () => {
  it('refuses text over the size limit before parsing it', () => {
    const text = calendar('X-PAD:' + 'a'.repeat(calendarLimits.maxCharacters) + '\r\n');
    expect(attempt(text)).toEqual({ refused: 'CALENDAR_TOO_LARGE' });
  });

  it('refuses a line whose parameters make the parser quadratic, at the deadline', () => {
    // 1.8 MB of ";P=1" on one line takes ical.js's parser many seconds
    const text = calendar('X-A' + ';P=1'.repeat(450_000) + ':x\r\n');
    expect(text.length).toBeLessThan(calendarLimits.maxCharacters);
    expect(attempt(text)).toEqual({ refused: 'CALENDAR_TOO_LARGE' });
  });

  it('survives 100,000 nested components (read without events, or refused)', () => {
    const depth = 60_000;
    const text = calendar('BEGIN:X-NEST\r\n'.repeat(depth) + 'END:X-NEST\r\n'.repeat(depth));
    const outcome = attempt(text);
    if ('read' in outcome) expect(outcome.read.events).toEqual([]);
    else expect(outcome.refused).toBe('CALENDAR_TOO_LARGE');
  });

  it('reads at most maxEvents events and says how many it left out (or refuses)', () => {
    const one = (i: number) => `BEGIN:VEVENT\r\nUID:${i}\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\n`;
    const text = calendar(Array.from({ length: 1_500 }, (_, i) => one(i)).join(''));
    const outcome = attempt(text);
    if ('read' in outcome) {
      expect(outcome.read.events).toHaveLength(calendarLimits.maxEvents);
      expect(outcome.read.notices).toEqual([{ code: 'EVENTS_LIMITED', detail: '500 events left out' }]);
    } else {
      expect(outcome.refused).toBe('CALENDAR_TOO_LARGE');
    }
  });

  it('keeps at most maxAttendees attendees', () => {
    const attendees = Array.from({ length: 1_050 }, (_, i) => `ATTENDEE;CN=P${i}:mailto:p${i}@stadt.example\r\n`).join(
      '',
    );
    const reading = readCalendar(event(attendees.trimEnd()), berlin);
    expect(reading.events[0]!.attendees).toHaveLength(calendarLimits.maxAttendees);
    expect(reading.notices).toEqual([{ code: 'ATTENDEES_LIMITED', detail: '50 left out' }]);
  });

  it('bounds an RRULE with an absurd COUNT to maxOccurrences per window', () => {
    const reading = readCalendar(event('RRULE:FREQ=MINUTELY;COUNT=1000000000'), berlin);
    const found = reading.events[0]!.occurrences('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
    // cut by the count bound, or earlier by the time bound on a busy machine
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThanOrEqual(calendarLimits.maxOccurrences);
    expect(reading.notices.map((n) => n.code)).toEqual(['RECURRENCE_LIMITED']);
  });

  it('bounds a window far from the start of a fine-grained rule', () => {
    const reading = readCalendar(event('RRULE:FREQ=SECONDLY'), berlin);
    expect(reading.events[0]!.occurrences('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z')).toEqual([]);
    expect(reading.notices.map((n) => n.code)).toEqual(['RECURRENCE_LIMITED']);
  });

  // ical.js issue #1038 (contracting BY parts that never all hold) and rules that hung its YEARLY expansion
  for (const rule of [
    'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=YEARLY;BYMONTH=1;BYDAY=TH;BYSETPOS=366',
    'FREQ=YEARLY;BYMONTH=1;BYDAY=-5MO;BYSETPOS=2',
    'FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30',
  ]) {
    it(`stops expanding ${rule} (a rule ical.js can loop on) and says so`, () => {
      const outcome = attempt(event(`RRULE:${rule}`, '20260131T090000'));
      if ('refused' in outcome) {
        // a rule ical.js cannot even set up may be refused as a whole
        expect(outcome.refused).toBe('CALENDAR_TOO_LARGE');
        return;
      }
      const found = outcome.read.events[0]!.occurrences('2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z');
      // at most the first instance (DTSTART itself) can be found
      expect(found.length).toBeLessThanOrEqual(1);
      expect(outcome.read.notices.map((n) => n.code)).toContain('RECURRENCE_LIMITED');
    });
  }

  it('leaves out events dated outside the years anyone meets in', () => {
    const reading = readCalendar(event('SUMMARY:fern', '99991231T100000Z'), berlin);
    expect(reading.events).toEqual([]);
    expect(reading.notices.map((n) => n.code)).toEqual(['EVENT_UNREADABLE']);
  });

  it('keeps every random rule within its bounds (seeded, reproducible)', () => {
    let seed = 20260318;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const parts: [number, () => string][] = [
      [0.4, () => `INTERVAL=${pick([1, 2, 3, 7, 13, 400])}`],
      [0.3, () => `BYMONTH=${pick(['1', '2', '4', '12', '2,4'])}`],
      [0.3, () => `BYMONTHDAY=${pick(['1', '29', '30', '31', '-1', '-31', '30,31'])}`],
      [0.4, () => `BYDAY=${pick(['MO', 'TU,TH', '1TH', '-1SU', '5FR', '53MO', '2TU,4TU'])}`],
      [0.25, () => `BYSETPOS=${pick(['1', '2', '-1', '5', '366'])}`],
      [0.15, () => `BYYEARDAY=${pick(['1', '60', '366', '-366'])}`],
      [0.15, () => `BYWEEKNO=${pick(['1', '3', '53', '-1'])}`],
      [0.2, () => `BYHOUR=${pick(['0', '1', '23', '1,3'])}`],
      [0.15, () => `COUNT=${pick(['1', '10', '1000000000'])}`],
    ];
    for (let i = 0; i < 40; i++) {
      const rule = [`FREQ=${pick(['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'])}`]
        .concat(parts.filter(([p]) => random() < p).map(([, make]) => make()))
        .join(';');
      const outcome = attempt(event(`RRULE:${rule}`, pick(['20260101T000000Z', '20240229T100000', '20260329T023000'])));
      if ('refused' in outcome) continue;
      for (const e of outcome.read.events) {
        const found = e.occurrences('2026-01-01T00:00:00Z', '2028-01-01T00:00:00Z');
        expect(found.length, rule).toBeLessThanOrEqual(calendarLimits.maxOccurrences);
      }
    }
  });
});

describe('runWithDeadline', () => {
  it('interrupts a job that never ends and lets the next one run', () => {
    expect(() =>
      runWithDeadline(() => {
        for (;;) {
          /* a library loop that never returns */
        }
      }, 50),
    ).toThrow(DeadlineExceeded);
    // generous: on a loaded machine even starting a job can take a while
    expect(runWithDeadline(() => 42, 5_000)).toBe(42);
  });

  it('passes a job’s own error through', () => {
    expect(() =>
      runWithDeadline(() => {
        throw new RangeError('own');
      }, 5_000),
    ).toThrow(RangeError);
  });
});
