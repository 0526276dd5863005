import type { VaultDoor } from '../vault/vault-db';
import type { DocumentCache } from './document-cache';
import { DocumentPageTrees, type PageTreeComputed } from './document-page-trees';
import { DocumentPreviews } from './document-previews';
import { DocumentSearch } from './document-search';
import { DocumentTextIndexer } from './document-text-indexer';
import { allTextStates, type DocumentTextState } from './document-text-repository';
import { DocumentWorker } from './document-worker-thread';

export interface DocumentReadersOptions {
  vault: VaultDoor;
  documents: DocumentCache;
  /** The built document worker module (see DocumentWorker). */
  workerFile: string;
  onIndexed?: (documentId: string, state: DocumentTextState) => void;
  /** A PDF's page-tree update was computed (or found unneeded). */
  onPageTree?: (computed: PageTreeComputed) => void;
  onError?: (err: unknown) => void;
}

/**
 * What reads the open vault's documents: the PDFs' page-tree updates (a worker thread of their own), the text index (its background worker thread, the indexer that
 * feeds it, the search over it) and the previews (a worker thread of their own). One owner, disposed with
 * the vault session.
 */
export class DocumentReaders {
  readonly search: DocumentSearch;
  readonly indexer: DocumentTextIndexer;
  readonly previews: DocumentPreviews;
  readonly pageTrees: DocumentPageTrees;
  private readonly worker: DocumentWorker;
  private readonly pageTreeWorker: DocumentWorker;

  constructor(private readonly options: DocumentReadersOptions) {
    this.worker = new DocumentWorker({ file: options.workerFile });
    this.previews = new DocumentPreviews(options.documents, options.workerFile);
    this.search = new DocumentSearch(options.vault);
    this.indexer = new DocumentTextIndexer({
      vault: options.vault,
      documents: options.documents,
      worker: this.worker,
      ...(options.onIndexed ? { onIndexed: options.onIndexed } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    this.pageTreeWorker = new DocumentWorker({ file: options.workerFile, maxHeapMb: 512 });
    this.pageTrees = new DocumentPageTrees({
      vault: options.vault,
      documents: options.documents,
      worker: this.pageTreeWorker,
      ...(options.onPageTree ? { onComputed: options.onPageTree } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    // Documents cached before (or while no index ran) are read in the background now.
    this.pageTrees.kick();
    this.indexer.kick();
  }

  /** What extraction found, per document id (documents not read yet are absent). */
  states(): Map<string, { state: DocumentTextState; pages: number }> {
    return new Map(
      this.options.vault
        .guard((db) => allTextStates(db))
        .map((r) => [r.document_id, { state: r.state, pages: r.pages }] as const),
    );
  }

  async dispose(): Promise<void> {
    this.indexer.dispose();
    this.pageTrees.dispose();
    await Promise.all([this.worker.dispose(), this.pageTreeWorker.dispose(), this.previews.dispose()]);
  }
}
