import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchAllHit } from '../../../../electron/contract/search';
import { formatDate } from '../../i18n/locale-format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useModalDialog } from '../../ui/use-modal-dialog';
import { openSearchHit } from './open-search-hit';
import { useSearchAll } from './search-store';
import './search.css';

/** Wait this long after the last key before searching (every key would be a query otherwise). */
const TYPING_PAUSE_MS = 200;

function hitKey(hit: SearchAllHit): string {
  switch (hit.kind) {
    case 'mail':
      return `mail:${hit.messageId}`;
    case 'paper':
      return `paper:${hit.paperId}`;
    case 'meeting':
      return `meeting:${hit.meetingId}`;
    case 'agendaItem':
      return `agenda:${hit.meetingId}:${hit.agendaItemId}`;
    case 'document':
      return `document:${hit.documentId}`;
    case 'note':
      return `note:${hit.noteId}`;
  }
}

/**
 * "Überall suchen" (Ctrl+K): one field, hits grouped by kind (mail, papers, meetings, agenda items,
 * documents, notes) with a snippet each. Arrow keys move between the field and the hits; Enter opens one.
 */
export function SearchEverywhere() {
  const { t, i18n } = useTranslation();
  const { open, query, result, searchedFor, searching, error, hide, setQuery, run } = useSearchAll();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  useModalDialog(dialogRef, open);

  useEffect(() => {
    if (open) inputRef.current?.select();
  }, [open]);
  useEffect(() => {
    if (!open) return;
    const timer = setTimeout(() => void run(query), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [open, query, run]);

  const buttons = () => [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button.search-hit') ?? [])];

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const all = buttons();
    if (all.length === 0) return;
    event.preventDefault();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'ArrowDown') all[Math.min(all.length - 1, at + 1)]?.focus();
    else if (at <= 0) inputRef.current?.focus();
    else all[at - 1]?.focus();
  }

  const date = (iso: string | null) => formatDate(iso, i18n.language);

  const total = result?.groups.reduce((n, g) => n + g.hits.length, 0) ?? 0;
  const status = searching
    ? t('search.searching')
    : searchedFor
      ? total > 0
        ? t('search.hits', { count: total })
        : t('search.noHits', { query: searchedFor })
      : '';

  return (
    <dialog
      ref={dialogRef}
      className="search-everywhere"
      aria-labelledby="search-everywhere-heading"
      onClose={hide}
      onKeyDown={onKeyDown}
    >
      <h2 id="search-everywhere-heading">{t('search.heading')}</h2>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void run(query);
        }}
      >
        <label>
          <span className="visually-hidden">{t('search.label')}</span>
          <input
            ref={inputRef}
            type="search"
            value={query}
            placeholder={t('search.placeholder')}
            onChange={(e) => setQuery(e.target.value)}
            autoFocus
          />
        </label>
      </form>
      <p role="status" aria-live="polite" className="search-status">
        {status}
      </p>
      <ErrorMessage error={error} />
      {result && result.unavailable.length > 0 && (
        <p className="search-unavailable">
          {t('search.unavailable', { kinds: result.unavailable.map((k) => t(`search.kind.${k}`)).join(', ') })}
        </p>
      )}
      <div ref={listRef} className="search-groups">
        {result?.groups.map((group) => (
          <section key={group.kind} aria-labelledby={`search-group-${group.kind}`}>
            <h3 id={`search-group-${group.kind}`}>
              {t(`search.kind.${group.kind}`)} <span className="count">({group.hits.length})</span>
            </h3>
            <ul>
              {group.hits.map((hit) => (
                <li key={hitKey(hit)}>
                  <button
                    type="button"
                    className="search-hit"
                    onClick={() => {
                      hide();
                      void openSearchHit(hit);
                    }}
                  >
                    <span className="search-hit-title">{hit.title || t('search.untitled')}</span>
                    <span className="search-hit-place">
                      {[
                        hit.subtitle,
                        hit.kind === 'document' || (hit.kind === 'note' && hit.page !== null)
                          ? t('search.page', { page: hit.page })
                          : '',
                        date(hit.date),
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </span>
                    {hit.snippet && <span className="search-hit-snippet">{hit.snippet}</span>}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      <button type="button" className="search-close" onClick={hide}>
        {t('search.close')}
      </button>
    </dialog>
  );
}
