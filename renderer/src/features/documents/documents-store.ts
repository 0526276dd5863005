import { create } from 'zustand';
import type { DocumentMetaInfo, StorageUsage } from '../../../../electron/contract/documents';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import { succeeded } from '../../app/contract-call';
import { useSession } from '../../app/session-store';
import { api } from '../../ratsdesk-api';

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
  /** A short confirmation after an action (saved, removed …), announced politely. */
  notice: { key: string; name?: string } | undefined;
  refresh(): Promise<void>;
  open(id: string, returnArea?: string): void;
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

    open(id, returnArea) {
      set({ openId: id, returnArea, error: undefined, notice: undefined });
    },

    async close() {
      set({ openId: undefined, returnArea: undefined });
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
