import { useTranslation } from 'react-i18next';
import type { PaperView as Paper } from '../../../../electron/contract/ris';
import { MyNotes } from '../notes/MyNotes';
import { FileList } from './FileList';
import { InsecureMark } from './InsecureMark';
import { formatRisDate, formatRisDateTime } from './ris-format';
import { useRis } from './ris-store';

/** Consulted when every consultation's meeting lies in the past. */
function paperStatus(paper: Paper, now: Date): 'statusOpen' | 'statusDone' | undefined {
  const starts = paper.consultations.map((c) => (c.meetingStart ? Date.parse(c.meetingStart) : Number.NaN));
  if (starts.length === 0 || starts.some((s) => Number.isNaN(s))) return undefined;
  return starts.every((s) => s < now.getTime()) ? 'statusDone' : 'statusOpen';
}

/** A paper (Vorlage): subject, reference, type, date, status, consultations and its files. */
export function PaperView({ paper }: { paper: Paper }) {
  const { t, i18n } = useTranslation();
  const navigate = useRis((s) => s.navigate);
  const status = paperStatus(paper, new Date());
  return (
    <article className="ris-object" aria-labelledby="ris-paper-title">
      <p className="ris-kind">{t('ris.paper.label')}</p>
      <h1 id="ris-paper-title" tabIndex={-1}>
        {paper.name ?? paper.reference ?? paper.id}
      </h1>
      {paper.insecure && <InsecureMark />}
      <dl className="ris-facts">
        <dt>{t('ris.paper.reference')}</dt>
        <dd>{paper.reference ?? '–'}</dd>
        <dt>{t('ris.paper.type')}</dt>
        <dd>{paper.paperType ?? '–'}</dd>
        <dt>{t('ris.paper.date')}</dt>
        <dd>{formatRisDate(paper.date, i18n.language) || '–'}</dd>
        <dt>{t('ris.paper.status')}</dt>
        <dd>{status ? t(`ris.paper.${status}`) : '–'}</dd>
      </dl>

      <h2>{t('ris.paper.consultations')}</h2>
      {paper.consultations.length === 0 ? (
        <p className="ris-muted">{t('ris.paper.noConsultations')}</p>
      ) : (
        <table className="ris-table" aria-label={t('ris.paper.consultations')}>
          <thead>
            <tr>
              <th scope="col">{t('ris.paper.date')}</th>
              <th scope="col">{t('ris.paper.body')}</th>
              <th scope="col">{t('ris.paper.meeting')}</th>
              <th scope="col">{t('ris.paper.agendaItem')}</th>
              <th scope="col">{t('ris.paper.role')}</th>
            </tr>
          </thead>
          <tbody>
            {paper.consultations.map((c) => (
              <tr key={c.id}>
                <td>{formatRisDateTime(c.meetingStart, i18n.language)}</td>
                <td>{c.organizations.join(', ')}</td>
                <td>
                  {c.meetingId ? (
                    <button
                      type="button"
                      className="ris-link-button"
                      onClick={() => void navigate({ view: 'meeting', id: c.meetingId as string })}
                    >
                      {c.meetingName ?? c.meetingId}
                    </button>
                  ) : (
                    (c.meetingName ?? '–')
                  )}
                </td>
                <td>{c.agendaItemNumber ?? ''}</td>
                <td>
                  {c.role ?? ''}
                  {c.authoritative ? ` (${t('ris.paper.authoritative')})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t('ris.paper.files')}</h2>
      <FileList files={paper.files} label={t('ris.paper.files')} insecure={paper.insecure} />

      <MyNotes
        scope={{ kind: 'paper', ref: paper.id }}
        title={[paper.reference, paper.name].filter(Boolean).join(' ') || paper.id}
      />
    </article>
  );
}
