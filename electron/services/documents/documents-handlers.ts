import type { RatsdeskHandlers } from '../../contract';
import type { DocumentCache } from './document-cache';

export interface DocumentsHandlerDeps {
  /** The document cache of the open vault (opens it on first use). */
  documents(): Promise<DocumentCache>;
  /** Whether "Save as…" is allowed right now (policy documentExportAllowed). */
  exportAllowed(): Promise<boolean>;
  /** Closes and deletes everything local: vault, documents, vault key, account. */
  removeAllLocalData(): Promise<void>;
}

/** The `documents` domain's calls over the document cache. */
export function documentsHandlers(deps: DocumentsHandlerDeps): RatsdeskHandlers['documents'] {
  return {
    list: async () => (await deps.documents()).list(),
    open: async ({ id }) => (await deps.documents()).open(id),
    pin: async ({ id, until }) => (await deps.documents()).pin(id, until ? new Date(until) : undefined),
    unpin: async ({ id }) => (await deps.documents()).unpin(id),
    remove: async ({ id }) => (await deps.documents()).remove(id),
    usage: async () => (await deps.documents()).usage(),
    exportAllowed: () => deps.exportAllowed(),
    removeAllLocalData: () => deps.removeAllLocalData(),
  };
}
