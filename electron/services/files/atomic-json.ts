import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensurePrivateDir } from './private-files';

/**
 * Writes `value` as pretty JSON so that a crash never leaves half a file: into a temporary file next
 * to the target (readable by the owner only), then renamed over it. The folder is made (0700) if missing.
 */
export async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  ensurePrivateDir(dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
