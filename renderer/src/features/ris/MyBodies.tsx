import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingSummary } from '../../../../electron/contract/ris';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { AgendaList } from './AgendaList';
import { formatMeetingTime, formatRisDateTime } from './ris-format';
import { type BodySummary, type OrganizationSummary, useRis } from './ris-store';
import { VirtualList } from './VirtualList';

function OrganizationChooser({ body }: { body: BodySummary }) {
  const { t } = useTranslation();
  const organizations = useRis((s) => s.organizations[body.id]);
  const choose = useRis((s) => s.chooseOrganizations);
  const [chosen, setChosen] = useState<Set<string> | undefined>(undefined);
  if (!organizations) return null;
  const current = chosen ?? new Set(organizations.filter((o) => o.chosen).map((o) => o.id));
  const toggle = (id: string) => {
    const next = new Set(current);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };
  const title = t('ris.bodies.organizations', { body: body.shortName ?? body.name ?? '' });
  return (
    <fieldset className="ris-chooser">
      <legend>{title}</legend>
      <p className="ris-muted">{t('ris.bodies.chooseHint')}</p>
      <VirtualList<OrganizationSummary>
        items={organizations}
        label={title}
        estimateSize={30}
        maxHeight={240}
        itemKey={(o) => o.id}
        renderItem={(o) => (
          <label className="ris-check">
            <input type="checkbox" checked={current.has(o.id)} onChange={() => toggle(o.id)} />
            {o.name ?? o.id}
            {o.classification && <span className="ris-muted"> ({o.classification})</span>}
          </label>
        )}
      />
      <button
        type="button"
        onClick={() => {
          void choose(body.id, [...current]);
          setChosen(undefined);
        }}
      >
        {t('ris.bodies.save')}
      </button>
    </fieldset>
  );
}

function UpcomingMeeting({ meeting }: { meeting: MeetingSummary }) {
  const { t, i18n } = useTranslation();
  const agenda = useRis((s) => s.agendas[meeting.id]);
  const toggleAgenda = useRis((s) => s.toggleAgenda);
  const navigate = useRis((s) => s.navigate);
  return (
    <div className="ris-upcoming-item">
      <button
        type="button"
        className="ris-link-button"
        onClick={() => void navigate({ view: 'meeting', id: meeting.id })}
      >
        {meeting.name ?? meeting.id}
      </button>
      <span className="ris-muted">
        {formatMeetingTime(meeting.start, meeting.end, i18n.language)}
        {meeting.location ? ` · ${meeting.location}` : ''}
      </span>
      <button type="button" aria-expanded={agenda !== undefined} onClick={() => void toggleAgenda(meeting.id)}>
        {agenda ? t('ris.upcoming.hideAgenda') : t('ris.upcoming.showAgenda')}
      </button>
      {agenda && <AgendaList meeting={agenda} maxHeight={260} />}
    </div>
  );
}

/** Where the body's system departs from OParl and how Ratsdesk copes (collapsed; IT wants to know). */
function Deviations({ body }: { body: BodySummary }) {
  const { t } = useTranslation();
  if (body.deviations.length === 0) return null;
  return (
    <details className="ris-deviations">
      <summary>{t('ris.deviations.heading', { count: body.deviations.length })}</summary>
      <ul>
        {body.deviations.map((d) => (
          <li key={`${d.code} ${d.url}`} data-deviation={d.code}>
            {t(`ris.deviations.${d.code}`, { url: d.url })}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** "My bodies": the councils, the chosen committees, and their upcoming meetings with agenda. */
export function MyBodies() {
  const { t, i18n } = useTranslation();
  const { bodies, bodiesError, syncing, syncProgress, upcoming, organizations } = useRis();
  const syncBody = useRis((s) => s.syncBody);
  const loadOrganizations = useRis((s) => s.loadOrganizations);
  return (
    <section className="ris-bodies" aria-labelledby="ris-bodies-heading">
      <h2 id="ris-bodies-heading">{t('ris.bodies.heading')}</h2>
      <ErrorMessage error={bodiesError} />
      {bodies.length === 0 && !bodiesError && <p className="ris-muted">{t('ris.bodies.none')}</p>}
      <ul className="ris-body-list">
        {bodies.map((b) => {
          const busy = syncing[b.id] === true;
          const progress = syncProgress[b.id];
          return (
            <li key={b.id}>
              <strong>{b.name ?? b.shortName ?? b.id}</strong>
              <span className="ris-muted">
                {b.lastSync
                  ? t('ris.bodies.lastSync', { date: formatRisDateTime(b.lastSync, i18n.language) })
                  : t('ris.bodies.neverSynced')}
              </span>
              <button type="button" disabled={busy} onClick={() => void syncBody(b.id)}>
                {busy ? t('ris.bodies.syncing') : t('ris.bodies.sync')}
              </button>
              {progress && (
                <span role="status" className="ris-muted">
                  {t('ris.bodies.syncProgress', {
                    list: t(`ris.bodies.lists.${progress.list}`),
                    objects: progress.objects,
                  })}
                </span>
              )}
              {!organizations[b.id] && b.lastSync && (
                <button type="button" onClick={() => void loadOrganizations(b.id)}>
                  {t('ris.bodies.choose')}
                </button>
              )}
              <OrganizationChooser body={b} />
              <Deviations body={b} />
            </li>
          );
        })}
      </ul>

      <h2>{t('ris.upcoming.heading')}</h2>
      {upcoming.length === 0 ? (
        <p className="ris-muted">{t('ris.upcoming.none')}</p>
      ) : (
        <VirtualList<MeetingSummary>
          items={upcoming}
          label={t('ris.upcoming.list')}
          estimateSize={72}
          maxHeight={520}
          itemKey={(m) => m.id}
          renderItem={(m) => <UpcomingMeeting meeting={m} />}
        />
      )}
    </section>
  );
}
