import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRatsdeskError } from '../../electron/contract/errors';
import { readCalendar } from '../../electron/services/calendar/read-calendar';
import { ianaNameFor } from '../../electron/services/calendar/time-zones';

// Fixtures written by the project after the documented formats of Outlook/Exchange, Google Calendar and
// Thunderbird (CRLF lines, folded at 75 octets, their PRODIDs and X- properties).
const fixture = (name: string): string => readFileSync(join(__dirname, '..', 'fixtures', 'calendar', name), 'utf8');
const berlin = { timeZone: 'Europe/Berlin' };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    return isRatsdeskError(err) ? err.code : `not a RatsdeskError: ${String(err)}`;
  }
  return undefined;
}

describe('readCalendar: Outlook / Exchange invitation with Windows zone names', () => {
  const reading = readCalendar(fixture('outlook-request.ics'), berlin);
  const event = reading.events[0]!;

  it('reads method, identity and text fields (folded lines joined, escapes undone)', () => {
    expect(reading.method).toBe('REQUEST');
    expect(reading.notices).toEqual([]);
    expect(reading.events).toHaveLength(1);
    expect(event.uid).toBe(
      '040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F5A601000000000000000010000000F00D1E2D3C4B5A69788796A5B4C3D2E1F0',
    );
    expect(event.sequence).toBe(0);
    expect(event.summary).toBe('Abstimmung Haushalt 2027');
    expect(event.location).toBe('Rathaus, Sitzungssaal 2');
    expect(event.description).toContain('Haushaltsentwurf ab. Bitte bringen Sie die Unterlagen mit.\n\nViele Grüße');
    expect(event.status).toBe('CONFIRMED');
  });

  it('maps "W. Europe Standard Time" to Europe/Berlin and gives instants with offset', () => {
    expect(event.timeZone).toBe('Europe/Berlin');
    expect(event.allDay).toBe(false);
    expect(event.start).toBe('2026-03-17T10:00:00+01:00');
    expect(event.end).toBe('2026-03-17T11:30:00+01:00');
  });

  it('reads organizer and attendees with non-ASCII CN parameters split across folded lines', () => {
    expect(event.organizer).toEqual({ email: 'kaemmerei@stadt.example', name: 'Kämmerei Musterstadt' });
    expect(event.attendees.map((a) => [a.email, a.name, a.partstat, a.role, a.rsvp])).toEqual([
      ['anna@stadt.example', 'Anna Schöne', 'NEEDS-ACTION', 'REQ-PARTICIPANT', true],
      ['juergen.gross@stadt.example', 'Groß, Jürgen', 'NEEDS-ACTION', 'OPT-PARTICIPANT', true],
    ]);
  });

  it('describes the recurrence in German and English', () => {
    expect(event.recurrenceText).toBe('jeden zweiten Dienstag bis 30.06.2027, außer 14.04.');
    expect(event.recurrenceTexts).toEqual({
      de: 'jeden zweiten Dienstag bis 30.06.2027, außer 14.04.',
      en: 'every other Tuesday until 30 Jun 2027, except 14 Apr',
    });
    expect(readCalendar(fixture('outlook-request.ics'), { ...berlin, language: 'en' }).events[0]!.recurrenceText).toBe(
      'every other Tuesday until 30 Jun 2027, except 14 Apr',
    );
  });

  it('expands every second Tuesday across the change to summer time, leaving out the EXDATE', () => {
    expect(event.occurrences('2026-03-01T00:00:00+01:00', '2026-05-31T00:00:00+02:00')).toEqual([
      { start: '2026-03-17T10:00:00+01:00', end: '2026-03-17T11:30:00+01:00' },
      // 29 March 2026 Berlin moves to CEST: 10:00 stays 10:00 wall time
      { start: '2026-03-31T10:00:00+02:00', end: '2026-03-31T11:30:00+02:00' },
      // 14 April is excluded
      { start: '2026-04-28T10:00:00+02:00', end: '2026-04-28T11:30:00+02:00' },
      { start: '2026-05-12T10:00:00+02:00', end: '2026-05-12T11:30:00+02:00' },
      { start: '2026-05-26T10:00:00+02:00', end: '2026-05-26T11:30:00+02:00' },
    ]);
  });

  it('keeps the fortnightly rhythm back into winter time and stops at UNTIL', () => {
    // 25 October 2026 Berlin returns to CET
    expect(event.occurrences('2026-10-10T00:00:00Z', '2026-11-12T00:00:00Z')).toEqual([
      { start: '2026-10-13T10:00:00+02:00', end: '2026-10-13T11:30:00+02:00' },
      { start: '2026-10-27T10:00:00+01:00', end: '2026-10-27T11:30:00+01:00' },
      { start: '2026-11-10T10:00:00+01:00', end: '2026-11-10T11:30:00+01:00' },
    ]);
    // UNTIL is 30.06.2027; the 29th is a Tuesday of the other week, so the 22nd is the last
    const end = event.occurrences('2027-06-01T00:00:00Z', '2028-01-01T00:00:00Z');
    expect(end.map((o) => o.start)).toEqual(['2027-06-08T10:00:00+02:00', '2027-06-22T10:00:00+02:00']);
  });

  it('shows the time in the person’s own zone when that is not Berlin', () => {
    const inNewYork = readCalendar(fixture('outlook-request.ics'), { timeZone: 'America/New_York' }).events[0]!;
    expect(inNewYork.start).toBe('2026-03-17T05:00:00-04:00');
    expect(inNewYork.timeZone).toBe('Europe/Berlin');
    expect(Date.parse(inNewYork.start)).toBe(Date.parse(event.start));
    // New York changed to summer time on 8 March, Berlin only on 29 March: the gap is 5 hours, then 6
    expect(inNewYork.occurrences('2026-03-30T00:00:00Z', '2026-04-01T00:00:00Z')[0]!.start).toBe(
      '2026-03-31T04:00:00-04:00',
    );
  });

  it('reads an Outlook "Customized Time Zone" from the VTIMEZONE the file carries', () => {
    const custom = readCalendar(fixture('outlook-custom-zone.ics'), berlin);
    expect(custom.notices).toEqual([]);
    expect(custom.events[0]!.timeZone).toBe('Customized Time Zone');
    expect(custom.events[0]!.start).toBe('2026-07-01T09:00:00+02:00');
  });
});

