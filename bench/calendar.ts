/**
 * Calendar benchmark (issue 18). What reading invitations and exporting meetings cost, and how long hostile
 * input takes until it is read within bounds or refused — the promise is "well under a second".
 * Named baseline: ical.js's bare ICAL.parse of the same text (the floor of reading it at all).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { buildMeetingCalendar, type ExportableMeeting } from '../electron/services/calendar/meeting-export';
import { readCalendar } from '../electron/services/calendar/read-calendar';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function timed(run: () => unknown, times: number): number {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return Math.round(median(samples) * 1000) / 1000;
}

/** Milliseconds until hostile input is read or refused, and which of the two. */
function hostile(text: string, expandYears = 0): { ms: number; outcome: string } {
  const start = performance.now();
  let outcome = 'read';
  try {
    const reading = readCalendar(text, { timeZone: 'Europe/Berlin' });
    for (const event of reading.events.slice(0, 1)) {
      if (expandYears > 0) event.occurrences('2026-01-01T00:00:00Z', `${2026 + expandYears}-01-01T00:00:00Z`);
    }
    if (reading.notices.length > 0) outcome = `read with ${reading.notices.map((n) => n.code).join(',')}`;
  } catch (err) {
    outcome = `refused ${(err as { code?: string }).code ?? String(err)}`;
  }
  return { ms: Math.round(performance.now() - start), outcome };
}

const wrap = (body: string) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//DE\r\n${body}END:VCALENDAR\r\n`;
const ruleEvent = (rule: string) =>
  wrap(`BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20260131T090000\r\nDURATION:PT1H\r\nRRULE:${rule}\r\nEND:VEVENT\r\n`);

export async function run(): Promise<Record<string, unknown>> {
  const invitation = readFileSync(join('test', 'fixtures', 'calendar', 'outlook-request.ics'), 'utf8');
  const baselineParseMs = timed(() => ICAL.parse(invitation), 200);
  const readInvitationMs = timed(() => readCalendar(invitation, { timeZone: 'Europe/Berlin' }), 200);
  const series = readCalendar(invitation, { timeZone: 'Europe/Berlin' }).events[0]!;
  const expandYearMs = timed(() => series.occurrences('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'), 50);

  const meetings: ExportableMeeting[] = Array.from({ length: 500 }, (_, i) => ({
    oparlId: `https://ris.stadt.example/oparl/meeting/${i}`,
    name: `${i + 1}. Sitzung des Ausschusses für Umwelt, Klima und Mobilität`,
    start: new Date(Date.UTC(2026, 0, 5) + i * 86_400_000).toISOString(),
    end: new Date(Date.UTC(2026, 0, 5) + i * 86_400_000 + 7_200_000).toISOString(),
    location: 'Rathaus, Sitzungssaal 2',
    cancelled: i % 17 === 0,
    organizations: ['Ausschuss für Umwelt, Klima und Mobilität'],
    web: `https://ris.stadt.example/si0057.php?__ksinr=${i}`,
    sequence: i % 3,
  }));
  let exported = '';
  const export500Ms = timed(() => {
    exported = buildMeetingCalendar(meetings, { now: new Date(), language: 'de' }).ics;
  }, 5);
  const reread500Ms = timed(() => readCalendar(exported, { timeZone: 'Europe/Berlin' }), 5);
  const baselineParse500Ms = timed(() => ICAL.parse(exported), 5);

  const one = (i: number) => `BEGIN:VEVENT\r\nUID:${i}\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\n`;
  const adversarial = {
    quadraticParameters: hostile(wrap('X-A' + ';P=1'.repeat(450_000) + ':x\r\n')),
    nested60000: hostile(wrap('BEGIN:X-N\r\n'.repeat(60_000) + 'END:X-N\r\n'.repeat(60_000))),
    events8000: hostile(wrap(Array.from({ length: 8_000 }, (_, i) => one(i)).join(''))),
    overSizeLimit: hostile(wrap('X-PAD:' + 'a'.repeat(2_000_001) + '\r\n')),
    minutelyCountBillion: hostile(ruleEvent('FREQ=MINUTELY;COUNT=1000000000'), 1),
    icalJsLoopDaily: hostile(ruleEvent('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'), 4),
    icalJsLoopYearly: hostile(ruleEvent('FREQ=YEARLY;BYMONTH=1;BYDAY=TH;BYSETPOS=366'), 4),
  };
  const worstMs = Math.max(...Object.values(adversarial).map((a) => a.ms));

  return {
    bench: 'calendar',
    baselineParseMs,
    readInvitationMs,
    readVsBaseline: Math.round((readInvitationMs / baselineParseMs) * 10) / 10,
    expandYearMs,
    export500Ms,
    reread500Ms,
    baselineParse500Ms,
    adversarial,
    worstAdversarialMs: worstMs,
    worstUnderOneSecond: worstMs < 1000,
  };
}
