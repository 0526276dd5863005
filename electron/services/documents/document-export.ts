import { RatsdeskError } from '../../contract/errors';
import type { DocumentCache } from './document-cache';

export interface ExportableDocument {
  /** A file name suggestion for the save dialog: no folders, no control characters. */
  fileName: string;
  bytes: Uint8Array;
}

const FALLBACK_NAME = 'document';
const MAX_FILE_NAME = 200;

/** A document's name made safe as a default file name (never a path). */
export function exportFileName(name: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, MAX_FILE_NAME);
  return cleaned || FALLBACK_NAME;
}

/**
 * The bytes and a default file name for "Save as…", or EXPORT_FORBIDDEN when export is not allowed.
 * The host (Electron main, or the test harness) asks the person for the target and writes the file.
 */
export function exportableDocument(cache: DocumentCache, id: string, exportAllowed: boolean): ExportableDocument {
  if (!exportAllowed) throw new RatsdeskError('EXPORT_FORBIDDEN');
  const { meta, bytes } = cache.open(id);
  return { fileName: exportFileName(meta.name), bytes };
}