describe('readCalendar: Google Calendar invitation with RECURRENCE-ID exceptions', () => {
  const reading = readCalendar(fixture('google-request.ics'), berlin);
  const event = reading.events[0]!;

  it('groups the series and its changed instances into one event', () => {
    expect(reading.method).toBe('REQUEST');
    expect(reading.events).toHaveLength(1);
    expect(event.uid).toBe('7kq3b1r2c4d5e6f7g8h9i0jklm@google.com');
    expect(event.recurrenceId).toBeNull();
    expect(event.recurrenceText).toBe('jeden Donnerstag, 6-mal, außer 02.04., 1 Termin verschoben');
    expect(event.recurrenceTexts?.en).toBe('every Thursday, 6 times, except 2 Apr, 1 date moved');
  });

  it('moves the changed instance and drops the cancelled one', () => {
    expect(event.occurrences('2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z')).toEqual([
      { start: '2026-03-05T08:30:00+01:00', end: '2026-03-05T09:00:00+01:00' },
      { start: '2026-03-12T08:30:00+01:00', end: '2026-03-12T09:00:00+01:00' },
      { start: '2026-03-20T07:30:00+01:00', end: '2026-03-20T08:00:00+01:00' },
      { start: '2026-03-26T08:30:00+01:00', end: '2026-03-26T09:00:00+01:00' },
      { start: '2026-04-09T08:30:00+02:00', end: '2026-04-09T09:00:00+02:00' },
    ]);
  });

  it('finds an instance moved into the window from a date after it', () => {
    // the 19.03. instance moved to the 20.03.; a window ending on the 19.03. 23:00 (Berlin) must not show it …
    expect(event.occurrences('2026-03-19T12:00:00+01:00', '2026-03-19T23:00:00+01:00')).toEqual([]);
    // … and a window of only the 20th must
    expect(event.occurrences('2026-03-20T00:00:00+01:00', '2026-03-21T00:00:00+01:00')).toHaveLength(1);
  });

  it('reads attendees answers and names with non-Latin letters', () => {
    expect(event.attendees.map((a) => [a.name, a.partstat])).toEqual([
      ['Bernd Berg', 'ACCEPTED'],
      ['anna@stadt.example', 'NEEDS-ACTION'],
      ['Çelik Şahin', 'DECLINED'],
    ]);
  });
});

