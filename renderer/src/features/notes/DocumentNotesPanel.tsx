import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Note, NoteColor, NoteTarget } from '../../../../electron/contract/notes';
import { noteColors } from '../../../../electron/contract/notes';
import type { Reanchored, TextAnchor } from '../../../../electron/contract/text-anchor';
import { NoteList } from './NoteList';
import { useNotes } from './notes-store';
import './notes.css';

interface DocumentNotesPanelProps {
  target: NoteTarget;
  /** The document's name: the list of all notes and the search show it. */
  title: string;
  notes: readonly Note[];
  placed: ReadonlyMap<string, Reanchored>;
  page: number;
  /** The passage selected in the text layer (or the current search hit), if any. */
  selection: TextAnchor | undefined;
  onJump(page: number): void;
  /** A passage was highlighted: the viewer lets go of the selection. */
  onMarked(): void;
}

/**
 * The notes panel of the viewer: "Markieren" for the selected passage in a few colours, a note on the shown
 * page, and this document's notes (a click jumps to the page). A highlight whose quote is no longer in the
 * file says "Text geändert" and keeps its old quote.
 */
export function DocumentNotesPanel({
  target,
  title,
  notes,
  placed,
  page,
  selection,
  onJump,
  onMarked,
}: DocumentNotesPanelProps) {
  const { t } = useTranslation();
  const save = useNotes((s) => s.save);
  const error = useNotes((s) => s.error);
  const [color, setColor] = useState<NoteColor>('gelb');
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [pageNote, setPageNote] = useState('');
  const [announce, setAnnounce] = useState('');

  async function mark() {
    if (!selection) return;
    const saved = await save({ target, targetTitle: title, anchor: selection, page: selection.page, color, text: '' });
    if (saved) {
      onMarked();
      setAnnounce(t('notes.marked', { page: selection.page }));
      setEditing(saved.id);
    }
  }

  async function addPageNote(event: FormEvent) {
    event.preventDefault();
    const text = pageNote.trim();
    if (!text) return;
    if (await save({ target, targetTitle: title, anchor: null, page, color: null, text })) {
      setPageNote('');
      setAnnounce(t('notes.added', { page }));
    }
  }

  const pageOf = (note: Note) => {
    const at = placed.get(note.id);
    return at?.state === 'anchored' ? at.page : note.body.page;
  };
  const sorted = [...notes].sort((a, b) => (pageOf(a) ?? 0) - (pageOf(b) ?? 0));

  return (
    <aside className="notes-panel" aria-labelledby="notes-panel-title">
      <h2 id="notes-panel-title">{t('notes.panelTitle')}</h2>
      <div className="notes-mark" role="group" aria-label={t('notes.markGroup')}>
        <fieldset className="notes-colors">
          <legend>{t('notes.color')}</legend>
          {noteColors.map((c) => (
            <label key={c} className={`notes-color note-color-${c}`}>
              <input type="radio" name="note-color" value={c} checked={color === c} onChange={() => setColor(c)} />
              {t(`notes.colors.${c}`)}
            </label>
          ))}
        </fieldset>
        <button type="button" onClick={() => void mark()} disabled={!selection}>
          {t('notes.mark')}
        </button>
        <p className="notes-hint">
          {selection ? t('notes.selected', { text: selection.exact.slice(0, 80) }) : t('notes.selectHint')}
        </p>
      </div>
      <form className="notes-page-note" onSubmit={(e) => void addPageNote(e)}>
        <label>
          {t('notes.pageNoteLabel', { page })}
          <textarea value={pageNote} rows={2} maxLength={20_000} onChange={(e) => setPageNote(e.target.value)} />
        </label>
        <button type="submit" disabled={!pageNote.trim()}>
          {t('notes.addPageNote')}
        </button>
      </form>
      <NoteList
        notes={sorted}
        emptyText={t('notes.noneInDocument')}
        error={error}
        announce={announce}
        editing={editing}
        onEditing={setEditing}
        details={(note) => {
          const notePage = pageOf(note);
          return {
            place: notePage !== null && (
              <button type="button" className="notes-jump" onClick={() => onJump(notePage)}>
                {t('notes.toPage', { page: notePage })}
              </button>
            ),
            orphaned: note.body.anchor !== null && placed.get(note.id)?.state === 'orphaned',
          };
        }}
      />
    </aside>
  );
}
