import { RatsdeskError } from '../../contract/errors';
import { safeFileName } from '../../contract/file-name';
import type { DocumentCache, DocumentSource } from './document-cache';

export interface ExportableDocument {
  /** A file name suggestion for the save dialog: no folders, no control characters. */
  fileName: string;
  bytes: Uint8Array;
  /** Where the document came from: the download mark of the saved file names it (download-mark.ts). */
  source: DocumentSource;
}

/** A document's name made safe as a default file name (never a path): the one sanitizer of contract/file-name.ts. */
export function exportFileName(name: string): string {
  return safeFileName(name, { fallback: 'document' });
}

/**
 * The bytes and a default file name for "Save as…", or EXPORT_FORBIDDEN when export is not allowed.
 * The host (Electron main, or the test harness) asks the person for the target and writes the file.
 */
export function exportableDocument(cache: DocumentCache, id: string, exportAllowed: boolean): ExportableDocument {
  if (!exportAllowed) throw new RatsdeskError('EXPORT_FORBIDDEN');
  const { meta, bytes } = cache.open(id);
  return { fileName: exportFileName(meta.name), bytes, source: meta.source };
}
