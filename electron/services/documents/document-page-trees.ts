import { RatsdeskError } from '../../contract/errors';
import type { VaultDoor } from '../vault/vault-db';
import { BackgroundRun } from './document-background-run';
import type { DocumentCache } from './document-cache';
import { documentKindOf } from './document-kind';
import { nextWithoutPageTree } from './document-repository';
import type { DocumentWorker } from './document-worker-thread';
import { PAGE_TREE_MAX_INPUT_BYTES } from './pdf-page-tree';

/** Version of the page-tree computation: documents looked at by an older one are looked at again. */
export const PAGE_TREE_VERSION = 1;
/**
 * Bound of one computation in the worker thread (pdf-lib reads the file, pdf.js checks the result): a 100 MB,
 * 2,000-page PDF takes ~0.6 s of CPU. A file that takes longer gets no update (and is not tried again in this
 * version): the viewer reads it as before.
 */
const PAGE_TREE_DEADLINE_MS = 5_000;

/** What one computation found (the benchmark reports it). */
export interface PageTreeComputed {
  documentId: string;
  /** Bytes of the update kept (0: none). */
  updateBytes: number;
  /** Why there is none ('not a PDF', 'small or balanced', 'encrypted', …). */
  reason?: string;
  /** Wall time of the computation, reading the document included. */
  ms: number;
}

export interface DocumentPageTreesOptions {
  vault: VaultDoor;
  documents: DocumentCache;
  /** A worker thread of its own: a long text extraction does not hold up the page tree of a new document. */
  worker: DocumentWorker;
  onComputed?: (computed: PageTreeComputed) => void;
  /** A failure nobody awaits (logged; the run stops and the next kick continues). */
  onError?: (err: unknown) => void;
}

type PageTreeCandidate = NonNullable<ReturnType<typeof nextWithoutPageTree>>;

/**
 * Computes, once per cached PDF and in the background, the balanced-page-tree update that lets pdf.js open a PDF
 * with thousands of pages in a flat tree as fast as a small one (pdf-page-tree.ts), and keeps it encrypted beside
 * the document (DocumentCache.storePageTree). A document that arrives (DocumentCache.onStored) wakes it; documents
 * cached before are looked at when the vault opens. Removal, retention, eviction and replacement delete the
 * update with the document (document-repository.ts).
 */
export class DocumentPageTrees extends BackgroundRun<PageTreeCandidate> {
  constructor(private readonly options: DocumentPageTreesOptions) {
    super(options.documents, options.onError);
  }

  protected next(): PageTreeCandidate | undefined {
    return this.options.vault.guard((db) => nextWithoutPageTree(db, PAGE_TREE_VERSION));
  }

  protected run(doc: PageTreeCandidate): Promise<void> {
    return this.computeOne(doc);
  }

  private async computeOne(doc: PageTreeCandidate): Promise<void> {
    const started = performance.now();
    let update: Uint8Array | undefined;
    let reason: string | undefined;
    if (documentKindOf(doc.name, doc.mime_type) !== 'pdf') reason = 'not a PDF';
    else if (doc.size > PAGE_TREE_MAX_INPUT_BYTES) reason = 'too large';
    else {
      try {
        const bytes = this.options.documents.readBytes(doc.id);
        const found = await this.options.worker.run(
          { kind: 'pdf-page-tree', bytes },
          PAGE_TREE_DEADLINE_MS,
          new RatsdeskError('DOCUMENT_UNREADABLE', 'page tree took too long'),
        );
        if (found.kind === 'update') update = found.update;
        else reason = found.reason;
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof RatsdeskError && err.code === 'DOCUMENT_NOT_FOUND') return;
        if (err instanceof RatsdeskError && (err.code === 'VAULT_DISK_FULL' || err.code === 'INTERNAL')) throw err;
        reason = err instanceof RatsdeskError ? `${err.code}: ${err.detail ?? ''}`.slice(0, 300) : String(err);
      }
    }
    if (this.stopped) return;
    if (!this.options.documents.storePageTree(doc.id, doc.file_id, PAGE_TREE_VERSION, update)) return;
    this.options.onComputed?.({
      documentId: doc.id,
      updateBytes: update?.byteLength ?? 0,
      ...(reason === undefined ? {} : { reason }),
      ms: performance.now() - started,
    });
  }
}
