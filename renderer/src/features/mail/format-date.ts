import { dateTimeFormat } from '../../i18n/date-time-format';

const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const DATE: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric' };
const WEEKDAY: Intl.DateTimeFormatOptions = { weekday: 'long' };

/** Today: time only; otherwise the date, in the UI language. */
export function formatMessageDate(iso: string | null, language: string, now = new Date()): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = date.toDateString() === now.toDateString();
  return sameDay ? dateTimeFormat(language, TIME).format(date) : dateTimeFormat(language, DATE).format(date);
}

/**
 * The date column of the message list: today the time (14:05), within the last six days the weekday
 * (Montag), older the date (29.11.2026), all in the UI language.
 */
export function formatListDate(iso: string | null, language: string, now = new Date()): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const startOfWeek = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 6);
  if (date.toDateString() === now.toDateString()) return dateTimeFormat(language, TIME).format(date);
  if (date >= startOfWeek && date < startOfToday) return dateTimeFormat(language, WEEKDAY).format(date);
  return dateTimeFormat(language, DATE).format(date);
}
