import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildMeetingCalendar,
  type ExportableMeeting,
  meetingUid,
  nextMeetingSequence,
} from '../../electron/services/calendar/meeting-export';
import { readCalendar } from '../../electron/services/calendar/read-calendar';
import { parseOparlObject } from '../../electron/services/ris/oparl-schemas';

const FIXTURES = process.env.RATSDESK_OPARL_FIXTURES ?? resolve(__dirname, '../../../shared/fixtures/oparl');
const now = new Date('2026-03-01T08:00:00Z');

function meeting(overrides: Partial<ExportableMeeting> = {}): ExportableMeeting {
  return {
    oparlId: 'https://ris.stadt.example/oparl/v1/meeting/4711',
    name: '12. Sitzung des Ausschusses für Umwelt, Klima und Mobilität',
    start: '2026-03-10T17:00:00+01:00',
    end: '2026-03-10T19:30:00+01:00',
    location: 'Rathaus, Sitzungssaal 2; Eingang Marktplatz',
    cancelled: false,
    organizations: ['Ausschuss für Umwelt, Klima und Mobilität'],
    web: 'https://ris.stadt.example/si0057.php?__ksinr=4711',
    sequence: 0,
    ...overrides,
  };
}

function exported(meetings: ExportableMeeting[]) {
  const built = buildMeetingCalendar(meetings, { now, language: 'de' });
  return { built, reading: readCalendar(built.ics, { timeZone: 'Europe/Berlin' }) };
}

