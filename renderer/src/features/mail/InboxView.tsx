import { type KeyboardEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Folder, Inbox } from '../../../../electron/contract/mail';
import { formatMessageDate } from './format-date';

const SPECIAL_USE_KEYS: Record<string, string> = {
  '\\Inbox': 'inbox',
  '\\Sent': 'sent',
  '\\Drafts': 'drafts',
  '\\Trash': 'trash',
  '\\Junk': 'junk',
  '\\Archive': 'archive',
};

function FolderName({ folder }: { folder: Folder }) {
  const { t } = useTranslation();
  const key = folder.path === 'INBOX' ? 'inbox' : folder.specialUse ? SPECIAL_USE_KEYS[folder.specialUse] : undefined;
  return <>{key ? t(`folders.${key}`) : folder.name}</>;
}

/** Folder list and the newest messages; the list is a keyboard-operable listbox. */
export function InboxView({ inbox }: { inbox: Inbox }) {
  const { t, i18n } = useTranslation();
  const [active, setActive] = useState(0);
  const messages = inbox.messages;

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const last = messages.length - 1;
    const next =
      event.key === 'ArrowDown'
        ? Math.min(last, active + 1)
        : event.key === 'ArrowUp'
          ? Math.max(0, active - 1)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    setActive(next);
    document.getElementById(`msg-${messages[next]?.uid}`)?.scrollIntoView({ block: 'nearest' });
  }

  return (
    <div className="inbox">
      <nav className="folders" aria-label={t('mail.folders')}>
        <ul>
          {inbox.folders.map((f) => (
            <li key={f.path} aria-current={f.path === inbox.folder ? 'page' : undefined}>
              <FolderName folder={f} />
            </li>
          ))}
        </ul>
      </nav>
      <section className="message-list" aria-labelledby="message-list-heading">
        <h1 id="message-list-heading">
          {t('mail.inbox')} <span className="count">{t('mail.count', { count: messages.length })}</span>
        </h1>
        {messages.length === 0 ? (
          <p>{t('mail.empty')}</p>
        ) : (
          <ul
            role="listbox"
            tabIndex={0}
            aria-label={t('mail.messages')}
            aria-activedescendant={messages[active] ? `msg-${messages[active].uid}` : undefined}
            onKeyDown={onKeyDown}
          >
            {messages.map((m, i) => (
              <li
                key={m.uid}
                id={`msg-${m.uid}`}
                role="option"
                aria-selected={i === active}
                className={`message${m.seen ? '' : ' unread'}${i === active ? ' active' : ''}`}
                onClick={() => setActive(i)}
                data-uid={m.uid}
              >
                <span className="from">{m.from.name || m.from.address}</span>
                <span className="subject">{m.subject || t('mail.noSubject')}</span>
                <time className="date" dateTime={m.date ?? undefined}>
                  {formatMessageDate(m.date, i18n.language)}
                </time>
                <span className="visually-hidden">{m.seen ? t('mail.read') : t('mail.unread')}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
