import { useVirtualizer } from '@tanstack/react-virtual';
import { type DragEvent, type KeyboardEvent, type MouseEvent, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { isMenuKey, menuPointFor } from '../../ui/ContextMenu';
import { formatNumber } from '../../i18n/locale-format';
import { formatListDate } from './format-date';
import { MailIcon } from './mail-icons';
import { PAGE_SIZE, useMail } from './mail-store';
import { SenderName } from './SenderName';

const ROW_HEIGHT = 66;

/** The drag data type of dragged messages (their ids as JSON); folders accept it as a move. */
export const MESSAGES_DRAG_TYPE = 'application/x-ratsdesk-messages';

/**
 * The messages of the open folder (or the search results) as a keyboard-operable listbox. Virtualized:
 * only the rows on screen exist in the DOM, and their data is paged from the vault as they scroll in,
 * so 100,000 messages cost what 30 do.
 */
export function MessageList({
  label,
  onMenu,
}: {
  label: string;
  /** Opens the message context menu at a point; focus returns to `returnFocus` when it closes. */
  onMenu(at: { x: number; y: number }, returnFocus: HTMLElement | null): void;
}) {
  const { t, i18n } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = useMail((s) => (s.results ? s.results.length : s.total));
  const active = useMail((s) => s.active);
  // Re-render when pages or results change.
  useMail((s) => s.pages);
  useMail((s) => s.results);
  const selected = useMail((s) => s.selected);
  const { itemAt, ensurePage, setActive, openActive, select, selectAll } = useMail.getState();
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

  // Keeps the active row in view. Not when a list fills from empty with its first row active (the start, another
  // folder): an empty list is scrolled to its top, where that row already is, and scrolling there would only
  // force a layout before the first rows are painted (#15 target 4).
  const countBefore = useRef(0);
  useEffect(() => {
    const filled = countBefore.current === 0;
    countBefore.current = count;
    if (count > 0 && !(filled && active === 0)) virtualizer.scrollToIndex(active, { align: 'auto' });
  }, [active, count, virtualizer]);

  // The rows' fixed texts, looked up once per render instead of in each row (#15 target 4: 60 rows at start).
  const text = {
    read: t('mail.read'),
    unread: t('mail.unread'),
    flagged: t('mail.flagged'),
    attachment: t('mail.attachment'),
    answered: t('mail.answered'),
    forwarded: t('mail.forwarded'),
    noSubject: t('mail.noSubject'),
    degraded: t('mail.degraded'),
    loadingRow: t('mail.loadingRow'),
    misleadingSender: t('mail.misleadingSender'),
  };
  const selectedIds = new Set(selected);
  const isSelected = (index: number, id: number | undefined) =>
    selected.length === 0 ? index === active : id !== undefined && selectedIds.has(id);

  function openMenuAtActive() {
    const row = scrollRef.current?.querySelector<HTMLElement>(`#msg-row-${active}`);
    onMenu(menuPointFor(row ?? scrollRef.current!), scrollRef.current);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (isMenuKey(event)) {
      event.preventDefault();
      openMenuAtActive();
      return;
    }
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      selectAll();
      return;
    }
    if (event.shiftKey && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      select(active + (event.key === 'ArrowDown' ? 1 : -1), 'range');
      return;
    }
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

  function onRowClick(index: number, e: MouseEvent) {
    select(index, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'single');
  }

  function onRowMenu(index: number, id: number | undefined, e: MouseEvent<HTMLElement>) {
    e.preventDefault();
    // A right-click outside the selection selects that message alone (as desktop mail clients do).
    if (!isSelected(index, id)) setActive(index);
    scrollRef.current?.focus();
    onMenu({ x: e.clientX, y: e.clientY }, scrollRef.current);
  }

  function onDragStart(index: number, id: number | undefined, e: DragEvent<HTMLElement>) {
    if (id === undefined) return e.preventDefault();
    if (!isSelected(index, id)) setActive(index, false);
    const ids = useMail.getState().targetIds();
    e.dataTransfer.setData(MESSAGES_DRAG_TYPE, JSON.stringify(ids));
    e.dataTransfer.setData('text/plain', t('mail.dragCount', { count: ids.length }));
    e.dataTransfer.effectAllowed = 'move';
  }

  const activeItem = itemAt(active);
  return (
    <div
      ref={scrollRef}
      className="mail-list"
      role="listbox"
      aria-multiselectable="true"
      tabIndex={0}
      aria-label={label}
      aria-activedescendant={count > 0 ? `msg-row-${active}` : undefined}
      onKeyDown={onKeyDown}
      data-active-id={activeItem?.id}
    >
      <div className="mail-list-inner" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => {
          const m = itemAt(row.index);
          const chosen = isSelected(row.index, m?.id);
          return (
            <div
              key={row.key}
              id={`msg-row-${row.index}`}
              role="option"
              aria-selected={chosen}
              aria-setsize={count}
              aria-posinset={row.index + 1}
              className={`message${m && !m.seen ? ' unread' : ''}${m?.flagged ? ' flagged' : ''}${row.index === active ? ' active' : ''}${chosen ? ' selected' : ''}`}
              style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
              onClick={(e) => onRowClick(row.index, e)}
              onContextMenu={(e) => onRowMenu(row.index, m?.id, e)}
              draggable={m !== undefined}
              onDragStart={(e) => onDragStart(row.index, m?.id, e)}
              data-id={m?.id}
              data-flagged={m?.flagged ? 'true' : undefined}
              data-answered={m?.answered ? 'true' : undefined}
              data-forwarded={m?.forwarded ? 'true' : undefined}
              data-degraded={m?.degraded ? 'true' : undefined}
              data-conversation={m?.conversation ? m.conversation.count : undefined}
              data-misleading-sender={m?.fromNameMisleads ? 'true' : undefined}
            >
              {m?.degraded ? (
                <span className="subject degraded">{text.degraded}</span>
              ) : m ? (
                <>
                  <span className="from">
                    <span className="icons" aria-hidden="true">
                      {!m.seen && <MailIcon name="unread" className="unread-dot" />}
                      {m.answered && <MailIcon name="answered" className="answered" />}
                      {m.forwarded && <MailIcon name="forwarded" className="forwarded" />}
                      {m.hasAttachments && <MailIcon name="attachment" className="paperclip" />}
                      {m.flagged && <MailIcon name="flag" className="flag" />}
                    </span>
                    <SenderName from={m.from} misleads={m.fromNameMisleads} warning={text.misleadingSender} />
                    {m.conversation && m.conversation.count > 1 && (
                      <span className="conversation-count" aria-hidden="true">
                        {formatNumber(m.conversation.count, i18n.language)}
                      </span>
                    )}
                  </span>
                  <time className="date" dateTime={m.date ?? undefined}>
                    {formatListDate(m.date, i18n.language)}
                  </time>
                  <span className="subject">{m.subject ? <bdi>{m.subject}</bdi> : text.noSubject}</span>
                  <span className="preview">{m.preview}</span>
                  <span className="visually-hidden">
                    {[
                      m.conversation && m.conversation.count > 1
                        ? t('mail.conversationRow', {
                            count: m.conversation.count,
                            unread:
                              m.conversation.unread > 0
                                ? t('mail.unreadCount', { count: m.conversation.unread })
                                : text.read,
                          })
                        : m.seen
                          ? text.read
                          : text.unread,
                      m.flagged && text.flagged,
                      m.hasAttachments && text.attachment,
                      m.answered && text.answered,
                      m.forwarded && text.forwarded,
                    ]
                      .filter(Boolean)
                      .join(', ')}
                  </span>
                </>
              ) : (
                <span className="placeholder">{text.loadingRow}</span>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
