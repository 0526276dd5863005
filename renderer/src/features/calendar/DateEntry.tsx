import { useTranslation } from 'react-i18next';
import type { CalendarDate } from '../../../../electron/contract/calendar';
import { useNavigation } from '../../app/navigation-store';
import { useRis } from '../ris/ris-store';
import { formatClockSpan } from './calendar-format';
import { useCalendar } from './calendar-store';

/** One click from a meeting to its agenda: the council area's meeting view. */
export function openAgenda(meetingId: string): void {
  useNavigation.getState().showArea('ris');
  void useRis.getState().navigate({ view: 'meeting', id: meetingId });
}

/** The small print of a date: offline state of a meeting, the person's answer for an invitation. */
function DateMarks({ date }: { date: CalendarDate }) {
  const { t } = useTranslation();
  const marks: string[] = [];
  if (date.cancelled) marks.push(t('calendar.view.cancelled'));
  if (date.kind === 'meeting' && date.offline !== 'none') marks.push(t(`calendar.view.offline.${date.offline}`));
  if (date.kind === 'event') {
    if (date.source === 'import') marks.push(t('calendar.view.answer.imported'));
    else if (date.myAnswer === 'ACCEPTED' || date.myAnswer === 'TENTATIVE')
      marks.push(t(`calendar.view.answer.${date.myAnswer}`));
  }
  if (marks.length === 0) return null;
  return <span className="date-marks"> ({marks.join(', ')})</span>;
}

/**
 * One date in the grid (compact) or the list (with place, bodies and export). Cancelled dates are struck
 * through and say so in words; a meeting opens its agenda with one click.
 */
export function DateEntry({
  date,
  compact,
  tabIndex,
}: {
  date: CalendarDate;
  compact: boolean;
  /** The grid keeps only the focused day's entries in the tab order. */
  tabIndex?: number;
}) {
  const { t, i18n } = useTranslation();
  const exporting = useCalendar((s) => s.exporting);
  const exportMeetings = useCalendar((s) => s.exportMeetings);
  const time = date.allDay ? t('calendar.view.allDay') : formatClockSpan(date.start, date.end, i18n.language);
  const title = date.title || t(date.kind === 'meeting' ? 'calendar.view.meeting' : 'calendar.view.event');
  const titleText = date.cancelled ? <s>{title}</s> : title;
  const language = i18n.language.startsWith('en') ? 'en' : 'de';
  return (
    <div
      className={`date-entry date-${date.kind}${date.cancelled ? ' cancelled' : ''}`}
      data-kind={date.kind}
      data-cancelled={date.cancelled || undefined}
      data-offline={date.kind === 'meeting' ? date.offline : undefined}
    >
      <span className="date-time">{time}</span>{' '}
      {date.kind === 'meeting' ? (
        <button
          type="button"
          className="date-title link"
          tabIndex={tabIndex}
          aria-label={`${t('calendar.view.openAgenda', { title })}${date.cancelled ? `, ${t('calendar.view.cancelled')}` : ''}, ${time}`}
          onClick={() => openAgenda(date.id)}
        >
          {titleText}
        </button>
      ) : (
        <span className="date-title">{titleText}</span>
      )}
      <DateMarks date={date} />
      {!compact && date.location && <span className="date-location">, {date.location}</span>}
      {!compact && date.kind === 'meeting' && date.bodies.length > 0 && (
        <span className="date-bodies"> – {date.bodies.join(', ')}</span>
      )}
      {!compact && date.kind === 'event' && date.organizer && <span className="date-bodies"> – {date.organizer}</span>}
      {!compact && date.kind === 'meeting' && (
        <span className="date-actions">
          {' '}
          <button
            type="button"
            disabled={exporting}
            aria-label={t('calendar.view.exportOneLabel', { title })}
            onClick={() => void exportMeetings(date.id, language)}
          >
            {t('calendar.view.exportOne')}
          </button>
        </span>
      )}
    </div>
  );
}
