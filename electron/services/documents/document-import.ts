import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { lookup } from 'mime-types';
import { RatsdeskError } from '../../contract/errors';
import { safeFileName } from '../../contract/file-name';
import type { DocumentCache, DocumentMeta } from './document-cache';

/** Mail servers refuse far less; bigger files are not attachments. */
export const MAX_IMPORTED_FILE = 50 * 1024 * 1024;

/**
 * A file the person picked in the host's open dialog, copied into the encrypted document cache (as "added
 * by you"). A draft refers to the document, not to the path: it can be sent after a restart, and the file
 * may be moved or deleted meanwhile.
 */
export async function importFile(cache: DocumentCache, path: string): Promise<DocumentMeta> {
  const unreadable = (err: unknown) =>
    new RatsdeskError('INVALID_INPUT', `file unreadable: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  const info = await stat(path).catch((err: unknown) => {
    throw unreadable(err);
  });
  if (!info.isFile()) throw new RatsdeskError('INVALID_INPUT', 'not a file');
  if (info.size > MAX_IMPORTED_FILE) throw new RatsdeskError('DOCUMENT_TOO_LARGE', basename(path));
  const bytes = await readFile(path).catch((err: unknown) => {
    throw unreadable(err);
  });
  return importBytes(cache, basename(path), new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * A file dropped on the compose window: its bytes (read by the renderer from the drop) go into the encrypted
 * document cache exactly like a picked file. Only the last part of the name counts: a dropped file names
 * no path.
 */
export async function importBytes(cache: DocumentCache, fileName: string, bytes: Uint8Array): Promise<DocumentMeta> {
  if (bytes.byteLength > MAX_IMPORTED_FILE) throw new RatsdeskError('DOCUMENT_TOO_LARGE', fileName.slice(0, 200));
  // Only the last part of the name counts, through the one sanitizer of every name (contract/file-name.ts):
  // the name comes from the renderer and may come from a hostile download.
  const name = safeFileName(fileName, { paths: 'last-segment', fallback: 'Anhang' });
  return cache.put({
    bytes,
    name,
    mimeType: lookup(name) || 'application/octet-stream',
    source: { kind: 'upload', ref: `file/${randomUUID()}/${name}` },
  });
}
