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
