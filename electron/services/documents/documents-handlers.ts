import type { RatsdeskHandlers } from '../../contract';
import { RatsdeskError } from '../../contract/errors';
import type { DocumentCache } from './document-cache';
import { DOCUMENT_FILE_CHUNK_BYTES } from './document-file-format';
import type { DocumentReaders } from './document-readers';

/**
 * `openHead` sends a document up to this size whole (one round trip beats several for small files), a larger one
 * as its first chunk: the viewer reads the rest by ranges.
 */
const WHOLE_BELOW_BYTES = 4 * DOCUMENT_FILE_CHUNK_BYTES;
const HEAD_BYTES = DOCUMENT_FILE_CHUNK_BYTES;

export interface DocumentsHandlerDeps {
  /** The document cache of the open vault (opens it on first use). */
  documents(): Promise<DocumentCache>;
  /** The text index of the documents (undefined where none runs). */
  documentReaders(): Promise<DocumentReaders | undefined>;
  /** Whether "Save as…" is allowed right now (policy documentExportAllowed). */
  exportAllowed(): Promise<boolean>;
  /** Closes and deletes everything local: vault, documents, vault key, account. */
  removeAllLocalData(): Promise<void>;
}

/** The `documents` domain's calls over the document cache. */
export function documentsHandlers(deps: DocumentsHandlerDeps): RatsdeskHandlers['documents'] {
  return {
    list: async () => {
      const [cache, text] = await Promise.all([deps.documents(), deps.documentReaders()]);
      const states = text?.states();
      return cache.list().map((meta) => {
        const found = states?.get(meta.id);
        return found ? { ...meta, text: found } : meta;
      });
    },
    open: async ({ id }) => (await deps.documents()).open(id),
    pin: async ({ id, until }) => (await deps.documents()).pin(id, until ? new Date(until) : undefined),
    openHead: async ({ id }) => {
      const cache = await deps.documents();
      const size = cache.get(id)?.size ?? 0;
      return cache.openHead(id, size <= WHOLE_BELOW_BYTES ? Number.MAX_SAFE_INTEGER : HEAD_BYTES);
    },
    readRange: async ({ id, begin, end }) => (await deps.documents()).readRange(id, begin, end),
    unpin: async ({ id }) => (await deps.documents()).unpin(id),
    remove: async ({ id }) => (await deps.documents()).remove(id),
    usage: async () => (await deps.documents()).usage(),
    preview: async ({ id }) => {
      const text = await deps.documentReaders();
      if (!text) throw new RatsdeskError('DOCUMENT_PREVIEW_REFUSED', 'no document reader in this build');
      return text.previews.preview(id);
    },
    exportAllowed: () => deps.exportAllowed(),
    removeAllLocalData: () => deps.removeAllLocalData(),
  };
}
