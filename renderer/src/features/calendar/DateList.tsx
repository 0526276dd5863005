import { useTranslation } from 'react-i18next';
import type { CalendarDate } from '../../../../electron/contract/calendar';
import { DateEntry } from './DateEntry';
import { formatLongDay } from './calendar-format';
import { addDays, dayKey, touchesDay } from './calendar-range';

const LIST_DAYS = 56;

/** The list view: day by day from `from`, only days with dates, each a heading over a list of its dates. */
export function DateList({ dates, from }: { dates: CalendarDate[]; from: Date }) {
  const { t, i18n } = useTranslation();
  const days: { day: Date; dates: CalendarDate[] }[] = [];
  for (let i = 0; i < LIST_DAYS; i++) {
    const day = addDays(from, i);
    const onDay = dates.filter((d) => touchesDay(d.start, d.end, day));
    if (onDay.length > 0) days.push({ day, dates: onDay });
  }
  if (days.length === 0) return <p className="calendar-empty">{t('calendar.view.empty')}</p>;
  return (
    <ol className="date-list" aria-label={t('calendar.view.agenda')}>
      {days.map(({ day, dates: onDay }) => {
        const headingId = `calendar-day-${dayKey(day)}`;
        return (
          <li key={dayKey(day)} className="date-list-day">
            <h2 id={headingId}>{formatLongDay(day, i18n.language)}</h2>
            <ul aria-labelledby={headingId}>
              {onDay.map((d) => (
                <li key={`${d.kind}-${d.id}-${d.start}`}>
                  <DateEntry date={d} compact={false} />
                </li>
              ))}
            </ul>
          </li>
        );
      })}
    </ol>
  );
}
