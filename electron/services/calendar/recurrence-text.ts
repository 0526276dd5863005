import type { CalendarLanguage } from './calendar-reading';

/**
 * A recurrence in words ("jeden zweiten Dienstag bis 30.06.2027, außer 14.04."). This only describes the
 * rule; the occurrences themselves always come from ical.js. Rules outside the shapes calendar programs
 * offer (hourly, by week number, …) get a general sentence instead of a wrong precise one.
 */

export interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

export interface RecurrenceFacts {
  freq: string;
  interval: number;
  count: number | null;
  /** The last day in the event's own zone. */
  until: CalendarDate | null;
  /** BYDAY as written: "TU", "2TU", "-1FR". */
  byDay: string[];
  byMonthDay: number[];
  byMonth: number[];
  bySetPos: number[];
  /** Names of further BY… parts (BYWEEKNO, BYYEARDAY, BYHOUR, …), which make the rule a custom one here. */
  otherParts: string[];
  /** The first occurrence, in the event's own zone; weekday 0 = Sunday … 6 = Saturday. */
  start: CalendarDate & { weekday: number };
  /** EXDATE days in the event's own zone. */
  exceptions: CalendarDate[];
  /** RDATE days in the event's own zone. */
  additions: CalendarDate[];
  /** How many instances were moved (RECURRENCE-ID with another time). */
  moved: number;
}

const DAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const WORKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR'];

const words = {
  de: {
    days: ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'],
    months: [
      'Januar',
      'Februar',
      'März',
      'April',
      'Mai',
      'Juni',
      'Juli',
      'August',
      'September',
      'Oktober',
      'November',
      'Dezember',
    ],
    // declined for "jeden zweiten Dienstag" / "am zweiten Dienstag"; index = n
    ordinals: ['', 'ersten', 'zweiten', 'dritten', 'vierten', 'fünften'],
    // stems for intervals: "jeden dritten Tag", "jede dritte Woche"
    intervalStems: [
      '',
      '',
      'zweit',
      'dritt',
      'viert',
      'fünft',
      'sechst',
      'siebt',
      'acht',
      'neunt',
      'zehnt',
      'elft',
      'zwölft',
    ],
    last: 'letzten',
    secondLast: 'vorletzten',
    and: 'und',
  },
  en: {
    days: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
    months: [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ],
    ordinals: ['', 'first', 'second', 'third', 'fourth', 'fifth'],
    intervalStems: [],
    last: 'last',
    secondLast: 'second-to-last',
    and: 'and',
  },
} as const;

