import { describe, expect, it } from 'vitest';
import { readCalendar } from '../../electron/services/calendar/read-calendar';

/** The recurrence text of a one-event calendar starting at `start` (Berlin time) with `rule`. */
function texts(rule: string, start = '20260317T100000', extra = ''): { de: string; en: string } | null {
  const text = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Ratsdesk tests//recurrence//DE',
    'BEGIN:VEVENT',
    'UID:r@ratsdesk.test',
    'DTSTAMP:20260101T000000Z',
    `DTSTART;TZID=Europe/Berlin:${start}`,
    'DURATION:PT1H',
    `RRULE:${rule}`,
    ...(extra ? [extra] : []),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  return readCalendar(text, { timeZone: 'Europe/Berlin' }).events[0]!.recurrenceTexts;
}

describe('recurrence in words', () => {
  // 17 March 2026 is a Tuesday
  const cases: [string, string, string, string?][] = [
    ['FREQ=DAILY', 'täglich', 'daily'],
    ['FREQ=DAILY;INTERVAL=2', 'jeden zweiten Tag', 'every other day'],
    ['FREQ=DAILY;INTERVAL=3', 'jeden dritten Tag', 'every 3 days'],
    ['FREQ=DAILY;INTERVAL=20', 'alle 20 Tage', 'every 20 days'],
    ['FREQ=WEEKLY', 'jeden Dienstag', 'every Tuesday'],
    ['FREQ=WEEKLY;BYDAY=TU', 'jeden Dienstag', 'every Tuesday'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', 'jeden zweiten Dienstag', 'every other Tuesday'],
    ['FREQ=WEEKLY;INTERVAL=3;BYDAY=TU', 'jeden dritten Dienstag', 'every 3 weeks on Tuesday'],
    ['FREQ=WEEKLY;INTERVAL=14;BYDAY=TU', 'alle 14 Wochen am Dienstag', 'every 14 weeks on Tuesday'],
    ['FREQ=WEEKLY;BYDAY=TH,MO', 'jeden Montag und Donnerstag', 'every Monday and Thursday'],
    ['FREQ=WEEKLY;BYDAY=MO,WE,FR', 'jeden Montag, Mittwoch und Freitag', 'every Monday, Wednesday and Friday'],
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'jeden Werktag (Montag bis Freitag)', 'every weekday (Monday to Friday)'],
    [
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH',
      'jede zweite Woche am Montag und Donnerstag',
      'every other week on Monday and Thursday',
    ],
    ['FREQ=MONTHLY', 'monatlich am 17.', 'monthly on day 17'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,15', 'monatlich am 1. und 15.', 'monthly on day 1 and day 15'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'monatlich am letzten Tag', 'monthly on the last day'],
    ['FREQ=MONTHLY;BYDAY=3TU', 'monatlich am dritten Dienstag', 'monthly on the third Tuesday'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'monatlich am letzten Freitag', 'monthly on the last Friday'],
    // Outlook writes "the second Tuesday" this way
    ['FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2', 'monatlich am zweiten Dienstag', 'monthly on the second Tuesday'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'monatlich am letzten Werktag', 'monthly on the last weekday'],
    [
      'FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO',
      'jeden zweiten Monat am ersten Montag',
      'every other month on the first Monday',
    ],
    ['FREQ=MONTHLY;INTERVAL=3', 'jeden dritten Monat am 17.', 'every 3 months on day 17'],
    ['FREQ=YEARLY', 'jährlich am 17. März', 'yearly on 17 March'],
    [
      'FREQ=YEARLY;BYMONTH=11;BYDAY=4TH',
      'jährlich am vierten Donnerstag im November',
      'yearly on the fourth Thursday of November',
    ],
    ['FREQ=YEARLY;INTERVAL=2', 'jedes zweite Jahr am 17. März', 'every other year on 17 March'],
    ['FREQ=WEEKLY;COUNT=10', 'jeden Dienstag, 10-mal', 'every Tuesday, 10 times'],
    ['FREQ=WEEKLY;UNTIL=20261231T225959Z', 'jeden Dienstag bis 31.12.2026', 'every Tuesday until 31 Dec 2026'],
    // the UNTIL instant is 1 January in Berlin, where the event lives
    ['FREQ=WEEKLY;UNTIL=20261231T233000Z', 'jeden Dienstag bis 01.01.2027', 'every Tuesday until 1 Jan 2027'],
    ['FREQ=HOURLY;INTERVAL=4', 'regelmäßig nach einer eigenen Regel', 'on a custom schedule'],
    ['FREQ=YEARLY;BYWEEKNO=20', 'regelmäßig nach einer eigenen Regel', 'on a custom schedule'],
    ['FREQ=MONTHLY;BYDAY=TU;BYMONTHDAY=13', 'regelmäßig nach einer eigenen Regel', 'on a custom schedule'],
  ];
  for (const [rule, de, en] of cases) {
    it(`${rule} → „${de}“ / “${en}”`, () => {
      expect(texts(rule)).toEqual({ de, en });
    });
  }

  it('lists up to four exceptions by date (year only when it differs) and counts more', () => {
    expect(
      texts(
        'FREQ=WEEKLY;UNTIL=20270630T080000Z',
        '20260317T100000',
        'EXDATE;TZID=Europe/Berlin:20260414T100000,20260407T100000,20270105T100000',
      ),
    ).toEqual({
      de: 'jeden Dienstag bis 30.06.2027, außer 07.04., 14.04. und 05.01.2027',
      en: 'every Tuesday until 30 Jun 2027, except 7 Apr, 14 Apr and 5 Jan 2027',
    });
    const five = ['0331', '0407', '0414', '0421', '0428'].map((d) => `EXDATE;TZID=Europe/Berlin:2026${d}T100000`);
    expect(texts('FREQ=WEEKLY', '20260317T100000', five.join('\r\n'))).toEqual({
      de: 'jeden Dienstag, außer an 5 Terminen',
      en: 'every Tuesday, except on 5 dates',
    });
  });

  it('names added dates (RDATE)', () => {
    expect(texts('FREQ=WEEKLY;COUNT=3', '20260317T100000', 'RDATE;TZID=Europe/Berlin:20260402T100000')).toEqual({
      de: 'jeden Dienstag, 3-mal, zusätzlich am 02.04.',
      en: 'every Tuesday, 3 times, also on 2 Apr',
    });
  });
});
