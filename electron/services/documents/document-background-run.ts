import type { DocumentCache } from './document-cache';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One background run over the cached documents, one item at a time (the document readers' text index and page-tree
 * updates): a document stored, or a kick, starts it, or, while it runs, makes it look again when done; between
 * items it yields to the event loop so the UI and the sync go on.
 */
export abstract class BackgroundRun<T> {
  private running: Promise<void> | undefined;
  private again = false;
  private disposed = false;
  private readonly unsubscribe: () => void;

  constructor(
    documents: DocumentCache,
    /** A failure nobody awaits (the vault is gone, the disk full): the run stops; the next kick continues. */
    private readonly onError?: (err: unknown) => void,
  ) {
    this.unsubscribe = documents.onStored(() => this.kick());
  }

  /** The next item (undefined: nothing left). */
  protected abstract next(): T | undefined;
  /** The work on one item. */
  protected abstract run(item: T): Promise<void>;

  /** Starts (or continues) the run. */
  kick(): void {
    if (this.disposed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runAll().finally(() => {
      this.running = undefined;
      if (this.again && !this.disposed) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves when nothing is left (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  protected get stopped(): boolean {
    return this.disposed;
  }

  private async runAll(): Promise<void> {
    for (;;) {
      if (this.disposed) return;
      const item = this.next();
      if (item === undefined) return;
      try {
        await this.run(item);
      } catch (err) {
        this.onError?.(err);
        return;
      }
      await yieldToEventLoop();
    }
  }

  /** Stops the run after the current item. */
  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
  }
}
