import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarDate } from '../../../../electron/contract/calendar';
import { formatWeekday } from '../../i18n/locale-format';
import { DateEntry } from './DateEntry';
import { formatDayHeading, formatLongDay, formatMonth } from './calendar-format';
import { addDays, type CalendarMode, dayKey, sameDay, touchesDay, visibleWeeks } from './calendar-range';
import { useCalendar } from './calendar-store';

/** Arrow keys, Home/End and Page Up/Down: how many days each moves the focused day. */
const MOVES: Record<string, (day: Date) => Date> = {
  ArrowLeft: (d) => addDays(d, -1),
  ArrowRight: (d) => addDays(d, 1),
  ArrowUp: (d) => addDays(d, -7),
  ArrowDown: (d) => addDays(d, 7),
  Home: (d) => addDays(d, -((d.getDay() + 6) % 7)),
  End: (d) => addDays(d, 6 - ((d.getDay() + 6) % 7)),
  PageUp: (d) => new Date(d.getFullYear(), d.getMonth() - 1, d.getDate()),
  PageDown: (d) => new Date(d.getFullYear(), d.getMonth() + 1, d.getDate()),
};

/**
 * The week (one row) and the month (its weeks) as an ARIA grid: a column per weekday, a cell per day with
 * that day's dates. One day is in the tab order at a time (roving focus); the arrow keys move it, also into
 * the next week or month; Tab goes on to the focused day's dates.
 */
export function CalendarGrid({
  mode,
  anchor,
  dates,
}: {
  mode: Exclude<CalendarMode, 'agenda'>;
  anchor: Date;
  dates: CalendarDate[];
}) {
  const { t, i18n } = useTranslation();
  const weeks = visibleWeeks(mode, anchor);
  const table = useRef<HTMLTableElement>(null);
  const focusAfterMove = useRef(false);
  const today = new Date();

  useEffect(() => {
    if (!focusAfterMove.current) return;
    focusAfterMove.current = false;
    table.current?.querySelector<HTMLElement>(`[data-day="${dayKey(anchor)}"]`)?.focus();
  }, [anchor, weeks.length]);

  function onKeyDown(e: KeyboardEvent<HTMLTableCellElement>, day: Date) {
    const move = MOVES[e.key];
    if (!move || e.target !== e.currentTarget) return;
    e.preventDefault();
    const next = move(day);
    const shown = weeks.some((w) => w.some((d) => sameDay(d, next)));
    focusAfterMove.current = true;
    const store = useCalendar.getState();
    if (shown) store.setAnchor(next);
    else {
      // Beyond the shown week or month: show the one the day lies in.
      useCalendar.setState({ anchor: next });
      void store.load();
    }
  }

  const caption =
    mode === 'month'
      ? formatMonth(anchor, i18n.language)
      : `${t('calendar.view.week')} ${formatLongDay(weeks[0]![0]!, i18n.language)}`;
  return (
    <>
      <p id="calendar-grid-hint" className="visually-hidden">
        {t('calendar.view.gridHint')}
      </p>
      <table
        ref={table}
        role="grid"
        className={`calendar-grid calendar-${mode}`}
        aria-describedby="calendar-grid-hint"
        aria-readonly="true"
      >
        <caption>{caption}</caption>
        <thead>
          <tr>
            {weeks[0]!.map((day) => (
              <th key={day.getDay()} scope="col" role="columnheader">
                {formatWeekday(day, i18n.language)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={dayKey(week[0]!)}>
              {week.map((day) => {
                const focused = sameDay(day, anchor);
                const onDay = dates.filter((d) => touchesDay(d.start, d.end, day));
                const outside = mode === 'month' && day.getMonth() !== anchor.getMonth();
                const label = `${formatLongDay(day, i18n.language)}, ${t('calendar.view.dayEntries', { count: onDay.length })}`;
                return (
                  <td
                    key={dayKey(day)}
                    role="gridcell"
                    data-day={dayKey(day)}
                    tabIndex={focused ? 0 : -1}
                    aria-selected={focused}
                    aria-current={sameDay(day, today) ? 'date' : undefined}
                    className={`calendar-day${outside ? ' outside' : ''}${focused ? ' focused' : ''}`}
                    onKeyDown={(e) => onKeyDown(e, day)}
                    onFocus={(e) => {
                      if (e.target === e.currentTarget && !focused) useCalendar.getState().setAnchor(day);
                    }}
                  >
                    {/* The cell is named by its content (WCAG 2.5.3: what is seen is part of the name): the short
                        day shown, the full date and the number of dates for the screen reader, then the entries. */}
                    <span className="day-number">
                      <span aria-hidden="true">
                        {mode === 'week' ? formatDayHeading(day, i18n.language) : day.getDate()}
                      </span>
                      <span className="visually-hidden">{label}</span>
                    </span>
                    {onDay.length > 0 && (
                      <ul>
                        {onDay.map((d) => (
                          <li key={`${d.kind}-${d.id}-${d.start}`}>
                            <DateEntry date={d} compact tabIndex={focused ? 0 : -1} />
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {dates.length === 0 && <p className="calendar-empty">{t('calendar.view.empty')}</p>}
    </>
  );
}
