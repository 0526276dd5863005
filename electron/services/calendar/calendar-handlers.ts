import type { RatsdeskHandlers } from '../../contract';
import type { CalendarService } from './calendar-service';

/** The `calendar` domain, answered by CalendarService. */
export function calendarHandlers(calendar: CalendarService): RatsdeskHandlers['calendar'] {
  return {
    invitation: ({ id }) => calendar.invitation(id),
    respond: ({ id, answer, comment, language }) => calendar.respond(id, answer, comment, language),
    importAttachment: ({ id, partId }) => calendar.importAttachment(id, partId),
    dates: (input) => calendar.dates(input),
  };
}
