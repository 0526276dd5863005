import { create } from 'zustand';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import type { Note, NoteBodyInfo, NoteScope, NoteTarget } from '../../../../electron/contract/notes';
import { succeeded } from '../../app/contract-call';
import { api } from '../../ratsdesk-api';

const keyOf = (target: NoteTarget | NoteScope) => `${target.kind}:${target.ref}`;

interface NotesState {
  /** The notes of each target asked for (document, paper, meeting, agenda item), oldest first. */
  byTarget: Record<string, Note[]>;
  error: ErrorInfo | undefined;
  /** All notes of a paper or meeting (its own, its agenda items', papers' and files'). */
  byScope: Record<string, Note[]>;
  notesOf(target: NoteTarget): Note[] | undefined;
  load(target: NoteTarget): Promise<void>;
  loadScope(scope: NoteScope): Promise<void>;
  /** Saves a new note (no id) or a new version; answers the saved note. */
  save(body: NoteBodyInfo, id?: string): Promise<Note | undefined>;
  remove(note: Note): Promise<void>;
  /** Listens for notes changed elsewhere (another device, another view); returns the unsubscribe. */
  listen(): () => void;
}

/** The person's notes as the views show them; the vault and the sync live in the notes service. */
export const useNotes = create<NotesState>((set, get) => {
  const failed = (error: ErrorInfo) => set({ error });
  const targets = new Map<string, NoteTarget>();
  const scopes = new Map<string, NoteScope>();
  const reloadAll = () =>
    Promise.all([
      ...[...targets.values()].map((t) => get().load(t)),
      ...[...scopes.values()].map((s) => get().loadScope(s)),
    ]);
  return {
    byTarget: {},
    byScope: {},
    error: undefined,
    notesOf: (target) => get().byTarget[keyOf(target)],
    async load(target) {
      targets.set(keyOf(target), target);
      const r = await succeeded(api().notes.of(target), failed);
      if (r) set((s) => ({ byTarget: { ...s.byTarget, [keyOf(target)]: r.value } }));
    },
    async loadScope(scope) {
      scopes.set(keyOf(scope), scope);
      const r = await succeeded(api().notes.collected(scope), failed);
      if (r) set((s) => ({ byScope: { ...s.byScope, [keyOf(scope)]: r.value } }));
    },
    async save(body, id) {
      set({ error: undefined });
      const r = await succeeded(api().notes.save(id ? { id, body } : { body }), failed);
      if (!r) return undefined;
      await reloadAll();
      return r.value;
    },
    async remove(note) {
      set({ error: undefined });
      if (await succeeded(api().notes.delete({ id: note.id }), failed)) await reloadAll();
    },
    listen: () => api().notes.onChanged(() => void reloadAll()),
  };
});
