/** Today: time only; otherwise the date, in the UI language. */
export function formatMessageDate(iso: string | null, language: string, now = new Date()): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = date.toDateString() === now.toDateString();
  return sameDay
    ? date.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString(language, { day: '2-digit', month: '2-digit', year: 'numeric' });
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
  if (date.toDateString() === now.toDateString())
    return date.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });
  if (date >= startOfWeek && date < startOfToday) return date.toLocaleDateString(language, { weekday: 'long' });
  return date.toLocaleDateString(language, { day: '2-digit', month: '2-digit', year: 'numeric' });
}
