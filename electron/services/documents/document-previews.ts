import { RatsdeskError } from '../../contract/errors';
import type { DocumentPreview } from '../../contract/documents';
import type { DocumentCache } from './document-cache';
import { documentKindOf } from './document-kind';
import { OFFICE_LIMITS } from './office-limits';
import { DocumentWorker } from './document-worker-thread';

/**
 * A preview is interactive: the person waits. Past this, reading the file is given up and refused with a
 * sentence (a file built to exhaust the reader ends the thread, never the app).
 */
const PREVIEW_DEADLINE_MS = 10_000;

/**
 * Read-only previews of office and text files in the cache, made in a worker thread of their own (so a
 * long background text extraction never makes the person wait): .docx as HTML (mammoth), .xlsx and .csv as
 * bounded tables (exceljs), plain text. The renderer sanitizes the HTML as it does mail's.
 */
export class DocumentPreviews {
  private readonly worker: DocumentWorker;

  constructor(
    private readonly documents: DocumentCache,
    workerFile: string,
  ) {
    this.worker = new DocumentWorker({ file: workerFile, maxHeapMb: 512 });
  }

  async preview(id: string): Promise<DocumentPreview> {
    const meta = this.documents.get(id);
    if (!meta) throw new RatsdeskError('DOCUMENT_NOT_FOUND', id);
    const kind = documentKindOf(meta.name, meta.mimeType);
    if (kind !== 'docx' && kind !== 'xlsx' && kind !== 'csv' && kind !== 'text') return { kind: 'none' };
    if (meta.size > OFFICE_LIMITS.maxFileBytes)
      throw new RatsdeskError('DOCUMENT_PREVIEW_REFUSED', `${meta.size} bytes`);
    if (kind === 'text' && meta.size > OFFICE_LIMITS.maxTextChars * 4)
      throw new RatsdeskError('DOCUMENT_PREVIEW_REFUSED', `${meta.size} bytes of text`);
    // Counts as opened: the person looks at it.
    const { bytes } = this.documents.open(id);
    return this.worker.run(
      { kind: 'office-preview', format: kind, bytes },
      PREVIEW_DEADLINE_MS,
      new RatsdeskError('DOCUMENT_PREVIEW_REFUSED', 'the preview took too long'),
    );
  }

  dispose(): Promise<void> {
    return this.worker.dispose();
  }
}
