import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Bytes the WAL may grow by before a passive checkpoint is asked for: SQLite's own default (1,000 pages of
 * 4 KiB), so checkpoints copy as many pages at once as the automatic ones did.
 */
export const CHECKPOINT_AFTER_BYTES = 4 * 1024 * 1024;
/**
 * WAL size at which a passive checkpoint is no longer enough (a writer that never pauses keeps the WAL from
 * being rewound, because only a fully copied WAL starts again at its beginning): the thread then runs a
 * RESTART checkpoint, which waits for the writer's current transaction and makes the next one start the WAL
 * anew. The writer waits meanwhile (its busy timeout), so this is the bound, not the rule.
 */
export const CHECKPOINT_RESTART_BYTES = 64 * 1024 * 1024;
/** How long close waits for the thread to close its connection (a running checkpoint finishes first). */
const CLOSE_WAIT_MS = 10_000;

/** What the thread reports after a checkpoint: SQLite's busy flag and frame counts (log, copied). */
export interface CheckpointResult {
  mode: 'PASSIVE' | 'RESTART';
  busy: number;
  log: number;
  checkpointed: number;
}

interface ThreadReply {
  result?: CheckpointResult;
  error?: string;
}

// States of the shared flag: the thread sets OPEN once its connection works, CLOSED after closing it, FAILED
// when it could not open. close() waits on it synchronously (Atomics.wait), so close stays synchronous.
const STARTING = 0;
const OPEN = 1;
const CLOSED = 2;
const FAILED = 3;

/**
 * The thread's code: CommonJS run with `eval`, so no extra file has to be built, found or unpacked. It loads
 * the same SQLite module (by the absolute path the owner resolved) and opens the vault with the key it was
 * handed in memory. It never writes rows; it only copies the WAL into the file when asked.
 */
