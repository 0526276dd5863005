import type { ReadMessage } from '../../../../electron/contract/mail-reader';

const CALENDAR_TYPES = new Set(['text/calendar', 'application/ics']);

/** Whether a read mail carries a calendar part (an invitation or an .ics file): only then is the card asked for. */
export function hasCalendarPart(attachments: ReadMessage['attachments']): boolean {
  return attachments.some((a) => CALENDAR_TYPES.has(a.mimeType) || a.filename.toLowerCase().endsWith('.ics'));
}