describe('meeting export (.ics)', () => {
  it('opened again by the parser gives the same times, also across the DST changes', () => {
    const meetings = [
      meeting(),
      // the night Berlin moves to summer time, and the night it moves back
      meeting({ oparlId: 'm/dst-spring', start: '2026-03-29T01:30:00+01:00', end: '2026-03-29T03:30:00+02:00' }),
      meeting({ oparlId: 'm/dst-autumn', start: '2026-10-25T02:30:00+02:00', end: '2026-10-25T02:30:00+01:00' }),
      meeting({ oparlId: 'm/dst-autumn-2', start: '2026-10-25T02:15:00+01:00', end: '2026-10-25T05:00:00+01:00' }),
      // a council system that sends UTC
      meeting({ oparlId: 'm/utc', start: '2026-06-01T15:00:00Z', end: '2026-06-01T17:00:00.000Z' }),
    ];
    const { reading } = exported(meetings);
    expect(reading.notices).toEqual([]);
    expect(reading.events).toHaveLength(meetings.length);
    for (const [i, m] of meetings.entries()) {
      const event = reading.events[i]!;
      expect(Date.parse(event.start), m.oparlId).toBe(Date.parse(m.start!));
      expect(Date.parse(event.end), m.oparlId).toBe(Date.parse(m.end!));
      // the second 02:15 of that night cannot be named in Berlin wall time: it is written in UTC
      expect(event.timeZone).toBe(m.oparlId === 'm/dst-autumn-2' ? 'UTC' : 'Europe/Berlin');
    }
    expect(reading.events[0]!.start).toBe('2026-03-10T17:00:00+01:00');
  });

  it('writes the Europe/Berlin VTIMEZONE, METHOD:PUBLISH and Berlin wall times', () => {
    const { built } = exported([meeting()]);
    expect(built.ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(built.ics).toContain('METHOD:PUBLISH\r\n');
    expect(built.ics).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n');
    expect(built.ics).toContain('RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU');
    expect(built.ics).toContain('DTSTART;TZID=Europe/Berlin:20260310T170000\r\n');
    expect(built.ics).toContain('DTEND;TZID=Europe/Berlin:20260310T193000\r\n');
    for (const line of built.ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(76);
  });

  it('carries title, place, bodies and the agenda link, escaped', () => {
    const event = exported([meeting()]).reading.events[0]!;
    expect(event.summary).toBe('12. Sitzung des Ausschusses für Umwelt, Klima und Mobilität');
    expect(event.location).toBe('Rathaus, Sitzungssaal 2; Eingang Marktplatz');
    expect(event.description).toBe(
      'Gremium: Ausschuss für Umwelt, Klima und Mobilität\nTagesordnung: https://ris.stadt.example/si0057.php?__ksinr=4711',
    );
    expect(event.status).toBe('CONFIRMED');
  });

  it('derives a UID from the OParl id that is the same in every export and differs between meetings', () => {
    const first = exported([meeting()]).reading.events[0]!.uid;
    const again = exported([meeting({ name: 'umbenannt', start: '2026-04-01T10:00:00+02:00' })]).reading.events[0]!.uid;
    expect(first).toBe(again);
    expect(first).toBe(meetingUid('https://ris.stadt.example/oparl/v1/meeting/4711'));
    expect(first).toMatch(/^oparl-[0-9a-f]{40}@ratsdesk$/);
    expect(meetingUid('https://ris.stadt.example/oparl/v1/meeting/4712')).not.toBe(first);
  });

  it('marks cancelled meetings STATUS:CANCELLED and says so', () => {
    const event = exported([meeting({ cancelled: true })]).reading.events[0]!;
    expect(event.status).toBe('CANCELLED');
    expect(event.description.split('\n')[0]).toBe('Abgesagt.');
  });

  it('reads times without offset as Berlin time and dates as all-day', () => {
    const { reading } = exported([
      meeting({ oparlId: 'a', start: '2026-07-01T09:00:00', end: '2026-07-01T10:00' }),
      meeting({ oparlId: 'b', start: '2026-09-18', end: '2026-09-19' }),
      meeting({ oparlId: 'c', start: '2026-09-21', end: null }),
    ]);
    expect([reading.events[0]!.start, reading.events[0]!.end]).toEqual([
      '2026-07-01T09:00:00+02:00',
      '2026-07-01T10:00:00+02:00',
    ]);
    expect(reading.events[1]!.allDay).toBe(true);
    expect([reading.events[1]!.start, reading.events[1]!.end]).toEqual([
      '2026-09-18T00:00:00+02:00',
      '2026-09-19T00:00:00+02:00',
    ]);
    expect([reading.events[2]!.start, reading.events[2]!.end]).toEqual([
      '2026-09-21T00:00:00+02:00',
      '2026-09-22T00:00:00+02:00',
    ]);
  });

  it('leaves out meetings without a start, an end before the start and links that are not https', () => {
    const { built, reading } = exported([
      meeting({ oparlId: 'ohne-start', start: null }),
      meeting({ oparlId: 'kaputt', start: 'bald', end: null }),
      meeting({ oparlId: 'rückwärts', end: '2026-03-10T16:00:00+01:00', web: 'http://ris.stadt.example/x' }),
    ]);
    expect(built.skipped).toEqual(['ohne-start', 'kaputt']);
    expect(built.exported).toBe(1);
    expect(reading.events[0]!.end).toBe(reading.events[0]!.start);
    expect(built.ics).not.toContain('http://');
  });

  it('exports the OParl 1.0 and 1.1 example meetings (real public spec data)', () => {
    for (const version of ['1.0', '1.1']) {
      const raw = JSON.parse(readFileSync(join(FIXTURES, 'spec', version, 'examples', 'Meeting-01.json'), 'utf8'));
      const parsed = parseOparlObject('Meeting', raw);
      const { reading } = exported([
        {
          oparlId: parsed.id,
          name: parsed.name ?? null,
          start: parsed.start ?? null,
          end: parsed.end ?? null,
          // 1.0's example names its location by URL only; 1.1's embeds it
          location: typeof parsed.location === 'object' ? (parsed.location.description ?? null) : null,
          cancelled: parsed.cancelled ?? false,
          organizations: [],
          web: parsed.web ?? null,
          sequence: 0,
        },
      ]);
      const event = reading.events[0]!;
      expect(event.summary, version).toBe('4. Sitzung des Finanzausschusses');
      expect(event.start, version).toBe('2013-01-04T08:00:00+01:00');
      expect(event.end, version).toBe('2013-01-04T12:00:00+01:00');
      expect(event.location, version).toBe(
        version === '1.1' ? 'Rathaus der Beispielstadt, Ratshausplatz 1, 12345 Beispielstadt' : '',
      );
    }
  });
});

describe('meeting SEQUENCE bookkeeping', () => {
  it('starts at 0 and stays while time, place and cancellation stay', () => {
    const first = nextMeetingSequence(null, meeting());
    expect(first.sequence).toBe(0);
    expect(nextMeetingSequence(first, meeting({ name: 'neuer Titel', web: null }))).toEqual(first);
    // the same instant written another way is no change
    expect(nextMeetingSequence(first, meeting({ start: '2026-03-10T16:00:00Z' })).sequence).toBe(0);
  });

  it('rises by one when the RIS moves the meeting, changes its place or cancels it', () => {
    let state = nextMeetingSequence(null, meeting());
    state = nextMeetingSequence(state, meeting({ start: '2026-03-10T18:00:00+01:00' }));
    expect(state.sequence).toBe(1);
    state = nextMeetingSequence(state, meeting({ start: '2026-03-10T18:00:00+01:00', location: 'Bürgerhaus' }));
    expect(state.sequence).toBe(2);
    state = nextMeetingSequence(
      state,
      meeting({ start: '2026-03-10T18:00:00+01:00', location: 'Bürgerhaus', cancelled: true }),
    );
    expect(state.sequence).toBe(3);
    state = nextMeetingSequence(
      state,
      meeting({ start: '2026-03-10T18:00:00+01:00', location: 'Bürgerhaus', cancelled: true }),
    );
    expect(state.sequence).toBe(3);
    expect(exported([meeting({ sequence: state.sequence })]).reading.events[0]!.sequence).toBe(3);
  });
});
