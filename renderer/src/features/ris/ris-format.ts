import { dateTimeFormat } from '../../i18n/date-time-format';

const DATE: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric' };
const DATE_TIME: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
};
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };

/** Dates of papers and meetings in the UI language; '' for a missing or unreadable value. */
export function formatRisDate(iso: string | null, language: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTimeFormat(language, DATE).format(date);
}

export function formatRisDateTime(iso: string | null, language: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTimeFormat(language, DATE_TIME).format(date);
}

/** Meeting time span: "Di., 03.02.2026, 17:00 – 19:30". */
export function formatMeetingTime(start: string | null, end: string | null, language: string): string {
  const from = formatRisDateTime(start, language);
  if (!end || !start) return from;
  const s = new Date(start);
  const e = new Date(end);
  if (Number.isNaN(e.getTime())) return from;
  const sameDay = s.toDateString() === e.toDateString();
  const until = sameDay ? dateTimeFormat(language, TIME).format(e) : formatRisDateTime(end, language);
  return `${from} – ${until}`;
}
