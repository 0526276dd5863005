import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventChangeView, Invitation, ReplyAnswerValue } from '../../../../electron/contract/calendar';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import { api } from '../../ratsdesk-api';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { formatSpan } from './calendar-format';

const ANSWERS: { answer: ReplyAnswerValue; key: 'accept' | 'tentative' | 'decline' }[] = [
  { answer: 'ACCEPTED', key: 'accept' },
  { answer: 'TENTATIVE', key: 'tentative' },
  { answer: 'DECLINED', key: 'decline' },
];

type Loaded = { id: number; invitation: Invitation | null; error?: ErrorInfo };
type Status = { id: number; text: string; error?: ErrorInfo };

/** One change of an updated invitation in words, times in the person's zone. */
function useChangeText(): (change: EventChangeView) => string {
  const { t, i18n } = useTranslation();
  const language = i18n.language.startsWith('en') ? 'en' : 'de';
  const none = t('calendar.card.change.none');
  return (change) => {
    switch (change.field) {
      case 'time':
        return t('calendar.card.change.time', {
          after: formatSpan(change.after.start, change.after.end, change.after.allDay, i18n.language),
          before: formatSpan(change.before.start, change.before.end, change.before.allDay, i18n.language),
        });
      case 'recurrence':
        return t('calendar.card.change.recurrence', {
          after: change.after?.[language] ?? none,
          before: change.before?.[language] ?? none,
        });
      case 'location':
      case 'summary':
        return t(`calendar.card.change.${change.field}`, {
          after: change.after || none,
          before: change.before || none,
        });
      case 'description':
        return t('calendar.card.change.description');
      case 'status':
        return change.after === 'CANCELLED'
          ? t('calendar.card.cancelled')
          : t('calendar.card.change.status', { after: change.after ?? none });
    }
  };
}

/**
 * The invitation above a mail (iTIP over iMIP): title, time in the person's zone (and the organizer's when it
 * differs), recurrence in words, place, organizer, attendees with their answers, what an update changed, a
 * counter proposal's time; Zusagen / Vorläufig / Absagen send a REPLY through the outbox; an .ics file that is
 * no invitation can be taken into the calendar. Renders nothing for a mail without a calendar part.
 */
