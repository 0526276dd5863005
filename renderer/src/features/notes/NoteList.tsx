import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import type { Note } from '../../../../electron/contract/notes';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { NoteListItem } from './NoteListItem';

/** What a view shows of one note beside its text: where it sits, whether its quote vanished, extra buttons. */
export interface NoteDetails {
  place: ReactNode;
  orphaned?: boolean;
  actions?: ReactNode;
}

/**
 * The part the viewer's notes panel and "Meine Notizen" share: the store's error, the polite live region that
 * speaks what was just done, and the notes (or a sentence saying there are none), one of them perhaps in its
 * editor.
 */
export function NoteList({
  notes,
  emptyText,
  error,
  announce,
  editing,
  onEditing,
  details,
}: {
  notes: readonly Note[];
  emptyText: string;
  error: ErrorInfo | undefined;
  announce: string;
  /** The note whose editor is open, if any. */
  editing: string | undefined;
  onEditing(id: string | undefined): void;
  details(note: Note): NoteDetails;
}) {
  const { t } = useTranslation();
  return (
    <>
      {error && <ErrorMessage error={error} />}
      <p role="status" aria-live="polite" className="visually-hidden">
        {announce}
      </p>
      {notes.length === 0 ? (
        <p className="notes-empty">{emptyText}</p>
      ) : (
        <ul className="notes-list" aria-label={t('notes.listLabel', { count: notes.length })}>
          {notes.map((note) => {
            const { place, orphaned, actions } = details(note);
            return (
              <NoteListItem
                key={note.id}
                note={note}
                place={place}
                orphaned={orphaned}
                actions={actions}
                editing={editing === note.id}
                onEdit={() => onEditing(note.id)}
                onDone={() => onEditing(undefined)}
              />
            );
          })}
        </ul>
      )}
    </>
  );
}
