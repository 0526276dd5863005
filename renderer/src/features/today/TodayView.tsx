import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentMetaInfo } from '../../../../electron/contract/documents';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import type { MailListItem, SyncConnectionState } from '../../../../electron/contract/mail-sync';
import type { MeetingView, OfflinePackInfo } from '../../../../electron/contract/ris';
import { useNavigation } from '../../app/navigation-store';
import { api } from '../../ratsdesk-api';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useDocuments } from '../documents/documents-store';
import { formatMessageDate } from '../mail/format-date';
import { useMail } from '../mail/mail-store';
import { showMessageById } from '../mail/show-message';
import { formatMeetingTime, formatRisDateTime } from '../ris/ris-format';
import { useRis } from '../ris/ris-store';

const MEETINGS = 5;
const UNREAD = 8;
const DOCUMENTS = 5;

interface BodySync {
  id: string;
  name: string;
  lastSync: string | null;
}

/** The mail connection in words (the mail area's own strings). */
const CONNECTION_KEY: Record<SyncConnectionState['state'], string> = {
  online: 'mail.status.online',
  connecting: 'mail.status.connecting',
  offline: 'mail.status.offline',
  'auth-failed': 'mail.status.authFailed',
  paused: 'mail.status.paused',
};

/**
 * "Heute": the next meetings of my bodies (one click makes one available offline), unread mail in the inbox,
 * the documents opened last and the sync state. Everything comes from the vault, so it works offline.
 */
