import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Note } from '../../../../electron/contract/notes';
import { NoteEditor } from './NoteEditor';
import { useNotes } from './notes-store';

/**
 * One note in a list (the viewer's panel, "Meine Notizen"): where it sits (`place`), a conflict copy or a
 * vanished quote said in words, the quote, the text — or its editor — and edit/delete beside `actions`.
 */
export function NoteListItem({
  note,
  place,
  orphaned = false,
  editing,
  onEdit,
  onDone,
  actions,
}: {
  note: Note;
  place: ReactNode;
  orphaned?: boolean;
  editing: boolean;
  onEdit(): void;
  onDone(): void;
  actions?: ReactNode;
}) {
  const { t } = useTranslation();
  const remove = useNotes((s) => s.remove);
  const what = (note.body.anchor?.exact ?? note.body.text).slice(0, 40);
  return (
    <li className={`notes-item${note.body.color ? ` note-color-${note.body.color}` : ''}`}>
      {place}
      {orphaned && <strong className="notes-orphaned">{t('notes.textChanged')}</strong>}
      {note.conflictOf && <strong className="notes-conflict">{t('notes.conflictCopy')}</strong>}
      {note.body.anchor && <blockquote className="notes-quote">{note.body.anchor.exact}</blockquote>}
      {editing ? (
        <NoteEditor note={note} onDone={onDone} />
      ) : (
        <>
          {note.body.text && <p className="notes-text">{note.body.text}</p>}
          <div className="notes-actions">
            {actions}
            <button type="button" onClick={onEdit} aria-label={t('notes.editLabel', { what })}>
              {note.body.text ? t('notes.edit') : t('notes.addText')}
            </button>
            <button type="button" onClick={() => void remove(note)} aria-label={t('notes.deleteLabel', { what })}>
              {t('notes.delete')}
            </button>
          </div>
        </>
      )}
    </li>
  );
}
