import { useTranslation } from 'react-i18next';
import type { MeetingView } from '../../../../electron/contract/ris';
import { useRis } from './ris-store';
import { VirtualList } from './VirtualList';

type AgendaEntry = MeetingView['agenda'][number];

/** A meeting's agenda; an item with a paper links to it. Virtualized: agendas of big councils run long. */
export function AgendaList({ meeting, maxHeight = 480 }: { meeting: MeetingView; maxHeight?: number }) {
  const { t } = useTranslation();
  const navigate = useRis((s) => s.navigate);
  if (meeting.agenda.length === 0) return <p className="ris-muted">{t('ris.meeting.noAgenda')}</p>;
  return (
    <VirtualList<AgendaEntry>
      items={meeting.agenda}
      label={`${t('ris.meeting.agenda')}: ${meeting.name ?? ''}`}
      estimateSize={44}
      maxHeight={maxHeight}
      itemKey={(a) => a.id}
      className="ris-agenda"
      renderItem={(a) => (
        <div className="ris-agenda-item">
          <span className="ris-agenda-number">{a.number ?? ''}</span>
          <span className="ris-agenda-name">
            {a.name ?? a.paperName ?? ''}
            {a.public === false && <span className="ris-badge">{t('ris.meeting.nonPublic')}</span>}
            {a.result && <span className="ris-muted"> – {a.result}</span>}
          </span>
          {a.paperId && (
            <button
              type="button"
              className="ris-link-button"
              aria-label={t('ris.meeting.openPaper', { reference: a.paperReference ?? a.paperName ?? '' })}
              onClick={() => void navigate({ view: 'paper', id: a.paperId as string })}
            >
              {a.paperReference ?? a.paperName ?? t('ris.paper.label')}
            </button>
          )}
        </div>
      )}
    />
  );
}
