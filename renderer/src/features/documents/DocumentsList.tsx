import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentMetaInfo } from '../../../../electron/contract/documents';
import { ContextMenu, isMenuKey, menuPointFor, useContextMenu } from '../../ui/ContextMenu';
import { documentSourceLabel } from './document-source-label';
import { formatBytes, formatDateTime } from '../../i18n/locale-format';

const ROW_HEIGHT = 64;

function formatWhen(iso: string | null, language: string): string | undefined {
  return formatDateTime(iso, language) || undefined;
}

/**
 * The cached documents, most recently used first, virtualized (only the rows in view exist). Each row:
 * name (opens it), source, size, pinned, last opened, and its actions.
 */
export function DocumentsList({
  items,
  onOpen,
  onPin,
  onRemove,
}: {
  items: DocumentMetaInfo[];
  onOpen: (id: string) => void;
  onPin: (id: string, pinned: boolean) => void;
  onRemove: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const menu = useContextMenu();
  /** The row's context menu offers what its buttons do: open, pin or unpin, remove. */
  function openMenu(doc: DocumentMetaInfo, at: { x: number; y: number }, returnFocus: HTMLElement | null) {
    menu.open({
      label: t('documents.menu', { name: doc.name }),
      ...at,
      returnFocus,
      entries: [
        { id: 'open', label: t('documents.open'), run: () => onOpen(doc.id) },
        {
          id: 'pin',
          label: doc.pinned ? t('documents.unpin') : t('documents.pin'),
          run: () => onPin(doc.id, !doc.pinned),
        },
        { id: 'remove', label: t('documents.remove'), separator: true, run: () => onRemove(doc.id) },
      ],
    });
  }
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });

  return (
    <div className="documents-scroll" ref={scrollRef}>
      <div className="documents-columns" aria-hidden="true">
        <span>{t('documents.name')}</span>
        <span>{t('documents.sourceLabel')}</span>
        <span>{t('documents.size')}</span>
        <span>{t('documents.lastOpened')}</span>
        <span />
      </div>
      <ul
        className="documents-list"
        aria-label={t('documents.listLabel')}
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map((row) => {
          const doc = items[row.index];
          if (!doc) return null;
          const nameId = `doc-name-${doc.id}`;
          const lastOpened = formatWhen(doc.lastOpenedAt, i18n.language);
          return (
            <li
              key={doc.id}
              className={`document-row${doc.pinned ? ' pinned' : ''}`}
              aria-labelledby={nameId}
              aria-setsize={items.length}
              aria-posinset={row.index + 1}
              data-document-id={doc.id}
              style={{ transform: `translateY(${row.start}px)`, height: row.size }}
              onContextMenu={(e) => {
                e.preventDefault();
                const name = e.currentTarget.querySelector<HTMLElement>(`#${nameId}`);
                openMenu(doc, { x: e.clientX, y: e.clientY }, name);
              }}
              onKeyDown={(e) => {
                if (!isMenuKey(e)) return;
                e.preventDefault();
                const from = e.target instanceof HTMLElement ? e.target : null;
                openMenu(doc, menuPointFor(from ?? e.currentTarget), from);
              }}
            >
              <span className="doc-name">
                <button type="button" id={nameId} className="link-button" onClick={() => onOpen(doc.id)}>
                  {doc.name}
                </button>
                {doc.pinned && <span className="badge">{t('documents.pinnedBadge')}</span>}
                {doc.text?.state === 'scanned' && <span className="badge muted">{t('documents.noText')}</span>}
              </span>
              <span className="doc-source" title={doc.source.ref}>
                <span className="visually-hidden">{t('documents.sourceLabel')}: </span>
                {documentSourceLabel(doc.source, t)}
              </span>
              <span className="doc-size">
                <span className="visually-hidden">{t('documents.size')}: </span>
                {formatBytes(doc.size, i18n.language)}
              </span>
              <span className="doc-opened">
                <span className="visually-hidden">{t('documents.lastOpened')}: </span>
                {lastOpened ? (
                  <time dateTime={doc.lastOpenedAt ?? undefined}>{lastOpened}</time>
                ) : (
                  t('documents.neverOpened')
                )}
              </span>
              <span className="doc-actions">
                <button type="button" aria-pressed={doc.pinned} onClick={() => onPin(doc.id, !doc.pinned)}>
                  {t('documents.pin')}
                </button>
                <button
                  type="button"
                  onClick={() => onRemove(doc.id)}
                  aria-label={t('documents.removeNamed', { name: doc.name })}
                >
                  {t('documents.remove')}
                </button>
              </span>
            </li>
          );
        })}
      </ul>
      <ContextMenu request={menu.request} onClose={menu.close} />
    </div>
  );
}
