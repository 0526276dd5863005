import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Note } from '../../../../electron/contract/notes';
import { useNotes } from './notes-store';

/** The text of one note, edited in place; Escape cancels, the field has focus when it opens. */
export function NoteEditor({ note, onDone }: { note: Note; onDone(): void }) {
  const { t } = useTranslation();
  const save = useNotes((s) => s.save);
  const [text, setText] = useState(note.body.text);
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await save({ ...note.body, text }, note.id)) onDone();
  }

  return (
    <form
      className="note-editor"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onDone();
        }
      }}
    >
      <label>
        {t('notes.textLabel')}
        <textarea ref={field} value={text} rows={3} maxLength={20_000} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit">{t('notes.save')}</button>
      <button type="button" onClick={onDone}>
        {t('notes.cancel')}
      </button>
    </form>
  );
}