describe('readCalendar: Thunderbird invitation', () => {
  it('reads the monthly rule, the Berlin zone and the chair', () => {
    const event = readCalendar(fixture('thunderbird-request.ics'), berlin).events[0]!;
    expect(event.timeZone).toBe('Europe/Berlin');
    expect(event.recurrenceText).toBe('monatlich am zweiten Donnerstag');
    expect(event.organizer).toEqual({ email: 'clara@fraktion.example', name: 'Clara Ökonom' });
    expect(event.attendees.find((a) => a.role === 'CHAIR')?.email).toBe('clara@fraktion.example');
    expect(event.occurrences('2026-10-01T00:00:00Z', '2026-12-01T00:00:00Z').map((o) => o.start)).toEqual([
      '2026-10-08T19:00:00+02:00',
      '2026-11-12T19:00:00+01:00',
    ]);
  });

  it('reads a REPLY with the attendee’s answer and comment', () => {
    const reply = readCalendar(fixture('thunderbird-reply.ics'), berlin);
    expect(reply.method).toBe('REPLY');
    expect(reply.events[0]!.attendees).toEqual([
      {
        email: 'dieter@fraktion.example',
        name: 'Dieter Ünal',
        partstat: 'DECLINED',
        role: 'OPT-PARTICIPANT',
        rsvp: true,
      },
    ]);
    expect(reply.events[0]!.comment).toBe('Im März bin ich im Urlaub.');
  });
});

describe('readCalendar: all-day and floating times', () => {
  const reading = readCalendar(fixture('all-day-and-floating.ics'), berlin);
  const byUid = (uid: string) => reading.events.find((e) => e.uid === uid)!;

  it('gives all-day events from local midnight to midnight, with no zone of their own', () => {
    const unity = byUid('tag-der-einheit@ratsdesk.test');
    expect(unity.allDay).toBe(true);
    expect(unity.timeZone).toBeNull();
    expect(unity.start).toBe('2026-10-03T00:00:00+02:00');
    expect(unity.end).toBe('2026-10-04T00:00:00+02:00');
    expect(unity.recurrenceText).toBe('jährlich am 3. Oktober');
    expect(unity.occurrences('2027-01-01T00:00:00Z', '2029-01-01T00:00:00Z').map((o) => o.start)).toEqual([
      '2027-10-03T00:00:00+02:00',
      '2028-10-03T00:00:00+02:00',
    ]);
    const retreat = byUid('klausur@ratsdesk.test');
    expect([retreat.start, retreat.end]).toEqual(['2026-09-18T00:00:00+02:00', '2026-09-20T00:00:00+02:00']);
  });

  it('reads floating times as wall time wherever the person is', () => {
    const party = byUid('sommerfest@ratsdesk.test');
    expect(party.timeZone).toBeNull();
    expect(party.start).toBe('2026-07-01T18:30:00+02:00');
    const inLondon = readCalendar(fixture('all-day-and-floating.ics'), { timeZone: 'Europe/London' });
    expect(inLondon.events.find((e) => e.uid === 'sommerfest@ratsdesk.test')!.start).toBe('2026-07-01T18:30:00+01:00');
  });
});

describe('readCalendar: wall times at the change of the clocks (RFC 5545 3.3.5)', () => {
  const startOf = (local: string): string =>
    readCalendar(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Ratsdesk tests//dst//DE',
        'BEGIN:VEVENT',
        'UID:dst@ratsdesk.test',
        `DTSTART;TZID=Europe/Berlin:${local}`,
        'DURATION:PT1H',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
      berlin,
    ).events[0]!.start;

  it('reads a wall time that occurs twice (clocks go back) as its first occurrence', () => {
    expect(startOf('20261025T023000')).toBe('2026-10-25T02:30:00+02:00');
    expect(startOf('20261025T033000')).toBe('2026-10-25T03:30:00+01:00');
  });

  it('reads a wall time that does not occur (clocks go forward) with the offset before the gap', () => {
    expect(startOf('20260329T023000')).toBe('2026-03-29T03:30:00+02:00');
    expect(startOf('20260329T013000')).toBe('2026-03-29T01:30:00+01:00');
    expect(startOf('20260329T030000')).toBe('2026-03-29T03:00:00+02:00');
  });
});

describe('readCalendar: RFC 6868 parameter values and folding', () => {
  it("joins folded lines and decodes ^' and ^^ in parameters", () => {
    const event = readCalendar(fixture('rfc6868-and-folding.ics'), berlin).events[0]!;
    expect(event.summary).toBe(
      'Sehr langer Titel der Sitzung des Ausschusses für Umwelt, Klima und Mobilität mit Überlänge',
    );
    expect(event.organizer).toEqual({ email: 'oemer@stadt.example', name: 'Ömer Çelik-Straßburger "Büro"' });
    expect(event.attendees.map((a) => [a.email, a.name])).toEqual([
      ['zoe@stadt.example', 'Zoë Ångström; Ratsfrau'],
      ['li@stadt.example', '李小龍'],
    ]);
    expect(event.start).toBe('2026-03-10T14:00:00+01:00');
    expect(event.timeZone).toBe('UTC');
  });
});

