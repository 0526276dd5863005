import { create } from 'zustand';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import { api } from '../../ratsdesk-api';

/** The pages of a document prepared for printing: image URLs (blob:) drawn from the PDF, in order. */
export interface DocumentPrintJob {
  name: string;
  pages: string[];
}

interface PrintState {
  /** The policy's printAllowed; false until the policy was read, so no print control flashes up. */
  allowed: boolean;
  /** Set while a document's chosen pages are printed; otherwise the open mail is what prints. */
  job: DocumentPrintJob | undefined;
  /** Bumped by the menu's "Drucken" while a document is open: the viewer opens its page dialog. */
  documentRequest: number;
  error: ErrorInfo | undefined;
  load(): Promise<void>;
  /** Prints what the print layout shows now (the open mail, or a document job) through the system dialog. */
  print(what: 'mail' | 'document'): Promise<boolean>;
  printDocument(job: DocumentPrintJob): Promise<boolean>;
  requestDocumentPrint(): void;
  setError(error: ErrorInfo | undefined): void;
}

export const usePrint = create<PrintState>((set, get) => ({
  allowed: false,
  job: undefined,
  documentRequest: 0,
  error: undefined,

  async load() {
    const r = await api().policy.get();
    if (r.ok) set({ allowed: r.value.entries.find((e) => e.key === 'printAllowed')?.value !== false });
  },

  async print(what) {
    if (!get().allowed) return false;
    const r = await api().app.print({ what });
    if (!r.ok) {
      set({ error: r.error });
      return false;
    }
    set({ error: undefined });
    return r.value.printed;
  },

  async printDocument(job) {
    set({ job });
    try {
      // The page images must be in the layout before the system dialog takes its snapshot.
      await Promise.all(
        job.pages.map(
          (src) =>
            new Promise<void>((done) => {
              const img = new Image();
              img.onload = () => done();
              img.onerror = () => done();
              img.src = src;
            }),
        ),
      );
      return await get().print('document');
    } finally {
      for (const url of job.pages) URL.revokeObjectURL(url);
      set({ job: undefined });
    }
  },

  requestDocumentPrint() {
    set((s) => ({ documentRequest: s.documentRequest + 1 }));
  },

  setError(error) {
    set({ error });
  },
}));
