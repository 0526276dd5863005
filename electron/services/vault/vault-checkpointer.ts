import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Bytes the WAL may grow by before a passive checkpoint is asked for: SQLite's own default (1,000 pages of
 * 4 KiB), so checkpoints copy as many pages at once as the automatic ones did.
 */
export const CHECKPOINT_AFTER_BYTES = 4 * 1024 * 1024;
/**
 * The bound. Only a WAL that was copied completely starts again at its beginning, and a passive copy that
 * runs beside a writer rarely is; a writer that never pauses would grow the WAL without end. At this size the
 * writer, after its commit, waits (no CPU) while the thread runs a RESTART checkpoint, which copies everything
 * so the next commit starts the WAL anew.
 */
export const CHECKPOINT_RESTART_BYTES = 64 * 1024 * 1024;
/** After writes stop, a last passive copy this much later lets the next commit start the WAL anew. */
const CATCH_UP_MS = 1000;
/** How long close (or the bound) waits for the thread: a running checkpoint finishes first. */
const WAIT_MS = 30_000;

/** What the thread reports after a checkpoint: SQLite's busy flag and frame counts (log, copied). */
export interface CheckpointResult {
  mode: 'PASSIVE' | 'RESTART';
  busy: number;
  log: number;
  checkpointed: number;
}

interface ThreadReply {
  seq: number;
  result?: CheckpointResult;
  error?: string;
}

