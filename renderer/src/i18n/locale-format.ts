/**
 * Numbers, sizes, dates and times in the UI language: one formatter per kind, so that every view writes
 * 29.11.2026, 14:05 and 1,2 MB in German and 29/11/2026, 14:05 and 1.2 MB in English. The UI language is
 * 'de' or 'en'; English is British English (day before month, 24-hour clock), as the city's staff read it.
 * Callers pass `i18n.language`; a full tag ('en-US', 'de-AT') is taken as it is. The formatters are kept
 * (date-time-format.ts): building one per call cost about a millisecond per list row.
 */

import { dateTimeFormat, localeOf } from './date-time-format';

export { localeOf };

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(language: string, maximumFractionDigits?: number): Intl.NumberFormat {
  const key = `${language}\u0000${maximumFractionDigits ?? ''}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(localeOf(language), { maximumFractionDigits });
    numberFormats.set(key, format);
  }
  return format;
}

const DATE: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const DATE_TIME: Intl.DateTimeFormatOptions = { ...DATE, ...TIME };

/** A count or any other number: 1.240 in German, 1,240 in English. */
export function formatNumber(value: number, language: string): string {
  return numberFormat(language).format(value);
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/**
 * A byte count for people: 1 KB = 1,000 bytes (as the sizes in the council systems are given), one decimal
 * below 100 of a unit: "1,2 MB" in German, "1.2 MB" in English. '' for no size (null, 0 or negative).
 */
export function formatBytes(bytes: number | null, language: string): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes <= 0) return '';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const number = numberFormat(language, digits).format(value);
  return `${number} ${UNITS[unit]}`;
}

/** A Date from an ISO string or a Date; undefined for a missing or unreadable value. */
function toDate(value: string | Date | null | undefined): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** 29.11.2026 (German), 29/11/2026 (English); '' for a missing or unreadable date. */
export function formatDate(value: string | Date | null | undefined, language: string): string {
  const date = toDate(value);
  if (!date) return '';
  return dateTimeFormat(language, DATE).format(date);
}

/** 14:05 in both languages; '' for a missing or unreadable time. */
export function formatTime(value: string | Date | null | undefined, language: string): string {
  const date = toDate(value);
  if (!date) return '';
  return dateTimeFormat(language, TIME).format(date);
}

/** 29.11.2026, 14:05 (German), 29/11/2026, 14:05 (English); '' for a missing or unreadable value. */
export function formatDateTime(value: string | Date | null | undefined, language: string): string {
  const date = toDate(value);
  if (!date) return '';
  return dateTimeFormat(language, DATE_TIME).format(date);
}

/** The weekday: "Montag", "Monday" (`style` 'short': "Mo.", "Mon"). */
export function formatWeekday(value: string | Date, language: string, style: 'long' | 'short' = 'long'): string {
  const date = toDate(value);
  if (!date) return '';
  return dateTimeFormat(language, { weekday: style }).format(date);
}
