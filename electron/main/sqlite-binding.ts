import { join } from 'node:path';

/** Where `npm start` puts the Electron build (scripts/electron-sqlite.mjs, ELECTRON_SQLITE_DIR). */
export const ELECTRON_SQLITE_DIR = join('node_modules', '.cache', 'ratsdesk-electron-sqlite');
export const ELECTRON_SQLITE_BINDING = 'better_sqlite3.node';

export interface SqliteBindingHost {
  isPackaged: boolean;
  /** The app folder (app.getAppPath(): the repository in unpackaged runs). */
  appPath: string;
  /** process.versions: `electron` and `modules` (the ABI). */
  versions: { electron?: string; modules?: string };
  /** The stamp file's text, or undefined when there is none. */
  readStamp(file: string): string | undefined;
  exists(file: string): boolean;
}

/**
 * Which SQLite binding the vault opens. Packaged builds: none (electron-builder rebuilt the module for
 * Electron in place). Unpackaged runs under Electron: the Electron build `npm start` prepared next to the
 * Node one, when its stamp names this very Electron and ABI — else a plain problem to show (the Node build
 * would fail with "compiled against a different Node.js version"). Under plain Node (tests): none.
 */
export function electronSqliteBinding(host: SqliteBindingHost): { binding?: string; problem?: string } {
  if (!host.versions.electron || host.isPackaged) return {};
  const dir = join(host.appPath, ELECTRON_SQLITE_DIR);
  const binding = join(dir, ELECTRON_SQLITE_BINDING);
  let stamp: { electron?: unknown; abi?: unknown } | undefined;
  try {
    stamp = JSON.parse(host.readStamp(join(dir, 'stamp.json')) ?? 'null') ?? undefined;
  } catch {
    stamp = undefined;
  }
  if (
    !stamp ||
    !host.exists(binding) ||
    stamp.electron !== host.versions.electron ||
    stamp.abi !== host.versions.modules
  ) {
    return {
      problem:
        `No SQLite build for Electron ${host.versions.electron} (ABI ${host.versions.modules ?? '?'}) in ${dir}: ` +
        'start the app with npm start, which prepares it.',
    };
  }
  return { binding };
}
