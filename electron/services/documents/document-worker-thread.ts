import { Worker } from 'node:worker_threads';
import { RatsdeskError } from '../../contract/errors';
import type { DocumentJob, DocumentJobResults, WorkerReply, WorkerRequest } from './document-worker-protocol';

export interface DocumentWorkerOptions {
  /** The built worker module (dist-electron/document-worker.mjs; tests build it, see test/support). */
  file: string;
  /** Heap limit of the thread in MB: a document that needs more ends the thread, not the app. */
  maxHeapMb?: number;
}

interface Pending {
  id: number;
  resolve(value: unknown): void;
  reject(err: RatsdeskError): void;
  timer: NodeJS.Timeout;
}

/**
 * One worker thread that reads documents (document-worker.ts), one job at a time, off the main thread
 * that serves the UI and the sync. Each job has a deadline: a document that takes longer (a hostile PDF,
 * a zip bomb) ends the thread, its job fails with `code` and the next job starts a fresh thread. A thread
 * that dies (heap limit) fails its job the same way. Idle, the thread does not keep the process alive.
 */
export class DocumentWorker {
  private worker: Worker | undefined;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private disposed = false;

  constructor(private readonly options: DocumentWorkerOptions) {}

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.options.file, {
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 768 },
    });
    worker.on('message', (reply: WorkerReply) => {
      const p = this.pending;
      if (!p || p.id !== reply.id) return;
      this.pending = undefined;
      clearTimeout(p.timer);
      worker.unref();
      if (reply.ok) p.resolve(reply.value);
      else p.reject(new RatsdeskError(reply.code, reply.detail || undefined));
    });
    const fail = (detail: string) => {
      if (this.worker === worker) this.worker = undefined;
      const p = this.pending;
      this.pending = undefined;
      if (p) {
        clearTimeout(p.timer);
        p.reject(new RatsdeskError('DOCUMENT_UNREADABLE', detail.slice(0, 300)));
      }
    };
    worker.on('error', (err) => fail(`worker: ${err.message}`));
    worker.on('exit', (code) => fail(`worker ended (${code})`));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /**
   * Runs one job in the thread; `deadlineMs` bounds it (then `onDeadline` is the error). The job's bytes are
   * transferred (the caller's buffer is detached afterwards).
   */
  run<K extends DocumentJob['kind']>(
    job: DocumentJob & { kind: K },
    deadlineMs: number,
    onDeadline: RatsdeskError,
  ): Promise<DocumentJobResults[K]> {
    const start = () =>
      new Promise<DocumentJobResults[K]>((resolve, reject) => {
        if (this.disposed) {
          reject(new RatsdeskError('INTERNAL', 'document worker disposed'));
          return;
        }
        const worker = this.thread();
        const id = this.nextId++;
        const timer = setTimeout(() => {
          if (this.pending?.id !== id) return;
          this.pending = undefined;
          this.worker = undefined;
          void worker.terminate();
          reject(onDeadline);
        }, deadlineMs);
        this.pending = { id, resolve: resolve as (v: unknown) => void, reject, timer };
        worker.ref();
        const bytes = job.bytes;
        const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
        const sent = owned ? bytes : bytes.slice();
        worker.postMessage({ id, job: { ...job, bytes: sent } } satisfies WorkerRequest, [sent.buffer as ArrayBuffer]);
      });
    const next = this.queue.then(start, start);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Ends the thread (and fails a running job). */
  async dispose(): Promise<void> {
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (p) {
      clearTimeout(p.timer);
      p.reject(new RatsdeskError('INTERNAL', 'document worker disposed'));
    }
    await worker?.terminate();
  }
}
