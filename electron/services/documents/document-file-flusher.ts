import { open, rename, rm } from 'node:fs/promises';
import type { UnsyncedDocumentFile } from './document-file-format';

interface Waiting {
  file: UnsyncedDocumentFile;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Group commit for document files written side by side (a meeting made available offline): the files
 * waiting when a flush starts are fsynced together (the file system folds their journal commits), renamed,
 * and the folder is fsynced once for all of them, instead of one file fsync and one folder fsync per file,
 * each queued behind the others. The order of steps for every file stays the same: its bytes durable, then
 * the rename, then the rename durable; only then does `flush` resolve (and the caller commit its row).
 * Files that arrive during a flush form the next group.
 */
export class DocumentFileFlusher {
  private waiting: Waiting[] = [];
  private running = false;
  private groups = 0;

  constructor(private readonly dir: string) {}

  /** Makes a written file durable under its final name. On failure neither name is left behind. */
  flush(file: UnsyncedDocumentFile): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ file, resolve, reject });
      if (!this.running) void this.run();
    });
  }

  /** How many flushes (each at most one fsync of the folder) ran so far. */
  get flushes(): number {
    return this.groups;
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        this.groups++;
        await flushGroup(this.dir, this.waiting.splice(0));
      }
    } finally {
      this.running = false;
    }
  }
}

/** Flushes one group; settles every member's promise and never throws. */
async function flushGroup(dir: string, group: Waiting[]): Promise<void> {
  const renamed: Waiting[] = [];
  await Promise.all(
    group.map(async (w) => {
      let handleOpen = true;
      try {
        await w.file.handle.sync();
        handleOpen = false;
        await w.file.handle.close();
        await rename(w.file.tmp, w.file.final);
        renamed.push(w);
      } catch (err) {
        if (handleOpen) await w.file.handle.close().catch(() => undefined);
        await rm(w.file.tmp, { force: true }).catch(() => undefined);
        w.reject(err);
      }
    }),
  );
  if (renamed.length === 0) return;
  try {
    const folder = await open(dir, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch (err) {
    // The renames may not survive a crash: no row will point at these files, so they go now.
    for (const w of renamed) {
      await rm(w.file.final, { force: true }).catch(() => undefined);
      w.reject(err);
    }
    return;
  }
  for (const w of renamed) w.resolve();
}
