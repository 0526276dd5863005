import { useTranslation } from 'react-i18next';
import type { MeetingView } from '../../../../electron/contract/ris';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { formatRisDate } from './ris-format';
import { useRis } from './ris-store';

/** "Available offline" for a meeting: button, progress bar, result. A partial run can be continued. */
export function OfflineControl({ meeting }: { meeting: MeetingView }) {
  const { t, i18n } = useTranslation();
  const progress = useRis((s) => s.offline[meeting.id]);
  const makeOffline = useRis((s) => s.makeOffline);
  const running = progress?.state === 'running';
  const complete = progress ? progress.state === 'complete' : meeting.offline === 'complete';
  const label = complete
    ? t('ris.offline.complete')
    : progress?.state === 'failed'
      ? t('ris.offline.retry')
      : meeting.offline === 'partial' || progress?.state === 'paused'
        ? t('ris.offline.resume')
        : t('ris.offline.make');
  return (
    <section className="ris-offline" aria-label={t('ris.offline.progress')}>
      <button
        type="button"
        onClick={() => void makeOffline(meeting.id)}
        disabled={running}
        aria-pressed={complete}
        className={complete ? 'ris-offline-done' : undefined}
      >
        {label}
      </button>
      {progress && (
        <div className="ris-offline-progress">
          <progress
            aria-label={t('ris.offline.progress')}
            max={Math.max(progress.total, 1)}
            value={progress.total > 0 ? progress.done : undefined}
          />
          <span role="status" aria-live="polite">
            {progress.total > 0 ? t('ris.offline.status', { done: progress.done, total: progress.total }) : ''}
            {progress.state === 'complete' && progress.pinnedUntil
              ? ` ${t('ris.offline.pinnedUntil', { date: formatRisDate(progress.pinnedUntil, i18n.language) })}`
              : ''}
          </span>
          {progress.failed > 0 && (
            <span className="ris-muted">{t('ris.offline.failed', { count: progress.failed })}</span>
          )}
        </div>
      )}
      <ErrorMessage error={progress?.error} />
    </section>
  );
}
