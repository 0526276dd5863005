import { create } from 'zustand';
import type { DocumentMetaInfo, StorageUsage } from '../../../../electron/contract/documents';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import { succeeded } from '../../app/contract-call';
import { useSession } from '../../app/session-store';
import { api } from '../../ratsdesk-api';

/** A place in a document: its page, and words to highlight there. */
export interface DocumentPlace {
  page: number;
  words: readonly string[];
}

interface DocumentsState {
  items: DocumentMetaInfo[];
  usage: StorageUsage | undefined;
  exportAllowed: boolean;
  loading: boolean;
  /** The last failure, as a stable code (shown as a sentence in role="alert"). */
  error: ErrorInfo | undefined;
  /** The document shown in the viewer. */
  openId: string | undefined;
  /** The area the open document came from (e.g. 'mail' for an attachment): the viewer offers the way back. */
  returnArea: string | undefined;
  /** Where the viewer opens the document: a page and the words to highlight there (a search hit). */
  openAt: DocumentPlace | undefined;
  /** A short confirmation after an action (saved, removed …), announced politely. */
  notice: { key: string; name?: string } | undefined;
  refresh(): Promise<void>;
  open(id: string, returnArea?: string, at?: DocumentPlace): void;
  close(): Promise<void>;
  setPinned(id: string, pinned: boolean): Promise<void>;
  remove(id: string): Promise<void>;
  saveAs(id: string): Promise<void>;
  /** Deletes vault, key and account; the app returns to its first-run state. */
  removeAllLocalData(): Promise<boolean>;
}

export const useDocuments = create<DocumentsState>((set, get) => {
  const failed = (error: ErrorInfo) => set({ error });

  return {
    items: [],
    usage: undefined,
    exportAllowed: false,
    loading: false,
    error: undefined,
    openId: undefined,
    returnArea: undefined,
    openAt: undefined,
    notice: undefined,

    async refresh() {
      set({ loading: true });
      const [list, usage, exportAllowed] = await Promise.all([
        api().documents.list(),
        api().documents.usage(),
        api().documents.exportAllowed(),
      ]);
      set({
        loading: false,
        items: list.ok ? list.value : get().items,
        usage: usage.ok ? usage.value : get().usage,
        exportAllowed: exportAllowed.ok && exportAllowed.value,
        error: !list.ok ? list.error : !usage.ok ? usage.error : undefined,
      });
    },

    open(id, returnArea, at) {
      set({ openId: id, returnArea, openAt: at, error: undefined, notice: undefined });
    },

    async close() {
      set({ openId: undefined, returnArea: undefined, openAt: undefined });
      // Opening records "last opened": show the new time.
      await get().refresh();
    },

    async setPinned(id, pinned) {
      set({ error: undefined, notice: undefined });
      const done = await succeeded(pinned ? api().documents.pin({ id }) : api().documents.unpin({ id }), failed);
      if (done) await get().refresh();
    },

    async remove(id) {
      set({ error: undefined, notice: undefined });
      const name = get().items.find((d) => d.id === id)?.name;
      const done = await succeeded(api().documents.remove({ id }), failed);
      if (!done) return;
      if (get().openId === id) set({ openId: undefined });
      await get().refresh();
      set({ notice: { key: 'documents.removed', name } });
    },

    async saveAs(id) {
      set({ error: undefined, notice: undefined });
      const name = get().items.find((d) => d.id === id)?.name;
      const done = await succeeded(api().app.saveDocumentAs({ id }), failed);
      if (done?.value.saved) set({ notice: { key: 'documents.saved', name } });
    },

    async removeAllLocalData() {
      set({ error: undefined, notice: undefined });
      const done = await succeeded(api().documents.removeAllLocalData(), failed);
      if (!done) return false;
      set({ items: [], usage: undefined, openId: undefined });
      // Nothing is left (no account either): the shell shows the first-run setup again.
      await useSession.getState().start();
      return true;
    },
  };
});
