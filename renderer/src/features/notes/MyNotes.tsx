import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Note, NoteBodyInfo, NoteScope } from '../../../../electron/contract/notes';
import { succeeded } from '../../app/contract-call';
import { api } from '../../ratsdesk-api';
import { ErrorMessage } from '../../ui/ErrorMessage';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import { useNavigation } from '../../app/navigation-store';
import { useDocuments } from '../documents/documents-store';
import { NoteList } from './NoteList';
import { useNotes } from './notes-store';
import './notes.css';

/** An agenda item a note can be written on (meeting view). */
export interface AgendaChoice {
  id: string;
  label: string;
}

/** Where a note of the list sits, said in a few words (the meeting, an agenda item, a paper, a document page). */
function placeOf(note: Note, t: (key: string, o?: Record<string, unknown>) => string): string {
  const b = note.body;
  const title = b.targetTitle ?? '';
  switch (b.target.kind) {
    case 'meeting':
      return t('notes.my.onMeeting');
    case 'agendaItem':
      return title;
    case 'paper':
      return t('notes.my.onPaper', { title });
    case 'document':
      return b.page ? t('notes.my.onDocumentPage', { title, page: b.page }) : title;
  }
}

/**
 * "Meine Notizen" of a paper or a meeting: a free note on it (on a meeting also on one of its agenda items),
 * and the list of all the person's notes that belong to it — its own, its agenda items', papers' and the
 * highlights in their files (a click opens the file at the page). A meeting's notes can be exported.
 */
export function MyNotes({
  scope,
  title,
  agenda = [],
}: {
  scope: NoteScope;
  title: string;
  agenda?: readonly AgendaChoice[];
}) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const notes = useNotes((s) => s.byScope[`${scope.kind}:${scope.ref}`]);
  const loadScope = useNotes((s) => s.loadScope);
  const listen = useNotes((s) => s.listen);
  const save = useNotes((s) => s.save);
  const storeError = useNotes((s) => s.error);
  const [text, setText] = useState('');
  const [on, setOn] = useState('');
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [exportError, setExportError] = useState<ErrorInfo | undefined>(undefined);
  const [announce, setAnnounce] = useState('');
  const stableScope = useMemo<NoteScope>(() => ({ kind: scope.kind, ref: scope.ref }), [scope.kind, scope.ref]);

  useEffect(() => {
    void loadScope(stableScope);
  }, [loadScope, stableScope]);
  useEffect(() => listen(), [listen]);

  async function add(event: FormEvent) {
    event.preventDefault();
    const value = text.trim();
    if (!value) return;
    const item = agenda.find((a) => a.id === on);
    const body: NoteBodyInfo = item
      ? {
          target: { kind: 'agendaItem', ref: item.id },
          targetTitle: item.label,
          meetingId: scope.ref,
          anchor: null,
          page: null,
          color: null,
          text: value,
        }
      : { target: scope, targetTitle: title, anchor: null, page: null, color: null, text: value };
    if (await save(body)) {
      setText('');
      setAnnounce(t('notes.my.added'));
    }
  }

  async function exportMarkdown() {
    setExportError(undefined);
    const language = i18n.language === 'en' ? 'en' : 'de';
    const made = await succeeded(api().notes.exportMeeting({ meetingId: scope.ref, language }), setExportError);
    if (!made) return;
    const saved = await succeeded(api().app.saveDocumentAs({ id: made.value.documentId }), setExportError);
    if (saved?.value.saved) setAnnounce(t('notes.my.exported', { count: made.value.notes }));
  }

  function openDocument(documentId: string, page: number | null) {
    useNavigation.getState().showArea('documents');
    useDocuments.getState().open(documentId, 'ris', page ? { page, words: [] } : undefined);
  }

  return (
    <section className="my-notes" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('notes.my.title')}</h2>
      <form onSubmit={(e) => void add(e)}>
        {agenda.length > 0 && (
          <label>
            {t('notes.my.on')}
            <select value={on} onChange={(e) => setOn(e.target.value)}>
              <option value="">{t('notes.my.onMeeting')}</option>
              {agenda.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('notes.my.newNote')}
          <textarea value={text} rows={3} maxLength={20_000} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" disabled={!text.trim()}>
          {t('notes.addPageNote')}
        </button>
      </form>
      <NoteList
        notes={notes ?? []}
        emptyText={t('notes.my.none')}
        error={storeError}
        announce={announce}
        editing={editing}
        onEditing={setEditing}
        details={(note) => ({
          place: <span className="notes-place">{placeOf(note, t)}</span>,
          actions: note.documentId && (
            <button type="button" onClick={() => openDocument(note.documentId!, note.body.page)}>
              {t('notes.my.openDocument')}
            </button>
          ),
        })}
      />
      {scope.kind === 'meeting' && (
        <p>
          <button type="button" onClick={() => void exportMarkdown()}>
            {t('notes.my.export')}
          </button>
        </p>
      )}
      {exportError && <ErrorMessage error={exportError} />}
    </section>
  );
}
