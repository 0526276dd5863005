import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMessageDate } from './format-date';
import { PAGE_SIZE, useMail } from './mail-store';
import { SenderName } from './SenderName';

const ROW_HEIGHT = 54;

/**
 * The messages of the open folder (or the search results) as a keyboard-operable listbox. Virtualized:
 * only the rows on screen exist in the DOM, and their data is paged from the vault as they scroll in,
 * so 100,000 messages cost what 30 do.
 */
export function MessageList({ label }: { label: string }) {
  const { t, i18n } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = useMail((s) => (s.results ? s.results.length : s.total));
  const active = useMail((s) => s.active);
  // Re-render when pages or results change.
  useMail((s) => s.pages);
  useMail((s) => s.results);
  const { itemAt, ensurePage, setActive, openActive } = useMail.getState();
  const searchingNow = useMail((s) => s.results !== undefined);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows[rows.length - 1]?.index ?? 0;

  useEffect(() => {
    if (searchingNow || count === 0) return;
    for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) void ensurePage(p);
  }, [first, last, count, searchingNow, ensurePage]);

  useEffect(() => {
    if (count > 0) virtualizer.scrollToIndex(active, { align: 'auto' });
  }, [active, count, virtualizer]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const next =
      event.key === 'ArrowDown'
        ? active + 1
        : event.key === 'ArrowUp'
          ? active - 1
          : event.key === 'PageDown'
            ? active + page
            : event.key === 'PageUp'
              ? active - page
              : event.key === 'Home'
                ? 0
                : event.key === 'End'
                  ? count - 1
                  : undefined;
    if (next !== undefined) {
      event.preventDefault();
      setActive(next);
      return;
    }
    if (event.key === 'Enter') {
      event.preventDefault();
      void openActive();
    }
  }

  const activeItem = itemAt(active);
  return (
    <div
      ref={scrollRef}
      className="mail-list"
      role="listbox"
      tabIndex={0}
      aria-label={label}
      aria-activedescendant={count > 0 ? `msg-row-${active}` : undefined}
      onKeyDown={onKeyDown}
      data-active-id={activeItem?.id}
    >
      <div className="mail-list-inner" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => {
          const m = itemAt(row.index);
          const selected = row.index === active;
          return (
            <div
              key={row.key}
              id={`msg-row-${row.index}`}
              role="option"
              aria-selected={selected}
              aria-setsize={count}
              aria-posinset={row.index + 1}
              className={`message${m && !m.seen ? ' unread' : ''}${m?.flagged ? ' flagged' : ''}${selected ? ' active' : ''}`}
              style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
              onClick={() => setActive(row.index)}
              data-id={m?.id}
              data-flagged={m?.flagged ? 'true' : undefined}
              data-degraded={m?.degraded ? 'true' : undefined}
              data-misleading-sender={m?.fromNameMisleads ? 'true' : undefined}
            >
              {m?.degraded ? (
                <span className="subject degraded">{t('mail.degraded')}</span>
              ) : m ? (
                <>
                  <span className="from">
                    <SenderName from={m.from} misleads={m.fromNameMisleads} />
                  </span>
                  <time className="date" dateTime={m.date ?? undefined}>
                    {formatMessageDate(m.date, i18n.language)}
                  </time>
                  <span className="subject">
                    {m.hasAttachments && (
                      <span className="marker" aria-hidden="true">
                        <PaperclipIcon />{' '}
                      </span>
                    )}
                    {m.flagged && (
                      <span className="marker flag" aria-hidden="true">
                        ★{' '}
                      </span>
                    )}
                    {m.subject ? <bdi>{m.subject}</bdi> : t('mail.noSubject')}
                  </span>
                  <span className="visually-hidden">
                    {[
                      m.seen ? t('mail.read') : t('mail.unread'),
                      m.flagged && t('mail.flagged'),
                      m.hasAttachments && t('mail.attachment'),
                    ]
                      .filter(Boolean)
                      .join(', ')}
                  </span>
                </>
              ) : (
                <span className="placeholder">{t('mail.loadingRow')}</span>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** A paperclip drawn inline: the emoji has no glyph in the fonts many Linux desktops ship. */
function PaperclipIcon() {
  return (
    <svg className="paperclip" width="12" height="12" viewBox="0 0 16 16" focusable="false">
      <path
        d="M11.5 4.5v6.25a3.5 3.5 0 0 1-7 0V4a2.25 2.25 0 0 1 4.5 0v6.5a1 1 0 0 1-2 0V5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.4"
        strokeLinecap="round"
      />
    </svg>
  );
}
