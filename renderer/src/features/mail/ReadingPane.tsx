import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import type { ReadMessage } from '../../../../electron/contract/mail-reader';
import type { MailAddress, MailListItem } from '../../../../electron/contract/mail-sync';
import { api } from '../../ratsdesk-api';
import { ContextMenu, isMenuKey, menuPointFor, useContextMenu } from '../../ui/ContextMenu';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useDocuments } from '../documents/documents-store';
import { formatBytes, formatDateTime } from '../../i18n/locale-format';
import { formatMessageDate } from './format-date';
import { MailHtmlFrame } from './MailHtmlFrame';
import { useMail } from './mail-store';
import { isOfferedLink } from './offered-links';
import { linksInText } from './sanitize-mail-html';
import { useNavigation } from '../../app/navigation-store';
import { useRis } from '../ris/ris-store';
import { SmimeStatusLine } from '../smime/SmimeStatusLine';
import { InvitationCard } from '../calendar/InvitationCard';
import { hasCalendarPart } from '../calendar/calendar-part';

/** One address, its parts isolated (`<bdi>`): a right-to-left name cannot reorder the line. */
function Address({ a }: { a: MailAddress }) {
  if (!a.name) return <bdi>{a.address}</bdi>;
  return (
    <>
      <bdi>{a.name}</bdi> <bdi>&lt;{a.address}&gt;</bdi>
    </>
  );
}

function AddressList({ list }: { list: readonly MailAddress[] }) {
  return (
    <>
      {list.map((a, i) => (
        <span key={i}>
          {i > 0 && ', '}
          <Address a={a} />
        </span>
      ))}
    </>
  );
}

/**
 * An earlier message of the open conversation: one line (sender, date), its text loaded when opened. Shown as
 * text: the formatted view of an HTML mail is one click away, by opening the message alone.
 */
function EarlierMessage({ item }: { item: MailListItem }) {
  const { t, i18n } = useTranslation();
  const [read, setRead] = useState<ReadMessage | 'loading' | 'failed' | undefined>();
  function load(open: boolean) {
    if (!open || read !== undefined) return;
    setRead('loading');
    void api()
      .mailReader.read({ id: item.id })
      .then((r) => setRead(r.ok ? r.value : 'failed'));
  }
  return (
    <li data-message-id={item.id}>
      <details onToggle={(e) => load(e.currentTarget.open)}>
        <summary>
          {t('mail.reader.earlierMessage', {
            from: item.from.name || item.from.address,
            date: formatDateTime(item.date, i18n.language),
          })}
          {!item.seen && <span className="visually-hidden">, {t('mail.unread')}</span>}
        </summary>
        {read === 'loading' && <p role="status">{t('mail.reader.loading')}</p>}
        {read === 'failed' && <p className="notice">{t('mail.reader.earlierFailed')}</p>}
        {typeof read === 'object' &&
          (read.hasBody ? (
            <pre className="mail-text">{read.text}</pre>
          ) : (
            <p className="notice">{t('mail.reader.headersOnly')}</p>
          ))}
      </details>
    </li>
  );
}

