import { RatsdeskError } from '../../contract/errors';
import type { VaultDoor } from '../vault/vault-db';
import { BackgroundRun } from './document-background-run';
import type { DocumentCache } from './document-cache';
import { countWordCharacters, pageIndexText } from './document-index-text';
import { documentKindOf, type DocumentKind } from './document-kind';
import {
  clearDocumentText,
  documentExists,
  type DocumentTextState,
  insertPage,
  nextUnindexed,
  saveTextState,
  type UnindexedDocument,
} from './document-text-repository';
import type { DocumentWorker } from './document-worker-thread';
import { OFFICE_LIMITS } from './office-limits';

/**
 * Version of what the readers understand. A document whose earlier attempt found no reader ('unsupported')
 * or failed is read again when this grows (a new reader); indexed documents are not read twice.
 */
export const TEXT_EXTRACTOR_VERSION = 2;

/** Pages written per transaction: a 2,000-page document never holds the vault for long at a time. */
const PAGES_PER_TRANSACTION = 50;
/** Fewer letters and digits per page than this on average: no text layer (a scan). */
const SCAN_CHARACTERS_PER_PAGE = 8;
/** Bounds for reading one document in the worker thread (a hostile PDF ends the thread, not the app). */
const PDF_DEADLINE_MS = 120_000;
const OFFICE_DEADLINE_MS = 30_000;

export interface DocumentTextIndexerOptions {
  vault: VaultDoor;
  documents: DocumentCache;
  worker: DocumentWorker;
  /** A document's text state changed (the list shows "kein Text (gescannt)"). */
  onIndexed?: (documentId: string, state: DocumentTextState) => void;
  /** A failure nobody awaits (logged; the document is marked failed and not retried by this version). */
  onError?: (err: unknown) => void;
  now?: () => Date;
}

interface ExtractedText {
  pages: string[];
  state: DocumentTextState;
  detail: string | null;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads the text of every cached document in the background and indexes it in the vault: PDFs with pdf.js,
 * Word files with mammoth, spreadsheets with exceljs, plain text — all in the document worker thread (never on
 * the thread that serves the UI and the sync).
 * One document at a time, newest use first; a document that arrives (DocumentCache.onStored) wakes it.
 * Removal, retention and quota take a document's text with it (foreign keys, documents-003-text).
 */
export class DocumentTextIndexer extends BackgroundRun<UnindexedDocument> {
  constructor(private readonly options: DocumentTextIndexerOptions) {
    super(options.documents, options.onError);
  }

  protected next(): UnindexedDocument | undefined {
    return this.options.vault.guard((db) => nextUnindexed(db, TEXT_EXTRACTOR_VERSION));
  }

  protected run(doc: UnindexedDocument): Promise<void> {
    return this.indexOne(doc);
  }

  private async extract(doc: UnindexedDocument, kind: DocumentKind): Promise<ExtractedText> {
    if (kind === 'pdf') {
      const bytes = this.options.documents.readBytes(doc.id);
      const text = await this.options.worker.run(
        { kind: 'pdf-text', bytes },
        PDF_DEADLINE_MS,
        new RatsdeskError('DOCUMENT_UNREADABLE', 'text extraction took too long'),
      );
      const letters = text.pages.reduce((n, p) => n + countWordCharacters(p), 0);
      const scanned = letters < SCAN_CHARACTERS_PER_PAGE * Math.max(1, text.pages.length);
      return {
        pages: scanned ? [] : text.pages,
        state: scanned ? 'scanned' : 'indexed',
        detail: text.pagesSkipped > 0 ? `${text.pagesSkipped} pages not read` : null,
      };
    }
    if (kind === 'docx' || kind === 'xlsx' || kind === 'csv' || kind === 'text') {
      if (doc.size > OFFICE_LIMITS.maxFileBytes) return { pages: [], state: 'failed', detail: 'too large' };
      const bytes = this.options.documents.readBytes(doc.id);
      const pages = await this.options.worker.run(
        { kind: 'office-text', format: kind, bytes },
        OFFICE_DEADLINE_MS,
        new RatsdeskError('DOCUMENT_PREVIEW_REFUSED', 'text extraction took too long'),
      );
      return { pages, state: 'indexed', detail: null };
    }
    return { pages: [], state: 'unsupported', detail: null };
  }

  private async indexOne(doc: UnindexedDocument): Promise<void> {
    const kind = documentKindOf(doc.name, doc.mime_type);
    let text: ExtractedText;
    try {
      text = await this.extract(doc, kind);
    } catch (err) {
      if (this.stopped) return;
      // Removed meanwhile: nothing to record.
      if (err instanceof RatsdeskError && err.code === 'DOCUMENT_NOT_FOUND') return;
      if (err instanceof RatsdeskError && (err.code === 'VAULT_DISK_FULL' || err.code === 'INTERNAL')) throw err;
      const detail = err instanceof RatsdeskError ? `${err.code}: ${err.detail ?? ''}` : String(err);
      text = { pages: [], state: 'failed', detail: detail.slice(0, 300) };
    }
    if (this.stopped) return;
    const { vault } = this.options;
    let textBytes = 0;
    for (let from = 0; from < text.pages.length || from === 0; from += PAGES_PER_TRANSACTION) {
      const alive = vault.transaction((db) => {
        if (!documentExists(db, doc.id)) return false;
        if (from === 0) clearDocumentText(db, doc.id);
        for (let i = from; i < Math.min(text.pages.length, from + PAGES_PER_TRANSACTION); i++) {
          const page = text.pages[i] ?? '';
          textBytes += Buffer.byteLength(page);
          insertPage(db, doc.id, i + 1, page, pageIndexText(page));
        }
        return true;
      });
      if (!alive || this.stopped) return;
      if (from + PAGES_PER_TRANSACTION < text.pages.length) await yieldToEventLoop();
    }
    const saved = vault.transaction((db) => {
      if (!documentExists(db, doc.id)) return false;
      saveTextState(db, {
        document_id: doc.id,
        state: text.state,
        pages: text.pages.length,
        text_bytes: textBytes,
        extractor: TEXT_EXTRACTOR_VERSION,
        indexed_at: (this.options.now?.() ?? new Date()).toISOString(),
        detail: text.detail,
      });
      return true;
    });
    if (saved) this.options.onIndexed?.(doc.id, text.state);
  }
}