function list(items: string[], language: CalendarLanguage): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${words[language].and} ${items[items.length - 1]}`;
}

function parseByDay(code: string): { ordinal: number; weekday: number } | null {
  const weekday = DAY_CODES.indexOf(code.slice(-2).toUpperCase());
  if (weekday < 0) return null;
  const ordinalText = code.slice(0, -2);
  if (ordinalText === '' || ordinalText === '+') return { ordinal: 0, weekday };
  if (!/^[+-]?\d{1,2}$/.test(ordinalText)) return null;
  return { ordinal: Number(ordinalText), weekday };
}

function ordinalWord(n: number, language: CalendarLanguage): string | null {
  const w = words[language];
  if (n === -1) return w.last;
  if (n === -2) return w.secondLast;
  return n >= 1 && n <= 5 ? w.ordinals[n]! : null;
}

function shortDate(date: CalendarDate, withYear: boolean, language: CalendarLanguage): string {
  const dd = String(date.day).padStart(2, '0');
  const mm = String(date.month).padStart(2, '0');
  if (language === 'de') return withYear ? `${dd}.${mm}.${date.year}` : `${dd}.${mm}.`;
  const month = words.en.months[date.month - 1]!.slice(0, 3);
  return withYear ? `${date.day} ${month} ${date.year}` : `${date.day} ${month}`;
}

/** The repeating part for "every n units": German declines by gender, English says "every other". */
function every(
  interval: number,
  unit: 'day' | 'week' | 'month' | 'year',
  language: CalendarLanguage,
): { lead: string; plain: boolean } {
  if (language === 'en') {
    if (interval === 1) return { lead: `every ${unit}`, plain: true };
    if (interval === 2) return { lead: `every other ${unit}`, plain: false };
    return { lead: `every ${interval} ${unit}s`, plain: false };
  }
  const nouns = {
    day: ['Tag', 'Tage', 'jeden'],
    week: ['Woche', 'Wochen', 'jede'],
    month: ['Monat', 'Monate', 'jeden'],
    year: ['Jahr', 'Jahre', 'jedes'],
  } as const;
  const [singular, plural, article] = nouns[unit];
  const ending = article === 'jeden' ? 'en' : 'e';
  if (interval === 1) return { lead: `${article} ${singular}`, plain: true };
  const stem = words.de.intervalStems[interval];
  if (stem) return { lead: `${article} ${stem}${ending} ${singular}`, plain: false };
  return { lead: `alle ${interval} ${plural}`, plain: false };
}

function weekdayNames(codes: number[], language: CalendarLanguage): string {
  return list(
    codes.map((d) => words[language].days[d]!),
    language,
  );
}

function isWorkdays(days: number[]): boolean {
  return days.length === 5 && WORKDAYS.every((code) => days.includes(DAY_CODES.indexOf(code)));
}

function sortedWeekdays(days: number[]): number[] {
  // Monday first, as people in Germany read a week
  return [...new Set(days)].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
}

function describeWeekly(facts: RecurrenceFacts, days: number[], language: CalendarLanguage): string {
  const ordered = sortedWeekdays(days);
  const de = language === 'de';
  if (facts.interval === 1) {
    if (isWorkdays(ordered)) return de ? 'jeden Werktag (Montag bis Freitag)' : 'every weekday (Monday to Friday)';
    return de
      ? `jeden ${list(
          ordered.map((d) => words.de.days[d]!),
          'de',
        )}`
      : `every ${weekdayNames(ordered, 'en')}`;
  }
  const stem = words.de.intervalStems[facts.interval];
  if (ordered.length === 1) {
    const day = ordered[0]!;
    if (de) {
      return stem ? `jeden ${stem}en ${words.de.days[day]}` : `alle ${facts.interval} Wochen am ${words.de.days[day]}`;
    }
    return facts.interval === 2
      ? `every other ${words.en.days[day]}`
      : `every ${facts.interval} weeks on ${words.en.days[day]}`;
  }
  const lead = every(facts.interval, 'week', language).lead;
  const names = weekdayNames(ordered, language);
  return de ? `${lead} am ${names}` : `${lead} on ${names}`;
}

function monthDayPhrase(days: number[], language: CalendarLanguage): string | null {
  if (days.some((d) => d === 0 || d < -1 || d > 31)) return null;
  const named = [...new Set(days)].sort((a, b) => (a === -1 ? 99 : a) - (b === -1 ? 99 : b));
  if (language === 'de')
    return `am ${list(
      named.map((d) => (d === -1 ? 'letzten Tag' : `${d}.`)),
      'de',
    )}`;
  return `on ${list(
    named.map((d) => (d === -1 ? 'the last day' : `day ${d}`)),
    'en',
  )}`;
}

/** "am zweiten Dienstag" from BYDAY=2TU, or BYDAY=TU;BYSETPOS=2 (Outlook's way), or workdays with BYSETPOS. */
function positionedDayPhrase(facts: RecurrenceFacts, language: CalendarLanguage): string | null {
  const parsed = facts.byDay.map(parseByDay);
  if (parsed.some((p) => p === null)) return null;
  const days = parsed as { ordinal: number; weekday: number }[];
  const de = language === 'de';
  if (facts.bySetPos.length === 0) {
    if (days.every((d) => d.ordinal === 0)) {
      const names = weekdayNames(sortedWeekdays(days.map((d) => d.weekday)), language);
      return de ? `an jedem ${names}` : `on every ${names}`;
    }
    const phrases: string[] = [];
    for (const d of days) {
      const ordinal = ordinalWord(d.ordinal, language);
      if (!ordinal) return null;
      phrases.push(`${de ? '' : 'the '}${ordinal} ${words[language].days[d.weekday]}`);
    }
    return `${de ? 'am' : 'on'} ${list(phrases, language)}`;
  }
  if (facts.bySetPos.length !== 1 || days.some((d) => d.ordinal !== 0)) return null;
  const ordinal = ordinalWord(facts.bySetPos[0]!, language);
  if (!ordinal) return null;
  const weekdays = days.map((d) => d.weekday);
  if (isWorkdays(weekdays)) return de ? `am ${ordinal} Werktag` : `on the ${ordinal} weekday`;
  if (weekdays.length !== 1) return null;
  return de ? `am ${ordinal} ${words.de.days[weekdays[0]!]}` : `on the ${ordinal} ${words.en.days[weekdays[0]!]}`;
}

function describeMonthly(facts: RecurrenceFacts, language: CalendarLanguage): string | null {
  const de = language === 'de';
  const { lead, plain } = every(facts.interval, 'month', language);
  const opening = plain ? (de ? 'monatlich' : 'monthly') : lead;
  if (facts.byMonth.length > 0) return null;
  if (facts.byDay.length > 0) {
    if (facts.byMonthDay.length > 0) return null;
    const phrase = positionedDayPhrase(facts, language);
    return phrase ? `${opening} ${phrase}` : null;
  }
  if (facts.bySetPos.length > 0) return null;
  const phrase = monthDayPhrase(facts.byMonthDay.length > 0 ? facts.byMonthDay : [facts.start.day], language);
  return phrase ? `${opening} ${phrase}` : null;
}

function describeYearly(facts: RecurrenceFacts, language: CalendarLanguage): string | null {
  const de = language === 'de';
  const { lead, plain } = every(facts.interval, 'year', language);
  const opening = plain ? (de ? 'jährlich' : 'yearly') : lead;
  const months = facts.byMonth.length > 0 ? facts.byMonth : [facts.start.month];
  if (months.length !== 1 || months[0]! < 1 || months[0]! > 12) return null;
  const month = words[language].months[months[0]! - 1]!;
  if (facts.byDay.length > 0) {
    if (facts.byMonthDay.length > 0) return null;
    const phrase = positionedDayPhrase(facts, language);
    if (!phrase || phrase.includes(de ? 'jedem' : 'every')) return null;
    return `${opening} ${phrase} ${de ? 'im' : 'of'} ${month}`;
  }
  if (facts.bySetPos.length > 0) return null;
  const monthDays = facts.byMonthDay.length > 0 ? facts.byMonthDay : [facts.start.day];
  if (monthDays.length !== 1 || monthDays[0]! < 1 || monthDays[0]! > 31) return null;
  return de ? `${opening} am ${monthDays[0]}. ${month}` : `${opening} on ${monthDays[0]} ${month}`;
}

function describeDaily(facts: RecurrenceFacts, language: CalendarLanguage): string | null {
  const de = language === 'de';
  if (facts.byMonth.length > 0 || facts.byMonthDay.length > 0 || facts.bySetPos.length > 0) return null;
  if (facts.byDay.length > 0) {
    if (facts.interval !== 1) return null;
    const parsed = facts.byDay.map(parseByDay);
    if (parsed.some((p) => p === null || p.ordinal !== 0)) return null;
    return describeWeekly(
      facts,
      parsed.map((p) => p!.weekday),
      language,
    );
  }
  if (facts.interval === 1) return de ? 'täglich' : 'daily';
  return every(facts.interval, 'day', language).lead;
}

function describeRule(facts: RecurrenceFacts, language: CalendarLanguage): string | null {
  if (facts.otherParts.length > 0 || facts.interval < 1) return null;
  switch (facts.freq) {
    case 'DAILY':
      return describeDaily(facts, language);
    case 'WEEKLY': {
      if (facts.byMonth.length > 0 || facts.byMonthDay.length > 0 || facts.bySetPos.length > 0) return null;
      const parsed = facts.byDay.map(parseByDay);
      if (parsed.some((p) => p === null || p.ordinal !== 0)) return null;
      const days = parsed.length > 0 ? parsed.map((p) => p!.weekday) : [facts.start.weekday];
      return describeWeekly(facts, days, language);
    }
    case 'MONTHLY':
      return describeMonthly(facts, language);
    case 'YEARLY':
      return describeYearly(facts, language);
    default:
      return null;
  }
}

const MAX_LISTED_DATES = 4;

function datesPhrase(dates: CalendarDate[], startYear: number, language: CalendarLanguage): string {
  if (dates.length > MAX_LISTED_DATES) {
    return language === 'de' ? `an ${dates.length} Terminen` : `on ${dates.length} dates`;
  }
  const ordered = [...dates].sort((a, b) => a.year - b.year || a.month - b.month || a.day - b.day);
  return list(
    ordered.map((d) => shortDate(d, d.year !== startYear, language)),
    language,
  );
}

/** The recurrence in German or English words. */
export function describeRecurrence(facts: RecurrenceFacts, language: CalendarLanguage): string {
  const de = language === 'de';
  let text = describeRule(facts, language) ?? (de ? 'regelmäßig nach einer eigenen Regel' : 'on a custom schedule');
  if (facts.count !== null && facts.count > 0) {
    text += de ? `, ${facts.count}-mal` : `, ${facts.count} ${facts.count === 1 ? 'time' : 'times'}`;
  } else if (facts.until) {
    text += de ? ` bis ${shortDate(facts.until, true, 'de')}` : ` until ${shortDate(facts.until, true, 'en')}`;
  }
  if (facts.exceptions.length > 0) {
    text += `${de ? ', außer ' : ', except '}${datesPhrase(facts.exceptions, facts.start.year, language)}`;
  }
  if (facts.additions.length > 0) {
    text += `${de ? ', zusätzlich ' : ', also '}${facts.additions.length > MAX_LISTED_DATES ? '' : de ? 'am ' : 'on '}${datesPhrase(facts.additions, facts.start.year, language)}`;
  }
  if (facts.moved > 0) {
    if (de) text += `, ${facts.moved} ${facts.moved === 1 ? 'Termin' : 'Termine'} verschoben`;
    else text += `, ${facts.moved} ${facts.moved === 1 ? 'date' : 'dates'} moved`;
  }
  return text;
}