export function TodayView() {
  const { t, i18n } = useTranslation();
  const [meetings, setMeetings] = useState<MeetingView[]>();
  const [unread, setUnread] = useState<MailListItem[]>();
  const [documents, setDocuments] = useState<DocumentMetaInfo[]>();
  const [bodies, setBodies] = useState<BodySync[]>([]);
  const [connection, setConnection] = useState<SyncConnectionState>(() => useMail.getState().connection);
  const [saving, setSaving] = useState<Record<string, boolean>>({});
  const [pack, setPack] = useState<OfflinePackInfo>();
  const [error, setError] = useState<ErrorInfo>();
  const heading = useRef<HTMLHeadingElement>(null);

  // Arriving here (after sign-in, unlock, or from the area navigation) a screen reader says where one is.
  useEffect(() => heading.current?.focus(), []);

  const loadMeetings = useCallback(async () => {
    const a = api();
    const upcoming = await a.ris.upcomingMeetings({ limit: MEETINGS });
    if (!upcoming.ok) return setError(upcoming.error);
    // The summary has neither the body's name nor the offline state: the meeting itself has both.
    const full = await Promise.all(upcoming.value.map((m) => a.ris.meeting({ id: m.id })));
    setMeetings(full.flatMap((r) => (r.ok ? [r.value] : [])));
    const b = await a.ris.bodies();
    if (b.ok) setBodies(b.value.map((x) => ({ id: x.id, name: x.shortName ?? x.name ?? x.id, lastSync: x.lastSync })));
  }, []);

  const loadUnread = useCallback(async () => {
    const r = await api().mailSync.search({ query: '', folder: 'INBOX', unread: true, limit: UNREAD });
    if (r.ok) setUnread(r.value.items);
    else setError(r.error);
  }, []);

  useEffect(() => {
    const a = api();
    void loadMeetings();
    void loadUnread();
    void a.mailSync.connectionState().then((r) => {
      if (r.ok) setConnection(r.value);
    });
    void a.ris.offlinePack().then((r) => {
      if (r.ok) setPack(r.value);
    });
    void a.documents.list().then((r) => {
      if (!r.ok) return setError(r.error);
      setDocuments(
        r.value
          .filter((d) => d.lastOpenedAt)
          .sort((x, y) => (y.lastOpenedAt ?? '').localeCompare(x.lastOpenedAt ?? ''))
          .slice(0, DOCUMENTS),
      );
    });
    // A sync that finishes (or the first login's headers arriving) changes what is unread: read again, once
    // the burst is over. The page is often open before the first sync has brought anything.
    let unreadTimer: ReturnType<typeof setTimeout> | undefined;
    const loadUnreadSoon = () => {
      clearTimeout(unreadTimer);
      unreadTimer = setTimeout(() => void loadUnread(), 150);
    };
    const offs = [
      a.mailSync.onSyncConnectionState(setConnection),
      a.mailSync.onNewMail(loadUnreadSoon),
      a.mailSync.onSyncProgress((p) => {
        if (p.folder === 'INBOX' && p.phase === 'done') loadUnreadSoon();
      }),
      a.mailSync.onOfflineProgress((p) => {
        if (p.folder === 'INBOX') loadUnreadSoon();
      }),
      a.ris.onOfflineProgress((p) => {
        if (p.state !== 'running') void loadMeetings();
      }),
      a.ris.onOfflinePackChanged(setPack),
    ];
    return () => {
      clearTimeout(unreadTimer);
      for (const off of offs) off();
    };
  }, [loadMeetings, loadUnread]);

  async function makeOffline(id: string) {
    setSaving((s) => ({ ...s, [id]: true }));
    const r = await api().ris.makeMeetingOffline({ id });
    setSaving((s) => ({ ...s, [id]: false }));
    if (!r.ok) setError(r.error);
    await loadMeetings();
  }

  function openMeeting(id: string) {
    useNavigation.getState().showArea('ris');
    void useRis.getState().navigate({ view: 'meeting', id });
  }
  function openMail(id: number) {
    useNavigation.getState().showArea('mail');
    void showMessageById(id);
  }
  function openDocument(id: string) {
    useDocuments.getState().open(id, 'today');
    useNavigation.getState().showArea('documents');
  }

  return (
    <div className="today">
      <h1 ref={heading} tabIndex={-1}>
        {t('today.heading')}
      </h1>
      <ErrorMessage error={error} />
      <div className="today-grid">
        <section className="today-meetings" aria-labelledby="today-meetings-heading">
          <h2 id="today-meetings-heading">{t('today.meetings.heading')}</h2>
          {/* The automatic offline pack's queue; polite and never focused: it changes in the background. */}
          <p className="today-pack muted" role="status" aria-live="polite" data-state={pack?.state ?? 'off'}>
            {pack && pack.state !== 'off' && pack.meetings > 0 && (
              <>
                {t('today.meetings.pack.progress', { count: pack.meetings, available: pack.available })}
                {pack.state !== 'idle' && ` – ${t(`today.meetings.pack.${pack.state}`)}`}
              </>
            )}
          </p>
          {meetings?.length === 0 && <p className="muted">{t('today.meetings.none')}</p>}
          <ul>
            {meetings?.map((m) => {
              const name = m.name ?? m.id;
              return (
                <li key={m.id} data-offline={m.offline}>
                  <button type="button" className="link-button" onClick={() => openMeeting(m.id)}>
                    {name}
                  </button>
                  <span className="muted">
                    {formatMeetingTime(m.start, m.end, i18n.language)}
                    {m.organizations.length > 0 && ` · ${m.organizations.map((o) => o.name ?? o.id).join(', ')}`}
                  </span>
                  <span className={`today-offline ${m.offline}`}>{t(`today.meetings.offline.${m.offline}`)}</span>
                  {m.offline !== 'complete' && (
                    <button
                      type="button"
                      disabled={saving[m.id]}
                      aria-label={t('today.meetings.makeOfflineFor', { name })}
                      onClick={() => void makeOffline(m.id)}
                    >
                      {saving[m.id] ? t('today.meetings.working') : t('today.meetings.makeOffline')}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
        <section className="today-mail" aria-labelledby="today-mail-heading">
          <h2 id="today-mail-heading">{t('today.mail.heading')}</h2>
          {unread?.length === 0 && <p className="muted">{t('today.mail.none')}</p>}
          <ul>
            {unread?.map((m) => (
              <li key={m.id}>
                <button type="button" className="link-button" onClick={() => openMail(m.id)}>
                  {m.subject || t('mail.noSubject')}
                </button>
                <span className="muted">
                  {m.from.name || m.from.address} · {formatMessageDate(m.date, i18n.language)}
                </span>
              </li>
            ))}
          </ul>
        </section>
        <section className="today-documents" aria-labelledby="today-documents-heading">
          <h2 id="today-documents-heading">{t('today.documents.heading')}</h2>
          {documents?.length === 0 && <p className="muted">{t('today.documents.none')}</p>}
          <ul>
            {documents?.map((d) => (
              <li key={d.id}>
                <button type="button" className="link-button" onClick={() => openDocument(d.id)}>
                  {d.name}
                </button>
                <span className="muted">{formatRisDateTime(d.lastOpenedAt, i18n.language)}</span>
              </li>
            ))}
          </ul>
        </section>
        <section className="today-sync" aria-labelledby="today-sync-heading">
          <h2 id="today-sync-heading">{t('today.sync.heading')}</h2>
          {/* polite: a change of the connection is said, without taking the focus */}
          <div role="status" aria-live="polite">
            <ul>
              <li data-connection={connection.state}>
                {t('today.sync.mail', { state: t(CONNECTION_KEY[connection.state]) })}
              </li>
              {bodies.map((b) => (
                <li key={b.id}>
                  {b.lastSync
                    ? t('today.sync.council', { name: b.name, when: formatRisDateTime(b.lastSync, i18n.language) })
                    : t('today.sync.councilNever', { name: b.name })}
                </li>
              ))}
            </ul>
          </div>
        </section>
      </div>
    </div>
  );
}