export function InvitationCard({ messageId }: { messageId: number }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const commentId = useId();
  const changeText = useChangeText();
  const [loaded, setLoaded] = useState<Loaded>();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>();

  useEffect(() => {
    let live = true;
    void api()
      .calendar.invitation({ id: messageId })
      .then((r) => {
        if (!live) return;
        setLoaded(r.ok ? { id: messageId, invitation: r.value } : { id: messageId, invitation: null, error: r.error });
      });
    return () => {
      live = false;
    };
  }, [messageId]);

  if (!loaded || loaded.id !== messageId) return null;
  if (loaded.error) {
    return (
      <section className="invitation-card" aria-label={t('calendar.card.label')}>
        <ErrorMessage error={loaded.error} />
      </section>
    );
  }
  const invitation = loaded.invitation;
  if (!invitation) return null;
  const language = i18n.language.startsWith('en') ? 'en' : 'de';
  const ownZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const canAnswer =
    invitation.method === 'REQUEST' &&
    !invitation.iAmOrganizer &&
    !invitation.cancelled &&
    invitation.verdict !== 'older';
  const canImport = (invitation.method === 'PUBLISH' || invitation.method === 'OTHER') && !invitation.inCalendar;
  const title =
    invitation.method === 'REQUEST' && invitation.verdict === 'newer'
      ? t('calendar.card.updated')
      : t(`calendar.card.method.${invitation.method}`);
  const current = status?.id === messageId ? status : undefined;

  async function reload() {
    const again = await api().calendar.invitation({ id: messageId });
    if (again.ok) setLoaded({ id: messageId, invitation: again.value });
  }

  async function answer(value: ReplyAnswerValue) {
    setBusy(true);
    const r = await api().calendar.respond({
      id: messageId,
      answer: value,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
      language,
    });
    setBusy(false);
    if (!r.ok) {
      setStatus({ id: messageId, text: '', error: r.error });
      return;
    }
    setStatus({ id: messageId, text: t(r.value.queued ? 'calendar.card.sent' : 'calendar.card.alreadySent') });
    await reload();
  }

  async function importIntoCalendar(partId: string) {
    setBusy(true);
    const r = await api().calendar.importAttachment({ id: messageId, partId });
    setBusy(false);
    if (!r.ok) {
      setStatus({ id: messageId, text: '', error: r.error });
      return;
    }
    setStatus({ id: messageId, text: t('calendar.card.imported', { count: r.value.imported }) });
    await reload();
  }

  const showOrganizerZone =
    invitation.timeZone !== null &&
    invitation.timeZone !== ownZone &&
    invitation.timeZone.includes('/') &&
    !invitation.allDay;

  return (
    <section
      className="invitation-card"
      aria-labelledby={headingId}
      data-method={invitation.method}
      data-cancelled={invitation.cancelled || undefined}
      data-my-answer={invitation.myAnswer ?? undefined}
    >
      <h3 id={headingId}>
        {title}:{' '}
        <span className="invitation-summary">
          {invitation.cancelled ? <s>{invitation.summary}</s> : invitation.summary}
        </span>
      </h3>
      {invitation.verdict === 'older' && <p className="notice">{t('calendar.card.older')}</p>}
      {invitation.cancelled && <p className="notice">{t('calendar.card.cancelled')}</p>}
      <dl>
        <dt>{t('calendar.card.when')}</dt>
        <dd>
          {formatSpan(invitation.start, invitation.end, invitation.allDay, i18n.language)}
          {showOrganizerZone && (
            <span className="organizer-zone">
              {' '}
              (
              {t('calendar.card.organizerZone', {
                time: formatSpan(
                  invitation.start,
                  invitation.end,
                  false,
                  i18n.language,
                  invitation.timeZone ?? undefined,
                ),
                zone: invitation.timeZone,
              })}
              )
            </span>
          )}
        </dd>
        {invitation.recurrence && (
          <>
            <dt>{t('calendar.card.recurrence')}</dt>
            <dd>{invitation.recurrence[language]}</dd>
          </>
        )}
        {invitation.location && (
          <>
            <dt>{t('calendar.card.where')}</dt>
            <dd>{invitation.location}</dd>
          </>
        )}
        {invitation.organizer && (
          <>
            <dt>{t('calendar.card.organizer')}</dt>
            <dd>
              {invitation.organizer.name
                ? `${invitation.organizer.name} <${invitation.organizer.email}>`
                : invitation.organizer.email}
            </dd>
          </>
        )}
        {invitation.attendees.length > 0 && (
          <>
            <dt>{t('calendar.card.attendees')}</dt>
            <dd>
              <ul className="attendees">
                {invitation.attendees.slice(0, 200).map((a) => (
                  <li key={a.email} data-partstat={a.partstat}>
                    {t('calendar.card.answer', {
                      name: a.name || a.email,
                      answer: t(`calendar.card.partstat.${a.partstat}`),
                    })}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {invitation.counter && (
          <>
            <dt>{t('calendar.card.proposed')}</dt>
            <dd className="counter-proposal">
              {formatSpan(
                invitation.counter.proposed.start,
                invitation.counter.proposed.end,
                invitation.counter.proposed.allDay,
                i18n.language,
              )}
              {invitation.counter.current &&
                ` (${t('calendar.card.current')}: ${formatSpan(
                  invitation.counter.current.start,
                  invitation.counter.current.end,
                  invitation.counter.current.allDay,
                  i18n.language,
                )})`}
              {invitation.counter.from && (
                <>
                  {' '}
                  –{' '}
                  {t('calendar.card.proposedBy', {
                    name: invitation.counter.from.name || invitation.counter.from.email,
                  })}
                </>
              )}
            </dd>
          </>
        )}
        {invitation.comment && (
          <>
            <dt>{t('calendar.card.comment')}</dt>
            <dd>{invitation.comment}</dd>
          </>
        )}
      </dl>
      {invitation.answers.length > 0 && (
        <ul className="invitation-answers" aria-label={t('calendar.card.answerGroup')}>
          {invitation.answers.map((a) => (
            <li key={a.email} data-email={a.email} data-partstat={a.after}>
              {t('calendar.card.answer', { name: a.name || a.email, answer: t(`calendar.card.partstat.${a.after}`) })}
            </li>
          ))}
        </ul>
      )}
      {invitation.changes.length > 0 && (
        <section className="invitation-changes" aria-label={t('calendar.card.changes')}>
          <h4>{t('calendar.card.changes')}</h4>
          <ul>
            {invitation.changes.map((c) => (
              <li key={c.field} data-field={c.field}>
                {changeText(c)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {invitation.notices.map((n) => (
        <p key={n.code} className="notice" role="note" data-notice={n.code}>
          {t(`calendar.card.notice.${n.code}`)}
        </p>
      ))}
      {invitation.inCalendar && <p className="in-calendar">{t('calendar.card.inCalendar')}</p>}
      {canAnswer && invitation.myAnswer && invitation.myAnswer !== 'NEEDS-ACTION' && (
        <p className="my-answer">
          {t('calendar.card.myAnswer', { answer: t(`calendar.card.partstat.${invitation.myAnswer}`) })}
        </p>
      )}
      {canAnswer && (
        <div className="invitation-answer">
          <label htmlFor={commentId}>{t('calendar.card.yourComment')}</label>
          <textarea
            id={commentId}
            value={comment}
            maxLength={2000}
            rows={2}
            onChange={(e) => setComment(e.target.value)}
          />
          <div role="group" aria-label={t('calendar.card.answerGroup')}>
            {ANSWERS.map(({ answer: value, key }) => (
              <button
                key={value}
                type="button"
                disabled={busy}
                aria-pressed={invitation.myAnswer === value}
                onClick={() => void answer(value)}
              >
                {t(`calendar.card.${key}`)}
              </button>
            ))}
          </div>
        </div>
      )}
      {canImport && (
        <button type="button" disabled={busy} onClick={() => void importIntoCalendar(invitation.partId)}>
          {t('calendar.card.import')}
        </button>
      )}
      {current &&
        (current.error ? (
          <ErrorMessage error={current.error} />
        ) : (
          <p role="status" className="invitation-status">
            {current.text}
          </p>
        ))}
    </section>
  );
}
