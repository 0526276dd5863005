import { useTranslation } from 'react-i18next';
import type { MeetingView as Meeting } from '../../../../electron/contract/ris';
import { MyNotes } from '../notes/MyNotes';
import { FileList } from './FileList';
import { InsecureMark } from './InsecureMark';
import { OfflineControl } from './OfflineControl';
import { formatMeetingTime } from './ris-format';
import { AgendaList } from './AgendaList';

/** A meeting: body, date and time, location, state, agenda (items link to their papers) and files. */
export function MeetingView({ meeting }: { meeting: Meeting }) {
  const { t, i18n } = useTranslation();
  const bodies = meeting.organizations.map((o) => o.name ?? o.id).join(', ');
  return (
    <article className="ris-object" aria-labelledby="ris-meeting-title">
      <p className="ris-kind">{t('ris.meeting.label')}</p>
      <h1 id="ris-meeting-title" tabIndex={-1}>
        {meeting.name ?? bodies ?? meeting.id}
      </h1>
      {meeting.insecure && <InsecureMark />}
      <dl className="ris-facts">
        <dt>{t('ris.meeting.body')}</dt>
        <dd>{bodies || '–'}</dd>
        <dt>{t('ris.meeting.date')}</dt>
        <dd>{formatMeetingTime(meeting.start, meeting.end, i18n.language) || '–'}</dd>
        <dt>{t('ris.meeting.location')}</dt>
        <dd>{meeting.location ?? '–'}</dd>
        <dt>{t('ris.meeting.state')}</dt>
        <dd>
          {meeting.state ?? '–'}
          {meeting.cancelled ? ` (${t('ris.meeting.cancelled')})` : ''}
        </dd>
      </dl>
      <OfflineControl meeting={meeting} />

      <h2>{t('ris.meeting.agenda')}</h2>
      <AgendaList meeting={meeting} />

      <h2>{t('ris.meeting.files')}</h2>
      <FileList files={meeting.files} label={t('ris.meeting.files')} insecure={meeting.insecure} />

      <MyNotes
        scope={{ kind: 'meeting', ref: meeting.id }}
        title={meeting.name ?? bodies ?? meeting.id}
        agenda={meeting.agenda.map((a) => ({
          id: a.id,
          label: [a.number, a.name ?? a.paperName].filter(Boolean).join(' '),
        }))}
      />
    </article>
  );
}