const THREAD_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData.flag);
function settle(state) { Atomics.store(flag, 0, state); Atomics.notify(flag, 0); }
let db;
try {
  const Database = require(workerData.sqliteModule);
  db = new Database(workerData.file, { fileMustExist: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
  for (const p of workerData.cipherPragmas) db.pragma(p);
  db.pragma('key = "x\\'' + workerData.keyHex + '\\'"');
  db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
  db.pragma('wal_autocheckpoint = 0');
  settle(${OPEN});
} catch (err) {
  try { if (db) db.close(); } catch {}
  settle(${FAILED});
  parentPort.postMessage({ error: String(err && err.message || err).slice(0, 300) });
  parentPort.close();
}
if (db) parentPort.on('message', (m) => {
  if (m === 'close') {
    try { db.close(); } finally { settle(${CLOSED}); parentPort.close(); }
    return;
  }
  try {
    const [r] = db.pragma('wal_checkpoint(' + (m === 'RESTART' ? 'RESTART' : 'PASSIVE') + ')');
    parentPort.postMessage({ result: { mode: m === 'RESTART' ? 'RESTART' : 'PASSIVE', busy: r.busy, log: r.log, checkpointed: r.checkpointed } });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err).slice(0, 300) });
  }
});
`;

/**
 * The SQLite module the owner loaded, by absolute path: an eval'd thread resolves bare names from the working
 * folder, which is anywhere. CommonJS (the Electron main bundle, vitest) knows its __filename; an ES module
 * bundle (benchmarks, test children) its import.meta.url. Electron reads modules inside app.asar from worker
 * threads as well (since Electron 18), and the native binding is unpacked beside it as for the main thread.
 */
function sqliteModulePath(): string {
  const from = typeof __filename === 'string' ? __filename : import.meta.url;
  return createRequire(from).resolve('better-sqlite3-multiple-ciphers');
}

export interface VaultCheckpointerOptions {
  file: string;
  /** The vault key (hex), handed to the thread in memory (workerData); never written anywhere. */
  keyHex: string;
  cipherPragmas: readonly string[];
  nativeBinding?: string;
  /** Called when the thread cannot work (it failed to open, or ended): the owner checkpoints itself again. */
  onFailure(detail: string): void;
  /** Called after each checkpoint (tests and benchmarks watch it). */
  onCheckpoint?(result: CheckpointResult): void;
}

/**
 * Copies the vault's WAL into the vault file on a thread of its own, with its own connection, so the
 * writing thread (the UI's and the syncs' event loop) does not pay for it: a checkpoint decrypts each page
 * from the WAL and encrypts it again into the file, with an HMAC each time, which was a third of the CPU of
 * a RIS import. The vault turns SQLite's automatic checkpoints off and calls `afterCommit` after each
 * commit; this asks for a checkpoint when the WAL has grown by CHECKPOINT_AFTER_BYTES since the last
 * request, one at a time. Asking after commits rather than on a timer means an idle vault wakes nothing up,
 * and a burst of writes is followed at once.
 *
 * The WAL file's size measures what was written since it was last rewound, because the vault sets
 * journal_size_limit to 0: when SQLite starts a fully copied WAL again, it cuts the file back.
 */
export class VaultCheckpointer {
  private readonly worker: Worker;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly walFile: string;
  private running = false;
  private wanted = false;
  private requestedAt = 0;
  private failed = false;
  private closed = false;

  constructor(private readonly options: VaultCheckpointerOptions) {
    this.walFile = `${options.file}-wal`;
    this.worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        flag: this.flag.buffer,
        file: options.file,
        keyHex: options.keyHex,
        cipherPragmas: [...options.cipherPragmas],
        nativeBinding: options.nativeBinding,
        sqliteModule: sqliteModulePath(),
      },
      // The thread needs no environment of its own.
      env: {},
    });
    this.worker.on('message', (reply: ThreadReply) => this.onReply(reply));
    this.worker.on('error', (err) => this.fail(`checkpoint thread: ${err.message}`));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(`checkpoint thread ended (${code})`);
    });
    // The thread never keeps the process alive: an idle vault must not block quitting.
    this.worker.unref();
  }

  /** True while the thread checkpoints for the vault (false after a failure or close). */
  get active(): boolean {
    return !this.failed && !this.closed;
  }

  /** After a commit of the vault's writing connection: asks for a checkpoint if the WAL grew enough. */
  afterCommit(): void {
    if (!this.active) return;
    if (this.running) {
      this.wanted = true;
      return;
    }
    const size = this.walSize();
    // A smaller WAL than at the last request was rewound (and cut back) meanwhile.
    if (size < this.requestedAt) this.requestedAt = 0;
    if (size - this.requestedAt < CHECKPOINT_AFTER_BYTES) return;
    this.requestedAt = size;
    this.running = true;
    this.worker.ref();
    this.worker.postMessage(size >= CHECKPOINT_RESTART_BYTES ? 'RESTART' : 'PASSIVE');
  }

  private walSize(): number {
    try {
      return statSync(this.walFile).size;
    } catch {
      return 0;
    }
  }

  private onReply(reply: ThreadReply): void {
    if (reply.error !== undefined) {
      this.fail(reply.error);
      return;
    }
    this.running = false;
    this.worker.unref();
    if (reply.result) this.options.onCheckpoint?.(reply.result);
    // Commits that came while it ran may have grown the WAL past the next step.
    if (this.wanted) {
      this.wanted = false;
      this.afterCommit();
    }
  }

  private fail(detail: string): void {
    if (this.failed || this.closed) return;
    this.failed = true;
    this.running = false;
    this.worker.unref();
    void this.worker.terminate();
    this.options.onFailure(detail);
  }

  /**
   * Closes the thread's connection and ends the thread, waiting synchronously (a checkpoint in progress
   * finishes first) so that the owner's connection, closed next, is the last one: SQLite then copies the
   * rest of the WAL into the file and deletes the WAL, as before. Safe to call twice.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.failed) {
      this.worker.postMessage('close');
      const deadline = Date.now() + CLOSE_WAIT_MS;
      for (;;) {
        const state = Atomics.load(this.flag, 0);
        if (state === CLOSED || state === FAILED) break;
        const left = deadline - Date.now();
        if (left <= 0) break;
        Atomics.wait(this.flag, 0, state, left);
      }
    }
    void this.worker.terminate();
  }
}
