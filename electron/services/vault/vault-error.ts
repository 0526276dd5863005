import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { RatsdeskError } from '../../contract/errors';

/** Below this much free space an I/O error on write is reported as a full disk. */
const LOW_SPACE_BYTES = 4 * 1024 * 1024;

function sqliteCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

function diskIsNearlyFull(file: string): boolean {
  try {
    const stats = statfsSync(dirname(file));
    return stats.bavail * stats.bsize < LOW_SPACE_BYTES;
  } catch {
    return false;
  }
}

/**
 * Turns an error thrown by SQLite (better-sqlite3-multiple-ciphers) or the file system into the
 * RatsdeskError a person sees. RatsdeskErrors pass through unchanged.
 */
export function toVaultError(err: unknown, file: string): RatsdeskError {
  if (err instanceof RatsdeskError) return err;
  const code = sqliteCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new RatsdeskError('VAULT_DISK_FULL', message.slice(0, 200), { cause: err });
  }
  if (code === 'SQLITE_NOTADB' || code?.startsWith('SQLITE_CORRUPT')) {
    return new RatsdeskError('VAULT_UNREADABLE', message.slice(0, 200), { cause: err });
  }
  if (code?.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') {
    if (diskIsNearlyFull(file))
      return new RatsdeskError('VAULT_DISK_FULL', `${code}: ${message}`.slice(0, 200), { cause: err });
    return new RatsdeskError('VAULT_UNREADABLE', `${code}: ${message}`.slice(0, 200), { cause: err });
  }
  return new RatsdeskError('INTERNAL', `${code ?? 'error'}: ${message}`.slice(0, 200), { cause: err });
}