/** The open message: headers, body (text, or sanitized HTML in a sandbox), attachments, links, thread. */
export function ReadingPane() {
  const { t, i18n } = useTranslation();
  const open = useMail((s) => s.open);
  const [htmlLinks, setHtmlLinks] = useState<string[]>([]);
  const onLinks = useCallback((links: string[]) => setHtmlLinks(links), []);
  const [opening, setOpening] = useState<string | undefined>();
  const [attachmentError, setAttachmentError] = useState<{ messageId: number; error: ErrorInfo } | undefined>();
  const attachmentMenu = useContextMenu();

  if (!open) {
    return (
      <section className="reading-pane empty" aria-label={t('mail.reader.label')}>
        <p>{t('mail.reader.none')}</p>
      </section>
    );
  }
  const { item, read, thread, conversation } = open;
  const earlier = (conversation ?? []).filter((m) => m.id !== item.id);
  const links = read ? (read.html !== null ? htmlLinks : linksInText(read.text)) : [];
  const council = new Map((read?.councilLinks ?? []).map((l) => [l.url, l]));

  /** The attachment goes into the encrypted document cache and opens in the in-app viewer. */
  async function openAttachment(partId: string) {
    setOpening(partId);
    setAttachmentError(undefined);
    const r = await api().mailReader.openAttachment({ id: item.id, partId });
    setOpening(undefined);
    if (!r.ok) {
      setAttachmentError({ messageId: item.id, error: r.error });
      return;
    }
    useDocuments.getState().open(r.value.documentId, 'mail');
    useNavigation.getState().showArea('documents');
  }

  /** An attachment's context menu offers what its button does. */
  function openAttachmentMenu(
    a: { partId: string; filename: string },
    at: { x: number; y: number },
    returnFocus: HTMLElement | null,
  ) {
    attachmentMenu.open({
      label: t('mail.menu.attachment', { name: a.filename }),
      ...at,
      returnFocus,
      entries: [{ id: 'open', label: t('mail.reader.open'), run: () => void openAttachment(a.partId) }],
    });
  }

  return (
    <section
      className="reading-pane"
      aria-label={t('mail.reader.label')}
      data-message-id={item.id}
      data-conversation={conversation ? conversation.length : undefined}
    >
      {conversation && (
        // An open conversation: its earlier messages, oldest first, each opened on demand; the newest below.
        <section className="reader-conversation-section" aria-label={t('mail.reader.earlier')}>
          <p className="muted">{t('mail.reader.threadCount', { count: conversation.length })}</p>
          <ol className="reader-conversation">
            {earlier.map((m) => (
              <EarlierMessage key={m.id} item={m} />
            ))}
          </ol>
        </section>
      )}
      <header className="reader-header">
        <h2>{item.subject ? <bdi>{item.subject}</bdi> : t('mail.noSubject')}</h2>
        {item.flagged && (
          <p className="flag-badge" data-flagged="true">
            <span aria-hidden="true">★ </span>
            {t('mail.reader.flagged')}
          </p>
        )}
        <dl>
          <dt>{t('mail.from')}</dt>
          <dd data-misleading-sender={item.fromNameMisleads ? 'true' : undefined}>
            {item.fromNameMisleads && (
              <span className="sender-warning" aria-hidden="true">
                ⚠{' '}
              </span>
            )}
            <Address a={item.from} />
            {item.fromNameMisleads && <p className="sender-warning-text">{t('mail.misleadingSender')}</p>}
          </dd>
          {item.to.length > 0 && (
            <>
              <dt>{t('mail.to')}</dt>
              <dd>
                <AddressList list={item.to} />
              </dd>
            </>
          )}
          {item.cc.length > 0 && (
            <>
              <dt>{t('mail.cc')}</dt>
              <dd>
                <AddressList list={item.cc} />
              </dd>
            </>
          )}
          <dt>{t('mail.date')}</dt>
          <dd>
            <time dateTime={item.date ?? undefined}>{formatDateTime(item.date, i18n.language)}</time>
          </dd>
        </dl>
      </header>
      {read?.smime && <SmimeStatusLine status={read.smime} />}
      {read && hasCalendarPart(read.attachments) && <InvitationCard key={item.id} messageId={item.id} />}
      {!read && <p role="status">{t('mail.reader.loading')}</p>}
      {read && !read.hasBody && <p className="notice">{t('mail.reader.headersOnly')}</p>}
      {read?.parseError && (
        <>
          <p className="notice" role="note" data-parse-error="true">
            {t('mail.reader.parseError')}
          </p>
          {read.source && (
            <details open>
              <summary>{t('mail.reader.source')}</summary>
              <pre className="mail-source">{read.source}</pre>
            </details>
          )}
        </>
      )}
      {read?.malformed && (
        <p className="notice" role="note" data-malformed="true">
          {t('mail.reader.malformed')}
        </p>
      )}
      {read?.hasBody && !read.parseError && read.html !== null && (
        <MailHtmlFrame
          key={item.id}
          messageId={item.id}
          html={read.html}
          text={read.text}
          inlineImages={read.inlineImages}
          onLinks={onLinks}
        />
      )}
      {read?.hasBody && !read.parseError && read.html === null && read.text.trim() !== '' && (
        <pre className="mail-text">{read.text}</pre>
      )}
      {read?.hasBody && !read.parseError && read.html === null && read.text.trim() === '' && (
        // Never an empty pane (issue #19 item 1): say what there is.
        <p className="notice" role="note" data-no-text="true">
          {read.attachments.length > 0 ? t('mail.reader.onlyAttachments') : t('mail.reader.noText')}
        </p>
      )}
      {read?.malformed && read.source && (
        <details className="reader-source">
          <summary>{t('mail.reader.showSource')}</summary>
          <pre className="mail-source">{read.source}</pre>
        </details>
      )}
      {read && read.attachments.length > 0 && (
        <section className="reader-attachments" aria-label={t('mail.reader.attachments')}>
          <h3>{t('mail.reader.attachments')}</h3>
          <ul>
            {read.attachments.map((a) => (
              <li
                key={a.partId}
                onContextMenu={(e) => {
                  e.preventDefault();
                  openAttachmentMenu(a, { x: e.clientX, y: e.clientY }, e.currentTarget.querySelector('button'));
                }}
                onKeyDown={(e) => {
                  if (!isMenuKey(e) || !(e.target instanceof HTMLElement)) return;
                  e.preventDefault();
                  openAttachmentMenu(a, menuPointFor(e.target), e.target);
                }}
              >
                <bdi>{a.filename}</bdi> <span className="muted">({formatBytes(a.size, i18n.language)})</span>{' '}
                <button
                  type="button"
                  aria-label={t('mail.reader.openAttachment', { name: a.filename })}
                  aria-busy={opening === a.partId}
                  disabled={opening !== undefined}
                  onClick={() => void openAttachment(a.partId)}
                >
                  {opening === a.partId ? t('mail.reader.openingAttachment') : t('mail.reader.open')}
                </button>
              </li>
            ))}
          </ul>
          <ErrorMessage error={attachmentError?.messageId === item.id ? attachmentError.error : undefined} />
          <ContextMenu request={attachmentMenu.request} onClose={attachmentMenu.close} />
        </section>
      )}
      {links.length > 0 && (
        <section className="reader-links" aria-label={t('mail.reader.links')}>
          <h3>{t('mail.reader.links')}</h3>
          <ul>
            {links.slice(0, 100).map((url) => {
              const c = council.get(url);
              // Only https links to named hosts and mailto: are offered (issue #19 item 8); the rest is text.
              if (!c && !isOfferedLink(url)) {
                return (
                  <li key={url} data-offered="false">
                    <bdi className="link-target">{url}</bdi>{' '}
                    <span className="muted">({t('mail.reader.linkNotOffered')})</span>
                  </li>
                );
              }
              return (
                <li key={url} className={c ? 'council' : undefined}>
                  {c && <span className="badge">{t('mail.reader.councilLink')}</span>}
                  <bdi className="link-target">{url}</bdi>
                  <button
                    type="button"
                    aria-label={`${t('mail.reader.openLink')} ${t('mail.reader.linkTarget', { url })}`}
                    onClick={() => {
                      if (c) {
                        // a council link opens inside the app, in the council viewer
                        useNavigation.getState().showArea('ris');
                        void useRis.getState().openLink(url);
                      } else void api().app.openExternal({ url });
                    }}
                  >
                    {t('mail.reader.openLink')}
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {read && read.councilLinks.length > 0 && (
        <p className="council-summary" data-council-links={read.councilLinks.length}>
          {t('mail.reader.councilLinks')}: {read.councilLinks.length}
        </p>
      )}
      {thread.length > 1 && (
        <section className="reader-thread" aria-label={t('mail.reader.thread')}>
          <h3>{t('mail.reader.threadCount', { count: thread.length })}</h3>
          <ol>
            {thread.map((m) => (
              <li key={m.id} aria-current={m.id === item.id ? 'true' : undefined}>
                <bdi>{m.from.name || m.from.address}</bdi> – <bdi>{m.subject || t('mail.noSubject')}</bdi>{' '}
                <time dateTime={m.date ?? undefined}>{formatMessageDate(m.date, i18n.language)}</time>
              </li>
            ))}
          </ol>
        </section>
      )}
    </section>
  );
}