describe('readCalendar: broken or unknown time zones are shown with a notice, never a crash', () => {
  it('reads a VTIMEZONE without offsets as floating time and says so', () => {
    const reading = readCalendar(fixture('broken-vtimezone.ics'), berlin);
    expect(reading.notices).toEqual([
      { code: 'TIMEZONE_BROKEN', detail: 'Customized Time Zone: observance without a readable TZOFFSETTO' },
    ]);
    const event = reading.events[0]!;
    expect(event.summary).toBe('Rückfrage zum Haushalt');
    expect(event.timeZone).toBeNull();
    expect(event.start).toBe('2026-03-10T14:00:00+01:00');
  });

  it('reads a TZID that no VTIMEZONE defines and no table knows as floating, with a notice', () => {
    const text = fixture('broken-vtimezone.ics')
      .replace(/BEGIN:VTIMEZONE[\s\S]*END:VTIMEZONE\r\n/, '')
      .replaceAll('Customized Time Zone', 'Mars/Olympus');
    const reading = readCalendar(text, berlin);
    expect(reading.notices.map((n) => n.code)).toEqual(['TIMEZONE_UNKNOWN']);
    expect(reading.events[0]!.start).toBe('2026-03-10T14:00:00+01:00');
  });

  it('refuses an observance with a rule finer than yearly (costly to expand)', () => {
    const text = fixture('outlook-custom-zone.ics').replace(
      'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10',
      'RRULE:FREQ=SECONDLY',
    );
    const reading = readCalendar(text, berlin);
    expect(reading.notices).toEqual([
      { code: 'TIMEZONE_BROKEN', detail: 'Customized Time Zone: observance rule is not yearly' },
    ]);
    expect(reading.events[0]!.start).toBe('2026-07-01T09:00:00+02:00');
  });

  it('maps Windows, Mozilla-prefixed and IANA names through CLDR’s table', () => {
    expect(ianaNameFor('W. Europe Standard Time')).toBe('Europe/Berlin');
    expect(ianaNameFor('Romance Standard Time')).toBe('Europe/Paris');
    expect(ianaNameFor('GMT Standard Time')).toBe('Europe/London');
    expect(ianaNameFor('/mozilla.org/20050126_1/Europe/Berlin')).toBe('Europe/Berlin');
    expect(ianaNameFor('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(ianaNameFor('Customized Time Zone')).toBeNull();
  });
});

describe('readCalendar: input that is not a calendar', () => {
  it('refuses text that is not iCalendar with CALENDAR_UNREADABLE', () => {
    expect(codeOf(() => readCalendar('Hallo Anna, anbei die Einladung.'))).toBe('CALENDAR_UNREADABLE');
    expect(codeOf(() => readCalendar('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n'))).toBe('CALENDAR_UNREADABLE');
    expect(codeOf(() => readCalendar(''))).toBe('CALENDAR_UNREADABLE');
  });

  it('keeps no invitation content in the error detail', () => {
    try {
      readCalendar('BEGIN:VCALENDAR\r\ngeheimer Text ohne Doppelpunkt\r\nEND:VCALENDAR\r\n');
      expect.unreachable();
    } catch (err) {
      expect(isRatsdeskError(err) && err.code).toBe('CALENDAR_UNREADABLE');
      expect(String((err as Error).message)).not.toContain('geheim');
    }
  });

  it('accepts a byte order mark, LF line ends and leading blank lines', () => {
    const text = '\uFEFF\n' + fixture('thunderbird-request.ics').replaceAll('\r\n', '\n');
    expect(readCalendar(text, berlin).events[0]!.summary).toBe('Arbeitskreis Umwelt');
  });

  it('skips an event it cannot read and keeps the others, with a notice', () => {
    const text = fixture('all-day-and-floating.ics').replace(
      'BEGIN:VEVENT\r\nUID:klausur',
      'BEGIN:VEVENT\r\nUID:ohne-start@ratsdesk.test\r\nSUMMARY:ohne Start\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:klausur',
    );
    const reading = readCalendar(text, berlin);
    expect(reading.events.map((e) => e.uid)).toEqual([
      'tag-der-einheit@ratsdesk.test',
      'klausur@ratsdesk.test',
      'sommerfest@ratsdesk.test',
    ]);
    expect(reading.notices.map((n) => n.code)).toEqual(['EVENT_UNREADABLE']);
  });

  it('rejects an occurrence window that is not ISO 8601', () => {
    const event = readCalendar(fixture('thunderbird-request.ics'), berlin).events[0]!;
    expect(codeOf(() => event.occurrences('gestern', 'morgen'))).toBe('INVALID_INPUT');
    expect(event.occurrences('2026-05-01T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual([]);
  });
});