// Shared with the thread: [0] its state, [1] the number of the last request it finished. close() and the
// bound wait on them synchronously (Atomics.wait), so the vault's close and commits stay synchronous.
const STATE = 0;
const DONE = 1;
// (0: starting)
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
const shared = new Int32Array(workerData.shared);
function settle(state) { Atomics.store(shared, ${STATE}, state); Atomics.notify(shared, ${STATE}); }
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
  db = undefined;
  settle(${FAILED});
  parentPort.postMessage({ seq: 0, error: String((err && err.message) || err).slice(0, 300) });
  parentPort.close();
}
if (db) parentPort.on('message', (m) => {
  if (m.mode === 'close') {
    try { db.close(); } finally { settle(${CLOSED}); parentPort.close(); }
    return;
  }
  const mode = m.mode === 'RESTART' ? 'RESTART' : 'PASSIVE';
  let reply;
  try {
    const [r] = db.pragma('wal_checkpoint(' + mode + ')');
    reply = { seq: m.seq, result: { mode, busy: r.busy, log: r.log, checkpointed: r.checkpointed } };
  } catch (err) {
    reply = { seq: m.seq, error: String((err && err.message) || err).slice(0, 300) };
  }
  Atomics.store(shared, ${DONE}, m.seq);
  Atomics.notify(shared, ${DONE});
  parentPort.postMessage(reply);
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
  /** The WAL sizes that start a passive and a RESTART checkpoint; default CHECKPOINT_AFTER_BYTES, CHECKPOINT_RESTART_BYTES. */
  steps?: CheckpointSteps;
}

export interface CheckpointSteps {
  passiveBytes: number;
  restartBytes: number;
}

/**
 * Copies the vault's WAL into the vault file on a thread of its own, with its own connection, so the
 * writing thread (the UI's and the syncs' event loop) does not pay for it: a checkpoint decrypts each page
 * from the WAL and encrypts it again into the file, with an HMAC each time, which was a third of the CPU of
 * a RIS import. The vault turns SQLite's automatic checkpoints off and calls `afterCommit` after each
 * commit; this asks for a passive checkpoint when the WAL has grown by CHECKPOINT_AFTER_BYTES since the last
 * request, one at a time, and once more CATCH_UP_MS after writes pause, so the WAL is copied completely and
 * the next commit starts it anew. Asking after commits rather than polling on a timer means an idle vault
 * wakes nothing up, and a burst of writes is followed at once. CHECKPOINT_RESTART_BYTES bounds the WAL.
 *
 * The WAL file's size measures what was written since it was last rewound, because the vault sets
 * journal_size_limit to 0: when SQLite starts a fully copied WAL again, it cuts the file back.
 */
export class VaultCheckpointer {
  /** Started at the first checkpoint: a session that writes little (or only reads) starts no thread. */
  private worker: Worker | undefined;
  private readonly shared = new Int32Array(new SharedArrayBuffer(8));
  private readonly walFile: string;
  private readonly steps: CheckpointSteps;
  /** Number of the last request posted; the thread answers them in order. */
  private seq = 0;
  /** Commits since the last request was posted (so a copy may have missed them). */
  private dirty = false;
  private requestedAt = 0;
  private catchUp: NodeJS.Timeout | undefined;
  private failed = false;
  private closed = false;

  constructor(private readonly options: VaultCheckpointerOptions) {
    this.walFile = `${options.file}-wal`;
    this.steps = options.steps ?? { passiveBytes: CHECKPOINT_AFTER_BYTES, restartBytes: CHECKPOINT_RESTART_BYTES };
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        shared: this.shared.buffer,
        file: this.options.file,
        keyHex: this.options.keyHex,
        cipherPragmas: [...this.options.cipherPragmas],
        nativeBinding: this.options.nativeBinding,
        sqliteModule: sqliteModulePath(),
      },
      // The thread needs no environment of its own.
      env: {},
    });
    worker.on('message', (reply: ThreadReply) => this.onReply(reply));
    worker.on('error', (err) => this.fail(`checkpoint thread: ${err.message}`));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(`checkpoint thread ended (${code})`);
    });
    // The thread never keeps the process alive by itself: an idle vault must not block quitting.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** True while checkpoints are the thread's (started at the first one); false after a failure or close. */
  get active(): boolean {
    return !this.failed && !this.closed;
  }

  private get running(): boolean {
    return Atomics.load(this.shared, DONE) < this.seq;
  }

  /** After a commit of the vault's writing connection: asks for a checkpoint if the WAL grew enough. */
  afterCommit(): void {
    if (!this.active) return;
    this.dirty = true;
    const size = this.walSize();
    if (size >= this.steps.restartBytes) {
      this.restartAndWait();
      return;
    }
    if (this.running) return;
    // A smaller WAL than at the last request was started anew (and cut back) meanwhile.
    if (size < this.requestedAt) this.requestedAt = 0;
    if (size - this.requestedAt >= this.steps.passiveBytes) this.request('PASSIVE', size);
    else this.scheduleCatchUp();
  }

  private request(mode: 'PASSIVE' | 'RESTART', size: number): void {
    this.requestedAt = size;
    this.dirty = false;
    this.seq++;
    const worker = this.thread();
    worker.ref();
    worker.postMessage({ seq: this.seq, mode });
  }

  /**
   * The bound (CHECKPOINT_RESTART_BYTES): the writer waits, holding no lock, until the thread has copied the
   * whole WAL; its next commit then starts the WAL anew.
   */
  private restartAndWait(): void {
    this.request('RESTART', 0);
    const target = this.seq;
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const done = Atomics.load(this.shared, DONE);
      if (done >= target || Atomics.load(this.shared, STATE) === FAILED) return;
      const left = deadline - Date.now();
      if (left <= 0) return;
      Atomics.wait(this.shared, DONE, done, left);
    }
  }

  /** Once writes pause, one more passive copy takes what the last one missed. */
  private scheduleCatchUp(): void {
    if (this.catchUp || !this.dirty) return;
    this.catchUp = setTimeout(() => {
      this.catchUp = undefined;
      if (!this.active || !this.dirty) return;
      if (this.running) this.scheduleCatchUp();
      else this.request('PASSIVE', this.walSize());
    }, CATCH_UP_MS);
    this.catchUp.unref();
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
    if (reply.result) this.options.onCheckpoint?.(reply.result);
    if (this.running) return;
    this.worker?.unref();
    // Commits that came while it ran: copied with the next step, or when writes pause.
    if (this.dirty) this.afterCommit();
  }

  private fail(detail: string): void {
    if (this.failed || this.closed) return;
    this.failed = true;
    clearTimeout(this.catchUp);
    this.worker?.unref();
    void this.worker?.terminate();
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
    clearTimeout(this.catchUp);
    this.catchUp = undefined;
    const worker = this.worker;
    if (!worker) return;
    if (!this.failed) {
      worker.postMessage({ seq: 0, mode: 'close' });
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        const state = Atomics.load(this.shared, STATE);
        if (state === CLOSED || state === FAILED) break;
        const left = deadline - Date.now();
        if (left <= 0) break;
        Atomics.wait(this.shared, STATE, state, left);
      }
    }
    void worker.terminate();
  }
}
