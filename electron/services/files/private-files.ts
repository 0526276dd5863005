import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/** Owner-only modes do not exist on Windows; there the profile folder's ACLs protect the data. */
const POSIX = process.platform !== 'win32';

/**
 * Makes `dir` (and missing parents) and sets it to 0700: the person's data folders are theirs alone. An
 * existing folder with wider rights (an older version's) is narrowed.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (POSIX) chmodSync(dir, 0o700);
}

/** Sets an existing file to 0600 (readable and writable by the person only); a missing file is left alone. */
export function makePrivate(file: string): void {
  if (POSIX && existsSync(file)) chmodSync(file, 0o600);
}

/** Creates an empty file with mode 0600 when it does not exist (so SQLite's own files inherit that mode). */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  makePrivate(file);
}
