import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { CalendarGrid } from './CalendarGrid';
import { DateList } from './DateList';
import { formatMonth, formatShortDate } from './calendar-format';
import { type CalendarMode, visibleRange, addDays } from './calendar-range';
import { useCalendar } from './calendar-store';

const MODES: CalendarMode[] = ['week', 'month', 'agenda'];

/** The shown period in words: "März 2026", or "17.03.2026 – 23.03.2026". */
function periodLabel(mode: CalendarMode, anchor: Date, language: string): string {
  if (mode === 'month') return formatMonth(anchor, language);
  const { from, to } = visibleRange(mode, anchor);
  return `${formatShortDate(from, language)} – ${formatShortDate(addDays(to, -1), language)}`;
}

/**
 * "Termine": the meetings of the person's bodies (all bodies as a filter) and their accepted invitations, as a
 * week, a month or a list; each meeting one click from its agenda; export to .ics through the save dialog.
 */
export function CalendarArea() {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const s = useCalendar();
  const language = i18n.language.startsWith('en') ? 'en' : 'de';

  useEffect(() => {
    void useCalendar.getState().load();
  }, []);

  const outcome = s.exportOutcome;
  return (
    <section className="calendar-area" aria-labelledby={headingId}>
      <header className="calendar-toolbar">
        <h1 id={headingId} tabIndex={-1}>
          {t('calendar.view.heading')}
        </h1>
        <div role="group" aria-label={t('calendar.view.modes')} className="calendar-modes">
          {MODES.map((mode) => (
            <button key={mode} type="button" aria-pressed={s.mode === mode} onClick={() => void s.setMode(mode)}>
              {t(`calendar.view.${mode}`)}
            </button>
          ))}
        </div>
        <div className="calendar-steps">
          <button type="button" onClick={() => void s.step(-1)} aria-label={t('calendar.view.previous')}>
            ←
          </button>
          <button type="button" onClick={() => void s.today()}>
            {t('calendar.view.today')}
          </button>
          <button type="button" onClick={() => void s.step(1)} aria-label={t('calendar.view.next')}>
            →
          </button>
        </div>
        <p className="calendar-period" aria-live="polite">
          {t('calendar.view.range', { range: periodLabel(s.mode, s.anchor, i18n.language) })}
        </p>
        <label className="calendar-filter">
          <input type="checkbox" checked={s.allBodies} onChange={(e) => void s.setAllBodies(e.target.checked)} />{' '}
          {t('calendar.view.allBodies')}
        </label>
        <button
          type="button"
          className="calendar-export-all"
          disabled={s.exporting}
          aria-busy={s.exporting}
          onClick={() => void s.exportMeetings(undefined, language)}
        >
          {t('calendar.view.exportAll')}
        </button>
      </header>
      {outcome && 'error' in outcome && <ErrorMessage error={outcome.error} />}
      {outcome && !('error' in outcome) && (
        <p role="status" className="calendar-export-status">
          {outcome.saved ? t('calendar.view.exported', { count: outcome.exported }) : t('calendar.view.notSaved')}
        </p>
      )}
      {s.loading && (
        <p role="status" className="calendar-loading">
          {t('calendar.view.loading')}
        </p>
      )}
      <ErrorMessage error={s.error} />
      {s.councilError && s.councilError.code !== 'APP_LOCKED' && (
        <p className="notice calendar-no-council" role="note" data-error-code={s.councilError.code}>
          {t('calendar.view.noCouncil')}
        </p>
      )}
      {s.mode === 'agenda' ? (
        <DateList dates={s.dates} from={visibleRange('agenda', s.anchor).from} />
      ) : (
        <CalendarGrid mode={s.mode} anchor={s.anchor} dates={s.dates} />
      )}
    </section>
  );
}
