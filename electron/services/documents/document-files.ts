import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RatsdeskError } from '../../contract/errors';
import { ensurePrivateDir } from '../files/private-files';
import { toVaultError } from '../vault/vault-error';
import {
  documentFileState,
  readDocumentFile,
  readDocumentRange,
  writeDocumentFile,
  writeDocumentFileUnsynced,
} from './document-file-format';
import { DocumentFileFlusher } from './document-file-flusher';

function errnoCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/**
 * The documents folder next to the vault: one encrypted file per document (document-file-format.ts).
 * File-system faults become the person's error codes (a full disk: VAULT_DISK_FULL; a missing or
 * unreadable file: VAULT_UNREADABLE).
 */
export class DocumentFiles {
  private readonly flusher: DocumentFileFlusher;

  constructor(
    readonly dir: string,
    /** The vault file, for telling a full disk from a damaged one. */
    private readonly vaultFile: string,
  ) {
    this.flusher = new DocumentFileFlusher(dir);
  }

  path(fileId: string): string {
    return join(this.dir, fileId);
  }

  /** Runs a file-system step; its faults become RatsdeskErrors. */
  guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof RatsdeskError) throw err;
      const code = errnoCode(err);
      if (code === 'ENOSPC' || code === 'EDQUOT')
        throw new RatsdeskError('VAULT_DISK_FULL', String(code), { cause: err });
      if (code === 'ENOENT' || code === 'EIO' || code === 'EISDIR')
        throw new RatsdeskError('VAULT_UNREADABLE', `document file: ${code}`, { cause: err });
      throw toVaultError(err, this.vaultFile);
    }
  }

  ensureDir(): void {
    this.guard(() => ensurePrivateDir(this.dir));
  }

  /** The names in the folder (file ids, and anything a crash left behind). */
  names(): string[] {
    return this.guard(() => readdirSync(this.dir));
  }

  /** Removes one entry of the folder (an orphan). */
  removeEntry(name: string): void {
    this.guard(() => rmSync(join(this.dir, name), { recursive: true, force: true }));
  }

  state(fileId: string, size: number): ReturnType<typeof documentFileState> {
    return documentFileState(this.path(fileId), size);
  }

  write(fileId: string, documentId: string, key: Buffer, bytes: Buffer): void {
    this.guard(() => {
      ensurePrivateDir(this.dir);
      writeDocumentFile(this.dir, fileId, documentId, key, bytes);
    });
  }

  /**
   * `write` off the main thread: the file is written in libuv's thread pool, and made durable together
   * with the other files written side by side (DocumentFileFlusher). The same steps, guarantees and faults.
   */
  async writeAsync(fileId: string, documentId: string, key: Buffer, bytes: Buffer): Promise<void> {
    this.guard(() => ensurePrivateDir(this.dir));
    try {
      await this.flusher.flush(await writeDocumentFileUnsynced(this.dir, fileId, documentId, key, bytes));
    } catch (err) {
      this.guard(() => {
        throw err;
      });
    }
  }

  read(fileId: string, documentId: string, key: Buffer, size: number): Buffer {
    return this.guard(() => readDocumentFile({ path: this.path(fileId), documentId, key, size }));
  }

  /** Bytes `begin`..`end` (exclusive), decrypting only the chunks that hold them. */
  readRange(
    fileId: string,
    documentId: string,
    key: Buffer,
    size: number,
    begin: number,
    end: number,
  ): { bytes: Buffer; decrypted: number } {
    return this.guard(() => readDocumentRange({ path: this.path(fileId), documentId, key, size }, begin, end));
  }

  /** Deletes the files of documents whose rows are gone. Best effort: what stays is an orphan, removed at the next open. */
  discard(fileIds: readonly (string | null)[]): void {
    for (const fileId of fileIds) {
      if (fileId === null) continue;
      try {
        rmSync(this.path(fileId), { force: true });
      } catch {
        // Left for the orphan sweep at the next open (repairDocumentStore): nothing is lost, the row is gone.
      }
    }
  }
}
